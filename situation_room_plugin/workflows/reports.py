"""What a coordination report and a work's site sheet say, as plain data: the works of a period, their conflicts,
detours, cut-off streets, bus routes, a summary per organisation and the day-by-day impact. The print layouts,
the HTML and the CSVs of `qgis_io/reports` render it; `situation_room:report`, `situation_room:work_sheet` and
the dock's report buttons build it here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from situation_room_plugin.core import conflicts as engine
from situation_room_plugin.core.conflicts import ConflictKind, ConflictOptions
from situation_room_plugin.core.detours import DayImpact, DetourEngine, detour_geometries
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.progress import Progress, advance, scaled
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.transit import BusNetwork
from situation_room_plugin.core.works import INACTIVE_STATUSES, TrafficImpact, Work
from situation_room_plugin.workflows.detours import MAX_TIMELINE_DAYS, day_detours, impact_timeline


@dataclass(frozen=True)
class ConflictRow:
    """One conflict as `situation_room:detect_conflicts` writes it (the room's decision included)."""

    conflict_id: str
    kind: str
    uid_a: str
    uid_b: str
    owner_a: str
    owner_b: str
    severity: float
    overlap_start: date | None
    overlap_end: date | None
    status: str
    note: str = ""
    title_a: str = ""
    title_b: str = ""
    gap_days: int | None = None  # days between the two (a dig-once opportunity), when they do not overlap

    def involves(self, uid: str) -> bool:
        return uid in (self.uid_a, self.uid_b)

    def active_on(self, day: date) -> bool:
        return (self.overlap_start is not None and self.overlap_end is not None
                and self.overlap_start <= day <= self.overlap_end)


@dataclass(frozen=True)
class DetourRow:
    """A work's detours over a run of days with the same closures: its worst way round (most extra metres),
    the blocked stretches without one, the road cut off beyond them."""

    work_uid: str
    title: str
    owner: str
    date_from: date | None
    date_to: date | None
    stretches: int
    no_detour: int
    extra_m: float | None
    extra_s: float | None
    cutoff_m: float


@dataclass(frozen=True)
class CutoffRow:
    name: str
    works: str  # the titles of the works responsible
    date_from: date | None
    date_to: date | None
    length_m: float


@dataclass(frozen=True)
class BusRow:
    route: str
    long_name: str
    date_from: date | None
    date_to: date | None
    trips_affected: int  # on the first day of the run (the timetable differs by weekday: see the days table)
    stops_skipped: int
    extra_m: float | None  # None: no way round on bus roads


@dataclass(frozen=True)
class OwnerSummary:
    owner: str  # the code
    name: str
    works: int
    closures: int  # works closing the road
    work_days: int  # days on the street within the period, summed over the works
    conflicts: int
    open_conflicts: int


@dataclass(frozen=True)
class DayRow:
    day: date
    works: int  # on the street (neither completed nor cancelled)
    closures: int
    conflicts: int  # clashes, moratoria, sensitive places, parking in force that day
    extra_m: float | None = None  # with roads
    bus_trips: int | None = None  # with roads and a bus network


@dataclass
class NetworkImpact:
    """The detours, cut-off streets and bus routes over a period, each run of days with the same closures
    computed once."""

    detours: list[DetourRow] = field(default_factory=list)
    cutoff: list[CutoffRow] = field(default_factory=list)
    bus: list[BusRow] = field(default_factory=list)
    computed: bool = False  # False: no road network given (the detours may come from a detours layer)
    with_bus: bool = False
    #: What the map draws (EPSG:6707 shapely lines): each detour row's line with its status (ok, no_detour),
    #: and the roads cut off; once each, whatever the runs of days they belong to.
    detour_lines: list[tuple[str, Any]] = field(default_factory=list)
    cutoff_lines: list[Any] = field(default_factory=list)


def _lines(graph: RoadGraph, impact: DayImpact, network: NetworkImpact, only: str | None = None) -> None:
    detours = [d for d in impact.detours if only is None or d.work_uid == only]
    known = {(status, g.wkb) for status, g in network.detour_lines}
    for d, line in zip(detours, detour_geometries(graph, detours)):
        if line is not None and (d.status, line.wkb) not in known:
            known.add((d.status, line.wkb))
            network.detour_lines.append((d.status, line))
    edges = graph.edge_geometries()
    seen = {g.wkb for g in network.cutoff_lines}
    for c in impact.cutoff:
        if (only is None or only in c.work_uids) and edges[c.edge].wkb not in seen:
            seen.add(edges[c.edge].wkb)
            network.cutoff_lines.append(edges[c.edge])


@dataclass
class Report:
    start: date
    end: date
    works: list[Work]
    conflicts: list[ConflictRow]
    owners: list[OwnerSummary]
    days: list[DayRow]
    network: NetworkImpact
    owner_names: dict[str, str]

    def owner_name(self, code: str) -> str:
        return self.owner_names.get(code, code)


class PeriodError(ValueError):
    """The dates of a report cannot make one (end before start, longer than the timeline allows)."""


def check_period(start: date, end: date) -> None:
    if end < start:
        raise PeriodError("end_before_start")
    if (end - start).days >= MAX_TIMELINE_DAYS:
        raise PeriodError("too_long")


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def in_period(work: Work, start: date, end: date) -> bool:
    return work.start_date <= end and work.end_date >= start


def closes_road(work: Work) -> bool:
    return work.traffic_impact == TrafficImpact.ALL_LANES_CLOSED.value


def _on_street(work: Work, day: date) -> bool:
    return work.status not in INACTIVE_STATUSES and work.is_active_on(day)


def conflicts_in_period(conflicts: Iterable[ConflictRow], uids: set[str], start: date, end: date) -> list[ConflictRow]:
    """Those in force during the period, and those without dates together (dig-once opportunities) between
    works of the period; most severe first."""
    out = []
    for c in conflicts:
        if c.overlap_start is not None and c.overlap_end is not None:
            if c.overlap_start <= end and c.overlap_end >= start:
                out.append(c)
        elif c.uid_a in uids or c.uid_b in uids:
            out.append(c)
    return sorted(out, key=lambda c: (-c.severity, c.kind, c.title_a))


def owner_summaries(works: Sequence[Work], conflicts: Sequence[ConflictRow], registry: OwnerRegistry,
                    start: date, end: date) -> list[OwnerSummary]:
    """One row per organisation with works in the period, in the registry's order (others after)."""
    order = {code: i for i, code in enumerate(registry.codes)}
    owners = sorted({w.owner for w in works}, key=lambda code: (order.get(code, len(order)), code))
    out = []
    for code in owners:
        own = [w for w in works if w.owner == code]
        days = sum((min(w.end_date, end) - max(w.start_date, start)).days + 1 for w in own)
        theirs = [c for c in conflicts if code in (c.owner_a, c.owner_b)]
        known = registry.get(code)
        out.append(OwnerSummary(code, known.name if known else code, len(own), sum(1 for w in own if closes_road(w)),
                                days, len(theirs), sum(1 for c in theirs if c.status == "open")))
    return out


def day_rows(works: Sequence[Work], conflicts: Sequence[ConflictRow], start: date, end: date,
             graph: RoadGraph | None = None, bus: BusNetwork | None = None,
             progress: Progress | None = None) -> list[DayRow]:
    """Day by day: the works on the street, the closures and the conflicts in force; with a road graph the
    closures, extra metres and bus trips are the detour engine's (situation_room:impact_timeline)."""
    timeline = {}
    if graph is not None:
        timeline = {d.day: d for d in impact_timeline(graph, works, start, end, bus, progress).days}
    in_force = [c for c in conflicts if c.kind != ConflictKind.OPPORTUNITY.value]
    out = []
    for day in _days(start, end):
        active = [w for w in works if _on_street(w, day)]
        summary = timeline.get(day)
        out.append(DayRow(
            day, len(active),
            summary.closures if summary is not None else sum(1 for w in active if closes_road(w)),
            sum(1 for c in in_force if c.active_on(day)),
            summary.extra_m_total if summary is not None else None,
            summary.bus_trips_affected if summary is not None and bus is not None else None,
        ))
    advance(progress, 1.0)
    return out


def _runs(works: Sequence[Work], start: date, end: date) -> list[tuple[date, date]]:
    """The runs of days of the period over which the same works close roads (a closure starts or ends only
    at a run's edge), those with at least one closure."""
    edges = {start, end + timedelta(days=1)}
    closing = [w for w in works if closes_road(w) and w.status not in INACTIVE_STATUSES]
    for w in closing:
        for day in (w.start_date, w.end_date + timedelta(days=1)):
            if start < day <= end:
                edges.add(day)
    ordered = sorted(edges)
    return [(a, b - timedelta(days=1)) for a, b in zip(ordered, ordered[1:])
            if any(w.is_active_on(a) for w in closing)]


def _detour_rows(impact: DayImpact, by_uid: dict[str, Work], first: date | None, last: date | None,
                 only: str | None = None) -> list[DetourRow]:
    per_work: dict[str, list] = {}
    for d in impact.detours:
        if only is None or d.work_uid == only:
            per_work.setdefault(d.work_uid, []).append(d)
    rows = []
    for uid, detours in per_work.items():
        work = by_uid.get(uid)
        with_way = [d for d in detours if d.extra_m is not None]
        worst = max(with_way, key=lambda d: d.extra_m) if with_way else None
        cut = max((d.cutoff_m or 0.0 for d in detours), default=0.0)
        rows.append(DetourRow(uid, work.title if work else uid, work.owner if work else "", first, last,
                              len(detours), len(detours) - len(with_way),
                              worst.extra_m if worst else None, worst.extra_s if worst else None, cut))
    return rows


def _cutoff_rows(graph: RoadGraph, impact: DayImpact, by_uid: dict[str, Work], first: date | None,
                 last: date | None, only: str | None = None) -> list[CutoffRow]:
    geometries = graph.edge_geometries()
    grouped: dict[tuple[str, str], float] = {}
    for c in impact.cutoff:
        if only is not None and only not in c.work_uids:
            continue
        titles = "; ".join(by_uid[u].title for u in c.work_uids if u in by_uid)
        key = (graph.edge_name(c.edge) or "", titles)
        grouped[key] = grouped.get(key, 0.0) + float(geometries[c.edge].length)
    return [CutoffRow(name, titles, first, last, length) for (name, titles), length in sorted(grouped.items())]


def _merge(rows: list, key: str) -> list:
    """The rows of runs that follow each other with the same values become one row, from the first day of the
    first to the last of the last; sorted by `key`, then date."""
    def values(row: object) -> tuple:
        return tuple((k, v) for k, v in vars(row).items() if k not in ("date_from", "date_to"))

    out: list = []
    for row in sorted(rows, key=lambda r: (repr(values(r)), r.date_from or date.min)):
        prev = out[-1] if out else None
        if (prev is not None and values(prev) == values(row) and prev.date_to is not None
                and row.date_from == prev.date_to + timedelta(days=1)):
            out[-1] = type(row)(**{**vars(prev), "date_to": row.date_to})
        else:
            out.append(row)
    return sorted(out, key=lambda r: (getattr(r, key), r.date_from or date.min))


def network_impact(graph: RoadGraph, works: Sequence[Work], start: date, end: date,
                   bus: BusNetwork | None = None, progress: Progress | None = None) -> NetworkImpact:
    """The detours of every work closing roads in the period, the streets cut off and the bus routes to
    reroute, computed once for each run of days with the same closures (every closure of the day together),
    as workflows.detours.day_detours computes a day, with one engine for all the runs (it keeps each work's
    closure and stretches)."""
    by_uid = {w.uid: w for w in works}
    detours, cutoff, routes = [], [], []
    runs = _runs(works, start, end)
    detour_engine = DetourEngine(graph)
    drawn = NetworkImpact()
    for i, (first, last) in enumerate(runs):
        impact = detour_engine.day(works, first)
        _lines(graph, impact, drawn)
        detours += _detour_rows(impact, by_uid, first, last)
        cutoff += _cutoff_rows(graph, impact, by_uid, first, last)
        if bus is not None:
            for r in bus.impact(first, impact.closures.values()):
                routes.append(BusRow(r.route.short_name or r.route.route_id, r.route.long_name, first, last,
                                     r.trips_affected, len(r.stops_skipped), r.extra_m))
        advance(progress, (i + 1) / len(runs))
    advance(progress, 1.0)
    return NetworkImpact(_merge(detours, "title"), _merge(cutoff, "name"), _merge(routes, "route"), True,
                         bus is not None, drawn.detour_lines, drawn.cutoff_lines)


def build_report(
    works: Sequence[Work],
    conflicts: Sequence[ConflictRow],
    start: date,
    end: date,
    registry: OwnerRegistry,
    graph: RoadGraph | None = None,
    bus: BusNetwork | None = None,
    detours: Sequence[DetourRow] = (),
    progress: Progress | None = None,
) -> Report:
    """The report of the works on the street between `start` and `end` (inclusive) and of their conflicts.
    With a road `graph`, the detours, cut-off streets, bus routes (with `bus`) and the day-by-day impact are
    the detour engine's; without, the `detours` rows given (from a detours layer) and a per-day count of the
    works, closures and conflicts. Runs off the main thread: it touches no layer. Raises PeriodError."""
    check_period(start, end)
    chosen = sorted((w for w in works if in_period(w, start, end)), key=lambda w: (w.start_date, w.title))
    uids = {w.uid for w in chosen}
    found = conflicts_in_period(conflicts, uids, start, end)
    names = {o.code: o.name for o in registry}
    network = NetworkImpact(list(detours))
    if graph is not None:
        network = network_impact(graph, chosen, start, end, bus, scaled(progress, 0.0, 0.6))
    days = day_rows(chosen, found, start, end, graph, bus, scaled(progress, 0.6, 1.0))
    return Report(start, end, chosen, found, owner_summaries(chosen, found, registry, start, end), days, network,
                  names)


# -- a work's site sheet -----------------------------------------------------------------------------------


@dataclass
class WorkSheet:
    work: Work
    neighbours: list[Work]  # the other works near it, on the map
    conflicts: list[ConflictRow]
    network: NetworkImpact
    owner_names: dict[str, str]

    def owner_name(self, code: str) -> str:
        return self.owner_names.get(code, code)


#: Works within this many metres of the sheet's work are drawn on its map.
NEIGHBOUR_DISTANCE_M = 300.0


def conflict_rows(found: Sequence[engine.Conflict]) -> list[ConflictRow]:
    """The engine's conflicts as report rows, open (a sheet made from the works alone has no decisions)."""
    return [ConflictRow(c.conflict_id, c.kind, c.uid_a, c.uid_b, c.owner_a, c.owner_b, c.severity, c.overlap_start,
                        c.overlap_end, "open", "", c.title_a, c.title_b, c.gap_days) for c in found]


def work_sheet(works: Sequence[Work], uid: str, registry: OwnerRegistry, graph: RoadGraph | None = None,
               bus: BusNetwork | None = None, options: ConflictOptions | None = None,
               progress: Progress | None = None) -> WorkSheet:
    """The sheet of the work `uid` of `works`: its conflicts with the others (the detection engine on the
    given works), and with a road `graph` its detours and cut-off streets on its first day on the street
    (with every closure of that day) and the bus routes (with `bus`) its closure makes reroute.
    Raises KeyError when no work has that uid."""
    by_uid = {w.uid: w for w in works}
    work = by_uid[uid]
    arrays = engine.WorkArrays.from_works(works, include_inactive=True)
    detection = engine.detect(arrays, options or ConflictOptions(include_inactive=True),
                              progress=scaled(progress, 0.0, 0.4))
    mine = [c for c in conflict_rows(detection.conflicts(with_geometry=False)) if c.involves(uid)]
    mine.sort(key=lambda c: -c.severity)
    neighbours = []
    if work.geometry is not None:
        neighbours = [w for w in works if w.uid != uid and w.geometry is not None
                      and w.geometry.distance(work.geometry) <= NEIGHBOUR_DISTANCE_M]
    network = NetworkImpact()
    if graph is not None and closes_road(work):
        day = work.start_date
        impact = day_detours(graph, works, day).impact  # every closure of that day together
        network = NetworkImpact(_detour_rows(impact, by_uid, day, day, only=uid),
                                _cutoff_rows(graph, impact, by_uid, day, day, only=uid), [], True, bus is not None)
        _lines(graph, impact, network, only=uid)
        closure = impact.closures.get(uid)
        if bus is not None and closure is not None:
            network.bus = [BusRow(r.route.short_name or r.route.route_id, r.route.long_name, day, day,
                                  r.trips_affected, len(r.stops_skipped), r.extra_m)
                           for r in bus.impact(day, [closure])]
    elif graph is not None:
        network.computed = True
    advance(progress, 1.0)
    return WorkSheet(work, neighbours, mine, network, {o.code: o.name for o in registry})
