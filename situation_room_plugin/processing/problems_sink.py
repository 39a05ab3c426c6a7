"""The REPORT sink shared by every algorithm that validates input: one row per problem of a record."""

from __future__ import annotations

from collections.abc import Iterable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.processing.base import with_help
from situation_room_plugin.toolbelt.i18n import problem_message, tr

REPORT = "REPORT"


def push_problems(feedback: QgsProcessingFeedback, problems: Iterable[Problem]) -> None:
    """Each problem in the algorithm's log, named by its record: errors and warnings as warnings, what was
    done for the user (Severity.INFO) as information."""
    for problem in problems:
        text = f"{problem.record}: {problem_message(problem)}"
        if problem.severity is Severity.INFO:
            feedback.pushInfo(text)
        else:
            feedback.pushWarning(text)


def report_fields() -> QgsFields:
    fields = QgsFields()
    for name in ("record", "field", "severity", "code", "message"):
        fields.append(QgsField(name, QVariant.Type.String))
    return fields


def add_report_parameter(algorithm: QgsProcessingAlgorithm) -> None:
    algorithm.addParameter(with_help(
        QgsProcessingParameterFeatureSink(
            REPORT, tr("Problems report"), QgsProcessing.SourceType.TypeVector, optional=True
        ),
        tr("A table of every problem found, one row each: the record, the field, the severity (error or "
           "warning), a code and the message."),
    ))


def write_report(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict,
    context: QgsProcessingContext,
    problems: Iterable[Problem],
) -> str | None:
    """Write every problem to the REPORT sink (when one was asked for) and return its destination id."""
    sink, dest_id = algorithm.parameterAsSink(
        parameters, REPORT, context, report_fields(), QgsWkbTypes.Type.NoGeometry, QgsCoordinateReferenceSystem()
    )
    if sink is None:
        return None
    fields = report_fields()
    for problem in problems:
        feature = QgsFeature(fields)
        feature.setAttributes(
            [problem.record, problem.field, problem.severity.value, problem.code, problem_message(problem)]
        )
        sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
    return dest_id
