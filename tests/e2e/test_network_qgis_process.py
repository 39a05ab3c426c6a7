"""The network algorithms of the installed plugin run by qgis_process.bin on Prato's roads and bus network."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid
from datetime import date

import shapely
import shapely.ops

from situation_room_plugin.core.works import Work
from situation_room_plugin.qgis_io.road_tables import read_road_lines
from situation_room_plugin.qgis_io.store import Store
from tests.e2e.conftest import qgis_env

QGIS_PROCESS = "qgis_process.bin"


def run(profile, algorithm: str, **parameters: str) -> dict:
    result = subprocess.run(
        [QGIS_PROCESS, "run", algorithm, "--json", "--", *(f"{k}={v}" for k, v in parameters.items())],
        capture_output=True, text=True, timeout=300, env=qgis_env(profile, QT_QPA_PLATFORM="offscreen"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout[result.stdout.index("{"):])["results"]


def test_qgis_process_runs_detour_analysis_timeline_and_criticality_on_prato(installed_profile, tmp_path,
                                                                               shared_data):
    roads = shared_data / "prato" / "prato_roads.gpkg"
    lines = read_road_lines(roads)
    works = []
    for osm_id, title in (("30353076", "Via Cimabue"), ("30353661", "Via Elio Danesi")):
        line = lines.geometries[lines.column("osm_id").index(osm_id)]
        piece = shapely.ops.substring(line, 0.3, 0.7, normalized=True)
        works.append(Work(uid=str(uuid.uuid4()), title=title, owner="publiacqua", work_type="excavation",
                          status="authorized", start_date=date(2016, 5, 1), end_date=date(2016, 5, 10),
                          traffic_impact="all-lanes-closed",
                          geometry=shapely.MultiPolygon([shapely.buffer(piece, 4, cap_style="flat")])))
    store = tmp_path / "works.gpkg"
    with Store.open(store) as s:
        s.write_works(works)
    works_uri = f"{store}|layername=works"

    detours = run(installed_profile, "situation_room:detour_analysis", ROADS=str(roads), WORKS=works_uri,
                  DATE="2016-05-03", GTFS=str(shared_data / "prato" / "cap_prato_gtfs_2016.zip"),
                  OUTPUT_DETOURS=str(tmp_path / "detours.gpkg"), OUTPUT_CUTOFF=str(tmp_path / "cutoff.gpkg"),
                  OUTPUT_BUS=str(tmp_path / "bus.gpkg"))
    assert detours["DETOUR_COUNT"] == 3 and detours["NO_DETOUR_COUNT"] == 2 and detours["CUTOFF_COUNT"] > 10
    rows = sqlite3.connect(tmp_path / "detours.gpkg").execute(
        "SELECT work_uid, status, extra_m FROM detours WHERE status = 'ok'").fetchall()
    assert [(uid, status) for uid, status, _ in rows] == [(works[0].uid, "ok")] and rows[0][2] > 0

    timeline = run(installed_profile, "situation_room:impact_timeline", ROADS=str(roads), WORKS=works_uri,
                   START_DATE="2016-04-30", END_DATE="2016-05-11", OUTPUT=str(tmp_path / "days.gpkg"),
                   OUTPUT_INTERACTIONS=str(tmp_path / "pairs.gpkg"))
    assert timeline["DAY_COUNT"] == 12
    closures = [n for (n,) in sqlite3.connect(tmp_path / "days.gpkg").execute(
        "SELECT closures FROM days ORDER BY date")]
    assert closures == [0] + [2] * 10 + [0]

    critical = run(installed_profile, "situation_room:network_criticality", ROADS=str(roads),
                   OUTPUT=str(tmp_path / "critical.gpkg"))
    assert critical["EDGE_COUNT"] > 10000 and 0 < critical["NO_ALTERNATIVE_COUNT"] < critical["EDGE_COUNT"]
