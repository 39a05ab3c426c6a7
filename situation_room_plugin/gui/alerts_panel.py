"""Alerts in the interface: the dock's Alerts tab, the one line in the message bar (never a modal dialog),
and the monitor that gathers them in a background task when a project opens, after a refresh of the
shared layers and after a conflict detection."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from typing import Any, Optional

from qgis.core import Qgis
from qgis.gui import QgsMessageBarItem
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from situation_room_plugin.core.alerts import Alert, AlertSeverity
from situation_room_plugin.core.conflicts import as_area
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.gui.map_canvas import zoom_to_area
from situation_room_plugin.gui.tasks import TaskRunner, WorkflowTask
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.toolbelt.i18n import alert_message, tr
from situation_room_plugin.toolbelt.labels import alert_kind_labels, owner_name
from situation_room_plugin.toolbelt.settings import Settings
from situation_room_plugin.workflows.alerts import AlertReport, gather_alerts

LOG = logging.getLogger(__name__)

COLUMNS = ("kind", "title", "owner", "date", "message")

#: The keys (Alert.key) of the alerts the message bar has shown this QGIS session, when the caller of
#: `notify` keeps none of its own.
_SHOWN_THIS_SESSION: set[tuple[str, ...]] = set()


class AlertsPanel(QWidget):
    """The Alerts tab: every current alert, most pressing first; double-click shows the work on the map."""

    check_requested = pyqtSignal()

    def __init__(self, iface: Any, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.alerts: list[Alert] = []
        layout = QVBoxLayout(self)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(tr("Permit alert: days ahead"), self))
        self.days_ahead = QSpinBox(self)
        self.days_ahead.setRange(0, 365)
        self.days_ahead.setValue(Settings.load().alert_days_ahead)
        self.days_ahead.setToolTip(tr("Works starting within this many days without a permit reference are alerts"))
        controls.addWidget(self.days_ahead)
        controls.addStretch(1)
        self.check_button = QPushButton(tr("Check now"), self)
        self.check_button.setToolTip(tr("Look for alerts in the project's store and shared layers now"))
        controls.addWidget(self.check_button)
        layout.addLayout(controls)
        self.summary = QLabel(tr("No alerts."), self)
        self.summary.setObjectName("alerts_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("alerts_table")
        self.table.setHorizontalHeaderLabels([tr("Kind"), tr("Title"), tr("Owner"), tr("Date"), tr("Message")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.check_button.clicked.connect(self.check_requested)
        self.days_ahead.valueChanged.connect(self._days_changed)
        self.table.cellDoubleClicked.connect(self.zoom_to_row)

    def _days_changed(self, value: int) -> None:
        settings = Settings.load()
        settings.alert_days_ahead = value
        settings.save()
        self.check_requested.emit()

    def set_alerts(self, alerts: Sequence[Alert]) -> None:
        self.alerts = list(alerts)
        kinds = alert_kind_labels()
        owners = project_io.owner_registry()
        self.table.setRowCount(len(self.alerts))
        for row, alert in enumerate(self.alerts):
            values = [kinds.get(alert.kind, alert.kind), alert.title, owner_names(alert.owner, owners),
                      alert.day.isoformat() if alert.day else "", alert_message(alert)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, alert.subject)
                if column == 0 and alert.severity == AlertSeverity.WARNING.value:
                    item.setToolTip(tr("Needs action"))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.summary.setText(summary(self.alerts) if self.alerts else tr("No alerts."))

    def zoom_to_row(self, row: int, column: int = 0) -> bool:
        """Zoom the map to the alert's work (grown in metres in EPSG:6707, then moved to the map's CRS);
        False when the alert has no work with a footprint."""
        if not 0 <= row < len(self.alerts):
            return False
        return zoom_to_area(self.iface, as_area(self.alerts[row].geometry))


def owner_names(codes: str, owners: OwnerRegistry) -> str:
    """"publiacqua / estracom" as the organisations' names (a code the registry does not know as it is)."""
    return " / ".join(n for n in (owner_name(c.strip(), owners) for c in (codes or "").split("/")) if n)


def summary(alerts: Sequence[Alert]) -> str:
    """One line: how many alerts, and how many of each kind."""
    return tr("Alerts ({count}): {kinds}").format(count=len(alerts), kinds=_counts(alerts))


def _counts(alerts: Sequence[Alert]) -> str:
    """How many alerts of each kind, in the order they come: "Past its end date: 2, No permit: 1"."""
    kinds = alert_kind_labels()
    counts: dict[str, int] = {}
    for alert in alerts:
        counts[alert.kind] = counts.get(alert.kind, 0) + 1
    return ", ".join(f"{kinds.get(kind, kind)}: {count}" for kind, count in counts.items())


def notify(
    iface: Any,
    alerts: Sequence[Alert],
    shown: Optional[set[tuple[str, ...]]] = None,
    show: Optional[Callable[[], None]] = None,
    replace: Optional[QgsMessageBarItem] = None,
) -> Optional[QgsMessageBarItem]:
    """Push ONE line to the message bar about the alerts not shown yet (`shown`: the keys shown so far,
    this session's by default; updated), with a Show button calling `show` (by default: the Situation Room
    dock, when it exists, on its Alerts tab). Nothing when every alert was shown already. `replace`: the
    previous line, taken off the bar first. Never modal. The item pushed, or None."""
    shown = _SHOWN_THIS_SESSION if shown is None else shown
    fresh = [a for a in alerts if a.key not in shown]
    if iface is None or not fresh:
        return None
    shown.update(a.key for a in fresh)
    bar = iface.messageBar()
    if replace is not None and not sip.isdeleted(replace) and replace in bar.items():
        bar.popWidget(replace)
    level = (Qgis.MessageLevel.Warning if any(a.severity == AlertSeverity.WARNING.value for a in fresh)
             else Qgis.MessageLevel.Info)
    text = tr("New alerts ({count}): {kinds}").format(count=len(fresh), kinds=_counts(fresh))
    item = bar.createMessage(tr("Situation Room"), text)
    button = QPushButton(tr("Show"), item)
    button.setObjectName("situation_room_show_alerts")
    button.clicked.connect(show or (lambda: _show_dock(iface)))
    item.layout().addWidget(button)
    return bar.pushWidget(item, level, 0)


def _show_dock(iface: Any) -> None:
    dock = iface.mainWindow().findChild(QDockWidget, "SituationRoomDock")
    if dock is None:
        return
    dock.setVisible(True)
    tabs = dock.findChild(QTabWidget, "situation_room_tabs")
    panel = dock.findChild(AlertsPanel)
    if tabs is not None and panel is not None:
        tabs.setCurrentWidget(panel)


class AlertMonitor(QObject):
    """Gathers the project's alerts in a background task (one at a time: a check asked for meanwhile runs
    after it), keeps the latest, and says the new ones in the message bar. The plugin calls `check` on
    opening a project, after a refresh and after a detection; the dock's Alerts tab shows `alerts`."""

    updated = pyqtSignal(list)  # the current alerts
    show_requested = pyqtSignal()  # the message bar's Show button

    def __init__(self, iface: Any, tasks: Optional[TaskRunner] = None, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.tasks = tasks or TaskRunner()
        self.alerts: list[Alert] = []
        self.shown: set[tuple[str, ...]] = set()  # what the message bar said this session
        self.item: Optional[QgsMessageBarItem] = None
        self.task: Optional[WorkflowTask] = None
        self._queued: Optional[dict[str, Any]] = None

    def check(self, *args: Any, found: Any = None, opened: bool = False) -> bool:
        """Look for alerts in a task (False: no store). `found`: the conflicts of a detection just made;
        `opened`: a project was just opened, its alerts are all said again."""
        if self.task is not None:
            queued = self._queued or {}
            self._queued = {"found": found if found is not None else queued.get("found"),
                            "opened": opened or queued.get("opened", False)}
            return True
        path = project_io.store_path()
        if path is None or not path.exists():
            self._set([])
            return False
        sources, _ = feeds.read_registry()
        days = Settings.load().alert_days_ahead
        today, now = date.today(), datetime.now(timezone.utc)

        def work(progress: Progress) -> AlertReport:
            return gather_alerts(path, sources, today, now, days, found, progress)

        self.task = WorkflowTask(tr("Situation Room: alerts"), work, lambda report: self._done(report, opened),
                                 self._failed)
        self.tasks.start(self.task)
        return True

    def project_read(self, *args: Any) -> None:
        self.check(opened=True)

    def refreshed(self, *args: Any) -> None:
        self.check()

    def detected(self, run: Any) -> None:
        self.check(found=getattr(run, "conflicts", None))

    def clear(self, *args: Any) -> None:
        """The project was closed: no alerts, and its line off the message bar."""
        self._set([])
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is not None and self.item is not None and not sip.isdeleted(self.item) and self.item in bar.items():
            bar.popWidget(self.item)
        self.item = None

    def _set(self, alerts: list[Alert]) -> None:
        self.alerts = alerts
        self.updated.emit(alerts)

    def _done(self, report: AlertReport, opened: bool) -> None:
        self.task = None
        if report.store == project_io.store_path():  # else the project changed meanwhile: a check is due
            if opened:
                self.shown.clear()
            self._set(report.alerts)
            self.item = notify(self.iface, report.alerts, self.shown, self.show_requested.emit, self.item) or self.item
        elif self._queued is None:
            self._queued = {"found": None, "opened": True}
        self._next()

    def _failed(self, message: str) -> None:
        self.task = None
        LOG.warning("alerts: %s", message)  # the log, not the message bar: alerts are never in the way
        self._next()

    def _next(self) -> None:
        queued, self._queued = self._queued, None
        if queued is not None:
            self.check(**queued)
