"""Conflicts between works, and between works and places: clashes, dig-once opportunities, moratoria,
sensitive places and parking.

Every kind is found the same way, cheapest test first: STRtree candidate boxes (envelopes grown by the
distance), then a vectorised date filter on the candidate pair arrays, then the exact geometry test on the
survivors only. The STRtrees are cut in time slabs of `slab_days` days: a work is queried once, in the
tree of the slab it starts in, which holds only the works it could pair with (those active then), so
that on Prato's roads the candidate boxes of 100k works over two years are cut about sixfold.

Results stay columnar (`Found`: numpy arrays of pair indices, dates and severities) until a caller asks
for `Conflict` records with ids and geometries, which only the output needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.progress import Progress, advance, scaled
from situation_room_plugin.core.works import INACTIVE_STATUSES, TrafficImpact, Work


class ConflictKind(str, Enum):
    CLASH = "clash"
    OPPORTUNITY = "opportunity"
    MORATORIUM = "moratorium"
    SENSITIVE = "sensitive"
    PARKING = "parking"


#: Kinds between two works; the others are between a work and a place of another layer.
WORK_PAIR_KINDS = frozenset({ConflictKind.CLASH, ConflictKind.OPPORTUNITY})

#: How much a work's traffic impact weighs in a clash (1 = the street is shut).
IMPACT_WEIGHT: dict[str, float] = {
    TrafficImpact.ALL_LANES_CLOSED.value: 1.0,
    TrafficImpact.ALTERNATING_ONE_WAY.value: 0.7,
    TrafficImpact.SOME_LANES_CLOSED.value: 0.6,
    TrafficImpact.UNKNOWN.value: 0.5,
    TrafficImpact.ALL_LANES_OPEN.value: 0.2,
}

#: How important a road is, by its OSM `highway` class (links weigh as their road).
ROAD_CLASS_WEIGHT: dict[str, float] = {
    "motorway": 1.0,
    "trunk": 1.0,
    "primary": 0.9,
    "secondary": 0.75,
    "tertiary": 0.6,
    "unclassified": 0.45,
    "residential": 0.4,
    "living_street": 0.3,
    "service": 0.25,
}
#: Importance of a work when no road layer is given, and of a work that touches no road of the layer.
DEFAULT_IMPORTANCE = 0.5
OFF_ROAD_IMPORTANCE = 0.3

#: How much a sensitive place weighs, by its kind (schools, hospitals, ...); other kinds weigh DEFAULT.
PLACE_WEIGHT: dict[str, float] = {
    "hospital": 1.0,
    "clinic": 0.8,
    "school": 0.8,
    "kindergarten": 0.8,
    "childcare": 0.8,
    "event": 0.8,
    "bus_stop": 0.6,
}
DEFAULT_PLACE_WEIGHT = 0.7

#: Area of one parking space (2.5 m x 5 m) and length of one kerbside space, used when a parking
#: feature has no capacity.
SPACE_AREA_M2 = 12.5
SPACE_LENGTH_M = 5.5

#: Day numbers (date.toordinal) standing for "no start" and "no end" of a place's dates.
NO_START = 0
NO_END = 10**7

_NAMESPACE = uuid.UUID("0b7c2f4e-4f1a-5c39-9d55-8a1e2a3b4c5d")


@dataclass(frozen=True)
class ConflictOptions:
    """What detection looks for. The defaults are the coordination room's."""

    #: Footprints within this many metres of each other (or of a sensitive place) conflict.
    distance_m: float = 20.0
    #: Works within this many days of each other (not overlapping) are a dig-once opportunity.
    opportunity_days: int = 180
    #: An excavation within this many metres of a protected street stretch is inside it (centrelines).
    protected_tolerance_m: float = 2.0
    #: Completed and cancelled works are left out unless this is set.
    include_inactive: bool = False
    #: A clash of works in disjoint daily hours (night vs day) keeps this share of its severity.
    disjoint_hours_factor: float = 0.3
    #: Width of the time slabs of the index, in days (a tuning knob: results do not depend on it).
    slab_days: int = 32


def from_day_number(number: int) -> date | None:
    if number <= NO_START or number >= NO_END:
        return None
    return date.fromordinal(int(number))


def _minute_masks(hours: Sequence[Sequence[tuple[int, int]]]) -> np.ndarray:
    """Daily working hours as packed bitmaps of the 1,440 minutes of a day (all ones: all day)."""
    masks = np.full((len(hours), 180), 255, dtype=np.uint8)
    for row, ranges in enumerate(hours):
        if not ranges:
            continue
        minutes = np.zeros(1440, dtype=bool)
        for start, end in ranges:
            start, end = min(start, 1440), min(end, 1440)
            if start < end:
                minutes[start:end] = True
            else:  # across midnight
                minutes[start:] = True
                minutes[:end] = True
        masks[row] = np.packbits(minutes)
    return masks


def disjoint_hours(masks_a: np.ndarray, masks_b: np.ndarray) -> np.ndarray:
    """True where two works never work at the same minute of the day."""
    return ~np.bitwise_and(masks_a, masks_b).any(axis=1)


@dataclass
class WorkArrays:
    """The works an analysis looks at, as columns: footprints, day numbers, weights and daily hours."""

    works: list[Work]
    geoms: np.ndarray
    start: np.ndarray
    end: np.ndarray
    impact: np.ndarray
    excavation: np.ndarray
    all_day: np.ndarray
    hours: np.ndarray
    importance: np.ndarray
    #: How many works were left out (inactive status, or no footprint).
    left_out: int = 0
    _tree: shapely.STRtree | None = field(default=None, repr=False)

    @classmethod
    def from_works(cls, works: Iterable[Work], include_inactive: bool = False) -> WorkArrays:
        all_works = list(works)
        active = [w for w in all_works
                  if w.geometry is not None and (include_inactive or w.status not in INACTIVE_STATUSES)]
        geoms = np.asarray([w.geometry for w in active] or [], dtype=object)
        if len(geoms):
            present = ~shapely.is_empty(geoms)  # one vectorised call, not one per work
            kept = [w for w, keep in zip(active, present) if keep]
            geoms = geoms[present]
        else:
            kept = []
        if len(geoms):
            invalid = ~shapely.is_valid(geoms)
            if invalid.any():
                geoms[invalid] = shapely.make_valid(geoms[invalid])
        hours = [w.hours for w in kept]
        return cls(
            works=kept,
            geoms=geoms,
            start=np.fromiter((w.start_date.toordinal() for w in kept), dtype=np.int64, count=len(kept)),
            end=np.fromiter((w.end_date.toordinal() for w in kept), dtype=np.int64, count=len(kept)),
            impact=np.fromiter(
                (IMPACT_WEIGHT.get(w.traffic_impact, IMPACT_WEIGHT["unknown"]) for w in kept),
                dtype=float, count=len(kept),
            ),
            excavation=np.fromiter((bool(w.excavation) for w in kept), dtype=bool, count=len(kept)),
            all_day=np.fromiter((not h for h in hours), dtype=bool, count=len(kept)),
            hours=_minute_masks(hours),
            importance=np.full(len(kept), DEFAULT_IMPORTANCE),
            left_out=len(all_works) - len(kept),
        )

    def __len__(self) -> int:
        return len(self.works)

    @property
    def tree(self) -> shapely.STRtree:
        """An STRtree of the footprints themselves (for queries from places)."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.geoms)
        return self._tree

    def hours_disjoint(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Vectorised over pairs: True where both works have daily hours and they never meet."""
        result = np.zeros(len(a), dtype=bool)
        both = ~self.all_day[a] & ~self.all_day[b]
        if both.any():
            result[both] = disjoint_hours(self.hours[a[both]], self.hours[b[both]])
        return result


@dataclass
class PlaceArrays:
    """Features of another layer (protected streets, sensitive places, parking), as columns.

    `keys` identify a feature across runs (the layer's name and an id field, or its feature id); dates are
    day numbers, NO_START / NO_END where the feature has none; `capacity` is NaN where unknown.
    """

    keys: list[str]
    names: list[str]
    kinds: list[str]
    geoms: np.ndarray
    start: np.ndarray
    end: np.ndarray
    capacity: np.ndarray

    @classmethod
    def build(
        cls,
        geoms: Sequence[BaseGeometry],
        keys: Sequence[str],
        names: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        starts: Sequence[date | None] | None = None,
        ends: Sequence[date | None] | None = None,
        capacity: Sequence[float | None] | None = None,
    ) -> PlaceArrays:
        n = len(geoms)
        array = np.empty(n, dtype=object)
        array[:] = list(geoms)
        if n:
            invalid = ~shapely.is_valid(array)
            if invalid.any():
                array[invalid] = shapely.make_valid(array[invalid])
        return cls(
            keys=list(keys),
            names=list(names) if names is not None else [""] * n,
            kinds=list(kinds) if kinds is not None else [""] * n,
            geoms=array,
            start=np.asarray([NO_START if d is None else d.toordinal() for d in (starts or [None] * n)], np.int64),
            end=np.asarray([NO_END if d is None else d.toordinal() for d in (ends or [None] * n)], np.int64),
            capacity=np.asarray([np.nan if c is None else float(c) for c in (capacity or [None] * n)], float),
        )

    @classmethod
    def concat(cls, parts: Sequence[PlaceArrays]) -> PlaceArrays:
        parts = [p for p in parts if p is not None]
        if not parts:
            return cls.build([], [])
        geoms = np.empty(sum(len(p) for p in parts), dtype=object)
        geoms[:] = [g for p in parts for g in p.geoms]
        return cls(
            keys=[k for p in parts for k in p.keys],
            names=[k for p in parts for k in p.names],
            kinds=[k for p in parts for k in p.kinds],
            geoms=geoms,
            start=np.concatenate([p.start for p in parts]),
            end=np.concatenate([p.end for p in parts]),
            capacity=np.concatenate([p.capacity for p in parts]),
        )

    def __len__(self) -> int:
        return len(self.keys)


@dataclass
class Found:
    """Conflicts of one kind, columnar. `a` indexes the works; `b` the works too (clash, opportunity) or
    the places of the kind. Dates are day numbers (0 where there is no overlap)."""

    kind: ConflictKind
    a: np.ndarray
    b: np.ndarray
    overlap_start: np.ndarray
    overlap_end: np.ndarray
    gap_days: np.ndarray
    severity: np.ndarray
    spaces_lost: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.a)

    @classmethod
    def empty(cls, kind: ConflictKind) -> Found:
        none = np.zeros(0, dtype=np.int64)
        spaces = np.zeros(0) if kind is ConflictKind.PARKING else None
        return cls(kind, none, none, none, none, none, np.zeros(0), spaces)


@dataclass(frozen=True)
class Conflict:
    """One conflict as the outputs show it. For place kinds, uid_b is the place's key and title_b its name."""

    conflict_id: str
    kind: str
    uid_a: str
    uid_b: str
    owner_a: str
    owner_b: str
    title_a: str
    title_b: str
    severity: float
    overlap_start: date | None
    overlap_end: date | None
    gap_days: int
    distance_m: float
    spaces_lost: float | None = None
    geometry: BaseGeometry | None = None


def conflict_id(kind: ConflictKind | str, key_a: str, key_b: str) -> str:
    """Stable across runs: from the kind and the two keys (in either order for two works)."""
    kind = ConflictKind(kind)
    if kind in WORK_PAIR_KINDS:
        key_a, key_b = sorted((key_a, key_b))
    return str(uuid.uuid5(_NAMESPACE, f"{kind.value}|{key_a}|{key_b}"))


# ---------------------------------------------------------------------------------------------------------
# Candidate pairs


def _envelope_diagonals(geoms: np.ndarray, grow: float) -> np.ndarray:
    """Lines from the lower-left to the upper-right corner of each envelope grown by `grow`: cheaper to
    build than boxes and with the same envelope, which is all an STRtree indexes."""
    bounds = shapely.bounds(geoms)
    coords = np.empty((len(geoms), 2, 2))
    coords[:, 0, 0] = bounds[:, 0] - grow
    coords[:, 0, 1] = bounds[:, 1] - grow
    coords[:, 1, 0] = bounds[:, 2] + grow
    coords[:, 1, 1] = bounds[:, 3] + grow
    return shapely.linestrings(coords)


def band_pairs(
    works: WorkArrays,
    distance: float,
    lag_min: int | None,
    lag_max: int,
    slab_days: int = 32,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a, b) of works, a starting first (ties by index), whose footprints are within `distance`
    and where b starts between `lag_min` and `lag_max` days after a ends (lag_min None: any time after a
    starts). Clashes are the band (None, 0]; opportunities within G days are [1, G].

    Candidates come from per-slab STRtrees of envelopes grown by `distance`: the tree of slab k holds the
    works that a work starting in slab k may pair with (those whose reach, from `lag_min` to `lag_max`
    days after their end, meets the slab), so that each work is queried once, in the tree of the slab it
    starts in. The date filter runs on the candidate arrays; the exact distance test on the survivors only.
    """
    n = len(works)
    none = np.zeros(0, dtype=np.int64)
    if n < 2:
        return none, none
    start, end, geoms = works.start, works.end, works.geoms
    slab_days = max(1, int(slab_days))
    origin = int(start.min())
    slab = (start - origin) // slab_days
    n_slabs = int(slab.max()) + 1
    # The slabs in which a work's partners may start: from its start (or lag_min after its end) to
    # lag_max days after its end.
    reach_lo = ((start if lag_min is None else np.maximum(start, end + lag_min)) - origin) // slab_days
    reach_hi = np.minimum((end + lag_max - origin) // slab_days, n_slabs - 1)
    spans = np.maximum(reach_hi - reach_lo + 1, 0)
    holder = np.repeat(np.arange(n), spans)
    holder_slab = np.repeat(reach_lo, spans) + (np.arange(len(holder)) - np.repeat(np.cumsum(spans) - spans, spans))
    order = np.argsort(holder_slab, kind="stable")
    holder, holder_slab = holder[order], holder_slab[order]
    tree_cuts = np.searchsorted(holder_slab, np.arange(n_slabs + 1))
    by_start = np.argsort(slab, kind="stable")
    query_cuts = np.searchsorted(slab[by_start], np.arange(n_slabs + 1))
    diagonals = _envelope_diagonals(geoms, distance)
    found_a, found_b = [], []
    for k in range(n_slabs):
        members = holder[tree_cuts[k]:tree_cuts[k + 1]]
        queries = by_start[query_cuts[k]:query_cuts[k + 1]]
        if len(members) and len(queries):
            qi, ti = shapely.STRtree(diagonals[members]).query(geoms[queries])
            found_a.append(members[ti])
            found_b.append(queries[qi])
        advance(progress, 0.8 * (k + 1) / n_slabs)
    if not found_a:
        return none, none
    a, b = np.concatenate(found_a), np.concatenate(found_b)
    # Date filter on the candidate arrays: each unordered pair once, from the work that starts first.
    start_a, start_b = start[a], start[b]
    lag = start_b - end[a]
    keep = ((start_b > start_a) | ((start_b == start_a) & (b > a))) & (lag <= lag_max)
    if lag_min is not None:
        keep &= lag >= lag_min
    a, b = a[keep], b[keep]
    # Exact test on the survivors only.
    keep = shapely.dwithin(geoms[a], geoms[b], distance)
    a, b = a[keep], b[keep]
    order = np.lexsort((b, a))
    return a[order], b[order]


def place_pairs(
    works: WorkArrays, places: PlaceArrays, distance: float, works_mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (work, place) within `distance` whose dates overlap (places without dates are always active)."""
    none = np.zeros(0, dtype=np.int64)
    if not len(works) or not len(places):
        return none, none
    pi, wi = works.tree.query(_envelope_diagonals(places.geoms, distance))
    keep = (works.start[wi] <= places.end[pi]) & (places.start[pi] <= works.end[wi])
    if works_mask is not None:
        keep &= works_mask[wi]
    wi, pi = wi[keep], pi[keep]
    keep = shapely.dwithin(works.geoms[wi], places.geoms[pi], distance)
    wi, pi = wi[keep], pi[keep]
    order = np.lexsort((pi, wi))
    return wi[order], pi[order]


# ---------------------------------------------------------------------------------------------------------
# Severities (0-100)


def clash_severity(
    impact_a: np.ndarray,
    impact_b: np.ndarray,
    importance: np.ndarray,
    overlap_days: np.ndarray,
    hours_disjoint: np.ndarray,
    disjoint_factor: float = 0.3,
) -> np.ndarray:
    """100 for two works shutting an arterial road together for a month or more, in the same hours.

    impact: the worse work's weight plus half the other's, over 1.5; road importance scales it from 0.4
    (no importance) to 1; the overlap from half (one day) to full (30 days or more); disjoint daily
    hours keep `disjoint_factor` of it.
    """
    hi, lo = np.maximum(impact_a, impact_b), np.minimum(impact_a, impact_b)
    impact = (hi + 0.5 * lo) / 1.5
    days = 0.5 + 0.5 * np.minimum(np.maximum(overlap_days, 1), 30) / 30
    hours = np.where(hours_disjoint, disjoint_factor, 1.0)
    return np.round(100 * impact * (0.4 + 0.6 * importance) * days * hours, 1)


def opportunity_severity(gap_days: np.ndarray, both_excavating: np.ndarray, window: int) -> np.ndarray:
    """How much a shared excavation is worth: 100 for two excavations back to back, less as the gap grows
    (half at the end of the window), and 70% of that when only one of them digs."""
    closeness = 1 - 0.5 * (gap_days - 1) / max(window, 1)
    return np.round(100 * closeness * np.where(both_excavating, 1.0, 0.7), 1)


def moratorium_severity(days_left: np.ndarray) -> np.ndarray:
    """50 for an excavation on the protection's last day, up to 100 when a year or more of it remains."""
    return np.round(50 + 50 * np.minimum(np.maximum(days_left, 0), 365) / 365, 1)


def sensitive_severity(impact: np.ndarray, place_weight: np.ndarray) -> np.ndarray:
    return np.round(100 * (0.5 + 0.5 * impact) * place_weight, 1)


def parking_severity(spaces: np.ndarray) -> np.ndarray:
    """4 points a space lost: 25 spaces or more is 100."""
    return np.round(np.minimum(100, 4 * spaces), 1)


# ---------------------------------------------------------------------------------------------------------
# The kinds


def find_clashes(works: WorkArrays, options: ConflictOptions = ConflictOptions(),
                 progress: Progress | None = None) -> Found:
    """Pairs of works whose footprints are within distance_m and whose dates overlap (inclusive)."""
    a, b = band_pairs(works, options.distance_m, None, 0, options.slab_days, progress)
    overlap_start = np.maximum(works.start[a], works.start[b])
    overlap_end = np.minimum(works.end[a], works.end[b])
    severity = clash_severity(
        works.impact[a], works.impact[b], np.maximum(works.importance[a], works.importance[b]),
        overlap_end - overlap_start + 1, works.hours_disjoint(a, b), options.disjoint_hours_factor,
    )
    return Found(ConflictKind.CLASH, a, b, overlap_start, overlap_end, np.zeros(len(a), np.int64), severity)


def find_opportunities(works: WorkArrays, options: ConflictOptions = ConflictOptions(),
                       progress: Progress | None = None) -> Found:
    """Works on the same stretch of street (within distance_m), one starting 1 to opportunity_days days
    after the other ends, at least one of them excavating: they could share one excavation."""
    window = int(options.opportunity_days)
    if window < 1:
        return Found.empty(ConflictKind.OPPORTUNITY)
    # The slab is wider here: a work looks ahead a whole window, and wide slabs mean fewer trees.
    slab = max(options.slab_days, window // 3)
    a, b = band_pairs(works, options.distance_m, 1, window, slab, progress)
    keep = works.excavation[a] | works.excavation[b]
    a, b = a[keep], b[keep]
    gap = works.start[b] - works.end[a]
    severity = opportunity_severity(gap, works.excavation[a] & works.excavation[b], window)
    zero = np.zeros(len(a), np.int64)
    return Found(ConflictKind.OPPORTUNITY, a, b, zero, zero.copy(), gap, severity)


def find_moratoria(works: WorkArrays, protected: PlaceArrays,
                   options: ConflictOptions = ConflictOptions()) -> Found:
    """Excavations within protected_tolerance_m of a protected street stretch while it is protected
    (its `end` is the protected_until date; its `start`, when given, when the protection began)."""
    a, b = place_pairs(works, protected, options.protected_tolerance_m, works.excavation)
    overlap_start = np.maximum(works.start[a], protected.start[b])
    overlap_end = np.minimum(works.end[a], protected.end[b])
    severity = moratorium_severity(protected.end[b] - works.start[a])
    return Found(ConflictKind.MORATORIUM, a, b, overlap_start, overlap_end, np.zeros(len(a), np.int64), severity)


def find_sensitive(works: WorkArrays, places: PlaceArrays,
                   options: ConflictOptions = ConflictOptions()) -> Found:
    """Works within distance_m of a sensitive place while both are active."""
    a, b = place_pairs(works, places, options.distance_m)
    overlap_start = np.maximum(works.start[a], places.start[b])
    overlap_end = np.minimum(works.end[a], places.end[b])
    weights = np.asarray([PLACE_WEIGHT.get(places.kinds[i], DEFAULT_PLACE_WEIGHT) for i in b], dtype=float)
    severity = sensitive_severity(works.impact[a], weights)
    return Found(ConflictKind.SENSITIVE, a, b, overlap_start, overlap_end, np.zeros(len(a), np.int64), severity)


def spaces_taken(footprints: np.ndarray, parking: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Parking spaces a footprint takes from a parking feature, vectorised over pairs.

    Areas: their capacity times the share of the area taken, else the area taken over SPACE_AREA_M2.
    Kerbside lines: the same by length (SPACE_LENGTH_M a space). Stalls (points): their capacity, else 1.
    At least one space when anything is taken; 0 when the footprint only touches the feature.
    """
    spaces = np.zeros(len(footprints))
    dims = shapely.get_dimensions(parking)
    shared = shapely.intersection(footprints, parking)
    known = ~np.isnan(capacity)
    for dimension, measure, per_space in ((2, shapely.area, SPACE_AREA_M2), (1, shapely.length, SPACE_LENGTH_M)):
        chosen = dims == dimension
        if chosen.any():
            taken = measure(shared[chosen])
            whole = measure(parking[chosen])
            share = np.divide(taken, whole, out=np.zeros_like(taken), where=whole > 0)
            spaces[chosen] = np.where(known[chosen], capacity[chosen] * share, taken / per_space)
            spaces[chosen] = np.where(taken > 0, spaces[chosen], 0)
    point = dims == 0
    if point.any():
        inside = shapely.intersects(footprints[point], parking[point])
        spaces[point] = np.where(inside, np.where(known[point], capacity[point], 1.0), 0)
    rounded = np.round(spaces)
    return np.where(spaces > 0, np.maximum(rounded, 1), 0)


def find_parking(works: WorkArrays, parking: PlaceArrays) -> Found:
    """Works whose footprint takes parking areas, kerbside lanes or stalls, with the spaces lost per day
    while the work is active."""
    a, b = place_pairs(works, parking, 0.0)
    spaces = spaces_taken(works.geoms[a], parking.geoms[b], parking.capacity[b])
    keep = spaces > 0
    a, b, spaces = a[keep], b[keep], spaces[keep]
    overlap_start = np.maximum(works.start[a], parking.start[b])
    overlap_end = np.minimum(works.end[a], parking.end[b])
    return Found(ConflictKind.PARKING, a, b, overlap_start, overlap_end, np.zeros(len(a), np.int64),
                 parking_severity(spaces), spaces)


def parking_by_day(found: Found) -> list[tuple[date, float, int]]:
    """(day, spaces lost, works taking spaces) for every day on which parking conflicts take spaces."""
    if not len(found) or found.spaces_lost is None:
        return []
    first, last = int(found.overlap_start.min()), int(found.overlap_end.max())
    spaces = np.zeros(last - first + 2)
    np.add.at(spaces, found.overlap_start - first, found.spaces_lost)
    np.add.at(spaces, found.overlap_end - first + 1, -found.spaces_lost)
    spaces = np.cumsum(spaces)[:-1]
    # Works counted once per day even when they take spaces from several features.
    pairs = np.unique(np.stack([found.a, found.overlap_start, found.overlap_end], axis=1), axis=0)
    counts = np.zeros(last - first + 2, dtype=np.int64)
    np.add.at(counts, pairs[:, 1] - first, 1)
    np.add.at(counts, pairs[:, 2] - first + 1, -1)
    counts = np.cumsum(counts)[:-1]
    return [
        (date.fromordinal(first + i), round(float(spaces[i]), 1), int(counts[i]))
        for i in np.flatnonzero(np.round(spaces, 6) > 0)
    ]


def road_importance(
    footprints: np.ndarray,
    roads: np.ndarray,
    classes: Sequence[str],
    weights: Mapping[str, float] = ROAD_CLASS_WEIGHT,
) -> np.ndarray:
    """Per footprint, the weight of the most important road it touches (OFF_ROAD_IMPORTANCE if none)."""
    importance = np.full(len(footprints), OFF_ROAD_IMPORTANCE)
    if not len(footprints) or not len(roads):
        return importance
    road_weight = np.asarray(
        [weights.get((c or "").removesuffix("_link"), OFF_ROAD_IMPORTANCE) for c in classes], dtype=float
    )
    fi, ri = shapely.STRtree(roads).query(footprints, predicate="intersects")
    np.maximum.at(importance, fi, road_weight[ri])
    return importance


# ---------------------------------------------------------------------------------------------------------
# One pass over every kind


@dataclass
class Detection:
    """What one detection run found, and what it looked at (so that decisions of kinds that were not
    checked, or of works that were not analysed, are left alone)."""

    works: WorkArrays
    found: dict[ConflictKind, Found]
    places: dict[ConflictKind, PlaceArrays]
    options: ConflictOptions

    @property
    def checked(self) -> frozenset[ConflictKind]:
        return frozenset(self.found)

    def count(self, kind: ConflictKind) -> int:
        return len(self.found[kind]) if kind in self.found else 0

    def conflicts(self, with_geometry: bool = True) -> list[Conflict]:
        result: list[Conflict] = []
        for kind, found in self.found.items():
            result.extend(materialise(found, self.works, self.places.get(kind), with_geometry))
        return result


def detect(
    works: Iterable[Work] | WorkArrays,
    options: ConflictOptions = ConflictOptions(),
    protected: PlaceArrays | None = None,
    sensitive: PlaceArrays | None = None,
    parking: PlaceArrays | None = None,
    importance: np.ndarray | None = None,
    progress: Progress | None = None,
) -> Detection:
    """Every kind of conflict in one call: clashes and opportunities always, moratoria, sensitive places
    and parking when their layers are given. `importance` (per analysed work, see `road_importance`)
    weighs clashes by the roads they are on."""
    arrays = works if isinstance(works, WorkArrays) else WorkArrays.from_works(works, options.include_inactive)
    if importance is not None:
        arrays.importance = np.asarray(importance, dtype=float)

    found = {
        ConflictKind.CLASH: find_clashes(arrays, options, scaled(progress, 0.0, 0.4)),
        ConflictKind.OPPORTUNITY: find_opportunities(arrays, options, scaled(progress, 0.4, 0.8)),
    }
    places: dict[ConflictKind, PlaceArrays] = {}
    if protected is not None:
        found[ConflictKind.MORATORIUM] = find_moratoria(arrays, protected, options)
        places[ConflictKind.MORATORIUM] = protected
    if sensitive is not None:
        found[ConflictKind.SENSITIVE] = find_sensitive(arrays, sensitive, options)
        places[ConflictKind.SENSITIVE] = sensitive
    if parking is not None:
        found[ConflictKind.PARKING] = find_parking(arrays, parking)
        places[ConflictKind.PARKING] = parking
    advance(progress, 1.0)
    return Detection(arrays, found, places, options)


def shared_geometries(geoms_a: np.ndarray, geoms_b: np.ndarray) -> np.ndarray:
    """What two geometries share (its highest-dimension part), else the shortest line between them."""
    shared = shapely.intersection(geoms_a, geoms_b)
    result = np.empty(len(geoms_a), dtype=object)
    for i, geometry in enumerate(shared):
        if geometry is None or geometry.is_empty:
            result[i] = shapely.shortest_line(geoms_a[i], geoms_b[i])
            continue
        if geometry.geom_type == "GeometryCollection":
            parts = shapely.get_parts(geometry)
            top = shapely.get_dimensions(parts).max()
            geometry = shapely.union_all(parts[shapely.get_dimensions(parts) == top])
        result[i] = geometry
    return result


def as_area(geometry: BaseGeometry | None, band_m: float = 0.5) -> BaseGeometry | None:
    """A conflict's geometry as a MultiPolygon, for outputs that hold one geometry type: a shared area as
    it is, a line (shortest line, shared stretch) or a point as a band `band_m` wide around it."""
    if geometry is None or geometry.is_empty:
        return geometry
    if shapely.get_dimensions(geometry) < 2:
        geometry = shapely.buffer(geometry, band_m / 2, cap_style="square", quad_segs=2)
    if geometry.geom_type == "Polygon":
        return shapely.MultiPolygon([geometry])
    if geometry.geom_type == "GeometryCollection":  # a shared area with stray lines: keep the area
        polygons = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.MultiPolygon([q for p in polygons for q in shapely.get_parts(p)])
    return geometry


def materialise(
    found: Found, works: WorkArrays, places: PlaceArrays | None = None, with_geometry: bool = True
) -> list[Conflict]:
    """Conflict records, with stable ids, distances and (when asked) geometries."""
    if not len(found):
        return []
    pair_of_works = found.kind in WORK_PAIR_KINDS
    geoms_b = works.geoms[found.b] if pair_of_works else places.geoms[found.b]  # type: ignore[union-attr]
    geoms_a = works.geoms[found.a]
    distances = np.round(shapely.distance(geoms_a, geoms_b), 2)
    geometries = shared_geometries(geoms_a, geoms_b) if with_geometry else [None] * len(found)
    result = []
    for i, (a, b) in enumerate(zip(found.a.tolist(), found.b.tolist())):
        work_a = works.works[a]
        if pair_of_works:
            work_b = works.works[b]
            uid_b, owner_b, title_b = work_b.uid, work_b.owner, work_b.title
        else:
            uid_b, owner_b = places.keys[b], ""  # type: ignore[union-attr]
            name, kind = places.names[b], places.kinds[b]  # type: ignore[union-attr]
            title_b = f"{name} ({kind})" if name and kind else name or kind
        result.append(Conflict(
            conflict_id=conflict_id(found.kind, work_a.uid, uid_b),
            kind=found.kind.value,
            uid_a=work_a.uid,
            uid_b=uid_b,
            owner_a=work_a.owner,
            owner_b=owner_b,
            title_a=work_a.title,
            title_b=title_b,
            severity=float(found.severity[i]),
            overlap_start=from_day_number(int(found.overlap_start[i])),
            overlap_end=from_day_number(int(found.overlap_end[i])),
            gap_days=int(found.gap_days[i]),
            distance_m=float(distances[i]),
            spaces_lost=None if found.spaces_lost is None else float(found.spaces_lost[i]),
            geometry=geometries[i],
        ))
    return result
