"""The WZDx 4.2 and Waze CIFS exports of works on Prato's real streets: valid against the official schemas,
drawn along the roads the footprints close, and read back by the WZDx importer into the same works."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import shapely
import shapely.ops
from lxml import etree

from situation_room_plugin.core.detours import closures_for_works
from situation_room_plugin.core.exports.cifs import cifs_incidents, cifs_json, cifs_xml
from situation_room_plugin.core.exports.common import (
    SKIP_INACTIVE,
    SKIP_NO_IMPACT,
    ExportOptions,
    lane_count,
    local_moment,
)
from situation_room_plugin.core.exports.wzdx import wzdx_feed
from situation_room_plugin.core.mapping import validate_feed
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.roads import build_graph
from situation_room_plugin.core.sources import Source
from situation_room_plugin.core.utm import to_utm32
from situation_room_plugin.core.works import Work
from situation_room_plugin.core.wzdx import parse_wzdx
from tests.unit.export_helpers import cifs_schema, prato_lanes, street_footprint, street_work, way
from tests.unit.road_helpers import grid, prato_graph, shifted
from tests.wzdx_fixtures import moved_to_prato, schema_validator

NOW = datetime(2026, 2, 20, 9, 30, tzinfo=timezone.utc)
MACHIAVELLI = "23485042"  # Via Niccolò Machiavelli, two lanes
CIMABUE = "30353076"  # Via Cimabue, lanes not mapped
DANESI = "30353661"  # Via Elio Danesi
SAN_QUIRICO = "8054876"  # Via San Quirico, two lanes
UNNAMED = "8054885"  # an unclassified road without a name
OWNERS = OwnerRegistry()


def utm(lonlat) -> np.ndarray:
    return np.asarray([to_utm32(lon, lat) for lon, lat in lonlat])


def schema_errors(validator, feed) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(feed)]


@pytest.fixture
def graph(shared_data):
    return prato_graph(shared_data)


@pytest.fixture
def works(shared_data):
    return [
        street_work(shared_data, MACHIAVELLI, title="Rete idrica via Machiavelli"),
        street_work(shared_data, CIMABUE, title="Fibra via Cimabue", owner="estracom", work_type="new_connection",
                    traffic_impact="some-lanes-closed", description="Posa di fibra sul lato nord",
                    start_date=date(2026, 6, 1), end_date=date(2026, 6, 5)),
        street_work(shared_data, SAN_QUIRICO, title="Gas via San Quirico", owner="toscana_energia",
                    traffic_impact="alternating-one-way", work_type="network_maintenance", status="in_progress"),
    ]


def test_the_works_on_prato_streets_are_a_valid_wzdx_4_2_feed_along_the_closed_roads(shared_data, graph, works):
    feed, selection = wzdx_feed(works, OWNERS, graph, prato_lanes(shared_data), now=NOW)
    assert schema_errors(schema_validator(shared_data), feed) == []
    assert [f["id"] for f in feed["features"]] == [w.uid for w in works]
    assert selection.skipped == {}
    assert [s["data_source_id"] for s in feed["feed_info"]["data_sources"]] == ["publiacqua", "estracom",
                                                                              "toscana_energia"]
    assert feed["feed_info"]["data_sources"][1]["organization_name"] == "Estracom"
    machiavelli, cimabue, quirico = (f["properties"] for f in feed["features"])
    assert machiavelli["core_details"]["road_names"] == ["Via Niccolò Machiavelli"]
    assert machiavelli["core_details"]["name"] == "Rete idrica via Machiavelli"
    assert machiavelli["vehicle_impact"] == "all-lanes-closed"
    assert machiavelli["lanes"] == [{"order": 1, "status": "closed", "type": "general"},
                                    {"order": 2, "status": "closed", "type": "general"}]
    assert "lanes" not in cimabue  # Via Cimabue's lanes are not mapped
    assert [lane["status"] for lane in quirico["lanes"]] == ["alternating-flow"] * 2
    assert cimabue["core_details"]["description"] == "Posa di fibra sul lato nord"
    assert cimabue["types_of_work"] == [{"type_name": "below-road-work", "is_architectural_change": False}]
    assert quirico["is_start_date_verified"] is True and machiavelli["is_start_date_verified"] is False
    for feature, osm_id in zip(feed["features"], (MACHIAVELLI, CIMABUE, SAN_QUIRICO)):
        line = shapely.LineString(utm(feature["geometry"]["coordinates"]))
        road = way(shared_data, osm_id)
        assert road.buffer(0.05).covers(line), osm_id  # on the road's own line, to 5 cm...
        assert line.buffer(0.05).covers(road.intersection(street_footprint(shared_data, osm_id)))  # ...all of it taken


def test_dates_are_rfc_3339_with_the_rome_offset_of_their_day(shared_data, graph, works):
    feed, _ = wzdx_feed(works, OWNERS, graph, now=NOW)
    winter, summer = feed["features"][0]["properties"], feed["features"][1]["properties"]
    assert (winter["start_date"], winter["end_date"]) == ("2026-03-02T00:00:00+01:00", "2026-03-20T23:59:59+01:00")
    assert (summer["start_date"], summer["end_date"]) == ("2026-06-01T00:00:00+02:00", "2026-06-05T23:59:59+02:00")
    assert feed["feed_info"]["update_date"] == "2026-02-20T09:30:00Z"


def test_without_a_time_zone_database_the_eu_rule_gives_the_same_offsets_every_day():
    rome = ZoneInfo("Europe/Rome")
    day = date(2025, 1, 1)
    while day < date(2028, 1, 1):
        for at in (time(0, 0), time(12, 0), time(23, 59, 59)):
            assert local_moment(day, at).utcoffset() == local_moment(day, at, rome).utcoffset(), (day, at)
        day += timedelta(days=1)


def test_works_that_leave_traffic_alone_are_left_out_and_counted(shared_data, graph, works):
    open_lanes = street_work(shared_data, MACHIAVELLI, title="Marciapiede", traffic_impact="all-lanes-open")
    done = street_work(shared_data, CIMABUE, title="Finito", status="completed")
    cancelled = street_work(shared_data, DANESI, title="Annullato", status="cancelled")
    feed, selection = wzdx_feed([open_lanes, *works, done, cancelled], OWNERS, graph, now=NOW)
    assert [f["id"] for f in feed["features"]] == [w.uid for w in works]
    assert selection.skipped == {SKIP_NO_IMPACT: 1, SKIP_INACTIVE: 2} and selection.skipped_count == 3
    empty, nothing = wzdx_feed([open_lanes], OWNERS, graph, now=NOW)
    assert empty["features"] == [] and nothing.skipped_count == 1
    assert schema_errors(schema_validator(shared_data), empty) == []


def test_a_multipolygon_on_two_streets_is_one_road_event_per_street_linked_in_sequence(shared_data, graph):
    both = shapely.MultiPolygon([street_footprint(shared_data, CIMABUE), street_footprint(shared_data, DANESI)])
    work = street_work(shared_data, geometry=both, title="Due tratti")
    feed, _ = wzdx_feed([work], OWNERS, graph, now=NOW)
    assert schema_errors(schema_validator(shared_data), feed) == []
    first, second = feed["features"]
    assert (first["id"], second["id"]) == (work.uid, f"{work.uid}/2")
    assert first["properties"]["core_details"]["related_road_events"] == [{"type": "next-in-sequence",
                                                                           "id": f"{work.uid}/2"}]
    assert second["properties"]["core_details"]["related_road_events"] == [{"type": "first-in-sequence",
                                                                            "id": work.uid}]
    names = {event["properties"]["core_details"]["road_names"][0] for event in (first, second)}
    assert names == {"Via Cimabue", "Via Elio Danesi"}


def test_a_road_without_a_name_gets_the_unnamed_label(shared_data, graph):
    work = street_work(shared_data, UNNAMED, title="Lavori su strada senza nome")
    options = ExportOptions(unnamed_road="strada senza nome")
    feed, _ = wzdx_feed([work], OWNERS, graph, now=NOW, options=options)
    assert schema_errors(schema_validator(shared_data), feed) == []
    assert feed["features"][0]["properties"]["core_details"]["road_names"] == ["strada senza nome"]
    incidents, _ = cifs_incidents([work], OWNERS, graph, now=NOW, options=options)
    assert incidents[0]["location"]["street"] == "strada senza nome"


def test_without_roads_the_footprint_centreline_is_drawn(shared_data):
    work = street_work(shared_data, MACHIAVELLI)
    feed, selection = wzdx_feed([work], OWNERS, now=NOW)
    assert schema_errors(schema_validator(shared_data), feed) == []
    line = shapely.LineString(utm(feed["features"][0]["geometry"]["coordinates"]))
    piece = way(shared_data, MACHIAVELLI)
    assert line.hausdorff_distance(shapely.ops.substring(piece, 0.3, 0.7, normalized=True)) < 15.0
    assert not selection.located[0].on_roads
    assert feed["features"][0]["properties"]["core_details"]["road_names"] == ["unnamed road"]


def test_a_closure_of_one_direction_follows_it_and_says_its_heading():
    lines = grid(3, 100.0, **{"row 1": {"name": "Via dell'Università"}})
    graph = build_graph(shifted(lines, 668_000.0, 4_861_000.0))
    footprint = shapely.box(668_010.0, 4_861_096.0, 668_190.0, 4_861_104.0)  # row 1, west to east
    base = {"uid": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "title": "Senso unico", "owner": "comune",
            "work_type": "resurfacing", "status": "planned", "start_date": date(2026, 3, 2),
            "end_date": date(2026, 3, 3), "traffic_impact": "all-lanes-closed",
            "geometry": shapely.MultiPolygon([footprint])}
    for direction, heading, first_x in (("forward", "eastbound", 668_000.0), ("backward", "westbound", 668_200.0)):
        work = Work(**base, closed_direction=direction)
        feed, _ = wzdx_feed([work], OWNERS, graph, now=NOW)
        event = feed["features"][0]
        assert event["properties"]["core_details"]["direction"] == heading
        assert event["properties"]["core_details"]["road_names"] == ["Via dell'Università"]
        assert utm(event["geometry"]["coordinates"])[0][0] == pytest.approx(first_x, abs=0.01)
        incidents, _ = cifs_incidents([work], OWNERS, graph, now=NOW)
        assert incidents[0]["location"]["direction"] == "ONE_DIRECTION"
    feed, _ = wzdx_feed([Work(**base)], OWNERS, graph, now=NOW)
    assert feed["features"][0]["properties"]["core_details"]["direction"] == "undefined"


def reimported(feed: dict, owner: str = "comune"):
    """The works the WZDx importer reads from a feed (as import_feed does: WGS 84 to EPSG:6707, then buffered)."""
    parsed = parse_wzdx(json.dumps(feed), "export", today=date(2026, 1, 1))
    for record in parsed.records:
        record.geometry = shapely.transform(record.geometry, lambda xy: utm(xy))
    source = Source(id="export", title="export", owner=owner, kind="wzdx", url="export.geojson")
    return validate_feed(parsed.records, source, OWNERS, now=NOW)


def test_a_wzdx_export_read_back_by_the_importer_gives_the_same_works(shared_data, graph, works):
    works[0].description = "Sostituzione della condotta"
    feed, _ = wzdx_feed(works, OWNERS, graph, prato_lanes(shared_data), now=NOW)
    report = reimported(feed)
    assert report.problems == [] and report.invalid_records == 0
    kept = ("uid", "title", "description", "owner", "start_date", "end_date", "traffic_impact",
            "closed_direction", "created_at", "updated_at")
    assert [{k: getattr(w, k) for k in kept} for w in report.works] == [
        {k: getattr(w, k) for k in kept} for w in works]
    # the work types come back, but a new connection is dug below the road like an excavation
    assert [w.work_type for w in report.works] == ["excavation", "excavation", "network_maintenance"]
    # the footprint is the exported line buffered by the lanes, as the importer does: the same roads close
    before = closures_for_works(graph, works)
    after = closures_for_works(graph, report.works)
    assert {uid: c.edges for uid, c in after.items()} == {uid: c.edges for uid, c in before.items()}
    for work, feature in zip(report.works, feed["features"]):
        lanes = len(feature["properties"].get("lanes", [])) or 2
        line = shapely.LineString(utm(feature["geometry"]["coordinates"]))
        expected = shapely.buffer(line, lanes * 3.5 / 2, cap_style="flat")
        assert work.geometry.symmetric_difference(expected).area < 0.01 * expected.area


def test_the_cifs_xml_of_prato_works_is_valid_and_its_json_has_the_same_incidents(shared_data, graph, works):
    incidents, _ = cifs_incidents(works, OWNERS, graph, now=NOW)
    document = cifs_xml(incidents, now=NOW)
    root = etree.fromstring(document)
    schema = cifs_schema(shared_data)
    assert schema.validate(root), schema.error_log
    assert root.get("timestamp") == "2026-02-20T09:30:00Z"
    items = root.findall("incident")
    assert [i.get("id") for i in items] == [w.uid for w in works]
    machiavelli = items[0]
    assert machiavelli.findtext("type") == "ROAD_CLOSED"
    assert machiavelli.findtext("subtype") == "ROAD_CLOSED_CONSTRUCTION"
    assert machiavelli.findtext("location/street") == "Via Niccolò Machiavelli"
    assert machiavelli.findtext("location/direction") == "BOTH_DIRECTIONS"
    assert machiavelli.findtext("starttime") == "2026-03-02T00:00:00+01:00"
    assert machiavelli.findtext("source/reference") == "publiacqua"
    assert items[1].findtext("type") == "HAZARD" and items[1].findtext("subtype") == "HAZARD_ON_ROAD_LANE_CLOSED"
    assert items[1].findtext("description") == "Fibra via Cimabue: Posa di fibra sul lato nord"
    numbers = [float(v) for v in machiavelli.findtext("location/polyline").split()]
    lat, lon = numbers[0::2], numbers[1::2]  # Waze: "lat lon lat lon"
    assert all(43.7 < v < 44.0 for v in lat) and all(10.9 < v < 11.2 for v in lon)
    line = shapely.LineString(utm(list(zip(lon, lat))))
    assert way(shared_data, MACHIAVELLI).buffer(0.05).covers(line)

    data = json.loads(json.dumps(cifs_json(incidents, now=NOW)))
    flat = [item["incident"] for item in data["incidents"]]
    assert [i["id"] for i in flat] == [i.get("id") for i in items]
    assert [i["polyline"] for i in flat] == [i.findtext("location/polyline") for i in items]
    assert [i["street"] for i in flat] == [i.findtext("location/street") for i in items]
    assert [(i["starttime"], i["endtime"]) for i in flat] == [(i.findtext("starttime"), i.findtext("endtime"))
                                                            for i in items]


def test_a_broken_cifs_document_is_refused_by_the_xsd(shared_data, graph, works):
    incidents, _ = cifs_incidents(works[:1], OWNERS, graph, now=NOW)
    incidents[0]["type"] = "CLOSED"
    assert not cifs_schema(shared_data).validate(etree.fromstring(cifs_xml(incidents, now=NOW)))


def test_a_work_on_two_streets_is_two_cifs_incidents_of_one_parent_event(shared_data, graph):
    both = shapely.MultiPolygon([street_footprint(shared_data, CIMABUE), street_footprint(shared_data, DANESI)])
    work = street_work(shared_data, geometry=both, title="Due tratti", daily_hours="08:00-12:00,14:00-18:00")
    incidents, _ = cifs_incidents([work], OWNERS, graph, now=NOW)
    root = etree.fromstring(cifs_xml(incidents, now=NOW))
    assert cifs_schema(shared_data).validate(root)
    assert [i.get("id") for i in root.findall("incident")] == [work.uid, f"{work.uid}/2"]
    assert {i.find("parent_event").get("id") for i in root.findall("incident")} == {work.uid}
    assert root.findtext("incident/schedule/everyday") == "08:00-12:00,14:00-18:00"


def test_osm_lanes_values_are_read_as_whole_numbers_of_lanes():
    assert [lane_count(v) for v in ("2", 3, "1.0", "", None, "2;3", "0", -1, True, "tanti")] == [
        2, 3, 1, None, None, None, None, None, None, None]


def test_a_work_on_two_streets_comes_back_from_the_importer_as_one_work_closing_both(shared_data, graph):
    both = shapely.MultiPolygon([street_footprint(shared_data, CIMABUE), street_footprint(shared_data, DANESI)])
    work = street_work(shared_data, geometry=both, title="Due tratti", owner="alia")
    feed, _ = wzdx_feed([work], OWNERS, graph, now=NOW)
    assert len(feed["features"]) == 2
    report = reimported(feed)
    assert report.problems == []
    (again,) = report.works
    assert (again.uid, again.title, again.owner) == (work.uid, "Due tratti", "alia")
    assert closures_for_works(graph, [again])[work.uid].edges == closures_for_works(graph, [work])[work.uid].edges


def test_the_importer_takes_the_owner_from_a_data_source_the_project_knows_and_only_then(shared_data):
    path = shared_data / "feeds/wzdx-examples/WorkZoneFeed/scenario1_simple_linestring_example.geojson"
    iowa = moved_to_prato(json.loads(path.read_text()))
    report = reimported(iowa, owner="comune")  # data sources "1" and "2", "Test City 1" and "TestDOT"
    assert {w.owner for w in report.works} == {"comune"}
    iowa["feed_info"]["data_sources"][0]["organization_name"] = "Publiacqua"  # known by name, data source "1"
    owners = {w.owner for w in reimported(iowa, owner="comune").works}
    assert owners == {"publiacqua", "comune"}


def test_an_event_that_only_looks_like_a_part_stays_a_road_event_of_its_own(shared_data, graph, works):
    feed, _ = wzdx_feed(works[:2], OWNERS, graph, now=NOW)
    second = feed["features"][1]
    second["id"] = f"{works[0].uid}/2"  # named like a part of the first, but not linked to it
    assert [r.fid for r in parse_wzdx(json.dumps(feed), "export").records] == [works[0].uid, second["id"]]
    second["properties"]["core_details"]["related_road_events"] = [{"type": "first-in-sequence",
                                                                    "id": works[0].uid}]
    assert [r.fid for r in parse_wzdx(json.dumps(feed), "export").records] == [works[0].uid]


def test_with_no_work_to_export_the_cifs_xml_is_empty_which_is_all_the_xsd_refuses(shared_data, graph, works):
    works[0].traffic_impact = "all-lanes-open"
    incidents, selection = cifs_incidents(works[:1], OWNERS, graph, now=NOW)
    assert incidents == [] and selection.skipped == {SKIP_NO_IMPACT: 1}
    schema = cifs_schema(shared_data)
    assert not schema.validate(etree.fromstring(cifs_xml(incidents, now=NOW)))
    assert [e.message for e in schema.error_log] == ["Element 'incidents': Missing child element(s). "
                                                     "Expected is ( incident )."]
    assert cifs_json(incidents, now=NOW) == {"timestamp": "2026-02-20T09:30:00Z", "incidents": []}
