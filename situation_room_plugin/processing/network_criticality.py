"""situation_room:network_criticality — for every drivable road, the detour if it alone closed, and whether its
closure cuts the network."""

from __future__ import annotations

import math
from typing import Any

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.detours import criticality
from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.qgis_io.layers import project_crs
from situation_room_plugin.qgis_io.project import store_path
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.network import keep_table

CRITICALITY_FIELDS = (("detour_extra_m", float), ("no_alternative", int), ("name", str))


class NetworkCriticalityAlgorithm(SituationRoomAlgorithm):
    NAME = "network_criticality"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Network criticality")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "For every drivable road of ROADS (one feature per piece between junctions and way ends):\n"
        "- detour_extra_m, the extra metres of the fastest way round if that street alone closed between its "
        "junctions (the worse of its two directions);\n"
        "- no_alternative = 1 when its closure cuts the network (no way round in a direction it is open in: the "
        "roads behind it are cut off), then detour_extra_m is empty.\n"
        "Streets with no alternative are found first in one linear pass. The map of the streets that must never "
        "close together with their detours."
    )

    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        inputs.add_roads_parameter(self)
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Criticality"), QgsProcessing.SourceType.TypeVectorLine
        ), tr("Every drivable road piece with detour_extra_m (the extra metres of its way round) and "
              "no_alternative (1 when its closure cuts the network).")))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        graph = inputs.read_graph(self, parameters, context, feedback, with_table=False,
                                  progress=scaled(progress, 0.0, 0.1))
        result = criticality(graph, scaled(progress, 0.1, 0.9))
        keep_table(store_path(context.project()), graph, result)
        out_fields = inputs.fields(CRITICALITY_FIELDS)
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, out_fields,
                                             QgsWkbTypes.Type.MultiLineString, project_crs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        geometries = graph.edge_geometries()
        for e in range(graph.edge_count):
            extra = float(result.extra_m[e])
            values = [None if math.isnan(extra) else extra, int(result.no_alternative[e]), graph.edge_name(e)]
            sink.addFeature(inputs.feature(out_fields, values, geometries[e]), QgsFeatureSink.Flag.FastInsert)
        bridges = int(result.no_alternative.sum())
        feedback.pushInfo(tr("{edges} roads, {bridges} whose closure cuts the network").format(
            edges=graph.edge_count, bridges=bridges))
        progress(1.0)
        return {self.OUTPUT: dest_id, "EDGE_COUNT": graph.edge_count, "NO_ALTERNATIVE_COUNT": bridges}
