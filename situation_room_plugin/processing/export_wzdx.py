"""situation_room:export_wzdx — the works that affect traffic as a WZDx 4.2 work zone feed (GeoJSON), drawn along
the roads they close when ROADS is given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.exports.common import (
    SKIP_INACTIVE,
    SKIP_NO_FOOTPRINT,
    SKIP_NO_IMPACT,
    ExportOptions,
    Selection,
    select,
)
from situation_room_plugin.core.exports.wzdx import wzdx_document
from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.works import Work
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.common import ROADS, WORKS, read_graph, read_works
from situation_room_plugin.qgis_io.layers import to_python
from situation_room_plugin.qgis_io.project import owner_registry
from situation_room_plugin.toolbelt.i18n import tr

OUTPUT = "OUTPUT"
EXPORTED_COUNT = "EXPORTED_COUNT"
SKIPPED_COUNT = "SKIPPED_COUNT"


def add_export_parameters(algorithm: QgsProcessingAlgorithm, output: QgsProcessingParameterFileDestination,
                          output_help: str) -> None:
    """WORKS, the optional ROADS and the OUTPUT file: the parameters both exports take."""
    algorithm.addParameter(with_help(QgsProcessingParameterFeatureSource(
        WORKS, tr("Works"), [QgsProcessing.SourceType.TypeVectorPolygon]
    ), tr("The works, in any CRS, with the fields of the works schema (see Validate works); invalid records are "
          "reported and left out. Only the works that affect traffic are exported: those whose traffic_impact "
          "is not all-lanes-open and whose status is neither completed nor cancelled.")))
    algorithm.addParameter(with_help(QgsProcessingParameterFeatureSource(
        ROADS, tr("Road network (optional, to draw the closed roads)"), [QgsProcessing.SourceType.TypeVectorLine],
        optional=True
    ), tr("The road lines, in any CRS, with OSM tags (name, highway, oneway, lanes): each work is drawn along the "
          "roads its footprint closes, as the detour analysis closes them, with their names and lanes. Without "
          "it, a work is drawn along its footprint's centreline and its road is unnamed.")))
    algorithm.addParameter(with_help(output, output_help))


def located_works(
    algorithm: QgsProcessingAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext,
    feedback: QgsProcessingFeedback, progress: Progress,
) -> Selection:
    """The valid works of WORKS that affect traffic, located on the roads of ROADS when given; what was left out
    and why is said in the log."""
    works = read_works(algorithm, parameters, context, feedback, scaled(progress, 0.0, 0.4))
    graph, lanes = None, None
    roads = algorithm.parameterAsSource(parameters, ROADS, context)
    if roads is not None:
        graph = read_graph(algorithm, parameters, context, feedback, with_table=False,
                           progress=scaled(progress, 0.4, 0.8))
        lanes = road_lanes(roads)
    selection = select(works, graph, lanes, ExportOptions(unnamed_road=tr("unnamed road")))
    progress(0.9)
    _report(selection, works, graph, feedback)
    return selection


def road_lanes(source: QgsFeatureSource) -> dict[int, Any]:
    """The `lanes` value of every road by feature id (the ids the road graph keeps); empty without the field."""
    index = source.fields().lookupField("lanes")
    if index < 0:
        return {}
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes([index])
    return {feature.id(): to_python(feature.attributes()[index]) for feature in source.getFeatures(request)}


def _report(selection: Selection, works: list[Work], graph: RoadGraph | None, feedback: QgsProcessingFeedback) -> None:
    if graph is not None:
        for located in selection.located:
            if not located.on_roads:
                feedback.pushWarning(tr("«{title}» ({uid}) covers no road of ROADS: it is drawn along its "
                                        "footprint").format(title=located.work.title, uid=located.work.uid))
    skipped = selection.skipped
    feedback.pushInfo(tr(
        "{exported} of {works} works exported; {skipped} left out: {open} leave every lane open, {inactive} are "
        "completed or cancelled, {no_footprint} have no footprint"
    ).format(exported=len(selection.located), works=len(works), skipped=selection.skipped_count,
             open=skipped.get(SKIP_NO_IMPACT, 0), inactive=skipped.get(SKIP_INACTIVE, 0),
             no_footprint=skipped.get(SKIP_NO_FOOTPRINT, 0)))


def write_text(path: str, content: bytes, feedback: QgsProcessingFeedback) -> None:
    if not path:
        raise QgsProcessingException(tr("OUTPUT: a file to write is needed"))
    try:
        Path(path).write_bytes(content)
    except OSError as error:
        raise QgsProcessingException(tr("{path} cannot be written: {reason}").format(
            path=path, reason=error.strerror or str(error))) from error
    feedback.pushInfo(tr("Written {path}").format(path=path))


class ExportWzdxAlgorithm(SituationRoomAlgorithm):
    NAME = "export_wzdx"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Export works affecting traffic as WZDx")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Writes the works that affect traffic as a WZDx 4.2 work zone feed (GeoJSON), the open format of the "
        "Work Zone Data Exchange that navigation services and other cities read.\n"
        "Each work is a work-zone road event whose id is the work's uid (a new export keeps the ids), with its "
        "title, description, organisation (one data source per organisation), first and last day in Rome time, "
        "vehicle_impact from traffic_impact and type of work. Works whose traffic_impact is all-lanes-open, and "
        "completed or cancelled works, are left out and counted (SKIPPED_COUNT).\n"
        "With ROADS, a road event follows the roads the work's footprint closes (as the detour analysis closes "
        "them), with their names and, where OSM gives them, their lanes; a work on separate stretches is one "
        "road event per stretch, linked in sequence. Without ROADS, it follows the footprint's centreline.\n"
        "Import a feed of works (kind 4, WZDx) reads the file back into the same works."
    )

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        add_export_parameters(self, QgsProcessingParameterFileDestination(
            OUTPUT, tr("WZDx feed"), tr("WZDx feed (*.geojson)")
        ), tr("The GeoJSON file of the WZDx 4.2 feed."))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        selection = located_works(self, parameters, context, feedback, progress)
        feed = wzdx_document(selection, owner_registry(context.project()))
        path = self.parameterAsFileOutput(parameters, OUTPUT, context)
        write_text(path, json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8"), feedback)
        return {OUTPUT: path, EXPORTED_COUNT: len(selection.located), SKIPPED_COUNT: selection.skipped_count}
