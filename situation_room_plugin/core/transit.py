"""Bus lines and closures: a GTFS feed read with csv (routes, trips, shapes, stops, calendar and
calendar_dates), its shapes matched onto the road graph once, and for a day the routes whose buses meet a
closure, the stops they skip, the way round on roads a bus can take, and the trips running that day.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import shapely

from situation_room_plugin.core.detours import Closure, DayImpact
from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.roads import INF, RoadGraph

# ---------------------------------------------------------------------------------------------------------
# Reading GTFS


class GtfsError(SituationRoomError):
    """The file is not a usable GTFS feed; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Route:
    route_id: str
    short_name: str
    long_name: str
    route_type: str


@dataclass(frozen=True)
class Trip:
    trip_id: str
    route_id: str
    service_id: str
    shape_id: str


@dataclass(frozen=True)
class Stop:
    stop_id: str
    name: str
    lon: float
    lat: float


@dataclass
class Gtfs:
    """What the bus analysis needs of a GTFS feed. Shapes are (lon, lat) arrays in sequence order;
    `shape_stops` the stops that the trips of each shape serve."""

    routes: dict[str, Route]
    trips: list[Trip]
    stops: dict[str, Stop]
    shapes: dict[str, np.ndarray]
    shape_stops: dict[str, tuple[str, ...]]
    calendar: dict[str, tuple[tuple[bool, ...], date, date]] = field(default_factory=dict)
    added: dict[str, set[date]] = field(default_factory=dict)
    removed: dict[str, set[date]] = field(default_factory=dict)

    def runs_on(self, service_id: str, day: date) -> bool:
        """calendar.txt (weekdays within a date range) with calendar_dates.txt exceptions on top."""
        if day in self.removed.get(service_id, ()):
            return False
        if day in self.added.get(service_id, ()):
            return True
        rule = self.calendar.get(service_id)
        return bool(rule and rule[1] <= day <= rule[2] and rule[0][day.weekday()])

    def services_on(self, day: date) -> set[str]:
        services = {t.service_id for t in self.trips}
        return {s for s in services if self.runs_on(s, day)}

    def service_period(self) -> tuple[date, date] | None:
        """The first and last day any service runs (None for a feed without service days)."""
        days = [d for ds in self.added.values() for d in ds]
        days += [d for rule in self.calendar.values() for d in rule[1:]]
        return (min(days), max(days)) if days else None


def _gtfs_date(text: str) -> date:
    return datetime.strptime(text.strip(), "%Y%m%d").date()


def read_gtfs(path: str | Path) -> Gtfs:
    """Read the tables the bus analysis needs from a GTFS zip (shape-less trips are kept, but cannot be
    placed on the map; a feed without shapes.txt has no bus lines to analyse)."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise GtfsError.of("gtfs_not_zip", path=str(path), value=str(error)) from error
    with archive:
        names = {Path(n).name: n for n in archive.namelist()}

        def rows(table: str, required: bool = True) -> Iterable[dict[str, str]]:
            if table not in names:
                if required:
                    raise GtfsError.of("gtfs_missing_table", path=str(path), value=table)
                return []
            text = io.TextIOWrapper(archive.open(names[table]), encoding="utf-8-sig", newline="")
            return csv.DictReader(text)

        try:
            routes = {
                r["route_id"]: Route(r["route_id"], r.get("route_short_name") or "", r.get("route_long_name") or "",
                                     r.get("route_type") or "")
                for r in rows("routes.txt")
            }
            trips = [Trip(r["trip_id"], r["route_id"], r["service_id"], r.get("shape_id") or "")
                     for r in rows("trips.txt")]
            stops = {r["stop_id"]: Stop(r["stop_id"], (r.get("stop_name") or "").strip(), float(r["stop_lon"]),
                                        float(r["stop_lat"]))
                     for r in rows("stops.txt") if r.get("stop_lat") and r.get("stop_lon")}
            points: dict[str, list[tuple[int, float, float]]] = {}
            for r in rows("shapes.txt", required=False):
                points.setdefault(r["shape_id"], []).append(
                    (int(float(r["shape_pt_sequence"])), float(r["shape_pt_lon"]), float(r["shape_pt_lat"])))
            shapes = {sid: np.asarray([(lon, lat) for _, lon, lat in sorted(pts)]) for sid, pts in points.items()}
            trip_shape = {t.trip_id: t.shape_id for t in trips}
            served: dict[str, set[str]] = {}
            for r in rows("stop_times.txt"):
                shape_id = trip_shape.get(r["trip_id"])
                if shape_id:
                    served.setdefault(shape_id, set()).add(r["stop_id"])
            calendar = {}
            for r in rows("calendar.txt", required=False):
                weekdays = tuple(r[d] == "1" for d in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                         "saturday", "sunday"))
                calendar[r["service_id"]] = (weekdays, _gtfs_date(r["start_date"]), _gtfs_date(r["end_date"]))
            added: dict[str, set[date]] = {}
            removed: dict[str, set[date]] = {}
            for r in rows("calendar_dates.txt", required=False):
                target = added if r["exception_type"].strip() == "1" else removed
                target.setdefault(r["service_id"], set()).add(_gtfs_date(r["date"]))
        except (KeyError, ValueError) as error:
            raise GtfsError.of("gtfs_bad_table", path=str(path), value=repr(error)) from error
    if not calendar and not added:
        raise GtfsError.of("gtfs_no_calendar", path=str(path))
    shape_stops = {sid: tuple(sorted(s)) for sid, s in served.items()}
    return Gtfs(routes, trips, stops, shapes, shape_stops, calendar, added, removed)


# ---------------------------------------------------------------------------------------------------------
# Projection: WGS84 longitude/latitude to the works' EPSG:6707 (RDN2008 / UTM 32N, GRS80)


def utm32_from_lonlat(lon: np.ndarray | float, lat: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Transverse Mercator zone 32N on GRS80 with Krüger's series to n³ (Karney 2011): better than a
    millimetre across the zone. ETRS89/RDN2008 and WGS84 differ by well under a metre, which GTFS
    shapes do not resolve anyway."""
    a, f, k0 = 6378137.0, 1 / 298.257222101, 0.9996
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    alphas = (n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16, 13 * n**2 / 48 - 3 * n**3 / 5, 61 * n**3 / 240)
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float) - 9.0)
    e = 2 * math.sqrt(n) / (1 + n)
    t = np.sinh(np.arctanh(np.sin(phi)) - e * np.arctanh(e * np.sin(phi)))
    xi = np.arctan2(t, np.cos(lam))
    eta = np.arctanh(np.sin(lam) / np.sqrt(1 + t * t))
    x, y = eta.copy(), xi.copy()
    for j, alpha in enumerate(alphas, start=1):
        x += alpha * np.cos(2 * j * xi) * np.sinh(2 * j * eta)
        y += alpha * np.sin(2 * j * xi) * np.cosh(2 * j * eta)
    return 500000.0 + k0 * big_a * x, k0 * big_a * y


Transform = Callable[[np.ndarray], np.ndarray]


def default_transform(lonlat: np.ndarray) -> np.ndarray:
    x, y = utm32_from_lonlat(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack((x, y))


# ---------------------------------------------------------------------------------------------------------
# Bus lines on the road graph

#: Road classes a bus may be rerouted over (OSM `highway`).
BUS_CLASSES: frozenset[str] = frozenset(
    {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
     "tertiary", "tertiary_link", "unclassified", "residential", "busway", "road"}
)


@dataclass(frozen=True)
class TransitOptions:
    """- match_distance_m: how far a GTFS shape may lie from the road it runs along (shapes are drawn
      loosely); - match_angle_deg: how far its direction may turn from the road's (a crossing street is not
      followed); - stop_distance_m: a stop this close to a blocked road is skipped; - bus_classes: roads a
      rerouted bus may take."""

    match_distance_m: float = 15.0
    match_angle_deg: float = 35.0
    stop_distance_m: float = 25.0
    bus_classes: frozenset[str] = BUS_CLASSES


@dataclass(frozen=True)
class BusReroute:
    """One blocked run of one shape: where the bus leaves its line and where it rejoins it, the way round
    (None when there is none on bus roads) and the metres it adds."""

    shape_id: str
    source: int
    target: int
    blocked_arcs: tuple[int, ...]
    base_m: float
    arcs: tuple[int, ...] | None
    length_m: float | None

    @property
    def extra_m(self) -> float | None:
        return None if self.length_m is None else self.length_m - self.base_m


@dataclass
class BusImpact:
    """A route's day: the trips running that day on its blocked shapes, the stops they skip, the reroutes
    and the largest extra metres of one trip (None when some shape cannot be rerouted)."""

    route: Route
    shapes: list[str]
    trips_affected: int
    stops_skipped: list[str]
    reroutes: list[BusReroute]

    @property
    def extra_m(self) -> float | None:
        per_shape: dict[str, float] = {}
        for r in self.reroutes:
            if r.extra_m is None:
                return None
            per_shape[r.shape_id] = per_shape.get(r.shape_id, 0.0) + r.extra_m
        return max(per_shape.values()) if per_shape else 0.0


class BusNetwork:
    """A GTFS feed matched onto a road graph (once): per shape, the arcs its buses drive in order."""

    def __init__(
        self,
        graph: RoadGraph,
        gtfs: Gtfs,
        options: TransitOptions | None = None,
        transform: Transform = default_transform,
    ) -> None:
        self.graph = graph
        self.gtfs = gtfs
        self.options = options or TransitOptions()
        # Bus roads: the base times with every other road closed.
        classes = np.asarray([c.lower() for c in graph.feature_class], dtype=object)
        self.bus_edge = np.isin(classes[graph.edge_feature], list(self.options.bus_classes))
        weights = np.asarray(graph.router.base_time)
        weights[~np.repeat(self.bus_edge, 2)] = INF
        self.bus_weights: list[float] = weights.tolist()
        self.shape_ids = sorted(sid for sid in gtfs.shapes if len(gtfs.shapes[sid]) >= 2)
        self.shape_xy = [transform(gtfs.shapes[sid]) for sid in self.shape_ids]
        self.shape_arcs: list[list[int]] = self._match()
        self.by_arc: dict[int, list[int]] = {}
        for i, arcs in enumerate(self.shape_arcs):
            for arc in arcs:
                self.by_arc.setdefault(arc, []).append(i)
        self._services_day: date | None = None
        self._services_set: set[str] = set()
        self.shape_trips: dict[str, list[Trip]] = {}
        for trip in gtfs.trips:
            self.shape_trips.setdefault(trip.shape_id, []).append(trip)
        # The bus roads near each stop, once: a stop is skipped when one of them is blocked.
        stop_ids = sorted(gtfs.stops)
        self.stop_edges: dict[str, frozenset[int]] = {}
        if stop_ids:
            xy = transform(np.asarray([(gtfs.stops[s].lon, gtfs.stops[s].lat) for s in stop_ids]).reshape(-1, 2))
            which, edges = graph.edge_tree().query(shapely.points(xy), predicate="dwithin",
                                                   distance=self.options.stop_distance_m)
            near: dict[int, set[int]] = {}
            for i, e in zip(which.tolist(), edges.tolist()):
                if self.bus_edge[e]:
                    near.setdefault(i, set()).add(e)
            self.stop_edges = {stop_ids[i]: frozenset(es) for i, es in near.items()}

    #: Where an edge is sampled to decide whether a shape runs along it (fractions of its length).
    SAMPLES = (0.1, 0.3, 0.5, 0.7, 0.9)
    #: Edges matched at a time (bounds the memory of the matching).
    CHUNK = 2000

    def _match(self) -> list[list[int]]:
        """The arcs of bus roads each shape drives along, in its order.

        An edge is driven by a shape when every sample point along the edge lies within the match distance
        of a segment of the shape heading the same way as the edge there (within the match angle), or the
        opposite way (then the bus drives the edge backwards). A crossing street fails the heading test; a
        parallel street farther than the distance fails the distance test. All in a few array passes: the
        shape segments in a spatial index, queried with the sample points' boxes.
        """
        out: list[list[int]] = [[] for _ in self.shape_ids]
        if not self.shape_ids or not self.graph.edge_count:
            return out
        options = self.options
        tol = options.match_distance_m
        counts = np.asarray([len(xy) for xy in self.shape_xy])
        coords = np.concatenate(self.shape_xy)
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        seg_shape = np.repeat(np.arange(len(counts)), counts - 1)
        seg_start = np.concatenate([np.arange(f, f + c - 1) for f, c in zip(first, counts)])
        a, b = coords[seg_start], coords[seg_start + 1]
        seg_vec = b - a
        seg_len = np.hypot(seg_vec[:, 0], seg_vec[:, 1])
        # Measure along its shape of each segment's start.
        cumulative = np.concatenate(([0.0], np.cumsum(seg_len)))
        shape_first_seg = np.concatenate(([0], np.cumsum(counts - 1)[:-1]))
        seg_m0 = cumulative[:-1] - cumulative[shape_first_seg][seg_shape]
        tree = shapely.STRtree(shapely.linestrings(np.stack((a, b), axis=1)))

        geometries = self.graph.edge_geometries()
        k = len(self.SAMPLES)
        limit = math.cos(math.radians(options.match_angle_deg))
        parts = []
        # Edges in chunks: the sample points and their candidate segments stay small in memory.
        for first_edge in range(0, len(geometries), self.CHUNK):
            chunk = geometries[first_edge:first_edge + self.CHUNK]
            fractions = np.tile(np.asarray(self.SAMPLES), len(chunk))
            repeated = np.repeat(chunk, k)
            points = shapely.get_coordinates(shapely.line_interpolate_point(repeated, fractions, normalized=True))
            edge_vec = shapely.get_coordinates(
                shapely.line_interpolate_point(repeated, fractions + 0.05, normalized=True)
            ) - shapely.get_coordinates(shapely.line_interpolate_point(repeated, fractions - 0.05, normalized=True))
            boxes = shapely.box(points[:, 0] - tol, points[:, 1] - tol, points[:, 0] + tol, points[:, 1] + tol)
            pi, si = tree.query(boxes)
            del boxes, repeated
            # Distance from sample to segment, heading agreement.
            d = seg_vec[si]
            length2 = np.maximum((d * d).sum(axis=1), 1e-12)
            p = points[pi]
            t = np.clip(((p - a[si]) * d).sum(axis=1) / length2, 0.0, 1.0)
            gap = a[si] + t[:, None] * d - p
            near = (gap * gap).sum(axis=1) <= tol * tol
            ev = edge_vec[pi]
            norms = np.hypot(ev[:, 0], ev[:, 1]) * np.sqrt(length2)
            cosine = np.divide((ev * d).sum(axis=1), norms, out=np.zeros(len(norms)), where=norms > 0)
            sign = np.where(cosine >= limit, 1, np.where(cosine <= -limit, -1, 0))
            keep = near & (sign != 0)
            parts.append((pi[keep] + first_edge * k, si[keep], sign[keep], t[keep]))
        pi, si, sign, t = (np.concatenate(column) for column in zip(*parts))
        edge = pi // k
        sample = pi % k
        shape = seg_shape[si]
        measure = seg_m0[si] + t * seg_len[si]
        backward = (sign < 0).astype(np.int64)
        arc = 2 * edge + backward
        # An arc is driven by a shape when all its samples but one found a segment of that shape (a shape
        # cutting a corner misses the sample nearest to it), in a direction the arc can be driven.
        open_arc = self.graph.arc_open[arc] & self.bus_edge[arc >> 1]
        arc, shape, sample, measure = arc[open_arc], shape[open_arc], sample[open_arc], measure[open_arc]
        key = arc * len(self.shape_ids) + shape
        sample_key = key * k + sample
        unique_samples = np.unique(sample_key)
        per_key, how_many = np.unique(unique_samples // k, return_counts=True)
        driven = per_key[how_many >= k - 1]
        chosen = np.isin(key, driven)
        key, measure = key[chosen], measure[chosen]
        # The arc's place along the shape: the smallest measure of its samples' matches (first passage).
        order = np.lexsort((measure, key))
        key, measure = key[order], measure[order]
        firsts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        key, measure = key[firsts], measure[firsts]
        shapes, arcs = key % len(self.shape_ids), key // len(self.shape_ids)
        order = np.lexsort((measure, shapes))
        for i, a_ in zip(shapes[order].tolist(), arcs[order].tolist()):
            out[i].append(a_)
        return [self._fill_gaps(arcs_) for arcs_ in out]

    #: Gaps between matched arcs up to this far apart are bridged by the fastest path between them.
    GAP_M = 80.0

    def _fill_gaps(self, arcs: list[int]) -> list[int]:
        """Join matched arcs that do not meet (a short edge the shape drew loosely) with the fastest path
        between them, when it is short: so that a closed run of the line is found whole."""
        if len(arcs) < 2:
            return arcs
        router = self.graph.router
        heads, tails, xy = router.heads, router.tails, self.graph.node_xy
        filled = [arcs[0]]
        for nxt in arcs[1:]:
            end, start = heads[filled[-1]], tails[nxt]
            if end != start:
                gap = float(np.hypot(*(xy[end] - xy[start])))
                if gap <= self.GAP_M:
                    path = router.shortest_path(end, start, self.bus_weights)
                    if path is not None and path.length_m <= 2 * gap + 30.0:
                        filled.extend(a for a in path.arcs if a != filled[-1])
            filled.append(nxt)
        return filled

    def trips_on(self, shape_id: str, day: date) -> int:
        return len(self._trips_running(shape_id, self._services(day)))

    def _services(self, day: date) -> set[str]:
        if self._services_day != day:
            self._services_day, self._services_set = day, self.gtfs.services_on(day)
        return self._services_set

    def _trips_running(self, shape_id: str, services: set[str]) -> list[Trip]:
        return [t for t in self.shape_trips.get(shape_id, ()) if t.service_id in services]

    def _blocked(self, closed: Iterable[int]) -> dict[int, list[int]]:
        """shape index -> positions of its arcs that are closed (a bus lane against a one-way street is
        blocked when the street is closed in its open direction too)."""
        closed = set(closed)
        hit: dict[int, set[int]] = {}
        for arc in closed:
            for candidate in (arc, arc ^ 1):
                for i in self.by_arc.get(candidate, ()):
                    hit.setdefault(i, set()).add(candidate)
        open_arc = self.graph.arc_open
        out = {}
        for i, arcs in hit.items():
            blocked = {a for a in arcs if a in closed or (not open_arc[a] and (a ^ 1) in closed)}
            if blocked:
                out[i] = [k for k, a in enumerate(self.shape_arcs[i]) if a in blocked]
        return out

    def trips_affected(self, day: date, closures: Iterable[Closure]) -> int:
        """How many trips running that day drive along a closed road (the timeline's count)."""
        closed = set().union(*(c.closed_arcs for c in closures))
        return sum(self.trips_on(self.shape_ids[i], day) for i in self._blocked(closed))

    def impact(self, day: date, closures: Iterable[Closure]) -> list[BusImpact]:
        """The routes whose shapes drive along a closed road that day, with their reroutes on bus roads
        in the day's network (every closure and slowdown of the day) and the stops they skip."""
        closures = list(closures)
        closed_arcs = set().union(*(c.closed_arcs for c in closures))
        blocked = self._blocked(closed_arcs)
        if not blocked:
            return []
        day_bus = self.bus_weights.copy()
        for closure in closures:
            for arc, factor in closure.slowed_arcs:
                day_bus[arc] = day_bus[arc] / factor
        for arc in closed_arcs:
            day_bus[arc] = INF
        router = self.graph.router
        heads, tails, length = router.heads, router.tails, router.arc_length
        degree = self.graph.node_degree_list()
        services = self._services(day)
        by_route: dict[str, BusImpact] = {}
        memo: dict[tuple[int, int], tuple[tuple[int, ...] | None, float | None]] = {}
        for i, positions in sorted(blocked.items()):
            shape_id = self.shape_ids[i]
            arcs = self.shape_arcs[i]
            runs: list[list[int]] = []
            for k in positions:
                if runs and k == runs[-1][-1] + 1:
                    runs[-1].append(k)
                else:
                    runs.append([k])
            reroutes = []
            blocked_edges: set[int] = set()
            for run in runs:
                # A bus leaves its line at the junction before the closure and rejoins it at the one after.
                first, last = run[0], run[-1]
                while first > 0 and heads[arcs[first - 1]] == tails[arcs[first]] and degree[tails[arcs[first]]] == 2:
                    first -= 1
                while (last + 1 < len(arcs) and tails[arcs[last + 1]] == heads[arcs[last]]
                       and degree[heads[arcs[last]]] == 2):
                    last += 1
                run_arcs = arcs[first:last + 1]
                source, target = tails[run_arcs[0]], heads[run_arcs[-1]]
                if (source, target) not in memo:
                    found = router.shortest_path(source, target, day_bus)
                    memo[(source, target)] = (found.arcs, found.length_m) if found else (None, None)
                path, path_m = memo[(source, target)]
                reroutes.append(BusReroute(shape_id, source, target, tuple(run_arcs),
                                           sum(length[a] for a in run_arcs), path, path_m))
                blocked_edges.update(a >> 1 for a in run_arcs)
            skipped = [s for s in self.gtfs.shape_stops.get(shape_id, ())
                       if not blocked_edges.isdisjoint(self.stop_edges.get(s, ()))]
            trips = self._trips_running(shape_id, services)
            for route_id in sorted({t.route_id for t in self.shape_trips.get(shape_id, ())}):
                route = self.gtfs.routes.get(route_id) or Route(route_id, "", "", "")
                entry = by_route.setdefault(route_id, BusImpact(route, [], 0, [], []))
                entry.shapes.append(shape_id)
                entry.trips_affected += sum(1 for t in trips if t.route_id == route_id)
                entry.stops_skipped = sorted(set(entry.stops_skipped) | set(skipped))
                entry.reroutes.extend(reroutes)
        return [by_route[r] for r in sorted(by_route)]

def reroute_geometry(graph: RoadGraph, reroutes: Sequence[BusReroute]) -> shapely.Geometry | None:
    """The ways round of a route's reroutes as one (multi)line (the blocked runs when none exists)."""
    paths = list(dict.fromkeys(r.arcs if r.arcs is not None else r.blocked_arcs for r in reroutes))
    parts = [line for line in graph.path_geometries(paths) if line is not None]
    if not parts:
        return None
    return shapely.multilinestrings(parts) if len(parts) > 1 else parts[0]


def bus_trips_counter(network: BusNetwork) -> Callable[[date, DayImpact], int]:
    """The timeline's per-day count of affected bus trips, from a day's impact (its closures)."""

    def count(day: date, impact: DayImpact) -> int:
        return network.trips_affected(day, impact.closures.values())

    return count
