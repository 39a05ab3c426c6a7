"""The dock's Works tab: the project's store, its works by status, and validation of any layer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from situation_room_plugin.core.drawing import MAX_WIDTH_M, MIN_WIDTH_M
from situation_room_plugin.gui.draw_tools import DrawController
from situation_room_plugin.gui.works_layers import WorksLayers
from situation_room_plugin.processing import algorithm_id
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.store import Store, StoreError
from situation_room_plugin.qgis_io.styles import apply_works_style
from situation_room_plugin.toolbelt.i18n import error_message, tr
from situation_room_plugin.toolbelt.labels import work_status_labels
from situation_room_plugin.toolbelt.settings import Settings

LOG = logging.getLogger(__name__)

__all__ = ["WorksPanel", "apply_works_style"]  # apply_works_style: qgis_io.styles's, kept importable here


class WorksPanel(QWidget):
    """`works_layers` and `drawing` are the plugin's (the toolbar shares the drawing actions); the panel makes
    its own when built alone, as in tests."""

    #: The project's store was created or opened here (alerts look at it).
    store_changed = pyqtSignal()

    def __init__(self, iface: Any, parent: QWidget | None = None, works_layers: WorksLayers | None = None,
                 drawing: DrawController | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.works_layers = works_layers or WorksLayers(iface, self)
        own_drawing = drawing is None  # the plugin's says its notices in the message bar already
        self.drawing = drawing or DrawController(iface, self.works_layers.store_layer, self)
        layout = QVBoxLayout(self)

        store_box = QGroupBox(tr("Project store"), self)
        store_layout = QVBoxLayout(store_box)
        self.store_label = QLabel(store_box)
        self.store_label.setObjectName("store_label")
        self.store_label.setWordWrap(True)
        store_layout.addWidget(self.store_label)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(tr("New store…"), store_box)
        self.open_button = QPushButton(tr("Open store…"), store_box)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        store_layout.addLayout(buttons)
        self.add_layer_button = QPushButton(tr("Add works layer to map"), store_box)
        store_layout.addWidget(self.add_layer_button)
        organisation_row = QHBoxLayout()
        organisation_row.addWidget(QLabel(tr("My organisation"), store_box))
        self.organisation_combo = QComboBox(store_box)
        self.organisation_combo.setObjectName("organisation_combo")
        self.organisation_combo.setToolTip(tr("The owner of the works you draw"))
        organisation_row.addWidget(self.organisation_combo, 1)
        store_layout.addLayout(organisation_row)
        layout.addWidget(store_box)

        draw_box = QGroupBox(tr("Draw a work"), self)
        draw_layout = QVBoxLayout(draw_box)
        tools = QHBoxLayout()
        for action in (self.drawing.polygon_action, self.drawing.line_action):
            button = QToolButton(draw_box)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(action.objectName() + "_button")
            tools.addWidget(button)
        tools.addStretch(1)
        draw_layout.addLayout(tools)
        draw_form = QFormLayout()
        self.width_spin = QDoubleSpinBox(draw_box)
        self.width_spin.setObjectName("draw_width")
        self.width_spin.setRange(MIN_WIDTH_M, MAX_WIDTH_M)
        self.width_spin.setDecimals(1)
        self.width_spin.setSingleStep(0.5)
        self.width_spin.setSuffix(" m")
        self.width_spin.setValue(self.drawing.width_m)
        draw_form.addRow(tr("Width of a work along a street"), self.width_spin)
        self.width_from_lanes = QCheckBox(tr("From the street's lanes (3.5 m a lane)"), draw_box)
        self.width_from_lanes.setChecked(self.drawing.width_from_lanes)
        draw_form.addRow("", self.width_from_lanes)
        self.roads_combo = QgsMapLayerComboBox(draw_box)
        self.roads_combo.setObjectName("draw_roads")
        self.roads_combo.setFilters(QgsMapLayerProxyModel.Filter.LineLayer)
        self.roads_combo.setAllowEmptyLayer(True)
        self.roads_combo.setLayer(self.drawing.roads_layer())
        draw_form.addRow(tr("Roads to snap to"), self.roads_combo)
        draw_layout.addLayout(draw_form)
        layout.addWidget(draw_box)

        works_box = QGroupBox(tr("Works by status"), self)
        self.counts = QFormLayout(works_box)
        self.count_labels: dict[str, QLabel] = {}
        for status, label in work_status_labels().items():
            value = QLabel("0", works_box)
            value.setObjectName(f"count_{status}")
            self.count_labels[status] = value
            self.counts.addRow(label, value)
        layout.addWidget(works_box)

        self.validate_button = QPushButton(tr("Validate a works layer…"), self)
        self.validate_button.setToolTip(
            tr("Check a layer against the works schema: every problem of every record is reported")
        )
        layout.addWidget(self.validate_button)
        self.add_button = QPushButton(tr("Add the valid works to the store…"), self)
        self.add_button.setObjectName("add_works_button")
        self.add_button.setToolTip(tr("The valid works of the selected layer (a validation result, a partner's "
                                      "shared layer, any works layer) added to the store, or updated by uid"))
        layout.addWidget(self.add_button)
        layout.addStretch(1)

        self.new_button.clicked.connect(self.create_store)
        self.open_button.clicked.connect(self.open_store)
        self.add_layer_button.clicked.connect(self.add_works_layer)
        self.validate_button.clicked.connect(self.validate_layer)
        self.add_button.clicked.connect(self.add_to_store)
        self.organisation_combo.currentIndexChanged.connect(self._organisation_chosen)
        self.width_spin.valueChanged.connect(self.drawing.set_width)
        self.drawing.width_changed.connect(self._width_suggested)
        self.width_from_lanes.toggled.connect(lambda on: setattr(self.drawing, "width_from_lanes", on))
        self.roads_combo.layerChanged.connect(
            lambda layer: setattr(self.drawing, "roads_layer_id", layer.id() if layer is not None else ""))
        if own_drawing:
            self.drawing.notice.connect(self._notice)
        self.works_layers.works_changed.connect(self.refresh)
        QgsProject.instance().readProject.connect(self.refresh)
        self.refresh()

    def _notice(self, text: str, level: Any) -> None:
        self.iface.messageBar().pushMessage(tr("Situation Room"), text, level, 8)

    def _width_suggested(self, width_m: float) -> None:
        if abs(self.width_spin.value() - width_m) > 1e-9:
            self.width_spin.blockSignals(True)
            self.width_spin.setValue(width_m)
            self.width_spin.blockSignals(False)

    def _fill_organisations(self) -> None:
        chosen = Settings.load().organisation
        self.organisation_combo.blockSignals(True)
        self.organisation_combo.clear()
        self.organisation_combo.addItem(tr("(not set)"), "")
        for owner in project_io.owner_registry():
            self.organisation_combo.addItem(owner.name, owner.code)
        index = self.organisation_combo.findData(chosen)
        self.organisation_combo.setCurrentIndex(max(index, 0))
        self.organisation_combo.blockSignals(False)

    def _organisation_chosen(self, index: int) -> None:
        settings = Settings.load()
        settings.organisation = self.organisation_combo.itemData(index) or ""
        settings.save()
        layer = self.works_layers.store_layer(add=False)
        if layer is not None:  # the form's default owner follows
            self.works_layers.prepare(layer)

    def refresh(self, *args: Any) -> None:
        path = project_io.store_path()
        counts: dict[str, int] = {}
        if path is None:
            self.store_label.setText(tr("This project has no store yet: create one to keep its works."))
        elif not path.exists():
            self.store_label.setText(tr("The project's store {path} is missing.").format(path=path))
        else:
            try:
                with Store.open(path, create=False) as store:
                    counts = store.count_by_status()
                self.store_label.setText(tr("Store: {path}").format(path=path))
            except StoreError as error:
                self.store_label.setText(error_message(error))
        for status, label in self.count_labels.items():
            label.setText(str(counts.get(status, 0)))
        self.add_layer_button.setEnabled(path is not None and path.exists())
        self._fill_organisations()

    def _use_store(self, path: Path, create: bool) -> None:
        try:
            Store.open(path, create=create).close()
        except StoreError as error:
            self.iface.messageBar().pushMessage(tr("Situation Room"), error_message(error),
                                                Qgis.MessageLevel.Critical)
            return
        project_io.set_store_path(path)
        LOG.info("project store set to %s", path)
        self.refresh()
        self.store_changed.emit()

    def create_store(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("New project store"), "", tr("GeoPackage (*.gpkg)"))
        if name:
            path = Path(name if name.endswith(".gpkg") else f"{name}.gpkg")
            self._use_store(path, create=True)

    def open_store(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Open project store"), "", tr("GeoPackage (*.gpkg)"))
        if name:
            self._use_store(Path(name), create=False)

    def add_works_layer(self) -> QgsVectorLayer | None:
        """The store's works layer on the map (styled by organisation, with the works form)."""
        path = project_io.store_path()
        if path is None:
            return None
        layer = self.works_layers.store_layer(add=True)
        if layer is None:
            self.iface.messageBar().pushMessage(
                tr("Situation Room"), tr("Cannot open the works layer of {path}").format(path=path),
                Qgis.MessageLevel.Critical,
            )
        return layer

    def add_to_store(self) -> None:
        """Run Add the valid works to the store on the selected layer; then the counts and the map follow."""
        import processing

        layer = self.iface.activeLayer()
        params = {"INPUT": layer} if isinstance(layer, QgsVectorLayer) else {}
        processing.execAlgorithmDialog(algorithm_id("add_works_to_store"), params)
        stored = self.works_layers.store_layer(add=False)
        if stored is not None and not stored.isModified():  # unsaved edits of the layer stay as they are
            stored.reload()
            stored.triggerRepaint()
        self.works_layers.works_changed.emit()  # the counts, the Conflicts tab and the alerts follow

    def validate_layer(self) -> None:
        import processing  # QGIS's Processing plugin, present in every desktop QGIS

        layer = self.iface.activeLayer()
        params = {"INPUT": layer} if isinstance(layer, QgsVectorLayer) else {}
        processing.execAlgorithmDialog(algorithm_id("validate_works"), params)
