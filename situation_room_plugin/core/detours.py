"""Closures, detours, cut-off streets, interactions between works, a day-by-day timeline and the network's
criticality, on a `RoadGraph`.

A work whose `traffic_impact` is all-lanes-closed closes the edges its footprint covers (both directions,
or the one `closed_direction` names); some-lanes-closed and alternating-one-way slow them down. A closure
blocks through traffic along the whole street between its junctions (its *chain*), so a work's detours run
between the end junctions of each connected *stretch* of what it blocks, in the graph without every arc
closed that day: simultaneous closures make each other's detours longer, or impossible. A stretch that
leads nowhere (a dead-end street) has no way round: it gets one row without a detour, with the length of
road it cuts off beyond it, so that every work that closes a road appears among the detours.

Speed comes from locality and reuse: a detour is a bidirectional search that settles a few dozen nodes;
a work's closure and its detours alone are computed once; on a day, a detour alone stays valid as long as
no other closure of that day touches its path (closures only lengthen paths), so only the few detours
that another closure touches are searched again.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import shapely

from situation_room_plugin.core.progress import Progress, advance
from situation_room_plugin.core.roads import INF, Path, RoadGraph
from situation_room_plugin.core.works import INACTIVE_STATUSES, ClosedDirection, TrafficImpact, Work

#: Statuses of a detour: one found, or none exists in the network of that day.
OK = "ok"
NO_DETOUR = "no_detour"

#: Two closures interact when together their detours take longer than apart by more than this (seconds).
INTERACTION_TOLERANCE_S = 1.0


@dataclass(frozen=True)
class ClosureOptions:
    """How works' footprints act on the road graph.

    - min_covered_m: a footprint closes (or slows) an edge when it covers at least this length of it, so a
      footprint that only touches a crossing street does not close it...
    - min_covered_fraction: ...or at least this fraction of it (a short edge inside a closed junction).
    - some_lanes_speed_factor / alternating_speed_factor: speed multipliers on the edges covered by
      some-lanes-closed and alternating-one-way works (travel time is divided by them).
    - skip_statuses: works with these statuses are not on the street (completed, cancelled).
    """

    min_covered_m: float = 5.0
    min_covered_fraction: float = 0.9
    some_lanes_speed_factor: float = 0.5
    alternating_speed_factor: float = 0.3
    skip_statuses: frozenset[str] = INACTIVE_STATUSES

    def speed_factor(self, traffic_impact: str) -> float | None:
        """0 for a closure, a factor in (0, 1) for a slowdown, None for no effect on traffic."""
        if traffic_impact == TrafficImpact.ALL_LANES_CLOSED.value:
            return 0.0
        if traffic_impact == TrafficImpact.SOME_LANES_CLOSED.value:
            return self.some_lanes_speed_factor
        if traffic_impact == TrafficImpact.ALTERNATING_ONE_WAY.value:
            return self.alternating_speed_factor
        return None


@dataclass(frozen=True)
class Closure:
    """What one work does to the graph: the arcs it closes, the arcs it slows (arc -> speed factor), and
    the edges its footprint covers enough to count."""

    uid: str
    closed_arcs: frozenset[int]
    slowed_arcs: tuple[tuple[int, float], ...]
    edges: tuple[int, ...]

    @property
    def closes(self) -> bool:
        return bool(self.closed_arcs)

    @property
    def touched_arcs(self) -> frozenset[int]:
        return self.closed_arcs | {a for a, _ in self.slowed_arcs}


@dataclass(frozen=True)
class Stretch:
    """A connected run of edges a work blocks (its closed edges extended to their streets' junctions),
    the end nodes where traffic meets it, and the blocked routes through it: (source, target, base path,
    severed) — severed when the route crosses a closed bridge, so that no detour can exist."""

    edges: tuple[int, ...]
    ends: tuple[int, ...]
    routes: tuple[tuple[int, int, Path, bool], ...]


@dataclass(frozen=True)
class Detour:
    """The way around one blocked route of a work: from the stretch's end `source` to its end `target`.

    A stretch that leads nowhere (a dead-end street: one junction, or none) has no route through it to go
    round: it gets one row of its own, with no detour, whose `base` is the whole blocked stretch (its
    edges, `dead_end_edges`, in no particular order: not a route) from its junction `source` to its dead
    end `target`. `cutoff_m`, once a day's cut-off streets are known: the metres of open road that the
    day's closures cut off beyond this row's stretch (as the cut-off output lists them; the same on every
    row of a stretch without a way round); 0 for a row that has a detour; None when not computed.
    """

    work_uid: str
    source: int
    target: int
    base: Path
    detour: Path | None
    cutoff_m: float | None = None
    dead_end_edges: tuple[int, ...] = ()

    @property
    def status(self) -> str:
        return OK if self.detour is not None else NO_DETOUR

    @property
    def base_m(self) -> float:
        return self.base.length_m

    @property
    def detour_m(self) -> float | None:
        return self.detour.length_m if self.detour else None

    @property
    def extra_m(self) -> float | None:
        return self.detour.length_m - self.base.length_m if self.detour else None

    @property
    def extra_s(self) -> float | None:
        return self.detour.time_s - self.base.time_s if self.detour else None

    @property
    def ratio(self) -> float | None:
        if not self.detour:
            return None
        return self.detour.length_m / self.base.length_m if self.base.length_m > 0 else None


@dataclass(frozen=True)
class CutOff:
    """A drivable edge that the day's closures cut off from the main network, and the works responsible."""

    edge: int
    work_uids: tuple[str, ...]


@dataclass
class DayImpact:
    """Everything a day's works do to the network."""

    day: date | None
    closures: dict[str, Closure]
    detours: list[Detour]
    cutoff: list[CutOff]
    weights: list[float] = field(repr=False)

    @property
    def closing_works(self) -> int:
        return sum(1 for c in self.closures.values() if c.closes)

    @property
    def extra_m_total(self) -> float:
        return sum(d.extra_m for d in self.detours if d.extra_m is not None)


@dataclass(frozen=True)
class DaySummary:
    day: date
    closures: int
    extra_m_total: float
    cutoff_edges: int
    bus_trips_affected: int = 0


@dataclass(frozen=True)
class Interaction:
    """Two works whose simultaneous closures make their detours longer than apart, or impossible
    (`extra_m_together` None)."""

    uid_a: str
    uid_b: str
    date_from: date
    date_to: date
    extra_m_together: float | None
    extra_m_apart: float


@dataclass(frozen=True)
class PairCost:
    """Extra metres and seconds of two closures' detours, together and apart; `together_*` None when
    together they leave no detour at all."""

    together_m: float | None
    together_s: float | None
    apart_m: float
    apart_s: float


class DetourTable:
    """The detour of every street between two junctions (chain) if it alone closed, in each direction
    (0: from its first to its last junction, 1: back): a work that closes one street needs no search.

    Filled by `criticality`; kept with the graph (`store`, `of`) so that the project's cache holds it.
    """

    UNKNOWN, FOUND, NONE = 0, 1, 2

    def __init__(self, state: np.ndarray, offsets: np.ndarray, arcs: np.ndarray) -> None:
        self.state = state
        self.offsets = offsets
        self.arcs = arcs

    @classmethod
    def of(cls, graph: RoadGraph) -> DetourTable | None:
        extras = graph.extras
        if "detour_state" not in extras:
            return None
        return cls(extras["detour_state"], extras["detour_offsets"], extras["detour_arcs"])

    def store(self, graph: RoadGraph) -> None:
        graph.extras.update(detour_state=self.state, detour_offsets=self.offsets, detour_arcs=self.arcs)

    def lookup(self, chain: int, direction: int) -> tuple[int, tuple[int, ...]]:
        """(state, arcs of the detour when FOUND)."""
        i = 2 * chain + direction
        state = int(self.state[i])
        if state != self.FOUND:
            return state, ()
        return state, tuple(self.arcs[self.offsets[i]:self.offsets[i + 1]].tolist())


@dataclass
class Criticality:
    """Per edge: the extra metres of the worse direction's detour if it alone closed (NaN when there is
    none), and whether its closure cuts the network (no detour in a direction it is open in); and the
    detours themselves, per street, as a DetourTable."""

    extra_m: np.ndarray
    no_alternative: np.ndarray
    table: DetourTable | None = None


# ---------------------------------------------------------------------------------------------------------
# Closures from works


def is_on_street(work: Work, day: date, options: ClosureOptions) -> bool:
    return work.status not in options.skip_statuses and work.start_date <= day <= work.end_date


def closures_for_works(
    graph: RoadGraph, works: Iterable[Work], options: ClosureOptions | None = None
) -> dict[str, Closure]:
    """The closure of every work that affects traffic (whatever its dates), keyed by uid.

    All footprints are matched against the edges in one spatial query and one vectorised intersection.
    Works that touch no edge enough get an empty closure.
    """
    options = options or ClosureOptions()
    chosen = [w for w in works if w.geometry is not None and options.speed_factor(w.traffic_impact) is not None]
    if not chosen:
        return {}
    footprints = np.asarray([w.geometry for w in chosen], dtype=object)
    geometries = graph.edge_geometries()
    which, edges = graph.edge_tree().query(footprints, predicate="intersects")
    covered = shapely.length(shapely.intersection(geometries[edges], footprints[which]))
    lengths = graph.edge_length[edges]
    enough = (covered >= options.min_covered_m) | (covered >= options.min_covered_fraction * lengths)
    per_work: dict[int, list[int]] = {}
    for i, e in zip(which[enough].tolist(), edges[enough].tolist()):
        per_work.setdefault(i, []).append(e)
    out = {}
    open_arc = graph.arc_open
    for i, work in enumerate(chosen):
        work_edges = tuple(sorted(set(per_work.get(i, ()))))
        arcs = []
        for e in work_edges:
            if work.closed_direction != ClosedDirection.BACKWARD.value and open_arc[2 * e]:
                arcs.append(2 * e)
            if work.closed_direction != ClosedDirection.FORWARD.value and open_arc[2 * e + 1]:
                arcs.append(2 * e + 1)
        factor = options.speed_factor(work.traffic_impact)
        if factor == 0.0:
            out[work.uid] = Closure(work.uid, frozenset(arcs), (), work_edges)
        else:
            out[work.uid] = Closure(work.uid, frozenset(), tuple((a, factor) for a in arcs), work_edges)
    return out


def day_weights(graph: RoadGraph, closures: Iterable[Closure]) -> list[float]:
    """Base travel times with the closures' arcs closed (inf) and their slowdowns applied (the strongest
    one where several works slow the same arc)."""
    weights = graph.router.weights()
    base = graph.router.base_time
    slowest: dict[int, float] = {}
    closed: set[int] = set()
    for closure in closures:
        closed |= closure.closed_arcs
        for arc, factor in closure.slowed_arcs:
            if factor < slowest.get(arc, 1.0):
                slowest[arc] = factor
    for arc, factor in slowest.items():
        weights[arc] = base[arc] / factor
    for arc in closed:
        weights[arc] = INF
    return weights


# ---------------------------------------------------------------------------------------------------------
# Stretches and detours


def stretches(graph: RoadGraph, closure: Closure) -> list[Stretch]:
    """The connected runs of what a closure blocks, their end junctions, and the routes through them that
    the closure blocks (with the path they took before it, at normal speeds)."""
    if not closure.closed_arcs:
        return []
    chain, _, _ = graph.chains()
    chain_edges = graph.chain_members()
    blocked_chains = sorted({int(chain[a >> 1]) for a in closure.closed_arcs})
    edges = sorted({e for c in blocked_chains for e in chain_edges[c]})
    eu, ev = graph.edge_u, graph.edge_v
    # Union the edges into connected stretches through shared nodes.
    parent = {e: e for e in edges}

    def find(e: int) -> int:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    at_node: dict[int, int] = {}
    for e in edges:
        for node in (int(eu[e]), int(ev[e])):
            other = at_node.setdefault(node, e)
            if other != e:
                ra, rb = find(other), find(e)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for e in edges:
        groups.setdefault(find(e), []).append(e)
    degree = graph.node_degree_list()
    bridges = graph.bridges()
    out = []
    base = graph.router.base_time
    length = graph.router.arc_length
    for members in groups.values():
        inner: dict[int, int] = {}
        for e in members:
            for node in (int(eu[e]), int(ev[e])):
                inner[node] = inner.get(node, 0) + 1
        attached = [node for node, k in inner.items() if degree[node] > k]
        leaves = [node for node in attached if inner[node] == 1]
        ends = sorted(leaves if len(leaves) >= 2 else attached)
        routes = []
        arcs_of = [a for e in members for a in (2 * e, 2 * e + 1) if base[a] != INF]
        for s in ends:
            found = _local_paths(graph, arcs_of, s, base)
            for t in ends:
                if t == s or t not in found:
                    continue
                arcs = found[t]
                if not closure.closed_arcs.intersection(arcs):
                    continue  # this direction stays open (a closure of one direction only)
                severed = any(bridges[a >> 1] for a in arcs if a in closure.closed_arcs)
                path = Path(tuple(arcs), sum(length[a] for a in arcs), sum(base[a] for a in arcs))
                routes.append((s, t, path, severed))
        out.append(Stretch(tuple(members), tuple(ends), tuple(routes)))
    return out


def _local_paths(graph: RoadGraph, arcs: Sequence[int], source: int, weights: Sequence[float]) -> dict[int, list[int]]:
    """Fastest paths from source to every node over only `arcs` (a stretch: a handful of edges)."""
    adjacency: dict[int, list[tuple[int, int]]] = {}
    tails, heads = graph.router.tails, graph.router.heads
    for a in arcs:
        adjacency.setdefault(tails[a], []).append((heads[a], a))
    dist = {source: 0.0}
    pred: dict[int, int] = {}
    heap = [(0.0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, a in adjacency.get(u, ()):
            nd = d + weights[a]
            if nd < dist.get(v, INF):
                dist[v] = nd
                pred[v] = a
                heapq.heappush(heap, (nd, v))
    paths = {}
    for node in dist:
        arcs_to: list[int] = []
        v = node
        while v != source:
            a = pred[v]
            arcs_to.append(a)
            v = tails[a]
        paths[node] = arcs_to[::-1]
    return paths


def detours_for(
    graph: RoadGraph, closure: Closure, weights: Sequence[float], work_stretches: Sequence[Stretch] | None = None
) -> list[Detour]:
    """The detour of every route a closure blocks, on the given weights (a day's network)."""
    router = graph.router
    out = []
    for stretch in work_stretches if work_stretches is not None else stretches(graph, closure):
        for s, t, base, severed in stretch.routes:
            found = None if severed else router.shortest_path(s, t, weights)
            out.append(Detour(closure.uid, s, t, base, found, None if found is None else 0.0))
    return out


def dead_end(graph: RoadGraph, closure: Closure, stretch: Stretch) -> Detour:
    """The row of a stretch with no route through it to go round (a dead-end street: one junction, or
    none): no detour, the whole stretch as its base, from its junction to its dead end."""
    edges = stretch.edges
    eu, ev = graph.edge_u, graph.edge_v
    nodes = sorted({int(n) for e in edges for n in (eu[e], ev[e])})
    source = stretch.ends[0] if stretch.ends else nodes[0]
    degree = graph.node_degree_list()
    target = next((n for n in nodes if degree[n] == 1 and n != source), source)
    length = float(graph.edge_length[list(edges)].sum())
    seconds = float(graph.edge_time[list(edges)].sum())
    return Detour(closure.uid, source, target, Path(tuple(2 * e for e in edges), length, seconds), None,
                  dead_end_edges=tuple(edges))


def detour_geometries(graph: RoadGraph, detours: Sequence[Detour]) -> np.ndarray:
    """The line of each detour row: its way round; without one, the blocked route; for a dead end, the
    blocked stretch (a MultiLineString of its edges)."""
    out = graph.path_geometries([d.detour.arcs if d.detour is not None else () if d.dead_end_edges
                                 else d.base.arcs for d in detours])
    edges = graph.edge_geometries()
    for i, d in enumerate(detours):
        if d.dead_end_edges:
            out[i] = shapely.multilinestrings(edges[list(d.dead_end_edges)])
    return out


# ---------------------------------------------------------------------------------------------------------
# Cut-off


def cut_off(graph: RoadGraph, weights: Sequence[float], closures: Mapping[str, Closure]) -> list[CutOff]:
    """The open edges that could reach, and be reached from, the main network before the closures and no
    longer can, with the works whose blocked edges touch the part that is cut off."""
    router = graph.router
    if router.usable_edges is None:
        router.usable_edges = _usable_edges(graph, router.base_time, router.root)
    usable_before = router.usable_edges
    finite = np.asarray(weights) != INF
    usable_now = np.zeros(graph.edge_count, dtype=bool)
    main_size = int(usable_before.sum())
    for root in router.roots():
        usable_now = _usable_edges(graph, weights, root, finite)
        if usable_now.sum() * 2 > main_size:
            break
    still_open = finite[0::2] | finite[1::2]
    lost = np.flatnonzero(usable_before & ~usable_now & still_open)
    if not len(lost):
        return []
    return _attribute(graph, lost, closures)


def _usable_edges(
    graph: RoadGraph, weights: Sequence[float], root: int, finite: np.ndarray | None = None
) -> np.ndarray:
    """Edges with an open arc whose tail the root reaches and whose head reaches the root."""
    router = graph.router
    if root < 0:
        return np.zeros(graph.edge_count, dtype=bool)
    reach = np.frombuffer(router.reachable(root, weights), dtype=np.uint8).astype(bool)
    back = np.frombuffer(router.reachable(root, weights, False), dtype=np.uint8).astype(bool)
    if finite is None:
        finite = np.asarray(weights) != INF
    arc_ok = finite & reach[graph.arc_tail] & back[graph.arc_head]
    return arc_ok[0::2] | arc_ok[1::2]


def _edge_parts(graph: RoadGraph, edges: Iterable[int]) -> dict[int, int]:
    """The connected parts that some edges make: each of their nodes -> its part's smallest node."""
    eu, ev = graph.edge_u, graph.edge_v
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in edges:
        a, b = find(int(eu[e])), find(int(ev[e]))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {node: find(node) for node in list(parent)}


def _cut_parts(graph: RoadGraph, cutoff: Sequence[CutOff]) -> tuple[dict[int, int], dict[int, float]]:
    """The connected parts of the cut-off edges: (part of each of their nodes, metres of road per part)."""
    part = _edge_parts(graph, (c.edge for c in cutoff))
    metres: dict[int, float] = {}
    length, eu = graph.edge_length, graph.edge_u
    for c in cutoff:
        root = part[int(eu[c.edge])]
        metres[root] = metres.get(root, 0.0) + float(length[c.edge])
    return part, metres


def _attribute(graph: RoadGraph, lost: np.ndarray, closures: Mapping[str, Closure]) -> list[CutOff]:
    """Group cut-off edges into connected parts and name the works whose blocked streets touch each part."""
    eu, ev = graph.edge_u, graph.edge_v
    part = _edge_parts(graph, lost.tolist())
    chain, _, _ = graph.chains()
    chain_edges = graph.chain_members()
    touching: dict[int, set[str]] = {}
    for uid, closure in closures.items():
        if not closure.closed_arcs:
            continue
        blocked = {e for c in {int(chain[a >> 1]) for a in closure.closed_arcs} for e in chain_edges[c]}
        for e in blocked:
            for node in (int(eu[e]), int(ev[e])):
                if node in part:
                    touching.setdefault(part[node], set()).add(uid)
    closing = sorted(uid for uid, c in closures.items() if c.closed_arcs)
    out = []
    for e in lost.tolist():
        uids = touching.get(part[int(eu[e])])
        out.append(CutOff(e, tuple(sorted(uids)) if uids else tuple(closing)))
    return out


# ---------------------------------------------------------------------------------------------------------
# The engine: closures, detours alone and per day, timeline, interactions


class DetourEngine:
    """Detour analysis on one road graph, with what does not depend on the day computed once per work.

    `day(works, day)` gives a day's closures, detours and cut-off streets; `timeline(works, start, end)`
    the summary of every day in a range and the pairs of works that make each other worse;
    `pair_cost(a, b)` the same for one pair, in metres and seconds (schedule suggestions call it).
    """

    def __init__(
        self, graph: RoadGraph, options: ClosureOptions | None = None, table: DetourTable | None = None
    ) -> None:
        self.graph = graph
        self.options = options or ClosureOptions()
        self.table = table or DetourTable.of(graph)
        self._closures: dict[str, tuple[Work, Closure]] = {}
        self._stretches: dict[str, list[Stretch]] = {}
        self._alone: dict[str, list[tuple[Stretch, list[Detour]]]] = {}
        self._scratch = graph.router.weights()

    # -- per work, whatever the day -------------------------------------------------------------------

    def closures(self, works: Iterable[Work]) -> dict[str, Closure]:
        """The closure of each work (computed once per work; a changed work is computed again)."""
        works = list(works)
        missing = [w for w in works if self._closures.get(w.uid, (None,))[0] is not w]
        if missing:
            for uid, closure in closures_for_works(self.graph, missing, self.options).items():
                self._closures[uid] = (next(w for w in missing if w.uid == uid), closure)
                self._stretches.pop(uid, None)
                self._alone.pop(uid, None)
        return {w.uid: self._closures[w.uid][1] for w in works if w.uid in self._closures}

    def stretches(self, closure: Closure) -> list[Stretch]:
        found = self._stretches.get(closure.uid)
        if found is None:
            found = self._stretches[closure.uid] = stretches(self.graph, closure)
        return found

    def alone(self, closure: Closure) -> list[Detour]:
        """The detours of a closure when it is the only one in the network: one per route it blocks (the
        rows of dead-end stretches, which have no route to go round, are left out)."""
        return [d for _, rows in self._by_stretch(closure) for d in rows if not d.dead_end_edges]

    def _by_stretch(self, closure: Closure) -> list[tuple[Stretch, list[Detour]]]:
        """Each stretch of a closure with its rows alone: its detours, or the one row of a dead end."""
        found = self._alone.get(closure.uid)
        if found is None:
            found = []
            if closure.closed_arcs:
                # One shared list of base times: close the arcs, search, open them again.
                weights = self._scratch
                arcs = list(closure.closed_arcs)
                saved = [weights[a] for a in arcs]
                for a in arcs:
                    weights[a] = INF
                try:
                    for stretch in self.stretches(closure):
                        rows = self._detours(closure, stretch, weights)
                        found.append((stretch, rows or [dead_end(self.graph, closure, stretch)]))
                finally:
                    for a, w in zip(arcs, saved):
                        weights[a] = w
            self._alone[closure.uid] = found
        return found

    def _detours(self, closure: Closure, stretch: Stretch, weights: Sequence[float]) -> list[Detour]:
        """A stretch's detours alone: from the table when the stretch is one street, else searched."""
        graph = self.graph
        chain, first, last = graph.chains()
        chains = {int(chain[e]) for e in stretch.edges}
        if self.table is not None and len(chains) == 1:
            (c,) = chains
            ends = (int(first[c]), int(last[c]))
            out = []
            for s, t, base, severed in stretch.routes:
                direction = 0 if (s, t) == ends else 1 if (t, s) == ends else -1
                state, arcs = self.table.lookup(c, direction) if direction >= 0 else (DetourTable.UNKNOWN, ())
                if severed or state == DetourTable.NONE:
                    out.append(Detour(closure.uid, s, t, base, None))
                elif state == DetourTable.FOUND:
                    out.append(Detour(closure.uid, s, t, base, graph.router.path_stats(arcs), 0.0))
                else:
                    found = graph.router.shortest_path(s, t, weights)
                    out.append(Detour(closure.uid, s, t, base, found, None if found is None else 0.0))
            return out
        return detours_for(graph, closure, weights, [stretch])

    def _with(self, closures: Sequence[Closure]) -> list[float]:
        return day_weights(self.graph, closures)

    # -- a day ----------------------------------------------------------------------------------------

    def day(self, works: Iterable[Work], day: date | None = None, cutoff: bool = True) -> DayImpact:
        """The closures, detours and cut-off streets of the works on the street that day (every given
        work when `day` is None)."""
        chosen = [w for w in works if day is None or is_on_street(w, day, self.options)]
        closures = self.closures(chosen)
        return self.impact(closures, day, cutoff)

    def impact(self, closures: Mapping[str, Closure], day: date | None = None, cutoff: bool = True) -> DayImpact:
        """The impact of a set of closures in force together."""
        weights = self._with(list(closures.values()))
        touched_by: dict[int, int] = {}
        for closure in closures.values():
            for arc in closure.touched_arcs:
                touched_by[arc] = touched_by.get(arc, 0) + 1
        per_stretch: list[tuple[Stretch, list[Detour]]] = []
        for closure in closures.values():
            if not closure.closed_arcs:
                continue
            own = closure.touched_arcs
            for stretch, alone in self._by_stretch(closure):
                rows = []
                for detour in alone:
                    # A path stays the fastest while nothing on it changed: closures only lengthen paths.
                    if detour.detour is None or not any(
                        touched_by.get(a, 0) > (1 if a in own else 0) for a in detour.detour.arcs
                    ):
                        rows.append(detour)
                    else:
                        found = self.graph.router.shortest_path(detour.source, detour.target, weights)
                        rows.append(Detour(detour.work_uid, detour.source, detour.target, detour.base, found,
                                           None if found is None else 0.0))
                per_stretch.append((stretch, rows))
        if not cutoff or not per_stretch:
            return DayImpact(day, dict(closures), [d for _, rows in per_stretch for d in rows], [], weights)
        lost = cut_off(self.graph, weights, closures)
        return DayImpact(day, dict(closures), self._with_cutoff(per_stretch, lost), lost, weights)

    def _with_cutoff(self, per_stretch: Sequence[tuple[Stretch, list[Detour]]], lost: Sequence[CutOff]) -> list[Detour]:
        """The rows with their `cutoff_m`: the cut-off road in the parts that a stretch without a way round
        touches (as `cut_off` attributes parts to works), 0 for a row with a detour."""
        part, metres = _cut_parts(self.graph, lost) if lost else ({}, {})
        eu, ev = self.graph.edge_u, self.graph.edge_v
        out = []
        for stretch, rows in per_stretch:
            beyond = None
            for d in rows:
                if d.detour is not None:  # 0 already
                    out.append(d)
                    continue
                if beyond is None:
                    roots = {part[n] for e in stretch.edges for n in (int(eu[e]), int(ev[e])) if n in part}
                    beyond = sum((metres[r] for r in roots), 0.0)
                out.append(Detour(d.work_uid, d.source, d.target, d.base, None, beyond, d.dead_end_edges))
        return out

    # -- pairs and timeline ---------------------------------------------------------------------------

    def pair_cost(self, a: Closure, b: Closure) -> PairCost | None:
        """What two closures cost together and apart when together their detours take longer (detours are
        the fastest way round: longer in time, whatever the metres) or are impossible; None when neither
        makes the other's detours worse."""
        alone_a, alone_b = self.alone(a), self.alone(b)
        if any(d.detour is None for d in alone_a + alone_b):
            return None  # already impossible alone: the pair cannot make it worse
        apart_m = sum(d.extra_m for d in alone_a + alone_b)
        apart_s = sum(d.extra_s for d in alone_a + alone_b)
        touched_b, touched_a = b.touched_arcs, a.touched_arcs
        if not (any(touched_b.intersection(d.detour.arcs) for d in alone_a)
                or any(touched_a.intersection(d.detour.arcs) for d in alone_b)):
            return None
        weights = self._with([a, b])
        router = self.graph.router
        together_m = together_s = 0.0
        for detour in alone_a + alone_b:
            found = router.shortest_path(detour.source, detour.target, weights)
            if found is None:
                return PairCost(None, None, apart_m, apart_s)
            together_m += found.length_m - detour.base.length_m
            together_s += found.time_s - detour.base.time_s
        if together_s > apart_s + INTERACTION_TOLERANCE_S:
            return PairCost(together_m, together_s, apart_m, apart_s)
        return None

    def interaction(self, a: Closure, b: Closure) -> tuple[float | None, float] | None:
        """(extra metres together, extra metres apart) of two closures that make each other worse (see
        `pair_cost`); together None when no detour is left."""
        cost = self.pair_cost(a, b)
        return None if cost is None else (cost.together_m, cost.apart_m)

    def timeline(
        self,
        works: Sequence[Work],
        start: date,
        end: date,
        bus_trips: Callable[[date, DayImpact], int] | None = None,
        progress: Progress | None = None,
    ) -> tuple[list[DaySummary], list[Interaction]]:
        """Per day from start to end (inclusive): closures, total extra metres of detours, cut-off edges,
        bus trips affected (when `bus_trips` is given); and the pairs of works that interact."""
        works = [w for w in works if w.status not in self.options.skip_statuses and w.end_date >= start
                 and w.start_date <= end]
        all_closures = self.closures(works)
        by_uid = {w.uid: w for w in works if w.uid in all_closures}
        days = (end - start).days + 1
        summaries: list[DaySummary] = []
        memo: dict[frozenset[str], tuple[int, float, int, DayImpact]] = {}
        for i in range(days):
            day = start + timedelta(days=i)
            active = frozenset(uid for uid, w in by_uid.items() if w.start_date <= day <= w.end_date)
            if active not in memo:
                impact = self.impact({uid: all_closures[uid] for uid in sorted(active)}, day)
                memo.clear()  # consecutive days share sets; keep memory flat
                memo[active] = (impact.closing_works, impact.extra_m_total, len(impact.cutoff), impact)
            closing, extra, cut, impact = memo[active]
            trips = bus_trips(day, impact) if bus_trips else 0
            summaries.append(DaySummary(day, closing, extra, cut, trips))
            advance(progress, 0.8 * (i + 1) / days)
        interactions = self.interactions(list(by_uid.values()), start, end)
        advance(progress, 1.0)
        return summaries, interactions

    def interactions(self, works: Sequence[Work], start: date, end: date) -> list[Interaction]:
        """Pairs of works overlapping in time (within start..end) whose closures make each other worse.

        Candidates are the pairs where one work's closed or slowed arcs lie on the other's detour alone:
        any other pair leaves both detours as they were.
        """
        closures = self.closures(works)
        by_uid = {w.uid: w for w in works if w.uid in closures}
        on_arc: dict[int, list[str]] = {}
        for uid, closure in closures.items():
            for arc in closure.touched_arcs:
                on_arc.setdefault(arc, []).append(uid)
        pairs: set[tuple[str, str]] = set()
        for uid, closure in closures.items():
            for detour in self.alone(closure):
                if detour.detour is None:
                    continue
                for arc in detour.detour.arcs:
                    for other in on_arc.get(arc, ()):
                        if other != uid:
                            pairs.add((min(uid, other), max(uid, other)))
        out = []
        for uid_a, uid_b in sorted(pairs):
            wa, wb = by_uid[uid_a], by_uid[uid_b]
            first = max(wa.start_date, wb.start_date, start)
            last = min(wa.end_date, wb.end_date, end)
            if first > last:
                continue
            result = self.interaction(closures[uid_a], closures[uid_b])
            if result is not None:
                out.append(Interaction(uid_a, uid_b, first, last, result[0], result[1]))
        return out


# ---------------------------------------------------------------------------------------------------------
# Criticality


def criticality(graph: RoadGraph, progress: Progress | None = None) -> Criticality:
    """For every edge, the detour if its street alone closed, and whether that closure cuts the network.

    Bridges (edges whose removal disconnects the network, directions ignored) are found first in one
    linear pass and need no search. Every other street between two junctions (a chain) is searched once
    per open direction, with the whole chain closed: all its edges share the answer.
    """
    m = graph.edge_count
    extra = np.full(m, np.nan)
    cut = graph.bridges().copy()
    _, first, last = graph.chains()
    members = graph.chain_members()
    router = graph.router
    weights = router.weights()
    length = router.arc_length
    heads, tails = router.heads, router.tails
    k = len(first)
    state = np.zeros(2 * k, dtype=np.int8)
    paths: list[tuple[int, ...]] = [()] * (2 * k)
    for c in range(k):
        edges = members[c]
        if cut[edges[0]]:
            cut[edges] = True
            state[2 * c:2 * c + 2] = DetourTable.NONE
            continue
        s, t = int(first[c]), int(last[c])
        if s == t:
            extra[edges] = 0.0  # a loop hanging off one junction carries no through traffic
            continue
        arcs = [a for e in edges for a in (2 * e, 2 * e + 1)]
        saved = [weights[a] for a in arcs]
        forward_arcs, backward_arcs = _chain_directions(edges, s, t, heads, tails, weights)
        for a in arcs:
            weights[a] = INF
        worst = -INF
        blocked = False
        for direction, (source, target, along) in enumerate(((s, t, forward_arcs), (t, s, backward_arcs))):
            if along is None:
                continue  # one-way street: nothing to detour in this direction
            found = router.shortest_path(source, target, weights)
            if found is None:
                blocked = True
                state[2 * c + direction] = DetourTable.NONE
                continue
            state[2 * c + direction] = DetourTable.FOUND
            paths[2 * c + direction] = found.arcs
            worst = max(worst, found.length_m - sum(length[a] for a in along))
        for a, w in zip(arcs, saved):
            weights[a] = w
        if blocked:
            cut[edges] = True
        elif worst > -INF:
            extra[edges] = worst
        if c % 500 == 0:
            advance(progress, c / k)  # after the weights are restored: a cancel leaves the graph as it was
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    flat = np.fromiter((a for p in paths for a in p), dtype=np.int64, count=int(offsets[-1]))
    return Criticality(extra, cut, DetourTable(state, offsets, flat))


def _chain_directions(
    edges: Sequence[int], s: int, t: int, heads: Sequence[int], tails: Sequence[int], weights: Sequence[float]
) -> tuple[list[int] | None, list[int] | None]:
    """The arcs along a chain from s to t and from t to s (None where a one-way rule forbids it)."""
    out: list[list[int] | None] = []
    for source, target in ((s, t), (t, s)):
        by_tail: dict[int, list[int]] = {}
        for e in edges:
            for a in (2 * e, 2 * e + 1):
                if weights[a] != INF:
                    by_tail.setdefault(tails[a], []).append(a)
        path: list[int] = []
        node, used = source, set()
        while node != target:
            step = next((a for a in by_tail.get(node, ()) if (a >> 1) not in used), None)
            if step is None:
                path = None  # type: ignore[assignment]
                break
            used.add(step >> 1)
            path.append(step)
            node = heads[step]
        out.append(path)
    return out[0], out[1]

