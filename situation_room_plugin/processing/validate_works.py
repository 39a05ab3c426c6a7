"""situation_room:validate_works — the valid works of a layer in the schema, and a report of every problem."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress
from situation_room_plugin.processing.base import SituationRoomAlgorithm
from situation_room_plugin.processing.report import REPORT, add_report_parameter, write_report
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.project import owner_registry
from situation_room_plugin.toolbelt.i18n import problem_message, tr


class ValidateWorksAlgorithm(SituationRoomAlgorithm):
    NAME = "validate_works"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Validate works")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Checks every feature of a works layer against the Situation Room works schema. "
        "OUTPUT holds the valid works in the schema, in EPSG:6707 (self-intersecting footprints repaired). "
        "REPORT lists every problem of every record: missing or unparsable dates, end before start, unknown "
        "organisations or values, empty, invalid or misplaced geometries (e.g. swapped latitude/longitude)."
    )

    INPUT = "INPUT"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT, tr("Works layer"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Valid works"), QgsProcessing.SourceType.TypeVectorPolygon
            )
        )
        add_report_parameter(self)

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))

        report = layers.read_works(
            source,
            owner_registry(context.project()),
            ref_prefix=source.sourceName() or tr("feature"),
            transform_context=context.transformContext(),
            progress=progress,
        )
        fields = layers.works_fields()
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, layers.WORKS_WKB_TYPE, layers.project_crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for work in report.works:
            sink.addFeature(layers.work_to_feature(work, fields), QgsFeatureSink.Flag.FastInsert)
        for problem in report.problems:
            feedback.pushWarning(f"{problem.record}: {problem_message(problem)}")
        report_id = write_report(self, parameters, context, report.problems)
        feedback.pushInfo(
            tr("{valid} valid works, {invalid} invalid records, {problems} problems").format(
                valid=len(report.works), invalid=report.invalid_records, problems=len(report.problems)
            )
        )
        return {
            self.OUTPUT: dest_id,
            REPORT: report_id,
            "VALID_COUNT": len(report.works),
            "INVALID_COUNT": report.invalid_records,
        }
