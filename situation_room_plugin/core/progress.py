"""The one progress and cancel contract of every engine and workflow.

Long work calls ``progress(fraction)`` with the fraction done, from 0 to 1. The callback shows it where the
caller wants (a QgsTask, a Processing feedback, a log) and, when the user asked to stop, raises
`CancelledError`: the work stops there, never returning a partial result as if it were whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

#: Called with the fraction done (0 to 1); raises CancelledError when the caller wants the work to stop.
Progress = Callable[[float], None]


class CancelledError(Exception):
    """The user asked the work to stop (raised by a progress callback, never caught by an engine)."""


def no_progress(fraction: float) -> None:
    """A progress callback that shows nothing and never cancels."""


def advance(progress: Optional[Progress], fraction: float) -> None:
    """Call `progress` when there is one (engines take `progress=None`)."""
    if progress is not None:
        progress(fraction)


def scaled(progress: Optional[Progress], lo: float, hi: float) -> Progress:
    """The callback of one step of a longer work: its 0..1 becomes lo..hi of `progress`."""
    if progress is None:
        return no_progress

    def step(fraction: float) -> None:
        progress(lo + (hi - lo) * min(max(fraction, 0.0), 1.0))

    return step


def checking(is_cancelled: Callable[[], bool], show: Callable[[float], None] | None = None) -> Progress:
    """A callback over any front door: `show(percent)` displays 0-100, `is_cancelled()` says stop.

    Processing: ``checking(feedback.isCanceled, feedback.setProgress)``; a QgsTask:
    ``checking(task.isCanceled, task.setProgress)``.
    """

    def progress(fraction: float) -> None:
        if show is not None:
            show(100.0 * min(max(fraction, 0.0), 1.0))
        if is_cancelled():
            raise CancelledError

    return progress

