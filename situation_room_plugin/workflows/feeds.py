"""Shared layers from end to end: which sources are due, and their refresh into the project store's offline
copies, one after the other. `situation_room:refresh_sources`, the dock's Refresh button and the plugin's
automatic refresh all run `refresh_sources`."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from qgis.core import QgsCoordinateTransformContext, QgsFeedback

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.progress import CancelledError, Progress, advance, scaled
from situation_room_plugin.core.sources import Source, refresh_due
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store

LOG = logging.getLogger(__name__)


def feed_snapshots(store: Path, sources: Sequence[Source]) -> dict[str, feed_cache.Snapshot | None]:
    """The snapshot of each source's offline copy (None: no copy yet). Reads only: an older store is not
    upgraded for it."""
    with Store.open(store, create=False) as opened:
        if opened.lacks(feed_cache.SNAPSHOTS_TABLE):
            return {s.id: None for s in sources}
        with opened.reading() as conn:
            return {s.id: feed_cache.snapshot(conn, s.id) for s in sources}


def checked_times(store: Path, sources: Sequence[Source]) -> dict[str, datetime | None]:
    """When each source's copy was last checked with its server (None: no copy yet)."""
    return {sid: getattr(snap, "checked_at", None) for sid, snap in feed_snapshots(store, sources).items()}


def due_sources(store: Path, sources: Sequence[Source], tried: Mapping[str, datetime] | None = None,
                now: datetime | None = None) -> list[Source]:
    """The sources whose refresh interval has passed since their copy was checked and since a refresh was
    last `tried` (by hand or automatically, e.g. while offline): see core.sources.refresh_due."""
    now = now or datetime.now(timezone.utc)
    checked = checked_times(store, sources)
    tried = tried or {}
    return [s for s in sources if refresh_due(s, checked[s.id], tried.get(s.id), now)]


@dataclass
class RefreshRun:
    """How the refresh of several sources went, source by source."""

    results: list[feeds.RefreshResult] = field(default_factory=list)

    @property
    def refreshed(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> list[feeds.RefreshResult]:
        return [r for r in self.results if not r.ok]

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.results for p in r.problems]


def refresh_sources(
    store: Path,
    sources: Sequence[Source],
    context: QgsCoordinateTransformContext,
    progress: Progress | None = None,
    feedback: QgsFeedback | None = None,
) -> RefreshRun:
    """Refresh each source into its offline copy, one after the other; a source that fails keeps its previous
    copy and says why, and the sources after it are read all the same. A cancel (`progress` raising
    CancelledError, or `feedback` cancelled) stops at once; the copies already refreshed stay."""
    run = RefreshRun()
    with Store.open(store, create=False) as opened:
        owners = opened.owners()
        for index, source in enumerate(sources):
            step = scaled(progress, index / len(sources), (index + 1) / len(sources))
            advance(step, 0.0)
            try:
                result = feeds.refresh(source, opened, owners, feedback=feedback, context=context, progress=step)
            except (CancelledError, SituationRoomError):
                raise
            except Exception as error:  # a bug reading one source must not lose the others
                LOG.exception("refreshing %s failed", source.id)
                problem = Problem(source.id, "", "refresh_failed", Severity.ERROR,
                                  {"value": f"{type(error).__name__}: {error}"})
                result = feeds.RefreshResult(source, False, error=problem)
            run.results.append(result)
            if feedback is not None and feedback.isCanceled():
                raise CancelledError
    advance(progress, 1.0)
    return run
