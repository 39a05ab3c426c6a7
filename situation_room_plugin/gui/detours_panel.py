"""The dock's Detours tab: a day's detours, cut-off roads and bus lines, computed in the background by the
same algorithm Processing runs (situation_room:detour_analysis) and added to the map as layers."""

from __future__ import annotations

import logging
from typing import Any

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapLayerProxyModel,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import QDateEdit, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from situation_room_plugin.gui.draw_tools import is_roads_layer
from situation_room_plugin.gui.layer_choice import prefer_layer
from situation_room_plugin.gui.tasks import TaskRunner
from situation_room_plugin.gui.temporal import show_day
from situation_room_plugin.processing import algorithm_id
from situation_room_plugin.qgis_io.styles import LINE_STYLES, apply_detours_style, style_roads_unless_chosen
from situation_room_plugin.qgis_io.temporal import set_layer_day
from situation_room_plugin.qgis_io.works_form import is_works_layer
from situation_room_plugin.toolbelt.i18n import tr

LOG = logging.getLogger(__name__)

__all__ = ["LINE_STYLES", "DetoursPanel", "style_output"]

ALGORITHM = algorithm_id("detour_analysis")
OUTPUTS = ("OUTPUT_DETOURS", "OUTPUT_CUTOFF", "OUTPUT_BUS")

def style_output(layer: QgsVectorLayer, output: str) -> None:
    """Kept for callers of the old name: qgis_io.styles draws every output."""
    apply_detours_style(layer, output)


class DetoursPanel(QWidget):
    def __init__(self, iface: Any, parent: QWidget | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.tasks = tasks or TaskRunner()
        self.task: QgsProcessingAlgRunnerTask | None = None
        self._context: QgsProcessingContext | None = None
        self._feedback: QgsProcessingFeedback | None = None
        self.added_layers: list[str] = []

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.roads_combo = QgsMapLayerComboBox(self)
        self.roads_combo.setObjectName("detours_roads")
        self.roads_combo.setFilters(QgsMapLayerProxyModel.Filter.LineLayer)
        self.works_combo = QgsMapLayerComboBox(self)
        self.works_combo.setObjectName("detours_works")
        self.works_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.date_edit = QDateEdit(QDate.currentDate(), self)
        self.date_edit.setObjectName("detours_date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.gtfs_widget = QgsFileWidget(self)
        self.gtfs_widget.setObjectName("detours_gtfs")
        self.gtfs_widget.setFilter(tr("GTFS feed (*.zip)"))
        form.addRow(tr("Roads"), self.roads_combo)
        form.addRow(tr("Works"), self.works_combo)
        QgsProject.instance().layersAdded.connect(self.choose_defaults)
        self.choose_defaults()
        form.addRow(tr("Date"), self.date_edit)
        form.addRow(tr("Bus network (GTFS zip)"), self.gtfs_widget)
        layout.addLayout(form)
        self.run_button = QPushButton(tr("Show the detours of the day"), self)
        self.run_button.setObjectName("detours_run")
        layout.addWidget(self.run_button)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("detours_status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.run_button.clicked.connect(self.run)
        self.date_edit.dateChanged.connect(self.show_day)

    def show_day(self, *args: Any) -> None:
        """The map follows the tab's date (the Temporal Controller on that day)."""
        if self.iface is not None:
            show_day(self.iface, self.date_edit.date())

    def parameters(self) -> dict[str, Any] | None:
        """The algorithm's parameters from the form; None (and a message) when a layer is missing."""
        roads, works = self.roads_combo.currentLayer(), self.works_combo.currentLayer()
        if roads is None or works is None:
            self.status_label.setText(tr("Choose a road layer and a works layer."))
            return None
        params: dict[str, Any] = {"ROADS": roads.id(), "WORKS": works.id(),
                                  "DATE": self.date_edit.date().toString("yyyy-MM-dd")}
        if self.gtfs_widget.filePath():
            params["GTFS"] = self.gtfs_widget.filePath()
        params.update({name: "memory:" for name in OUTPUTS})
        return params

    def choose_defaults(self, added: Any = None) -> None:
        """The store's works (not the conflicts layer, a polygon layer too) and the roads, unless chosen."""
        prefer_layer(self.works_combo, is_works_layer, added)
        prefer_layer(self.roads_combo, is_roads_layer, added)

    def run(self) -> QgsProcessingAlgRunnerTask | None:
        """Start the analysis as a background task (progress and cancel in QGIS's task manager)."""
        params = self.parameters()
        if params is None:
            return None
        self.show_day()
        style_roads_unless_chosen(self.roads_combo.currentLayer())
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(ALGORITHM)
        if algorithm is None:
            self.status_label.setText(tr("The Situation Room Processing provider is not loaded."))
            return None
        self._context = QgsProcessingContext()
        self._context.setProject(QgsProject.instance())
        self._feedback = QgsProcessingFeedback()
        self.task = QgsProcessingAlgRunnerTask(algorithm, params, self._context, self._feedback)
        self.task.executed.connect(self._finished)
        self.run_button.setEnabled(False)
        self.status_label.setText(tr("Computing the detours of {day}…").format(day=params["DATE"]))
        self.tasks.start(self.task, detach=lambda task=self.task: task.executed.disconnect(self._finished))
        return self.task

    def _finished(self, ok: bool, results: dict[str, Any]) -> None:
        self.run_button.setEnabled(True)
        self.task = None
        day = self.date_edit.date().toString("yyyy-MM-dd")
        if not ok:
            self.status_label.setText(tr("The detour analysis failed: see the Processing log."))
            if self.iface is not None:
                self.iface.messageBar().pushMessage(tr("Situation Room"), self.status_label.text(),
                                                    Qgis.MessageLevel.Warning)
            return
        names = {"OUTPUT_DETOURS": tr("Detours {day}"), "OUTPUT_CUTOFF": tr("Cut-off roads {day}"),
                 "OUTPUT_BUS": tr("Bus lines to reroute {day}")}
        self.added_layers = []
        for output in OUTPUTS:
            layer = self._context.takeResultLayer(results.get(output, "")) if self._context else None
            if layer is None:
                continue
            layer.setName(names[output].format(day=day))
            apply_detours_style(layer, output)
            set_layer_day(layer, self.date_edit.date())
            QgsProject.instance().addMapLayer(layer)
            self.added_layers.append(layer.id())
        self.status_label.setText(
            tr("{day}: {detours} detours ({none} without a way round), {cutoff} roads cut off, "
               "{routes} bus routes to reroute").format(
                day=day, detours=results.get("DETOUR_COUNT", 0), none=results.get("NO_DETOUR_COUNT", 0),
                cutoff=results.get("CUTOFF_COUNT", 0), routes=results.get("BUS_ROUTE_COUNT", 0))
        )
        LOG.info("detours of %s added to the map", day)
