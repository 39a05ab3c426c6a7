"""The dock's Conflicts tab: detect the conflicts of the project's works, decide on each (status, note, kept
in the store), zoom to it, and load sensitive places and parking from OpenStreetMap."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateTransformContext,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from situation_room_plugin.core import conflicts as engine
from situation_room_plugin.core.conflicts import ConflictKind, ConflictOptions
from situation_room_plugin.core.decisions import Decision, DecisionStatus
from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.progress import Progress, no_progress
from situation_room_plugin.gui.layer_choice import marked_layer
from situation_room_plugin.gui.map_canvas import zoom_to_area
from situation_room_plugin.gui.tasks import TaskRunner, WorkflowTask
from situation_room_plugin.processing import algorithm_id
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.conflict_layers import (
    CONFLICTS_LAYER_PROPERTY,
    PlaceLayers,
    conflicts_memory_layer,
    fill_conflicts_layer,
    read_place_layers,
)
from situation_room_plugin.qgis_io.decisions import set_decision
from situation_room_plugin.qgis_io.osm import OsmError, OsmPlaceRows, places_layers, read_osm_places
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.qgis_io.styles import apply_conflicts_style, apply_places_style
from situation_room_plugin.toolbelt.i18n import error_message, problem_message, tr
from situation_room_plugin.toolbelt.labels import conflict_kind_labels, decision_status_labels, owner_name
from situation_room_plugin.toolbelt.settings import Settings
from situation_room_plugin.workflows.conflicts import ConflictRun, detect_conflicts, most_pressing_first, store_works

LOG = logging.getLogger(__name__)

#: What the room decides (status, note) right after the kind: the dock is narrow, the rest scrolls.
COLUMNS = ("kind", "status", "note", "severity", "work", "with", "dates")


class ConflictsPanel(QWidget):
    #: A detection ended: its ConflictRun (the plugin looks for alerts then).
    detected = pyqtSignal(object)

    def __init__(self, iface: Any, parent: QWidget | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.tasks = tasks or TaskRunner()
        self.outcome: ConflictRun | None = None
        self.conflicts: list[engine.Conflict] = []  # the outcome's, most pressing first
        self.task: WorkflowTask | None = None
        self.osm_task: WorkflowTask | None = None
        self._rerun = False  # works edited while a detection ran
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.distance = QDoubleSpinBox(self)
        self.distance.setRange(0, 500)
        self.distance.setSuffix(" m")
        self.distance.setValue(Settings.load().conflict_distance_m)
        form.addRow(tr("Distance"), self.distance)
        self.protected_combo = self._layer_combo(tr("No protected streets"))
        form.addRow(tr("Protected streets"), self.protected_combo)
        self.sensitive_combo = self._layer_combo(tr("No sensitive places"))
        form.addRow(tr("Sensitive places"), self.sensitive_combo)
        self.parking_combo = self._layer_combo(tr("No parking"))
        form.addRow(tr("Parking"), self.parking_combo)
        self.shared_check = QCheckBox(tr("Include the shared layers' works"), self)
        self.shared_check.setToolTip(tr("Also look for conflicts with the partners' works in the offline copies "
                                        "of the shared layers (refresh them in the Shared layers tab)"))
        self.shared_check.setChecked(True)
        form.addRow("", self.shared_check)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.detect_button = QPushButton(tr("Detect conflicts"), self)
        self.detect_button.setToolTip(tr("Find the conflicts of the works in the project's store"))
        self.osm_button = QPushButton(tr("Places from OSM…"), self)
        self.osm_button.setToolTip(tr("Load schools, hospitals, bus stops and parking from an .osm.pbf file"))
        self.more_button = QPushButton(tr("More options…"), self)
        self.more_button.setToolTip(tr("Open Detect conflicts in Processing (any works layer, several layers)"))
        for button in (self.detect_button, self.osm_button, self.more_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        filters = QHBoxLayout()
        self.open_only = QCheckBox(tr("Open only"), self)
        self.show_gone = QCheckBox(tr("Show conflicts no longer found"), self)
        filters.addWidget(self.open_only)
        filters.addWidget(self.show_gone)
        layout.addLayout(filters)

        self.summary = QLabel(self)
        self.summary.setObjectName("conflicts_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("conflicts_table")
        self.table.setHorizontalHeaderLabels([
            tr("Kind"), tr("Status"), tr("Note"), tr("Severity"), tr("Work"), tr("With"), tr("Dates")
        ])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        layout.addWidget(self.table, 1)

        self.detect_button.clicked.connect(self.detect)
        self.osm_button.clicked.connect(self.load_osm)
        self.more_button.clicked.connect(self.open_algorithm)
        self.open_only.toggled.connect(self.fill_table)
        self.show_gone.toggled.connect(self.fill_table)
        self.table.itemChanged.connect(self._note_changed)
        self.table.cellDoubleClicked.connect(self.zoom_to_row)
        self.summary.setText(tr("Detect the conflicts of the project's works."))

    def _layer_combo(self, empty: str) -> QgsMapLayerComboBox:
        combo = QgsMapLayerComboBox(self)
        combo.setFilters(QgsMapLayerProxyModel.Filter.VectorLayer)
        combo.setAllowEmptyLayer(True)
        combo.setLayer(None)
        combo.setToolTip(empty)
        return combo

    # -- detection ---------------------------------------------------------------------------------------

    def _place_layers(self) -> PlaceLayers:
        def chosen(combo: QgsMapLayerComboBox) -> QgsVectorLayer | None:
            layer = combo.currentLayer()
            return layer if isinstance(layer, QgsVectorLayer) else None

        sensitive = chosen(self.sensitive_combo)
        return PlaceLayers(protected=chosen(self.protected_combo), sensitive=[sensitive] if sensitive else [],
                           parking=chosen(self.parking_combo))

    def detect(self, *args: Any, wait: bool = False) -> None:
        """Run the detection in a background task (`wait`: in the foreground, for tests and scripts).

        The place layers are read here, on the main thread (layers are not thread-safe); the store's works,
        the engine and the decisions run in the task, through the workflow Processing runs too."""
        path = project_io.store_path()
        if path is None or not path.exists():
            self.summary.setText(tr("This project has no store yet: create one in the Works tab."))
            return
        try:
            places = read_place_layers(self._place_layers(), QgsProject.instance().transformContext())
        except SituationRoomError as error:
            self._message(error_message(error))
            return
        for problem in places.problems:
            LOG.warning("%s: %s", problem.record, problem_message(problem))
        options = ConflictOptions(distance_m=self.distance.value())
        shared = self.shared_check.isChecked()

        def work(progress: Progress) -> ConflictRun:
            found = store_works(path, include_shared=shared)
            return detect_conflicts(found.works, places, options, path, excluded_uids=found.excluded_uids,
                                    progress=progress)

        if wait:
            self._show(work(no_progress))
            return
        self.detect_button.setEnabled(False)
        self.summary.setText(tr("Detecting conflicts…"))
        self.task = self.tasks.run(tr("Situation Room: detect conflicts"), work, self._show, self._failed)

    def works_edited(self, *args: Any) -> None:
        """The works changed (an edit saved): the conflicts shown are detected again, in a task; nothing when
        no detection has been shown yet, or one is running (it reads the works as they are now)."""
        if self.outcome is None:
            return
        if self.task is not None:  # it may have read the works before this edit: again when it ends
            self._rerun = True
            return
        self.detect()

    def _again_if_edited(self) -> None:
        if self._rerun:
            self._rerun = False
            self.detect()

    def _failed(self, message: str) -> None:
        self.detect_button.setEnabled(True)
        self.task = None
        self._again_if_edited()
        self._message(message)
        LOG.error("conflict detection failed: %s", message)

    def _show(self, outcome: ConflictRun) -> None:
        self.detect_button.setEnabled(True)
        self.task = None
        self.outcome = outcome
        self.conflicts = most_pressing_first(outcome)
        counts = {kind.value: outcome.count(kind) for kind in ConflictKind}
        self.summary.setText(tr(
            "{works} works: {clash} clashes, {opportunity} opportunities, {moratorium} moratorium breaches, "
            "{sensitive} sensitive places, {parking} parking conflicts; {gone} no longer found."
        ).format(works=outcome.works, gone=len(outcome.gone), **counts))
        self.fill_table()
        self.draw_on_map()
        self.detected.emit(outcome)
        self._again_if_edited()

    def draw_on_map(self) -> QgsVectorLayer | None:
        """The conflicts found, on the map by kind and severity: one layer, its features replaced at each
        detection (the decisions with them)."""
        if self.outcome is None or self.iface is None:
            return None
        project = QgsProject.instance()
        layer = marked_layer(CONFLICTS_LAYER_PROPERTY)
        if layer is None:
            layer = conflicts_memory_layer(tr("Conflicts"), self.conflicts, self.outcome.decisions)
            apply_conflicts_style(layer)
            project.addMapLayer(layer)
        else:
            fill_conflicts_layer(layer, self.conflicts, self.outcome.decisions)
        return layer

    def _message(self, text: str) -> None:
        self.summary.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("Situation Room"), text, Qgis.MessageLevel.Warning)

    # -- the table ---------------------------------------------------------------------------------------

    def visible_rows(self) -> list[tuple[engine.Conflict | None, Decision]]:
        if self.outcome is None:
            return []
        rows: list[tuple[engine.Conflict | None, Decision]] = [
            (c, self.outcome.decisions[c.conflict_id]) for c in self.conflicts
        ]
        if self.show_gone.isChecked():
            rows += [(None, d) for d in self.outcome.gone]
        if self.open_only.isChecked():
            rows = [(c, d) for c, d in rows if d.status == DecisionStatus.OPEN.value]
        return rows

    def fill_table(self, *args: Any) -> None:
        self.table.blockSignals(True)
        rows = self.visible_rows()
        self.table.setRowCount(len(rows))
        kinds, statuses = conflict_kind_labels(), decision_status_labels()
        owners = project_io.owner_registry()
        for row, (conflict, decision) in enumerate(rows):
            if conflict is not None:
                dates = " – ".join(d.isoformat() for d in (conflict.overlap_start, conflict.overlap_end) if d)
                if conflict.kind == "opportunity":
                    dates = tr("{days} days apart").format(days=conflict.gap_days)
                values = {"kind": kinds[conflict.kind], "severity": f"{conflict.severity:.0f}",
                          "work": _titled(conflict.title_a, conflict.owner_a, owners),
                          "with": _titled(conflict.title_b, conflict.owner_b, owners), "dates": dates}
            else:
                gone = tr("no longer found since {date}").format(date=decision.gone_since.isoformat())
                values = {"kind": kinds.get(decision.kind, decision.kind), "severity": "", "work": decision.uid_a,
                          "with": decision.uid_b, "dates": gone}
            for name, value in values.items():
                column = COLUMNS.index(name)
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, decision.conflict_id)
                self.table.setItem(row, column, item)
            combo = QComboBox(self.table)
            for status, label in statuses.items():
                combo.addItem(label, status)
            combo.setCurrentIndex(max(0, combo.findData(decision.status)))
            combo.currentIndexChanged.connect(
                lambda _, cid=decision.conflict_id, box=combo: self.decide(cid, status=box.currentData())
            )
            self.table.setCellWidget(row, COLUMNS.index("status"), combo)
            note = QTableWidgetItem(decision.note)
            note.setData(Qt.ItemDataRole.UserRole, decision.conflict_id)
            self.table.setItem(row, COLUMNS.index("note"), note)
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    def _note_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == COLUMNS.index("note"):
            self.decide(item.data(Qt.ItemDataRole.UserRole), note=item.text())

    def decide(self, conflict_id: str, status: str | None = None, note: str | None = None) -> None:
        """Keep a decision in the store at once: nothing is lost if QGIS closes."""
        path = project_io.store_path()
        if path is None or self.outcome is None:
            return
        current = self.outcome.decisions.get(conflict_id) or next(
            (d for d in self.outcome.gone if d.conflict_id == conflict_id), None
        )
        if current is None:
            return
        with Store.open(path, create=False) as store:
            decision = set_decision(store, conflict_id, status or current.status, note, Settings.load().user())
        if conflict_id in self.outcome.decisions:
            self.outcome.decisions[conflict_id] = decision
        else:
            self.outcome.gone = [decision if d.conflict_id == conflict_id else d for d in self.outcome.gone]

    def zoom_to_row(self, row: int, column: int) -> None:
        rows = self.visible_rows()
        if self.iface is None or row >= len(rows) or rows[row][0] is None:
            return
        zoom_to_area(self.iface, engine.as_area(rows[row][0].geometry))

    # -- OpenStreetMap and Processing -------------------------------------------------------------------

    def load_osm(self, *args: Any, path: str | None = None, wait: bool = False) -> list[QgsVectorLayer]:
        """Read the places of an OpenStreetMap extract in a background task (with progress and cancel), then
        put them on the map, quietly styled, and choose them for the detection (`wait`: in the foreground,
        returning the layers added)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, tr("OpenStreetMap extract"), "",
                                                  tr("OpenStreetMap (*.osm.pbf *.pbf *.osm)"))
        if not path:
            return []
        context = QgsCoordinateTransformContext(QgsProject.instance().transformContext())  # a copy for the task

        def work(progress: Progress) -> OsmPlaceRows:
            return read_osm_places(path, context, progress)

        if wait:
            try:
                return self._show_places(work(no_progress))
            except OsmError as error:
                self._message(error_message(error))
                return []
        self.osm_button.setEnabled(False)
        self.summary.setText(tr("Reading the places of {file}…").format(file=Path(path).name))
        self.osm_task = self.tasks.run(tr("Situation Room: places from OpenStreetMap"), work, self._show_places,
                                       self._osm_failed)
        return []

    def _osm_failed(self, message: str) -> None:
        self.osm_button.setEnabled(True)
        self.osm_task = None
        self._message(message)

    def _show_places(self, rows: OsmPlaceRows) -> list[QgsVectorLayer]:
        self.osm_button.setEnabled(True)
        self.osm_task = None
        places = places_layers(rows, (tr("OSM sensitive places (points)"), tr("OSM sensitive places (areas)"),
                                      tr("OSM parking")))
        added = [layer for layer in places.layers() if layer.featureCount()]
        for layer in added:
            apply_places_style(layer, parking=layer is places.parking)
        QgsProject.instance().addMapLayers(added)
        self.sensitive_combo.setLayer(places.sensitive_points)
        self.parking_combo.setLayer(places.parking)
        self.summary.setText(tr("{points} sensitive places, {areas} sensitive areas and {parking} parking areas "
                                "read from OpenStreetMap.").format(points=len(rows.points), areas=len(rows.areas),
                                                                  parking=len(rows.parking)))
        return added

    def open_algorithm(self) -> None:
        import processing  # QGIS's Processing plugin, present in every desktop QGIS

        params: dict[str, Any] = {"DISTANCE": self.distance.value()}
        for combo, name in ((self.protected_combo, "PROTECTED"), (self.parking_combo, "PARKING")):
            if combo.currentLayer() is not None:
                params[name] = combo.currentLayer()
        if self.sensitive_combo.currentLayer() is not None:
            params["SENSITIVE"] = [self.sensitive_combo.currentLayer()]
        processing.execAlgorithmDialog(algorithm_id("detect_conflicts"), params)


def _titled(title: str, owner: str, owners: OwnerRegistry) -> str:
    """A work as the table names it: its title and its organisation ("Rete idrica via Roma (Publiacqua)"); a
    place (no organisation) by its name alone."""
    return f"{title} ({owner_name(owner, owners)})" if owner else title
