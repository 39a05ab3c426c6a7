"""What every Situation Room algorithm shares: its group, help and translation, the help and advanced flag of
its parameters, the check of dates given as text, and CSV sinks with numbers as numbers, ISO dates and no
formulas."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProperty,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QIcon

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import CancelledError, Progress, checking
from situation_room_plugin.qgis_io.csv_output import SpreadsheetSafeSink
from situation_room_plugin.toolbelt.i18n import error_message, tr, translate
from situation_room_plugin.toolbelt.resources import icon_path

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Parameter = TypeVar("Parameter", bound=QgsProcessingParameterDefinition)

#: GDAL before 3.8.1 quotes integers in CSV with its default STRING_QUOTING=IF_AMBIGUOUS: "2" instead of 2.
CSV_LAYER_OPTIONS = ("STRING_QUOTING=IF_NEEDED",)
#: GDAL writes CSV dates as 2016/05/03; as text fields they are written as Qt writes them, 2016-05-03.
CSV_AS_TEXT = (QVariant.Type.Date, QVariant.Type.DateTime)


def with_help(parameter: Parameter, help_text: str, advanced: bool = False) -> Parameter:
    """The parameter with its help (the dialog's tooltip, a line of `qgis_process help`), among the advanced
    parameters when it is a tuning knob whose default suits most runs."""
    parameter.setHelp(help_text)
    if advanced:
        parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


def date_error(name: str, value: Any) -> str:
    """The message for a date parameter given a text that is not an ISO date."""
    return tr("{name}: '{value}' is not a date (expected YYYY-MM-DD)").format(name=name, value=value)


def is_iso_date(text: str) -> bool:
    """YYYY-MM-DD and a real day (Python 3.11 would also take 20261210, which QGIS does not)."""
    if not ISO_DATE.fullmatch(text.strip()):
        return False
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def csv_fields(fields: QgsFields) -> QgsFields:
    """The fields of a CSV sink: dates as ISO text, the rest as they are."""
    out = QgsFields()
    for field in fields:
        out.append(QgsField(field.name(), QVariant.Type.String) if field.type() in CSV_AS_TEXT else QgsField(field))
    return out


def destination_text(value: Any) -> str:
    """The destination a sink parameter value names (a path, memory:, TEMPORARY_OUTPUT), or ""."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    if isinstance(value, QgsProperty):
        value = value.staticValue() if value.propertyType() == QgsProperty.Type.StaticProperty else ""
    return value if isinstance(value, str) else ""


class SituationRoomAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, and DISPLAY and HELP marked with QT_TRANSLATE_NOOP("Algorithms", ...), and
    implement `execute`: parameters in, a workflow called with the progress callback, sinks out.

    HELP is plain text, one paragraph a line: the Processing dialog shows each line as a paragraph and
    `qgis_process help` prints it as it is (it would print HTML tags raw)."""

    NAME = ""
    DISPLAY = ""
    HELP = ""

    def name(self) -> str:
        return self.NAME

    def displayName(self) -> str:  # noqa: N802 - Qt API
        return translate("Algorithms", self.DISPLAY)

    def shortHelpString(self) -> str:  # noqa: N802 - Qt API
        return translate("Algorithms", self.HELP)

    def group(self) -> str:
        return tr("Road works")

    def groupId(self) -> str:  # noqa: N802 - Qt API
        return "road_works"

    def icon(self) -> QIcon:
        return QIcon(str(icon_path("situation_room.svg")))

    def createInstance(self) -> QgsProcessingAlgorithm:  # noqa: N802 - Qt API
        return type(self)()

    def processAlgorithm(  # noqa: N802 - Qt API
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        """`execute` with the one progress contract: the feedback's cancel button stops the workflow, whose
        errors reach the user as their messages, never as tracebacks."""
        try:
            return self.execute(parameters, context, feedback, checking(feedback.isCanceled, feedback.setProgress))
        except CancelledError as error:
            raise QgsProcessingException(tr("{name}: cancelled.").format(name=self.displayName())) from error
        except SituationRoomError as error:
            raise QgsProcessingException(error_message(error)) from error

    def execute(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        raise NotImplementedError

    def checkParameterValues(  # noqa: N802 - Qt API
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[bool, str]:
        """Dates given as text (qgis_process, scripts) must be ISO: say so, naming the parameter and the value,
        where QGIS would only say "Incorrect parameter value"."""
        for definition in self.parameterDefinitions():
            if (isinstance(definition, QgsProcessingParameterDateTime)
                    and definition.dataType() == QgsProcessingParameterDateTime.Type.Date):
                value = parameters.get(definition.name())
                if isinstance(value, str) and value.strip() and not is_iso_date(value):
                    return False, date_error(definition.name(), value)
        return super().checkParameterValues(parameters, context)

    def parameterAsSink(  # noqa: N802 - Qt API
        self,
        parameters: dict[str, Any],
        name: str,
        context: QgsProcessingContext,
        fields: QgsFields,
        geometryType: QgsWkbTypes.Type = QgsWkbTypes.Type.NoGeometry,  # noqa: N803 - Qt API
        crs: QgsCoordinateReferenceSystem = QgsCoordinateReferenceSystem(),  # noqa: B008 - Qt API default
        sinkFlags: QgsFeatureSink.SinkFlags = QgsFeatureSink.SinkFlags(),  # noqa: N803, B008 - Qt API
        createOptions: dict[str, Any] | None = None,  # noqa: N803 - Qt API
        datasourceOptions: list[str] | None = None,  # noqa: N803 - Qt API
        layerOptions: list[str] | None = None,  # noqa: N803 - Qt API
    ) -> tuple[QgsFeatureSink | None, str]:
        """QGIS's sink; to a CSV file, numbers are written unquoted, dates as YYYY-MM-DD, and text that a
        spreadsheet would run as a formula behind an apostrophe (qgis_io/csv_output.py)."""
        options = list(layerOptions or [])
        definition = self.parameterDefinition(name)
        value = parameters.get(name, definition.defaultValue() if definition is not None else None)
        to_csv = destination_text(value).lower().endswith(".csv")
        if to_csv:
            options += CSV_LAYER_OPTIONS
            fields = csv_fields(fields)
        sink, dest_id = super().parameterAsSink(parameters, name, context, fields, geometryType, crs, sinkFlags,
                                                createOptions or {}, list(datasourceOptions or []), options)
        if to_csv and sink is not None:
            return SpreadsheetSafeSink(sink), dest_id  # type: ignore[return-value] - a sink in all but name
        return sink, dest_id
