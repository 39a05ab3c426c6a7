"""situation_room:work_sheet — one A4 page for a work's site plan: the map on it (with the works around and the
roads), its fields, its conflicts, its detour and the streets it cuts off, the bus lines it makes reroute."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from situation_room_plugin.core.progress import Progress, scaled
from situation_room_plugin.processing import common as inputs
from situation_room_plugin.processing.base import SituationRoomAlgorithm, with_help
from situation_room_plugin.processing.report import cannot_write
from situation_room_plugin.qgis_io.project import owner_registry
from situation_room_plugin.qgis_io.reports.render import sheet_map, write_sheet
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.reports import work_sheet


class WorkSheetAlgorithm(SituationRoomAlgorithm):
    NAME = "work_sheet"
    DISPLAY = QT_TRANSLATE_NOOP("Algorithms", "Site sheet of a work")
    HELP = QT_TRANSLATE_NOOP(
        "Algorithms",
        "One A4 page (PDF) for the site plan of the work WORK_UID of WORKS, built on a QGIS print layout: the "
        "map zoomed on the work with the works around it (and the ROADS when given), every field of the work, "
        "its conflicts with the other works of WORKS (found as Detect conflicts finds them), and with ROADS its "
        "detours and the streets it cuts off on its first day on the street (with every closure of that day) "
        "and, with GTFS, the bus lines its closure makes reroute.\n"
        "Next to OUTPUT, a CSV of every table of the sheet."
    )

    WORKS = inputs.WORKS
    WORK_UID = "WORK_UID"
    ROADS = inputs.ROADS
    GTFS = inputs.GTFS
    OUTPUT = "OUTPUT"

    def flags(self) -> QgsProcessingAlgorithm.Flags:
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802 - Qt API
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.WORKS, tr("Works"), [QgsProcessing.SourceType.TypeVectorPolygon]
        ), tr("The works, in any CRS, with the fields of the works schema: the work of the sheet and those it "
              "may conflict with.")))
        self.addParameter(with_help(QgsProcessingParameterString(self.WORK_UID, tr("Work uid")),
                                    tr("The uid of the work of the sheet.")))
        self.addParameter(with_help(QgsProcessingParameterFeatureSource(
            self.ROADS, tr("Road network (for the detours)"), [QgsProcessing.SourceType.TypeVectorLine],
            optional=True
        ), tr("Drivable road lines with OSM tags: drawn on the map, and the work's detours and the streets it "
              "cuts off are computed.")))
        inputs.add_gtfs_parameter(self, tr(
            "The bus timetable as a GTFS zip (with ROADS): the bus lines the work makes reroute."))
        self.addParameter(with_help(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("Site sheet"), tr("PDF (*.pdf)")
        ), tr("The sheet as a one-page PDF; the CSVs of its tables are written next to it.")))

    def execute(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        uid = self.parameterAsString(parameters, self.WORK_UID, context).strip()
        works = inputs.read_works(self, parameters, context, feedback, scaled(progress, 0.0, 0.2))
        if uid not in {w.uid for w in works}:
            raise QgsProcessingException(tr("WORK_UID: no valid work of WORKS has the uid '{uid}'").format(uid=uid))
        output = Path(self.parameterAsFileOutput(parameters, self.OUTPUT, context))
        if output.suffix.lower() != ".pdf":
            output = output.with_suffix(".pdf")
        registry = owner_registry(context.project())
        roads_source = self.parameterAsSource(parameters, self.ROADS, context)
        graph = bus = None
        if roads_source is not None:
            graph = inputs.read_graph(self, parameters, context, feedback, progress=scaled(progress, 0.2, 0.4))
            work = next(w for w in works if w.uid == uid)
            bus = inputs.read_bus_network(self, parameters, context, feedback, graph, work.start_date,
                                          work.start_date)
        sheet = work_sheet(works, uid, registry, graph, bus, progress=scaled(progress, 0.4, 0.8))
        content = sheet_map(sheet, registry, roads_source, context.transformContext())
        try:
            written = write_sheet(sheet, content, output, context.project())
        except (OSError, RuntimeError) as error:
            raise QgsProcessingException(cannot_write(output, error)) from error
        progress(1.0)
        feedback.pushInfo(tr("Site sheet of «{title}» written to {path}").format(title=sheet.work.title,
                                                                               path=written.output))
        return {self.OUTPUT: str(written.output), "PAGE_COUNT": written.pages, "CONFLICT_COUNT": len(sheet.conflicts),
                "CSV_FILES": [str(p) for p in written.csvs]}
