"""Hostile input (issue 10): geometry bombs, odd encodings, NUL characters, XML for GeoJSON, odd WZDx feeds and
timestamps — each is a problem of its document or record, said clearly; the good records are kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date

import numpy as np
import pytest
import shapely

from situation_room_plugin.core.geojson import FeedError, parse_geojson
from situation_room_plugin.core.mapping import FeedRecord, buffered_footprint, validate_feed
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Severity
from situation_room_plugin.core.sources import FieldMapping, Source
from situation_room_plugin.core.works import (
    MAX_FOOTPRINT_VERTICES,
    MAX_SELF_CROSSINGS,
    check_footprint,
    count_self_crossings,
    parse_date,
    validate_records,
)
from situation_room_plugin.core.wzdx import parse_wzdx
from tests.conftest import ROOT
from tests.unit.factories import PRATO_X, PRATO_Y, record, square

OWNERS = OwnerRegistry()
SOURCE = Source("pa", "Publiacqua", "publiacqua", "geojson_url", "https://example.org/cantieri.geojson",
                mapping=FieldMapping(buffer_m=3.0))


def random_polygon(vertices: int, seed: int = 1) -> shapely.Polygon:
    """A polygon whose vertices are in random order inside 200 m around Prato: its outline crosses itself
    about vertices² / 10 times."""
    rng = np.random.default_rng(seed)
    return shapely.Polygon(rng.uniform(0, 200, (vertices, 2)) + np.array([PRATO_X, PRATO_Y]))


def outline_with_slips(vertices: int, slips: int, seed: int = 2) -> shapely.Polygon:
    """A long thin outline (a street's) with `slips` vertices misplaced across it: a few crossings."""
    t = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    points = np.c_[100 * np.cos(t), 8 * np.sin(t)] + (PRATO_X, PRATO_Y)
    moved = np.random.default_rng(seed).choice(vertices, slips, replace=False)
    points[moved] = points[(moved + vertices // 2) % vertices]
    return shapely.Polygon(points)


def run_isolated(code: str, seconds: int = 300, memory_mb: int = 2000) -> dict:
    """Run test code in a child Python with a cap on its time and memory, so that a bound that does not hold
    fails the test instead of taking the machine (make_valid of a 5,000-vertex tangle wants 4.4 GB)."""
    limit = memory_mb * 2**20
    setup = (f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"
             if sys.platform.startswith("linux") else "")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # no address space reserved per core
    done = subprocess.run([sys.executable, "-c", setup + textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=seconds, check=False, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_crossings_are_counted_without_the_shared_vertices_of_neighbouring_segments():
    assert count_self_crossings(square(), 10) == 0
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    assert count_self_crossings(bowtie, 10) == 1
    assert count_self_crossings(shapely.LineString([(0, 0), (10, 10), (10, 0), (0, 10)]), 10) == 1
    assert count_self_crossings(shapely.LineString([(0, 0), (10, 0), (20, 0)]), 10) == 0
    # against a brute force count over every pair of segments
    tangle = random_polygon(60)
    coords = shapely.get_coordinates(tangle)
    segments = [shapely.LineString(coords[i:i + 2]) for i in range(len(coords) - 1)]
    n = len(segments)
    brute = sum(segments[i].intersects(segments[j]) for i in range(n) for j in range(i + 2, n)
                if not (i == 0 and j == n - 1))
    assert count_self_crossings(tangle, 10**6) == brute
    assert MAX_SELF_CROSSINGS < count_self_crossings(random_polygon(2000), MAX_SELF_CROSSINGS) < brute * 10**3


def test_an_invalid_footprint_with_a_few_crossings_is_repaired_whatever_its_vertices():
    slipped = outline_with_slips(8000, 3)
    assert not slipped.is_valid and count_self_crossings(slipped, 100) < 100
    footprint, problems = check_footprint(slipped)
    assert footprint is not None and footprint.is_valid
    assert [code for code, _, _ in problems] == ["geometry_repaired"]


@pytest.mark.parametrize("vertices", [2000, 5000])
def test_a_geometry_bomb_is_refused_on_its_own_and_the_other_records_are_kept(vertices):
    found = run_isolated(f"""
        import json
        from tests.unit.test_hostile_input import OWNERS, random_polygon
        from tests.unit.factories import record, square
        from situation_room_plugin.core.works import validate_records
        bomb = random_polygon({vertices})
        records = [("feature 1", record(uid="7c9e6679-7425-40de-944b-e07fc1f90ae1"), square()),
                   ("feature 2", record(uid="7c9e6679-7425-40de-944b-e07fc1f90ae2", title="Bomba"), bomb),
                   ("feature 3", record(uid="7c9e6679-7425-40de-944b-e07fc1f90ae3"), square(y=4_861_100))]
        report = validate_records(records, OWNERS)
        print(json.dumps({{"works": [w.uid[-1] for w in report.works],
                          "problems": [[p.record, p.field, p.code, p.message] for p in report.problems]}}))
    """)
    assert found["works"] == ["1", "3"]
    [(ref, field, code, message)] = found["problems"]
    assert (field, code) == ("geometry", "too_complex_to_repair")
    assert "feature 2" in ref and "Bomba" in ref and f"{MAX_SELF_CROSSINGS}" in message.replace(",", "")


def test_a_feed_whose_lines_are_tangles_keeps_its_other_features():
    found = run_isolated("""
        import json
        import numpy as np, shapely
        from tests.unit.test_hostile_input import OWNERS, SOURCE
        from tests.unit.factories import PRATO_X, PRATO_Y, record
        from situation_room_plugin.core.mapping import FeedRecord, validate_feed
        rng = np.random.default_rng(3)
        tangle = shapely.LineString(rng.uniform(0, 200, (3000, 2)) + (PRATO_X, PRATO_Y))
        street = shapely.LineString([(PRATO_X, PRATO_Y), (PRATO_X + 80, PRATO_Y)])
        records = [FeedRecord("1", record(uid=None), street), FeedRecord("2", record(uid=None), tangle),
                   FeedRecord("3", record(uid=None, title="Vertici"), shapely.MultiPoint(
                       rng.uniform(0, 200, (10_001, 2)) + (PRATO_X, PRATO_Y)))]
        report = validate_feed(records, SOURCE, OWNERS)
        print(json.dumps({"works": len(report.works), "problems": [[p.record, p.code] for p in report.problems]}))
    """)
    assert found["works"] == 1
    assert [(ref.split(" ")[1], code) for ref, code in found["problems"]] == [
        ("#2", "too_complex_to_buffer"), ("#3", "too_many_vertices")]


def test_a_footprint_of_more_vertices_than_a_street_has_is_refused_saying_so():
    circle = shapely.Point(PRATO_X, PRATO_Y).buffer(50, quad_segs=MAX_FOOTPRINT_VERTICES // 4 + 1)
    assert circle.is_valid and shapely.get_num_coordinates(circle) > MAX_FOOTPRINT_VERTICES
    report = validate_records([("feature 1", record(), circle)], OWNERS)
    [problem] = report.problems
    assert problem.code == "too_many_vertices" and "10000" in problem.message.replace(",", "")
    assert report.works == []
    assert buffered_footprint(shapely.LineString(circle.exterior.coords), 3.0)[0] is None


def test_a_zero_length_wzdx_line_is_read_as_a_point_location():
    footprint, problems = buffered_footprint(shapely.LineString([(PRATO_X, PRATO_Y)] * 3), 3.5)
    assert footprint.geom_type == "Polygon" and footprint.area == pytest.approx(np.pi * 3.5**2, rel=0.1)
    assert [(code, severity) for code, severity, _ in problems] == [("zero_length_line", Severity.WARNING)]
    report = validate_feed([FeedRecord("1", record(uid=None), shapely.LineString([(PRATO_X, PRATO_Y)] * 2))],
                           SOURCE, OWNERS)
    assert len(report.works) == 1 and [p.code for p in report.problems] == ["zero_length_line"]


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


def feature(fid: str, **props) -> dict:
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [11.1, 43.88]},
            "properties": props}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_byte_order_marks_are_read(encoding):
    text = collection(feature("1", title="Lavori in via Santa Trìnita — già chiusa"))
    parsed = parse_geojson(text.encode(encoding), "feed")
    assert parsed.records[0].properties["title"] == "Lavori in via Santa Trìnita — già chiusa"
    assert parsed.problems == []


def test_a_windows_1252_feed_is_read_as_such_with_a_warning_naming_the_first_odd_byte():
    text = collection(feature("1", title="Perché la via è chiusa: “lavori”"))
    content = text.encode("cp1252")
    parsed = parse_geojson(content, "feed")
    assert parsed.records[0].properties["title"] == "Perché la via è chiusa: “lavori”"
    [warning] = parsed.problems
    assert warning.code == "read_as_cp1252" and warning.severity is Severity.WARNING
    assert f"offset {content.index('é'.encode('cp1252'))}" in warning.message and "Windows-1252" in warning.message


def test_bytes_that_are_no_known_encoding_are_refused_naming_where():
    content = b'{"type": "FeatureCollection", "features": [], "x": "\x81"}'
    with pytest.raises(FeedError) as caught:
        parse_geojson(content, "feed")
    assert caught.value.problem.code == "not_utf8" and "0x81" in caught.value.problem.message
    offset = content.index(b"\x81")
    assert f"offset {offset}" in caught.value.problem.message


@pytest.mark.parametrize(("content", "root"), [
    (b'<?xml version="1.0"?>\n<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0"/>',
     "wfs:FeatureCollection"),
    (b"\n  <ows:ExceptionReport><ows:Exception/></ows:ExceptionReport>", "ows:ExceptionReport"),
    (b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "html"),
])
def test_xml_given_as_geojson_is_named_as_xml(content, root):
    with pytest.raises(FeedError) as caught:
        parse_geojson(content, "feed")
    assert caught.value.problem.code == "xml_not_geojson"
    assert f"<{root}>" in caught.value.problem.message and "not GeoJSON" in caught.value.problem.message


def test_nul_characters_are_removed_from_texts_and_reported_on_their_field():
    text = json.dumps({"type": "FeatureCollection", "features": [
        feature("1", title="Scavo\u0000 via Roma", note={"inner": ["a\u0000b\u0000"]}), feature("2", title="ok")]})
    assert "\\u0000" in text
    records = parse_geojson(text, "feed").records
    assert records[0].properties == {"title": "Scavo via Roma", "note": {"inner": ["ab"]}}
    assert sorted((f, code, params["count"]) for f, code, _, params in records[0].problems) == [
        ("note.inner", "nul_removed", 2), ("title", "nul_removed", 1)]
    assert records[1].problems == []


def test_the_nul_warning_keeps_the_work_but_not_a_title_of_nothing_but_nul():
    footprint = {"type": "Polygon", "coordinates": [list(square().exterior.coords)]}
    text = collection(
        {**feature("1", **{k: str(v) for k, v in record(uid=None).items()}), "geometry": footprint},
        {**feature("2", **{k: str(v) for k, v in record(uid=None, title="NUL").items()}), "geometry": footprint})
    text = text.replace("via Roma", "via\\u0000 Roma").replace('"NUL"', '"\\u0000"')
    parsed = parse_geojson(text, "feed", default_crs="EPSG:6707")
    report = validate_feed(parsed.records, SOURCE, OWNERS)
    assert [w.title for w in report.works] == ["Rifacimento rete idrica via Roma"]
    assert [(p.record.split(" ")[1], p.field, p.code, p.severity) for p in report.problems] == [
        ("#1", "title", "nul_removed", Severity.WARNING), ("#2", "title", "nul_removed", Severity.WARNING),
        ("#2", "title", "missing_value", Severity.ERROR)]


def wzdx_feed(header: str, version, **event) -> dict:
    properties = {"core_details": {"data_source_id": "s", "event_type": "work-zone", "road_names": ["Via Roma"],
                                   "direction": "unknown"},
                  "start_date": "2027-03-01T00:00:00+02:00", "end_date": "2027-03-02T23:00:00-05:00",
                  "vehicle_impact": "all-lanes-closed", **event}
    return {header: {"version": version, "data_sources": [{"data_source_id": "s", "organization_name": "Comune"}]},
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "id": "e1", "properties": properties,
                          "geometry": {"type": "LineString", "coordinates": [[11.09, 43.88], [11.10, 43.88]]}}]}


@pytest.mark.parametrize(("header", "version", "named"), [
    ("road_event_feed_info", "1.1", "1.1"), ("road_event_feed_info", 2, "2.0"), ("feedInfo", "2.0", "2.0"),
    ("feed_info", "v5.0.1", "5.0"),
])
def test_a_wzdx_feed_of_another_version_is_told_which_version_is_not_read(header, version, named):
    with pytest.raises(FeedError) as caught:
        parse_wzdx(json.dumps(wzdx_feed(header, version)), "feed")
    assert caught.value.problem.code == "wzdx_unsupported_version"
    assert f"version {named} is not supported" in caught.value.problem.message
    assert "4.2" in caught.value.problem.message


def test_a_wzdx_version_written_as_a_number_or_with_a_patch_is_read():
    for version in (4.2, "4.2.0", "v4.2"):
        assert parse_wzdx(json.dumps(wzdx_feed("feed_info", version)), "feed").records[0].problems == []


def test_wzdx_and_works_take_the_same_date_of_a_timestamp_with_an_offset():
    props = parse_wzdx(json.dumps(wzdx_feed("feed_info", "4.2")), "feed").records[0].properties
    assert (props["start_date"], props["end_date"]) == (date(2027, 3, 1), date(2027, 3, 2))
    assert parse_date("2027-03-01T00:00:00+02:00") == props["start_date"]


def test_a_wzdx_date_beyond_year_9999_in_utc_is_a_problem_of_its_record_not_an_exception():
    feed = wzdx_feed("feed_info", "4.2", end_date="9999-12-31T23:59:59-23:59")
    feed["features"][0]["properties"]["core_details"]["update_date"] = "9999-12-31T23:59:59-23:59"
    parsed = parse_wzdx(json.dumps(feed), "feed")
    assert parsed.records[0].properties["end_date"] == date(9999, 12, 31)
    records = [FeedRecord(r.fid, r.properties, square(), r.problems, r.buffer_m) for r in parsed.records]
    report = validate_feed(records, SOURCE, OWNERS)
    assert report.works == []
    assert [(p.record.split(" ")[1], p.field, p.code) for p in report.problems] == [
        ("#e1", "updated_at", "datetime_out_of_range")]


def test_each_limit_on_a_footprint_refuses_over_it_and_keeps_once_raised_naming_limit_and_setting():
    from situation_room_plugin.core.works import GeometryLimits

    circle = shapely.Point(PRATO_X, PRATO_Y).buffer(50, quad_segs=100)  # 401 vertices
    parts = shapely.MultiPolygon([square(x=PRATO_X + 30 * i) for i in range(12)])
    slipped = outline_with_slips(400, 8)  # invalid: a few dozen crossings
    crossings = count_self_crossings(slipped, 10_000)
    street = shapely.LineString([(PRATO_X, PRATO_Y), (PRATO_X + 80, PRATO_Y), (PRATO_X + 40, PRATO_Y - 20),
                                 (PRATO_X + 40, PRATO_Y + 20)])  # crosses itself once: buffered as a line
    cases = [("max_vertices", circle, 401, "too_many_vertices"), ("max_parts", parts, 12, "too_many_parts"),
             ("max_crossings", slipped, crossings, "too_complex_to_repair")]
    for name, geometry, amount, code in cases:
        lowered = GeometryLimits(**{name: amount - 1})
        [(field, found, message)] = [(p.field, p.code, p.message) for p in validate_records(
            [("feature 1", record(), geometry)], OWNERS, limits=lowered).problems]
        assert (field, found) == ("geometry", code)
        assert f"{amount - 1}" in message and f"situation_room/geometry_{name}" in message
        kept = validate_records([("feature 1", record(), geometry)], OWNERS, limits=GeometryLimits(**{name: amount}))
        assert len(kept.works) == 1, name
    report = validate_feed([FeedRecord("1", record(uid=None), street)], SOURCE, OWNERS,
                           limits=GeometryLimits(max_crossings=0))
    assert [p.code for p in report.problems] == ["too_complex_to_buffer"] and "geometry_max_crossings" in str(
        report.problems[0])
    assert validate_feed([FeedRecord("1", record(uid=None), street)], SOURCE, OWNERS).works


def test_the_default_limits_pass_every_road_event_of_the_wzdx_examples(shared_data):
    from situation_room_plugin.core.mapping import buffered_footprints
    from situation_room_plugin.core.works import DEFAULT_LIMITS, check_footprints
    from tests.unit.test_feed_fuzz import to_project
    from tests.wzdx_fixtures import examples, moved_to_prato

    limited = {"too_many_vertices", "too_many_parts", "too_complex_to_repair", "too_complex_to_buffer"}
    checked = 0
    for path in examples(shared_data):
        feed = parse_wzdx(json.dumps(moved_to_prato(json.loads(path.read_text()))).encode(), path.name)
        records = to_project(feed.records)
        for shape, problems in buffered_footprints([r.geometry for r in records], [r.buffer_m or 3.5 for r in records],
                                                   DEFAULT_LIMITS):
            assert not {code for code, _, _ in problems} & limited, path.name
            [(footprint, found)] = check_footprints([shape], DEFAULT_LIMITS)
            assert footprint is not None and not {code for code, _, _ in found} & limited, path.name
            checked += 1
    assert checked >= 9
