"""What every Situation Room algorithm shares: its group, help and translation."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtGui import QIcon

from situation_room_plugin.toolbelt.i18n import tr, translate
from situation_room_plugin.toolbelt.resources import icon_path


class SituationRoomAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, and DISPLAY and HELP marked with QT_TRANSLATE_NOOP("Algorithms", ...)."""

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
