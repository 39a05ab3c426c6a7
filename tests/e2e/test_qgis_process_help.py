"""What qgis_process.bin prints of the installed plugin: help a terminal reads (no raw HTML, every parameter
explained), errors that say what to type, only the main output required, CSV numbers unquoted."""

from __future__ import annotations

import json
import re
import subprocess

from tests.conftest import ROOT
from tests.e2e.conftest import qgis_env

QGIS_PROCESS = "qgis_process.bin"  # Debian's qgis_process wrapper adds a flag 3.22 rejects
WORKS = ROOT / "tests" / "qgis" / "algorithm_cases" / "data" / "works_prato_closures.geojson"


def qgis_process(profile, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True, timeout=300,
                          env=qgis_env(profile, QT_QPA_PLATFORM="offscreen"))


def test_the_help_of_detect_conflicts_reads_as_plain_text_with_every_parameter_explained(installed_profile):
    result = qgis_process(installed_profile, "help", "situation_room:detect_conflicts")
    assert result.returncode == 0, result.stdout + result.stderr
    description, rest = result.stdout.split("Description\n")[1].split("Arguments\n")
    arguments = rest.split("Outputs\n")[0]  # (the Outputs section has QGIS's own <outputVector>)
    assert not re.search(r"</?[a-zA-Z]+[^>]*>", description + arguments), description  # no raw <b>, <br>
    assert "\n- clash: footprints within DISTANCE metres" in description  # the help's list, one item a line
    # every parameter is followed by its help line, before its "Argument type"
    for name in ("WORKS", "DISTANCE", "OPPORTUNITY_DAYS", "PROTECTED", "SENSITIVE", "PARKING", "CAPACITY_FIELD",
                 "ROADS", "STORE", "INCLUDE_INACTIVE", "OUTPUT", "PARKING_DAYS", "REPORT"):
        block = re.search(rf"^{name}: [^\n]*\n\t([^\n]*)\n\tArgument type:", arguments, re.MULTILINE)
        assert block and len(block.group(1)) > 20, f"{name} has no help line:\n{arguments}"
    assert "\tFootprints closer than this clash" in arguments


def test_the_json_help_marks_the_tuning_knobs_advanced_and_carries_each_parameters_help(installed_profile):
    result = qgis_process(installed_profile, "--json", "help", "situation_room:detect_conflicts")
    assert result.returncode == 0, result.stdout + result.stderr
    parameters = json.loads(result.stdout[result.stdout.index("{"):])["parameters"]
    advanced = {name for name, p in parameters.items() if p["is_advanced"]}
    assert advanced == {"DISTANCE", "OPPORTUNITY_DAYS", "CAPACITY_FIELD", "STORE", "INCLUDE_INACTIVE"}
    assert all(p["raw_definition"]["help"] for p in parameters.values())


def test_a_date_that_is_not_iso_is_named_with_the_format_to_use(installed_profile, tmp_path):
    result = qgis_process(installed_profile, "run", "situation_room:detour_analysis", "--", f"ROADS={WORKS}",
                          f"WORKS={WORKS}", "DATE=10/12/2026", f"OUTPUT_DETOURS={tmp_path / 'detours.gpkg'}")
    assert result.returncode != 0
    assert "DATE: '10/12/2026' is not a date (expected YYYY-MM-DD)" in result.stderr, result.stderr
    assert "Incorrect parameter value" not in result.stderr


def test_refresh_sources_without_a_project_says_to_give_project(installed_profile):
    result = qgis_process(installed_profile, "run", "situation_room:refresh_sources")
    assert result.returncode != 0
    assert "give PROJECT=path/to/project.qgs" in result.stdout + result.stderr
    assert "dock" not in result.stdout + result.stderr


def test_detours_alone_and_a_csv_timeline_with_numbers_from_qgis_process(installed_profile, tmp_path,
                                                                          shared_data):
    roads = shared_data / "prato" / "prato_roads.gpkg"
    detours = qgis_process(installed_profile, "run", "situation_room:detour_analysis", "--", f"ROADS={roads}",
                           f"WORKS={WORKS}", "DATE=2016-05-03", f"OUTPUT_DETOURS={tmp_path / 'detours.gpkg'}")
    assert detours.returncode == 0, detours.stdout + detours.stderr
    assert "DETOUR_COUNT:\t3" in detours.stdout and not (tmp_path / "cutoff.gpkg").exists()

    days = tmp_path / "days.csv"
    timeline = qgis_process(installed_profile, "run", "situation_room:impact_timeline", "--", f"ROADS={roads}",
                            f"WORKS={WORKS}", "START_DATE=2016-04-30", "END_DATE=2016-05-02", f"OUTPUT={days}")
    assert timeline.returncode == 0, timeline.stdout + timeline.stderr
    lines = days.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,closures,extra_m_total,cutoff_edges,bus_trips_affected"
    assert lines[1] == "2016-04-30,0,0,0,0"
    assert re.fullmatch(r"2016-05-01,2,[0-9]+\.[0-9]+,[0-9]+,0", lines[2]), lines
