"""WZDx feeds as works, checked on the official 4.2 examples and schema."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from situation_room_plugin.core.geojson import FeedError
from situation_room_plugin.core.wzdx import parse_wzdx
from tests.wzdx_fixtures import PRATO_LONLAT, examples, moved_to_prato, schema_validator


@pytest.fixture
def example_paths(shared_data: Path) -> list[Path]:
    return examples(shared_data)


def test_the_official_examples_are_valid_wzdx_4_2(shared_data, example_paths):
    validator = schema_validator(shared_data)
    for path in example_paths:
        errors = list(validator.iter_errors(json.loads(path.read_text())))
        assert errors == [], path.name
    broken = json.loads(example_paths[0].read_text())
    broken["features"][0]["properties"]["vehicle_impact"] = "closed"
    broken["features"][1]["geometry"] = {"type": "LineString", "coordinates": [[1, 2]]}
    assert len(list(validator.iter_errors(broken))) == 2  # the validator does check


def test_an_example_moved_to_prato_is_still_valid_wzdx(shared_data, example_paths):
    validator = schema_validator(shared_data)
    moved = moved_to_prato(json.loads(example_paths[0].read_text()))
    assert list(validator.iter_errors(moved)) == []
    assert moved["features"][0]["geometry"]["coordinates"][0] == pytest.approx(list(PRATO_LONLAT))


def test_every_road_event_of_every_example_becomes_one_record_in_the_works_schema(example_paths):
    for path in example_paths:
        data = json.loads(path.read_text())
        feed = parse_wzdx(path.read_bytes(), path.name)
        assert [r.fid for r in feed.records] == [f["id"] for f in data["features"]], path.name
        for record, feature in zip(feed.records, data["features"]):
            assert record.problems == []
            props = record.properties
            assert props["start_date"] == date.fromisoformat(feature["properties"]["start_date"][:10])
            assert props["traffic_impact"] in ("all-lanes-closed", "some-lanes-closed", "alternating-one-way",
                                               "all-lanes-open", "unknown")
            assert record.geometry.geom_type in ("LineString", "MultiPoint")


def test_vehicle_impact_road_names_and_lanes_are_carried_over(shared_data):
    path = shared_data / "feeds/wzdx-examples/WorkZoneFeed/scenario1_simple_linestring_example.geojson"
    records = {r.fid: r for r in parse_wzdx(path.read_bytes(), "s1", today=date(2010, 1, 3)).records}
    first = records["af2e3f51-611f-4ce0-9282-2f28ca68e62f"].properties
    assert first["title"] == "I-80, I-35 (northbound)" and first["road_names"] == "I-80, I-35"
    assert (first["start_date"], first["end_date"]) == (date(2010, 1, 1), date(2010, 1, 2))
    assert first["status"] == "completed" and first["data_source"] == "Test City 1"
    merge = records["edf2162b-1f5d-4ddd-a731-78fb81a22e6a"]
    assert merge.properties["traffic_impact"] == "some-lanes-closed"  # was some-lanes-closed-merge-left
    assert merge.properties["status"] == "in_progress" and merge.buffer_m == 2 * 3.5 / 2
    surface = records["6f57aded-7291-462e-9892-607b2b7d116c"].properties
    assert surface["work_type"] == "resurfacing"  # types_of_work: surface-work


def test_a_detour_is_read_as_a_detour(shared_data):
    path = shared_data / "feeds/wzdx-examples/WorkZoneFeed/scenario4_detour_linestring_example.geojson"
    detours = [r for r in parse_wzdx(path.read_bytes(), "s4").records if r.properties["event_type"] == "detour"]
    assert len(detours) == 3 and all(r.properties["title"].endswith("detour") for r in detours)


def test_other_versions_are_refused_with_the_versions_that_are_read(shared_data):
    path = shared_data / "feeds/wzdx-examples/WorkZoneFeed/scenario1_simple_linestring_example.geojson"
    data = json.loads(path.read_text())
    for version, code in (("2.0", "wzdx_unsupported_version"), ("5.0", "wzdx_unsupported_version"),
                          (None, "wzdx_no_version")):
        changed = copy.deepcopy(data)
        if version is None:
            del changed["feed_info"]["version"]
        else:
            changed["feed_info"]["version"] = version
        with pytest.raises(FeedError) as caught:
            parse_wzdx(json.dumps(changed), "feed")
        assert caught.value.problem.code == code
        assert "4.2" in caught.value.problem.message


def test_a_flat_wzdx_3_road_event_is_mapped_too():
    feed = {"road_event_feed_info": {"version": "3.1", "data_sources": []}, "type": "FeatureCollection",
            "features": [{"type": "Feature", "id": "x", "properties": {
                "road_event_id": "x", "event_type": "work-zone", "road_names": ["Via Roma"], "direction": "unknown",
                "start_date": "2026-03-02T07:00:00+01:00", "end_date": "2026-03-04T18:00:00+01:00",
                "vehicle_impact": "all-lanes-closed", "event_status": "active"},
                "geometry": {"type": "LineString", "coordinates": [[11.09, 43.88], [11.10, 43.88]]}}]}
    props = parse_wzdx(json.dumps(feed), "v3").records[0].properties
    assert (props["title"], props["traffic_impact"], props["status"]) == ("Via Roma", "all-lanes-closed",
                                                                        "in_progress")
    assert props["start_date"] == date(2026, 3, 2)


def test_a_road_event_of_another_type_is_reported_and_the_others_kept(shared_data):
    path = shared_data / "feeds/wzdx-examples/WorkZoneFeed/scenario1_simple_linestring_example.geojson"
    data = json.loads(path.read_text())
    data["features"][0]["properties"]["core_details"]["event_type"] = "restriction"
    records = parse_wzdx(json.dumps(data), "s1").records
    assert [p[1] for p in records[0].problems] == ["wzdx_event_type"]
    assert all(r.problems == [] for r in records[1:])
