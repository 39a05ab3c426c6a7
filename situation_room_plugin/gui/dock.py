"""The Situation Room dock: one tab per task, the first being the project's store and its works."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtWidgets import QDockWidget, QTabWidget, QWidget

from situation_room_plugin.gui.alerts_panel import AlertMonitor, AlertsPanel
from situation_room_plugin.gui.conflicts_panel import ConflictsPanel
from situation_room_plugin.gui.detours_panel import DetoursPanel
from situation_room_plugin.gui.draw_tools import DrawController
from situation_room_plugin.gui.reports_panel import ReportsPanel
from situation_room_plugin.gui.scheduler import RefreshScheduler
from situation_room_plugin.gui.sources_panel import SourcesPanel
from situation_room_plugin.gui.sync_panel import SyncPanel
from situation_room_plugin.gui.tasks import TaskRunner
from situation_room_plugin.gui.works_layers import WorksLayers
from situation_room_plugin.gui.works_panel import WorksPanel
from situation_room_plugin.toolbelt.i18n import tr


class SituationRoomDock(QDockWidget):
    """The panels run their work through the plugin's task runner, refresh scheduler and alert monitor (own
    ones when the dock is built alone, as in tests)."""

    def __init__(self, iface: Any, parent: QWidget | None = None, tasks: TaskRunner | None = None,
                 scheduler: RefreshScheduler | None = None, alerts: AlertMonitor | None = None,
                 works_layers: WorksLayers | None = None, drawing: DrawController | None = None) -> None:
        super().__init__(tr("Situation Room"), parent)
        tasks = tasks or TaskRunner()
        self.setObjectName("SituationRoomDock")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("situation_room_tabs")
        self.works_panel = WorksPanel(iface, self.tabs, works_layers, drawing)
        self.tabs.addTab(self.works_panel, tr("Works"))
        self.conflicts_panel = ConflictsPanel(iface, self.tabs, tasks)
        self.tabs.addTab(self.conflicts_panel, tr("Conflicts"))
        self.detours_panel = DetoursPanel(iface, self.tabs, tasks)
        self.tabs.addTab(self.detours_panel, tr("Detours"))
        self.sources_panel = SourcesPanel(iface, self.tabs, scheduler or RefreshScheduler(tasks, self))
        self.tabs.addTab(self.sources_panel, tr("Shared layers"))
        self.reports_panel = ReportsPanel(iface, self.tabs, tasks)
        self.tabs.addTab(self.reports_panel, tr("Reports"))
        self.sync_panel = SyncPanel(iface, self.tabs, tasks)
        self.tabs.addTab(self.sync_panel, tr("Sync"))
        self.alerts = alerts or AlertMonitor(iface, tasks, self)
        self.alerts_panel = AlertsPanel(iface, self.tabs)
        self.tabs.addTab(self.alerts_panel, tr("Alerts"))
        self.alerts_panel.set_alerts(self.alerts.alerts)
        self.alerts.updated.connect(self.alerts_panel.set_alerts)
        self.alerts_panel.check_requested.connect(self.alerts.check)
        self.works_panel.store_changed.connect(lambda: self.alerts.check(opened=True))
        # the Conflicts tab's list follows the works: an edit saved re-runs the detection it shows
        self.works_panel.works_layers.works_changed.connect(self.conflicts_panel.works_edited)
        # the changes waiting for the platform follow the edits; a sync changes the works (counts, alerts)
        self.works_panel.works_layers.works_changed.connect(self.sync_panel.refresh)
        self.sync_panel.synced.connect(lambda report: self.works_panel.works_layers.works_changed.emit())
        self.sync_panel.synced.connect(lambda report: self.alerts.check())
        self.setWidget(self.tabs)

    def show_alerts(self) -> None:
        """The Alerts tab, in front."""
        self.tabs.setCurrentWidget(self.alerts_panel)
