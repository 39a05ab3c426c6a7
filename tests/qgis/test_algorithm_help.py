"""What a technician reads before running an algorithm: plain-text help (qgis_process prints it as it is),
help on every parameter, the tuning knobs among the advanced parameters, only the main result required, and
a date that is not YYYY-MM-DD refused by name."""

from __future__ import annotations

import re

import processing
import pytest
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterDefinition,
)

from tests.qgis.test_algorithm_cases import CASES

CASE_DATA = CASES / "data"

#: The dialog renders help as HTML and qgis_process prints it raw: no tags, no entities, no bare angle brackets.
HTML_TAG = re.compile(r"[<>]|&[a-z#0-9]+;")

#: The parameters whose defaults suit most runs: in the dialog's "Advanced parameters".
ADVANCED = {
    "validate_works": set(),
    "add_works_to_store": {"STORE"},
    "detect_conflicts": {"DISTANCE", "OPPORTUNITY_DAYS", "CAPACITY_FIELD", "STORE", "INCLUDE_INACTIVE"},
    "suggest_schedule": {"DISTANCE"},
    "osm_places": set(),
    "detour_analysis": set(),
    "impact_timeline": set(),
    "network_criticality": set(),
    "import_feed": {"IDLE_TIMEOUT", "TOTAL_TIMEOUT", "MAX_MB"},
    "refresh_sources": {"SOURCES", "DUE_ONLY"},
    "export_wzdx": set(),
    "export_cifs": set(),
    "report": set(),
    "work_sheet": set(),
    "sync": set(),
    "publish_results": set(),
}

#: The outputs one must give: the main result; the others are optional.
REQUIRED_OUTPUTS = {
    "validate_works": {"OUTPUT"},
    "add_works_to_store": set(),
    "detect_conflicts": {"OUTPUT"},
    "suggest_schedule": {"OUTPUT"},
    "osm_places": set(),
    "detour_analysis": {"OUTPUT_DETOURS"},
    "impact_timeline": {"OUTPUT"},
    "network_criticality": {"OUTPUT"},
    "import_feed": {"OUTPUT"},
    "refresh_sources": set(),
    "export_wzdx": {"OUTPUT"},
    "export_cifs": {"OUTPUT"},
    "report": {"OUTPUT"},
    "work_sheet": {"OUTPUT"},
    "sync": set(),
    "publish_results": set(),
}


def algorithms(provider):
    return sorted(provider.algorithms(), key=lambda a: a.name())


def test_the_help_of_every_algorithm_is_plain_text_in_paragraphs(provider):
    for algorithm in algorithms(provider):
        text = algorithm.shortHelpString()
        assert text and not HTML_TAG.search(text), algorithm.name()
        assert all(line.strip() for line in text.split("\n")), f"{algorithm.name()}: an empty paragraph"


def test_the_italian_help_is_plain_text_too(provider):
    from situation_room_plugin.toolbelt.i18n import install_translator, remove_translator

    translator = install_translator("it")
    assert translator is not None, "compile the translations first: tools/i18n.py release"
    try:
        for algorithm in (a.create() for a in algorithms(provider)):  # parameters made in Italian
            assert not HTML_TAG.search(algorithm.shortHelpString()), algorithm.name()
            for parameter in algorithm.parameterDefinitions():
                assert not HTML_TAG.search(parameter.help()), f"{algorithm.name()} {parameter.name()}"
        detours = provider.algorithm("detour_analysis").create()
        assert detours.shortHelpString().startswith("I cantieri presenti in strada alla data DATE")
        assert "AAAA-MM-GG" in detours.parameterDefinition("DATE").help()
    finally:
        remove_translator(translator)


def test_every_parameter_has_help(provider):
    missing = [f"{a.name()}:{p.name()}" for a in algorithms(provider) for p in a.parameterDefinitions()
               if not p.help().strip() or HTML_TAG.search(p.help())]
    assert missing == []


def test_the_tuning_knobs_are_advanced_parameters(provider):
    flag = QgsProcessingParameterDefinition.Flag.FlagAdvanced
    advanced = {a.name(): {p.name() for p in a.parameterDefinitions() if p.flags() & flag}
                for a in algorithms(provider)}
    assert advanced == ADVANCED


def test_only_the_main_result_is_a_required_output(provider):
    optional = QgsProcessingParameterDefinition.Flag.FlagOptional
    required = {a.name(): {p.name() for p in a.destinationParameterDefinitions() if not p.flags() & optional}
                for a in algorithms(provider)}
    assert required == REQUIRED_OUTPUTS


@pytest.mark.parametrize("value", ["10/12/2026", "3 May", "2026-02-30", "20261210"])
def test_a_date_that_is_not_iso_is_refused_naming_the_parameter_and_the_format(provider, value):
    algorithm = provider.algorithm("impact_timeline")
    works = str(CASE_DATA / "works_prato_closures.geojson")
    ok, message = algorithm.checkParameterValues(
        {"ROADS": works, "WORKS": works, "START_DATE": "2016-05-01", "END_DATE": value, "OUTPUT": "memory:"},
        QgsProcessingContext())
    assert not ok and message == f"END_DATE: '{value}' is not a date (expected YYYY-MM-DD)"


def test_an_iso_date_passes_the_check(provider):
    algorithm = provider.algorithm("impact_timeline")
    works = str(CASE_DATA / "works_prato_closures.geojson")
    ok, message = algorithm.checkParameterValues(
        {"ROADS": works, "WORKS": works, "START_DATE": "2016-05-01", "END_DATE": "2016-05-03", "OUTPUT": "memory:"},
        QgsProcessingContext())
    assert ok, message


def test_a_csv_destination_given_as_an_output_definition_writes_numbers_unquoted(provider, tmp_path):
    out = tmp_path / "dates.csv"
    processing.run("situation_room:suggest_schedule", {
        "WORKS": str(CASE_DATA / "works_via_roma.geojson"), "WORK_UID": "2c4e28ba-2fa1-11d2-883f-0016d3cca427",
        "OUTPUT": QgsProcessingOutputLayerDefinition(str(out)),
    })
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["start_date,end_date,clashes,score,reason",
                         "2026-09-21,2026-09-25,0,0,No clash with other works. 11 days after the planned start."]
    clashing = next(line for line in lines if line.startswith("2026-09-10,"))
    assert re.fullmatch(r"2026-09-10,2026-09-14,1,[0-9.]+,.*Acqua via Roma.*", clashing), clashing


def test_the_dialog_shows_the_help_in_paragraphs_parameter_help_as_tooltips_and_knobs_under_advanced(
    provider, qgis_iface, monkeypatch
):
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.gui import QgsBrowserGuiModel
    from qgis.PyQt.QtWidgets import QGroupBox, QLabel, QTextBrowser

    model = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: model)  # the stand-in iface has none; the panel needs one
    dialog = AlgorithmDialog(provider.algorithm("detect_conflicts").create(), parent=None)
    try:
        help_html = dialog.findChild(QTextBrowser, "textShortHelp").toHtml()
        assert help_html.count("<p ") == len(provider.algorithm("detect_conflicts").shortHelpString().split("\n"))
        assert "&lt;" not in help_html  # nothing shown as a raw tag
        labels = {label.text(): label for label in dialog.findChildren(QLabel)}
        assert "Footprints closer than this clash" in labels["Distance (metres)"].toolTip()
        advanced = dialog.findChild(QGroupBox, "grpAdvanced")
        inside = {label.text() for label in advanced.findChildren(QLabel)}
        assert {"Distance (metres)", "Opportunity window (days)"} <= inside and "Works layer" not in inside
    finally:
        dialog.deleteLater()
