"""Every alert of a project store at once: its works and the partners' works of the shared layers' copies
(past their end date, starting soon without a permit), the conflicts its last detection run made new or
worse, and the sources whose copy is older than their refresh interval. The plugin runs `gather_alerts` in a
background task on opening a project, after a refresh of the shared layers and after each detection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Optional

from situation_room_plugin.core import alerts as rules
from situation_room_plugin.core.alerts import Alert, ConflictRecord
from situation_room_plugin.core.conflicts import Conflict
from situation_room_plugin.core.progress import Progress, advance
from situation_room_plugin.core.sources import Source
from situation_room_plugin.qgis_io.decisions import load_decisions, load_tracks
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.workflows.conflicts import store_works
from situation_room_plugin.workflows.feeds import checked_times


@dataclass
class AlertReport:
    """The alerts of one store, most pressing first, and the works left out for not being valid."""

    store: Path
    alerts: list[Alert] = field(default_factory=list)
    invalid: int = 0


def gather_alerts(
    store: Path,
    sources: Sequence[Source],
    today: date,
    now: datetime,
    days_ahead: int = rules.DEFAULT_DAYS_AHEAD,
    found: Optional[Sequence[Conflict]] = None,
    progress: Optional[Progress] = None,
) -> AlertReport:
    """Every alert of `store` at `today` / `now` (aware, UTC). `sources`: the project's registry (read on the
    main thread); `found`: the conflicts of a detection just made, whose titles and dates describe its
    alerts better than the store can (place names, overlap days). Reads only: an older store is not
    upgraded for it. Touches no layer: runs in a task."""
    works = store_works(store, include_shared=True)
    advance(progress, 0.5)
    by_uid = {w.uid: w for w in works.works}
    with Store.open(store, create=False) as opened:
        decisions = load_decisions(opened)
        tracks = load_tracks(opened)
    advance(progress, 0.7)
    before, after = rules.last_run(decisions, tracks)
    if found:
        shown = {c.conflict_id: c for c in found}
        after = {cid: _from_conflict(record, shown[cid]) if cid in shown else record for cid, record in after.items()}
    copies = checked_times(store, sources)
    advance(progress, 0.9)
    alerts = [
        *rules.overdue_works(works.works, today),
        *rules.works_without_permit(works.works, today, days_ahead),
        *rules.conflict_alerts(before, rules.described(after, by_uid)),
        *rules.stale_feeds(sources, copies, now),
    ]
    advance(progress, 1.0)
    return AlertReport(store, rules.ordered(alerts), works.invalid)


def _from_conflict(record: ConflictRecord, conflict: Conflict) -> ConflictRecord:
    return replace(record, title_a=conflict.title_a, title_b=conflict.title_b, owner_a=conflict.owner_a,
                   owner_b=conflict.owner_b, day=conflict.overlap_start, severity=conflict.severity)
