"""GeoJSON read safely: a document that cannot be read says why; a bad feature does not lose the others."""

from __future__ import annotations

import json

import pytest
import shapely

from situation_room_plugin.core.geojson import FeedError, parse_geojson


def collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra})


def point(lon, lat, **props):
    return {"type": "Feature", "id": props.pop("id", None), "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}


def test_a_truncated_download_is_named_as_such():
    text = collection(point(11.1, 43.88, title="a"), point(11.2, 43.88, title="b"))
    with pytest.raises(FeedError) as caught:
        parse_geojson(text[: len(text) // 2].encode(), "feed")
    assert caught.value.problem.code == "truncated_json"
    assert "cut off" in caught.value.problem.message


@pytest.mark.parametrize(
    ("content", "code"),
    [(b'{"type": "FeatureCollection", "features": [}', "bad_json"), (b"", "empty_document"),
     (b'\xff\xfe{\x00"\x00a', "bad_encoding"), (b'{"title": "\x81\x8d"}', "not_utf8"),
     (b'{"type": "Topology"}', "not_feature_collection"),
     (b"[" * 100_000 + b"]" * 100_000, "bad_json")],
)
def test_a_document_that_cannot_be_read_raises_one_clear_problem(content, code):
    with pytest.raises(FeedError) as caught:
        parse_geojson(content, "feed")
    assert caught.value.problem.code == code and caught.value.problem.record == "feed"


def test_broken_features_are_reported_one_by_one_and_the_good_ones_kept():
    text = collection(
        point(11.1, 43.88, id="good", title="a"),
        {"type": "Feature", "id": "ring", "geometry": {"type": "Polygon", "coordinates": [[[11.1, 43.8]]]},
         "properties": {}},
        point(668000, 4861000, id="projected"),
        {"type": "Feature", "id": "props", "geometry": None, "properties": ["not", "an", "object"]},
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Feature", "id": "nan", "geometry": {"type": "Point", "coordinates": ["x", 1]}, "properties": {}},
    )
    feed = parse_geojson(text.encode(), "feed")
    codes = {r.fid: [p[1] for p in r.problems] for r in feed.records}
    assert codes == {"good": [], "ring": ["geometry_unreadable"], "projected": ["not_lonlat"],
                     "props": ["bad_properties"], "5": ["not_a_feature"], "nan": ["geometry_unreadable"]}
    good = feed.records[0]
    assert good.properties == {"title": "a"} and good.geometry.x == 11.1


def test_an_old_style_crs_member_is_honoured_and_an_unreadable_one_reported():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3003"}}
    feed = parse_geojson(collection(point(1668000, 4861000), crs=crs), "feed")
    assert feed.crs == "EPSG:3003" and feed.records[0].problems == []
    feed = parse_geojson(collection(point(11.1, 43.88), crs={"type": "link", "properties": {"href": "x"}}), "feed")
    assert feed.crs == "EPSG:4326" and [p.code for p in feed.problems] == ["unknown_crs"]
    crs84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert parse_geojson(collection(point(11.1, 43.88), crs=crs84), "feed").crs == "EPSG:4326"


def test_geometries_built_in_one_call_equal_those_read_one_by_one():
    from shapely.geometry import shape

    squares = [{"type": "Feature", "id": i, "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[[11 + i, 43], [11.1 + i, 43], [11.1 + i, 43.1],
                                                                 [11 + i, 43]],
                                                                [[11.01 + i, 43.01], [11.02 + i, 43.01],
                                                                 [11.02 + i, 43.02], [11.01 + i, 43.01]]]}}
               for i in range(3)]
    line = {"type": "LineString", "coordinates": [[11, 43], [12, 44]]}
    lines = [{"type": "Feature", "properties": {}, "geometry": line},
             {"type": "Feature", "properties": {}, "geometry": None}]
    for features in (squares, lines):
        feed = parse_geojson(collection(*features), "feed")
        for record, feature in zip(feed.records, features):
            expected = None if feature["geometry"] is None else shape(feature["geometry"])
            assert (record.geometry is None) == (expected is None)
            if expected is not None:
                assert shapely.equals_exact(record.geometry, expected) and record.problems == []


def test_one_broken_ring_among_polygons_is_reported_alone():
    ring = [[11.0, 43.0], [11.1, 43.0], [11.1, 43.1], [11.0, 43.0]]
    good = {"type": "Feature", "id": "ok", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    bad = {"type": "Feature", "id": "open", "properties": {},
           "geometry": {"type": "Polygon", "coordinates": [ring[:2]]}}
    feed = parse_geojson(collection(good, bad, {**good, "id": "ok2"}), "feed")
    assert {r.fid: [p[1] for p in r.problems] for r in feed.records} == {
        "ok": [], "open": ["geometry_unreadable"], "ok2": []}
    assert feed.records[2].geometry.area > 0


def read_all_at_once(text, default_crs=""):
    """The reference: the whole document parsed by json.loads, then its features read."""
    from situation_room_plugin.core.geojson import WGS84, crs_of, feature_records

    data = json.loads(text)
    if data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    crs, _ = crs_of(data, "feed", default_crs or WGS84)
    return crs, feature_records(data["features"], crs)


def test_a_document_read_feature_by_feature_gives_what_json_loads_gives():
    from situation_room_plugin.core.geojson import read_geojson

    gauss_boaga = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3003"}}
    features = [point(1668000 + i, 4861000, id=f"f{i}", title=f"w{i}", note="features, crs ] } [ {") for i in range(5)]
    features.append({"type": "Feature", "id": "nested", "geometry": None,
                     "properties": {"features": [1, 2], "crs": "in a property", "type": "FeatureCollection"}})
    features.append(7)
    documents = [
        json.dumps({"type": "FeatureCollection", "crs": gauss_boaga, "features": features}),
        json.dumps({"features": features, "type": "FeatureCollection", "crs": gauss_boaga}),  # CRS after
        json.dumps({"type": "FeatureCollection", "features": features[:5], "crs": gauss_boaga}),
        json.dumps({"type": "FeatureCollection", "name": "x", "features": features[:5], "bbox": [1, 2, 3, 4]},
                   indent=3),
        json.dumps({"type": "FeatureCollection", "features": []}),
        json.dumps(features[0]),  # a single Feature
        "\n {\"type\":\"FeatureCollection\" ,\"features\" :[ " + " ,\r\n".join(json.dumps(f) for f in features[:3])
        + " ] }\t\n",
    ]
    for text in documents:
        document = read_geojson(text.encode(), "feed")
        records = [r for batch in document.batches(2) for r in batch]
        crs, expected = read_all_at_once(text)
        assert document.crs == crs
        assert [(r.fid, r.properties, r.problems) for r in records] == [
            (r.fid, r.properties, r.problems) for r in expected]
        assert [None if r.geometry is None else r.geometry.wkt for r in records] == [
            None if r.geometry is None else r.geometry.wkt for r in expected]


@pytest.mark.parametrize(
    "tail", ['{"type": "Feature", "geometry": null, "proper', "7,]}", "7], }", "7]}, 8", "7] ", "7]}}"])
def test_a_document_broken_after_its_first_features_gives_them_then_says_where_it_breaks(tail):
    from situation_room_plugin.core.geojson import load_json, read_geojson

    good = ", ".join(json.dumps(point(11.1, 43.88 + i / 100, id=f"ok{i}")) for i in range(3))
    text = '{"type": "FeatureCollection", "features": [' + good + ", " + tail
    with pytest.raises(FeedError) as expected:  # what parsing it whole says
        load_json(text.encode(), "feed")
    document = read_geojson(text.encode(), "feed")
    batches = document.batches(1)
    assert [r.fid for r in next(batches)] == ["ok0"]  # read before the break is reached
    with pytest.raises(FeedError) as caught:
        list(batches)
    assert caught.value.problem.code == expected.value.problem.code
    if expected.value.problem.code == "bad_json":  # where it breaks, as json says it
        assert caught.value.problem.params["value"] == expected.value.problem.params["value"]


def test_a_document_of_another_type_is_refused_even_with_features():
    from situation_room_plugin.core.geojson import read_geojson

    text = json.dumps({"type": "Topology", "features": [point(11.1, 43.88)]})
    with pytest.raises(FeedError) as caught:
        document = read_geojson(text, "feed")
        list(document.batches(10))
    assert caught.value.problem.code == "not_feature_collection" and "Topology" in caught.value.problem.message
