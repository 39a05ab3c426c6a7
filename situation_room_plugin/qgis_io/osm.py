"""Sensitive places (schools, hospitals, bus stops, ...) and parking areas straight from an OpenStreetMap
extract (.osm.pbf or .osm, read by GDAL's OSM driver), as memory layers in the works' CRS
(core.works.PROJECT_CRS, EPSG:6707).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.works import PROJECT_CRS
from situation_room_plugin.qgis_io.layers import project_crs

#: OSM `amenity` values of places a work must not disturb unannounced.
SENSITIVE_AMENITIES = frozenset({
    "school", "kindergarten", "childcare", "college", "university", "hospital", "clinic", "nursing_home",
})
BUS_STOP = "bus_stop"
PARKING = "parking"

_TAG = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


class OsmError(SituationRoomError):
    """The file cannot be read as OpenStreetMap data."""


def parse_other_tags(text: str | None) -> dict[str, str]:
    """GDAL's `other_tags` hstore text ('"capacity"=>"40","fee"=>"yes"') as a dict."""
    if not text:
        return {}
    return {key.replace('\\"', '"'): value.replace('\\"', '"') for key, value in _TAG.findall(str(text))}


def _capacity(text: str | None) -> int | None:
    match = re.match(r"\s*(\d+)", text or "")
    return int(match.group(1)) if match else None


@dataclass
class OsmPlaces:
    """Memory layers: sensitive places mapped as points and as areas, and parking areas with capacity."""

    sensitive_points: QgsVectorLayer
    sensitive_areas: QgsVectorLayer
    parking: QgsVectorLayer

    def layers(self) -> list[QgsVectorLayer]:
        return [self.sensitive_points, self.sensitive_areas, self.parking]


def _memory_layer(geometry: str, name: str, with_capacity: bool = False) -> QgsVectorLayer:
    fields = "&field=osm_id:string&field=name:string&field=kind:string"
    if with_capacity:
        fields += "&field=capacity:integer"
    return QgsVectorLayer(f"{geometry}?crs={PROJECT_CRS}{fields}", name, "memory")


def _source(path: Path, layer: str) -> QgsVectorLayer:
    source = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
    if not source.isValid():
        raise OsmError.of("osm_no_layer", path=str(path), layer=layer)
    return source


def load_osm_places(
    path: str | Path,
    transform_context: QgsCoordinateTransformContext | None = None,
    names: tuple[str, str, str] = ("OSM sensitive places (points)", "OSM sensitive places (areas)",
                                   "OSM parking"),
) -> OsmPlaces:
    """Schools, kindergartens, universities, hospitals, clinics, care homes and bus stops, and parking
    areas (capacity from the `capacity` tag when mapped). Parking mapped as a single node is left out: a
    node says nothing of the area a work would take."""
    path = Path(path)
    if not path.exists():
        raise OsmError.of("no_such_file", path=str(path))
    context = transform_context or QgsProject.instance().transformContext()
    result = OsmPlaces(_memory_layer("Point", names[0]), _memory_layer("MultiPolygon", names[1]),
                       _memory_layer("MultiPolygon", names[2], with_capacity=True))

    points = _source(path, "points")
    to_project = QgsCoordinateTransform(points.crs(), project_crs(), context)
    found_points = []
    for feature in points.getFeatures(QgsFeatureRequest()):
        tags = parse_other_tags(feature["other_tags"])
        amenity = tags.get("amenity", "")
        kind = amenity if amenity in SENSITIVE_AMENITIES else BUS_STOP if feature["highway"] == BUS_STOP else ""
        if not kind:
            continue
        found_points.append(_feature(result.sensitive_points, feature, f"node/{feature['osm_id']}", kind,
                                     to_project))

    areas = _source(path, "multipolygons")
    sensitive_areas, parking = [], []
    for feature in areas.getFeatures(QgsFeatureRequest()):
        amenity = feature["amenity"] or ""
        if amenity not in SENSITIVE_AMENITIES and amenity != PARKING:
            continue
        way = feature["osm_way_id"]
        key = f"way/{way}" if way else f"relation/{feature['osm_id']}"
        if amenity == PARKING:
            capacity = _capacity(parse_other_tags(feature["other_tags"]).get("capacity"))
            parking.append(_feature(result.parking, feature, key, PARKING, to_project, capacity))
        else:
            sensitive_areas.append(_feature(result.sensitive_areas, feature, key, amenity, to_project))

    for layer, features in ((result.sensitive_points, found_points), (result.sensitive_areas, sensitive_areas),
                            (result.parking, parking)):
        layer.dataProvider().addFeatures([f for f in features if f is not None])
        layer.updateExtents()
    return result


def _feature(
    layer: QgsVectorLayer,
    source: QgsFeature,
    key: str,
    kind: str,
    transform: QgsCoordinateTransform,
    capacity: int | None = None,
) -> QgsFeature | None:
    geometry = QgsGeometry(source.geometry())
    if geometry.isNull() or geometry.isEmpty():
        return None
    geometry.transform(transform)
    if layer.wkbType() == QgsWkbTypes.Type.MultiPolygon:
        geometry.convertToMultiType()
    feature = QgsFeature(layer.fields())
    values = [key, source["name"] or "", kind]
    if layer.fields().indexOf("capacity") >= 0:
        values.append(capacity)
    feature.setAttributes(values)
    feature.setGeometry(geometry)
    return feature
