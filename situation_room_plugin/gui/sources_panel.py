"""The dock's Sources tab: the project's shared layers, their offline copies, refresh and load buttons.

Refreshes run in a QgsTask (the network and the GeoPackage are touched off the main thread); loading adds a
source's copy to the map at once, saying how old it is.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsApplication, QgsProject, QgsTask
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

from situation_room_plugin.core.sources import Role, Source, refresh_due, sources_from_json, sources_to_json
from situation_room_plugin.gui.works_panel import apply_works_style
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store, StoreError
from situation_room_plugin.toolbelt.i18n import problem_message, tr
from situation_room_plugin.toolbelt.settings import Settings

LOG = logging.getLogger(__name__)


class RefreshTask(QgsTask):
    """Refresh sources into the project store, one after the other, off the main thread."""

    def __init__(self, store_path: Path, sources: list[Source], automatic: bool = False) -> None:
        super().__init__(tr("Refreshing shared layers"), QgsTask.Flag.CanCancel)
        self.store_path = store_path
        self.sources = sources
        self.automatic = automatic  # started by the interval timer, not by the user
        self.context = QgsProject.instance().transformContext()
        self.results: list[feeds.RefreshResult] = []
        self.error = ""

    def run(self) -> bool:
        try:
            with Store.open(self.store_path, create=False) as store:
                owners = store.owners()
                for index, source in enumerate(self.sources):
                    if self.isCanceled():
                        return False
                    self.setProgress(100 * index / max(len(self.sources), 1))
                    self.results.append(feeds.refresh(source, store, owners, context=self.context))
        except StoreError as error:
            self.error = str(error)
            return False
        return True


class SourcesPanel(QWidget):
    #: What a technician looks for first (which layer, how old its copy) comes first: the dock is narrow.
    COLUMNS = ("title", "copy", "id", "kind", "role")

    def __init__(self, iface: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.task: RefreshTask | None = None
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
        self.auto_check.setChecked(Settings.load().auto_refresh_sources)
        layout.addWidget(self.auto_check)
        self._tried: dict[str, datetime] = {}  # when a refresh of each source was last started
        self.timer = QTimer(self)
        self.timer.setInterval(60_000)
        self.timer.timeout.connect(self.refresh_due_sources)
        self.timer.start()
        self.auto_check.toggled.connect(self._auto_toggled)
        self.refresh_button.clicked.connect(self.refresh_selected)
        self.load_button.clicked.connect(self.load_selected)
        self.import_button.clicked.connect(self.import_sources)
        self.export_button.clicked.connect(self.export_sources)
        QgsProject.instance().readProject.connect(self.update_table)
        QgsProject.instance().readProject.connect(lambda *args: self._tried.clear())
        self.update_table()

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
        enabled = path is not None and bool(sources) and self.task is None
        self.refresh_button.setEnabled(enabled)
        self.load_button.setEnabled(enabled)

    def _snapshots(self, sources: list[Source]) -> dict[str, feed_cache.Snapshot | None]:
        """The snapshot of each source's offline copy (None: no copy yet); empty without a store."""
        path = project_io.store_path()
        if path is None or not path.exists():
            return {}
        try:
            with Store.open(path, create=False) as store, store.transaction() as conn:
                return {s.id: feed_cache.snapshot(conn, s.id) for s in sources}
        except StoreError as error:
            self.status.setText(str(error))
            return {}

    # -- actions -----------------------------------------------------------------------------------------

    def refresh_selected(self) -> None:
        self._start(self.selected())

    def refresh_due_sources(self, now: datetime | None = None) -> list[Source]:
        """Start a refresh of the sources whose interval has passed (see `refresh_due`), when automatic
        refresh is on and nothing is being refreshed; the sources started."""
        path = project_io.store_path()
        if not self.auto_check.isChecked() or self.task is not None or path is None or not path.exists():
            return []
        now = now or datetime.now(timezone.utc)
        sources = self.sources()
        snapshots = self._snapshots(sources)
        due = [s for s in sources if refresh_due(s, snapshots[s.id].checked_at if snapshots.get(s.id) else None,
                                                 self._tried.get(s.id), now)]
        if due:
            LOG.info("automatic refresh of %s", ", ".join(s.id for s in due))
            self._start(due, automatic=True, now=now)
        return due

    def _auto_toggled(self, checked: bool) -> None:
        settings = Settings.load()
        settings.auto_refresh_sources = checked
        settings.save()

    def _start(self, sources: list[Source], automatic: bool = False, now: datetime | None = None) -> None:
        path = project_io.store_path()
        if path is None or self.task is not None or not sources:
            return
        # a refresh tried, by hand or by the timer, is not tried again automatically before its interval
        self._tried.update({s.id: now or datetime.now(timezone.utc) for s in sources})
        self.task = RefreshTask(path, sources, automatic)
        self.task.taskCompleted.connect(self._refresh_done)
        self.task.taskTerminated.connect(self._refresh_done)
        self.status.setText(tr("Refreshing…"))
        self.refresh_button.setEnabled(False)
        QgsApplication.taskManager().addTask(self.task)

    def _refresh_done(self) -> None:
        task, self.task = self.task, None
        if task is None:
            return
        self.update_table()
        failed = [r for r in task.results if not r.ok]
        for result in task.results:
            for problem in result.problems:
                LOG.warning("%s: %s", problem.record, problem_message(problem))
        if task.error:
            self._tell(task.error, Qgis.MessageLevel.Critical)
            return
        if failed:
            message = "; ".join(f"{r.source.id}: {problem_message(r.error)}" for r in failed if r.error)
            level = Qgis.MessageLevel.Warning
        else:
            message = tr("{count} sources refreshed, {problems} problems (see the log)").format(
                count=len(task.results), problems=sum(len(r.problems) for r in task.results))
            level = Qgis.MessageLevel.Info
        if task.automatic:  # the table shows the new ages; offline, the log says why every hour: no bar
            self.status.setText(message)
        else:
            self._tell(message, level)

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
                    apply_works_style(loaded.layer)
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
