"""Conflict detection from end to end: works and places in, the engine, the room's decisions brought up to
date in the store, the conflicts out. `situation_room:detect_conflicts` and the dock's Conflicts tab both
run `detect_conflicts`; only where the works come from differs (a layer, or the project's store)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from situation_room_plugin.core import conflicts as engine
from situation_room_plugin.core.conflicts import ConflictKind, ConflictOptions
from situation_room_plugin.core.decisions import Decision, DecisionStatus
from situation_room_plugin.core.problems import Problem
from situation_room_plugin.core.progress import Progress, advance, scaled
from situation_room_plugin.core.works import GeometryLimits, Work
from situation_room_plugin.qgis_io.conflict_layers import Places
from situation_room_plugin.qgis_io.decisions import gone_decisions, load_decisions, record_run, record_severities
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.toolbelt.settings import Settings

#: The order the dock lists conflicts in, most pressing first: two works on the street together before a
#: broken moratorium, a school, parking, and the dig-once opportunities (good news, not a problem).
KIND_ORDER = (ConflictKind.CLASH, ConflictKind.MORATORIUM, ConflictKind.SENSITIVE, ConflictKind.PARKING,
              ConflictKind.OPPORTUNITY)


@dataclass
class StoreWorks:
    """The works a detection over the project's store analyses."""

    works: list[Work]
    invalid: int  # records of the store (or of the copies) left out because they are not valid works
    problems: list[Problem]
    #: partners' works known to the store but left out on purpose (the shared layers unticked): their
    #: conflicts are not marked gone for not being found.
    excluded_uids: set[str] = field(default_factory=set)


def store_works(path: Path, include_shared: bool = True, limits: GeometryLimits | None = None) -> StoreWorks:
    """The store's works and, with `include_shared`, the partners' works of the shared layers' offline copies.
    A shared work also in the store (imported from its feed) counts once, as the store has it. (`limits`: on
    each footprint; the user's settings when not given.)"""
    limits = limits or Settings.load().geometry_limits()
    with Store.open(path, create=False) as store:
        owners = store.owners()
        own = store.read_works(owners, limits)
        partners = store.read_shared_works(owners, limits)
    works = list(own.works)
    known = {w.uid for w in works}
    shared = [w for w in partners.works if w.uid not in known]
    if include_shared:
        return StoreWorks(works + shared, own.invalid_records + partners.invalid_records,
                          list(own.problems) + list(partners.problems))
    return StoreWorks(works, own.invalid_records, list(own.problems), {w.uid for w in shared})


@dataclass
class ConflictRun:
    """What a detection found, with the decision on each conflict and what changed in the store."""

    detection: engine.Detection
    conflicts: list[engine.Conflict]
    decisions: dict[str, Decision]  # by conflict id; every conflict found has one
    gone: list[Decision]  # conflicts no longer found, most recently gone first (empty without a store)
    new: int = 0
    newly_gone: int = 0
    store: Path | None = None  # where the decisions are kept; None: not kept

    def count(self, kind: ConflictKind) -> int:
        return self.detection.count(kind)

    @property
    def works(self) -> int:
        return len(self.detection.works)


def detect_conflicts(
    works: Sequence[Work],
    places: Places,
    options: ConflictOptions | None = None,
    store: Path | None = None,
    create_store: bool = False,
    excluded_uids: Collection[str] = (),
    today: date | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ConflictRun:
    """Every conflict of `works` with each other and with `places`, and the room's decisions on them.

    With a `store` (created when `create_store`), decisions are kept there across runs: a conflict found
    again keeps its status and note, one no longer found is marked gone (see core.decisions.reconcile);
    without, every conflict is open and nothing is kept. The severity of each conflict found is kept beside
    its decision, with the one it had at the run before, so that the alerts can tell the new and the worse
    ones (`now`: the moment of the run). Runs off the main thread: it touches no layer.
    """
    today = today or date.today()
    options = options or ConflictOptions()
    arrays = engine.WorkArrays.from_works(works, options.include_inactive)
    if places.roads is not None:
        arrays.importance = engine.road_importance(arrays.geoms, *places.roads)
    detection = engine.detect(arrays, options, places.protected, places.sensitive, places.parking,
                              progress=scaled(progress, 0.0, 0.9))
    conflicts = detection.conflicts(with_geometry=True)
    if store is None:
        decisions = {c.conflict_id: Decision(c.conflict_id, c.kind, c.uid_a, c.uid_b, first_seen=today,
                                             last_seen=today) for c in conflicts}
        advance(progress, 1.0)
        return ConflictRun(detection, conflicts, decisions, [], new=len(conflicts))
    excluded = set(excluded_uids)
    analysed = [w.uid for w in works if w.uid not in excluded]
    with Store.open(store, create=create_store) as opened:
        with opened.transaction():  # the decisions and the severities of the run together, or neither
            known = set(load_decisions(opened))
            decisions, changed = record_run(opened, conflicts, detection.checked, analysed, today,
                                            excluded_uids=excluded)
            record_severities(opened, {c.conflict_id: c.severity for c in conflicts}, known,
                              now or datetime.now(timezone.utc))
        gone = gone_decisions(opened)
    advance(progress, 1.0)
    return ConflictRun(
        detection, conflicts, decisions, gone,
        new=sum(1 for d in changed if d.first_seen == today and not d.is_gone),
        newly_gone=sum(1 for d in changed if d.is_gone),
        store=store,
    )


def most_pressing_first(run: ConflictRun) -> list[engine.Conflict]:
    """Open conflicts before decided ones; within each, by kind (KIND_ORDER), then the most severe first."""
    rank = {kind.value: i for i, kind in enumerate(KIND_ORDER)}
    return sorted(run.conflicts, key=lambda c: (run.decisions[c.conflict_id].status != DecisionStatus.OPEN.value,
                                                rank.get(c.kind, len(rank)), -c.severity))
