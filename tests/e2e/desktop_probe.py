"""Run inside the real QGIS desktop (qgis --code): open the Situation Room dock, save screenshots and what
the dock shows to $SR_PROBE_OUT, then quit. Kept free of test imports: QGIS runs it as a plain script."""

import json
import os
import traceback
from pathlib import Path

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDockWidget, QGroupBox, QPushButton
from qgis.utils import iface, plugins

OUT = Path(os.environ["SR_PROBE_OUT"])
STATE = {"errors": []}


def finish():
    (OUT / "state.json").write_text(json.dumps(STATE, indent=1, ensure_ascii=False), encoding="utf-8")
    QgsProject.instance().clear()  # no "save changes?" dialog on the way out
    QgsProject.instance().setDirty(False)
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
        store = os.environ.get("SR_STORE")
        if store and dock is not None:
            # What a technician does next: point the project at its store and add the works to the map.
            from situation_room_plugin.qgis_io import project as project_io

            panel = dock.works_panel
            project_io.set_store_path(store)
            panel.refresh()
            panel.add_works_layer()
            layers = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
            STATE["layers_after_adding"] = layers
            STATE["counts"] = {status: label.text() for status, label in panel.count_labels.items()}
            iface.mapCanvas().setExtent(iface.activeLayer().extent().buffered(60))
            iface.mapCanvas().refreshAllLayers()
            QTimer.singleShot(1500, lambda: iface.mainWindow().grab().save(str(OUT / "qgis_with_works.png")))
            QTimer.singleShot(1800, close_dock)
            return
        close_dock()
    except Exception:  # noqa: BLE001 - everything goes to the state file for the test to show
        STATE["errors"].append(traceback.format_exc())
        QTimer.singleShot(200, finish)


def close_dock():
    try:
        dock = iface.mainWindow().findChild(QDockWidget, "SituationRoomDock")
        # Closing the dock from its own title bar must uncheck the toolbar button.
        if dock is not None:
            dock.close()
            QApplication.processEvents()
            STATE["action_checked_after_close"] = plugins["situation_room_plugin"].action.isChecked()
    except Exception:  # noqa: BLE001
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
