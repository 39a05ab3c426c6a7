"""`make demo` headless, end to end: the platform and the feeds on 127.0.0.1, qgis_process through every step,
a PDF and an HTML coordination report in Italian of the conflicts and detours on Prato streets, exports that
validate against the official schemas; run a second time, the same figures and the same store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import ROOT
from tests.qgis.test_reports import page_png, pdf_text
from tests.unit.export_helpers import cifs_schema
from tests.wzdx_fixtures import schema_validator

TODAY = "2027-03-10"
pytestmark = pytest.mark.slow


def run_demo(folder, port) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DISPLAY"}
    env.update(DEMO_TODAY=TODAY, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "tools.demo.run", "--headless", "--dir", str(folder),
                           "--port", str(port)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


def store_rows(path):
    conn = sqlite3.connect(path)
    try:
        works = conn.execute("SELECT uid, owner, title, work_type, traffic_impact, start_date, end_date, revision, "
                             "updated_at, source FROM works ORDER BY uid").fetchall()
        decisions = conn.execute("SELECT conflict_id, kind, uid_a, uid_b, status FROM conflict_decisions "
                                 "ORDER BY conflict_id").fetchall()
    finally:
        conn.close()
    return works, decisions


@pytest.fixture(scope="module")
def demo(prato_data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    port = _free_port()
    first = run_demo(folder, port)
    figures = json.loads((folder / "out" / "figures.json").read_text())
    stored = store_rows(folder / "store.gpkg")
    second = run_demo(folder, port)
    return {"folder": folder, "first": first, "second": second, "figures": figures, "stored": stored}



def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_step_prints_its_figures_and_the_demo_ends_with_where_the_reports_are(demo):
    out = demo["first"]
    for number in range(1, 10):
        assert f"[{number}/9]" in out
    assert "works per source: estracom 2, platform 10, toscana_energia 3" in out
    assert "this run: added 15, updated 0, unchanged 0" in out
    assert "situation_room:sync is not registered in this plugin yet: nothing was pushed" in out
    assert "Platform stopped." in out
    assert out.strip().splitlines()[-4].strip().endswith("rapporto_coordinamento.pdf")
    figures = demo["figures"]
    kinds = figures["conflicts"]["conflicts by kind"]
    assert kinds["clash"] >= 1 and kinds["opportunity"] >= 1 and kinds["moratorium"] >= 1 and kinds["sensitive"] >= 1
    detours = figures["detours"]
    assert detours["detours"] >= 1 and detours["road pieces cut off"] >= 1
    assert detours["bus routes to reroute"] >= 1 and detours["bus trips affected"] > 0  # the re-dated GTFS
    assert figures["timeline"]["days"] == 60 and figures["timeline"]["days with closures"] > 0


def test_a_second_run_finds_the_same_and_changes_nothing_in_the_store(demo):
    assert "the demo folder of this sample is reused" in demo["second"]
    assert "0 works seeded (all already there)" in demo["second"]
    assert "this run: added 0, updated 0, unchanged 15" in demo["second"]
    again = json.loads((demo["folder"] / "out" / "figures.json").read_text())
    assert again == demo["figures"]
    assert store_rows(demo["folder"] / "store.gpkg") == demo["stored"]


def test_the_store_holds_the_sample_as_the_three_feeds_carried_it(demo, qgis_app):
    from tools.demo import prato, seed

    data = prato.prato_folder()
    graph = prato.road_graph(prato.read_roads(data / "prato_roads.gpkg"))
    sample = seed.generate(graph, prato.read_schools(data / "prato.osm.pbf"), date.fromisoformat(TODAY))
    works, _ = demo["stored"]
    stored = {row[0]: row for row in works}
    assert set(stored) == {w.uid for w in sample.works}
    for work in sample.works:
        row = stored[work.uid]
        assert row[1:5] == (work.owner, work.title, work.work_type, work.traffic_impact), work.title
        assert (row[5][:10], row[6][:10]) == (work.start_date.isoformat(), work.end_date.isoformat()), work.title


def test_the_exports_validate_against_the_official_schemas(demo, prato_data):
    from lxml import etree

    feed = json.loads((demo["folder"] / "out" / "wzdx.geojson").read_text())
    assert list(schema_validator(prato_data).iter_errors(feed)) == []
    assert len(feed["features"]) >= 14
    schema = cifs_schema(prato_data)
    root = etree.parse(str(demo["folder"] / "out" / "cifs.xml"))
    assert schema.validate(root), schema.error_log


def test_the_reports_are_in_italian_with_the_conflicts_and_detours_on_prato_streets(demo):
    out = demo["folder"] / "out"
    text = pdf_text(out / "rapporto_coordinamento.pdf")
    for expected in ("Rapporto di coordinamento dei cantieri", "Riepilogo per ente", "Interferenza",
                     "Coordinamento", "Divieto di", "Luogo sensibile", "Deviazioni", "Strade isolate",
                     "Linee bus interessate", "Rinnovo rete idrica — Via", "Publiacqua", "Toscana Energia",
                     "Impatto giorno per giorno"):
        assert expected in text, expected
    html = (out / "rapporto_coordinamento.html").read_text(encoding="utf-8")
    for expected in ("Rapporto di coordinamento dei cantieri", "Interferenza", "Deviazioni", "Strade isolate"):
        assert expected in html, expected
    # the places a conflict names, with their kind in Italian
    assert "(scuola)" in html and "(strada protetta)" in html
    for english in ("(school)", "(bus_stop)", "(protected)", "↔ kindergarten"):
        assert english not in html and english not in text, english
    artifacts = ROOT / "tests" / "artifacts" / "demo"
    artifacts.mkdir(parents=True, exist_ok=True)
    assert page_png(out / "rapporto_coordinamento.pdf", 1, artifacts / "demo_report_page1.png").stat().st_size > 0
