"""What every Situation Room algorithm shares: its group, help and translation."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback
from qgis.PyQt.QtGui import QIcon

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import CancelledError, Progress, checking
from situation_room_plugin.toolbelt.i18n import error_message, tr, translate
from situation_room_plugin.toolbelt.resources import icon_path


class SituationRoomAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, and DISPLAY and HELP marked with QT_TRANSLATE_NOOP("Algorithms", ...), and
    implement `execute`: parameters in, a workflow called with the progress callback, sinks out."""

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
