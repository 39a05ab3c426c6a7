"""Helpers for road-graph tests: small synthetic networks, Prato's roads, and a plain reference Dijkstra."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from situation_room_plugin.core.roads import ROAD_ATTRIBUTES, RoadGraph, RoadLines, build_graph

PRATO_ROADS = Path("prato/prato_roads.gpkg")


def lines(features: Sequence[tuple[Sequence[tuple[float, float]], dict[str, Any]]]) -> RoadLines:
    """RoadLines from (coordinates, attributes) pairs; ids are 1, 2, 3, ..."""
    geometries = np.asarray([shapely.LineString(coords) for coords, _ in features], dtype=object)
    attributes = {name: [attrs.get(name) for _, attrs in features] for name in ROAD_ATTRIBUTES}
    return RoadLines(geometries, np.arange(1, len(features) + 1), attributes)


def grid(size: int = 5, spacing: float = 100.0, **overrides: dict[str, Any]) -> RoadLines:
    """A grid of streets: row r is a way named 'row r' west to east, column c a way 'col c' south to north,
    sharing vertices at every crossing. `overrides` maps a name to attributes to change."""
    features = []
    for r in range(size):
        coords = [(c * spacing, r * spacing) for c in range(size)]
        features.append((coords, {"name": f"row {r}", "highway": "residential", **overrides.get(f"row {r}", {})}))
    for c in range(size):
        coords = [(c * spacing, r * spacing) for r in range(size)]
        features.append((coords, {"name": f"col {c}", "highway": "residential", **overrides.get(f"col {c}", {})}))
    return lines(features)


def combined(*parts: RoadLines) -> RoadLines:
    """Several sets of lines as one (ids renumbered 1, 2, 3, ...)."""
    geometries = np.concatenate([p.geometries for p in parts])
    attributes = {name: [v for p in parts for v in p.column(name)] for name in ROAD_ATTRIBUTES}
    return RoadLines(geometries, np.arange(1, len(geometries) + 1), attributes)


def shifted(part: RoadLines, dx: float, dy: float = 0.0) -> RoadLines:
    moved = shapely.transform(part.geometries, lambda xy: xy + np.array([dx, dy]))
    return RoadLines(moved, part.fids, dict(part.attributes))


def node_at(graph: RoadGraph, x: float, y: float) -> int:
    d = np.hypot(graph.node_xy[:, 0] - x, graph.node_xy[:, 1] - y)
    node = int(np.argmin(d))
    assert d[node] < 0.01, f"no node at ({x}, {y})"
    return node


def street_footprint(a: tuple[float, float], b: tuple[float, float], width: float = 8.0) -> shapely.Polygon:
    """A footprint covering the street from a to b over its width, with square ends at a and b."""
    return shapely.buffer(shapely.LineString([a, b]), width / 2, cap_style="flat")


@lru_cache(maxsize=2)
def prato_lines(data_dir: Path) -> RoadLines:
    from situation_room_plugin.qgis_io.road_tables import read_road_lines

    return read_road_lines(data_dir / PRATO_ROADS)


@lru_cache(maxsize=2)
def prato_graph(data_dir: Path) -> RoadGraph:
    return build_graph(prato_lines(data_dir))


def reference_edges(graph: RoadGraph) -> list[tuple[int, int, float, float, int]]:
    """(tail, head, seconds, metres, arc) of every allowed direction, from the graph's edge arrays alone."""
    out = []
    for e in range(graph.edge_count):
        u, v = int(graph.edge_u[e]), int(graph.edge_v[e])
        seconds = float(graph.edge_length[e] / graph.edge_speed[e])
        metres = float(graph.edge_length[e])
        if graph.edge_forward[e]:
            out.append((u, v, seconds, metres, 2 * e))
        if graph.edge_backward[e]:
            out.append((v, u, seconds, metres, 2 * e + 1))
    return out


def reference_dijkstra(
    edges: Iterable[tuple[int, int, float, float, int]],
    source: int,
    target: int,
    closed: set[int] = frozenset(),
    factors: dict[int, float] | None = None,
) -> tuple[float, float] | None:
    """(seconds, metres) of the fastest path from source to target skipping closed arcs; None if none.

    Deliberately plain: a dictionary of adjacency lists and a heap, nothing shared with the code tested.
    """
    factors = factors or {}
    adjacency: dict[int, list[tuple[int, float, float]]] = {}
    for u, v, seconds, metres, arc in edges:
        if arc in closed:
            continue
        adjacency.setdefault(u, []).append((v, seconds * factors.get(arc, 1.0), metres))
    best = {source: (0.0, 0.0)}
    heap = [(0.0, 0.0, source)]
    while heap:
        seconds, metres, u = heapq.heappop(heap)
        if u == target:
            return seconds, metres
        if seconds > best[u][0]:
            continue
        for v, s, m in adjacency.get(u, ()):
            candidate = seconds + s
            if candidate < best.get(v, (math.inf, 0.0))[0]:
                best[v] = (candidate, metres + m)
                heapq.heappush(heap, (candidate, metres + m, v))
    return None
