"""situation_room:refresh_sources — read every source of a project into its store's offline copy."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsProject,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.problems import Problem
from situation_room_plugin.core.progress import CancelledError
from situation_room_plugin.core.sources import refresh_due
from situation_room_plugin.processing.base import SituationRoomAlgorithm
from situation_room_plugin.processing.report import REPORT, add_report_parameter, write_report
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store, StoreError
from situation_room_plugin.toolbelt.i18n import problem_message, tr


class RefreshSourcesAlgorithm(SituationRoomAlgorithm):
    NAME = "refresh_sources"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Refresh shared layers")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Reads every source registered in the project (or those listed in SOURCES, ids separated by commas) and "
        "replaces its offline copy in the project store, one source at a time and all or nothing: a source "
        "that cannot be read keeps its previous copy. PROJECT is a .qgs/.qgz file (empty: the current "
        "project). With DUE_ONLY, only the sources whose refresh interval (refresh_minutes) has passed since "
        "their copy was last checked are read: run it from a scheduler. REPORT lists every problem per source "
        "and per feature."
    )

    PROJECT = "PROJECT"
    SOURCES = "SOURCES"
    DUE_ONLY = "DUE_ONLY"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(QgsProcessingParameterFile(self.PROJECT, tr("QGIS project"), optional=True,
                                                     fileFilter=tr("QGIS projects (*.qgs *.qgz)")))
        self.addParameter(QgsProcessingParameterString(self.SOURCES, tr("Only these sources (ids)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.DUE_ONLY, tr("Only the sources whose refresh interval has passed"), defaultValue=False))
        add_report_parameter(self)

    def processAlgorithm(  # noqa: N802 - Qt API
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        path = self.parameterAsFile(parameters, self.PROJECT, context)
        project = context.project() or QgsProject.instance()
        if path:
            project = QgsProject()
            if not project.read(path):
                raise QgsProcessingException(tr("Cannot read the project {path}").format(path=path))
        sources, registry_problems = feeds.read_registry(project)
        wanted = [s.strip() for s in self.parameterAsString(parameters, self.SOURCES, context).split(",") if s.strip()]
        unknown = [w for w in wanted if w not in {s.id for s in sources}]
        if unknown:
            raise QgsProcessingException(tr("No source with id {ids} in the project").format(ids=", ".join(unknown)))
        sources = [s for s in sources if not wanted or s.id in wanted]
        store_path = project_io.store_path(project)
        if store_path is None:
            raise QgsProcessingException(tr("The project has no store: create one in the Situation Room dock."))
        problems: list[Problem] = list(registry_problems)
        refreshed = failed = 0
        try:
            store = Store.open(store_path, create=False)
        except StoreError as error:
            raise QgsProcessingException(str(error)) from error
        skipped = 0
        with store:
            owners = store.owners()
            if self.parameterAsBool(parameters, self.DUE_ONLY, context):
                now = datetime.now(timezone.utc)
                with store.transaction() as conn:
                    checked = {s.id: getattr(feed_cache.snapshot(conn, s.id), "checked_at", None) for s in sources}
                due = [s for s in sources if refresh_due(s, checked[s.id], None, now)]
                skipped = len(sources) - len(due)
                for source in sources:
                    if source not in due:
                        feedback.pushInfo(tr("{id}: not due yet").format(id=source.id))
                sources = due
            for index, source in enumerate(sources):
                if feedback.isCanceled():
                    break
                feedback.setProgress(100 * index / max(len(sources), 1))
                try:
                    result = feeds.refresh(source, store, owners, feedback=feedback,
                                           context=project.transformContext())
                except CancelledError:  # its previous copy stays as it was
                    break
                problems += result.problems
                if result.ok:
                    refreshed += 1
                    snap = result.snapshot
                    feedback.pushInfo(tr("{id}: {features} features, {works} works, {problems} problems{note}").format(
                        id=source.id, features=snap.feature_count, works=snap.work_count,
                        problems=snap.problem_count, note=tr(" (unchanged)") if result.not_modified else ""))
                else:
                    failed += 1
                    feedback.reportError(f"{source.id}: {problem_message(result.error)}")
        report_id = write_report(self, parameters, context, problems)
        return {REPORT: report_id, "REFRESHED_COUNT": refreshed, "FAILED_COUNT": failed, "SKIPPED_COUNT": skipped}
