"""The zip QGIS's "Install from ZIP" accepts, installed into an empty profile and run by qgis_process."""

from __future__ import annotations

import configparser
import json
import sqlite3
import subprocess
import zipfile

from tests.e2e.conftest import qgis_env
from tests.qgis.conftest import feature, square_lonlat, write_geojson

QGIS_PROCESS = "qgis_process.bin"  # Debian's qgis_process wrapper adds a flag 3.22 rejects


def test_the_zip_has_one_plugin_folder_with_metadata_translations_and_resources(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as zf:
        names = zf.namelist()
        metadata_text = zf.read("situation_room_plugin/metadata.txt").decode()
    assert {name.split("/")[0] for name in names} == {"situation_room_plugin"}
    for required in ("situation_room_plugin/__init__.py", "situation_room_plugin/metadata.txt",
                     "situation_room_plugin/i18n/situation_room_it.qm",
                     "situation_room_plugin/resources/icons/situation_room.svg",
                     "situation_room_plugin/resources/styles/works.qml",
                     "situation_room_plugin/resources/styles/conflicts.qml"):
        assert required in names
    assert not [n for n in names if "/screenshots/" in n]  # the README's pictures stay in the repository
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    metadata = configparser.ConfigParser()
    metadata.read_string(metadata_text)
    general = metadata["general"]
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["hasProcessingProvider"] == "yes" and general["supportsQt6"] == "True"
    for key in ("description", "about", "tags", "homepage", "tracker", "repository", "version", "author", "email"):
        assert general[key].strip(), key


def test_qgis_process_lists_the_algorithm_of_the_installed_plugin(installed_profile):
    result = subprocess.run([QGIS_PROCESS, "list"], capture_output=True, text=True, timeout=120,
                            env=qgis_env(installed_profile, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stderr
    assert "situation_room:validate_works" in result.stdout


def test_qgis_process_runs_validate_works_on_a_file(installed_profile, tmp_path):
    good = {"title": "Scavo Publiacqua via Roma", "owner": "publiacqua", "work_type": "excavation",
            "start_date": "2026-09-01", "end_date": "2026-09-12"}
    source = write_geojson(tmp_path / "in.geojson", [
        feature(square_lonlat(11.096, 43.880), **good),
        feature(square_lonlat(11.097, 43.881), **{**good, "title": "Rovescio", "end_date": "2026-08-01"}),
    ])
    out, report = tmp_path / "valid.gpkg", tmp_path / "problems.csv"
    result = subprocess.run(
        [QGIS_PROCESS, "run", "situation_room:validate_works", "--json", "--",
         f"INPUT={source}", f"OUTPUT={out}", f"REPORT={report}"],
        capture_output=True, text=True, timeout=120, env=qgis_env(installed_profile, QT_QPA_PLATFORM="offscreen"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads(result.stdout[result.stdout.index("{"):])["results"]
    assert results["VALID_COUNT"] == 1 and results["INVALID_COUNT"] == 1
    rows = sqlite3.connect(out).execute("SELECT title, owner FROM valid").fetchall()
    assert rows == [("Scavo Publiacqua via Roma", "publiacqua")]
    problems = report.read_text(encoding="utf-8")
    assert "Rovescio" in problems and "end_before_start" in problems
