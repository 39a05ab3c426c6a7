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
    assert "Platform stopped." in out
    assert out.strip().splitlines()[-4].strip().endswith("rapporto_coordinamento.pdf")
    figures = demo["figures"]
    kinds = figures["conflicts"]["conflicts by kind"]
    assert kinds["clash"] >= 1 and kinds["opportunity"] >= 1 and kinds["moratorium"] >= 1 and kinds["sensitive"] >= 1
    detours = figures["detours"]
    assert detours["detours"] >= 1 and detours["road pieces cut off"] >= 1
    assert detours["bus routes to reroute"] >= 1 and detours["bus trips affected"] > 0  # the re-dated GTFS
    assert figures["timeline"]["days"] == 60 and figures["timeline"]["days with closures"] > 0


def publish_changes(out: str) -> dict[str, int]:
    """The sync step's "this run:" line: what publishing (and the pull after it) did, by name."""
    step = out[out.index("[9/9]"):]
    line = next(text for text in step.splitlines() if text.strip().startswith("this run:"))
    counts = [part.strip().rsplit(" ", 1) for part in line.split("this run:")[1].split(",")]
    return {name: int(value) for name, value in counts}


def platform_rows(folder, layer: str) -> dict[str, dict]:
    """A published layer read back from the platform's WFS by an independent client, with the user of another
    organisation (the results are for everyone to read); the platform is started again on the demo's data."""
    import requests

    from tests.platform.conftest import server

    users = dict(line.split(" ", 1) for line in (folder / "platform" / "users.txt").read_text().splitlines())
    with server.running(folder / "platform", folder / "platform" / "acl.json", "gpkg", _free_port()) as platform:
        answer = requests.get(platform.wfs_url.split("?")[0], params={
            "SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": layer,
            "OUTPUTFORMAT": "GeoJSON"}, auth=("publiacqua", users["publiacqua"]), timeout=60)
    answer.raise_for_status()
    return {f["properties"]["conflict_id"]: f["properties"] for f in answer.json()["features"]}


def test_the_comune_publishes_the_conflicts_and_detours_and_a_second_run_publishes_nothing_new(demo, qgis_app):
    first, second = publish_changes(demo["first"]), publish_changes(demo["second"])
    figures = demo["figures"]
    conflicts = sum(figures["conflicts"]["conflicts by kind"].values())
    assert first["conflicts inserted"] == conflicts and first["detours inserted"] == figures["detours"]["detours"]
    assert figures["sync"]["published on the platform"] == {"conflicts": conflicts,
                                                            "detours": figures["detours"]["detours"]}
    assert figures["sync"]["refused"] == 0
    assert second["conflicts inserted"] == second["detours inserted"] == 0
    assert second["conflicts updated"] == second["detours updated"] == 0
    assert second["conflicts withdrawn"] == second["detours withdrawn"] == 0
    assert (second["conflicts unchanged"], second["detours unchanged"]) == (first["conflicts inserted"],
                                                                            first["detours inserted"])
    conn = sqlite3.connect(demo["folder"] / "out" / "conflicts.gpkg")
    try:
        table = conn.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
        mine = dict(conn.execute(f'SELECT conflict_id, kind FROM "{table}"').fetchall())
    finally:
        conn.close()
    on_platform = platform_rows(demo["folder"], "published_conflicts")
    assert {cid: row["kind"] for cid, row in on_platform.items()} == mine
    assert {row["owner"] for row in on_platform.values()} == {"comune"}
    assert {row["revision"] for row in on_platform.values()} == {1}  # published once, the second run changed none
    assert not any(row["deleted"] for row in on_platform.values())


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
