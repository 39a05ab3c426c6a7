"""situation_room:impact_timeline — day by day over a date range: closures, extra metres of detours, roads cut
off, bus trips affected; and the pairs of works that make each other's detours worse."""

from __future__ import annotations

from datetime import date
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.detours import impact_timeline

DAY_FIELDS = (("date", date), ("closures", int), ("extra_m_total", float), ("cutoff_edges", int),
              ("bus_trips_affected", int))
INTERACTION_FIELDS = (("uid_a", str), ("uid_b", str), ("date_from", date), ("date_to", date),
                      ("extra_m_together", float), ("extra_m_apart", float))

#: A timeline longer than this is refused: it would be a mistyped year, not a plan.


class ImpactTimelineAlgorithm(SituationRoomAlgorithm):
    NAME = "impact_timeline"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Impact timeline of works")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "For every day from START_DATE to END_DATE (inclusive), with the works of that day as in Detour "
        "analysis: the number of works closing roads, the total extra metres of their detours, the roads cut "
        "off from the main network, and (with a GTFS zip) the bus trips running that day along a closed road.\n"
        "OUTPUT_INTERACTIONS (optional) lists the pairs of works on the street on the same days whose closures "
        "together make their detours take longer than apart, with the metres of those detours together and "
        "apart (extra_m_together empty: together there is no way round at all) and the days they overlap."
    )

    START_DATE = "START_DATE"
    END_DATE = "END_DATE"
    OUTPUT = "OUTPUT"
    OUTPUT_INTERACTIONS = "OUTPUT_INTERACTIONS"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        inputs.add_roads_parameter(self)
        inputs.add_works_parameter(self)
        inputs.add_date_parameter(self, self.START_DATE, tr("From"),
                                  tr("The first day of the timeline, as YYYY-MM-DD in qgis_process."))
        inputs.add_date_parameter(self, self.END_DATE, tr("To"),
                                  tr("The last day of the timeline (inclusive), as YYYY-MM-DD in qgis_process; "
                                     "at most ten years after the first."))
        inputs.add_gtfs_parameter(self)
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Impact per day"), type=QgsProcessing.SourceType.TypeVector
        ), tr("A table with one row per day: date, closures, extra_m_total, cutoff_edges and "
              "bus_trips_affected.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT_INTERACTIONS, tr("Interacting works"), type=QgsProcessing.SourceType.TypeVector,
            optional=True
        ), tr("A table of the pairs of works whose closures together make their detours longer: uid_a, uid_b, "
              "date_from, date_to, extra_m_together and extra_m_apart.")))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        start, end = inputs.read_period(self, parameters, context, self.START_DATE, self.END_DATE)
        graph = inputs.read_graph(self, parameters, context, feedback, progress=scaled(progress, 0.0, 0.1))
        works = inputs.read_works(self, parameters, context, feedback, scaled(progress, 0.1, 0.15))
        bus = inputs.read_bus_network(self, parameters, context, feedback, graph, start, end)
        timeline = impact_timeline(graph, works, start, end, bus, scaled(progress, 0.15, 0.95))
        days, interactions = timeline.days, timeline.interactions

        none = QgsWkbTypes.Type.NoGeometry
        crs = QgsCoordinateReferenceSystem()
        day_fields = inputs.fields(DAY_FIELDS)
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT, context, day_fields, none, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for d in days:
            values = [d.day, d.closures, d.extra_m_total, d.cutoff_edges, d.bus_trips_affected]
            sink.addFeature(inputs.feature(day_fields, values), QgsFeatureSink.Flag.FastInsert)
        pair_fields = inputs.fields(INTERACTION_FIELDS)
        pairs, pairs_id = self.parameterAsSink(parameters, self.OUTPUT_INTERACTIONS, context, pair_fields, none, crs)
        for i in interactions if pairs is not None else ():  # optional: only the days may be wanted
            values = [i.uid_a, i.uid_b, i.date_from, i.date_to, i.extra_m_together, i.extra_m_apart]
            pairs.addFeature(inputs.feature(pair_fields, values), QgsFeatureSink.Flag.FastInsert)
        feedback.pushInfo(tr("{days} days analysed, {pairs} pairs of works interact").format(
            days=len(days), pairs=len(interactions)))
        progress(1.0)
        return {self.OUTPUT: sink_id, self.OUTPUT_INTERACTIONS: pairs_id, "DAY_COUNT": len(days),
                "INTERACTION_COUNT": len(interactions)}
