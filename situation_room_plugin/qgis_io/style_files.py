"""The plugin's map styles as QML files (`resources/styles/` in the installed plugin): the same styles the
plugin applies in code (qgis_io/styles.py, with the organisations of Prato's registry), for a QGIS Server
project of the platform, a colleague without the plugin, or *Layer Properties ▸ Style ▸ Load Style*. Written
when the plugin zip is built (tools/package.py), so there is one source of each style."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qgis.core import QgsVectorLayer

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import PROJECT_CRS
from situation_room_plugin.qgis_io.conflict_layers import conflict_fields
from situation_room_plugin.qgis_io.layers import works_memory_layer
from situation_room_plugin.qgis_io.styles import (
    apply_conflicts_style,
    apply_detours_style,
    apply_feed_copy_style,
    apply_pending_style,
    apply_places_style,
    apply_roads_style,
    apply_works_style,
)


def _layer(geometry: str, fields: str = "") -> QgsVectorLayer:
    return QgsVectorLayer(f"{geometry}?crs={PROJECT_CRS}{fields}", "style", "memory")


def _conflicts_layer() -> QgsVectorLayer:
    layer = _layer("MultiPolygon")
    layer.dataProvider().addAttributes(conflict_fields().toList())
    layer.updateFields()
    return layer


def style_files(registry: OwnerRegistry | None = None) -> dict[str, tuple[Callable[[], QgsVectorLayer],
                                                                         Callable[[QgsVectorLayer], None]]]:
    """File name → (a layer of the right kind, the style the plugin gives it)."""
    owners = registry or OwnerRegistry()
    return {
        "works.qml": (lambda: works_memory_layer(name="style"), lambda layer: apply_works_style(layer, owners)),
        "works_partner_copy.qml": (lambda: works_memory_layer(name="style"),
                                   lambda layer: apply_feed_copy_style(layer, owners)),
        "conflicts.qml": (_conflicts_layer, apply_conflicts_style),
        "roads.qml": (lambda: _layer("LineString", "&field=highway:string"), apply_roads_style),
        "detours.qml": (lambda: _layer("MultiLineString", "&field=status:string"),
                        lambda layer: apply_detours_style(layer, "OUTPUT_DETOURS")),
        "cutoff_roads.qml": (lambda: _layer("MultiLineString"),
                             lambda layer: apply_detours_style(layer, "OUTPUT_CUTOFF")),
        "bus_routes.qml": (lambda: _layer("MultiLineString"), lambda layer: apply_detours_style(layer, "OUTPUT_BUS")),
        "sensitive_places.qml": (lambda: _layer("Point", "&field=kind:string"), apply_places_style),
        "sensitive_areas.qml": (lambda: _layer("MultiPolygon", "&field=kind:string"), apply_places_style),
        "parking.qml": (lambda: _layer("MultiPolygon"), lambda layer: apply_places_style(layer, parking=True)),
        "pending_changes.qml": (lambda: _layer("MultiPolygon"), apply_pending_style),
    }


def write_style_files(folder: str | Path, registry: OwnerRegistry | None = None) -> list[Path]:
    """Write every style as `folder/<name>.qml` (symbology, labels, temporal settings and, for the works, the
    works form); the paths written. Raises OSError naming the file that could not be written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (make, style) in style_files(registry).items():
        layer = make()
        style(layer)
        if name.startswith("works"):
            from situation_room_plugin.qgis_io.works_form import configure_works_form

            configure_works_form(layer, registry or OwnerRegistry())
        path = folder / name
        message, ok = layer.saveNamedStyle(str(path))
        if not ok:
            raise OSError(f"{path}: {message}")
        written.append(path)
    return written
