"""situation_room:report — the coordination report of a period on a QGIS print layout: the map of the works by
organisation and of their conflicts, the summary per organisation, the conflicts, detours, streets cut off and
bus routes, the day-by-day impact; as PDF or HTML, with a CSV of every table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.qgis_io.project import owner_registry
from situation_room_plugin.qgis_io.reports.read import ReportInputError, read_conflicts, read_detours
from situation_room_plugin.qgis_io.reports.render import FORMATS, HTML, report_map, write_report
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.reports import build_report


def cannot_write(path: Path, error: BaseException) -> str:
    return tr("The report {path} could not be written: {error}").format(path=path, error=error)


class ReportAlgorithm(SituationRoomAlgorithm):
    NAME = "report"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Coordination report")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "The coordination report of the works on the street from START_DATE to END_DATE (inclusive), built on a "
        "QGIS print layout: the map of the works by organisation and of the CONFLICTS (the layer Detect "
        "conflicts writes, with the room's decisions) with its legend and scale bar, the summary per "
        "organisation, the works, the conflicts (kind, works, organisations, dates, severity, decision), the "
        "detours and the streets cut off, the bus routes affected and the day-by-day impact chart.\n"
        "FORMAT pdf gives a multi-page PDF; html one self-contained HTML file (the map as an image). Next to "
        "OUTPUT, a CSV of every table (for report.pdf: report_conflicts.csv, report_detours.csv…)\n"
        "The detours come from DETOURS (a layer of Detour analysis) or, with ROADS, from the detour engine for "
        "every run of days with the same closures, with the streets cut off and (with GTFS) the bus routes; "
        "without ROADS the chart counts, day by day, the works on the street, the road closures and the "
        "conflicts in force.\n"
        "The report follows QGIS's language (Italian or English) and writes dates as the language does."
    )

    WORKS = inputs.WORKS
    CONFLICTS = "CONFLICTS"
    DETOURS = "DETOURS"
    START_DATE = "START_DATE"
    END_DATE = "END_DATE"
    FORMAT = "FORMAT"
    ROADS = inputs.ROADS
    GTFS = inputs.GTFS
    OUTPUT = "OUTPUT"

    def flags(self) -> QgsProcessingAlgorithm.Flags:
        # Print layouts and the map layers they draw live on the main thread.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.WORKS, tr("Works"), [QgsProcessing.SourceType.TypeVectorPolygon]
        ), tr("The works, in any CRS, with the fields of the works schema (see Validate works): those on the "
              "street in the period are reported.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.CONFLICTS, tr("Conflicts (from Detect conflicts)"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]
        ), tr("The conflicts layer Detect conflicts writes (kind, uid_a, uid_b, severity, overlap dates, status, "
              "note, titles): those in force in the period are reported, with the room's decisions.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.DETOURS, tr("Detours (from Detour analysis)"), [QgsProcessing.SourceType.TypeVectorLine],
            optional=True
        ), tr("A detours layer of Detour analysis: drawn on the map and listed per work.")))
        inputs.add_date_parameter(self, self.START_DATE, tr("From"),
                                  tr("The first day of the report, as YYYY-MM-DD in qgis_process."))
        inputs.add_date_parameter(self, self.END_DATE, tr("To"),
                                  tr("The last day of the report (inclusive), as YYYY-MM-DD in qgis_process."))
        self.addParameter(with_help(QgsProcessingParameterEnum(
            self.FORMAT, tr("Format"), options=list(FORMATS), defaultValue=FORMATS[0], usesStaticStrings=True
        ), tr("pdf: a PDF from the print layout; html: one self-contained HTML file.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.ROADS, tr("Road network (for the detours)"), [QgsProcessing.SourceType.TypeVectorLine],
            optional=True
        ), tr("Drivable road lines with OSM tags: drawn under the works, and the detours, streets cut off and "
              "day-by-day closures are computed by the detour engine.")))
        inputs.add_gtfs_parameter(self, tr(
            "The bus timetable as a GTFS zip (with ROADS): the bus routes driving along closed roads."))
        self.addParameter(with_help(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("Report"), tr("PDF (*.pdf);;HTML (*.html)")
        ), tr("The report file; the CSVs of its tables are written next to it.")))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        start, end = inputs.read_period(self, parameters, context, self.START_DATE, self.END_DATE)
        fmt = self.parameterAsEnumString(parameters, self.FORMAT, context) or FORMATS[0]
        output = Path(self.parameterAsFileOutput(parameters, self.OUTPUT, context))
        if fmt == HTML and output.suffix.lower() != ".html":
            output = output.with_suffix(".html")
        registry = owner_registry(context.project())
        works = inputs.read_works(self, parameters, context, feedback, scaled(progress, 0.0, 0.1))
        conflicts_source = self.parameterAsSource(parameters, self.CONFLICTS, context)
        if conflicts_source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.CONFLICTS))
        detours_source = self.parameterAsSource(parameters, self.DETOURS, context)
        roads_source = self.parameterAsSource(parameters, self.ROADS, context)
        try:
            conflicts = read_conflicts(conflicts_source)
            detours = read_detours(detours_source, works) if detours_source is not None else []
        except ReportInputError as error:
            raise QgsProcessingException(str(error)) from error
        graph = bus = None
        if roads_source is not None:
            graph = inputs.read_graph(self, parameters, context, feedback, progress=scaled(progress, 0.1, 0.2))
            bus = inputs.read_bus_network(self, parameters, context, feedback, graph, start, end)
        report = build_report(works, conflicts, start, end, registry, graph, bus, detours,
                              scaled(progress, 0.2, 0.8))
        content = report_map(report, registry, conflicts_source, detours_source, roads_source,
                             context.transformContext())
        try:
            written = write_report(report, content, output, fmt, context.project())
        except (OSError, RuntimeError) as error:
            raise QgsProcessingException(cannot_write(output, error)) from error
        progress(1.0)
        feedback.pushInfo(tr("Report of {works} works and {conflicts} conflicts written to {path} ({pages} pages)")
                          .format(works=len(report.works), conflicts=len(report.conflicts), path=written.output,
                                  pages=written.pages))
        return {self.OUTPUT: str(written.output), "PAGE_COUNT": written.pages, "WORK_COUNT": len(report.works),
                "CONFLICT_COUNT": len(report.conflicts), "CSV_FILES": [str(p) for p in written.csvs]}
