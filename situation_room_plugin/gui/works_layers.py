"""The project's works layers in the desktop: the store's works layer found (or added) styled by organisation
with the works form, and every works layer given the one edit path (qgis_io/works_edits.py). Edits that went
through are announced (`works_changed`) so the panels' counts and the alerts follow them; works saved with a
problem are named in the message bar."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsMapLayer, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from situation_room_plugin.core.problems import Problem
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.store import works_layer_uri
from situation_room_plugin.qgis_io.styles import apply_works_style
from situation_room_plugin.qgis_io.works_edits import WorksEditPath
from situation_room_plugin.qgis_io.works_form import (
    configure_works_form,
    form_is_current,
    is_works_layer,
    save_as_default_style,
    set_organisation_variable,
)
from situation_room_plugin.toolbelt.i18n import problem_message, tr
from situation_room_plugin.toolbelt.settings import Settings

LOG = logging.getLogger(__name__)


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def is_store_works_layer(layer: QgsMapLayer, store: Path | None) -> bool:
    """Whether a layer is the works table of this store (however it was added: by us, by the browser)."""
    if store is None or not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return False
    path, _, options = layer.source().partition("|")
    return _same_file(path, store) and "layername=works" in options.replace(" ", "")


class WorksLayers(QObject):
    """Watches the project's layers; owned by the plugin (one per QGIS session)."""

    works_changed = pyqtSignal()
    #: The EditRecords of a commit of a works layer (core/edits.py).
    edits_committed = pyqtSignal(list)

    def __init__(self, iface: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        set_organisation_variable(Settings.load().organisation)  # the works form's default owner
        self.paths: dict[str, WorksEditPath] = {}
        project = QgsProject.instance()
        project.layersAdded.connect(self.layers_added)
        project.layersWillBeRemoved.connect(self.layers_removed)
        self.layers_added(list(project.mapLayers().values()))

    def unload(self) -> None:
        project = QgsProject.instance()
        for signal, slot in ((project.layersAdded, self.layers_added),
                             (project.layersWillBeRemoved, self.layers_removed)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        for path in self.paths.values():
            path.detach()
            path.deleteLater()
        self.paths.clear()

    def layers_added(self, layers: list[QgsMapLayer]) -> None:
        store = project_io.store_path()
        for layer in layers:
            if is_store_works_layer(layer, store) and not (is_works_layer(layer) and form_is_current(layer)):
                self.prepare(layer)  # from the browser, or saved with an older form: this version's form
            if is_works_layer(layer) and layer.id() not in self.paths:
                self.watch(layer)

    def layers_removed(self, layer_ids: list[str]) -> None:
        for layer_id in layer_ids:
            path = self.paths.pop(layer_id, None)
            if path is not None:
                path.detach()
                path.deleteLater()

    def prepare(self, layer: QgsVectorLayer) -> None:
        """The works style and form on a works layer."""
        settings = Settings.load()
        owners = project_io.owner_registry()
        apply_works_style(layer, owners)
        configure_works_form(layer, owners, settings.organisation)

    def watch(self, layer: QgsVectorLayer) -> WorksEditPath:
        settings = Settings.load  # read at each commit: the user may change them while the layer is open
        path = WorksEditPath(layer, user=lambda: settings().user(), organisation=lambda: settings().organisation,
                             owners=project_io.owner_registry)
        path.committed.connect(self._committed)
        path.problems_found.connect(self.show_problems)
        self.paths[layer.id()] = path
        return path

    def _committed(self, records: list[Any]) -> None:
        self.edits_committed.emit(records)
        self.works_changed.emit()

    def store_layer(self, add: bool = True) -> QgsVectorLayer | None:
        """The project's store works layer: the one on the map, else (with `add`) a new one added to it; None
        when the project has no store."""
        store = project_io.store_path()
        if store is None or not store.exists():
            return None
        for layer in QgsProject.instance().mapLayers().values():
            if is_store_works_layer(layer, store):
                return layer
        if not add:
            return None
        layer = QgsVectorLayer(works_layer_uri(store), tr("Works"), "ogr")
        if not layer.isValid():
            return None
        self.prepare(layer)
        save_as_default_style(layer)  # the form and style travel with the GeoPackage
        QgsProject.instance().addMapLayer(layer)
        return layer

    def show_problems(self, problems: list[Problem]) -> None:
        """A work saved with an error: kept in the store, named in the message bar with what to fix."""
        first = problems[0]
        text = tr("{record}: {problem}").format(record=first.record, problem=problem_message(first))
        if len(problems) > 1:
            text += " " + tr("(and {count} more problems: see the log)").format(count=len(problems) - 1)
        for problem in problems:
            LOG.warning("%s: %s", problem.record, problem_message(problem))
        self.iface.messageBar().pushMessage(tr("Saved, but to fix"), text, Qgis.MessageLevel.Warning, 15)
