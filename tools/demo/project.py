"""The demo's QGIS project: the store's path, the sources registered, the roads of Prato, the works of the
store and the Comune's protected streets styled as the plugin styles them, the temporal range of the next
60 days. Written with PyQGIS (a QgsApplication must be running)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDateTimeRange,
    QgsLineSymbol,
    QgsProject,
    QgsReferencedRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime

from situation_room_plugin.core.sources import Source
from situation_room_plugin.core.works import PROJECT_CRS
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as sources_io
from situation_room_plugin.qgis_io import styles
from situation_room_plugin.qgis_io.store import Store, works_layer_uri

TITLE = "Situation Room — Prato (dati di esempio)"


def _layer(uri: str, name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        raise RuntimeError(f"{uri}: QGIS cannot read it")
    return layer


def build_project(path: Path, store: Path, sources: list[Source], roads: Path, protected: Path, today: date,
                  days: int = 60, conflicts: Path | None = None) -> Path:
    """Write the demo's project at `path` (the store is created when missing); with `conflicts` (the output of
    Detect conflicts), their layer too."""
    with Store.open(store, create=True):
        pass
    project = QgsProject()
    project.setFileName(str(path))
    project.setTitle(TITLE)
    project.setCrs(QgsCoordinateReferenceSystem(PROJECT_CRS))
    project_io.set_store_path(store, project)
    sources_io.write_registry(sources, project)
    road_layer = _layer(f"{roads}|layername=roads", "Strade di Prato (OSM)")
    styles.apply_roads_style(road_layer)
    protected_layer = _layer(str(protected), "Strade protette (asfaltate di recente)")
    # the Comune's resurfaced streets: a dashed dark red line over the roads, under the works
    protected_layer.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
        {"line_color": "#b2182b", "line_width": "1.2", "line_style": "dash"})))
    works = _layer(works_layer_uri(store), "Cantieri (archivio del progetto)")
    styles.apply_works_style(works)
    layers = [road_layer, protected_layer, works]
    if conflicts is not None and conflicts.exists():
        conflict_layer = _layer(str(conflicts), "Conflitti")
        styles.apply_conflicts_style(conflict_layer)
        layers.append(conflict_layer)
    for layer in layers:
        project.addMapLayer(layer)
    start = QDateTime(datetime.combine(today, time()))
    end = QDateTime(datetime.combine(today + timedelta(days=days), time()))
    project.timeSettings().setTemporalRange(QgsDateTimeRange(start, end))
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(road_layer.extent(), road_layer.crs()))
    if not project.write():
        raise RuntimeError(f"{path}: the project could not be written")
    return path
