"""situation_room:add_works_to_store — the valid works of any layer (a validation result, a partner's copy, a
file) added to the project's store, or updated there by uid, with a summary and every refusal named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.problems import Severity
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.common import validated_works
from situation_room_plugin.processing.problems_sink import REPORT, add_report_parameter, push_problems, write_report
from situation_room_plugin.qgis_io.project import store_path
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.settings import Settings


class AddWorksToStoreAlgorithm(SituationRoomAlgorithm):
    NAME = "add_works_to_store"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Add the valid works to the store")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Validates every feature of INPUT against the works schema and adds the valid works to the project's "
        "store (or the STORE given): a work whose uid the store does not have is added (revision 1); one it "
        "has is updated when something changed (revision + 1, with the time and your user name) and left "
        "alone when nothing did. Records with errors are refused, each named with its problem in REPORT; "
        "nothing else is lost.\n"
        "Use it on the result of Validate works, on a partner's shared layer, or on any layer of works."
    )

    INPUT = "INPUT"
    STORE = "STORE"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(
            QgsProcessingParameterFeatureSource(
                self.INPUT, tr("Works layer"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]
            ),
            tr("Any layer of works, in any CRS, with the fields of the works schema."),
        ))
        self.addParameter(with_help(QgsProcessingParameterFile(
            self.STORE, tr("Store (the project's store when empty)"), extension="gpkg", optional=True
        ), tr("The GeoPackage to add the works to (created if missing); when empty, the store of the current "
              "project."), advanced=True))
        add_report_parameter(self)

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        given = self.parameterAsFile(parameters, self.STORE, context)
        path = Path(given) if given else store_path(context.project())
        if path is None or (not given and not path.exists()):
            raise QgsProcessingException(tr(
                "The project has no store to add the works to: create one in the Situation Room dock (Works "
                "tab), or give STORE."))
        report = validated_works(self, parameters, self.INPUT, context, progress)
        settings = Settings.load()
        with Store.open(path) as store:
            added = store.add_works(report.works, user=settings.user(), organisation=settings.organisation)
        problems = list(report.problems) + added.problems
        push_problems(feedback, problems)
        refused = report.invalid_records + len({p.record for p in added.problems})
        feedback.pushInfo(tr(
            "{added} works added to {store}, {updated} updated, {unchanged} already there unchanged, {refused} "
            "refused (see the problems above)").format(
                added=len(added.added), store=path.name, updated=len(added.updated), unchanged=len(added.unchanged),
                refused=refused))
        report_id = write_report(self, parameters, context, problems)
        return {
            "STORE": str(path),
            REPORT: report_id,
            "ADDED_COUNT": len(added.added),
            "UPDATED_COUNT": len(added.updated),
            "UNCHANGED_COUNT": len(added.unchanged),
            "REFUSED_COUNT": refused,
            "ERROR_COUNT": sum(1 for p in problems if p.severity is Severity.ERROR),
        }
