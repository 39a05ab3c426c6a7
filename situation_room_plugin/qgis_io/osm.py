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
)

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import Progress, advance
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


#: One place read: (key, name, kind, capacity, geometry in EPSG:6707).
PlaceRow = tuple[str, str, str, "int | None", QgsGeometry]


@dataclass
class OsmPlaceRows:
    """The places of an extract as plain rows (safe to hand from a background task to the main thread)."""

    points: list[PlaceRow]
    areas: list[PlaceRow]
    parking: list[PlaceRow]


def read_osm_places(
    path: str | Path,
    transform_context: QgsCoordinateTransformContext | None = None,
    progress: Progress | None = None,
) -> OsmPlaceRows:
    """Schools, kindergartens, universities, hospitals, clinics, care homes and bus stops, and parking
    areas (capacity from the `capacity` tag when mapped). Parking mapped as a single node is left out: a
    node says nothing of the area a work would take. Runs in a background task (its own layers only);
    `progress` raises CancelledError when the user cancels."""
    path = Path(path)
    if not path.exists():
        raise OsmError.of("no_such_file", path=str(path))
    context = transform_context or QgsCoordinateTransformContext()
    points = _source(path, "points")
    to_project = QgsCoordinateTransform(points.crs(), project_crs(), context)
    rows = OsmPlaceRows([], [], [])
    total = points.featureCount()  # -1 when the driver cannot tell without reading: then no fraction
    for done, feature in enumerate(points.getFeatures(QgsFeatureRequest())):
        if done % 5000 == 0:
            advance(progress, 0.5 * min(done / total, 1.0) if total > 0 else 0.0)
        tags = parse_other_tags(feature["other_tags"])
        amenity = tags.get("amenity", "")
        kind = amenity if amenity in SENSITIVE_AMENITIES else BUS_STOP if feature["highway"] == BUS_STOP else ""
        if kind:
            _add(rows.points, feature, f"node/{feature['osm_id']}", kind, to_project, multi=False)
    areas = _source(path, "multipolygons")
    total = areas.featureCount()
    for done, feature in enumerate(areas.getFeatures(QgsFeatureRequest())):
        if done % 5000 == 0:
            advance(progress, 0.5 + (0.5 * min(done / total, 1.0) if total > 0 else 0.0))
        amenity = feature["amenity"] or ""
        if amenity not in SENSITIVE_AMENITIES and amenity != PARKING:
            continue
        way = feature["osm_way_id"]
        key = f"way/{way}" if way else f"relation/{feature['osm_id']}"
        if amenity == PARKING:
            capacity = _capacity(parse_other_tags(feature["other_tags"]).get("capacity"))
            _add(rows.parking, feature, key, PARKING, to_project, capacity=capacity)
        else:
            _add(rows.areas, feature, key, amenity, to_project)
    advance(progress, 1.0)
    return rows


def places_layers(rows: OsmPlaceRows, names: tuple[str, str, str] = (
        "OSM sensitive places (points)", "OSM sensitive places (areas)", "OSM parking")) -> OsmPlaces:
    """The rows as memory layers (on the main thread: layers belong to the thread that makes them)."""
    result = OsmPlaces(_memory_layer("Point", names[0]), _memory_layer("MultiPolygon", names[1]),
                       _memory_layer("MultiPolygon", names[2], with_capacity=True))
    for layer, found in ((result.sensitive_points, rows.points), (result.sensitive_areas, rows.areas),
                         (result.parking, rows.parking)):
        with_capacity = layer.fields().indexOf("capacity") >= 0
        features = []
        for key, name, kind, capacity, geometry in found:
            feature = QgsFeature(layer.fields())
            feature.setAttributes([key, name, kind, *([capacity] if with_capacity else [])])
            feature.setGeometry(geometry)
            features.append(feature)
        layer.dataProvider().addFeatures(features)
        layer.updateExtents()
    return result


def load_osm_places(
    path: str | Path,
    transform_context: QgsCoordinateTransformContext | None = None,
    names: tuple[str, str, str] = ("OSM sensitive places (points)", "OSM sensitive places (areas)",
                                   "OSM parking"),
    progress: Progress | None = None,
) -> OsmPlaces:
    """read_osm_places and places_layers in one go (Processing, scripts)."""
    return places_layers(read_osm_places(path, transform_context or QgsProject.instance().transformContext(),
                                         progress), names)


def _add(rows: list[PlaceRow], source: QgsFeature, key: str, kind: str, transform: QgsCoordinateTransform,
         capacity: int | None = None, multi: bool = True) -> None:
    geometry = QgsGeometry(source.geometry())
    if geometry.isNull() or geometry.isEmpty():
        return
    geometry.transform(transform)
    if multi:
        geometry.convertToMultiType()
    rows.append((key, source["name"] or "", kind, capacity, geometry))
