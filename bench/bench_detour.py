"""Detour analysis on Prato's real roads (9,615 OSM ways) and CAP's real bus network, and the QGIS-native
equivalent of one closure's detour (rebuild the graph from the layer without the closed ways with
QgsVectorLayerDirector + QgsGraphBuilder, then QgsGraphAnalyzer.dijkstra) in the same run.

Works are realistic: footprints are stretches of Prato's public roads (not parking aisles; 5-400 m,
median 40 m, 3-8 m wide) picked in proportion to road length. Closure timings exclude turning footprints
into closed edges (one vectorised query for all works, timed apart as `detour.closures_1000_ms`).

- criticality: every street's detour alone; it also gives the street detour table that the project's
  cache keeps with the graph, which the runs below use (as a session with a cached graph does).
- single: one closure's detours (its blocked stretches, their end junctions, the base routes and the way
  round in each blocked direction) for 1,000 random closures: a closure of one street is looked up in the
  table, others are searched; `single_search_*` searches every closure from scratch.
- day100: 100 simultaneous all-lanes-closed works: closures, every detour in the day's network, cut-off
  roads with their works, bus lines with reroutes, skipped stops and trips, and every output geometry;
  the graph and the matched bus network prepared (as in a session), nothing else cached.
- timeline_year: 1,000 works over 2016 (the GTFS year), mixed impacts and durations: every day's summary
  (with bus trips) and the interacting pairs.
- peak_rss_mb: this process's peak before the QGIS-native part starts QGIS (that memory is QGIS's).
"""

from __future__ import annotations

import gc
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bench.common import footprints_along, median, peak_rss_mb, percentile, qgis_app, timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from situation_room_plugin.core.detours import (  # noqa: E402
    DetourEngine,
    closures_for_works,
    criticality,
    detour_geometries,
)
from situation_room_plugin.core.roads import EXCLUDED_CLASSES, build_graph  # noqa: E402
from situation_room_plugin.core.transit import BusNetwork, read_gtfs, reroute_geometry  # noqa: E402
from situation_room_plugin.core.works import Work  # noqa: E402
from situation_room_plugin.qgis_io.road_tables import read_road_lines  # noqa: E402

TARGETS = {
    "detour.graph_build_s": ("<=", 0.3),
    "detour.single_median_ms": ("<=", 0.2),
    "detour.single_p99_ms": ("<=", 1.0),
    "detour.day100_ms": ("<=", 100.0),
    "detour.criticality_s": ("<=", 3.0),
    "detour.timeline_year_s": ("<=", 10.0),
    "detour.peak_rss_mb": ("<=", 300.0),
}

DAY = date(2016, 5, 3)
PUBLIC = {"motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "living_street",
          "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link"}


def synthetic_works(lines, n: int, seed: int, year: int | None = None) -> list[Work]:
    """n works on public roads; all-lanes-closed on DAY unless `year` spreads them over it with mixed impacts."""
    rng = np.random.default_rng(seed)
    classes = np.asarray([str(c) for c in lines.column("highway")])
    roads = lines.geometries[np.isin(classes, list(PUBLIC))]
    footprints = footprints_along(roads, n, rng)
    if year is None:
        starts = [DAY] * n
        ends = [DAY] * n
        impacts = ["all-lanes-closed"] * n
    else:
        first = date(year, 1, 1)
        offsets = rng.integers(0, 365, n)
        durations = np.clip(rng.geometric(1 / 12, n), 1, 90)
        starts = [first + timedelta(days=int(o)) for o in offsets]
        ends = [s + timedelta(days=int(d) - 1) for s, d in zip(starts, durations)]
        impacts = rng.choice(["all-lanes-closed", "some-lanes-closed", "alternating-one-way", "all-lanes-open"], n,
                             p=[0.45, 0.25, 0.2, 0.1]).tolist()
    return [
        Work(uid=str(uuid.UUID(int=seed * 1_000_000 + i + 1)), title=f"Cantiere {i}", owner="publiacqua",
             work_type="excavation", status="authorized", start_date=starts[i], end_date=ends[i],
             traffic_impact=impacts[i], geometry=footprints[i])
        for i in range(n)
    ]


def day_with_every_output(graph, bus: BusNetwork, works: list[Work]) -> int:
    engine = DetourEngine(graph)
    impact = engine.day(works, DAY)
    routes = bus.impact(DAY, impact.closures.values())
    outputs = list(detour_geometries(graph, impact.detours))
    geometries = graph.edge_geometries()
    outputs += [(geometries[c.edge], graph.edge_name(c.edge), ",".join(c.work_uids)) for c in impact.cutoff]
    outputs += [reroute_geometry(graph, r.reroutes) for r in routes]
    return len(outputs)


def qgis_native_single(data_dir: Path, graph, closures: list) -> tuple[float, float, float]:
    """(total ms, rebuild s, dijkstra ms), medians over a few closures, the QGIS way: the road layer
    filtered to drivable ways without the closed ones, a graph built from it with its one-way field, and a
    full shortest-path tree from the stretch's start, read at its end."""
    qgis_app()
    from qgis.analysis import (
        QgsGraphAnalyzer,
        QgsGraphBuilder,
        QgsNetworkSpeedStrategy,
        QgsVectorLayerDirector,
    )
    from qgis.core import QgsPointXY, QgsVectorLayer

    uri = f"{data_dir / 'prato' / 'prato_roads.gpkg'}|layername=roads"
    excluded = ",".join(f"'{c}'" for c in sorted(EXCLUDED_CLASSES))
    totals, rebuilds, searches = [], [], []
    for closure in closures:
        fids = sorted({int(graph.edge_fid[a >> 1]) for a in closure.closed_arcs})
        started = time.perf_counter()
        layer = QgsVectorLayer(uri, "roads", "ogr")
        layer.setSubsetString(
            f"(highway IS NULL OR highway NOT IN ({excluded})) AND fid NOT IN ({','.join(map(str, fids))})")
        oneway = layer.fields().indexOf("oneway")
        director = QgsVectorLayerDirector(layer, oneway, "yes", "-1", "", QgsVectorLayerDirector.DirectionBoth)
        director.addStrategy(QgsNetworkSpeedStrategy(-1, 30.0, 1000 / 3600))
        builder = QgsGraphBuilder(layer.crs(), True, 0.05)
        arc = min(closure.closed_arcs)
        start_xy, end_xy = graph.node_xy[graph.arc_tail[arc]], graph.node_xy[graph.arc_head[arc]]
        tied = director.makeGraph(builder, [QgsPointXY(*start_xy), QgsPointXY(*end_xy)])
        network = builder.graph()
        built = time.perf_counter()
        start, end = network.findVertex(tied[0]), network.findVertex(tied[1])
        tree, _ = QgsGraphAnalyzer.dijkstra(network, start, 0)
        node, steps = end, 0
        while tree[node] != -1 and steps < 100000:
            node = network.edge(tree[node]).fromVertex()
            steps += 1
        done = time.perf_counter()
        totals.append((done - started) * 1000)
        rebuilds.append(built - started)
        searches.append((done - built) * 1000)
    return median(totals), median(rebuilds), median(searches)


def run(data_dir: Path) -> dict[str, float]:
    roads_path = data_dir / "prato" / "prato_roads.gpkg"
    out: dict[str, float] = {}

    def build():
        graph = build_graph(read_road_lines(roads_path))
        graph.router  # noqa: B018 - part of the build: the search lists
        return graph

    out["detour.graph_build_s"], graph = timed(build, repeat=5)
    out["detour.graph_edges"] = float(graph.edge_count)
    lines = read_road_lines(roads_path)

    # The street detour table (every street's detour alone): computed by the criticality pass, kept
    # with the graph in the project's cache. Single closures and days below use it, as a session does.
    graph.router.main  # noqa: B018 - prepared once per graph (the main network, for cut-off)
    out["detour.criticality_s"], result = timed(lambda: criticality(graph), repeat=1)

    # One closure's detours, 1,000 closures: with the table, and searching every detour.
    works = synthetic_works(lines, 1000, seed=1)
    started = time.perf_counter()
    closures = [c for c in closures_for_works(graph, works).values() if c.closed_arcs]
    out["detour.closures_1000_ms"] = (time.perf_counter() - started) * 1000
    # Both ways measured closure by closure, alternately, so that both meet the same machine load.
    samples: dict[str, list[float]] = {"": [], "_search": []}
    for closure in closures:
        best = {"": float("inf"), "_search": float("inf")}
        for _ in range(5):
            for suffix, table in (("", result.table), ("_search", None)):
                engine = DetourEngine(graph)
                engine.table = table
                started = time.perf_counter()
                engine.alone(closure)
                best[suffix] = min(best[suffix], time.perf_counter() - started)
        for suffix, seconds in best.items():
            samples[suffix].append(seconds * 1000)
    for suffix, values in samples.items():
        out[f"detour.single{suffix}_median_ms"] = median(values)
        out[f"detour.single{suffix}_p99_ms"] = percentile(values, 99)
    result.table.store(graph)

    # A day with 100 closures and every output.
    started = time.perf_counter()
    bus = BusNetwork(graph, read_gtfs(data_dir / "prato" / "cap_prato_gtfs_2016.zip"))
    out["detour.gtfs_prepare_s"] = time.perf_counter() - started
    days = []
    for seed in range(10, 15):
        day_works = synthetic_works(lines, 100, seed=seed)
        gc.collect()
        days.append(timed(lambda w=day_works: day_with_every_output(graph, bus, w), repeat=3)[0] * 1000)
    out["detour.day100_ms"] = median(days)

    year = synthetic_works(lines, 1000, seed=99, year=2016)
    from situation_room_plugin.core.transit import bus_trips_counter

    out["detour.timeline_year_s"], (_, pairs) = timed(
        lambda: DetourEngine(graph).timeline(year, date(2016, 1, 1), date(2016, 12, 31), bus_trips_counter(bus)),
        repeat=1)
    out["detour.timeline_year_pairs"] = float(len(pairs))
    out["detour.peak_rss_mb"] = peak_rss_mb()

    total, rebuild, search = qgis_native_single(data_dir, graph, closures[:5])
    out["detour.qgis_native_single_ms"] = total
    out["detour.qgis_native_rebuild_s"] = rebuild
    out["detour.qgis_native_dijkstra_ms"] = search
    return {k: round(v, 4) for k, v in out.items()}
