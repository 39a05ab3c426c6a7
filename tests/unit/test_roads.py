"""The road graph: noding, one-way rules, speeds, drivable classes, feature mapping, cache, shortest paths."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import shapely

from situation_room_plugin.core.roads import (
    RoadGraph,
    RoadOptions,
    bridge_edges,
    build_graph,
    parse_maxspeed,
)
from tests.unit.road_helpers import lines, prato_graph, prato_lines, reference_dijkstra, reference_edges


def edges_between(graph: RoadGraph, a: tuple[float, float], b: tuple[float, float]) -> list[int]:
    nodes = {tuple(xy): i for i, xy in enumerate(graph.node_xy.tolist())}
    u, v = nodes[a], nodes[b]
    return [e for e in range(graph.edge_count) if {int(graph.edge_u[e]), int(graph.edge_v[e])} == {u, v}]


def test_ways_are_noded_where_they_share_a_vertex_and_not_where_they_only_cross():
    graph = build_graph(lines([
        ([(0, 0), (100, 0), (200, 0)], {"highway": "residential"}),
        ([(100, -100), (100, 0), (100, 100)], {"highway": "residential"}),
        # a bridge over the first street: it crosses it without sharing a vertex
        ([(150, -100), (150, 100)], {"highway": "primary", "bridge": "yes"}),
    ]))
    assert graph.node_count == 7
    assert graph.edge_count == 5
    assert edges_between(graph, (0.0, 0.0), (100.0, 0.0))
    assert edges_between(graph, (100.0, 0.0), (100.0, 100.0))
    assert sorted(graph.edge_fid.tolist()) == [1, 1, 2, 2, 3]
    assert graph.edge_length.sum() == pytest.approx(600.0)


def test_one_way_rules_follow_osm_tagging():
    graph = build_graph(lines([
        ([(0, 0), (100, 0)], {"highway": "residential", "oneway": "yes"}),
        ([(0, 10), (100, 10)], {"highway": "residential", "oneway": "-1"}),
        ([(0, 20), (100, 20)], {"highway": "tertiary", "junction": "roundabout"}),
        ([(0, 30), (100, 30)], {"highway": "tertiary", "junction": "roundabout", "oneway": "no"}),
        ([(0, 40), (100, 40)], {"highway": "motorway"}),
        ([(0, 50), (100, 50)], {"highway": "residential", "oneway": "alternate"}),
        ([(0, 60), (100, 60)], {"highway": "residential", "oneway": "TRUE"}),
    ]))
    by_fid = {int(f): (bool(fw), bool(bw)) for f, fw, bw in
              zip(graph.edge_fid, graph.edge_forward, graph.edge_backward)}
    assert by_fid == {1: (True, False), 2: (False, True), 3: (True, False), 4: (True, True),
                      5: (True, False), 6: (True, True), 7: (True, False)}
    router = graph.router
    first = edges_between(graph, (0.0, 0.0), (100.0, 0.0))[0]
    u, v = int(graph.edge_u[first]), int(graph.edge_v[first])
    assert router.shortest_path(u, v) is not None
    assert router.shortest_path(v, u) is None


def test_custom_one_way_values_read_other_sources():
    options = RoadOptions(oneway_forward=frozenset({"ft"}), oneway_backward=frozenset({"tf"}))
    graph = build_graph(lines([
        ([(0, 0), (100, 0)], {"highway": "residential", "oneway": "FT"}),
        ([(0, 10), (100, 10)], {"highway": "residential", "oneway": "TF"}),
        ([(0, 20), (100, 20)], {"highway": "residential", "oneway": "yes"}),
    ]), options)
    assert graph.edge_forward.tolist() == [True, False, True]
    assert graph.edge_backward.tolist() == [False, True, True]


def test_speeds_come_from_maxspeed_or_the_class_default():
    graph = build_graph(lines([
        ([(0, 0), (100, 0)], {"highway": "residential", "maxspeed": "50"}),
        ([(0, 10), (100, 10)], {"highway": "residential"}),
        ([(0, 20), (100, 20)], {"highway": "primary", "maxspeed": "IT:urban"}),
        ([(0, 30), (100, 30)], {"highway": "unknown_class", "maxspeed": "signals"}),
    ]), RoadOptions(default_speed_kmh=25))
    assert (graph.edge_speed * 3.6).round(6).tolist() == [50.0, 30.0, 50.0, 25.0]
    assert parse_maxspeed("30 mph") == pytest.approx(48.28, abs=0.01)
    assert parse_maxspeed("30;50") == 30.0
    assert parse_maxspeed("none") is None


def test_footways_paths_and_tracks_are_left_out_unless_asked_for():
    features = [
        ([(0, 0), (100, 0)], {"highway": "residential"}),
        ([(100, 0), (200, 0)], {"highway": "footway"}),
        ([(200, 0), (300, 0)], {"highway": "track"}),
        ([(300, 0), (400, 0)], {"highway": "service", "access": "private"}),
    ]
    assert build_graph(lines(features)).edge_fid.tolist() == [1]
    options = RoadOptions(excluded_classes=frozenset({"footway"}), excluded_access=frozenset())
    assert sorted(build_graph(lines(features), options).edge_fid.tolist()) == [1, 3, 4]


def test_vertices_closer_than_the_snapping_tolerance_become_one_node():
    features = [
        ([(0, 0), (100, 0)], {"highway": "residential"}),
        ([(100.03, 0.02), (200, 0)], {"highway": "residential"}),
    ]
    assert build_graph(lines(features), RoadOptions(snap_tolerance_m=0)).node_count == 4
    snapped = build_graph(lines(features), RoadOptions(snap_tolerance_m=0.05))
    assert snapped.node_count == 3
    router = snapped.router
    ends = {tuple(xy): i for i, xy in enumerate(snapped.node_xy.tolist())}
    path = router.shortest_path(ends[(0.0, 0.0)], ends[(200.0, 0.0)])
    assert path is not None and path.length_m == pytest.approx(200.0, abs=0.1)


def test_a_closed_way_is_split_so_that_no_edge_returns_to_its_own_node():
    ring = [(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]
    graph = build_graph(lines([(ring, {"highway": "residential"}), ([(0, 0), (-50, 0)], {"highway": "residential"})]))
    assert (graph.edge_u != graph.edge_v).all()
    assert graph.edge_length.sum() == pytest.approx(450.0)


def test_bridges_are_the_edges_whose_removal_disconnects_the_network():
    # a square block with a dead-end street hanging off one corner, and a parallel pair of edges
    graph = build_graph(lines([
        ([(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)], {"highway": "residential"}),
        ([(100, 100), (200, 100), (300, 100)], {"highway": "residential"}),
        ([(300, 100), (300, 150), (400, 150)], {"highway": "residential"}),
        ([(300, 100), (350, 100), (400, 150)], {"highway": "residential"}),
    ]))
    bridged = {(tuple(graph.node_xy[graph.edge_u[e]]), tuple(graph.node_xy[graph.edge_v[e]]))
               for e in np.flatnonzero(bridge_edges(graph))}
    assert bridged == {((100.0, 100.0), (300.0, 100.0))}


def test_the_graph_survives_a_round_trip_through_its_cache_format():
    graph = build_graph(lines([
        ([(0, 0), (100, 0), (200, 0)], {"highway": "residential", "name": "Via Roma"}),
        ([(100, -100), (100, 0)], {"highway": "primary", "name": "Viale Piave", "oneway": "yes"}),
    ]))
    again = RoadGraph.from_bytes(graph.to_bytes())
    for name in RoadGraph.ARRAYS:
        assert np.array_equal(getattr(graph, name), getattr(again, name)), name
    assert again.edge_name(0) in ("Via Roma", "Viale Piave")


# -- Prato ----------------------------------------------------------------------------------------------


def test_every_drivable_feature_of_prato_is_covered_by_its_edges_exactly(shared_data):
    source = prato_lines(shared_data)
    graph = prato_graph(shared_data)
    classes = np.asarray(source.column("highway"), dtype=object)
    assert not set(classes[np.isin(source.fids, graph.edge_fid)]) & {"footway", "path", "steps", "cycleway"}
    lengths = shapely.length(source.geometries)
    per_feature = np.bincount(graph.edge_feature, weights=graph.edge_length, minlength=len(lengths))
    used = np.unique(graph.edge_feature)
    assert np.allclose(per_feature[used], lengths[used], rtol=1e-9, atol=0.01)
    # an edge's geometry is a piece of its feature's geometry
    rng = random.Random(3)
    geometries = graph.edge_geometries()
    for e in rng.sample(range(graph.edge_count), 200):
        feature = source.geometries[graph.edge_feature[e]]
        assert feature.buffer(0.01).covers(geometries[e])


def test_prato_nodes_are_junctions_or_ends_of_ways(shared_data):
    source = prato_lines(shared_data)
    graph = prato_graph(shared_data)
    kept = np.unique(graph.edge_feature)
    coords, which = shapely.get_coordinates(source.geometries[kept], return_index=True)
    uses: dict[tuple[float, float], set[int]] = {}
    for (x, y), f in zip(coords.tolist(), which.tolist()):
        uses.setdefault((x, y), set()).add(f)
    shared = {xy for xy, fs in uses.items() if len(fs) > 1}
    # every vertex two drivable ways share is a node, or snapped onto one within the tolerance
    tolerance = RoadOptions().snap_tolerance_m
    nodes = shapely.points(graph.node_xy)
    points = shapely.points(np.asarray(sorted(shared)))
    _, distances = shapely.STRtree(nodes).query_nearest(points, return_distance=True, all_matches=False)
    assert len(distances) == len(points) and distances.max() <= tolerance * math.sqrt(2)


def test_shortest_paths_on_prato_match_a_plain_dijkstra(shared_data):
    graph = prato_graph(shared_data)
    edges = reference_edges(graph)
    router = graph.router
    rng = random.Random(11)
    main = [v for v in range(graph.node_count) if router.main[v]]
    checked = 0
    for _ in range(40):
        s, t = rng.choice(main), rng.choice(range(graph.node_count))
        expected = reference_dijkstra(edges, s, t)
        found = router.shortest_path(s, t)
        if expected is None:
            assert found is None
            continue
        checked += 1
        assert found is not None
        assert found.time_s == pytest.approx(expected[0], rel=1e-9)
        # the arcs chain from s to t
        assert int(graph.arc_tail[found.arcs[0]]) == s and int(graph.arc_head[found.arcs[-1]]) == t
        assert all(graph.arc_head[a] == graph.arc_tail[b] for a, b in zip(found.arcs, found.arcs[1:]))
    assert checked > 20


def test_one_way_streets_of_prato_are_only_routed_along_their_direction(shared_data):
    graph = prato_graph(shared_data)
    source = prato_lines(shared_data)
    oneway = np.asarray(source.column("oneway"), dtype=object)
    one_way_edges = np.flatnonzero(oneway[graph.edge_feature] == "yes")
    assert len(one_way_edges) > 1000
    assert graph.edge_forward[one_way_edges].all() and not graph.edge_backward[one_way_edges].any()
    router = graph.router
    weights = router.weights()
    rng = random.Random(5)
    for e in rng.sample(one_way_edges.tolist(), 30):
        u, v = int(graph.edge_u[e]), int(graph.edge_v[e])
        path = router.shortest_path(v, u, weights)
        if path is not None:  # going back is a detour through other streets, never the edge itself
            assert 2 * e not in path.arcs and 2 * e + 1 not in path.arcs
            assert path.length_m > 0
    assert math.isinf(weights[2 * int(one_way_edges[0]) + 1])


def test_path_geometries_follow_their_arcs_in_the_direction_travelled(shared_data):
    graph = prato_graph(shared_data)
    router = graph.router
    rng = random.Random(8)
    main = [v for v in range(graph.node_count) if router.main[v]]
    paths = []
    for _ in range(30):
        found = router.shortest_path(rng.choice(main), rng.choice(main))
        paths.append(found.arcs if found else ())
    paths.insert(0, ())
    paths.append(())
    lines = graph.path_geometries(paths)
    assert lines[0] is None and lines[-1] is None
    for arcs, line in zip(paths[1:-1], lines[1:-1]):
        if not arcs:
            continue
        assert line.length == pytest.approx(sum(graph.edge_length[a >> 1] for a in arcs))
        start = graph.node_xy[graph.arc_tail[arcs[0]]]
        end = graph.node_xy[graph.arc_head[arcs[-1]]]
        assert np.allclose(line.coords[0], start) and np.allclose(line.coords[-1], end)
        assert shapely.equals_exact(line, graph.path_geometry(arcs), 0)
