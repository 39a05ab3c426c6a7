"""The road graph built from line arrays: noding at shared vertices, one-way rules, speeds, drivable classes,
every edge mapped back to its source feature, adjacency in CSR form and a router for fast local searches.

Input is any line layer turned into plain arrays (`RoadLines`): OSM-style ways that are not split at
junctions (they are noded here at every vertex that two ways share, within a snapping tolerance) or a
network already noded. Nothing here imports Qt or QGIS.

Vocabulary: an *edge* is a piece of one source line between two nodes; an *arc* is an edge in one direction:
arc `2 * e` runs along the digitising direction of edge `e` (from `edge_u` to `edge_v`, "forward"), arc
`2 * e + 1` against it ("backward"). Arcs a one-way rule forbids do not exist in the adjacency.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

#: The attributes the builder reads, by their OSM names; other sources map their fields onto these.
ROAD_ATTRIBUTES: tuple[str, ...] = ("osm_id", "name", "highway", "oneway", "maxspeed", "junction", "access")

#: Road classes that carry no motor traffic (OSM `highway` values).
EXCLUDED_CLASSES: frozenset[str] = frozenset(
    {
        "footway", "path", "steps", "cycleway", "track", "pedestrian", "bridleway", "corridor", "elevator",
        "platform", "bus_stop", "construction", "proposed", "abandoned", "disused", "raceway", "via_ferrata",
        "escape", "emergency_bay", "rest_area", "services",
    }
)

#: Default speeds (km/h) of road classes when a way has no usable `maxspeed` (Italian urban practice).
CLASS_SPEEDS_KMH: tuple[tuple[str, float], ...] = (
    ("motorway", 130.0), ("motorway_link", 60.0), ("trunk", 90.0), ("trunk_link", 50.0),
    ("primary", 50.0), ("primary_link", 40.0), ("secondary", 50.0), ("secondary_link", 40.0),
    ("tertiary", 50.0), ("tertiary_link", 40.0), ("unclassified", 40.0), ("residential", 30.0),
    ("living_street", 10.0), ("service", 20.0), ("road", 30.0), ("busway", 30.0),
)

#: `maxspeed` words (OSM implicit limits for Italy) and their km/h.
_SPEED_WORDS = {"it:urban": 50.0, "it:rural": 90.0, "it:trunk": 110.0, "it:motorway": 130.0, "walk": 6.0,
                "living_street": 10.0, "it:living_street": 10.0}
#: The geometry types a road is drawn with.
LINE_TYPES = (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class RoadOptions:
    """How line features become a drivable, directed graph. The defaults read OpenStreetMap tagging.

    - snap_tolerance_m: vertices of different lines closer than this (per axis) become one node; 0 means
      exactly equal coordinates only (OSM ways share their junction vertices exactly).
    - excluded_classes / excluded_access: `highway` and `access` values that are not drivable.
    - oneway_forward / oneway_backward / oneway_no: `oneway` values meaning along the digitising direction,
      against it, and explicitly both ways; any other value (alternate, reversible, empty) is both ways.
    - roundabout_values: `junction` values that imply one-way along the digitising direction.
    - oneway_classes: classes that imply one-way (OSM: motorway).
    - class_speeds_kmh / default_speed_kmh: speeds when `maxspeed` says nothing usable.
    """

    snap_tolerance_m: float = 0.05
    excluded_classes: frozenset[str] = EXCLUDED_CLASSES
    excluded_access: frozenset[str] = frozenset({"no", "private"})
    oneway_forward: frozenset[str] = frozenset({"yes", "1", "true"})
    oneway_backward: frozenset[str] = frozenset({"-1", "reverse"})
    oneway_no: frozenset[str] = frozenset({"no", "0", "false"})
    roundabout_values: frozenset[str] = frozenset({"roundabout", "circular"})
    oneway_classes: frozenset[str] = frozenset({"motorway"})
    class_speeds_kmh: tuple[tuple[str, float], ...] = CLASS_SPEEDS_KMH
    default_speed_kmh: float = 30.0

    def fingerprint(self) -> str:
        text = repr((self.snap_tolerance_m, sorted(self.excluded_classes), sorted(self.excluded_access),
                     sorted(self.oneway_forward), sorted(self.oneway_backward), sorted(self.oneway_no),
                     sorted(self.roundabout_values), sorted(self.oneway_classes), self.class_speeds_kmh,
                     self.default_speed_kmh))
        return hashlib.sha1(text.encode()).hexdigest()


@dataclass
class RoadLines:
    """Road features as plain arrays, in a metric CRS (the works' EPSG:6707).

    `geometries` holds shapely LineStrings or MultiLineStrings (None or empty ones are skipped);
    `fids` the features' ids in their layer (edges map back to them); `attributes` maps names of
    ROAD_ATTRIBUTES to one value per feature (a missing name means None everywhere).
    """

    geometries: np.ndarray
    fids: np.ndarray
    attributes: dict[str, list[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.geometries = np.asarray(self.geometries, dtype=object)
        self.fids = np.asarray(self.fids, dtype=np.int64)
        n = len(self.geometries)
        if len(self.fids) != n:
            raise ValueError(f"{len(self.fids)} feature ids for {n} geometries")
        for name, values in self.attributes.items():
            if len(values) != n:
                raise ValueError(f"attribute {name!r} has {len(values)} values for {n} geometries")

    def column(self, name: str) -> list[Any]:
        values = self.attributes.get(name)
        return list(values) if values is not None else [None] * len(self.geometries)

    def fingerprint(self) -> str:
        """A digest of the geometries and attributes: equal lines give an equal graph (the cache key)."""
        digest = hashlib.sha1()
        digest.update(self.fids.tobytes())
        digest.update(np.ascontiguousarray(shapely.get_coordinates(self.geometries)).tobytes())
        digest.update(np.asarray(shapely.get_num_coordinates(self.geometries), dtype=np.int64).tobytes())
        for name in ROAD_ATTRIBUTES:
            digest.update(repr(self.attributes.get(name)).encode())
        return digest.hexdigest()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip().lower()


def parse_maxspeed(value: Any) -> float | None:
    """km/h from an OSM `maxspeed` ('50', '30 mph', 'IT:urban', '30;50' -> the lowest); None if unusable."""
    text = _text(value)
    if not text:
        return None
    if text in _SPEED_WORDS:
        return _SPEED_WORDS[text]
    numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(text)]
    numbers = [n for n in numbers if n > 0]
    if not numbers:
        return None
    speed = min(numbers)
    return speed * 1.609344 if "mph" in text else speed


def _per_feature(columns: Sequence[list[Any]], rule: Callable[..., Any], dtype: Any) -> np.ndarray:
    """rule(*values) for every feature, evaluated once per distinct combination of values."""
    memo: dict[tuple[Any, ...], Any] = {}
    out = []
    for values in zip(*columns):
        result = memo.get(values)
        if result is None:
            result = memo[values] = rule(*values)
        out.append(result)
    return np.asarray(out, dtype=dtype)


def drivable_mask(lines: RoadLines, options: RoadOptions) -> np.ndarray:
    """Which features carry motor traffic: a drivable class, an allowed access, a non-empty line geometry."""
    geoms = lines.geometries
    ok = np.isin(shapely.get_type_id(geoms), LINE_TYPES) & ~shapely.is_empty(geoms)
    excluded_c, excluded_a = options.excluded_classes, options.excluded_access

    def usable(cls: Any, access: Any) -> bool:
        return _text(cls) not in excluded_c and _text(access) not in excluded_a

    return ok & _per_feature([lines.column("highway"), lines.column("access")], usable, bool)


def directions(lines: RoadLines, options: RoadOptions) -> tuple[np.ndarray, np.ndarray]:
    """(forward allowed, backward allowed) per feature, from `oneway`, `junction` and the class."""

    def rule(oneway: Any, junction: Any, cls: Any) -> tuple[bool, bool]:
        oneway = _text(oneway)
        if oneway in options.oneway_forward:
            return True, False
        if oneway in options.oneway_backward:
            return False, True
        if oneway in options.oneway_no:
            return True, True
        if _text(junction) in options.roundabout_values or _text(cls) in options.oneway_classes:
            return True, False
        return True, True

    columns = [lines.column("oneway"), lines.column("junction"), lines.column("highway")]
    forward = _per_feature(columns, lambda *values: rule(*values)[0], bool)
    backward = _per_feature(columns, lambda *values: rule(*values)[1], bool)
    return forward, backward


def speeds_ms(lines: RoadLines, options: RoadOptions) -> np.ndarray:
    """Speed per feature in m/s: `maxspeed` when usable, else the class default, else the default."""
    class_speeds = dict(options.class_speeds_kmh)

    def rule(maxspeed: Any, cls: Any) -> float:
        kmh = parse_maxspeed(maxspeed)
        if kmh is None:
            kmh = class_speeds.get(_text(cls), options.default_speed_kmh)
        return kmh / 3.6

    return _per_feature([lines.column("maxspeed"), lines.column("highway")], rule, np.float64)


def _snap_labels(points: np.ndarray, tolerance: float) -> np.ndarray:
    """A label per distinct point such that points closer than `tolerance` on both axes share it (and
    chains of such points).

    Four grids of cell 2 * tolerance, shifted by a tolerance on each axis: two points within the tolerance
    on both axes fall in one cell of at least one of them. Points are distinct already, so cells holding
    more than one are rare: those few are merged with a union-find.
    """
    n = len(points)
    labels = np.arange(n)
    if tolerance <= 0 or n == 0:
        return labels
    cell = 2.0 * tolerance
    origin = points.min(axis=0)
    parent = {}

    def find(i: int) -> int:
        root = i
        while parent.get(root, root) != root:
            root = parent[root]
        while i != root:
            parent[i], i = root, parent.get(i, i)
        return root

    for ox, oy in ((0.0, 0.0), (tolerance, 0.0), (0.0, tolerance), (tolerance, tolerance)):
        ix = np.floor((points[:, 0] - origin[0] + ox) / cell).astype(np.int64)
        iy = np.floor((points[:, 1] - origin[1] + oy) / cell).astype(np.int64)
        key = ix * (int(iy.max()) + 2) + iy
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        shared = np.flatnonzero(sorted_key[1:] == sorted_key[:-1])
        for i, j in zip(order[shared].tolist(), order[shared + 1].tolist()):
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    if parent:
        for i in list(parent):
            labels[i] = find(i)
    return labels


class RoadGraph:
    """A directed road graph: nodes, edges (pieces of source lines) with their geometry, and CSR adjacency.

    Arrays (numpy): node_xy (n, 2); edge_u, edge_v, edge_feature (index into the source arrays), edge_fid
    (source feature id), edge_length (m), edge_speed (m/s), edge_forward / edge_backward (allowed),
    coords + coord_offsets (edge e's vertices are coords[coord_offsets[e]:coord_offsets[e + 1]]),
    out_indptr / out_arcs (arcs leaving each node), in_indptr / in_arcs (arcs entering each node).
    Per source feature: feature_fid, feature_name, feature_class.
    """

    ARRAYS = ("node_xy", "edge_u", "edge_v", "edge_feature", "edge_length", "edge_speed", "edge_forward",
              "edge_backward", "coords", "coord_offsets", "feature_fid", "feature_name", "feature_class")

    def __init__(self, extras: dict[str, np.ndarray] | None = None, **arrays: np.ndarray) -> None:
        for name in self.ARRAYS:
            setattr(self, name, arrays[name])
        #: Arrays derived from the graph that are worth keeping with it in the cache (e.g. the detour table).
        self.extras: dict[str, np.ndarray] = dict(extras or {})
        #: The key the graph is cached under, when it is (set by whoever caches it).
        self.cache_key: str | None = None
        self.edge_fid = self.feature_fid[self.edge_feature]
        self.edge_time = self.edge_length / self.edge_speed
        m = len(self.edge_u)
        arc_tail = np.empty(2 * m, dtype=np.int64)
        arc_tail[0::2], arc_tail[1::2] = self.edge_u, self.edge_v
        arc_head = np.empty(2 * m, dtype=np.int64)
        arc_head[0::2], arc_head[1::2] = self.edge_v, self.edge_u
        arc_open = np.empty(2 * m, dtype=bool)
        arc_open[0::2], arc_open[1::2] = self.edge_forward, self.edge_backward
        self.arc_tail, self.arc_head, self.arc_open = arc_tail, arc_head, arc_open
        n = len(self.node_xy)
        arcs = np.flatnonzero(arc_open)
        self.out_arcs = arcs[np.argsort(arc_tail[arcs], kind="stable")]
        self.out_indptr = np.concatenate(([0], np.cumsum(np.bincount(arc_tail[arcs], minlength=n))))
        self.in_arcs = arcs[np.argsort(arc_head[arcs], kind="stable")]
        self.in_indptr = np.concatenate(([0], np.cumsum(np.bincount(arc_head[arcs], minlength=n))))
        self._router: Router | None = None
        self._geometries: np.ndarray | None = None
        self._chains: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._tree: shapely.STRtree | None = None
        self._degree: list[int] | None = None
        self._members: list[list[int]] | None = None
        self._bridges: np.ndarray | None = None

    # -- sizes and lookups ----------------------------------------------------------------------------

    @property
    def node_count(self) -> int:
        return len(self.node_xy)

    @property
    def edge_count(self) -> int:
        return len(self.edge_u)

    @property
    def arc_count(self) -> int:
        return 2 * len(self.edge_u)

    def edge_name(self, edge: int) -> str:
        return str(self.feature_name[self.edge_feature[edge]])

    def edge_class(self, edge: int) -> str:
        return str(self.feature_class[self.edge_feature[edge]])

    def edge_coords(self, edge: int) -> np.ndarray:
        return self.coords[self.coord_offsets[edge]:self.coord_offsets[edge + 1]]

    def arc_coords(self, arc: int) -> np.ndarray:
        """The vertices of an arc in its direction of travel."""
        xy = self.edge_coords(arc >> 1)
        return xy[::-1] if arc & 1 else xy

    def edge_geometries(self) -> np.ndarray:
        """Every edge as a shapely LineString (built once, in one vectorised call)."""
        if self._geometries is None:
            counts = np.diff(self.coord_offsets)
            self._geometries = shapely.linestrings(self.coords, indices=np.repeat(np.arange(len(counts)), counts))
        return self._geometries

    def edge_tree(self) -> shapely.STRtree:
        """A spatial index of the edges (indices are edge ids)."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.edge_geometries())
        return self._tree

    def path_geometry(self, arcs: Sequence[int]) -> shapely.LineString | None:
        """The line along consecutive arcs (None for an empty path)."""
        if not len(arcs):
            return None
        parts = [self.arc_coords(a) for a in arcs]
        xy = np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])
        return shapely.linestrings(xy)

    def path_geometries(self, paths: Sequence[Sequence[int]]) -> np.ndarray:
        """Lines along many paths at once (None for an empty path), in one vectorised construction."""
        out = np.full(len(paths), None, dtype=object)
        lengths = np.asarray([len(p) for p in paths], dtype=np.int64)
        if not lengths.sum():
            return out
        arcs = np.fromiter((a for p in paths for a in p), dtype=np.int64, count=int(lengths.sum()))
        nonempty = np.flatnonzero(lengths)
        path_of = np.repeat(np.arange(len(nonempty)), lengths[nonempty])
        edges = arcs >> 1
        starts, ends = self.coord_offsets[edges], self.coord_offsets[edges + 1]
        counts = ends - starts
        ramp = _ramp(counts)
        first = np.repeat(np.r_[True, path_of[1:] != path_of[:-1]], counts)
        backward = np.repeat((arcs & 1).astype(bool), counts)
        take = np.repeat(starts, counts) + np.where(backward, np.repeat(counts, counts) - 1 - ramp, ramp)
        # Consecutive arcs share a vertex: keep it once.
        keep = first | (ramp > 0)
        lines = shapely.linestrings(self.coords[take[keep]], indices=np.repeat(path_of, counts)[keep])
        out[nonempty] = lines
        return out

    @property
    def router(self) -> Router:
        """The search structure over Python lists (built on first use, then kept)."""
        if self._router is None:
            self._router = Router(self)
        return self._router

    # -- chains: runs of edges between junctions ------------------------------------------------------

    def node_degree(self) -> np.ndarray:
        """Undirected degree (edge ends) per node."""
        return np.bincount(np.concatenate((self.edge_u, self.edge_v)), minlength=self.node_count)

    def node_degree_list(self) -> list[int]:
        if self._degree is None:
            self._degree = self.node_degree().tolist()
        return self._degree

    def bridges(self) -> np.ndarray:
        """Edges whose closure always cuts the network (see `bridge_edges`), computed once."""
        if self._bridges is None:
            self._bridges = bridge_edges(self)
        return self._bridges

    def chain_members(self) -> list[list[int]]:
        """The edges of every chain (see `chains`), in edge order."""
        if self._members is None:
            chain, first, _ = self.chains()
            members: list[list[int]] = [[] for _ in range(len(first))]
            for e, c in enumerate(chain.tolist()):
                members[c].append(e)
            self._members = members
        return self._members

    def chains(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Runs of edges joined at nodes of degree two (a street between two junctions, whatever its way
        breaks): (chain id per edge, first and last node of each chain in walking order of its edges).

        A closure anywhere along a chain blocks the whole chain for through traffic: detours and
        criticality are computed between its end junctions. Closed loops without a junction get their
        lowest node as both ends.
        """
        if self._chains is None:
            self._chains = _chains(self)
        return self._chains

    # -- cache ----------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The graph as an .npz archive (no pickles), for the project GeoPackage cache."""
        buffer = io.BytesIO()
        arrays = {name: getattr(self, name) for name in self.ARRAYS}
        arrays["feature_name"] = np.asarray(arrays["feature_name"], dtype=str)
        arrays["feature_class"] = np.asarray(arrays["feature_class"], dtype=str)
        arrays.update({f"extra__{name}": value for name, value in self.extras.items()})
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> RoadGraph:
        with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in cls.ARRAYS}
            extras = {name[7:]: archive[name] for name in archive.files if name.startswith("extra__")}
        return cls(extras=extras, **arrays)


def build_graph(lines: RoadLines, options: RoadOptions | None = None) -> RoadGraph:
    """Node the drivable lines at shared vertices and split them there into edges (vectorised)."""
    options = options or RoadOptions()
    keep = np.flatnonzero(drivable_mask(lines, options))
    forward_f, backward_f = directions(lines, options)
    speed_f = speeds_ms(lines, options)
    parts, part_feature = shapely.get_parts(lines.geometries[keep], return_index=True)
    part_feature = keep[part_feature]
    xy, part_of = shapely.get_coordinates(parts, return_index=True)

    # One id per distinct location, after snapping.
    as_complex = np.ascontiguousarray(xy).view(np.complex128).reshape(-1)
    unique_c, vertex = np.unique(as_complex, return_inverse=True)
    unique_xy = np.column_stack((unique_c.real, unique_c.imag))
    vertex = vertex.reshape(-1)
    labels = _snap_labels(unique_xy, options.snap_tolerance_m)
    vertex = labels[vertex]
    # Drop repeated consecutive vertices (zero-length segments after snapping).
    same = np.zeros(len(vertex), dtype=bool)
    same[1:] = (vertex[1:] == vertex[:-1]) & (part_of[1:] == part_of[:-1])
    xy, vertex, part_of = xy[~same], vertex[~same], part_of[~same]
    starts = np.flatnonzero(np.r_[True, part_of[1:] != part_of[:-1]])
    ends = np.r_[starts[1:], len(part_of)] - 1
    long_enough = ends > starts
    starts, ends = starts[long_enough], ends[long_enough]
    alive = np.zeros(len(part_of), dtype=bool)
    alive[np.repeat(starts, ends - starts + 1) + _ramp(ends - starts + 1)] = True
    xy, vertex, part_of = xy[alive], vertex[alive], part_of[alive]
    starts = np.flatnonzero(np.r_[True, part_of[1:] != part_of[:-1]])
    ends = np.r_[starts[1:], len(part_of)] - 1

    # A node where a line ends or where a location is used twice (two lines, or one line crossing itself).
    uses = np.bincount(vertex, minlength=len(unique_xy))
    is_node = uses[vertex] > 1
    is_node[starts] = True
    is_node[ends] = True
    for _ in range(2):  # split loops (an edge from a node back to itself) at their middle vertex
        cut = np.flatnonzero(is_node)
        cut_end = cut[1:]
        cut_start = cut[:-1]
        valid = part_of[cut_start] == part_of[cut_end]
        loops = valid & (vertex[cut_start] == vertex[cut_end]) & (cut_end - cut_start >= 2)
        if not loops.any():
            break
        is_node[(cut_start[loops] + cut_end[loops]) // 2] = True
    cut = np.flatnonzero(is_node)
    cut_start, cut_end = cut[:-1], cut[1:]
    valid = part_of[cut_start] == part_of[cut_end]
    cut_start, cut_end = cut_start[valid], cut_end[valid]
    # Loops of one segment cannot be split: drop them (they carry no through traffic).
    keep_edge = vertex[cut_start] != vertex[cut_end]
    cut_start, cut_end = cut_start[keep_edge], cut_end[keep_edge]

    counts = cut_end - cut_start + 1
    take = np.repeat(cut_start, counts) + _ramp(counts)
    coords = xy[take]
    coord_offsets = np.concatenate(([0], np.cumsum(counts)))
    seg = np.hypot(*np.diff(coords, axis=0).T)
    seg = np.append(seg, 0.0)
    # Segment lengths summed per edge (the last vertex of each edge adds the zero-length link to the next).
    inside = np.ones(len(coords), dtype=bool)
    inside[coord_offsets[1:] - 1] = False
    edge_length = np.add.reduceat(np.where(inside, seg, 0.0), coord_offsets[:-1]) if len(counts) else np.zeros(0)

    node_vertices, node_of = np.unique(np.concatenate((vertex[cut_start], vertex[cut_end])), return_inverse=True)
    m = len(cut_start)
    edge_u, edge_v = node_of[:m], node_of[m:]
    # A node sits where its first vertex is (snapped vertices may differ by less than the tolerance).
    node_xy = unique_xy[node_vertices] if options.snap_tolerance_m <= 0 else _first_xy(
        vertex, xy, node_vertices)
    edge_feature = part_feature[part_of[cut_start]]
    # Snapped coordinates: the edge's end vertices sit exactly on its nodes.
    coords[coord_offsets[:-1]] = node_xy[edge_u]
    coords[coord_offsets[1:] - 1] = node_xy[edge_v]
    edge_length = np.maximum(edge_length, 1e-3)

    return RoadGraph(
        node_xy=node_xy,
        edge_u=edge_u.astype(np.int64),
        edge_v=edge_v.astype(np.int64),
        edge_feature=edge_feature.astype(np.int64),
        edge_length=edge_length,
        edge_speed=speed_f[edge_feature],
        edge_forward=forward_f[edge_feature],
        edge_backward=backward_f[edge_feature],
        coords=coords,
        coord_offsets=coord_offsets.astype(np.int64),
        feature_fid=lines.fids,
        feature_name=np.asarray([_name(v) for v in lines.column("name")], dtype=str),
        feature_class=np.asarray([_name(v) for v in lines.column("highway")], dtype=str),
    )


def _name(value: Any) -> str:
    return "" if value is None else str(value)


def _ramp(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., c - 1 for every c in counts, concatenated."""
    total = int(counts.sum())
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - offsets


def _first_xy(vertex: np.ndarray, xy: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    order = np.argsort(vertex, kind="stable")
    sorted_vertex = vertex[order]
    first = order[np.searchsorted(sorted_vertex, wanted)]
    return xy[first]


def _chains(graph: RoadGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = graph.edge_count
    degree = graph.node_degree()
    label = np.arange(m)
    # The two edges meeting at a node of degree two belong to one chain.
    ends = np.concatenate((graph.edge_u, graph.edge_v))
    edge_of_end = np.concatenate((np.arange(m), np.arange(m)))
    through = degree[ends] == 2
    order = np.argsort(ends[through], kind="stable")
    pair_edges = edge_of_end[through][order].reshape(-1, 2)
    a, b = pair_edges[:, 0], pair_edges[:, 1]
    while len(a):
        low = np.minimum(label[a], label[b])
        changed = (label[a] != low) | (label[b] != low)
        if not changed.any():
            break
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]  # pointer jumping
    _, chain = np.unique(label, return_inverse=True)
    chain = chain.reshape(-1)
    k = int(chain.max()) + 1 if m else 0
    # End nodes: the nodes of a chain that are not of degree two (two for a street, none for a bare loop).
    first = np.full(k, -1, dtype=np.int64)
    last = np.full(k, -1, dtype=np.int64)
    junction = degree[ends] != 2
    chain_of_end = chain[edge_of_end]
    for c, node in zip(chain_of_end[junction].tolist(), ends[junction].tolist()):
        if first[c] < 0:
            first[c] = node
        elif last[c] < 0 or node != first[c]:
            last[c] = node
    loops = first < 0
    if loops.any():
        lowest = np.full(k, np.iinfo(np.int64).max)
        np.minimum.at(lowest, chain, graph.edge_u)
        first[loops] = lowest[loops]
    last[last < 0] = first[last < 0]
    return chain, first, last


# ---------------------------------------------------------------------------------------------------------
# Searches

INF = math.inf

@dataclass(frozen=True)
class Path:
    """A route: its arcs in order, and its length (m) and travel time (s) on the weights searched."""

    arcs: tuple[int, ...]
    length_m: float
    time_s: float


class Router:
    """Shortest paths over Python lists built once from the CSR arrays.

    Weights are a list with one travel cost per arc; `math.inf` closes an arc (and marks a forbidden
    direction). `weights()` gives a fresh copy of the base travel times to modify for a day. A closure's
    detour is local: a bidirectional Dijkstra settles a few dozen nodes around it, so the searches use
    preallocated lists (reset after each search, touched entries only) rather than dictionaries.
    """

    def __init__(self, graph: RoadGraph) -> None:
        self.graph = graph
        n = graph.node_count
        heads = graph.arc_head.tolist()
        tails = graph.arc_tail.tolist()
        out_arcs, out_ptr = graph.out_arcs.tolist(), graph.out_indptr.tolist()
        in_arcs, in_ptr = graph.in_arcs.tolist(), graph.in_indptr.tolist()
        self.heads, self.tails = heads, tails
        self.out_adj: list[tuple[tuple[int, int], ...]] = [
            tuple((heads[a], a) for a in out_arcs[out_ptr[u]:out_ptr[u + 1]]) for u in range(n)
        ]
        self.in_adj: list[tuple[tuple[int, int], ...]] = [
            tuple((tails[a], a) for a in in_arcs[in_ptr[v]:in_ptr[v + 1]]) for v in range(n)
        ]
        arc_time = np.repeat(graph.edge_time, 2)
        arc_time[~graph.arc_open] = INF
        self.base_time: list[float] = arc_time.tolist()
        self.arc_length: list[float] = np.repeat(graph.edge_length, 2).tolist()
        # Within one 2-edge-connected part of the network (what is left joined once the bridges are
        # removed, directions ignored) a path never crosses a bridge: it could not come back. Searches
        # between two nodes of one part skip the dead-end trees that bridges lead to.
        bridge = graph.bridges()
        self.part = _parts(graph, bridge)
        arc_bridge = np.repeat(bridge, 2).tolist()
        self.core_out_adj = [tuple(x for x in adj if not arc_bridge[x[1]]) for adj in self.out_adj]
        self.core_in_adj = [tuple(x for x in adj if not arc_bridge[x[1]]) for adj in self.in_adj]
        self._dist_f = [INF] * n
        self._dist_b = [INF] * n
        self._pred_f = [-1] * n
        self._pred_b = [-1] * n
        self._main: bytearray | None = None
        self._root = -1
        self._roots: list[int] | None = None
        #: Edges usable from and to the main network before any closure (filled by the cut-off analysis).
        self.usable_edges: np.ndarray | None = None

    # -- whole-network passes ---------------------------------------------------------------------------

    def distances(self, source: int, weights: Sequence[float], forward: bool = True) -> list[float]:
        """Shortest costs from `source` to every node (forward) or from every node to it (plain Dijkstra)."""
        adj = self.out_adj if forward else self.in_adj
        dist = [INF] * len(adj)
        dist[source] = 0.0
        heap = [(0.0, source)]
        pop, push = heapq.heappop, heapq.heappush
        while heap:
            d, u = pop(heap)
            if d > dist[u]:
                continue
            for v, a in adj[u]:
                nd = d + weights[a]
                if nd < dist[v]:
                    dist[v] = nd
                    push(heap, (nd, v))
        return dist

    def reachable(self, source: int, weights: Sequence[float], forward: bool = True) -> bytearray:
        """Nodes reachable from `source` (forward) or that can reach it (backward) over finite weights."""
        adj = self.out_adj if forward else self.in_adj
        seen = bytearray(len(adj))
        seen[source] = 1
        stack = [source]
        pop, append = stack.pop, stack.append
        while stack:
            for v, a in adj[pop()]:
                if not seen[v] and weights[a] != INF:
                    seen[v] = 1
                    append(v)
        return seen

    @property
    def main(self) -> bytearray:
        """1 for the nodes of the main network: the largest set of nodes that all reach one another."""
        if self._main is None:
            self._main, self._root = self._main_component()
        return self._main

    @property
    def root(self) -> int:
        """A well-connected node of the main network (-1 for an empty graph)."""
        self.main  # noqa: B018 - computes it
        return self._root

    def roots(self) -> list[int]:
        """The root, then a few other well-connected nodes of the main network, to search from when the
        day's closures happen to isolate the root."""
        if self._roots is None:
            main = np.frombuffer(bytes(self.main), dtype=np.uint8).astype(bool)
            degree = np.diff(self.graph.out_indptr) + np.diff(self.graph.in_indptr)
            ranked = [int(v) for v in np.argsort(-degree, kind="stable") if main[v]][:200:40]
            self._roots = [self.root] + [v for v in ranked if v != self.root]
        return self._roots

    def _main_component(self) -> tuple[bytearray, int]:
        graph = self.graph
        n = graph.node_count
        best, best_root, best_size = bytearray(n), -1, 0
        if n == 0:
            return best, best_root
        degree = np.diff(graph.out_indptr) + np.diff(graph.in_indptr)
        for root in np.argsort(-degree, kind="stable")[:8].tolist():
            if best[root]:
                continue
            forward = self.reachable(root, self.base_time)
            backward = self.reachable(root, self.base_time, False)
            both = (np.frombuffer(forward, dtype=np.uint8) & np.frombuffer(backward, dtype=np.uint8))
            size = int(both.sum())
            if size > best_size:
                best, best_root, best_size = bytearray(both.tobytes()), root, size
            if best_size * 2 > n:
                break
        return best, best_root

    # -- point to point -------------------------------------------------------------------------------------

    def weights(self) -> list[float]:
        return self.base_time.copy()

    def path_stats(self, arcs: Iterable[int], weights: Sequence[float] | None = None) -> Path:
        arcs = tuple(arcs)
        w = weights if weights is not None else self.base_time
        length = self.arc_length
        return Path(arcs, sum(length[a] for a in arcs), sum(w[a] for a in arcs))

    def shortest_path(self, source: int, target: int, weights: Sequence[float] | None = None) -> Path | None:
        """The fastest path from source to target on `weights` (base times by default); None if none.

        Bidirectional Dijkstra: the side with the smaller key grows; it stops when the two keys together
        reach the best meeting found. A failing search stops as soon as either side runs dry, so a closure
        that cuts off a small area costs only that area.
        """
        if source == target:
            return Path((), 0.0, 0.0)
        w = weights if weights is not None else self.base_time
        if self.part[source] == self.part[target]:
            out_adj, in_adj = self.core_out_adj, self.core_in_adj
        else:
            out_adj, in_adj = self.out_adj, self.in_adj
        dist_f, dist_b, pred_f, pred_b = self._dist_f, self._dist_b, self._pred_f, self._pred_b
        dist_f[source] = 0.0
        dist_b[target] = 0.0
        touched_f = [source]
        touched_b = [target]
        touch_f, touch_b = touched_f.append, touched_b.append
        heap_f = [(0.0, source)]
        heap_b = [(0.0, target)]
        best = INF
        meet = -1
        pop, push = heapq.heappop, heapq.heappush
        try:
            while heap_f and heap_b:
                top_f, top_b = heap_f[0][0], heap_b[0][0]
                if top_f + top_b >= best:
                    break
                if len(heap_f) <= len(heap_b):
                    d, u = pop(heap_f)
                    if d > dist_f[u]:
                        continue
                    for v, a in out_adj[u]:
                        nd = d + w[a]
                        dv = dist_f[v]
                        if nd < dv:
                            if dv == INF:
                                touch_f(v)
                            dist_f[v] = nd
                            pred_f[v] = a
                            push(heap_f, (nd, v))
                            total = nd + dist_b[v]
                            if total < best:
                                best = total
                                meet = v
                else:
                    d, u = pop(heap_b)
                    if d > dist_b[u]:
                        continue
                    for v, a in in_adj[u]:
                        nd = d + w[a]
                        dv = dist_b[v]
                        if nd < dv:
                            if dv == INF:
                                touch_b(v)
                            dist_b[v] = nd
                            pred_b[v] = a
                            push(heap_b, (nd, v))
                            total = nd + dist_f[v]
                            if total < best:
                                best = total
                                meet = v
            if meet < 0:
                return None
            heads, tails = self.heads, self.tails
            arcs: list[int] = []
            node = meet
            while node != source:
                a = pred_f[node]
                arcs.append(a)
                node = tails[a]
            arcs.reverse()
            node = meet
            while node != target:
                a = pred_b[node]
                arcs.append(a)
                node = heads[a]
        finally:
            for v in touched_f:
                dist_f[v] = INF
            for v in touched_b:
                dist_b[v] = INF
        return self.path_stats(arcs, w)


def _parts(graph: RoadGraph, bridge: np.ndarray) -> list[int]:
    """A label per node: nodes joined without crossing a bridge (directions ignored) share it."""
    n = graph.node_count
    neighbours: list[list[int]] = [[] for _ in range(n)]
    keep = np.flatnonzero(~bridge)
    for u, v in zip(graph.edge_u[keep].tolist(), graph.edge_v[keep].tolist()):
        neighbours[u].append(v)
        neighbours[v].append(u)
    label = [-1] * n
    for start in range(n):
        if label[start] >= 0:
            continue
        label[start] = start
        stack = [start]
        while stack:
            for v in neighbours[stack.pop()]:
                if label[v] < 0:
                    label[v] = start
                    stack.append(v)
    return label


def bridge_edges(graph: RoadGraph) -> np.ndarray:
    """Edges whose removal disconnects the network with directions ignored (their closure always cuts
    something off), found in one linear pass: an iterative depth-first search with low-links.

    Parallel edges between two nodes are not bridges (each is the other's detour).
    """
    n, m = graph.node_count, graph.edge_count
    eu, ev = graph.edge_u.tolist(), graph.edge_v.tolist()
    incident: list[list[int]] = [[] for _ in range(n)]
    for e in range(m):
        incident[eu[e]].append(e)
        incident[ev[e]].append(e)
    order = [0] * n
    low = [0] * n
    visited = bytearray(n)
    cut = np.zeros(m, dtype=bool)
    counter = 1
    for root in range(n):
        if visited[root]:
            continue
        visited[root] = 1
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(incident[root]))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for e in edges:
                if e == via:
                    continue
                other = ev[e] if eu[e] == node else eu[e]
                if visited[other]:
                    if order[other] < low[node]:
                        low[node] = order[other]
                else:
                    visited[other] = 1
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, e, iter(incident[other])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
                if low[node] > order[parent]:
                    cut[via] = True
    return cut
