"""situation_room:refresh_sources — read every source of a project into its store's offline copy."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.problems_sink import REPORT, add_report_parameter, write_report
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.toolbelt.i18n import problem_message, tr
from situation_room_plugin.workflows.feeds import due_sources, refresh_sources


class RefreshSourcesAlgorithm(SituationRoomAlgorithm):
    NAME = "refresh_sources"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Refresh shared layers")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Reads every source registered in the project (or those listed in SOURCES, ids separated by commas) and "
        "replaces its offline copy in the project store, one source at a time and all or nothing: a source "
        "that cannot be read keeps its previous copy.\n"
        "PROJECT is a .qgs/.qgz file (empty: the current project; from qgis_process give "
        "PROJECT=path/to/project.qgs).\n"
        "With DUE_ONLY, only the sources whose refresh interval (refresh_minutes) has passed since their copy "
        "was last checked are read: run it from a scheduler. REPORT lists every problem per source and per "
        "feature."
    )

    PROJECT = "PROJECT"
    SOURCES = "SOURCES"
    DUE_ONLY = "DUE_ONLY"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterFile(
            self.PROJECT, tr("QGIS project"), optional=True, fileFilter=tr("QGIS projects (*.qgs *.qgz)")
        ), tr("The .qgs or .qgz project whose sources are read into its store; empty: the project open in QGIS "
              "(qgis_process has none: give PROJECT=path/to/project.qgs).")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.SOURCES, tr("Only these sources (ids)"), optional=True
        ), tr("The ids of the sources to read, separated by commas; empty: every source of the project."),
            advanced=True))
        self.addParameter(with_help(QgsProcessingParameterBoolean(
            self.DUE_ONLY, tr("Only the sources whose refresh interval has passed"), defaultValue=False
        ), tr("Read only the sources whose refresh interval (refresh_minutes) has passed since their copy was "
              "last checked, as a scheduled run does."), advanced=True))
        add_report_parameter(self)

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        path = self.parameterAsFile(parameters, self.PROJECT, context)
        project = inputs.read_project(self, parameters, context)
        sources, registry_problems = feeds.read_registry(project)
        wanted = [s.strip() for s in self.parameterAsString(parameters, self.SOURCES, context).split(",") if s.strip()]
        unknown = [w for w in wanted if w not in {s.id for s in sources}]
        if unknown:
            raise QgsProcessingException(tr("No source with id {ids} in the project").format(ids=", ".join(unknown)))
        sources = [s for s in sources if not wanted or s.id in wanted]
        store = project_io.store_path(project)
        if store is None and not path and not project.fileName():
            raise QgsProcessingException(tr(
                "No project to refresh: give PROJECT=path/to/project.qgs, a project with a Situation Room store."))
        if store is None:
            raise QgsProcessingException(tr(
                "The project has no store: give PROJECT=path/to/project.qgs of a project that has one "
                "(create it in the Situation Room dock)."))
        skipped = 0
        if self.parameterAsBool(parameters, self.DUE_ONLY, context):
            due = due_sources(store, sources)
            for source in sources:
                if source not in due:
                    feedback.pushInfo(tr("{id}: not due yet").format(id=source.id))
            skipped, sources = len(sources) - len(due), due
        run = refresh_sources(store, sources, project.transformContext(), progress, feedback)
        for result in run.results:
            if result.ok:
                snap = result.snapshot
                feedback.pushInfo(tr("{id}: {features} features, {works} works, {problems} problems{note}").format(
                    id=result.source.id, features=snap.feature_count, works=snap.work_count,
                    problems=snap.problem_count, note=tr(" (unchanged)") if result.not_modified else ""))
            elif result.error is not None:
                feedback.reportError(f"{result.source.id}: {problem_message(result.error)}")
        report_id = write_report(self, parameters, context, list(registry_problems) + run.problems)
        return {REPORT: report_id, "REFRESHED_COUNT": run.refreshed, "FAILED_COUNT": len(run.failed),
                "SKIPPED_COUNT": skipped}
