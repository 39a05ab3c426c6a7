"""situation_room:sync — push the project store's local changes to a writable platform and pull its changes."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.problems_sink import REPORT, add_report_parameter, push_problems, write_report
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.toolbelt.i18n import error_message, tr
from situation_room_plugin.toolbelt.settings import Settings
from situation_room_plugin.workflows.sync import DIRECTIONS, sync

#: The counts of a sync, each an output of the algorithm.
COUNTS = ("SENT", "RECEIVED", "MERGED", "CONFLICTS", "REFUSED", "FAILED")


class SyncAlgorithm(SituationRoomAlgorithm):
    NAME = "sync"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Sync with the platform")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Sends the works created, changed and deleted in the project store (the outbox) to the platform named by "
        "SOURCE, a source of the project with \"writable\": true (a WFS-T of QGIS Server), and takes the works "
        "the other organisations changed there since the last sync.\n"
        "DIRECTION: push only sends, pull only takes, both does the two. A change whose answer is unclear "
        "(a timeout, a server error) is settled by reading the work back, so it is never applied twice. A change the "
        "server refuses stays in the outbox with the server's message. A work changed here and there is merged "
        "field by field; the same field changed on both sides is a conflict, kept until someone chooses (keep "
        "mine, keep theirs or a value) in the Sync tab.\n"
        "The outputs count the changes sent, the works received, the clean merges, the conflicts, the changes "
        "refused and those that failed (sent again next time); REPORT lists each one's record and message."
    )

    PROJECT = "PROJECT"
    SOURCE = "SOURCE"
    DIRECTION = "DIRECTION"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterFile(
            self.PROJECT, tr("QGIS project"), optional=True, fileFilter=tr("QGIS projects (*.qgs *.qgz)")
        ), tr("The .qgs or .qgz project whose store is synced; empty: the project open in QGIS (qgis_process has "
              "none: give PROJECT=path/to/project.qgs).")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.SOURCE, tr("Platform (source id)"), optional=True
        ), tr("The id of the project's writable source to sync with; empty: the project's only writable "
              "source.")))
        self.addParameter(with_help(QgsProcessingParameterEnum(
            self.DIRECTION, tr("Direction"), options=[tr("push"), tr("pull"), tr("both")], defaultValue=2
        ), tr("push: send the local changes; pull: take the platform's changes; both: send, then take.")))
        add_report_parameter(self)
        labels = {"SENT": tr("Changes sent"), "RECEIVED": tr("Works received"), "MERGED": tr("Works merged"),
                  "CONFLICTS": tr("Conflicts"), "REFUSED": tr("Changes refused"), "FAILED": tr("Failed")}
        for name in COUNTS:
            self.addOutput(QgsProcessingOutputNumber(name, labels[name]))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        project = inputs.read_project(self, parameters, context)
        store = project_io.store_path(project)
        if store is None:
            raise QgsProcessingException(tr(
                "The project has no store: give PROJECT=path/to/project.qgs of a project that has one "
                "(create it in the Situation Room dock)."))
        chosen = [inputs.writable_source(self, parameters, context, project)]
        direction = DIRECTIONS[self.parameterAsEnum(parameters, self.DIRECTION, context)]
        try:
            report = sync(store, chosen[0], direction, progress, organisation=Settings.load().organisation)
        except SituationRoomError as error:
            raise QgsProcessingException(error_message(error)) from error
        push_problems(feedback, report.problems)
        counts = report.counts()
        feedback.pushInfo(tr("Sent {sent}, received {received}, merged {merged}, conflicts {conflicts}, refused "
                             "{refused}, failed {failed}").format(**counts))
        report_id = write_report(self, parameters, context, report.problems)
        return {REPORT: report_id, **{name: counts[name.lower()] for name in COUNTS}}
