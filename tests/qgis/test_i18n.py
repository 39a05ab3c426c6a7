"""The Italian translation is complete: every string marked in the code has a finished Italian text."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qgis.PyQt.QtCore import QCoreApplication

from situation_room_plugin.toolbelt import i18n
from tests.conftest import ROOT

PACKAGE = ROOT / "situation_room_plugin"
TS = ROOT / "i18n" / "situation_room_it.ts"
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_strings() -> set[tuple[str, str]]:
    """(context, text) of every tr(), translate() and QT_TRANSLATE_NOOP() call with literal text, read from the AST
    (independently of pylupdate5, so that a call it would miss fails here)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = [_literal(a) for a in node.args]
            if name == "tr" and args and args[0] is not None:
                found.add(("@default", args[0]))
            elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2 and None not in args[:2]:
                found.add((args[0], args[1]))
    return found


def test_tr_is_called_as_a_function_not_as_a_method():
    # pylupdate5 files `x.tr("...")` under the enclosing class's context, where the runtime never looks.
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "tr":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def translations() -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(TS).getroot()
    return {
        (ctx.findtext("name"), msg.findtext("source")): msg.find("translation")
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_every_marked_string_has_a_finished_italian_translation():
    known = translations()
    marked = marked_strings()
    assert len(marked) > 50
    missing = sorted(text for key in marked if (el := known.get(key)) is None or el.get("type") or not el.text
                     for text in [f"{key[0]}: {key[1]}"])
    assert missing == [], "untranslated (run tools/i18n.py update, missing, merge):\n" + "\n".join(missing)


def test_translations_keep_every_placeholder():
    for (_context, source), element in translations().items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(element.text or "")), source


def test_every_problem_message_is_translated():
    from situation_room_plugin.core.problems import CONTEXT, TEMPLATES

    known = translations()
    assert [code for code, text in TEMPLATES.items() if (CONTEXT, text) not in known] == []


@pytest.fixture
def italian():
    qm = PACKAGE / "i18n" / "situation_room_it.qm"
    if not qm.exists():
        pytest.fail(f"{qm} is not built: run `python tools/i18n.py release` (make test does)")
    translator = i18n.install_translator("it")
    assert translator is not None
    yield
    i18n.remove_translator(translator)


def test_the_dock_speaks_italian_under_an_italian_locale(italian, qgis_iface):
    from qgis.PyQt.QtWidgets import QGroupBox, QPushButton

    from situation_room_plugin.gui.dock import SituationRoomDock

    dock = SituationRoomDock(qgis_iface)
    try:
        assert dock.tabs.tabText(0) == "Cantieri"
        titles = {box.title() for box in dock.findChildren(QGroupBox)}
        assert {"Archivio del progetto", "Cantieri per stato"} <= titles
        buttons = {button.text() for button in dock.findChildren(QPushButton)}
        assert "Valida un layer di cantieri…" in buttons
    finally:
        dock.deleteLater()


def test_problem_messages_are_shown_in_italian(italian):
    from situation_room_plugin.core.problems import Problem

    problem = Problem("feature 3", "end_date", "end_before_start",
                      params={"start_date": "2026-05-10", "end_date": "2026-05-01"})
    assert i18n.problem_message(problem) == "La data di fine 2026-05-01 è precedente alla data di inizio 2026-05-10."
    assert QCoreApplication.translate("Algorithms", "Validate works") == "Valida i cantieri"


def test_the_translation_tools_find_nothing_missing():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "missing"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout
    assert Path(TS).exists()


def test_the_works_legend_is_in_italian(italian, tmp_path):
    from qgis.core import QgsVectorLayer

    from situation_room_plugin.gui.works_panel import apply_works_style
    from situation_room_plugin.qgis_io.store import Store, works_layer_uri

    Store.open(tmp_path / "p.gpkg").close()
    layer = QgsVectorLayer(works_layer_uri(tmp_path / "p.gpkg"), "works", "ogr")
    apply_works_style(layer)
    labels = [item.label() for item in layer.renderer().legendSymbolItems()]
    assert "In corso" in labels and "Annullato" in labels  # what the outlines mean
    assert "Comune di Prato" in labels and "Altri enti" in labels
