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
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.common import validated_works
from situation_room_plugin.processing.problems_sink import REPORT, add_report_parameter, push_problems, write_report
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.toolbelt.i18n import tr


class ValidateWorksAlgorithm(SituationRoomAlgorithm):
    NAME = "validate_works"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Validate works")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Checks every feature of a works layer against the Situation Room works schema.\n"
        "OUTPUT holds the valid works in the schema, in EPSG:6707 (self-intersecting footprints repaired).\n"
        "REPORT lists every problem of every record: missing or unparsable dates, end before start, unknown "
        "organisations or values, empty, invalid or misplaced geometries (e.g. swapped latitude/longitude)."
    )

    INPUT = "INPUT"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(
            QgsProcessingParameterFeatureSource(
                self.INPUT, tr("Works layer"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]
            ),
            tr("Any layer of works, in any CRS, with the fields of the schema: uid, title, owner, work_type, "
               "status, start_date, end_date, traffic_impact and the optional ones."),
        ))
        self.addParameter(with_help(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Valid works"), QgsProcessing.SourceType.TypeVectorPolygon
            ),
            tr("The valid works, in the schema and in EPSG:6707."),
        ))
        add_report_parameter(self)

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        report = validated_works(self, parameters, self.INPUT, context, progress)
        fields = layers.works_fields()
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, layers.WORKS_WKB_TYPE, layers.project_crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for work in report.works:
            sink.addFeature(layers.work_to_feature(work, fields), QgsFeatureSink.Flag.FastInsert)
        push_problems(feedback, report.problems)
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
