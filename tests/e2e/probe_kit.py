"""What the desktop probes (run by `qgis --code`) share: a list of steps run one after the other on QGIS's event
loop, waiting for background tasks, the state file, screenshots, and quitting QGIS. Plain code, no test imports:
the probes find it through $SR_PROBE_DIR."""

import json
import os
import traceback
from pathlib import Path

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QDockWidget
from qgis.utils import iface

OUT = Path(os.environ["SR_PROBE_OUT"])
STATE = {"errors": []}
STEPS = []


def step(fn):
    STEPS.append(fn)
    return fn


def dock():
    return iface.mainWindow().findChild(QDockWidget, "SituationRoomDock")


def shot(name, widget=None):
    (widget or iface.mainWindow()).grab().save(str(OUT / name))


def next_step(delay_ms=300):
    def run():
        if not STEPS:
            finish()
            return
        fn = STEPS.pop(0)
        try:
            fn()
        except Exception:  # noqa: BLE001 - everything goes to the state file for the test to show
            STATE["errors"].append(f"{fn.__name__}: {traceback.format_exc()}")
            STEPS.clear()
            finish()

    QTimer.singleShot(delay_ms, run)


def wait_until(condition, then, timeout_ms=60_000, waited=0):
    """Poll the event loop until `condition()` (a background task finished), then run `then`."""
    if condition():
        then()
    elif waited > timeout_ms:
        STATE["errors"].append(f"timed out waiting in {then.__name__}")
        finish()
    else:
        QTimer.singleShot(200, lambda: wait_until(condition, then, timeout_ms, waited + 200))


def finish():
    """The state file for the test, then QGIS quits (edits rolled back, no "save changes?" dialog)."""
    (OUT / "state.json").write_text(json.dumps(STATE, indent=1, ensure_ascii=False), encoding="utf-8")
    for layer in QgsProject.instance().mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and layer.isEditable():
            layer.rollBack()
    QgsProject.instance().clear()
    QgsProject.instance().setDirty(False)
    iface.actionExit().trigger()
