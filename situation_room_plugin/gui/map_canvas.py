"""Moving the desktop's map to what a tab lists (a conflict, an alert's work), at a scale that shows it."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsCoordinateTransform, QgsGeometry, QgsProject
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.qgis_io.layers import project_crs


def zoom_to_area(iface: Any, area: BaseGeometry | None) -> bool:
    """Zoom to a shape in EPSG:6707 and flash it. Its extent is grown in metres (at least 50 m) before it is
    moved to the map's CRS, which may be in degrees. False when there is no map or nothing to show."""
    if iface is None or area is None or area.is_empty:
        return False
    geometry = QgsGeometry()
    geometry.fromWkb(area.wkb)
    canvas = iface.mapCanvas()
    destination = canvas.mapSettings().destinationCrs()
    transform = QgsCoordinateTransform(project_crs(), destination, QgsProject.instance())
    extent = geometry.boundingBox()
    extent.grow(max(extent.width(), extent.height(), 50.0))
    geometry.transform(transform)
    canvas.setExtent(transform.transformBoundingBox(extent))
    canvas.refresh()
    canvas.flashGeometries([geometry], destination)
    return True
