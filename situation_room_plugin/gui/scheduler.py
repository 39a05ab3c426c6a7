"""The plugin's refresh of shared layers: one refresh at a time, started by hand (the Shared layers tab) or by
the interval timer, which runs from the moment the plugin loads, whether the dock is open or not."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone

from qgis.core import QgsFeedback, QgsProject
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.core.sources import Source
from situation_room_plugin.gui.tasks import TaskRunner, WorkflowTask
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.toolbelt.i18n import error_message, problem_message, tr
from situation_room_plugin.toolbelt.settings import Settings
from situation_room_plugin.workflows.feeds import RefreshRun, due_sources, refresh_sources

LOG = logging.getLogger(__name__)


@dataclass
class RefreshOutcome:
    """How one refresh went: the run (empty when it failed as a whole), why it failed or was cancelled."""

    sources: list[Source]
    automatic: bool
    run: RefreshRun = field(default_factory=RefreshRun)
    error: str = ""


class RefreshScheduler(QObject):
    """Refreshes the project's sources in background tasks, one refresh at a time. With automatic refresh on
    (the setting), every minute it starts the sources whose interval has passed (core.sources.refresh_due);
    a source tried, by hand or not, is not tried again automatically before its interval (offline: once
    an interval, said in the log, not the message bar)."""

    started = pyqtSignal(list)  # the sources being refreshed
    finished = pyqtSignal(object)  # a RefreshOutcome

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None, interval_ms: int = 60_000) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.task: WorkflowTask | None = None
        self.automatic = Settings.load().auto_refresh_sources
        self._tried: dict[str, datetime] = {}  # when a refresh of each source was last started
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh_due)
        QgsProject.instance().readProject.connect(self._project_read)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        """Stop the timer and forget the project (the plugin unloads); a running task is the runner's."""
        self.timer.stop()
        try:
            QgsProject.instance().readProject.disconnect(self._project_read)
        except TypeError:  # already disconnected
            pass

    @property
    def busy(self) -> bool:
        return self.task is not None

    def set_automatic(self, on: bool) -> None:
        self.automatic = on
        settings = Settings.load()
        settings.auto_refresh_sources = on
        settings.save()

    def _project_read(self, *args: object) -> None:
        self._tried.clear()

    def refresh_due(self, now: datetime | None = None) -> list[Source]:
        """Start a refresh of the sources whose interval has passed, when automatic refresh is on and
        nothing is being refreshed; the sources started."""
        path = project_io.store_path()
        if not self.automatic or self.busy or path is None or not path.exists():
            return []
        now = now or datetime.now(timezone.utc)
        sources, _ = feeds.read_registry()  # its problems are logged when the tab lists the sources
        try:
            due = due_sources(path, sources, self._tried, now)
        except SituationRoomError as error:
            LOG.warning("automatic refresh: %s", error_message(error))
            return []
        if due:
            LOG.info("automatic refresh of %s", ", ".join(s.id for s in due))
            self.refresh(due, automatic=True, now=now)
        return due

    def refresh(self, sources: list[Source], automatic: bool = False, now: datetime | None = None) -> bool:
        """Start refreshing `sources` in a task; False when there is no store, nothing to do, or a refresh
        is running already."""
        path = project_io.store_path()
        if path is None or self.busy or not sources:
            return False
        self._tried.update({s.id: now or datetime.now(timezone.utc) for s in sources})
        context = QgsProject.instance().transformContext()
        feedback = QgsFeedback()  # lets the WFS/OAPIF providers stop in the middle of a page

        def work(progress: Progress) -> RefreshRun:
            return refresh_sources(path, sources, context, progress, feedback)

        self.task = WorkflowTask(tr("Refreshing shared layers"), work,
                                 lambda run: self._done(RefreshOutcome(sources, automatic, run)),
                                 lambda message: self._done(RefreshOutcome(sources, automatic, error=message)),
                                 on_cancel=feedback.cancel)
        self.tasks.start(self.task)
        self.started.emit(sources)
        return True

    def _done(self, outcome: RefreshOutcome) -> None:
        self.task = None
        for problem in outcome.run.problems:
            LOG.warning("%s: %s", problem.record, problem_message(problem))
        if outcome.error:
            LOG.warning("refresh of %s: %s", ", ".join(s.id for s in outcome.sources), outcome.error)
        self.finished.emit(outcome)


def refresh_message(outcome: RefreshOutcome) -> str:
    """What the user reads of a refresh: the failures by source, else the counts."""
    if outcome.error:
        return outcome.error
    failed = [r for r in outcome.run.failed if r.error is not None]
    if failed:
        return "; ".join(f"{r.source.id}: {problem_message(r.error)}" for r in failed)
    return tr("{count} sources refreshed, {problems} problems (see the log)").format(
        count=outcome.run.refreshed, problems=len(outcome.run.problems))

