"""situation_room:detect_conflicts — clashes, dig-once opportunities, moratoria, sensitive places and parking
in one pass, with the room's decisions (status, note) kept in the project store across runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
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
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QDate, QVariant

from situation_room_plugin.core import conflicts as engine
from situation_room_plugin.core.conflicts import CancelledError, ConflictOptions, Kind, PlaceArrays
from situation_room_plugin.core.decisions import Decision
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.report import REPORT, add_report_parameter, write_report
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.decisions import record_run
from situation_room_plugin.qgis_io.places import (
    PROTECTED_UNTIL_FIELDS,
    PlaceFields,
    PlacesError,
    read_places,
    read_roads,
)
from situation_room_plugin.qgis_io.project import owner_registry, store_path
from situation_room_plugin.qgis_io.store import Store, StoreError
from situation_room_plugin.toolbelt.i18n import problem_message, tr

#: The OUTPUT fields: the contract's first, then what helps a reader (titles, parking spaces).
CONFLICT_FIELDS: tuple[tuple[str, QVariant.Type], ...] = (
    ("conflict_id", QVariant.Type.String),
    ("kind", QVariant.Type.String),
    ("uid_a", QVariant.Type.String),
    ("uid_b", QVariant.Type.String),
    ("owner_a", QVariant.Type.String),
    ("owner_b", QVariant.Type.String),
    ("severity", QVariant.Type.Double),
    ("overlap_start", QVariant.Type.Date),
    ("overlap_end", QVariant.Type.Date),
    ("gap_days", QVariant.Type.Int),
    ("distance_m", QVariant.Type.Double),
    ("status", QVariant.Type.String),
    ("note", QVariant.Type.String),
    ("title_a", QVariant.Type.String),
    ("title_b", QVariant.Type.String),
    ("spaces_lost", QVariant.Type.Double),
)


def conflict_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in CONFLICT_FIELDS:
        fields.append(QgsField(name, kind))
    return fields


def parking_day_fields() -> QgsFields:
    fields = QgsFields()
    fields.append(QgsField("date", QVariant.Type.Date))
    fields.append(QgsField("spaces_lost", QVariant.Type.Double))
    fields.append(QgsField("works", QVariant.Type.Int))
    return fields


def qdate(day: date | None) -> QDate | None:
    return None if day is None else QDate(day.year, day.month, day.day)


def conflict_feature(conflict: engine.Conflict, decision: Decision | None, fields: QgsFields) -> QgsFeature:
    feature = QgsFeature(fields)
    feature.setAttributes([
        conflict.conflict_id, conflict.kind, conflict.uid_a, conflict.uid_b, conflict.owner_a, conflict.owner_b,
        conflict.severity, qdate(conflict.overlap_start), qdate(conflict.overlap_end), conflict.gap_days,
        conflict.distance_m, decision.status if decision else "open", decision.note if decision else "",
        conflict.title_a, conflict.title_b, conflict.spaces_lost,
    ])
    area = engine.as_area(conflict.geometry)
    if area is not None and not area.is_empty:
        geometry = QgsGeometry()
        geometry.fromWkb(area.wkb)
        feature.setGeometry(geometry)
    return feature


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

    def processAlgorithm(  # noqa: N802 - Qt API
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        works_source = self.parameterAsSource(parameters, self.WORKS, context)
        if works_source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.WORKS))
        options = ConflictOptions(
            distance_m=self.parameterAsDouble(parameters, self.DISTANCE, context),
            opportunity_days=self.parameterAsInt(parameters, self.OPPORTUNITY_DAYS, context),
            include_inactive=self.parameterAsBoolean(parameters, self.INCLUDE_INACTIVE, context),
        )
        transform_context = context.transformContext()

        def progress(lo: float, hi: float):
            def report(fraction: float) -> bool:
                feedback.setProgress(100 * (lo + (hi - lo) * fraction))
                return not feedback.isCanceled()
            return report

        report = layers.read_works(
            works_source, owner_registry(context.project()), ref_prefix=works_source.sourceName() or tr("feature"),
            transform_context=transform_context, progress=progress(0.0, 0.3),
        )
        problems = list(report.problems)
        for problem in report.problems:
            feedback.pushWarning(f"{problem.record}: {problem_message(problem)}")

        protected = sensitive = parking = None
        protected_source = self.parameterAsSource(parameters, self.PROTECTED, context)
        if protected_source is not None:
            label = protected_source.sourceName() or "protected"
            fields = PlaceFields.detect([f.name() for f in protected_source.fields()], end=PROTECTED_UNTIL_FIELDS)
            try:
                protected, found_problems = read_places(protected_source, label, transform_context, fields,
                                                        "protected", require_end=True)
            except PlacesError as error:
                raise QgsProcessingException(tr(
                    "The protected streets layer {layer} has no protected_until field (the date until which "
                    "the street may not be dug)."
                ).format(layer=error)) from error
            problems += found_problems
        sensitive_layers = self.parameterAsLayerList(parameters, self.SENSITIVE, context) or []
        if sensitive_layers:
            parts = []
            for layer in sensitive_layers:
                if not isinstance(layer, QgsVectorLayer):
                    continue
                places, found_problems = read_places(layer, layer.name(), transform_context, default_kind=layer.name())
                parts.append(places)
                problems += found_problems
            sensitive = PlaceArrays.concat(parts)
        parking_source = self.parameterAsSource(parameters, self.PARKING, context)
        if parking_source is not None:
            capacity = self.parameterAsString(parameters, self.CAPACITY_FIELD, context) or None
            fields = PlaceFields.detect([f.name() for f in parking_source.fields()], capacity=capacity)
            parking, found_problems = read_places(parking_source, parking_source.sourceName() or "parking",
                                                  transform_context, fields, "parking")
            problems += found_problems
        for problem in problems[len(report.problems):]:
            feedback.pushWarning(f"{problem.record}: {problem_message(problem)}")

        arrays = engine.WorkArrays.from_works(report.works, options.include_inactive)
        roads_source = self.parameterAsSource(parameters, self.ROADS, context)
        if roads_source is not None:
            roads, classes = read_roads(roads_source, transform_context)
            arrays.importance = engine.road_importance(arrays.geoms, roads, classes)
        try:
            detection = engine.detect(arrays, options, protected, sensitive, parking, progress=progress(0.3, 0.8))
        except CancelledError as error:
            raise QgsProcessingException(tr("Conflict detection cancelled.")) from error
        conflicts = detection.conflicts(with_geometry=True)

        decisions = self._decisions(parameters, context, feedback, detection, conflicts,
                                    [w.uid for w in report.works])
        fields = conflict_fields()
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.MultiPolygon, layers.project_crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for i, conflict in enumerate(conflicts):
            sink.addFeature(conflict_feature(conflict, decisions.get(conflict.conflict_id), fields),
                            QgsFeatureSink.Flag.FastInsert)
            if i % 1000 == 0:
                feedback.setProgress(80 + 20 * i / max(len(conflicts), 1))

        results: dict[str, Any] = {self.OUTPUT: dest_id, REPORT: write_report(self, parameters, context, problems)}
        days_sink, days_id = self.parameterAsSink(
            parameters, self.PARKING_DAYS, context, parking_day_fields(), QgsWkbTypes.Type.NoGeometry
        )
        if days_sink is not None:
            day_fields = parking_day_fields()
            by_day = engine.parking_by_day(detection.found[Kind.PARKING]) if Kind.PARKING in detection.found else []
            for day, spaces, works in by_day:
                feature = QgsFeature(day_fields)
                feature.setAttributes([qdate(day), spaces, works])
                days_sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
            results[self.PARKING_DAYS] = days_id

        counts = {kind.value: detection.count(kind) for kind in Kind}
        feedback.pushInfo(tr(
            "{works} works analysed ({left_out} cancelled or completed left out): {clash} clashes, "
            "{opportunity} opportunities, {moratorium} moratorium breaches, {sensitive} sensitive places, "
            "{parking} parking conflicts"
        ).format(works=len(arrays), left_out=arrays.left_out, **counts))
        results.update({f"{kind.upper()}_COUNT": n for kind, n in counts.items()})
        return results

    def _decisions(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        detection: engine.Detection,
        conflicts: list[engine.Conflict],
        analysed_uids: list[str],
    ) -> dict[str, Decision]:
        """The room's decisions, brought up to date in the STORE given, else in the project's store."""
        given = self.parameterAsFile(parameters, self.STORE, context)
        path = Path(given) if given else store_path(context.project())
        if path is None or (not given and not path.exists()):
            feedback.pushWarning(tr(
                "No project store: every conflict is shown as open and no decision is kept. "
                "Create a store in the Situation Room dock, or give STORE."
            ))
            return {}
        today = date.today()
        try:
            with Store.open(path, create=True) as store:
                current, changed = record_run(store, conflicts, detection.checked, analysed_uids, today)
        except StoreError as error:
            raise QgsProcessingException(str(error)) from error
        gone = sum(1 for d in changed if d.is_gone)
        new = sum(1 for d in changed if d.first_seen == today and not d.is_gone)
        feedback.pushInfo(tr("Decisions kept in {path}: {new} new conflicts, {gone} no longer found.").format(
            path=path, new=new, gone=gone))
        return current
