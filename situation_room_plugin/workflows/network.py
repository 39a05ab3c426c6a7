"""What every network analysis reads first: the road graph of a line layer (from the project store's cache
when it is there, with each street's detour table), and the bus network of a GTFS feed on that graph."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from qgis.core import QgsCoordinateTransformContext, QgsFeatureSource

from situation_room_plugin.core.detours import Criticality, DetourTable, criticality
from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.transit import BusNetwork, read_gtfs
from situation_room_plugin.qgis_io.roads import RoadLayerError, remember, road_graph


@dataclass
class ProjectGraph:
    """A road graph and where it came from."""

    graph: RoadGraph
    cached: bool  # taken from the project store's cache
    table_computed: bool = False  # every street's detour was computed now (and kept in the cache)


def project_graph(
    roads: QgsFeatureSource,
    store: Path | None,
    transform_context: QgsCoordinateTransformContext,
    with_table: bool = True,
    progress: Progress | None = None,
) -> ProjectGraph:
    """The road graph of `roads`. With a project `store`, the graph is cached there with its street detour
    table (computed on first use when `with_table`), so that later analyses look streets up.
    Reads the layer: call it where the layer may be read (Processing sources: any thread)."""
    store = store if store is not None and store.exists() else None
    graph, cached, key = road_graph(roads, store_path=store, transform_context=transform_context,
                                    progress=scaled(progress, 0.0, 0.5))
    if graph.edge_count == 0:
        raise RoadLayerError.of("roads_not_drivable")
    graph.cache_key = key
    out = ProjectGraph(graph, cached)
    if with_table and store is not None and DetourTable.of(graph) is None:
        keep_table(store, graph, criticality(graph, scaled(progress, 0.5, 1.0)))
        out.table_computed = True
    return out


def keep_table(store: Path | None, graph: RoadGraph, result: Criticality) -> None:
    """Keep the street detour table with the graph, and in the project's cache when there is one."""
    if result.table is None:
        return
    result.table.store(graph)
    if store is not None and store.exists() and graph.cache_key:
        remember(store, graph.cache_key, graph)


@dataclass
class BusRead:
    network: BusNetwork
    #: the feed's service period when the dates analysed fall outside it (no bus runs then), else None
    outside_period: tuple[date, date] | None = None

    @property
    def shapes_matched(self) -> int:
        return sum(1 for arcs in self.network.shape_arcs if arcs)


def bus_network(gtfs: str | Path, graph: RoadGraph, first: date, last: date) -> BusRead:
    """CAP's (or any) GTFS feed with its shapes matched onto the graph's bus roads. Raises GtfsError."""
    feed = read_gtfs(gtfs)
    period = feed.service_period()
    outside = period if period and (last < period[0] or first > period[1]) else None
    return BusRead(BusNetwork(graph, feed), outside)
