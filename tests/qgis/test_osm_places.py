"""Sensitive places and parking from Prato's OpenStreetMap extract, and conflicts with them."""

from __future__ import annotations

import processing
import pytest
import shapely
from qgis.core import QgsCoordinateReferenceSystem

from situation_room_plugin.qgis_io.osm import OsmError, load_osm_places, parse_other_tags
from tests.qgis.test_conflicts_algorithms import works_layer
from tests.unit.works_builder import work


def test_other_tags_are_read_as_key_values_with_quotes_and_commas():
    tags = parse_other_tags('"capacity"=>"40","name:it"=>"Piazza \\"Mercatale\\"","fee"=>"yes, 1€"')
    assert tags == {"capacity": "40", "name:it": 'Piazza "Mercatale"', "fee": "yes, 1€"}
    assert parse_other_tags(None) == {}


@pytest.fixture(scope="module")
def prato_places(qgis_app):
    from tests.conftest import SHARED_DATA

    pbf = SHARED_DATA / "prato" / "prato.osm.pbf"
    if not pbf.exists():
        pytest.skip(f"the reference data {pbf} is absent (see ../shared/data/README.md)")
    return pbf, load_osm_places(pbf)


def test_prato_schools_hospitals_bus_stops_and_parking_come_out_in_epsg_6707(prato_places):
    _, places = prato_places
    for layer in places.layers():
        assert layer.crs() == QgsCoordinateReferenceSystem("EPSG:6707")
    points = list(places.sensitive_points.getFeatures())
    kinds = {f["kind"] for f in points}
    assert {"school", "bus_stop"} <= kinds
    assert sum(f["kind"] == "bus_stop" for f in points) > 500  # Prato's bus network has hundreds of stops
    areas = list(places.sensitive_areas.getFeatures())
    assert {"school", "hospital"} <= {f["kind"] for f in areas}
    assert all(f["osm_id"].startswith(("way/", "relation/")) for f in areas)
    assert any("Meucci" in (f["name"] or "") for f in points)
    parking = list(places.parking.getFeatures())
    assert len(parking) > 300
    assert any(f["capacity"] for f in parking)
    x = places.parking.extent().center().x()
    assert 660_000 < x < 675_000


def test_a_work_beside_a_prato_school_is_a_sensitive_conflict(provider, prato_places, tmp_path):
    pbf, places = prato_places
    school = next(f for f in places.sensitive_points.getFeatures() if "Meucci" in (f["name"] or ""))
    point = school.geometry().asPoint()
    footprint = shapely.MultiPolygon([shapely.box(point.x() + 5, point.y() - 3, point.x() + 45, point.y() + 3)])
    result = processing.run("situation_room:osm_places", {
        "INPUT": str(pbf), "SENSITIVE_POINTS": "memory:", "SENSITIVE_AREAS": "memory:", "PARKING": "memory:",
    })
    assert result["SENSITIVE_POINTS_COUNT"] == places.sensitive_points.featureCount()
    detected = processing.run("situation_room:detect_conflicts", {
        "WORKS": works_layer([work(0, footprint, 0, 10)]), "STORE": str(tmp_path / "p.gpkg"),
        "SENSITIVE": [result["SENSITIVE_POINTS"], result["SENSITIVE_AREAS"]], "PARKING": result["PARKING"],
        "OUTPUT": "memory:",
    })
    names = {f["title_b"] for f in detected["OUTPUT"].getFeatures() if f["kind"] == "sensitive"}
    assert any("Meucci" in name for name in names)


def test_a_file_that_is_not_osm_is_refused_with_a_clear_message(qgis_app, tmp_path):
    with pytest.raises(OsmError, match="no such file"):
        load_osm_places(tmp_path / "missing.osm.pbf")
    bad = tmp_path / "bad.osm.pbf"
    bad.write_text("not osm")
    with pytest.raises(OsmError, match="OpenStreetMap"):
        load_osm_places(bad)
