"""situation_room:export_wzdx and situation_room:export_cifs through processing.run on works on Prato's real
streets: every output valid against its schema, the same as the core engines give, and a WZDx export read back
by situation_room:import_feed into the same works."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone

import processing
import pytest
import shapely
from lxml import etree
from qgis.core import QgsProcessingException, QgsVectorLayer

from situation_room_plugin.core.detours import closures_for_works
from situation_room_plugin.core.exports.common import select
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.roads import build_graph
from situation_room_plugin.core.works import Work
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.road_tables import read_road_lines as read_table
from tests.unit.export_helpers import cifs_schema, prato_lanes, street_footprint
from tests.wzdx_fixtures import schema_validator

MACHIAVELLI = "23485042"  # Via Niccolò Machiavelli, two lanes
CIMABUE = "30353076"
DANESI = "30353661"


@pytest.fixture
def roads_uri(shared_data):
    return f"{shared_data / 'prato' / 'prato_roads.gpkg'}|layername=roads"


@pytest.fixture
def graph(shared_data):
    return build_graph(read_table(shared_data / "prato" / "prato_roads.gpkg"))


def work(shared_data, osm_id: str, **overrides) -> Work:
    values = {"uid": str(uuid.uuid4()), "title": f"Scavo {osm_id}", "owner": "publiacqua",
              "work_type": "excavation", "status": "authorized", "start_date": date(2026, 3, 2),
              "end_date": date(2026, 3, 20), "traffic_impact": "all-lanes-closed",
              "created_at": datetime(2026, 1, 15, 8, 0, tzinfo=timezone.utc),
              "updated_at": datetime(2026, 2, 1, 17, 45, 12, tzinfo=timezone.utc),
              "geometry": shapely.MultiPolygon([street_footprint(shared_data, osm_id)])}
    values.update(overrides)
    return Work(**values)


@pytest.fixture
def works(shared_data) -> list[Work]:
    return [
        work(shared_data, MACHIAVELLI, title="Rete idrica via Niccolò Machiavelli", description="Condotta DN150"),
        work(shared_data, CIMABUE, title="Fibra via Cimabue", owner="estracom", work_type="resurfacing",
             traffic_impact="some-lanes-closed", start_date=date(2026, 6, 1), end_date=date(2026, 6, 5),
             daily_hours="08:00-18:00"),
        work(shared_data, DANESI, title="Gas via Danesi", owner="toscana_energia", traffic_impact="alternating-one-way",
             work_type="network_maintenance"),
        work(shared_data, DANESI, title="Marciapiede via Danesi", traffic_impact="all-lanes-open"),
        work(shared_data, CIMABUE, title="Annullato", status="cancelled"),
    ]


def works_layer(works: list[Work]) -> QgsVectorLayer:
    return layers.works_memory_layer(works)


def test_export_wzdx_writes_a_valid_feed_of_the_works_that_affect_traffic(provider, shared_data, roads_uri, graph,
                                                                          works, tmp_path):
    out = tmp_path / "cantieri.geojson"
    result = processing.run("situation_room:export_wzdx", {"WORKS": works_layer(works), "ROADS": roads_uri,
                                                            "OUTPUT": str(out)})
    assert (result["OUTPUT"], result["EXPORTED_COUNT"], result["SKIPPED_COUNT"]) == (str(out), 3, 2)
    feed = json.loads(out.read_text(encoding="utf-8"))
    assert list(schema_validator(shared_data).iter_errors(feed)) == []
    assert [f["id"] for f in feed["features"]] == [w.uid for w in works[:3]]
    # the same road events as the core gives on the same roads and lanes (the layer's ids are the table's)
    expected = select(works, graph, prato_lanes(shared_data))
    for feature, located in zip(feed["features"], expected.located):
        assert feature["properties"]["core_details"]["road_names"] == list(located.parts[0].road_names)
        assert feature["geometry"]["coordinates"] == [list(xy) for xy in located.parts[0].lonlat]
    assert feed["features"][0]["properties"]["core_details"]["road_names"] == ["Via Niccolò Machiavelli"]
    assert len(feed["features"][0]["properties"]["lanes"]) == 2


def test_a_wzdx_export_imported_again_gives_the_same_works(provider, shared_data, roads_uri, graph, works,
                                                           tmp_path):
    out = tmp_path / "cantieri.geojson"
    processing.run("situation_room:export_wzdx", {"WORKS": works_layer(works), "ROADS": roads_uri,
                                                   "OUTPUT": str(out)})
    result = processing.run("situation_room:import_feed", {"SOURCE": str(out), "KIND": 4, "OWNER": "comune",
                                                           "OUTPUT": "memory:", "REPORT": "memory:"})
    assert (result["VALID_COUNT"], result["INVALID_COUNT"]) == (3, 0)
    back = {w.uid: w for w in layers.read_works(result["OUTPUT"], OwnerRegistry()).works}
    kept = ("uid", "title", "description", "owner", "work_type", "start_date", "end_date", "traffic_impact",
            "closed_direction", "created_at", "updated_at")
    for original in works[:3]:
        again = back[original.uid]
        assert {k: getattr(again, k) for k in kept} == {k: getattr(original, k) for k in kept}, original.title
    # buffered back as the importer does, the footprints close the same roads
    before = {uid: c.edges for uid, c in closures_for_works(graph, works[:3]).items()}
    after = {uid: c.edges for uid, c in closures_for_works(graph, list(back.values())).items()}
    assert after == before


def test_export_cifs_writes_valid_xml_and_the_same_incidents_as_json(provider, shared_data, roads_uri, works,
                                                                     tmp_path):
    layer = works_layer(works)
    xml_result = processing.run("situation_room:export_cifs", {"WORKS": layer, "ROADS": roads_uri,
                                                                "OUTPUT": str(tmp_path / "waze.xml")})
    json_result = processing.run("situation_room:export_cifs", {"WORKS": layer, "ROADS": roads_uri,
                                                                 "OUTPUT": str(tmp_path / "waze.json")})
    assert (xml_result["EXPORTED_COUNT"], xml_result["SKIPPED_COUNT"]) == (3, 2)
    assert (json_result["EXPORTED_COUNT"], json_result["SKIPPED_COUNT"]) == (3, 2)
    root = etree.parse(str(tmp_path / "waze.xml")).getroot()
    schema = cifs_schema(shared_data)
    assert schema.validate(root), schema.error_log
    incidents = root.findall("incident")
    assert [(i.get("id"), i.findtext("type")) for i in incidents] == [
        (works[0].uid, "ROAD_CLOSED"), (works[1].uid, "HAZARD"), (works[2].uid, "HAZARD")]
    assert incidents[0].findtext("location/street") == "Via Niccolò Machiavelli"
    assert incidents[1].findtext("schedule/everyday") == "08:00-18:00"
    data = json.loads((tmp_path / "waze.json").read_text(encoding="utf-8"))
    flat = [item["incident"] for item in data["incidents"]]
    assert [(i["id"], i["street"], i["polyline"], i["direction"], i["starttime"], i["endtime"]) for i in flat] == [
        (i.get("id"), i.findtext("location/street"), i.findtext("location/polyline"),
         i.findtext("location/direction"), i.findtext("starttime"), i.findtext("endtime")) for i in incidents]


def test_export_cifs_refuses_an_output_that_is_neither_xml_nor_json(provider, shared_data, works, tmp_path):
    with pytest.raises(QgsProcessingException, match=r"waze\.txt.*\.xml.*\.json"):
        processing.run("situation_room:export_cifs", {"WORKS": works_layer(works),
                                                       "OUTPUT": str(tmp_path / "waze.txt")})
    assert not (tmp_path / "waze.txt").exists()
