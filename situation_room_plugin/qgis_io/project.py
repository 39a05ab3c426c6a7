"""What a QGIS project keeps of Situation Room: the path of its store (relative to the project file)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProject

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.qgis_io.store import Store

SCOPE = "situation_room"


def store_path(project: QgsProject | None = None) -> Path | None:
    """The project's store, or None when the project has none yet."""
    project = project or QgsProject.instance()
    value, found = project.readEntry(SCOPE, "store", "")
    if not found or not value:
        return None
    path = Path(project.pathResolver().readPath(value))
    return path


def set_store_path(path: str | Path, project: QgsProject | None = None) -> None:
    project = project or QgsProject.instance()
    project.writeEntry(SCOPE, "store", project.pathResolver().writePath(str(path)))


def owner_registry(project: QgsProject | None = None) -> OwnerRegistry:
    """The organisations of the project's store; Prato's defaults when the project has no store."""
    path = store_path(project)
    if path is None or not path.exists():
        return OwnerRegistry()
    with Store.open(path, create=False) as store:
        return store.owners()
