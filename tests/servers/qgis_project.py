"""A QGIS Server project publishing a GeoPackage layer over WFS, built with PyQGIS inside the test process.

QGIS Server 3.22 publishes over WFS only the layers listed in the project entry WFSLayers (what the
project properties' "QGIS Server > WFS capabilities" table writes), with their coordinate precision in
WFSLayersPrecision; a project without them answers GetCapabilities with no feature type at all.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

LAYER = "cantieri_publiacqua"


def write_works_gpkg(path: Path, count: int, layer_name: str = LAYER) -> Path:
    """`count` planned works of Publiacqua as a utility would publish them: Italian names, EPSG:6707."""
    memory = QgsVectorLayer("MultiPolygon?crs=EPSG:6707", layer_name, "memory")
    provider = memory.dataProvider()
    provider.addAttributes([QgsField("Codice", QVariant.Type.String), QgsField("Oggetto", QVariant.Type.String),
                            QgsField("Data prevista inizio lavori", QVariant.Type.String),
                            QgsField("Data prevista fine lavori", QVariant.Type.String),
                            QgsField("Tipo intervento", QVariant.Type.String),
                            QgsField("Viabilita", QVariant.Type.String)])
    memory.updateFields()
    features = []
    for i in range(count):
        feature = QgsFeature(memory.fields())
        feature.setAttributes([f"PA-{i:05d}", f"Rete idrica, intervento {i}", "02/03/2026", "20/03/2026",
                               "Scavo" if i % 2 else "Manutenzione rete", "Senso unico alternato"])
        x, y = 664_000 + (i % 250) * 30.0, 4_858_000 + (i // 250) * 30.0
        feature.setGeometry(QgsGeometry.fromWkt(
            f"MULTIPOLYGON((({x} {y}, {x + 12} {y}, {x + 12} {y + 8}, {x} {y + 8}, {x} {y})))"))
        features.append(feature)
    provider.addFeatures(features)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer_name
    error = QgsVectorFileWriter.writeAsVectorFormatV3(memory, str(path), QgsProject.instance().transformContext(),
                                                     options)
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    return path


def write_wfs_project(gpkg: Path, project_path: Path, layer_name: str = LAYER) -> Path:
    project = QgsProject()
    layer = QgsVectorLayer(f"{gpkg}|layername={layer_name}", layer_name, "ogr")
    assert layer.isValid()
    project.addMapLayer(layer)
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:6707"))
    project.writeEntry("WFSLayers", "/", [layer.id()])
    project.writeEntry("WFSLayersPrecision", "/" + layer.id(), 3)
    project.writeEntry("WMSServiceCapabilities", "/", True)
    project.writeEntry("WMSServiceTitle", "/", "Publiacqua - cantieri")
    project.writeEntry("WMSCrsList", "/", ["EPSG:6707", "EPSG:4326", "EPSG:3003"])
    assert project.write(str(project_path))
    return project_path
