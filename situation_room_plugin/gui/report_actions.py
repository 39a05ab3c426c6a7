"""What the dock's two report buttons do: the coordination report of a period and a work's site sheet, their
analysis (detours, timeline, bus routes, conflicts) in a background task, the print layout exported on the
main thread when it ends, and one line in the message bar with a button that opens the file.

The lead's dock wires its buttons to `start_report` and `start_work_sheet`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QPushButton

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.transit import BusNetwork
from situation_room_plugin.gui.tasks import TaskRunner, WorkflowTask
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.project import owner_registry, store_path
from situation_room_plugin.qgis_io.reports.read import ReportInputError, read_conflicts, read_detours
from situation_room_plugin.qgis_io.reports.render import (
    PDF,
    WrittenReport,
    report_map,
    sheet_map,
    write_report,
    write_sheet,
)
from situation_room_plugin.toolbelt.i18n import error_message, tr
from situation_room_plugin.workflows.network import bus_network, project_graph
from situation_room_plugin.workflows.reports import PeriodError, build_report, check_period, work_sheet

LOG = logging.getLogger(__name__)


@dataclass
class ReportRequest:
    """What the dock asks for: the layers (read on the main thread), the period, the file."""

    works: QgsVectorLayer
    output: Path
    conflicts: QgsVectorLayer | None = None  # the report's (a layer of Detect conflicts)
    start: date | None = None
    end: date | None = None
    fmt: str = PDF
    detours: QgsVectorLayer | None = None
    roads: QgsVectorLayer | None = None
    gtfs: str = ""
    work_uid: str = ""  # the sheet's


def _warn(iface: Any, text: str) -> None:
    if iface is not None:
        iface.messageBar().pushMessage(tr("Situation Room"), text, Qgis.MessageLevel.Warning)
    LOG.warning("%s", text)


def show_written(iface: Any, written: WrittenReport, text: str) -> Any:
    """One line in the message bar naming the file, with a button that opens it; the item pushed."""
    if iface is None:
        return None
    bar = iface.messageBar()
    item = bar.createMessage(tr("Situation Room"), text)
    button = QPushButton(tr("Open"), item)
    button.setObjectName("situation_room_open_report")
    button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(written.output))))
    item.layout().addWidget(button)
    return bar.pushWidget(item, Qgis.MessageLevel.Success, 0)


def _graph(request: ReportRequest) -> RoadGraph | None:
    """The road graph, read here on the main thread (a map layer may not be read from a task); the project's
    store keeps it, so that only the first report of a road layer waits for it."""
    if request.roads is None:
        return None
    return project_graph(request.roads, store_path(), QgsProject.instance().transformContext(), False).graph


def _bus(request: ReportRequest, graph: RoadGraph | None, first: date, last: date) -> BusNetwork | None:
    if graph is None or not request.gtfs:
        return None
    return bus_network(request.gtfs, graph, first, last).network


def _start(iface: Any, tasks: TaskRunner, description: str, work: Callable[[Progress], Any],
           finish: Callable[[Any], WrittenReport], message: Callable[[WrittenReport], str],
           done: Callable[[WrittenReport], None] | None) -> WorkflowTask:
    def finished(result: Any) -> None:
        try:
            written = finish(result)
        except (OSError, RuntimeError, ReportInputError) as error:
            _warn(iface, tr("{task} failed: {error}").format(task=description, error=error))
            return
        show_written(iface, written, message(written))
        if done is not None:
            done(written)

    def failed(text: str) -> None:
        _warn(iface, text)

    return tasks.run(description, work, finished, failed)


def start_report(iface: Any, tasks: TaskRunner, request: ReportRequest,
                 done: Callable[[WrittenReport], None] | None = None) -> WorkflowTask | None:
    """The coordination report of `request` (works, conflicts, period, format, file): layers read now, the
    analysis in a task, the layout exported when it ends. None (and a message) when the request cannot run."""
    if request.conflicts is None or request.start is None or request.end is None:
        _warn(iface, tr("Choose the works, the conflicts layer and the period of the report."))
        return None
    registry = owner_registry()
    context = QgsProject.instance().transformContext()
    start, end = request.start, request.end
    try:
        works = layers.read_works(request.works, registry, ref_prefix=request.works.name(),
                                  transform_context=context).works
        conflicts = read_conflicts(request.conflicts)
        detours = read_detours(request.detours, works) if request.detours is not None else []
        graph = _graph(request)
        bus = _bus(request, graph, start, end)
    except ReportInputError as error:
        _warn(iface, str(error))
        return None
    except SituationRoomError as error:  # a road layer or GTFS that cannot be read: its message
        _warn(iface, error_message(error))
        return None
    try:
        check_period(start, end)
    except PeriodError:
        _warn(iface, tr("The report ends on {end}, before it starts ({start}).").format(
            end=end.isoformat(), start=start.isoformat()) if end < start
            else tr("The period of the report is too long."))
        return None

    def work(progress: Progress) -> Any:
        return build_report(works, conflicts, start, end, registry, graph, bus, detours, progress)

    def finish(report: Any) -> WrittenReport:
        content = report_map(report, registry, request.conflicts, request.detours, request.roads, context)
        return write_report(report, content, request.output, request.fmt)

    return _start(iface, tasks, tr("Coordination report"), work, finish,
                  lambda written: tr("Report written: {path}").format(path=written.output), done)


def start_work_sheet(iface: Any, tasks: TaskRunner, request: ReportRequest,
                     done: Callable[[WrittenReport], None] | None = None) -> WorkflowTask | None:
    """The site sheet of the work `request.work_uid` of `request.works` (with the roads and GTFS when given)."""
    registry = owner_registry()
    context = QgsProject.instance().transformContext()
    try:
        works = layers.read_works(request.works, registry, ref_prefix=request.works.name(),
                                  transform_context=context).works
        chosen = next((w for w in works if w.uid == request.work_uid), None)
        if chosen is None:
            _warn(iface, tr("No valid work of {layer} has the uid '{uid}'.").format(
                layer=request.works.name(), uid=request.work_uid))
            return None
        graph = _graph(request)
        bus = _bus(request, graph, chosen.start_date, chosen.start_date)
    except SituationRoomError as error:
        _warn(iface, error_message(error))
        return None

    def work(progress: Progress) -> Any:
        return work_sheet(works, request.work_uid, registry, graph, bus, progress=progress)

    def finish(sheet: Any) -> WrittenReport:
        return write_sheet(sheet, sheet_map(sheet, registry, request.roads, context), request.output)

    return _start(iface, tasks, tr("Site sheet"), work, finish,
                  lambda written: tr("Site sheet written: {path}").format(path=written.output), done)
