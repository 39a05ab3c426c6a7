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
