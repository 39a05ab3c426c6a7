"""The dock's Reports tab: the coordination report of a period (PDF or HTML, with a CSV of every table) and the
site sheet of the selected work, through gui/report_actions.py (the analysis in a background task)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from situation_room_plugin.gui.draw_tools import is_roads_layer
from situation_room_plugin.gui.layer_choice import prefer_layer
from situation_room_plugin.gui.report_actions import ReportRequest, start_report, start_work_sheet
from situation_room_plugin.gui.tasks import TaskRunner, WorkflowTask
from situation_room_plugin.qgis_io.conflict_layers import CONFLICTS_LAYER_PROPERTY
from situation_room_plugin.qgis_io.reports.render import HTML, PDF
from situation_room_plugin.qgis_io.works_form import is_works_layer
from situation_room_plugin.toolbelt.i18n import tr

#: The period a new report covers by default: the coming month.
DEFAULT_DAYS = 30


class ReportsPanel(QWidget):
    def __init__(self, iface: Any, parent: QWidget | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.tasks = tasks or TaskRunner()
        self.task: WorkflowTask | None = None
        layout = QVBoxLayout(self)

        inputs = QGroupBox(tr("What the reports show"), self)
        form = QFormLayout(inputs)
        self.works_combo = self._combo(QgsMapLayerProxyModel.Filter.PolygonLayer, allow_empty=False)
        form.addRow(tr("Works"), self.works_combo)
        self.conflicts_combo = self._combo(QgsMapLayerProxyModel.Filter.PolygonLayer)
        form.addRow(tr("Conflicts"), self.conflicts_combo)
        self.roads_combo = self._combo(QgsMapLayerProxyModel.Filter.LineLayer)
        form.addRow(tr("Roads (detours, cut-off streets)"), self.roads_combo)
        self.gtfs_widget = QgsFileWidget(self)
        self.gtfs_widget.setFilter(tr("GTFS (*.zip)"))
        form.addRow(tr("Bus network (GTFS zip)"), self.gtfs_widget)
        layout.addWidget(inputs)

        report_box = QGroupBox(tr("Coordination report"), self)
        report_form = QFormLayout(report_box)
        today = QDate.currentDate()
        self.start_edit = QDateEdit(today, report_box)
        self.end_edit = QDateEdit(today.addDays(DEFAULT_DAYS), report_box)
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
        report_form.addRow(tr("From"), self.start_edit)
        report_form.addRow(tr("To"), self.end_edit)
        self.format_combo = QComboBox(report_box)
        self.format_combo.addItem(tr("PDF (print layout)"), PDF)
        self.format_combo.addItem(tr("HTML (web page)"), HTML)
        report_form.addRow(tr("Format"), self.format_combo)
        self.report_button = QPushButton(tr("Write the coordination report…"), report_box)
        self.report_button.setObjectName("situation_room_report_button")
        self.report_button.setToolTip(tr("Map of the works by organisation and their conflicts, the conflicts with "
                                         "their decisions, detours, cut-off streets, bus routes, a summary per "
                                         "organisation and the day-by-day impact; a CSV of every table beside it"))
        report_form.addRow(self.report_button)
        layout.addWidget(report_box)

        sheet_box = QGroupBox(tr("Site sheet"), self)
        sheet_layout = QVBoxLayout(sheet_box)
        sheet_layout.addWidget(QLabel(tr("One page for the site plan of the work selected on the map: its map, "
                                         "data, conflicts, detour and bus lines."), sheet_box))
        self.sheet_button = QPushButton(tr("Write the site sheet of the selected work…"), sheet_box)
        self.sheet_button.setObjectName("situation_room_sheet_button")
        sheet_layout.addWidget(self.sheet_button)
        layout.addWidget(sheet_box)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.report_button.clicked.connect(lambda: self.write_report())
        self.sheet_button.clicked.connect(lambda: self.write_sheet())
        QgsProject.instance().layersAdded.connect(self.choose_defaults)
        self.choose_defaults()

    def _combo(self, kind: Any, allow_empty: bool = True) -> QgsMapLayerComboBox:
        combo = QgsMapLayerComboBox(self)
        combo.setFilters(kind)
        combo.setAllowEmptyLayer(allow_empty)
        if allow_empty:
            combo.setLayer(None)
        return combo

    def choose_defaults(self, added: Any = None) -> None:
        """The store's works, the dock's conflicts and the roads, unless others of their kind were chosen."""
        prefer_layer(self.works_combo, is_works_layer, added)
        prefer_layer(self.conflicts_combo, lambda lyr: bool(lyr.customProperty(CONFLICTS_LAYER_PROPERTY, False)),
                     added)
        prefer_layer(self.roads_combo, is_roads_layer, added)

    def _request(self, output: Path) -> ReportRequest | None:
        works = self.works_combo.currentLayer()
        if not isinstance(works, QgsVectorLayer):
            self.status.setText(tr("Choose the works layer first."))
            return None
        conflicts, roads = self.conflicts_combo.currentLayer(), self.roads_combo.currentLayer()
        return ReportRequest(works=works, output=output,
                             conflicts=conflicts if isinstance(conflicts, QgsVectorLayer) else None,
                             start=self.start_edit.date().toPyDate(), end=self.end_edit.date().toPyDate(),
                             fmt=self.format_combo.currentData(),
                             roads=roads if isinstance(roads, QgsVectorLayer) else None,
                             gtfs=self.gtfs_widget.filePath())

    def write_report(self, output: str | None = None) -> WorkflowTask | None:
        fmt = self.format_combo.currentData()
        if output is None:
            wanted = tr("PDF (*.pdf)") if fmt == PDF else tr("HTML (*.html)")
            output, _ = QFileDialog.getSaveFileName(self, tr("Coordination report"), "", wanted)
        if not output:
            return None
        path = Path(output)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_suffix(f".{fmt}")
        request = self._request(path)
        if request is None:
            return None
        self.task = start_report(self.iface, self.tasks, request, done=self._written)
        if self.task is not None:
            self.status.setText(tr("Writing {file}…").format(file=path.name))
        return self.task

    def write_sheet(self, output: str | None = None) -> WorkflowTask | None:
        works = self.works_combo.currentLayer()
        selected = works.selectedFeatures() if isinstance(works, QgsVectorLayer) else []
        if len(selected) != 1:
            self.status.setText(tr("Select one work on the map (in the works layer chosen above) first."))
            return None
        uid = str(selected[0]["uid"])
        if output is None:
            output, _ = QFileDialog.getSaveFileName(self, tr("Site sheet"), f"{uid}.pdf", tr("PDF (*.pdf)"))
        if not output:
            return None
        path = Path(output).with_suffix(".pdf")
        request = self._request(path)
        if request is None:
            return None
        request.work_uid = uid
        self.task = start_work_sheet(self.iface, self.tasks, request, done=self._written)
        if self.task is not None:
            self.status.setText(tr("Writing {file}…").format(file=path.name))
        return self.task

    def _written(self, written: Any) -> None:
        self.task = None
        self.status.setText(tr("Written: {path}").format(path=written.output))
