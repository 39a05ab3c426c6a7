"""The road-graph cache in the project GeoPackage: what was built is found again, and only a few are kept."""

from __future__ import annotations

import numpy as np

from situation_room_plugin.core.roads import RoadGraph, build_graph
from situation_room_plugin.qgis_io import graph_cache
from situation_room_plugin.qgis_io.store import GRAPH_CACHE_TABLE, Store
from tests.unit.road_helpers import grid


def same_graph(a: RoadGraph, b: RoadGraph) -> bool:
    return all(np.array_equal(getattr(a, name), getattr(b, name)) for name in RoadGraph.ARRAYS)


def test_a_graph_cached_in_the_store_comes_back_identical(tmp_path):
    path = tmp_path / "project.gpkg"
    Store.open(path).close()
    lines = grid(4)
    graph = build_graph(lines)
    key = lines.fingerprint()
    assert graph_cache.load(path, key) is None
    graph_cache.save(path, key, graph)
    again = graph_cache.load(path, key)
    assert again is not None and same_graph(graph, again)
    assert graph_cache.load(path, "another key") is None


def test_the_cache_key_changes_when_a_road_changes():
    a, b = grid(4), grid(4, **{"row 1": {"oneway": "yes"}})
    assert a.fingerprint() == grid(4).fingerprint()
    assert a.fingerprint() != b.fingerprint()


def test_the_store_keeps_only_the_most_recent_graphs(tmp_path):
    path = tmp_path / "project.gpkg"
    graph = build_graph(grid(3))
    for i in range(graph_cache.KEEP + 2):
        graph_cache.save(path, f"key {i}", graph)
    assert len(graph_cache.cached_keys(path)) == graph_cache.KEEP
    assert f"key {graph_cache.KEEP + 1}" in graph_cache.cached_keys(path)
    with Store.open(path) as store, store.transaction() as conn:
        kind = conn.execute("SELECT data_type FROM gpkg_contents WHERE table_name = ?", (GRAPH_CACHE_TABLE,))
        assert kind.fetchone() == ("attributes",)
