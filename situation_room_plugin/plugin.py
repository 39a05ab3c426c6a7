"""The QGIS entry point: translator, logging, the Processing provider, the toolbar action and the dock."""

from __future__ import annotations

import logging
from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from situation_room_plugin.toolbelt import i18n, log
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.resources import icon_path
from situation_room_plugin.toolbelt.settings import Settings

LOG = logging.getLogger(__name__)


class SituationRoomPlugin:
    """Created by classFactory. `iface` is None under qgis_process, which only calls initProcessing."""

    def __init__(self, iface: Any) -> None:
        self.iface = iface
        self.translator = i18n.install_translator()
        self.log_handler = log.install(logging.DEBUG if Settings.load().debug_logging else logging.INFO)
        self.provider = None
        self.action: QAction | None = None
        self.dock = None
        self.tasks = None  # the running background tasks (gui/tasks.py), from initGui
        self.scheduler = None  # the automatic refresh of shared layers, from initGui

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API
        from situation_room_plugin.processing.provider import SituationRoomProvider

        self.provider = SituationRoomProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 - QGIS API
        self.initProcessing()
        self.action = QAction(QIcon(str(icon_path("situation_room.svg"))), tr("Situation Room"),
                              self.iface.mainWindow())
        self.action.setObjectName("situation_room_show_dock")
        self.action.setCheckable(True)
        self.action.setToolTip(tr("Show or hide the Situation Room dock"))
        self.action.toggled.connect(self.set_dock_visible)
        self.iface.addToolBarIcon(self.action)
        self.iface.addPluginToMenu(tr("&Situation Room"), self.action)
        from situation_room_plugin.gui.scheduler import RefreshScheduler
        from situation_room_plugin.gui.tasks import TaskRunner

        self.tasks = TaskRunner()
        self.scheduler = RefreshScheduler(self.tasks, self.iface.mainWindow())
        self.scheduler.start()  # shared layers refresh on their interval, dock open or not
        LOG.info("plugin loaded")

    def set_dock_visible(self, visible: bool) -> None:
        if visible and self.dock is None:
            from situation_room_plugin.gui.dock import SituationRoomDock

            self.dock = SituationRoomDock(self.iface, self.iface.mainWindow(), self.tasks, self.scheduler)
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            self.dock.visibilityChanged.connect(self._sync_action)
        if self.dock is not None:
            self.dock.setVisible(visible)

    def _sync_action(self, visible: bool) -> None:
        if self.action is not None and self.action.isChecked() != visible:
            self.action.setChecked(visible)

    def unload(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler.deleteLater()
            self.scheduler = None
        if self.tasks is not None:  # before the panels they would call back go
            self.tasks.stop_all()
            self.tasks = None
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.close()
            self.dock.deleteLater()
            self.dock = None
        if self.action is not None:
            self.iface.removePluginMenu(tr("&Situation Room"), self.action)
            self.iface.removeToolBarIcon(self.action)
            self.action.deleteLater()
            self.action = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        i18n.remove_translator(self.translator)
        log.uninstall(self.log_handler)
