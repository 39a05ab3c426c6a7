"""The works schema: parsing and validation report every problem of every record, never drop one silently."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from situation_room_plugin.core.owners import Owner, OwnerRegistry
from situation_room_plugin.core.problems import TEMPLATES, Severity
from situation_room_plugin.core.utm import from_utm32, to_utm32
from situation_room_plugin.core.works import (
    FIELD_NAMES,
    FIELDS,
    Work,
    check_footprints,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_hours,
    parse_iso,
    validate_records,
    work_from_record,
    works_from_columns,
)
from tests.unit.factories import record, square

OWNERS = OwnerRegistry()


def validate(rec, geometry=None, owners=OWNERS):
    return work_from_record(rec, square() if geometry is None else geometry, ref="feature 1", owners=owners)


def codes(problems):
    return sorted(p.code for p in problems)


def test_the_schema_lists_every_field_the_issue_names():
    assert FIELD_NAMES == (
        "uid", "title", "description", "owner", "work_type", "status", "start_date", "end_date",
        "daily_hours", "night_work", "traffic_impact", "closed_direction", "excavation", "permit_ref",
        "contact", "earliest_start", "latest_end", "created_at", "updated_at", "revision", "updated_by",
        "source",
    )
    assert {f.name for f in FIELDS if f.required} == {"uid", "title", "owner", "work_type", "start_date", "end_date"}


def test_a_complete_record_becomes_a_work_with_a_multipolygon_footprint():
    work, problems = validate(record(daily_hours="8.00 - 17:00"))
    assert problems == []
    assert isinstance(work, Work)
    assert work.owner == "publiacqua"
    assert work.geometry.geom_type == "MultiPolygon"
    assert work.daily_hours == "08:00-17:00"
    assert work.excavation is True  # inferred from the work type when the record does not say
    assert work.created_at.tzinfo is timezone.utc
    assert work.duration_days == 19


def test_every_problem_of_a_record_is_reported_not_only_the_first():
    bad = record(start_date="31/02/2026", end_date="yesterday", owner="enel", work_type="digging", night_work="maybe")
    work, problems = validate(bad)
    assert work is None
    assert codes(problems) == ["bad_bool", "bad_date", "bad_date", "unknown_owner", "unknown_value"]
    owner_problem = next(p for p in problems if p.code == "unknown_owner")
    assert "enel" in owner_problem.message and "publiacqua" in owner_problem.message
    uid = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    assert owner_problem.record == f"feature 1 uid {uid} «Rifacimento rete idrica via Roma»"


def test_end_before_start_is_an_error_naming_both_dates():
    work, problems = validate(record(start_date="2026-05-10", end_date="2026-05-01"))
    assert work is None
    assert [p.message for p in problems] == ["End date 2026-05-01 is before start date 2026-05-10."]


def test_a_one_day_work_is_valid():
    work, problems = validate(record(start_date="2026-05-10", end_date="2026-05-10"))
    assert problems == [] and work.duration_days == 1


def test_missing_mandatory_fields_are_named():
    work, problems = validate({"uid": None, "title": " ", "owner": None})
    assert work is None
    fields = sorted(p.field for p in problems if p.code == "missing_value")
    assert fields == ["end_date", "owner", "start_date", "title", "work_type"]
    assert any(p.code == "uid_assigned" and p.severity is Severity.WARNING for p in problems)


def test_enum_values_are_matched_whatever_their_spelling():
    assert parse_choice("All lanes closed", ("all-lanes-closed", "unknown")) == "all-lanes-closed"
    assert parse_choice("NETWORK-MAINTENANCE", ("network_maintenance",)) == "network_maintenance"
    assert parse_choice("closed", ("all-lanes-closed",)) is None


def test_dates_in_italian_and_iso_forms_are_read():
    assert parse_date("2026-03-02") == date(2026, 3, 2)
    assert parse_date("02/03/2026") == date(2026, 3, 2)
    assert parse_date("2026-03-02T07:00:00Z") == date(2026, 3, 2)
    assert parse_date(datetime(2026, 3, 2, 7)) == date(2026, 3, 2)
    assert parse_date("2026-02-30") is None


def test_daily_hours_may_have_several_ranges_and_cross_midnight():
    assert parse_hours("08:00-12:00, 14:00-18:00") == [(480, 720), (840, 1080)]
    assert parse_hours("22:00-06:00") == [(1320, 360)]
    assert parse_hours("") == []
    assert parse_hours("mornings") is None
    _, problems = validate(record(daily_hours="mornings"))
    assert codes(problems) == ["bad_hours"]


def test_a_self_intersecting_footprint_is_repaired_and_reported():
    bowtie = shapely.Polygon([(668000, 4861000), (668010, 4861010), (668010, 4861000), (668000, 4861010)])
    work, problems = validate(record(), bowtie)
    assert work is not None and work.geometry.is_valid and work.geometry.area > 0
    assert [(p.code, p.severity) for p in problems] == [("geometry_repaired", Severity.WARNING)]
    assert "Self-intersection" in problems[0].message


def test_an_empty_or_missing_or_linear_footprint_is_refused():
    assert codes(work_from_record(record(), None, ref="r", owners=OWNERS)[1]) == ["missing_geometry"]
    assert codes(validate(record(), shapely.Polygon())[1]) == ["empty_geometry"]
    line = shapely.LineString([(668000, 4861000), (668100, 4861000)])
    work, problems = validate(record(), line)
    assert work is None and codes(problems) == ["not_polygon"] and "LineString" in problems[0].message


def test_degrees_in_a_layer_said_to_be_in_metres_are_named_as_degrees():
    # Prato is at 43.88 N 11.10 E: read as EPSG:6707 metres, the degrees (swapped or not) are off Africa.
    for box in (shapely.box(43.88, 11.10, 43.89, 11.11), shapely.box(11.10, 43.88, 11.11, 43.89)):
        work, problems = validate(record(), box)
        assert work is None and codes(problems) == ["degrees_not_metres"]
        assert "degrees" in problems[0].message and "CRS" in problems[0].message


def test_a_swap_is_suggested_only_when_swapping_would_put_the_footprint_in_the_project_area():
    # latitude and longitude swapped in a GeoJSON feed: QGIS projects (43.88 E, 11.10 N) into EPSG:6707
    x, y = to_utm32(43.88, 11.096)
    work, problems = validate(record(), shapely.box(x, y, x + 10, y + 10))
    assert codes(problems) == ["swapped_coordinates"] and "swapped" in problems[0].message
    # x and y swapped in a layer in EPSG:6707 itself
    assert codes(validate(record(), square(4_861_000, 668_000))[1]) == ["swapped_coordinates"]
    # simply elsewhere: Paris, and the official WZDx examples in Iowa (as PROJ puts them in UTM 32N)
    for x, y in (to_utm32(2.35, 48.85), (-5_423_005, 11_533_240)):
        work, problems = validate(record(), shapely.box(x, y, x + 10, y + 10))
        assert work is None and codes(problems) == ["outside_area"]
        assert "swapped" not in problems[0].message and "outside the project's area" in problems[0].message


def test_utm_32n_matches_proj_near_prato_and_far_from_it():
    # EPSG:4326 -> EPSG:6707 by PROJ 9 (pyproj), to the metre
    for (lon, lat), (x, y) in [((11.096, 43.88), (668385, 4860680)), ((43.88, 11.096), (4547888, 1488599)),
                               ((6.6, 36.0), (283674, 3986612)), ((18.5, 40.0), (1311558, 4471223))]:
        assert to_utm32(lon, lat) == pytest.approx((x, y), abs=1)
        assert from_utm32(x, y) == pytest.approx((lon, lat), abs=1e-4)
    assert from_utm32(-5_423_005, 11_533_240) == pytest.approx((-93.6, 41.6), abs=1e-3)
    assert to_utm32(-93.6, 41.6) is None  # more than 90° from the central meridian


def test_a_window_shorter_than_the_work_is_an_error():
    work, problems = validate(record(earliest_start="2026-03-01", latest_end="2026-03-05"))
    assert work is None and codes(problems) == ["window_too_narrow"]


def test_an_owner_added_to_the_registry_is_accepted():
    owners = OwnerRegistry([*OwnerRegistry(), Owner("E-Distribuzione", "e-distribuzione", "power")])
    work, problems = validate(record(owner="e-distribuzione"), owners=owners)
    assert problems == [] and work.owner == "e_distribuzione"


def test_a_uid_used_twice_rejects_the_second_record_and_keeps_the_first():
    records = [("a", record(), square()), ("b", record(title="Copy"), square()), ("c", record(uid=None), square())]
    report = validate_records(records, OWNERS)
    assert len(report.works) == 2 and report.invalid_records == 1
    duplicate = next(p for p in report.problems if p.code == "duplicate_uid")
    assert duplicate.record.startswith("b ") and "a" in duplicate.message


def test_every_problem_code_has_a_template_whose_placeholders_are_filled():
    from situation_room_plugin.core.problems import Problem

    for code in TEMPLATES:
        message = Problem("r", "f", code, params={"value": "v"}).message
        assert "{" not in message and message


def test_footprints_checked_in_bulk_are_checked_as_one_by_one():
    from situation_room_plugin.core.works import check_footprint, check_footprints

    bow_tie = shapely.Polygon([(668000, 4861000), (668010, 4861010), (668010, 4861000), (668000, 4861010)])
    geometries = [square(), None, shapely.MultiPolygon([square(), square(668100)]), bow_tie,
                  shapely.box(43.88, 11.09, 43.89, 11.1), shapely.LineString([(668000, 4861000), (668001, 4861000)]),
                  shapely.Polygon(),
                  shapely.Polygon([(668000, 4861000, 5), (668010, 4861000, 5), (668010, 4861010, 5)]),
                  square(668300)]
    bulk = check_footprints(geometries)
    for geometry, (footprint, problems) in zip(geometries, bulk):
        expected_footprint, expected_problems = check_footprint(geometry)
        assert problems == expected_problems
        assert (footprint is None) == (expected_footprint is None)
        if footprint is not None:
            assert footprint.geom_type == "MultiPolygon" and footprint.equals(expected_footprint)


def test_records_validated_field_by_field_get_what_each_gets_on_its_own():
    import dataclasses
    import random
    from datetime import timedelta


    rome = timezone(timedelta(hours=1))
    pools = {  # each field: good values, blanks, values that do not parse, values of other types
        "uid": ["7c9e6679-7425-40de-944b-e07fc1f90ae7", "{7C9E6679-7425-40DE-944B-E07FC1F90AE8}",
                " 7c9e6679742540de944be07fc1f90ae9 ", "not-a-uuid", 17],
        "title": ["Rete idrica", "  spazi  ", "", None, 42, 0.0, -0.0, ["a", "list"]],
        "owner": ["publiacqua", "PUBLIACQUA", " estracom ", "telecom", None, "", 3],
        "work_type": ["excavation", "Network maintenance", "RESURFACING", "demolizione", None, True],
        "status": ["planned", "In progress", None, "", "bogus", 1],
        "start_date": [date(2026, 3, 2), "2026-03-04", "05/03/2026", "2026-03-02T23:30:00+00:00", "3 March", None,
                       datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc), datetime(2026, 3, 2, 0, 30, tzinfo=rome)],
        "end_date": [date(2026, 3, 20), "2026-03-01", "20/03/2026", None, "", 20260320],
        "daily_hours": ["08:00-17:00", "22:00-06:00, 07:00-08:00", "all day", "", None, 8],
        "night_work": [True, False, "si", "no", 1, 0, 1.0, 2, "forse", None],
        "traffic_impact": ["all-lanes-closed", "Some lanes closed", "closed", None],
        "closed_direction": ["both", "FORWARD", "sideways", None],
        "excavation": [True, "no", None, "", "maybe"],
        "earliest_start": [None, date(2026, 3, 1), date(2026, 3, 10), "not a date"],
        "latest_end": [None, date(2026, 4, 30), "2026-03-15"],
        "created_at": [None, "2026-01-05T10:00:00Z", "yesterday", datetime(2026, 1, 5, 10, 0, 0, 123456)],
        "revision": [None, 1, 1.0, 2.5, True, "3", "three"],
    }
    geometries = [square(), square(668_100), None, shapely.Polygon(), shapely.box(43.88, 11.09, 43.89, 11.1),
                  shapely.Polygon([(668000, 4861000), (668010, 4861010), (668010, 4861000), (668000, 4861010)]),
                  shapely.LineString([(668000, 4861000), (668001, 4861000)])]
    rng = random.Random(5)
    records = []
    for _ in range(1000):
        rec = record()
        for name, values in pools.items():
            if rng.random() < 0.1:
                rec[name] = rng.choice(values)
        if rng.random() < 0.2:
            rec["uid"] = rng.choice(["", None, "7c9e6679-7425-40de-944b-e07fc1f90ae7"])
        records.append(rec)
    records.append(record())  # a clean one at least
    shapes = [rng.choice(geometries) if rng.random() < 0.3 else square() for _ in records]
    now = datetime(2026, 2, 1, 9, 30, tzinfo=timezone.utc)
    refs = [f"feature {i}" for i in range(len(records))]
    columns = {name: [rec.get(name) for rec in records] for name in FIELD_NAMES}
    together = works_from_columns(columns, check_footprints(shapes), refs, OWNERS, now)
    clean = 0
    for rec, shape, ref, (work, problems) in zip(records, shapes, refs, together):
        alone, alone_problems = work_from_record(rec, shape, ref=ref, owners=OWNERS, now=now)
        if any(p.code == "uid_assigned" for p in problems):  # a new uid each time: compare the rest
            assert [p.code for p in problems] == [p.code for p in alone_problems]
            alone = alone if alone is None else dataclasses.replace(alone, uid=work.uid)
        else:
            assert problems == alone_problems
        assert work == alone
        if work is not None:
            assert work.geometry.equals(alone.geometry)
        clean += work is not None and not problems
    assert 0 < clean < len(records)


def test_a_work_is_built_with_keyword_arguments_only():
    work = Work(title="Scavo", owner="publiacqua")
    assert work.title == "Scavo" and work.work_type == "other"
    with pytest.raises(TypeError, match="keyword arguments only"):
        Work("7c9e6679-7425-40de-944b-e07fc1f90ae7", "Scavo")  # type: ignore[misc]


@pytest.mark.parametrize(("text", "expected"), [
    ("2027-03-01", datetime(2027, 3, 1)),
    ("20270301", datetime(2027, 3, 1)),
    ("2027-03-01T08:30", datetime(2027, 3, 1, 8, 30)),
    ("2027-03-01 08:30:15", datetime(2027, 3, 1, 8, 30, 15)),
    ("2027-03-01T08:30:15.5Z", datetime(2027, 3, 1, 8, 30, 15, 500000, tzinfo=timezone.utc)),
    ("2027-03-01T08:30:15.123456789+01:00",
     datetime(2027, 3, 1, 8, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))),
    ("20270301T083015-0230", datetime(2027, 3, 1, 8, 30, 15, tzinfo=timezone(-timedelta(hours=2, minutes=30)))),
    ("2027-03-01T08+01", datetime(2027, 3, 1, 8, tzinfo=timezone(timedelta(hours=1)))),
    ("2027-W09-1", None),  # a week date: 3.11's fromisoformat reads it, 3.9's does not; neither does this
    ("2027-060", None),
    ("2027-03-01T25:00", None),
    ("2027-02-29", None),
    ("2027-03-01T08:00+24:00", None),
    ("2027-03-01X08:00", None),
    ("1 March 2027", None),
])
def test_iso_dates_and_times_are_read_the_same_on_every_python(text, expected):
    assert parse_iso(text) == expected
    if expected is not None:
        assert parse_iso(text).tzinfo == expected.tzinfo


OFFSETS = st.builds(lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-23 * 60 - 59, 23 * 60 + 59))


@given(st.datetimes(timezones=st.none() | OFFSETS), st.sampled_from(["T", " "]))
def test_every_moment_python_writes_in_iso_8601_is_read_back_as_it_was(moment, separator):
    assert parse_iso(moment.isoformat(separator)) == moment
    assert parse_iso(moment.isoformat(separator)).utcoffset() == moment.utcoffset()
    assert parse_date(moment.isoformat(separator)) == moment.date()


def test_the_date_of_a_timestamp_is_the_day_written_in_its_own_offset():
    assert parse_date("2027-03-01T00:00:00+02:00") == date(2027, 3, 1)  # not the UTC day before, 28 February
    assert parse_date("2027-02-28T23:30:00-05:00") == date(2027, 2, 28)
    assert parse_date(datetime(2027, 3, 1, 0, 0, tzinfo=timezone(timedelta(hours=2)))) == date(2027, 3, 1)
    work, problems = validate(record(start_date="2027-03-01T00:00:00+02:00", end_date="2027-03-02T23:00:00-03:00"))
    assert problems == [] and (work.start_date, work.end_date) == (date(2027, 3, 1), date(2027, 3, 2))
    # the moment itself is still kept in UTC
    assert parse_datetime("2027-03-01T00:00:00+02:00") == datetime(2027, 2, 28, 22, tzinfo=timezone.utc)


def test_a_moment_beyond_year_9999_in_utc_is_a_problem_of_its_field_not_an_exception():
    assert parse_datetime("9999-12-31T23:59:59-23:59") is None
    assert parse_datetime("0001-01-01T00:00:00+01:00") is None
    assert parse_date("9999-12-31T23:59:59-23:59") == date(9999, 12, 31)
    work, problems = validate(record(start_date="9999-12-30", end_date="9999-12-31T23:59:59-23:59",
                                     created_at="9999-12-31T23:59:59-23:59", updated_at="next week"))
    assert work is None
    assert [(p.field, p.code) for p in problems] == [("created_at", "datetime_out_of_range"),
                                                     ("updated_at", "bad_datetime")]
    assert "9999-12-31T23:59:59-23:59" in problems[0].message


def test_nul_characters_in_any_layer_are_removed_with_a_warning_on_their_field():
    rec = record(title="Scavo\x00 via Roma", permit_ref="P\x00\x00-12", start_date="2026-03-02\x00")
    work, problems = validate(rec)
    assert (work.title, work.permit_ref, work.start_date) == ("Scavo via Roma", "P-12", date(2026, 3, 2))
    assert sorted((p.field, p.code, p.severity, p.params["count"]) for p in problems) == [
        ("permit_ref", "nul_removed", Severity.WARNING, 2), ("start_date", "nul_removed", Severity.WARNING, 1),
        ("title", "nul_removed", Severity.WARNING, 1)]
    work, problems = validate(record(title="\x00"))
    assert work is None and codes(problems) == ["missing_value", "nul_removed"]


def test_the_columns_path_finds_the_nul_characters_too():
    rows = [record(uid=None, title="A"), record(uid=None, title="B\x00"), record(uid=None, contact="\x00x")]
    columns = {name: [row.get(name) for row in rows] for name in FIELD_NAMES}
    columns["uid"] = [f"7c9e6679-7425-40de-944b-e07fc1f90ae{i}" for i in range(3)]
    results = works_from_columns(columns, check_footprints([square()] * 3), ["r1", "r2", "r3"], OWNERS)
    assert [(w.title, w.contact) for w, _ in results] == [("A", ""), ("B", ""), (rows[2]["title"], "x")]
    assert [[p.field for p in problems] for _, problems in results] == [[], ["title"], ["contact"]]
