"""What the network algorithms share: the ROADS and WORKS parameters read into a road graph and works,
the optional GTFS feed, dates, and feature building for their sinks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import shapely
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameters,
)
from qgis.PyQt.QtCore import QDate, QVariant

from situation_room_plugin.core.detours import Criticality, DetourTable, criticality
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.transit import BusNetwork, GtfsError, read_gtfs
from situation_room_plugin.core.works import Work
from situation_room_plugin.processing.base import date_error, with_help
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.project import owner_registry, store_path
from situation_room_plugin.qgis_io.roads import RoadLayerError, remember, road_graph
from situation_room_plugin.toolbelt.i18n import problem_message, tr

ROADS = "ROADS"
WORKS = "WORKS"
GTFS = "GTFS"

_TYPES = {float: QVariant.Type.Double, int: QVariant.Type.Int, str: QVariant.Type.String, date: QVariant.Type.Date}


def fields(spec: Sequence[tuple[str, type]]) -> QgsFields:
    out = QgsFields()
    for name, kind in spec:
        out.append(QgsField(name, _TYPES[kind]))
    return out


def feature(fields_: QgsFields, values: Sequence[Any], geometry: shapely.Geometry | None = None) -> QgsFeature:
    """A feature for a sink; lines become MultiLineStrings, the type of the network algorithms' sinks."""
    out = QgsFeature(fields_)
    out.setAttributes([QDate(v.year, v.month, v.day) if isinstance(v, date) else v for v in values])
    if geometry is not None:
        if geometry.geom_type == "LineString":
            geometry = shapely.multilinestrings([geometry])
        qgs = QgsGeometry()
        qgs.fromWkb(shapely.to_wkb(geometry))
        out.setGeometry(qgs)
    return out


def add_roads_parameter(algorithm: QgsProcessingAlgorithm) -> None:
    algorithm.addParameter(with_help(
        QgsProcessingParameterFeatureSource(
            ROADS, tr("Road network (lines, OSM tags or noded)"), [QgsProcessing.SourceType.TypeVectorLine]
        ),
        tr("The drivable road lines, in any CRS, with OSM tags (highway, oneway, junction, maxspeed), joined "
           "where they share vertices: an OpenStreetMap extract of the roads or the city's own network."),
    ))


def add_works_parameter(algorithm: QgsProcessingAlgorithm) -> None:
    algorithm.addParameter(with_help(
        QgsProcessingParameterFeatureSource(
            WORKS, tr("Works"), [QgsProcessing.SourceType.TypeVectorPolygon]
        ),
        tr("The works, in any CRS, with the fields of the works schema (see Validate works): those whose "
           "traffic_impact is all-lanes-closed close the roads their footprints cover."),
    ))


def add_date_parameter(algorithm: QgsProcessingAlgorithm, name: str, description: str, help_text: str) -> None:
    """A day: a date picker in the dialog, YYYY-MM-DD in qgis_process (other text is refused by name)."""
    algorithm.addParameter(with_help(
        QgsProcessingParameterDateTime(name, description, QgsProcessingParameterDateTime.Type.Date), help_text
    ))


def add_gtfs_parameter(algorithm: QgsProcessingAlgorithm) -> None:
    algorithm.addParameter(with_help(
        QgsProcessingParameterFile(
            GTFS, tr("Bus network (GTFS zip)"), QgsProcessingParameterFile.Behavior.File, "zip", optional=True
        ),
        tr("The bus timetable as a GTFS zip (e.g. CAP's): the bus routes and trips running along closed roads "
           "are found."),
    ))


def read_date(algorithm: QgsProcessingAlgorithm, parameters: dict, name: str, context: QgsProcessingContext) -> date:
    value = QgsProcessingParameters.parameterAsDate(algorithm.parameterDefinition(name), parameters, context)
    if not value.isValid():
        raise QgsProcessingException(date_error(name, parameters.get(name)))
    return value.toPyDate()


def progress_of(feedback: QgsProcessingFeedback, start: float, end: float) -> Callable[[float], bool]:
    """A core progress callback reporting into [start, end] percent of the feedback, False when cancelled."""

    def report(fraction: float) -> bool:
        feedback.setProgress(start + (end - start) * fraction)
        return not feedback.isCanceled()

    return report


def read_graph(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    with_table: bool = True,
) -> RoadGraph:
    """The road graph of ROADS. With a project store, the graph is cached there with its street detour
    table (computed on first use, `with_table`), so that later analyses of the project look streets up."""
    source = algorithm.parameterAsSource(parameters, ROADS, context)
    if source is None:
        raise QgsProcessingException(algorithm.invalidSourceError(parameters, ROADS))
    store = store_path(context.project())
    store = store if store is not None and store.exists() else None
    try:
        graph, cached, key = road_graph(
            source,
            store_path=store,
            transform_context=context.transformContext(),
            progress=progress_of(feedback, 0, 10),
        )
    except RoadLayerError as error:
        raise QgsProcessingException(str(error)) from error
    if graph.edge_count == 0:
        raise QgsProcessingException(tr("The road layer has no drivable lines."))
    feedback.pushInfo(
        (tr("Road graph from the project's cache: {nodes} nodes, {edges} edges") if cached
         else tr("Road graph built: {nodes} nodes, {edges} edges")).format(nodes=graph.node_count,
                                                                          edges=graph.edge_count)
    )
    graph.cache_key = key
    if with_table and store is not None and DetourTable.of(graph) is None:
        feedback.pushInfo(tr("Computing every street's detour once for the project's cache"))
        keep_table(context, graph, criticality(graph, progress_of(feedback, 10, 20)))
    return graph


def keep_table(context: QgsProcessingContext, graph: RoadGraph, result: Criticality) -> None:
    """Store the street detour table with the graph, in the project's cache when there is one."""
    if result.table is None:
        return
    result.table.store(graph)
    store = store_path(context.project())
    if store is not None and store.exists() and graph.cache_key:
        remember(store, graph.cache_key, graph)


def read_works(
    algorithm: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
) -> list[Work]:
    """The valid works of the WORKS layer; every problem of the others is reported as a warning."""
    source = algorithm.parameterAsSource(parameters, WORKS, context)
    if source is None:
        raise QgsProcessingException(algorithm.invalidSourceError(parameters, WORKS))
    report = layers.read_works(
        source,
        owner_registry(context.project()),
        ref_prefix=source.sourceName() or tr("feature"),
        transform_context=context.transformContext(),
    )
    for problem in report.problems:
        feedback.pushWarning(f"{problem.record}: {problem_message(problem)}")
    if report.invalid_records:
        feedback.pushWarning(
            tr("{count} works were left out of the analysis because of the errors above").format(
                count=report.invalid_records)
        )
    return report.works


def read_bus_network(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    graph: RoadGraph,
    first: date,
    last: date,
) -> BusNetwork | None:
    path = algorithm.parameterAsFile(parameters, GTFS, context)
    if not path:
        return None
    try:
        gtfs = read_gtfs(path)
    except GtfsError as error:
        raise QgsProcessingException(str(error)) from error
    period = gtfs.service_period()
    if period and (last < period[0] or first > period[1]):
        feedback.pushWarning(
            tr("The bus network runs from {start} to {end}: no bus trips on the dates analysed").format(
                start=period[0].isoformat(), end=period[1].isoformat())
        )
    network = BusNetwork(graph, gtfs)
    feedback.pushInfo(
        tr("Bus network: {routes} routes, {shapes} shapes matched onto the roads").format(
            routes=len(gtfs.routes), shapes=sum(1 for arcs in network.shape_arcs if arcs))
    )
    return network
