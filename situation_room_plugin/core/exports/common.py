"""What both exports share: which works are exported (and why the others are not), where each exported work
is on the street (the lines of the roads its footprint closes, or its footprint's centreline) in WGS 84, and
its days as RFC 3339 moments in Prato's time.

A work is located with the detour engine's own matching of footprints to road edges
(`core.detours.closures_for_works`), so that an export draws exactly the roads the detour analysis closes.
The edges it covers are merged into runs of road (`Located.parts`): a footprint on one street is one run; one
on two streets apart, or across a junction into a side street, is several, each drawn on its own (WZDx road
events and Waze incidents are single lines).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.detours import closures_for_works
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.utm import from_utm32
from situation_room_plugin.core.works import INACTIVE_STATUSES, ClosedDirection, TrafficImpact, Work

#: Why a work is left out of an export (the counts are reported).
SKIP_NO_IMPACT = "no_traffic_impact"  # all lanes stay open
SKIP_INACTIVE = "inactive"  # completed or cancelled
SKIP_NO_FOOTPRINT = "no_footprint"

#: The time zone of the works' days.
ROME = "Europe/Rome"

#: Decimals of degrees written (1e-7° is about a centimetre).
DECIMALS = 7


@dataclass(frozen=True)
class ExportOptions:
    """What the exports write where the works do not say.

    - unnamed_road: the street name of a road without one, or of a work located without a road network
      (WZDx requires at least one road name, Waze a street); the QGIS side passes it in the user's language.
    - publisher: the organisation publishing the feed (WZDx feed_info.publisher).
    """

    unnamed_road: str = "unnamed road"
    publisher: str = "Situation Room"


#: The options when none are given.
DEFAULT_OPTIONS = ExportOptions()


@dataclass(frozen=True)
class Part:
    """One run of road a work takes: its line in WGS 84 (lon, lat pairs, in the direction of travel when the
    work closes one direction only), the names of its roads (longest first) and its lanes when known."""

    lonlat: tuple[tuple[float, float], ...]
    road_names: tuple[str, ...]
    lanes: int | None = None


@dataclass(frozen=True)
class Located:
    """A work to export and where it is: `on_roads` when its parts follow road lines (else its footprint's
    centrelines)."""

    work: Work
    parts: tuple[Part, ...]
    on_roads: bool


@dataclass
class Selection:
    """The works exported, in order, and how many were left out by reason (SKIP_*)."""

    located: list[Located] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


def skip_reason(work: Work) -> str | None:
    """Why a work is not exported (SKIP_*), or None when it affects traffic."""
    if work.status in INACTIVE_STATUSES:
        return SKIP_INACTIVE
    if work.traffic_impact == TrafficImpact.ALL_LANES_OPEN.value:
        return SKIP_NO_IMPACT
    if work.geometry is None or work.geometry.is_empty:
        return SKIP_NO_FOOTPRINT
    return None


def select(
    works: Iterable[Work],
    graph: RoadGraph | None = None,
    lanes: Mapping[int, Any] | None = None,
    options: ExportOptions = DEFAULT_OPTIONS,
) -> Selection:
    """The works that affect traffic, each located on the roads of `graph` its footprint closes (or, without a
    graph or when it covers no road, along its footprint's centreline). `lanes` maps a road feature's id
    (`graph.edge_fid`) to its OSM `lanes` value."""
    out = Selection()
    chosen = []
    for work in works:
        reason = skip_reason(work)
        if reason is None:
            chosen.append(work)
        else:
            out.skipped[reason] = out.skipped.get(reason, 0) + 1
    edges = _covered_edges(graph, chosen) if graph is not None else {}
    for work in chosen:
        parts = _road_parts(graph, work, edges.get(work.uid, ()), lanes or {}, options) if graph is not None else ()
        if parts:
            out.located.append(Located(work, parts, True))
        else:
            out.located.append(Located(work, _centreline_parts(work.geometry, options), False))
    return out


def _covered_edges(graph: RoadGraph, works: Sequence[Work]) -> dict[str, tuple[int, ...]]:
    """The edges each work's footprint covers, as the detour engine matches them. The engine only matches works
    that act on traffic; a work of unknown impact is matched as if it closed its roads (it is on them)."""
    as_closing = [w if w.traffic_impact != TrafficImpact.UNKNOWN.value
                  else dataclasses.replace(w, traffic_impact=TrafficImpact.ALL_LANES_CLOSED.value) for w in works]
    return {uid: closure.edges for uid, closure in closures_for_works(graph, as_closing).items()}


def _road_parts(graph: RoadGraph, work: Work, edges: Sequence[int], lanes: Mapping[int, Any],
                options: ExportOptions) -> tuple[Part, ...]:
    """The runs of road the edges make, longest first, each with the names and lanes of its own edges; one-way
    closures merged in their direction of travel."""
    if not edges:
        return ()
    direction = work.closed_direction
    lines = []
    for e in edges:
        xy = graph.edge_coords(e)
        lines.append(xy[::-1] if direction == ClosedDirection.BACKWARD.value else xy)
    merged = shapely.line_merge(shapely.multilinestrings([shapely.linestrings(xy) for xy in lines]),
                                directed=direction != ClosedDirection.BOTH.value)
    runs = sorted(shapely.get_parts(merged).tolist(), key=lambda line: -line.length)
    middles = np.asarray([(xy[len(xy) // 2 - 1] + xy[len(xy) // 2]) / 2 for xy in lines])
    tree = shapely.STRtree(runs)
    owner_run = tree.query_nearest(shapely.points(middles), all_matches=False)[1]  # the run each edge is in
    parts = []
    for index, run in enumerate(runs):
        members = [e for e, r in zip(edges, owner_run.tolist()) if r == index]
        parts.append(Part(_lonlat(run), _names(graph, members, options), _lanes(graph, members, lanes)))
    return tuple(parts)


def _names(graph: RoadGraph, edges: Sequence[int], options: ExportOptions) -> tuple[str, ...]:
    """The distinct names of the edges' roads, the longest stretch first; the unnamed label when none has one."""
    length: dict[str, float] = {}
    for e in edges:
        name = graph.edge_name(e).strip()
        if name:
            length[name] = length.get(name, 0.0) + float(graph.edge_length[e])
    names = sorted(length, key=lambda n: (-length[n], n))
    return tuple(names) or (options.unnamed_road,)


def _lanes(graph: RoadGraph, edges: Sequence[int], lanes: Mapping[int, Any]) -> int | None:
    """The most lanes the edges' roads have, where OSM `lanes` says (a whole number of at least 1)."""
    known = [n for n in (lane_count(lanes.get(int(graph.edge_fid[e]))) for e in edges) if n is not None]
    return max(known) if known else None


def lane_count(value: Any) -> int | None:
    """An OSM `lanes` value as a number of lanes ("2" -> 2; "2;3", "", 0 -> None)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number >= 1 and number.is_integer() and number < 100 else None


def _centreline_parts(footprint: BaseGeometry, options: ExportOptions) -> tuple[Part, ...]:
    """One line per polygon of the footprint: the long axis of its smallest enclosing rectangle (for the
    footprint of a stretch of street, the street's line), longest first."""
    axes = []
    for polygon in shapely.get_parts(footprint).tolist():
        rectangle = shapely.oriented_envelope(polygon)
        if rectangle.geom_type != "Polygon":  # a degenerate footprint: its envelope is a line or a point
            xy = shapely.get_coordinates(rectangle)
            axes.append(shapely.LineString([xy[0], xy[-1]]) if len(xy) > 1 else shapely.LineString([xy[0], xy[0]]))
            continue
        c = shapely.get_coordinates(rectangle.exterior)[:4]
        if math.dist(c[0], c[1]) >= math.dist(c[1], c[2]):
            ends = ((c[3] + c[0]) / 2, (c[1] + c[2]) / 2)
        else:
            ends = ((c[0] + c[1]) / 2, (c[2] + c[3]) / 2)
        axes.append(shapely.LineString(ends))
    axes.sort(key=lambda line: -line.length)
    return tuple(Part(_lonlat(axis), (options.unnamed_road,)) for axis in axes)


def _lonlat(line: BaseGeometry) -> tuple[tuple[float, float], ...]:
    out = []
    for x, y in shapely.get_coordinates(line).tolist():
        lonlat = from_utm32(x, y)
        if lonlat is None:  # a validated footprint is inside EPSG:6707's area: this cannot happen
            raise ValueError(f"({x}, {y}) has no longitude and latitude")
        out.append((round(lonlat[0], DECIMALS), round(lonlat[1], DECIMALS)))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------
# Time


def rome_zone() -> tzinfo | None:
    """Europe/Rome from the system's (or the tzdata package's) time zone database; None where there is none
    (Windows without tzdata): `local_moment` then applies the EU summer time rule itself."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(ROME)
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError, or a broken database
        return None


def _eu_summer(moment_utc: datetime) -> bool:
    """Whether EU summer time is in force at a UTC moment: from 01:00 UTC on the last Sunday of March to 01:00
    UTC on the last Sunday of October (the rule in force in Italy since 1996)."""
    def last_sunday(month: int) -> datetime:
        day = date(moment_utc.year, month, 31)
        return datetime.combine(day - timedelta(days=(day.weekday() + 1) % 7), time(1), timezone.utc)

    return last_sunday(3) <= moment_utc < last_sunday(10)


def local_moment(day: date, at: time, zone: tzinfo | None = None) -> datetime:
    """The moment `at` on `day` in Rome, aware, with that day's offset (+01:00 in winter, +02:00 in summer)."""
    if zone is not None:
        return datetime.combine(day, at, zone)
    naive = datetime.combine(day, at)
    winter = naive.replace(tzinfo=timezone(timedelta(hours=1)))
    offset = 2 if _eu_summer(winter.astimezone(timezone.utc)) else 1
    return naive.replace(tzinfo=timezone(timedelta(hours=offset)))


def work_period(work: Work, zone: tzinfo | None = None) -> tuple[str, str]:
    """A work's first and last days as RFC 3339 moments in Rome: from midnight of the first day to the last
    second of the last (works are planned by whole days; daily hours are said apart)."""
    start = local_moment(work.start_date, time(0, 0, 0), zone)
    end = local_moment(work.end_date, time(23, 59, 59), zone)
    return rfc3339(start), rfc3339(end)


def rfc3339(moment: datetime) -> str:
    """An aware moment to the second, with its offset ('Z' for UTC); naive means UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def utc_text(moment: datetime | None, default: datetime) -> str:
    """A moment in UTC as RFC 3339 with 'Z' (`default` when there is none)."""
    moment = moment or default
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return rfc3339(moment.astimezone(timezone.utc))


def compass(lonlat: Sequence[tuple[float, float]]) -> str:
    """The WZDx direction of travel along a line from its first to its last point (northbound, eastbound...)."""
    (lon0, lat0), (lon1, lat1) = lonlat[0], lonlat[-1]
    dx = (lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2))
    dy = lat1 - lat0
    if abs(dx) >= abs(dy):
        return "eastbound" if dx >= 0 else "westbound"
    return "northbound" if dy >= 0 else "southbound"
