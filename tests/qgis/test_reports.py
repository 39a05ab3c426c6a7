"""situation_room:report and situation_room:work_sheet through processing.run on Prato's real roads, with works
on real streets and the conflicts Detect conflicts finds between them: the PDFs (pages, text, a page looked at
as an image), the HTML, the CSVs; in Italian and in English."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import unicodedata
import uuid
from datetime import date
from pathlib import Path

import processing
import pytest
import shapely
import shapely.ops
from qgis.core import QgsProcessingException, QgsVectorLayer

from situation_room_plugin.core.works import Work
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.road_tables import read_road_lines
from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
START, END = date(2016, 5, 1), date(2016, 5, 14)
CIMABUE, DANESI = "30353076", "30353661"  # a one-way street in a grid; the only street into a neighbourhood


def street_work(shared_data: Path, osm_id: str, title: str, owner: str, first: date, last: date,
                **overrides) -> Work:
    """A work on the middle of a real street of Prato's roads, buffered 4 m."""
    lines = read_road_lines(shared_data / "prato" / "prato_roads.gpkg")
    line = lines.geometries[lines.column("osm_id").index(osm_id)]
    piece = shapely.ops.substring(line, 0.3, 0.7, normalized=True)
    values = {"uid": str(uuid.uuid4()), "title": title, "owner": owner, "work_type": "excavation",
              "status": "authorized", "start_date": first, "end_date": last, "traffic_impact": "all-lanes-closed",
              "excavation": True, "permit_ref": "PG/2016/118",
              "geometry": shapely.MultiPolygon([shapely.buffer(piece, 4, cap_style="flat")])}
    values.update(overrides)
    return Work(**values)


def works_layer(works: list[Work]) -> QgsVectorLayer:
    return layers.works_memory_layer(works)


@pytest.fixture
def roads_uri(shared_data):
    return f"{shared_data / 'prato' / 'prato_roads.gpkg'}|layername=roads"


@pytest.fixture
def prato_works(shared_data) -> list[Work]:
    return [
        street_work(shared_data, CIMABUE, "Rete idrica via Cimabue", "publiacqua", date(2016, 5, 1),
                    date(2016, 5, 10)),
        street_work(shared_data, CIMABUE, "Fibra via Cimabue", "estracom", date(2016, 5, 6), date(2016, 5, 15),
                    work_type="new_connection", traffic_impact="some-lanes-closed"),
        street_work(shared_data, DANESI, "Gas via Elio Danesi", "toscana_energia", date(2016, 5, 3),
                    date(2016, 5, 12)),
        street_work(shared_data, DANESI, "Asfaltatura via Elio Danesi", "comune", date(2016, 7, 1),
                    date(2016, 7, 5), work_type="resurfacing"),
    ]


@pytest.fixture
def italian():
    """QGIS in Italian: its interface language (what the plugin follows) and our translation loaded."""
    from qgis.core import QgsApplication

    from situation_room_plugin.toolbelt import i18n

    translator = i18n.install_translator("it")
    if translator is None:
        pytest.fail("situation_room_it.qm is not built: run `python tools/i18n.py release` (make test does)")
    previous = QgsApplication.instance().translation()
    QgsApplication.setTranslation("it")
    yield
    QgsApplication.setTranslation(previous)
    i18n.remove_translator(translator)


def detect(works: QgsVectorLayer, tmp_path: Path) -> QgsVectorLayer:
    return processing.run("situation_room:detect_conflicts", {
        "WORKS": works, "STORE": str(tmp_path / "project.gpkg"), "OUTPUT": "memory:"})["OUTPUT"]


def pdf_pages(path: Path) -> int:
    """The pages of a PDF as its page tree counts them (no tool needed)."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    (count,) = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)
    return int(count)


def pdf_text(path: Path, page: int | None = None, layout: bool = True) -> str:
    """The text of the PDF (of one page, 1-based, when given), laid out as on the page or (not `layout`) in
    the order it is drawn, a table cell's lines together."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian's poppler-utils, in the Makefile's APT_PACKAGES) is not installed")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    mode = ["-layout"] if layout else ["-raw"]
    text = subprocess.run(["pdftotext", *mode, *pages, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return unicodedata.normalize("NFKC", text)  # the fonts' ligatures (ﬂ, ﬀ) as letters


def page_png(path: Path, page: int, out: Path) -> Path:
    """Page `page` (1-based) of the PDF as a PNG in tests/artifacts, for a person to look at."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian's poppler-utils) is not installed")
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(path),
                    str(out.with_suffix(""))], check=True)
    return out


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def run_report(works, conflicts, output: Path, **extra):
    params = {"WORKS": works, "CONFLICTS": conflicts, "START_DATE": START.isoformat(),
              "END_DATE": END.isoformat(), "FORMAT": "pdf", "OUTPUT": str(output), **extra}
    return processing.run("situation_room:report", params)


def test_the_italian_report_has_the_map_the_tables_and_the_chart_of_the_period(
        provider, italian, prato_works, roads_uri, tmp_path):
    works = works_layer(prato_works)
    conflicts = detect(works, tmp_path)
    output = tmp_path / "rapporto.pdf"
    result = run_report(works, conflicts, output, ROADS=roads_uri)
    assert Path(result["OUTPUT"]) == output and output.exists()
    # Page 1 map, legend and summary; then works, conflicts, detours, streets cut off, bus routes; the chart.
    assert result["PAGE_COUNT"] == 7 == pdf_pages(output)
    assert result["WORK_COUNT"] == 3  # the resurfacing in July is outside the period
    text = pdf_text(output)
    for expected in ("Rapporto di coordinamento dei cantieri", "Riepilogo per ente", "Conflitti", "Deviazioni",
                     "Strade isolate", "Linee bus interessate", "Impatto giorno per giorno",
                     "Rete idrica via Cimabue", "Fibra via Cimabue", "Gas via Elio Danesi",
                     "Publiacqua", "Estracom", "Toscana Energia", "01/05/2016", "14/05/2016",
                     "© OpenStreetMap contributors (ODbL)", "Pagina 1 di 7", "Pagina 7 di 7"):
        assert expected in text, expected
    # The resurfacing in July is not on the street in the period: not among the works, but its dig-once
    # opportunity with the gas work of the period is among the conflicts.
    assert "Asfaltatura via Elio Danesi" not in pdf_text(output, 2)
    conflicts_page = pdf_text(output, 3)
    assert "Coordinamento" in conflicts_page and "Asfaltatura via Elio Danesi" in conflicts_page
    assert "a 50 giorni di distanza" in conflicts_page  # from 12 May to 1 July: dig once
    assert "Interferenza" in text and "Aperto" in text  # the clash, the room's decision
    # The clash of the two works on Via Cimabue, on the days they are both there.
    assert "06/05/2016 – 10/05/2016" in text
    assert "Comune di Prato" not in text.split("Riepilogo per ente")[1].split("Cantieri")[0]
    for page in (1, 3, 7):
        page_png(output, page, ARTIFACTS / "report_it" / f"rapporto_page{page}.png")


def test_every_table_of_the_report_has_its_csv_with_iso_dates_and_no_formula(
        provider, prato_works, roads_uri, tmp_path):
    prato_works[1].title = "=HYPERLINK(\"http://x\")"
    works = works_layer(prato_works)
    conflicts = detect(works, tmp_path)
    output = tmp_path / "report.pdf"
    result = run_report(works, conflicts, output, ROADS=roads_uri)
    names = sorted(Path(p).name for p in result["CSV_FILES"])
    assert names == sorted(f"report_{t}.csv" for t in ("organisations", "works", "conflicts", "detours", "cutoff",
                                                        "bus", "days"))
    rows = read_csv(tmp_path / "report_conflicts.csv")
    assert rows[0] == ["Kind", "Works", "Organisations", "From", "To", "Severity", "Decision", "Note"]
    clash = next(r for r in rows[1:] if r[0] == "Clash")
    assert "=HYPERLINK" in clash[1]
    assert clash[3:5] == ["2016-05-06", "2016-05-10"] and 0 < float(clash[5]) <= 100
    titles = [r[0] for r in read_csv(tmp_path / "report_works.csv")[1:]]
    assert "'=HYPERLINK(\"http://x\")" in titles  # no spreadsheet runs it
    days = read_csv(tmp_path / "report_days.csv")
    assert [r[0] for r in days[1:]] == [f"2016-05-{d:02d}" for d in range(1, 15)]
    by_day = {r[0]: r for r in days[1:]}
    assert by_day["2016-05-01"][1:3] == ["1", "1"] and by_day["2016-05-07"][1:4] == ["3", "2", "1"]
    assert float(by_day["2016-05-07"][4]) > 0  # the detours' extra metres from the engine
    owners = {r[0]: r for r in read_csv(tmp_path / "report_organisations.csv")[1:]}
    assert set(owners) == {"Publiacqua", "Estracom", "Toscana Energia"}
    assert owners["Publiacqua"][1:4] == ["1", "1", "10"] and owners["Estracom"][3] == "9"  # days within the period
    cutoff = read_csv(tmp_path / "report_cutoff.csv")[1:]
    danesi = {r[0]: r for r in cutoff if r[1] == "Gas via Elio Danesi"}
    assert {"Via Gino Pizzicori", "Via Mario Tronci"} <= set(danesi)  # the neighbourhood behind it
    assert danesi["Via Mario Tronci"][2:4] == ["2016-05-03", "2016-05-12"]  # one row for the whole closure
    assert len(cutoff) == len({(r[0], r[1]) for r in cutoff})


def test_the_html_report_is_one_file_with_the_map_and_every_table(provider, prato_works, tmp_path):
    works = works_layer(prato_works)
    conflicts = detect(works, tmp_path)
    result = run_report(works, conflicts, tmp_path / "report.html", FORMAT="html")
    html = Path(result["OUTPUT"]).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'src="data:image/png;base64,' in html
    for title in ("Summary per organisation", "Conflicts", "Detours", "Streets cut off", "Bus routes affected",
                  "Impact day by day"):
        assert f"<h2>{title}</h2>" in html
    assert html.count("<table") == 7 and "<svg" in html
    assert "<td>Rete idrica via Cimabue ↔ Fibra via Cimabue</td>" in html
    assert "2016-05-06 – 2016-05-10" in html  # English dates: ISO
    assert "Give the road network" not in html and "give the road network" in html  # no ROADS: said so
    assert "OpenStreetMap" not in html  # no OSM roads drawn


def test_a_long_conflicts_table_flows_over_more_pages(provider, shared_data, tmp_path):
    works = [street_work(shared_data, CIMABUE, f"Allaccio {i}", "publiacqua", START, END,
                         work_type="new_connection") for i in range(14)]  # 91 clashes between them
    layer = works_layer(works)
    result = run_report(layer, detect(layer, tmp_path), tmp_path / "many.pdf")
    assert result["CONFLICT_COUNT"] == 91
    assert result["PAGE_COUNT"] == pdf_pages(tmp_path / "many.pdf") >= 9  # the conflicts over 3 pages or more
    text = pdf_text(tmp_path / "many.pdf")
    assert "Conflicts (continued)" in pdf_text(tmp_path / "many.pdf", 4)
    assert text.count("Allaccio 12 ↔ Allaccio 13") + text.count("Allaccio 13 ↔ Allaccio 12") == 1


def test_a_report_names_the_dates_and_the_layer_that_cannot_make_one(provider, prato_works, tmp_path):
    works = works_layer(prato_works)
    with pytest.raises(QgsProcessingException, match="END_DATE 2016-04-01 is before START_DATE 2016-05-01"):
        run_report(works, detect(works, tmp_path), tmp_path / "r.pdf", END_DATE="2016-04-01")
    (tmp_path / "a_file").write_text("", encoding="utf-8")
    unwritable = re.escape(f"The report {tmp_path / 'a_file' / 'r.pdf'} could not be written")
    with pytest.raises(QgsProcessingException, match=unwritable):
        run_report(works, detect(works, tmp_path), tmp_path / "a_file" / "r.pdf")
    not_conflicts = QgsVectorLayer("Polygon?crs=EPSG:6707&field=name:string", "zone", "memory")
    with pytest.raises(QgsProcessingException, match="zone: not a conflicts layer, it has no field kind, uid_a"):
        run_report(works, not_conflicts, tmp_path / "r.pdf")


def test_the_site_sheet_is_one_page_with_the_work_its_conflicts_detour_and_map(
        provider, italian, prato_works, roads_uri, tmp_path):
    works = works_layer(prato_works)
    target = prato_works[0]
    output = tmp_path / "scheda.pdf"
    result = processing.run("situation_room:work_sheet", {"WORKS": works, "WORK_UID": target.uid,
                                                          "ROADS": roads_uri, "OUTPUT": str(output)})
    assert result["PAGE_COUNT"] == 1 == pdf_pages(output)
    assert result["CONFLICT_COUNT"] == 1  # the fibre work on the same street, on days together
    text = pdf_text(output)
    for expected in ("Scheda di cantiere: Rete idrica via Cimabue", "Publiacqua", "Fibra via Cimabue",
                     "Tipo di lavoro", "Scavo", "Strada chiusa", "PG/2016/118", "01/05/2016", "Deviazioni",
                     "© OpenStreetMap contributors (ODbL)"):
        assert expected in text, expected
    detours = read_csv(tmp_path / "scheda_detours.csv")
    assert len(detours) == 2 and detours[1][0] == "Rete idrica via Cimabue" and float(detours[1][6]) > 0
    page_png(output, 1, ARTIFACTS / "report_it" / "scheda.png")


def test_a_site_sheet_of_an_unknown_work_says_so(provider, prato_works, tmp_path):
    with pytest.raises(QgsProcessingException, match="WORK_UID: no valid work of WORKS has the uid 'nessuno'"):
        processing.run("situation_room:work_sheet", {"WORKS": works_layer(prato_works), "WORK_UID": "nessuno",
                                                     "OUTPUT": str(tmp_path / "s.pdf")})


# -- the dock's buttons ---------------------------------------------------------------------------------------


def wait_for(task, written: list, timeout_s: float = 60.0) -> None:
    import time

    from qgis.core import QgsApplication

    deadline = time.monotonic() + timeout_s
    while not written and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.02)
    assert task is not None and written, "the report task did not end"


def test_the_dock_writes_the_report_in_the_background_and_offers_to_open_it(
        provider, qgis_iface, prato_works, roads_uri, tmp_path):
    from qgis.PyQt.QtWidgets import QPushButton

    from situation_room_plugin.gui.report_actions import ReportRequest, start_report
    from situation_room_plugin.gui.tasks import TaskRunner

    bar = qgis_iface.messageBar()
    bar.clearWidgets()
    works = works_layer(prato_works)
    request = ReportRequest(works, tmp_path / "dock.pdf", detect(works, tmp_path), START, END,
                            roads=QgsVectorLayer(roads_uri, "roads", "ogr"))
    written: list = []
    task = start_report(qgis_iface, TaskRunner(), request, written.append)
    wait_for(task, written)
    assert written[0].output == tmp_path / "dock.pdf" and pdf_pages(written[0].output) == 7
    (item,) = bar.items()
    assert item.text() == f"Report written: {tmp_path / 'dock.pdf'}"
    assert [b.text() for b in item.findChildren(QPushButton)] == ["Open"]
    bar.clearWidgets()


def test_the_dock_writes_a_site_sheet_and_says_when_the_work_is_unknown(
        provider, qgis_iface, prato_works, tmp_path):
    from qgis.core import Qgis

    from situation_room_plugin.gui.report_actions import ReportRequest, start_work_sheet
    from situation_room_plugin.gui.tasks import TaskRunner

    bar = qgis_iface.messageBar()
    bar.clearWidgets()
    bar.clear_messages()  # pytest-qgis's bar keeps the pushed messages by level
    works = works_layer(prato_works)
    missing = start_work_sheet(qgis_iface, TaskRunner(), ReportRequest(works, tmp_path / "x.pdf", work_uid="nope"))
    assert missing is None
    assert bar.get_messages(Qgis.MessageLevel.Warning) == ["Situation Room:No valid work of works has the uid 'nope'."]
    written: list = []
    request = ReportRequest(works, tmp_path / "sheet.pdf", work_uid=prato_works[2].uid)
    wait_for(start_work_sheet(qgis_iface, TaskRunner(), request, written.append), written)
    assert pdf_pages(tmp_path / "sheet.pdf") == 1
    assert "Site sheet: Gas via Elio Danesi" in pdf_text(tmp_path / "sheet.pdf")
    assert bar.items()[0].text() == f"Site sheet written: {tmp_path / 'sheet.pdf'}"
    bar.clearWidgets()


def test_with_cap_s_timetable_the_report_lists_the_bus_routes_that_must_reroute(
        provider, prato_works, roads_uri, shared_data, tmp_path):
    roma = street_work(shared_data, "8054966", "Fognatura via Roma", "publiacqua", date(2016, 5, 3),
                       date(2016, 5, 5))  # a street CAP's buses drive along
    works = works_layer([*prato_works, roma])
    output = tmp_path / "bus.pdf"
    result = run_report(works, detect(works, tmp_path), output, ROADS=roads_uri,
                        GTFS=str(shared_data / "prato" / "cap_prato_gtfs_2016.zip"))
    bus = read_csv(tmp_path / "bus_bus.csv")
    assert bus[0] == ["Route", "Name", "From", "To", "Trips (first day)", "Stops skipped", "Extra metres"]
    assert bus[1:] and all(r[2:4] == ["2016-05-03", "2016-05-05"] for r in bus[1:])
    assert "Lam Rossa" in {r[0] for r in bus[1:]} and any(int(r[4]) > 0 for r in bus[1:])
    days = {r[0]: r for r in read_csv(tmp_path / "bus_days.csv")[1:]}
    assert int(days["2016-05-04"][-1]) > 0 and days["2016-05-06"][-1] == "0"  # bus trips affected, per day
    assert result["PAGE_COUNT"] == pdf_pages(output)
    routes = pdf_text(output, result["PAGE_COUNT"] - 1)
    assert all(r[0] in routes for r in bus[1:])


def test_a_period_without_works_gives_a_report_that_says_so(provider, prato_works, tmp_path):
    works = works_layer(prato_works)
    output = tmp_path / "empty.pdf"
    result = run_report(works, detect(works, tmp_path), output, START_DATE="2017-01-01", END_DATE="2017-01-31")
    assert result["WORK_COUNT"] == 0 and result["CONFLICT_COUNT"] == 0
    assert result["PAGE_COUNT"] == 7 == pdf_pages(output)
    text = pdf_text(output)
    assert "No work in this period." in text and "No conflict in this period." in text
    days = read_csv(tmp_path / "empty_days.csv")
    assert len(days) == 32 and {tuple(r[1:]) for r in days[1:]} == {("0", "0", "0")}


def test_a_detours_layer_of_detour_analysis_is_listed_per_work_and_drawn(provider, prato_works, roads_uri, tmp_path):
    works = works_layer(prato_works)
    detours = processing.run("situation_room:detour_analysis", {
        "ROADS": roads_uri, "WORKS": works, "DATE": "2016-05-04", "OUTPUT_DETOURS": "memory:"})["OUTPUT_DETOURS"]
    rows = {f["title"]: f for f in detours.getFeatures()}
    result = run_report(works, detect(works, tmp_path), tmp_path / "layer.html", FORMAT="html", DETOURS=detours)
    table = {r[0]: r for r in read_csv(tmp_path / "layer_detours.csv")[1:]}
    assert set(table) == set(rows) == {"Rete idrica via Cimabue", "Gas via Elio Danesi"}
    cimabue = table["Rete idrica via Cimabue"]
    assert cimabue[2:4] == ["", ""]  # the layer holds one day, and does not say which
    assert float(cimabue[6]) == pytest.approx(rows["Rete idrica via Cimabue"]["extra_m"], abs=0.001)
    assert table["Gas via Elio Danesi"][5] == "2"  # its two stretches have no way round
    html = Path(result["OUTPUT"]).read_text(encoding="utf-8")
    assert "<td>Gas via Elio Danesi</td><td>Toscana Energia</td>" in html


def test_a_site_sheet_with_more_conflicts_than_its_page_holds_sends_to_the_csv(provider, shared_data, tmp_path):
    works = [street_work(shared_data, CIMABUE, f"Allaccio {i}", "publiacqua", START, END,
                         work_type="new_connection") for i in range(14)]
    output = tmp_path / "sheet.pdf"
    result = processing.run("situation_room:work_sheet", {"WORKS": works_layer(works), "WORK_UID": works[0].uid,
                                                          "OUTPUT": str(output)})
    assert result["CONFLICT_COUNT"] == 13 and pdf_pages(output) == 1
    assert len(read_csv(tmp_path / "sheet_conflicts.csv")) == 14  # the header and every conflict
    text = pdf_text(output, layout=False)
    assert "... 10 more rows in sheet_conflicts.csv" in " ".join(text.split())  # NFKC: … is ..., a cell wraps
    assert text.count("Allaccio 0 ↔") == 3


def test_the_reports_tab_writes_the_report_of_its_period_and_the_sheet_of_the_selected_work(
        provider, qgis_iface, prato_works, tmp_path):
    import time

    from qgis.core import QgsApplication, QgsProject
    from qgis.PyQt.QtCore import QDate

    from situation_room_plugin.gui.reports_panel import ReportsPanel

    def wait_for_file(path):
        end = time.monotonic() + 60
        while not path.exists() and time.monotonic() < end:
            QgsApplication.processEvents()
            time.sleep(0.02)
        for _ in range(20):  # the status line is set once the task's callback has run
            QgsApplication.processEvents()
        return path.exists()

    works = works_layer(prato_works)
    conflicts = detect(works, tmp_path)
    QgsProject.instance().addMapLayers([works, conflicts])
    try:
        panel = ReportsPanel(qgis_iface)
        panel.works_combo.setLayer(works)
        panel.conflicts_combo.setLayer(conflicts)
        panel.start_edit.setDate(QDate(2016, 5, 1))
        panel.end_edit.setDate(QDate(2016, 5, 20))
        panel.format_combo.setCurrentIndex(panel.format_combo.findData("html"))
        assert panel.write_report(str(tmp_path / "room")) is not None  # the extension follows the format
        assert wait_for_file(tmp_path / "room.html")
        assert "Rete idrica via Cimabue" in (tmp_path / "room.html").read_text(encoding="utf-8")
        assert panel.write_sheet(str(tmp_path / "sheet.pdf")) is None  # nothing selected: it says so
        assert "Select one work" in panel.status.text()
        works.selectByIds([next(works.getFeatures()).id()])
        assert panel.write_sheet(str(tmp_path / "sheet")) is not None
        assert wait_for_file(tmp_path / "sheet.pdf") and pdf_pages(tmp_path / "sheet.pdf") == 1
    finally:
        QgsProject.instance().removeMapLayers([works.id(), conflicts.id()])
