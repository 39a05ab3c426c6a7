"""situation_room:suggest_schedule — the start dates of a work within its window, best first, with reasons."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QVariant

from situation_room_plugin.core import conflicts as engine
from situation_room_plugin.core.conflicts import ConflictOptions
from situation_room_plugin.core.detours import DetourEngine
from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.core.schedule import (
    NO_WINDOW,
    ReasonPart,
    ScheduleError,
    ScheduleTerm,
    closure_terms,
    describe,
    suggest_schedule,
)
from situation_room_plugin.processing import common
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.qgis_io.conflict_layers import qdate
from situation_room_plugin.qgis_io.places import read_roads
from situation_room_plugin.toolbelt.i18n import tr, translate


def schedule_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in (("start_date", QVariant.Type.Date), ("end_date", QVariant.Type.Date),
                       ("clashes", QVariant.Type.Int), ("score", QVariant.Type.Double),
                       ("reason", QVariant.Type.String)):
        fields.append(QgsField(name, kind))
    return fields


class SuggestScheduleAlgorithm(SituationRoomAlgorithm):
    NAME = "suggest_schedule"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Suggest a schedule")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "For the work WORK_UID, every start date that keeps the whole work within its window "
        "(earliest_start to latest_end), best first: the fewest and lightest clashes with the other works "
        "(footprints within DISTANCE metres, dates overlapping), then the closest to the planned start. "
        "Each row says why, naming the works it would clash with.\n"
        "The score is the sum of the severities of its clashes (the same severity as Detect conflicts gives); "
        "with ROADS, clashes on more important roads weigh more, and when the work closes a road, so do the "
        "days it would be closed together with another closure that makes its detours longer or leaves no "
        "detour at all.\n"
        "A work without a window gets its planned dates assessed."
    )

    WORKS = common.WORKS
    WORK_UID = "WORK_UID"
    ROADS = "ROADS"
    DISTANCE = "DISTANCE"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.WORKS, tr("Works layer"), [QgsProcessing.SourceType.TypeVectorPolygon]
        ), tr("The works, in any CRS, with the fields of the works schema: the work to schedule and those it "
              "may clash with.")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.WORK_UID, tr("uid of the work to schedule")
        ), tr("The uid of the work whose start dates are assessed; its earliest_start and latest_end fields "
              "give the window.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.ROADS, tr("Roads (road importance and closure interactions)"),
            [QgsProcessing.SourceType.TypeVectorLine], optional=True
        ), tr("Road lines with OSM tags: clashes on more important roads weigh more, and so do the days a "
              "closure would make another closure's detours longer.")))
        self.addParameter(with_help(QgsProcessingParameterNumber(
            self.DISTANCE, tr("Distance (metres)"), QgsProcessingParameterNumber.Type.Double, 20.0, minValue=0.0
        ), tr("Footprints closer than this clash on overlapping dates."), advanced=True))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Suggested start dates"), QgsProcessing.SourceType.TypeVector
        ), tr("A table of the possible start dates, best first: start_date, end_date, clashes, score and the "
              "reason.")))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        works = common.read_works(self, parameters, context, feedback, scaled(progress, 0.0, 0.2))
        uid = self.parameterAsString(parameters, self.WORK_UID, context).strip()
        options = ConflictOptions(distance_m=self.parameterAsDouble(parameters, self.DISTANCE, context))

        importance = None
        terms: list[ScheduleTerm] = []
        roads_source = self.parameterAsSource(parameters, self.ROADS, context)
        if roads_source is not None:
            roads, classes = read_roads(roads_source, context.transformContext())
            footprints = [w.geometry for w in works]
            values = engine.road_importance(np.asarray(footprints, dtype=object), roads, classes)
            importance = {w.uid: float(v) for w, v in zip(works, values)}
            # Closures that make each other's detours longer, or impossible, weigh on the dates they share.
            graph = common.read_graph(self, parameters, context, feedback,
                                              progress=scaled(progress, 0.2, 0.6))
            terms += closure_terms(DetourEngine(graph), works, uid)
        try:
            schedule = suggest_schedule(works, uid, options, importance, terms)
        except ScheduleError as error:
            raise QgsProcessingException(describe([error.part], translate)) from error
        if not schedule.window_given:
            feedback.pushWarning(describe([ReasonPart(NO_WINDOW, {"uid": uid})], translate))

        fields = schedule_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.NoGeometry)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for suggestion in schedule.suggestions:
            feature = QgsFeature(fields)
            feature.setAttributes([qdate(suggestion.start), qdate(suggestion.end), suggestion.clashes,
                                   suggestion.score, suggestion.describe(translate)])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        best = schedule.suggestions[0]
        feedback.pushInfo(tr("{count} start dates assessed; best: {start} ({clashes} clashes).").format(
            count=len(schedule.suggestions), start=best.start.isoformat(), clashes=best.clashes))
        return {self.OUTPUT: dest_id, "CANDIDATES": len(schedule.suggestions)}
