"""The dock's Sync tab: the changes waiting for the platform, the last sync and what it did, push / pull /
both in a background task, and the conflicts to review (base, mine, theirs: keep mine, keep theirs, or edit).
The works waiting to be sent are outlined on the map. Everything goes through workflows/sync.py, as
`situation_room:sync` does."""

from __future__ import annotations

import logging
from typing import Any

import shapely
from qgis.core import Qgis, QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.core.sources import Source
from situation_room_plugin.core.sync import merge as mg
from situation_room_plugin.core.works import (
    FIELDS,
    PROJECT_CRS,
    FieldKind,
    Work,
    parse_bool,
    parse_date,
    parse_int,
)
from situation_room_plugin.gui.layer_choice import marked_layer
from situation_room_plugin.gui.tasks import TaskRunner, WorkflowTask
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.layers import replace_features
from situation_room_plugin.qgis_io.sources import read_registry
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.qgis_io.styles import apply_pending_style
from situation_room_plugin.toolbelt.i18n import error_message, problem_message, tr
from situation_room_plugin.toolbelt.labels import choice_labels, work_field_labels
from situation_room_plugin.toolbelt.settings import Settings
from situation_room_plugin.workflows import sync as workflow

LOG = logging.getLogger(__name__)

#: The custom property of the map layer outlining the works waiting to be sent.
PENDING_LAYER_PROPERTY = "situation_room/pending_layer"


def writable_sources() -> list[Source]:
    sources, _ = read_registry()
    return [s for s in sources if s.writable]


def _text(name: str, value: Any) -> str:
    """A value of a works field as a person reads it (labels of choices; '' for none)."""
    if value is None:
        return ""
    if isinstance(value, Work):
        return value.title
    if hasattr(value, "geom_type"):
        return tr("footprint of {area} m²").format(area=round(value.area))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    labels = choice_labels(name)
    return labels.get(str(value), str(value))


class SyncPanel(QWidget):
    #: A sync ended (the works may have changed: the counts and alerts follow).
    synced = pyqtSignal(object)

    def __init__(self, iface: Any, parent: QWidget | None = None, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.tasks = tasks or TaskRunner()
        self.task: WorkflowTask | None = None
        self.conflicts: list[workflow.Conflict] = []
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Platform"), self))
        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("sync_source")
        self.source_combo.setToolTip(tr("A shared layer marked writable in the registry (WFS-T of the platform)"))
        top.addWidget(self.source_combo, 1)
        layout.addLayout(top)
        buttons = QHBoxLayout()
        self.push_button = QPushButton(tr("Send my changes"), self)
        self.pull_button = QPushButton(tr("Receive"), self)
        self.both_button = QPushButton(tr("Sync"), self)
        self.both_button.setToolTip(tr("Send the changes waiting, receive the others', merge field by field"))
        for button in (self.push_button, self.pull_button, self.both_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setObjectName("sync_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        pending_box = QGroupBox(tr("Changes waiting for the platform"), self)
        pending_layout = QVBoxLayout(pending_box)
        self.pending_table = self._table(pending_box, [tr("Work"), tr("Change"), tr("State"), tr("Tries"),
                                                       tr("Server's answer")])
        pending_layout.addWidget(self.pending_table)
        self.retry_button = QPushButton(tr("Send the refused ones again"), pending_box)
        pending_layout.addWidget(self.retry_button)
        layout.addWidget(pending_box, 1)

        conflicts_box = QGroupBox(tr("Conflicts to review"), self)
        conflicts_layout = QVBoxLayout(conflicts_box)
        self.conflicts_table = self._table(conflicts_box, [tr("Work"), tr("Kind"), tr("Fields"), tr("Since")])
        conflicts_layout.addWidget(self.conflicts_table)
        self.review_button = QPushButton(tr("Review the selected conflict…"), conflicts_box)
        conflicts_layout.addWidget(self.review_button)
        layout.addWidget(conflicts_box, 1)

        self.push_button.clicked.connect(lambda: self.run(workflow.Direction.PUSH.value))
        self.pull_button.clicked.connect(lambda: self.run(workflow.Direction.PULL.value))
        self.both_button.clicked.connect(lambda: self.run(workflow.Direction.BOTH.value))
        self.retry_button.clicked.connect(self.retry)
        self.review_button.clicked.connect(self.review_selected)
        self.conflicts_table.cellDoubleClicked.connect(lambda row, _: self.review(row))
        self.source_combo.currentIndexChanged.connect(lambda _: self.refresh())
        QgsProject.instance().readProject.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), parent)
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return table

    # -- what is there ----------------------------------------------------------------------------------

    def source(self) -> Source | None:
        sid = self.source_combo.currentData()
        return next((s for s in writable_sources() if s.id == sid), None)

    def refresh(self, *args: Any) -> None:
        """The sources, the last sync, the changes waiting, the conflicts; the pending works on the map."""
        try:
            self._refresh()
        except SituationRoomError as error:  # a store another QGIS holds, or one too new: said, not raised
            self.status.setText(error_message(error))

    def _refresh(self) -> None:
        chosen = self.source_combo.currentData()
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        for source in writable_sources():
            self.source_combo.addItem(source.title or source.id, source.id)
        self.source_combo.setCurrentIndex(max(self.source_combo.findData(chosen), 0))
        self.source_combo.blockSignals(False)
        path = project_io.store_path()
        has_store = path is not None and path.exists()
        for button in (self.push_button, self.pull_button, self.both_button):
            button.setEnabled(has_store and self.source_combo.count() > 0 and self.task is None)
        if not has_store:
            self.status.setText(tr("This project has no store yet: create one in the Works tab."))
            self._fill([], [], {})
            return
        if self.source_combo.count() == 0:
            self.status.setText(tr("No platform to sync with: mark the platform's works layer writable in the "
                                   "registry of shared layers."))
        elif self.task is None:
            self.status.setText(self._last_text(workflow.last_sync(path, self.source_combo.currentData())))
        pending = workflow.pending_changes(path)
        self.conflicts = workflow.open_conflicts(path)
        with Store.open(path, create=False) as store:
            works = {w.uid: w for w in store.read_works().works}
        self._fill(pending, self.conflicts, works)
        self.show_pending_on_map(pending, works)

    @staticmethod
    def _last_text(last: dict[str, Any] | None) -> str:
        if not last:
            return tr("Never synced with this platform.")
        return tr("Last sync {when}: {sent} sent, {received} received, {merged} merged, {conflicts} conflicts, "
                  "{refused} refused, {failed} failed.").format(when=last.get("finished_at", ""), **{
                      k: last.get(k, 0) for k in ("sent", "received", "merged", "conflicts", "refused", "failed")})

    def _fill(self, pending: list[Any], conflicts: list[Any], works: dict[str, Work]) -> None:
        kinds = {"create": tr("new"), "update": tr("changed"), "delete": tr("deleted")}
        states = {"pending": tr("waiting"), "in_flight": tr("sent, not yet confirmed"), "refused": tr("refused")}
        self.pending_table.setRowCount(len(pending))
        for row, change in enumerate(pending):
            title = works[change.uid].title if change.uid in works else change.uid
            values = [title, kinds.get(change.kind, change.kind), states.get(change.state, change.state),
                      str(change.attempts), change.last_answer]
            for column, value in enumerate(values):
                self.pending_table.setItem(row, column, QTableWidgetItem(value))
        self.pending_table.resizeColumnsToContents()
        labels = work_field_labels()
        self.conflicts_table.setRowCount(len(conflicts))
        for row, conflict in enumerate(conflicts):
            title = works[conflict.uid].title if conflict.uid in works else conflict.uid
            fields = ", ".join(tr("edit against a delete") if f.field == mg.WHOLE else labels.get(f.field, f.field)
                               for f in conflict.fields)
            for column, value in enumerate([title, conflict.kind, fields, conflict.opened_at]):
                self.conflicts_table.setItem(row, column, QTableWidgetItem(value))
        self.conflicts_table.resizeColumnsToContents()

    def show_pending_on_map(self, pending: list[Any], works: dict[str, Work]) -> QgsVectorLayer | None:
        """The works waiting to be sent, outlined on the map (one layer, replaced at each refresh)."""
        if self.iface is None:
            return None
        project = QgsProject.instance()
        layer = marked_layer(PENDING_LAYER_PROPERTY)
        shapes = [(c, works[c.uid].geometry) for c in pending if c.uid in works and works[c.uid].geometry is not None]
        if layer is None:
            if not shapes:
                return None
            layer = QgsVectorLayer(f"MultiPolygon?crs={PROJECT_CRS}&field=uid:string&field=change:string"
                                   "&field=state:string", tr("Changes not yet sent"), "memory")
            layer.setCustomProperty(PENDING_LAYER_PROPERTY, True)
            apply_pending_style(layer)
            project.addMapLayer(layer)
        features = []
        for change, shape in shapes:
            feature = QgsFeature(layer.fields())
            feature.setAttributes([change.uid, change.kind, change.state])
            geometry = QgsGeometry()
            geometry.fromWkb(shapely.to_wkb(shape))
            feature.setGeometry(geometry)
            features.append(feature)
        replace_features(layer, features)
        return layer

    # -- actions ----------------------------------------------------------------------------------------

    def run(self, direction: str, wait: bool = False) -> WorkflowTask | None:
        """Sync with the chosen platform in a background task (`wait`: in the foreground, for tests)."""
        path, source = project_io.store_path(), self.source()
        if path is None or source is None:
            self.refresh()
            return None

        organisation = Settings.load().organisation

        def work(progress: Progress) -> workflow.SyncReport:
            return workflow.sync(path, source, direction, progress, organisation=organisation)

        if wait:
            from situation_room_plugin.core.progress import no_progress

            self._done(work(no_progress))
            return None
        for button in (self.push_button, self.pull_button, self.both_button):
            button.setEnabled(False)
        self.status.setText(tr("Syncing with {platform}…").format(platform=source.title or source.id))
        self.task = self.tasks.run(tr("Situation Room: sync"), work, self._done, self._failed)
        return self.task

    def _done(self, report: workflow.SyncReport) -> None:
        self.task = None
        self.refresh()
        counts = report.counts()
        text = tr("{sent} sent, {received} received, {merged} merged, {conflicts} conflicts, {refused} refused, "
                  "{failed} failed.").format(**counts)
        self.status.setText(text)
        for problem in report.problems:
            LOG.warning("%s: %s", problem.record, problem_message(problem))
        level = Qgis.MessageLevel.Warning if counts["conflicts"] or counts["refused"] or counts["failed"] \
            else Qgis.MessageLevel.Success
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("Situation Room: sync"), text, level, 10)
        self.synced.emit(report)

    def _failed(self, message: str) -> None:
        self.task = None
        self.refresh()
        self.status.setText(message)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("Situation Room: sync"), message, Qgis.MessageLevel.Warning, 10)

    def retry(self) -> int:
        path = project_io.store_path()
        if path is None:
            return 0
        count = workflow.retry_refused(path)
        self.refresh()
        return count

    def review_selected(self) -> None:
        rows = {index.row() for index in self.conflicts_table.selectedIndexes()}
        if rows:
            self.review(min(rows))

    def review(self, row: int) -> QDialog | None:
        if not 0 <= row < len(self.conflicts):
            return None
        dialog = ConflictDialog(self.conflicts[row], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._resolve(dialog))
        dialog.show()
        return dialog

    def _resolve(self, dialog: ConflictDialog) -> None:
        path = project_io.store_path()
        if path is None or self.task is not None:  # a sync is writing: the choice waits for it
            if self.task is not None:
                self.status.setText(tr("A sync is running: review the conflict again when it ends."))
            return
        choice, value = dialog.choice()
        try:
            workflow.resolve(path, dialog.conflict, choice, value)
        except (SituationRoomError, KeyError) as error:
            self.status.setText(error_message(error) if isinstance(error, SituationRoomError) else str(error))
        self.refresh()


class ConflictDialog(QDialog):
    """One work's conflict: for each field in conflict, what it was (base), what you made it (mine) and what
    the platform has (theirs); keep mine, keep theirs, or type the value to keep."""

    def __init__(self, conflict: workflow.Conflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setWindowTitle(tr("Conflict on a work"))
        self.setObjectName("situation_room_sync_conflict")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("The same work was changed here and on the platform. For each field, keep "
                                   "yours, keep the platform's, or write the value to keep."), self))
        labels = work_field_labels()
        self.table = QTableWidget(len(conflict.fields), 5, self)
        self.table.setHorizontalHeaderLabels([tr("Field"), tr("Before"), tr("Mine"), tr("Theirs"), tr("Keep")])
        editable = all(f.field not in (mg.WHOLE, mg.GEOMETRY) for f in conflict.fields)
        for row, item in enumerate(conflict.fields):
            name = tr("the whole work (edited against a delete)") if item.field == mg.WHOLE \
                else labels.get(item.field, item.field)
            values = [name, _text(item.field, item.base), _text(item.field, item.mine),
                      _text(item.field, item.theirs) if not (item.field == mg.WHOLE and item.theirs is None)
                      else tr("deleted")]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, cell)
            self.table.setItem(row, 4, QTableWidgetItem(_text(item.field, item.mine) if editable else ""))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        self.mine = QRadioButton(tr("Keep mine"), self)
        self.theirs = QRadioButton(tr("Keep the platform's"), self)
        self.edit = QRadioButton(tr("Keep the values in the Keep column"), self)
        self.edit.setEnabled(editable)
        self.mine.setChecked(True)
        for button in (self.mine, self.theirs, self.edit):
            layout.addWidget(button)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(720, 360)

    def choice(self) -> tuple[str, Any]:
        """(mine | theirs | value, the values typed for `value`: field -> value, choices back to their codes)."""
        if self.mine.isChecked():
            return mg.Choice.MINE.value, None
        if self.theirs.isChecked():
            return mg.Choice.THEIRS.value, None
        values = {}
        for row, item in enumerate(self.conflict.fields):
            typed = self.table.item(row, 4).text()
            codes = {label: code for code, label in choice_labels(item.field).items()}
            values[item.field] = typed_value(item.field, codes.get(typed, typed))
        return mg.Choice.VALUE.value, values


def typed_value(name: str, text: str) -> Any:
    """What a person typed for a field, as the schema holds it (a date for a date field…); blank is None."""
    kind = next((spec.kind for spec in FIELDS if spec.name == name), FieldKind.TEXT)
    if not text.strip():
        return None
    parser = {FieldKind.DATE: parse_date, FieldKind.BOOL: parse_bool, FieldKind.INT: parse_int}.get(kind)
    return parser(text) if parser is not None else text
