"""The dock's Works tab: the project's store, its works by status, and validation of any layer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from situation_room_plugin.processing import algorithm_id
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.store import Store, StoreError, works_layer_uri
from situation_room_plugin.qgis_io.styles import apply_works_style
from situation_room_plugin.toolbelt.i18n import error_message, tr
from situation_room_plugin.toolbelt.labels import work_status_labels

LOG = logging.getLogger(__name__)

__all__ = ["WorksPanel", "apply_works_style"]  # apply_works_style: qgis_io.styles's, kept importable here


class WorksPanel(QWidget):
    def __init__(self, iface: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
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
        layout.addWidget(store_box)

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
        layout.addStretch(1)

        self.new_button.clicked.connect(self.create_store)
        self.open_button.clicked.connect(self.open_store)
        self.add_layer_button.clicked.connect(self.add_works_layer)
        self.validate_button.clicked.connect(self.validate_layer)
        QgsProject.instance().readProject.connect(self.refresh)
        self.refresh()

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

    def create_store(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("New project store"), "", tr("GeoPackage (*.gpkg)"))
        if name:
            path = Path(name if name.endswith(".gpkg") else f"{name}.gpkg")
            self._use_store(path, create=True)

    def open_store(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Open project store"), "", tr("GeoPackage (*.gpkg)"))
        if name:
            self._use_store(Path(name), create=False)

    def add_works_layer(self) -> None:
        path = project_io.store_path()
        if path is None:
            return
        layer = QgsVectorLayer(works_layer_uri(path), tr("Works"), "ogr")
        if not layer.isValid():
            self.iface.messageBar().pushMessage(
                tr("Situation Room"), tr("Cannot open the works layer of {path}").format(path=path),
                Qgis.MessageLevel.Critical,
            )
            return
        apply_works_style(layer, project_io.owner_registry())
        QgsProject.instance().addMapLayer(layer)

    def validate_layer(self) -> None:
        import processing  # QGIS's Processing plugin, present in every desktop QGIS

        layer = self.iface.activeLayer()
        params = {"INPUT": layer} if isinstance(layer, QgsVectorLayer) else {}
        processing.execAlgorithmDialog(algorithm_id("validate_works"), params)
