"""Any workflow in a real QgsTask: its progress in QGIS's task manager, its cancel button stopping it through
the one progress contract (core/progress.py), its result or error handed back on the main thread; and the
plugin's register of running tasks, so that unloading cancels and waits for them first."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from qgis.core import QgsApplication, QgsTask

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import CancelledError, Progress, checking
from situation_room_plugin.toolbelt.i18n import error_message, tr

LOG = logging.getLogger(__name__)

T = TypeVar("T")


class WorkflowTask(QgsTask):
    """Runs `work(progress)` off the main thread. When it ends, on the main thread: `done(result)`, or
    `failed(message)` (the error's message as the user should read it; `cancelled` tells a cancel apart).

    `work` must not touch layers or widgets: read them before, on the main thread, and pass plain data.
    """

    def __init__(
        self,
        description: str,
        work: Callable[[Progress], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(description, QgsTask.Flag.CanCancel)
        self._work = work
        self._done = done
        self._failed = failed
        self._on_cancel = on_cancel  # e.g. a QgsFeedback's cancel, for providers that poll one
        self.result: Any = None
        self.error = ""
        self.cancelled = False

    def run(self) -> bool:
        try:
            self.result = self._work(checking(self.isCanceled, self.setProgress))
        except CancelledError:
            self.cancelled = True
            self.error = tr("Cancelled.")
            return False
        except SituationRoomError as error:
            self.error = error_message(error)
            return False
        except Exception as error:  # a bug must reach the user and the log, not kill QGIS
            LOG.exception("%s failed", self.description())
            self.error = tr("{task} failed: {error}").format(task=self.description(), error=error)
            return False
        return True

    def cancel(self) -> None:
        if self._on_cancel is not None:
            self._on_cancel()
        super().cancel()

    def finished(self, ok: bool) -> None:  # QgsTask API: called on the main thread
        done, failed = self._done, self._failed
        self.detach()
        if ok and done is not None:
            done(self.result)
        elif not ok and failed is not None:
            failed(self.error or tr("Cancelled."))

    def detach(self) -> None:
        """Forget the callbacks: whoever asked for the work (a panel being deleted) hears nothing more."""
        self._done = self._failed = None


class TaskRunner:
    """The plugin's running tasks. `start` hands a task to QGIS's task manager and keeps it alive until it
    ends; `stop_all` (at unload) detaches, cancels and waits for every one still running."""

    def __init__(self) -> None:
        self._running: list[QgsTask] = []
        self._detach: dict[int, Callable[[], None]] = {}

    def start(self, task: QgsTask, detach: Callable[[], None] | None = None) -> QgsTask:
        """Run `task`; `detach` silences its callbacks at unload (a WorkflowTask's own by default; e.g. the
        disconnection of a QgsProcessingAlgRunnerTask's `executed` signal)."""
        self._running.append(task)
        if detach is None and isinstance(task, WorkflowTask):
            detach = task.detach
        if detach is not None:
            self._detach[id(task)] = detach
        task.taskCompleted.connect(lambda: self._forget(task))
        task.taskTerminated.connect(lambda: self._forget(task))
        QgsApplication.taskManager().addTask(task)
        return task

    def run(
        self,
        description: str,
        work: Callable[[Progress], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[str], None] | None = None,
    ) -> WorkflowTask:
        """Start `work(progress)` as a task (see WorkflowTask)."""
        return self.start(WorkflowTask(description, work, done, failed))

    @property
    def running(self) -> list[QgsTask]:
        return list(self._running)

    def _forget(self, task: QgsTask) -> None:
        if task in self._running:
            self._running.remove(task)
        self._detach.pop(id(task), None)

    def stop_all(self, wait_ms: int = 10_000) -> None:
        """Detach every running task, cancel it and wait for it to end (the plugin's code is about to go)."""
        for task in list(self._running):
            detach = self._detach.pop(id(task), None)
            if detach is not None:
                detach()
            task.cancel()
        for task in list(self._running):
            if task.status() not in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated):
                task.waitForFinished(wait_ms)
        self._running.clear()
