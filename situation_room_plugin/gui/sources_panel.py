"""The dock's Sources tab: the project's shared layers, their offline copies, refresh and load buttons.

Refreshes are the plugin's scheduler's (gui/scheduler.py: background tasks, one at a time, automatic with the dock
closed too); loading adds a source's copy to the map at once, saying how old it is.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.sources import Role, Source, sources_from_json, sources_to_json
from situation_room_plugin.gui.scheduler import RefreshOutcome, RefreshScheduler, refresh_message
from situation_room_plugin.gui.tasks import TaskRunner, WorkflowTask
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.qgis_io.styles import apply_feed_copy_style
from situation_room_plugin.toolbelt.i18n import error_message, problem_message, tr
from situation_room_plugin.workflows.feeds import feed_snapshots

LOG = logging.getLogger(__name__)


class SourcesPanel(QWidget):
    #: What a technician looks for first (which layer, how old its copy) comes first: the dock is narrow.
    COLUMNS = ("title", "copy", "id", "kind", "role")

    def __init__(self, iface: Any, parent: QWidget | None = None, scheduler: RefreshScheduler | None = None
                 ) -> None:
        super().__init__(parent)
        self.iface = iface
        #: the plugin's (whose timer runs with the dock closed); a panel of its own otherwise (tests)
        self.scheduler = scheduler or RefreshScheduler(TaskRunner(), self)
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setObjectName("sources_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("sources_table")
        self.table.setHorizontalHeaderLabels([tr("Title"), tr("Offline copy"), tr("Id"), tr("Kind"), tr("Role")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(tr("Refresh"), self)
        self.refresh_button.setToolTip(
            tr("Read the selected sources (all when none is selected) into the offline copy")
        )
        self.load_button = QPushButton(tr("Add to map"), self)
        self.load_button.setToolTip(tr("Add the offline copy of the selected sources to the map"))
        self.import_button = QPushButton(tr("Import…"), self)
        self.export_button = QPushButton(tr("Export…"), self)
        for button in (self.refresh_button, self.load_button, self.import_button, self.export_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.auto_check = QCheckBox(tr("Refresh automatically"), self)
        self.auto_check.setToolTip(tr("Refresh each source when its interval has passed since it was last read "
                                      "or tried (without network, the copies stay and the log says why)"))
        self.auto_check.setChecked(self.scheduler.automatic)
        layout.addWidget(self.auto_check)
        self.auto_check.toggled.connect(self.scheduler.set_automatic)
        self.scheduler.started.connect(self._refresh_started)
        self.scheduler.finished.connect(self._refresh_done)
        self.refresh_button.clicked.connect(self.refresh_selected)
        self.load_button.clicked.connect(self.load_selected)
        self.import_button.clicked.connect(self.import_sources)
        self.export_button.clicked.connect(self.export_sources)
        QgsProject.instance().readProject.connect(self.update_table)
        self.update_table()

    @property
    def task(self) -> WorkflowTask | None:
        """The refresh running, if any (there is one at a time, automatic or by hand)."""
        return self.scheduler.task

    @property
    def timer(self) -> QTimer:
        return self.scheduler.timer

    # -- what the panel shows ----------------------------------------------------------------------------

    def sources(self) -> list[Source]:
        sources, problems = feeds.read_registry()
        for problem in problems:
            LOG.warning("%s: %s", problem.record, problem_message(problem))
        return sources

    def selected(self) -> list[Source]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        sources = self.sources()
        return [sources[row] for row in rows if row < len(sources)] or sources

    def update_table(self, *args: Any) -> None:
        sources = self.sources()
        path = project_io.store_path()
        snapshots = self._snapshots(sources)
        self.table.setRowCount(len(sources))
        for row, source in enumerate(sources):
            snap = snapshots.get(source.id)
            copy = tr("none yet") if snap is None else tr("{count} features, {age} old").format(
                count=snap.feature_count, age=feeds.age_text(snap, datetime.now(timezone.utc)))
            for column, value in enumerate((source.title or source.id, copy, source.id, source.kind, source.role)):
                item = QTableWidgetItem(value)
                item.setToolTip(f"{source.title} ({source.id}): {copy}\n{source.url}")
                self.table.setItem(row, column, item)
        if path is None:
            self.status.setText(
                tr("This project has no store yet: create one in the Works tab to keep offline copies.")
            )
        elif not sources:
            self.status.setText(tr("No shared layers yet: import a sources file (JSON)."))
        else:
            self.status.setText(tr("{count} shared layers").format(count=len(sources)))
        enabled = path is not None and bool(sources) and not self.scheduler.busy
        self.refresh_button.setEnabled(enabled)
        self.load_button.setEnabled(enabled)

    def _snapshots(self, sources: list[Source]) -> dict[str, feed_cache.Snapshot | None]:
        """The snapshot of each source's offline copy (None: no copy yet); empty without a store."""
        path = project_io.store_path()
        if path is None or not path.exists():
            return {}
        try:
            return feed_snapshots(path, sources)
        except SituationRoomError as error:
            self.status.setText(error_message(error))
            return {}

    # -- actions -----------------------------------------------------------------------------------------

    def refresh_selected(self) -> None:
        self.scheduler.refresh(self.selected())

    def refresh_due_sources(self, now: datetime | None = None) -> list[Source]:
        """See RefreshScheduler.refresh_due (the timer calls it every minute)."""
        return self.scheduler.refresh_due(now)

    def _refresh_started(self, sources: list[Source]) -> None:
        self.status.setText(tr("Refreshing…"))
        self.refresh_button.setEnabled(False)

    def _refresh_done(self, outcome: RefreshOutcome) -> None:
        self.update_table()
        failed = outcome.error or outcome.run.failed
        level = Qgis.MessageLevel.Warning if failed else Qgis.MessageLevel.Info
        if outcome.automatic:  # the table shows the new ages; offline, the log says why every hour: no bar
            self.status.setText(refresh_message(outcome))
        else:
            self._tell(refresh_message(outcome), level)

    def load_selected(self) -> None:
        path = project_io.store_path()
        if path is None:
            return
        with Store.open(path, create=False) as store:
            owners = store.owners()
            for source in self.selected():
                loaded = feeds.load(source, store, owners, live=False)
                for problem in loaded.problems:
                    LOG.warning("%s: %s", problem.record, problem_message(problem))
                if loaded.layer is None:
                    self._tell(f"{source.id}: {problem_message(loaded.problems[-1])}", Qgis.MessageLevel.Warning)
                    continue
                if source.role == Role.WORKS.value:
                    apply_feed_copy_style(loaded.layer, owners)
                QgsProject.instance().addMapLayer(loaded.layer)

    def import_sources(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Import sources"), "", tr("JSON (*.json)"))
        if name:
            self.import_sources_file(Path(name))

    def import_sources_file(self, path: Path) -> None:
        """Add (or replace, by id) the sources of a sources file to the project's registry."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._tell(tr("{path}: cannot be read ({reason})").format(path=str(path), reason=str(error)),
                       Qgis.MessageLevel.Critical)
            return
        sources, problems = sources_from_json(text)
        for problem in problems:
            LOG.warning("%s: %s", problem.record, problem_message(problem))
        known = {s.id: s for s in self.sources()}
        known.update({s.id: s for s in sources})
        feeds.write_registry(list(known.values()))
        self._tell(tr("{count} sources imported, {problems} problems (see the log)").format(
            count=len(sources), problems=len(problems)),
            Qgis.MessageLevel.Warning if problems else Qgis.MessageLevel.Info)
        self.update_table()

    def export_sources(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("Export sources"), "sources.json", tr("JSON (*.json)"))
        if name:
            Path(name).write_text(sources_to_json(self.sources()), encoding="utf-8")

    def _tell(self, message: str, level: Qgis.MessageLevel) -> None:
        self.status.setText(message)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("Situation Room"), message, level)
