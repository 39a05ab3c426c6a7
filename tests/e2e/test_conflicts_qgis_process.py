"""detect_conflicts, suggest_schedule and osm_places from qgis_process.bin, with the plugin installed from its
zip into an empty profile: the headless way a city's scripts run them."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest

from tests.e2e.conftest import qgis_env
from tests.qgis.conftest import feature, square_lonlat, write_geojson

QGIS_PROCESS = "qgis_process.bin"  # Debian's qgis_process wrapper adds a flag 3.22 rejects

BASE = {"owner": "publiacqua", "work_type": "excavation", "status": "planned",
        "traffic_impact": "all-lanes-closed"}


def run(profile, algorithm: str, *params: str) -> dict:
    result = subprocess.run([QGIS_PROCESS, "run", algorithm, "--json", "--", *params], capture_output=True,
                            text=True, timeout=180, env=qgis_env(profile, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout[result.stdout.index("{"):])["results"]


@pytest.fixture
def works_file(tmp_path):
    return write_geojson(tmp_path / "works.geojson", [
        feature(square_lonlat(11.0960, 43.8800), uid="1b4e28ba-2fa1-11d2-883f-0016d3cca427", title="Acqua via Roma",
                start_date="2026-09-01", end_date="2026-09-20", **BASE),
        feature(square_lonlat(11.0961, 43.8801), uid="2c4e28ba-2fa1-11d2-883f-0016d3cca427", title="Fibra via Roma",
                start_date="2026-09-10", end_date="2026-09-14", earliest_start="2026-09-01",
                latest_end="2026-10-31", **{**BASE, "owner": "estracom"}),
    ])


def test_qgis_process_detects_conflicts_and_keeps_decisions_in_the_store(installed_profile, works_file, tmp_path):
    store, out = tmp_path / "project.gpkg", tmp_path / "conflicts.gpkg"
    results = run(installed_profile, "situation_room:detect_conflicts", f"WORKS={works_file}", f"STORE={store}",
                  f"OUTPUT={out}")
    assert results["CLASH_COUNT"] == 1
    (row,) = sqlite3.connect(out).execute("SELECT kind, uid_a, uid_b, status FROM conflicts").fetchall()
    assert row == ("clash", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "2c4e28ba-2fa1-11d2-883f-0016d3cca427", "open")
    decisions = sqlite3.connect(store).execute("SELECT kind, status FROM conflict_decisions").fetchall()
    assert decisions == [("clash", "open")]


def test_qgis_process_suggests_a_schedule(installed_profile, works_file, tmp_path):
    out = tmp_path / "dates.gpkg"
    results = run(installed_profile, "situation_room:suggest_schedule", f"WORKS={works_file}",
                  "WORK_UID=2c4e28ba-2fa1-11d2-883f-0016d3cca427", f"OUTPUT={out}")
    assert results["CANDIDATES"] == 57  # a 5-day work in September and October
    first = sqlite3.connect(out).execute("SELECT start_date, clashes, reason FROM dates ORDER BY fid").fetchone()
    assert first[0] == "2026-09-21" and first[1] == 0 and first[2].startswith("No clash")


def test_qgis_process_reads_sensitive_places_from_prato_osm(installed_profile, shared_data, tmp_path):
    results = run(installed_profile, "situation_room:osm_places", f"INPUT={shared_data / 'prato' / 'prato.osm.pbf'}",
                  f"SENSITIVE_POINTS={tmp_path / 'points.gpkg'}", f"SENSITIVE_AREAS={tmp_path / 'areas.gpkg'}",
                  f"PARKING={tmp_path / 'parking.gpkg'}")
    assert results["SENSITIVE_POINTS_COUNT"] > 500 and results["PARKING_COUNT"] > 300
