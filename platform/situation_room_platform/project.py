"""The platform's QGIS Server project (the template, written with PyQGIS): every platform table as a layer,
published over WFS with WFS-T insert, update and delete (the access control and the triggers decide what
passes), coordinates to the millimetre, and each layer's editors for the access-control plugin.

QGIS Server 3.22 publishes over WFS only the layers listed in WFSLayers, and lets clients edit only those listed
in WFSTLayers/Insert, /Update and /Delete (what the project properties' "QGIS Server > WFS capabilities" table
writes).
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsDataSourceUri, QgsProject, QgsRectangle, QgsVectorLayer

from situation_room_platform.schema import SRID, TABLES, PlatformTable
from situation_room_plugin.core.works import AREA_OF_USE

#: The layer property that tells the access-control plugin who edits (server_plugins/situation_room_acl).
EDITORS_PROPERTY = "situation_room/editors"


def geopackage_layer(path: Path, table: PlatformTable) -> QgsVectorLayer:
    return QgsVectorLayer(f"{path}|layername={table.name}", table.name, "ogr")


def postgis_layer(dsn: str, table: PlatformTable, schema_name: str = "public") -> QgsVectorLayer:
    uri = QgsDataSourceUri(dsn)
    uri.setDataSource(schema_name, table.name, "geom" if table.geometry_type else "", "", "fid")
    if table.geometry_type:
        uri.setSrid(str(SRID))
        uri.setWkbType(QgsVectorLayer(f"{table.geometry_type}?crs=EPSG:{SRID}", "", "memory").wkbType())
    return QgsVectorLayer(uri.uri(False), table.name, "postgres")


def write_project(layers: list[QgsVectorLayer], path: Path, title: str = "Situation Room platform") -> Path:
    """A QGIS Server project publishing `layers` (named as their tables) with WFS-T; raises ValueError naming a
    layer QGIS could not open."""
    project = QgsProject()
    project.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{SRID}"))
    project.setTrustLayerMetadata(True)  # QGIS Server takes the extents written here and does not scan tables
    by_name = {t.name: t for t in TABLES}
    ids = []
    for layer in layers:
        if not layer.isValid():
            raise ValueError(f"{layer.name()}: QGIS cannot open the layer {layer.source()}")
        layer.setCustomProperty(EDITORS_PROPERTY, by_name[layer.name()].editors)
        if layer.isSpatial():
            # the extent clients are told (GetCapabilities): the works' area of use, not that of the (empty) tables
            # at writing time, which QGIS Server would announce as 0 0 0 0 forever
            layer.setExtent(QgsRectangle(*AREA_OF_USE))
        project.addMapLayer(layer)
        ids.append(layer.id())
    project.writeEntry("WFSLayers", "/", ids)
    for layer_id in ids:
        project.writeEntry("WFSLayersPrecision", "/" + layer_id, 3)
    for action in ("Insert", "Update", "Delete"):
        project.writeEntry("WFSTLayers", action, ids)
    project.writeEntry("WMSServiceCapabilities", "/", True)
    project.writeEntry("WMSServiceTitle", "/", title)
    project.writeEntry("WMSCrsList", "/", [f"EPSG:{SRID}", "EPSG:4326"])
    project.writeEntry("WFSUrl", "/", "")
    if not project.write(str(path)):
        raise OSError(f"{path}: cannot write the project ({project.error()})")
    return path
