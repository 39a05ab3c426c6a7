"""What several algorithms share: the ROADS, WORKS, GTFS and date parameters and how they are read (the road
graph and the bus network through workflows/network.py), and feature building for the network sinks."""

from __future__ import annotations

from collections.abc import Sequence
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
    QgsProject,
)
from qgis.PyQt.QtCore import QDate, QVariant

from situation_room_plugin.core.progress import Progress
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.sources import Source
from situation_room_plugin.core.transit import BusNetwork
from situation_room_plugin.core.works import ValidationReport, Work
from situation_room_plugin.processing.base import date_error, with_help
from situation_room_plugin.processing.problems_sink import push_problems
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.project import owner_registry, store_path
from situation_room_plugin.qgis_io.sources import read_registry
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.detours import MAX_TIMELINE_DAYS
from situation_room_plugin.workflows.network import bus_network, project_graph

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


def add_gtfs_parameter(algorithm: QgsProcessingAlgorithm, help_text: str | None = None) -> None:
    """GTFS, the optional bus timetable (zip); `help_text` says what the algorithm does with it."""
    algorithm.addParameter(with_help(
        QgsProcessingParameterFile(
            GTFS, tr("Bus network (GTFS zip)"), QgsProcessingParameterFile.Behavior.File, "zip", optional=True
        ),
        help_text or tr("The bus timetable as a GTFS zip (e.g. CAP's): the bus routes and trips running along "
                        "closed roads are found."),
    ))


def read_date(algorithm: QgsProcessingAlgorithm, parameters: dict, name: str, context: QgsProcessingContext) -> date:
    value = QgsProcessingParameters.parameterAsDate(algorithm.parameterDefinition(name), parameters, context)
    if not value.isValid():
        raise QgsProcessingException(date_error(name, parameters.get(name)))
    return value.toPyDate()


def read_period(algorithm: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext,
                start_name: str = "START_DATE", end_name: str = "END_DATE") -> tuple[date, date]:
    """The days from START_DATE to END_DATE (inclusive): refused, naming both, when the end comes first or the
    period is longer than the engines take (workflows.detours.MAX_TIMELINE_DAYS)."""
    start = read_date(algorithm, parameters, start_name, context)
    end = read_date(algorithm, parameters, end_name, context)
    if end < start:
        raise QgsProcessingException(tr("END_DATE {end} is before START_DATE {start}").format(
            end=end.isoformat(), start=start.isoformat()))
    if (end - start).days >= MAX_TIMELINE_DAYS:
        raise QgsProcessingException(tr("The period covers {days} days; at most {limit} are allowed").format(
            days=(end - start).days + 1, limit=MAX_TIMELINE_DAYS))
    return start, end


def read_graph(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    with_table: bool = True,
    progress: Progress | None = None,
) -> RoadGraph:
    """The road graph of ROADS, through the project store's cache when the project has a store."""
    source = algorithm.parameterAsSource(parameters, ROADS, context)
    if source is None:
        raise QgsProcessingException(algorithm.invalidSourceError(parameters, ROADS))
    read = project_graph(source, store_path(context.project()), context.transformContext(), with_table, progress)
    graph = read.graph
    feedback.pushInfo(
        (tr("Road graph from the project's cache: {nodes} nodes, {edges} edges") if read.cached
         else tr("Road graph built: {nodes} nodes, {edges} edges")).format(nodes=graph.node_count,
                                                                          edges=graph.edge_count)
    )
    if read.table_computed:
        feedback.pushInfo(tr("Every street's detour computed once for the project's cache"))
    return graph


def validated_works(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict,
    name: str,
    context: QgsProcessingContext,
    progress: Progress | None = None,
) -> ValidationReport:
    """The works layer of parameter `name` validated against the schema (in EPSG:6707, with the project's
    organisations): the valid works and every problem of every record."""
    source = algorithm.parameterAsSource(parameters, name, context)
    if source is None:
        raise QgsProcessingException(algorithm.invalidSourceError(parameters, name))
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    return layers.read_works(
        source,
        owner_registry(context.project()),
        ref_prefix=source.sourceName() or tr("feature"),
        transform_context=context.transformContext(),
        progress=progress,
        uid_source=layer.source() if layer is not None else str(parameters.get(name)),
    )


def read_works(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    progress: Progress | None = None,
) -> list[Work]:
    """The valid works of the WORKS layer; every problem of the others is reported as a warning."""
    report = validated_works(algorithm, parameters, WORKS, context, progress)
    push_problems(feedback, report.problems)
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
    """The bus network of the GTFS zip given, matched onto the graph; None when none is given."""
    path = algorithm.parameterAsFile(parameters, GTFS, context)
    if not path:
        return None
    bus = bus_network(path, graph, first, last)
    if bus.outside_period is not None:
        feedback.pushWarning(
            tr("The bus network runs from {start} to {end}: no bus trips on the dates analysed").format(
                start=bus.outside_period[0].isoformat(), end=bus.outside_period[1].isoformat())
        )
    feedback.pushInfo(
        tr("Bus network: {routes} routes, {shapes} shapes matched onto the roads").format(
            routes=len(bus.network.gtfs.routes), shapes=bus.shapes_matched)
    )
    return bus.network


PROJECT = "PROJECT"
SOURCE = "SOURCE"


def read_project(algorithm: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext) -> QgsProject:
    """The project of the PROJECT parameter (a .qgs/.qgz file), else the one open in QGIS."""
    path = algorithm.parameterAsFile(parameters, PROJECT, context)
    if not path:
        return context.project() or QgsProject.instance()
    project = QgsProject()
    if not project.read(path):
        raise QgsProcessingException(tr("Cannot read the project {path}").format(path=path))
    return project


def writable_source(algorithm: QgsProcessingAlgorithm, parameters: dict, context: QgsProcessingContext,
                    project: QgsProject) -> Source:
    """The project's writable source named by SOURCE, or its only one when SOURCE is empty; refused, naming the
    writable ones, otherwise."""
    sources, _ = read_registry(project)
    writable = [s for s in sources if s.writable]
    wanted = algorithm.parameterAsString(parameters, SOURCE, context).strip()
    chosen = [s for s in writable if s.id == wanted] if wanted else writable
    ids = ", ".join(s.id for s in writable) or "-"
    if wanted and not chosen:
        raise QgsProcessingException(tr("No writable source with id {id} in the project (writable: {ids})").format(
            id=wanted, ids=ids))
    if len(chosen) != 1:
        raise QgsProcessingException(tr("Give SOURCE, the id of one of the project's writable sources ({ids})"
                                        ).format(ids=ids))
    return chosen[0]
