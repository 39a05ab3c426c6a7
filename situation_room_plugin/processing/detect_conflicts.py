"""situation_room:detect_conflicts — clashes, dig-once opportunities, moratoria, sensitive places and parking
in one pass, with the room's decisions (status, note) kept in the project store across runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core import conflicts as engine
from situation_room_plugin.core.conflicts import ConflictKind, ConflictOptions
from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.common import validated_works
from situation_room_plugin.processing.problems_sink import REPORT, add_report_parameter, push_problems, write_report
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.conflict_layers import (
    PlaceLayers,
    conflict_feature,
    conflict_fields,
    parking_day_feature,
    parking_day_fields,
    read_place_layers,
)
from situation_room_plugin.qgis_io.project import store_path
from situation_room_plugin.qgis_io.styles import apply_conflicts_style, style_on_load
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.conflicts import detect_conflicts


class DetectConflictsAlgorithm(SituationRoomAlgorithm):
    NAME = "detect_conflicts"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Detect conflicts")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Finds, in one pass, every conflict between the works:\n"
        "- clash: footprints within DISTANCE metres on overlapping dates (inclusive); works in disjoint daily "
        "hours, e.g. night and day, clash with a lower severity;\n"
        "- opportunity: works on the same stretch of street, within OPPORTUNITY_DAYS of each other, at least "
        "one excavating: dig once;\n"
        "- moratorium: an excavation in a PROTECTED street stretch before its protected_until date;\n"
        "- sensitive: a work within DISTANCE of a place of the SENSITIVE layers (schools, hospitals, events "
        "with their dates, bus stops) while both are active;\n"
        "- parking: parking areas, kerbside lanes or stalls of PARKING taken by a footprint, with the spaces "
        "lost per day.\n"
        "Cancelled and completed works are left out unless INCLUDE_INACTIVE is set. Severity (0-100) grows "
        "with the traffic impact of the works, the importance of the ROADS they are on (optional) and the "
        "days they overlap.\n"
        "Every conflict has a stable id; its status (open, acknowledged, resolved, accepted) and note are "
        "kept in the project store (or the STORE given) across runs, and a conflict no longer found is "
        "marked gone there, never deleted.\n"
        "Geometry: the shared area, or the shortest line between the two drawn as a band half a metre wide, "
        "so that one layer holds every conflict (distance_m is exact)."
    )

    WORKS = "WORKS"
    DISTANCE = "DISTANCE"
    OPPORTUNITY_DAYS = "OPPORTUNITY_DAYS"
    PROTECTED = "PROTECTED"
    SENSITIVE = "SENSITIVE"
    PARKING = "PARKING"
    CAPACITY_FIELD = "CAPACITY_FIELD"
    ROADS = "ROADS"
    STORE = "STORE"
    INCLUDE_INACTIVE = "INCLUDE_INACTIVE"
    OUTPUT = "OUTPUT"
    PARKING_DAYS = "PARKING_DAYS"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.WORKS, tr("Works layer"), [QgsProcessing.SourceType.TypeVectorPolygon]
        ), tr("The works to check, in any CRS, with the fields of the works schema (see Validate works); "
              "invalid records are reported and left out.")))
        self.addParameter(with_help(QgsProcessingParameterNumber(
            self.DISTANCE, tr("Distance (metres)"), QgsProcessingParameterNumber.Type.Double, 20.0, minValue=0.0
        ), tr("Footprints closer than this clash (on overlapping dates) or share a stretch of street; a work "
              "closer than this to a sensitive place concerns it."), advanced=True))
        self.addParameter(with_help(QgsProcessingParameterNumber(
            self.OPPORTUNITY_DAYS, tr("Opportunity window (days)"), QgsProcessingParameterNumber.Type.Integer,
            180, minValue=0
        ), tr("At most this many days between the end of one work and the start of the other for a dig-once "
              "opportunity."), advanced=True))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.PROTECTED, tr("Protected street stretches (with protected_until)"),
            [QgsProcessing.SourceType.TypeVectorLine, QgsProcessing.SourceType.TypeVectorPolygon], optional=True
        ), tr("Lines or polygons of the street stretches that may not be dug until the date of their "
              "protected_until field, e.g. those resurfaced last year.")))
        self.addParameter(with_help(QgsProcessingParameterMultipleLayers(
            self.SENSITIVE, tr("Sensitive places (schools, hospitals, events, bus stops…)"),
            QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True
        ), tr("Point, line or polygon layers of places to spare, e.g. those of Sensitive places from "
              "OpenStreetMap; fields start_date and end_date limit a place, such as an event, to its days.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.PARKING, tr("Parking areas, lanes or stalls"),
            [QgsProcessing.SourceType.TypeVectorAnyGeometry], optional=True
        ), tr("Parking areas (polygons), kerbside lanes (lines) or stalls (points): the spaces a footprint "
              "takes are counted from the capacity, else one space per 12.5 m² or 5.5 m of kerb.")))
        self.addParameter(with_help(QgsProcessingParameterField(
            self.CAPACITY_FIELD, tr("Parking capacity field (found by name when empty)"),
            parentLayerParameterName=self.PARKING, type=QgsProcessingParameterField.DataType.Numeric,
            optional=True
        ), tr("The field of PARKING with the number of spaces of each feature; when empty, a field named "
              "capacity, posti, spaces, stalli or capienza is used if there is one."), advanced=True))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.ROADS, tr("Roads (for road importance)"), [QgsProcessing.SourceType.TypeVectorLine], optional=True
        ), tr("Road lines with an OSM highway class: conflicts on more important roads are more severe.")))
        self.addParameter(with_help(QgsProcessingParameterFile(
            self.STORE, tr("Store keeping the decisions (the project's store when empty)"),
            extension="gpkg", optional=True
        ), tr("The GeoPackage keeping the room's decisions on each conflict (created if missing); when empty, "
              "the store of the current project."), advanced=True))
        self.addParameter(with_help(QgsProcessingParameterBoolean(
            self.INCLUDE_INACTIVE, tr("Include cancelled and completed works"), False
        ), tr("Also check the works whose status is cancelled or completed."), advanced=True))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.OUTPUT, tr("Conflicts"), QgsProcessing.SourceType.TypeVectorPolygon
        ), tr("One feature per conflict: its kind, the two works (or the work and the place), severity, dates, "
              "gap, distance and the room's decision (status, note).")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSink(
            self.PARKING_DAYS, tr("Parking spaces lost per day"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=False
        ), tr("A table of the parking spaces lost on each day and the works taking them (with PARKING).")))
        add_report_parameter(self)

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        options = ConflictOptions(
            distance_m=self.parameterAsDouble(parameters, self.DISTANCE, context),
            opportunity_days=self.parameterAsInt(parameters, self.OPPORTUNITY_DAYS, context),
            include_inactive=self.parameterAsBoolean(parameters, self.INCLUDE_INACTIVE, context),
        )
        read = validated_works(self, parameters, self.WORKS, context, scaled(progress, 0.0, 0.3))
        sensitive = [layer for layer in self.parameterAsLayerList(parameters, self.SENSITIVE, context) or []
                     if isinstance(layer, QgsVectorLayer)]
        places = read_place_layers(PlaceLayers(
            protected=self.parameterAsSource(parameters, self.PROTECTED, context),
            sensitive=sensitive,
            parking=self.parameterAsSource(parameters, self.PARKING, context),
            capacity_field=self.parameterAsString(parameters, self.CAPACITY_FIELD, context) or None,
            roads=self.parameterAsSource(parameters, self.ROADS, context),
        ), context.transformContext())
        problems = list(read.problems) + places.problems
        push_problems(feedback, problems)

        given = self.parameterAsFile(parameters, self.STORE, context)
        store = Path(given) if given else store_path(context.project())
        if not given and (store is None or not store.exists()):
            feedback.pushWarning(tr(
                "No project store: every conflict is shown as open and no decision is kept. "
                "Create a store in the Situation Room dock, or give STORE."
            ))
            store = None
        found = detect_conflicts(read.works, places, options, store, create_store=bool(given),
                                 progress=scaled(progress, 0.3, 0.9))
        if found.store is not None:
            feedback.pushInfo(tr("Decisions kept in {path}: {new} new conflicts, {gone} no longer found.").format(
                path=found.store, new=found.new, gone=found.newly_gone))

        fields = conflict_fields()
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.MultiPolygon, layers.project_crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for i, conflict in enumerate(found.conflicts):
            sink.addFeature(conflict_feature(conflict, found.decisions.get(conflict.conflict_id), fields),
                            QgsFeatureSink.Flag.FastInsert)
            if i % 1000 == 0:
                progress(0.9 + 0.1 * i / max(len(found.conflicts), 1))

        style_on_load(context, dest_id, apply_conflicts_style)
        results: dict[str, Any] = {self.OUTPUT: dest_id, REPORT: write_report(self, parameters, context, problems)}
        day_fields = parking_day_fields()
        days_sink, days_id = self.parameterAsSink(
            parameters, self.PARKING_DAYS, context, day_fields, QgsWkbTypes.Type.NoGeometry
        )
        if days_sink is not None:
            parking = found.detection.found.get(ConflictKind.PARKING)
            for day, spaces, works in engine.parking_by_day(parking) if parking is not None else []:
                days_sink.addFeature(parking_day_feature(day, spaces, works, day_fields),
                                     QgsFeatureSink.Flag.FastInsert)
            results[self.PARKING_DAYS] = days_id

        counts = {kind.value: found.count(kind) for kind in ConflictKind}
        feedback.pushInfo(tr(
            "{works} works analysed ({left_out} cancelled or completed left out): {clash} clashes, "
            "{opportunity} opportunities, {moratorium} moratorium breaches, {sensitive} sensitive places, "
            "{parking} parking conflicts"
        ).format(works=found.works, left_out=found.detection.works.left_out, **counts))
        results.update({f"{kind.upper()}_COUNT": n for kind, n in counts.items()})
        return results
