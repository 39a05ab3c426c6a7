"""The QGIS entry point: translator, logging, the Processing provider, the toolbar action and the dock."""

from __future__ import annotations

import logging
from typing import Any

from qgis.core import QgsApplication, QgsProject
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
        self.alerts = None  # the alert monitor (gui/alerts_panel.py), from initGui
        self.works_layers = None  # the project's works layers and their edit path (gui/works_layers.py)
        self.drawing = None  # the drawing tools (gui/draw_tools.py)
        self.toolbar = None

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
        from situation_room_plugin.gui.alerts_panel import AlertMonitor

        # Alerts on opening a project, after a refresh and after a detection (wired with the dock): in the
        # message bar with the dock closed; its Show button opens the dock on the Alerts tab.
        self.alerts = AlertMonitor(self.iface, self.tasks, self.iface.mainWindow())
        self.alerts.show_requested.connect(self.show_alerts)
        QgsProject.instance().readProject.connect(self.alerts.project_read)
        QgsProject.instance().cleared.connect(self.alerts.clear)
        self.scheduler.finished.connect(self.alerts.refreshed)
        from situation_room_plugin.gui.draw_tools import DrawController
        from situation_room_plugin.gui.works_layers import WorksLayers

        # Every works layer gets the form and the one edit path, dock open or not; edits re-check the alerts.
        self.works_layers = WorksLayers(self.iface, self.iface.mainWindow())
        self.works_layers.works_changed.connect(self.alerts.check)
        self.drawing = DrawController(self.iface, self.works_layers.store_layer, self.iface.mainWindow())
        self.drawing.notice.connect(self._notice)
        self.toolbar = self.iface.addToolBar(tr("Situation Room"))
        self.toolbar.setObjectName("SituationRoomToolbar")
        self.toolbar.addAction(self.drawing.polygon_action)
        self.toolbar.addAction(self.drawing.line_action)
        LOG.info("plugin loaded")

    def _notice(self, text: str, level: Any) -> None:
        self.iface.messageBar().pushMessage(tr("Situation Room"), text, level, 8)

    def set_dock_visible(self, visible: bool) -> None:
        if visible and self.dock is None:
            from situation_room_plugin.gui.dock import SituationRoomDock

            self.dock = SituationRoomDock(self.iface, self.iface.mainWindow(), self.tasks, self.scheduler,
                                          self.alerts, self.works_layers, self.drawing)
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            self.dock.visibilityChanged.connect(self._sync_action)
            self.dock.conflicts_panel.detected.connect(self.alerts.detected)
        if self.dock is not None:
            self.dock.setVisible(visible)

    def show_alerts(self) -> None:
        """The dock (made when it is not yet) open on its Alerts tab: the message bar's Show button."""
        if self.action is not None:
            self.action.setChecked(True)
        self.set_dock_visible(True)
        if self.dock is not None:
            self.dock.show_alerts()
            self.dock.raise_()

    def _sync_action(self, visible: bool) -> None:
        if self.action is not None and self.action.isChecked() != visible:
            self.action.setChecked(visible)

    def unload(self) -> None:
        if self.alerts is not None:
            for signal, slot in ((QgsProject.instance().readProject, self.alerts.project_read),
                                 (QgsProject.instance().cleared, self.alerts.clear)):
                try:
                    signal.disconnect(slot)
                except TypeError:  # already disconnected
                    pass
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler.deleteLater()
            self.scheduler = None
        if self.tasks is not None:  # before the panels they would call back go
            self.tasks.stop_all()
            self.tasks = None
        if self.alerts is not None:  # after the tasks: none calls it back any more
            self.alerts.deleteLater()
            self.alerts = None
        if self.drawing is not None:
            self.drawing.unload()
            self.drawing.deleteLater()
            self.drawing = None
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.works_layers is not None:
            self.works_layers.unload()
            self.works_layers.deleteLater()
            self.works_layers = None
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
