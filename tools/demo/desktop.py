"""Run by QGIS at start (`qgis --project demo.qgs --code tools/demo/desktop.py`, from tools/demo/run.py): the
Situation Room dock open and the map on the demo's today (SITUATION_ROOM_DEMO_TODAY) in the Temporal
Controller. Runs in QGIS's Python console namespace, where `iface` is defined."""

from __future__ import annotations

import os
from datetime import date


def open_on_today(iface: object) -> None:
    from qgis.utils import plugins

    from situation_room_plugin.gui.temporal import show_day

    text = os.environ.get("SITUATION_ROOM_DEMO_TODAY", "")
    today = date.fromisoformat(text) if text else date.today()
    plugin = plugins.get("situation_room_plugin")
    if plugin is not None:
        if getattr(plugin, "action", None) is not None:
            plugin.action.setChecked(True)
        plugin.set_dock_visible(True)
    show_day(iface, today)


def _when_ready() -> None:
    from qgis.PyQt.QtCore import QTimer
    from qgis.utils import iface

    # after the project has loaded and the plugins have started
    QTimer.singleShot(1500, lambda: open_on_today(iface))


_when_ready()
