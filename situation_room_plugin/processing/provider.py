"""The `situation_room` Processing provider: the headless interface (batch, models, qgis_process)."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from situation_room_plugin.processing import PROVIDER_ID
from situation_room_plugin.processing.add_works_to_store import AddWorksToStoreAlgorithm
from situation_room_plugin.processing.detect_conflicts import DetectConflictsAlgorithm
from situation_room_plugin.processing.detour_analysis import DetourAnalysisAlgorithm
from situation_room_plugin.processing.export_cifs import ExportCifsAlgorithm
from situation_room_plugin.processing.export_wzdx import ExportWzdxAlgorithm
from situation_room_plugin.processing.impact_timeline import ImpactTimelineAlgorithm
from situation_room_plugin.processing.import_feed import ImportFeedAlgorithm
from situation_room_plugin.processing.network_criticality import NetworkCriticalityAlgorithm
from situation_room_plugin.processing.osm_places import OsmPlacesAlgorithm
from situation_room_plugin.processing.publish_results import PublishResultsAlgorithm
from situation_room_plugin.processing.refresh_sources import RefreshSourcesAlgorithm
from situation_room_plugin.processing.report import ReportAlgorithm
from situation_room_plugin.processing.suggest_schedule import SuggestScheduleAlgorithm
from situation_room_plugin.processing.sync import SyncAlgorithm
from situation_room_plugin.processing.validate_works import ValidateWorksAlgorithm
from situation_room_plugin.processing.work_sheet import WorkSheetAlgorithm
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.resources import icon_path


class SituationRoomProvider(QgsProcessingProvider):
    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return tr("Situation Room")

    def longName(self) -> str:  # noqa: N802 - Qt API
        return tr("Situation Room — road works coordination")

    def icon(self) -> QIcon:
        return QIcon(str(icon_path("situation_room.svg")))

    def loadAlgorithms(self) -> None:  # noqa: N802 - Qt API
        for algorithm in (
            ValidateWorksAlgorithm(),
            AddWorksToStoreAlgorithm(),
            DetectConflictsAlgorithm(),
            SuggestScheduleAlgorithm(),
            OsmPlacesAlgorithm(),
            DetourAnalysisAlgorithm(),
            ImpactTimelineAlgorithm(),
            NetworkCriticalityAlgorithm(),
            ImportFeedAlgorithm(),
            RefreshSourcesAlgorithm(),
            ExportWzdxAlgorithm(),
            ExportCifsAlgorithm(),
            ReportAlgorithm(),
            WorkSheetAlgorithm(),
            SyncAlgorithm(),
            PublishResultsAlgorithm(),
        ):
            self.addAlgorithm(algorithm)
