"""Run inside the real QGIS desktop (qgis --code): open the Situation Room dock, save screenshots and what
the dock shows to $SR_PROBE_OUT, then quit. Kept free of test imports: QGIS runs it as a plain script."""

import json
import os
import traceback
from pathlib import Path

from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDockWidget, QGroupBox, QPushButton
from qgis.utils import iface, plugins

OUT = Path(os.environ["SR_PROBE_OUT"])
STATE = {"errors": []}


def finish():
    (OUT / "state.json").write_text(json.dumps(STATE, indent=1, ensure_ascii=False), encoding="utf-8")
    iface.actionExit().trigger()


def capture():
    try:
        dock = iface.mainWindow().findChild(QDockWidget, "SituationRoomDock")
        STATE["dock_found"] = dock is not None
        if dock is not None:
            STATE["dock_visible"] = dock.isVisible()
            STATE["dock_title"] = dock.windowTitle()
            STATE["tabs"] = [dock.widget().tabText(i) for i in range(dock.widget().count())]
            STATE["groups"] = [b.title() for b in dock.findChildren(QGroupBox)]
            STATE["buttons"] = [b.text() for b in dock.findChildren(QPushButton)]
            dock.grab().save(str(OUT / "dock.png"))
        STATE["action_checked"] = plugins["situation_room_plugin"].action.isChecked()
        iface.mainWindow().grab().save(str(OUT / "qgis.png"))
        # Closing the dock from its own title bar must uncheck the toolbar button.
        if dock is not None:
            dock.close()
            QApplication.processEvents()
            STATE["action_checked_after_close"] = plugins["situation_room_plugin"].action.isChecked()
    except Exception:  # noqa: BLE001 - everything goes to the state file for the test to show
        STATE["errors"].append(traceback.format_exc())
    QTimer.singleShot(200, finish)


def open_dock():
    try:
        STATE["plugin_loaded"] = "situation_room_plugin" in plugins
        plugins["situation_room_plugin"].action.trigger()
    except Exception:  # noqa: BLE001
        STATE["errors"].append(traceback.format_exc())
    QTimer.singleShot(1500, capture)


iface.mainWindow().showMaximized()
QTimer.singleShot(1500, open_dock)
