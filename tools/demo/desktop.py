"""Run by QGIS at start (`qgis --project demo.qgs --code tools/demo/desktop.py`, from tools/demo/run.py): the
Situation Room dock open and the map on the demo's today (SITUATION_ROOM_DEMO_TODAY) in the Temporal
Controller. QGIS runs it as a plain script in its Python console namespace.

With SITUATION_ROOM_DEMO_SCREENSHOT=path.png (the demo's desktop test), it then saves a screenshot of the
window and what it shows (path.json: dock open, day shown, layers), and quits QGIS.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path


def open_on_today(iface: object) -> dict:
    from qgis.core import QgsProject
    from qgis.utils import plugins

    from situation_room_plugin.gui.temporal import show_day

    text = os.environ.get("SITUATION_ROOM_DEMO_TODAY", "")
    today = date.fromisoformat(text) if text else date.today()
    plugin = plugins.get("situation_room_plugin")
    if plugin is not None:
        if getattr(plugin, "action", None) is not None:
            plugin.action.setChecked(True)
        plugin.set_dock_visible(True)
    shown = show_day(iface, today)
    dock = getattr(plugin, "dock", None)
    return {"plugin": plugin is not None, "dock_visible": bool(dock is not None and dock.isVisible()),
            "day": shown.begin().date().toString("yyyy-MM-dd"),
            "layers": sorted(layer.name() for layer in QgsProject.instance().mapLayers().values()),
            "project": QgsProject.instance().fileName()}


def _screenshot_and_quit(iface: object, state: dict, path: Path) -> None:
    from qgis.core import QgsProject

    iface.mainWindow().grab().save(str(path))  # type: ignore[attr-defined]
    path.with_suffix(".json").write_text(json.dumps(state, indent=1))
    QgsProject.instance().clear()  # the day shown is not a change to save: no question on quitting
    QgsProject.instance().setDirty(False)
    iface.actionExit().trigger()  # type: ignore[attr-defined] - as the user quits


def _when_ready() -> None:
    from qgis.PyQt.QtCore import QTimer
    from qgis.utils import iface

    def go() -> None:
        try:
            state = open_on_today(iface)
        except Exception as error:  # noqa: BLE001 - the desktop stays usable; the test reads the error
            state = {"error": f"{type(error).__name__}: {error}"}
        shot = os.environ.get("SITUATION_ROOM_DEMO_SCREENSHOT")
        if shot:
            QTimer.singleShot(4000, lambda: _screenshot_and_quit(iface, state, Path(shot)))

    QTimer.singleShot(1500, go)  # after the project has loaded and the plugins have started


_when_ready()
