"""situation_room:publish_results — the Comune publishes its latest conflicts and detours on the platform."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import shapely
from qgis.core import (
    QgsFeatureSource,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.core.sources import Source
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, date_error, is_iso_date, with_help
from situation_room_plugin.processing.problems_sink import REPORT, add_report_parameter, push_problems, write_report
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.toolbelt.i18n import error_message, tr
from situation_room_plugin.toolbelt.settings import Settings
from situation_room_plugin.workflows.sync import PublishReport, publish_results

#: The counts of a publication: each one for conflicts, for detours and in total.
COUNTS = ("INSERTED", "UPDATED", "UNCHANGED", "WITHDRAWN", "REFUSED")
#: The layers published, by parameter name, and the kind publish_results knows them by.
KINDS = (("CONFLICTS", "conflicts"), ("DETOURS", "detours"))


def report_counts(report: PublishReport) -> dict[str, int]:
    return {"INSERTED": report.inserted, "UPDATED": report.updated, "UNCHANGED": report.unchanged,
            "WITHDRAWN": report.withdrawn, "REFUSED": report.refused}


def multi(geometry: Any) -> Any:
    """Polygons and lines as the platform's MultiPolygon / MultiLineString (GeoPackage outputs may hold
    single parts)."""
    if isinstance(geometry, shapely.Polygon):
        return shapely.MultiPolygon([geometry])
    if isinstance(geometry, shapely.LineString):
        return shapely.MultiLineString([geometry])
    return geometry


def result_rows(source: QgsFeatureSource, kind: str, context: QgsProcessingContext,
                day: date | None = None) -> list[tuple[dict[str, Any], Any]]:
    """The features of a results layer as publish_results' rows: attributes by name, geometry in EPSG:6707.
    A detour has no id of its own in the detour analysis' output: it is named by its work, its day and its
    rank among that work's detours, the same on every run of the same analysis."""
    rows = []
    rank: Counter[str] = Counter()
    for _, values, geometry in layers.iter_records(source, kind, context.transformContext()):
        if kind == "detours":
            work_uid = str(values.get("work_uid") or "")
            day = values.get("day") or day
            if isinstance(day, str) and is_iso_date(day):
                day = date.fromisoformat(day[:10])
            rank[f"{work_uid}:{day}"] += 1
            values = {**values, "day": day,
                      "uid": values.get("uid") or f"{work_uid}:{day}:{rank[f'{work_uid}:{day}']}"}
        rows.append((values, multi(geometry)))
    return rows


def kind_labels() -> dict[str, str]:
    return {"CONFLICTS": tr("conflicts"), "DETOURS": tr("detours")}


class PublishResultsAlgorithm(SituationRoomAlgorithm):
    NAME = "publish_results"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Publish the results to the platform")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "Publishes the Comune's latest results on the platform named by SOURCE (a source of the project with "
        "\"writable\": true), where every organisation reads them: the CONFLICTS layer made by Detect conflicts "
        "and the DETOURS made by Detour analysis of a day. Give at least one of the two.\n"
        "A result new on the platform is inserted, one whose fields changed is updated (with its geometry), one "
        "no longer in the layer is withdrawn (marked deleted, never erased); publishing the same results again changes "
        "nothing. A detour is named by its work, its DATE and its rank among that work's detours.\n"
        "Only the Comune may publish: the platform refuses another organisation's rows, and REPORT lists each "
        "refused row with the platform's message. The outputs count the rows inserted, updated, unchanged, "
        "withdrawn and refused, for the conflicts, for the detours and in total."
    )

    PROJECT = "PROJECT"
    SOURCE = "SOURCE"
    CONFLICTS = "CONFLICTS"
    DETOURS = "DETOURS"
    DATE = "DATE"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterFile(
            self.PROJECT, tr("QGIS project"), optional=True, fileFilter=tr("QGIS projects (*.qgs *.qgz)")
        ), tr("The .qgs or .qgz project whose writable source is the platform; empty: the project open in QGIS "
              "(qgis_process has none: give PROJECT=path/to/project.qgs).")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.SOURCE, tr("Platform (source id)"), optional=True
        ), tr("The id of the project's writable source to publish to; empty: the project's only writable "
              "source.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.CONFLICTS, tr("Conflicts (from Detect conflicts)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True
        ), tr("The OUTPUT layer of Detect conflicts, with its fields as it made them; its conflicts replace those "
              "published before.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.DETOURS, tr("Detours (from Detour analysis of a day)"),
            [QgsProcessing.SourceType.TypeVectorLine], optional=True
        ), tr("The OUTPUT_DETOURS layer of Detour analysis of a day; its detours replace those published "
              "before.")))
        self.addParameter(with_help(QgsProcessingParameterString(
            self.DATE, tr("Day of the detours (YYYY-MM-DD)"), optional=True
        ), tr("The DATE the detour analysis was run for; needed with DETOURS unless its layer has a day "
              "field.")))
        add_report_parameter(self)
        labels = {"INSERTED": tr("Results inserted"), "UPDATED": tr("Results updated"),
                  "UNCHANGED": tr("Results unchanged"), "WITHDRAWN": tr("Results withdrawn"),
                  "REFUSED": tr("Results refused")}
        kinds = kind_labels()
        for name in COUNTS:
            self.addOutput(QgsProcessingOutputNumber(name, labels[name]))
            for prefix, _ in KINDS:
                self.addOutput(QgsProcessingOutputNumber(f"{prefix}_{name}", f"{labels[name]} ({kinds[prefix]})"))

    def writable_source(self, parameters: dict[str, Any], context: QgsProcessingContext) -> Source:
        return inputs.writable_source(self, parameters, context, inputs.read_project(self, parameters, context))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        given = {name: self.parameterAsSource(parameters, name, context) for name, _ in KINDS}
        if all(layer is None for layer in given.values()):
            raise QgsProcessingException(tr("Nothing to publish: give CONFLICTS (the output of Detect conflicts), "
                                            "DETOURS (the detours of Detour analysis of a day) or both."))
        text = self.parameterAsString(parameters, self.DATE, context).strip()
        if text and not is_iso_date(text):
            raise QgsProcessingException(date_error(self.DATE, text))
        day = date.fromisoformat(text) if text else None
        detours = given["DETOURS"]
        if detours is not None and day is None and detours.fields().indexOf("day") < 0:
            raise QgsProcessingException(tr("Give DATE, the day the detour analysis was run for: the DETOURS "
                                            "layer has no day field."))
        source = self.writable_source(parameters, context)
        organisation = Settings.load().organisation or "comune"
        labels = kind_labels()
        results: dict[str, Any] = {name: 0 for name in COUNTS}
        problems = []
        for number, (name, kind) in enumerate(KINDS):
            counts = dict.fromkeys(COUNTS, 0)
            layer = given[name]
            if layer is not None:
                rows = result_rows(layer, kind, context, day)
                try:
                    report = publish_results(source, kind, rows, organisation=organisation)
                except SituationRoomError as error:
                    raise QgsProcessingException(error_message(error)) from error
                counts = report_counts(report)
                problems += report.problems
                feedback.pushInfo(tr("{kind}: inserted {INSERTED}, updated {UPDATED}, unchanged {UNCHANGED}, "
                                     "withdrawn {WITHDRAWN}, refused {REFUSED}").format(kind=labels[name], **counts))
                if report.refused and organisation != "comune":
                    feedback.reportError(tr("Only the Comune may publish results: the platform refused "
                                            "{count} {kind} of {organisation}").format(
                                                count=report.refused, kind=labels[name], organisation=organisation))
            for count, value in counts.items():
                results[f"{name}_{count}"] = value
                results[count] += value
            progress((number + 1) / len(KINDS))
        push_problems(feedback, problems)
        results[REPORT] = write_report(self, parameters, context, problems)
        return results
