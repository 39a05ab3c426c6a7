"""situation_room:export_cifs — the works that affect traffic as a Waze CIFS feed of closures, in XML (the CIFS
XSD) or JSON, by the OUTPUT file's extension."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.exports.cifs import cifs_json, cifs_xml, incidents_of
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.processing.base import SituationRoomAlgorithm
from situation_room_plugin.processing.export_wzdx import (
    EXPORTED_COUNT,
    OUTPUT,
    SKIPPED_COUNT,
    add_export_parameters,
    located_works,
    write_text,
)
from situation_room_plugin.qgis_io.project import owner_registry
from situation_room_plugin.toolbelt.i18n import tr

FORMATS = (".xml", ".json")


class ExportCifsAlgorithm(SituationRoomAlgorithm):
    NAME = "export_cifs"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Export works affecting traffic as Waze CIFS")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Writes the works that affect traffic as a Waze closure and incident feed (CIFS): XML valid against the "
        "CIFS 2.0 schema when OUTPUT ends in .xml, Waze's JSON form when it ends in .json.\n"
        "A work that closes every lane is a ROAD_CLOSED incident; one that closes some lanes or alternates "
        "one-way traffic a lane-closed hazard; one of unknown impact a CONSTRUCTION incident. Each has the "
        "work's uid as id, its street, its line as \"lat lon\" pairs, whether it takes one direction or both, its "
        "first and last day in Rome time, its daily hours and its organisation as source. Works whose "
        "traffic_impact is all-lanes-open, and completed or cancelled works, are left out and counted "
        "(SKIPPED_COUNT).\n"
        "With ROADS, an incident follows the roads the work's footprint closes (as the detour analysis closes "
        "them), with their names; a work on separate stretches is one incident per stretch, with the work's "
        "uid as their parent event. Without ROADS, it follows the footprint's centreline."
    )

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        add_export_parameters(self, QgsProcessingParameterFileDestination(
            OUTPUT, tr("Waze CIFS feed"), tr("Waze CIFS XML (*.xml);;Waze CIFS JSON (*.json)")
        ), tr("The file of the feed: .xml for the CIFS XML, .json for its JSON form."))

    def checkParameterValues(  # noqa: N802 - Qt API
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[bool, str]:
        path = self.parameterAsFileOutput(parameters, OUTPUT, context)
        if path and Path(path).suffix.lower() not in FORMATS:
            return False, _format_error(path)
        return super().checkParameterValues(parameters, context)

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        path = self.parameterAsFileOutput(parameters, OUTPUT, context)
        suffix = Path(path).suffix.lower()
        if suffix not in FORMATS:
            raise QgsProcessingException(_format_error(path))
        selection = located_works(self, parameters, context, feedback, progress)
        now = datetime.now(timezone.utc)
        incidents = incidents_of(selection, owner_registry(context.project()), now)
        if suffix == ".xml":
            if not incidents:
                feedback.pushWarning(tr("No work affects traffic: the CIFS XML has no incident, which Waze reads "
                                        "as no closure but its XSD does not accept"))
            content = cifs_xml(incidents, now)
        else:
            content = json.dumps(cifs_json(incidents, now), ensure_ascii=False, indent=1).encode("utf-8")
        write_text(path, content, feedback)
        return {OUTPUT: path, EXPORTED_COUNT: len(selection.located), SKIPPED_COUNT: selection.skipped_count}


def _format_error(path: str) -> str:
    return tr("OUTPUT: {path} must end in .xml (CIFS XML) or .json (CIFS JSON)").format(path=path)
