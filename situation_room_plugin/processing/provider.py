"""The `situation_room` Processing provider: the headless interface (batch, models, qgis_process)."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from situation_room_plugin.processing.import_feed import ImportFeedAlgorithm
from situation_room_plugin.processing.refresh_sources import RefreshSourcesAlgorithm
from situation_room_plugin.processing.validate_works import ValidateWorksAlgorithm
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.resources import icon_path


class SituationRoomProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "situation_room"

    def name(self) -> str:
        return tr("Situation Room")

    def longName(self) -> str:  # noqa: N802 - Qt API
        return tr("Situation Room — road works coordination")

    def icon(self) -> QIcon:
        return QIcon(str(icon_path("situation_room.svg")))

    def loadAlgorithms(self) -> None:  # noqa: N802 - Qt API
        for algorithm in (ValidateWorksAlgorithm(), ImportFeedAlgorithm(), RefreshSourcesAlgorithm()):
            self.addAlgorithm(algorithm)
