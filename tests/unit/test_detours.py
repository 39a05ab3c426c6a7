"""Closures, detours, cut-off streets, interactions, timeline and criticality: on small synthetic grids
where the answer can be read off a drawing, and on Prato's real network against a plain reference Dijkstra."""

from __future__ import annotations

import math
import random
import uuid
from datetime import date

import numpy as np
import pytest
import shapely
import shapely.ops

from situation_room_plugin.core.detours import (
    NO_DETOUR,
    OK,
    ClosureOptions,
    DetourEngine,
    DetourTable,
    closures_for_works,
    criticality,
    day_weights,
)
from situation_room_plugin.core.roads import RoadGraph, build_graph
from situation_room_plugin.core.works import Work
from tests.unit.road_helpers import (
    combined,
    grid,
    lines,
    node_at,
    prato_graph,
    prato_lines,
    reference_dijkstra,
    reference_edges,
    shifted,
    street_footprint,
)

DAY = date(2026, 3, 10)


def work(footprint, uid: str | None = None, **overrides) -> Work:
    values = {
        "uid": uid or str(uuid.uuid4()),
        "title": "Scavo",
        "owner": "publiacqua",
        "work_type": "excavation",
        "status": "authorized",
        "start_date": date(2026, 3, 2),
        "end_date": date(2026, 3, 20),
        "traffic_impact": "all-lanes-closed",
        "geometry": footprint,
    }
    values.update(overrides)
    return Work(**values)


def closed_streets(graph: RoadGraph, w: Work, options: ClosureOptions | None = None) -> set[str]:
    closure = closures_for_works(graph, [w], options)[w.uid]
    return {graph.edge_name(a >> 1) for a in closure.closed_arcs}


# -- closures ---------------------------------------------------------------------------------------------


def test_a_footprint_along_a_street_closes_it_in_both_directions():
    graph = build_graph(grid())
    w = work(street_footprint((120, 200), (180, 200)))
    closure = closures_for_works(graph, [w])[w.uid]
    assert len(closure.closed_arcs) == 2
    assert closed_streets(graph, w) == {"row 2"}


def test_a_footprint_that_only_touches_a_crossing_street_does_not_close_it():
    graph = build_graph(grid())
    # row 2 from x=120 to the crossing with col 2 at x=200: an 8 m wide footprint reaches 4 m into col 2
    touching = work(street_footprint((120, 200), (204, 200)))
    assert closed_streets(graph, touching) == {"row 2"}
    # the same footprint extended 20 m down col 2 closes it too
    spilling = work(shapely.union(street_footprint((120, 200), (204, 200)), street_footprint((200, 200), (200, 180))))
    assert closed_streets(graph, spilling) == {"row 2", "col 2"}
    # a stricter threshold makes the 20 m spill too short as well
    assert closed_streets(graph, spilling, ClosureOptions(min_covered_m=25.0)) == {"row 2"}


def test_a_closure_of_one_direction_closes_only_that_arc():
    graph = build_graph(grid())
    forward = work(street_footprint((120, 200), (180, 200)), closed_direction="forward")
    backward = work(street_footprint((120, 200), (180, 200)), closed_direction="backward")
    closures = closures_for_works(graph, [forward, backward])
    (arc_f,) = closures[forward.uid].closed_arcs
    (arc_b,) = closures[backward.uid].closed_arcs
    assert arc_f == arc_b - 1 and arc_f % 2 == 0  # forward runs along the digitising direction (west to east)
    engine = DetourEngine(graph)
    impact = engine.day([forward], DAY)
    assert [(d.source, d.target) for d in impact.detours] == [(node_at(graph, 100, 200), node_at(graph, 200, 200))]


def test_some_lanes_closed_and_alternating_one_way_slow_down_without_closing():
    graph = build_graph(grid())
    options = ClosureOptions(some_lanes_speed_factor=0.5, alternating_speed_factor=0.25)
    lanes = work(street_footprint((120, 200), (180, 200)), traffic_impact="some-lanes-closed")
    alternating = work(street_footprint((200, 120), (200, 180)), traffic_impact="alternating-one-way")
    open_road = work(street_footprint((300, 120), (300, 180)), traffic_impact="all-lanes-open")
    closures = closures_for_works(graph, [lanes, alternating, open_road], options)
    assert open_road.uid not in closures
    assert not closures[lanes.uid].closed_arcs and not closures[alternating.uid].closed_arcs
    weights = day_weights(graph, closures.values())
    base = graph.router.base_time
    for arc, factor in closures[lanes.uid].slowed_arcs:
        assert factor == 0.5 and weights[arc] == pytest.approx(2 * base[arc])
    for arc, _ in closures[alternating.uid].slowed_arcs:
        assert weights[arc] == pytest.approx(4 * base[arc])
    impact = DetourEngine(graph, options).impact(closures)
    assert impact.detours == [] and impact.cutoff == []


def test_completed_cancelled_and_out_of_date_works_close_nothing():
    graph = build_graph(grid())
    footprint = street_footprint((120, 200), (180, 200))
    works = [work(footprint, status="completed"), work(footprint, status="cancelled"),
             work(footprint, start_date=date(2026, 4, 1), end_date=date(2026, 4, 2))]
    assert DetourEngine(graph).day(works, DAY).closures == {}


# -- detours on a grid ------------------------------------------------------------------------------------


def test_a_closed_block_is_detoured_around_the_next_block_between_its_junctions():
    graph = build_graph(grid())
    w = work(street_footprint((130, 200), (160, 200)))  # the middle of the block of row 2 from x=100 to 200
    impact = DetourEngine(graph).day([w], DAY)
    assert sorted((d.source, d.target) for d in impact.detours) == sorted(
        [(node_at(graph, 100, 200), node_at(graph, 200, 200)), (node_at(graph, 200, 200), node_at(graph, 100, 200))])
    for d in impact.detours:
        assert d.status == OK
        assert d.base_m == pytest.approx(100.0)
        assert d.detour_m == pytest.approx(300.0)  # up (or down) a block, across, back
        assert d.extra_m == pytest.approx(200.0) and d.ratio == pytest.approx(3.0)
        assert d.extra_s == pytest.approx(200.0 / (30 / 3.6))


def test_a_closure_over_a_junction_is_detoured_between_every_pair_of_its_ends():
    graph = build_graph(grid())
    junction = shapely.union(street_footprint((180, 200), (220, 200)), street_footprint((200, 180), (200, 220)))
    impact = DetourEngine(graph).day([work(junction)], DAY)
    ends = {node_at(graph, x, y) for x, y in ((100, 200), (300, 200), (200, 100), (200, 300))}
    assert {d.source for d in impact.detours} == ends
    assert len(impact.detours) == 12
    edges = reference_edges(graph)
    closed = set(impact.closures[next(iter(impact.closures))].closed_arcs)
    for d in impact.detours:
        expected = reference_dijkstra(edges, d.source, d.target, closed)
        assert d.detour is not None and d.detour.time_s == pytest.approx(expected[0])


def test_closing_the_only_access_of_a_dead_end_cuts_off_the_streets_behind_it():
    # a dead-end street hanging off the corner (200, 200), with a side branch
    graph = build_graph(combined(grid(3), lines([
        ([(200, 200), (260, 260), (320, 320)], {"name": "Vicolo Cieco", "highway": "residential"}),
        ([(260, 260), (260, 320)], {"name": "Vicolo Laterale", "highway": "residential"}),
    ])))
    w = work(street_footprint((210, 210), (240, 240)))
    impact = DetourEngine(graph).day([w], DAY)
    # from the junction of the two lanes there is no way back to the grid, nor from the grid to it
    assert sorted((d.source, d.target, d.status) for d in impact.detours) == sorted(
        [(node_at(graph, 200, 200), node_at(graph, 260, 260), NO_DETOUR),
         (node_at(graph, 260, 260), node_at(graph, 200, 200), NO_DETOUR)])
    assert sorted(graph.edge_name(c.edge) for c in impact.cutoff) == ["Vicolo Cieco", "Vicolo Laterale"]
    assert all(c.work_uids == (w.uid,) for c in impact.cutoff)


def test_a_street_with_no_way_around_gets_no_detour():
    # two grids joined by a single street: closing it leaves no way from one to the other
    link = lines([([(200, 100), (500, 100)], {"name": "Ponte", "highway": "tertiary"})])
    graph = build_graph(combined(grid(3), shifted(grid(3), 500), link))
    impact = DetourEngine(graph).day([work(street_footprint((300, 100), (400, 100)))], DAY)
    assert [d.status for d in impact.detours] == [NO_DETOUR, NO_DETOUR]
    assert all(d.extra_m is None and d.detour_m is None for d in impact.detours)
    assert len(impact.cutoff) == 12  # the smaller side (here: either, the larger root side is kept)


def test_simultaneous_closures_lengthen_each_others_detours():
    graph = build_graph(grid())
    a = work(street_footprint((130, 200), (160, 200)), uid="a")
    # b closes the block above, which a's detour takes (either above or below: close both of those)
    b = work(shapely.union(street_footprint((130, 300), (160, 300)), street_footprint((130, 100), (160, 100))),
             uid="b")
    engine = DetourEngine(graph)
    alone = {d.source: d.detour_m for d in engine.day([a], DAY).detours}
    together = {d.source: d.detour_m for d in engine.day([a, b], DAY).detours if d.work_uid == "a"}
    assert all(v == pytest.approx(300.0) for v in alone.values())
    assert all(v == pytest.approx(500.0) for v in together.values())
    (interaction,) = engine.interactions([a, b], date(2026, 3, 1), date(2026, 3, 31))
    assert (interaction.uid_a, interaction.uid_b) == ("a", "b")
    assert interaction.date_from == date(2026, 3, 2) and interaction.date_to == date(2026, 3, 20)
    assert interaction.extra_m_together > interaction.extra_m_apart


def test_the_timeline_counts_each_day_and_finds_pairs_only_while_both_are_on_the_street():
    graph = build_graph(grid())
    a = work(street_footprint((130, 200), (160, 200)), uid="a", start_date=date(2026, 3, 1),
             end_date=date(2026, 3, 5))
    b = work(shapely.union(street_footprint((130, 300), (160, 300)), street_footprint((130, 100), (160, 100))),
             uid="b", start_date=date(2026, 3, 4), end_date=date(2026, 3, 8))
    far = work(street_footprint((330, 400), (360, 400)), uid="c", start_date=date(2026, 3, 1),
               end_date=date(2026, 3, 8))
    days, interactions = DetourEngine(graph).timeline([a, b, far], date(2026, 2, 28), date(2026, 3, 9))
    assert [d.closures for d in days] == [0, 2, 2, 2, 3, 3, 2, 2, 2, 0]
    assert days[0].extra_m_total == 0 and days[-1].extra_m_total == 0
    assert days[4].extra_m_total > days[1].extra_m_total
    assert [(i.uid_a, i.uid_b, i.date_from, i.date_to) for i in interactions] == [
        ("a", "b", date(2026, 3, 4), date(2026, 3, 5))]


def street_between_junctions(graph: RoadGraph, edge: int) -> tuple[list[int], int, int]:
    """The edges of the street an edge lies on, from junction to junction (walking through nodes where
    only two edges meet), and its two end junctions, in order along the edge's direction."""
    degree: dict[int, list[int]] = {}
    for e in range(graph.edge_count):
        degree.setdefault(int(graph.edge_u[e]), []).append(e)
        degree.setdefault(int(graph.edge_v[e]), []).append(e)

    def walk(node: int, came: int) -> tuple[list[int], int]:
        edges = []
        while len(degree[node]) == 2:
            (nxt,) = [e for e in degree[node] if e != came] or [came]
            if nxt == edge or nxt in edges:
                break
            edges.append(nxt)
            node = int(graph.edge_v[nxt]) if int(graph.edge_u[nxt]) == node else int(graph.edge_u[nxt])
            came = nxt
        return edges, node

    back, start = walk(int(graph.edge_u[edge]), edge)
    ahead, end = walk(int(graph.edge_v[edge]), edge)
    return [*back[::-1], edge, *ahead], start, end


def reference_criticality(graph: RoadGraph, edge: int, edges: list) -> tuple[bool, float | None]:
    """(cut, worst extra metres) of closing the street of `edge` alone, with the plain Dijkstra."""
    street, start, end = street_between_junctions(graph, edge)
    closed = {a for e in street for a in (2 * e, 2 * e + 1)}
    inside = [x for x in edges if (x[4] >> 1) in street]
    extras, cut = [], False
    for s, t in ((start, end), (end, start)):
        along = reference_dijkstra(inside, s, t)
        if along is None or s == t:
            continue
        found = reference_dijkstra(edges, s, t, closed)
        if found is None:
            cut = True
        else:
            extras.append(found[1] - along[1])
    return cut, (max(extras) if extras else None)


def test_criticality_matches_closing_each_street_alone_on_a_small_network():
    overrides = {"row 1": {"oneway": "yes"}, "col 3": {"oneway": "-1"}}
    dead_end = lines([([(300, 300), (380, 380)], {"name": "Vicolo", "highway": "residential"})])
    graph = build_graph(combined(grid(4, **overrides), dead_end))
    result = criticality(graph)
    edges = reference_edges(graph)
    for e in range(graph.edge_count):
        cut, extra = reference_criticality(graph, e, edges)
        assert bool(result.no_alternative[e]) == cut, graph.edge_name(e)
        if not cut and extra is not None:
            assert result.extra_m[e] == pytest.approx(extra), graph.edge_name(e)
    assert result.no_alternative[[e for e in range(graph.edge_count) if graph.edge_name(e) == "Vicolo"]].all()
    # the corner streets turn at a node of degree two: closing one is detoured from junction to junction
    corner = next(e for e in range(graph.edge_count)
                  if {tuple(graph.node_xy[graph.edge_u[e]]), tuple(graph.node_xy[graph.edge_v[e]])}
                  == {(0.0, 300.0), (100.0, 300.0)})
    assert result.extra_m[corner] == pytest.approx(0.0)  # (100, 300) -> (100, 200) -> (0, 200): as long


# -- Prato ------------------------------------------------------------------------------------------------


def prato_footprint(data_dir, osm_id: str, start: float = 0.3, end: float = 0.7, width: float = 8.0):
    """A footprint over the middle part of a real street of Prato (by its OSM way id)."""
    source = prato_lines(data_dir)
    index = source.column("osm_id").index(osm_id)
    line = source.geometries[index]
    piece = shapely.ops.substring(line, start, end, normalized=True)
    return shapely.buffer(piece, width / 2, cap_style="flat")


def check_against_reference(graph, impact):
    edges = reference_edges(graph)
    closed = set().union(*(c.closed_arcs for c in impact.closures.values()))
    for d in impact.detours:
        expected = reference_dijkstra(edges, d.source, d.target, closed)
        if expected is None:
            assert d.detour is None
        else:
            assert d.detour is not None
            assert d.detour.time_s == pytest.approx(expected[0], rel=1e-9)
            assert not closed.intersection(d.detour.arcs)
            assert all(not math.isinf(graph.router.base_time[a]) for a in d.detour.arcs)  # one-way respected


def test_closing_a_one_way_street_in_prato_detours_round_a_loop_of_one_way_streets(shared_data):
    graph = prato_graph(shared_data)
    w = work(prato_footprint(shared_data, "30353076"), uid="cimabue")  # Via Cimabue, one-way
    impact = DetourEngine(graph).day([w], DAY)
    assert {graph.edge_name(a >> 1) for a in impact.closures["cimabue"].closed_arcs} == {"Via Cimabue"}
    (detour,) = impact.detours  # one-way: one blocked direction only
    assert detour.status == OK
    check_against_reference(graph, impact)
    one_way = [a for a in detour.detour.arcs if not graph.edge_backward[a >> 1]]
    assert len({graph.edge_name(a >> 1) for a in one_way}) >= 3
    # with one-way rules ignored the way round would be different: the rules shape the detour
    both_ways = [(v, u, s, m, a ^ 1) for u, v, s, m, a in reference_edges(graph)]
    closed = set(impact.closures["cimabue"].closed_arcs) | {a ^ 1 for a in impact.closures["cimabue"].closed_arcs}
    ignoring = reference_dijkstra(reference_edges(graph) + both_ways, detour.source, detour.target, closed)
    assert ignoring[0] < detour.detour.time_s


def test_random_closures_in_prato_match_a_plain_dijkstra_on_the_same_day(shared_data):
    graph = prato_graph(shared_data)
    source = prato_lines(shared_data)
    rng = random.Random(7)
    drivable = sorted({int(f) for f in graph.edge_feature})
    osm_ids = source.column("osm_id")
    works = [work(prato_footprint(shared_data, osm_ids[i], 0.4, 0.6)) for i in rng.sample(drivable, 40)]
    impact = DetourEngine(graph).day(works, DAY)
    assert len(impact.detours) > 30
    check_against_reference(graph, impact)


def test_closing_the_only_street_into_a_neighbourhood_of_prato_cuts_it_off(shared_data):
    graph = prato_graph(shared_data)
    w = work(prato_footprint(shared_data, "30353661"), uid="danesi")  # Via Elio Danesi
    impact = DetourEngine(graph).day([w], DAY)
    closed = set(impact.closures["danesi"].closed_arcs)
    assert closed
    # reference: the edges that are still open but can no longer reach, or be reached from, the main network
    edges = reference_edges(graph)
    root = graph.router.root

    def reach(pairs, start):
        seen, stack = {start}, [start]
        adjacency = {}
        for u, v in pairs:
            adjacency.setdefault(u, []).append(v)
        while stack:
            for v in adjacency.get(stack.pop(), ()):
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        return seen

    def usable(closed_arcs):
        arcs = [(u, v, a) for u, v, _, _, a in edges if a not in closed_arcs]
        forward = reach([(u, v) for u, v, _ in arcs], root)
        backward = reach([(v, u) for u, v, _ in arcs], root)
        return {a >> 1 for u, v, a in arcs if u in forward and v in backward}

    expected = usable(set()) - usable(closed) - {a >> 1 for a in closed}
    assert expected  # the test means something: there is a neighbourhood behind
    assert {c.edge for c in impact.cutoff} == expected
    assert all(c.work_uids == ("danesi",) for c in impact.cutoff)


def alone_b_extra(engine: DetourEngine, b: Work) -> float:
    """b's own detours' extra metres with a closed too are what they are alone unless a touches them."""
    return sum(d.extra_m for d in engine.day([b], DAY).detours)


def test_two_closures_in_prato_that_share_a_detour_interact(shared_data):
    graph = prato_graph(shared_data)
    engine = DetourEngine(graph)
    a = work(prato_footprint(shared_data, "30353076"), uid="a")  # Via Cimabue
    (alone,) = engine.day([a], DAY).detours
    # b closes a street of a's detour (the first one that is not at a's ends)
    arc = alone.detour.arcs[len(alone.detour.arcs) // 2]
    line = graph.edge_geometries()[arc >> 1]
    b = work(shapely.buffer(shapely.ops.substring(line, 0.3, 0.7, normalized=True), 4, cap_style="flat"), uid="b")
    impact = engine.day([a, b], DAY)
    check_against_reference(graph, impact)
    together = next(d for d in impact.detours if d.work_uid == "a")
    # detours are the fastest way round: together it takes longer (it may even be shorter in metres)
    assert together.detour is None or together.detour.time_s > alone.detour.time_s
    (interaction,) = engine.interactions([a, b], DAY, DAY)
    if together.detour is not None:
        assert interaction.extra_m_together == pytest.approx(together.extra_m + alone_b_extra(engine, b))


def test_a_footprint_on_a_prato_street_that_touches_the_crossing_street_closes_only_its_own(shared_data):
    graph = prato_graph(shared_data)
    source = prato_lines(shared_data)
    index = source.column("osm_id").index("30353076")  # Via Cimabue
    line = source.geometries[index]
    end = shapely.Point(line.coords[-1])
    # 30 m of Via Cimabue up to its last junction, 8 m wide: it reaches 4 m into the crossing street
    start = shapely.ops.substring(line, max(0.0, line.length - 30), line.length)
    w = work(shapely.buffer(start, 4, cap_style="flat"))
    assert closed_streets(graph, w) == {"Via Cimabue"}
    crossing = [graph.edge_name(e) for e in range(graph.edge_count)
                if graph.edge_geometries()[e].distance(end) < 0.01 and graph.edge_name(e) != "Via Cimabue"]
    assert crossing  # there is a crossing street at that end


def test_criticality_of_prato_agrees_with_closing_sampled_streets_alone(shared_data):
    graph = prato_graph(shared_data)
    result = criticality(graph)
    assert result.no_alternative.any() and np.isfinite(result.extra_m).sum() > graph.edge_count / 2
    edges = reference_edges(graph)
    rng = random.Random(4)
    for e in rng.sample(range(graph.edge_count), 25):
        cut, extra = reference_criticality(graph, e, edges)
        assert bool(result.no_alternative[e]) == cut, e
        if not cut and extra is not None:
            assert result.extra_m[e] == pytest.approx(extra, abs=1e-6), e


def test_the_street_detour_table_gives_the_same_detours_as_searching(shared_data):
    graph = prato_graph(shared_data)
    source = prato_lines(shared_data)
    table = criticality(graph).table
    rng = random.Random(21)
    osm_ids = source.column("osm_id")
    drivable = sorted({int(f) for f in graph.edge_feature})
    works = [work(prato_footprint(shared_data, osm_ids[i], 0.4, 0.6)) for i in rng.sample(drivable, 150)]
    searched = DetourEngine(graph)
    searched.table = None  # search every detour
    looked_up = DetourEngine(graph, table=table)
    closures = looked_up.closures(works)
    compared = 0
    for closure in closures.values():
        for a, b in zip(searched.alone(closure), looked_up.alone(closure)):
            assert (a.source, a.target, a.status) == (b.source, b.target, b.status)
            if a.detour is not None:
                assert b.detour.time_s == pytest.approx(a.detour.time_s, rel=1e-9)
                compared += 1
    assert compared > 100


def test_the_detour_table_is_kept_with_the_graph_in_its_cache_format(shared_data):
    graph = build_graph(grid(4))
    criticality(graph).table.store(graph)
    again = RoadGraph.from_bytes(graph.to_bytes())
    table = DetourTable.of(again)
    assert table is not None and np.array_equal(table.arcs, DetourTable.of(graph).arcs)
    w = work(street_footprint((130, 200), (160, 200)))
    assert [d.detour_m for d in DetourEngine(again).day([w], DAY).detours] == pytest.approx([300.0, 300.0])
