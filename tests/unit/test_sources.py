"""The source registry's JSON form: round trips, and every unusable entry reported by name."""

from __future__ import annotations

import json

from situation_room_plugin.core.sources import (
    FieldMapping,
    Source,
    credentials_problems,
    sources_from_json,
    sources_to_json,
)

GOOD = {
    "id": "publiacqua_works",
    "title": "Cantieri Publiacqua",
    "owner": "publiacqua",
    "kind": "wfs",
    "url": "https://gis.publiacqua.it/wfs",
    "layer": "cantieri",
    "authcfg": "pa12345",
    "role": "works",
    "version": "2.0.0",
    "refresh_minutes": 15,
    "mapping": {
        "fields": {"Data prevista inizio lavori": "start_date", "Data fine": "end_date", "Oggetto": "title"},
        "values": {"work_type": {"Scavo": "excavation"}},
        "date_formats": {"start_date": ["%d/%m/%Y"]},
        "defaults": {"status": "planned"},
        "buffer_m": 4,
    },
}


def test_a_registry_survives_a_round_trip_through_json():
    sources, problems = sources_from_json(json.dumps([GOOD, {**GOOD, "id": "roads", "kind": "geojson_file",
                                                            "url": "/data/roads.geojson", "role": "roads",
                                                            "mapping": {}}]))
    assert problems == []
    again, problems = sources_from_json(sources_to_json(sources))
    assert problems == [] and again == sources
    first = again[0]
    assert first.mapping.fields["Data prevista inizio lavori"] == "start_date"
    assert first.mapping.values == {"work_type": {"Scavo": "excavation"}} and first.mapping.buffer_m == 4.0
    assert first.refresh_minutes == 15 and first.authcfg == "pa12345"
    assert again[1].mapping == FieldMapping() and again[1].role == "roads"


def test_every_unusable_source_is_reported_by_name_and_the_good_ones_are_kept():
    bad = [
        GOOD,
        {**GOOD, "id": "no_url", "url": ""},
        {**GOOD, "id": "odd_kind", "kind": "shapefile"},
        {**GOOD, "id": "secret", "url": "https://mario:segreto@gis.example.it/wfs"},
        {**GOOD, "id": "publiacqua_works"},
        {**GOOD, "id": "bad_map", "mapping": {"fields": {"Inizio": "starting_day"}}},
        {**GOOD, "id": "no_layer", "layer": ""},
        "not a source",
    ]
    sources, problems = sources_from_json(json.dumps({"sources": bad}))
    assert [s.id for s in sources] == ["publiacqua_works"]
    found = {(p.record, p.field, p.code) for p in problems}
    assert ("source 2 'no_url'", "url", "missing_value") in found
    assert ("source 3 'odd_kind'", "kind", "unknown_value") in found
    assert ("source 4 'secret'", "url", "credentials_in_url") in found
    assert ("source 5 'publiacqua_works'", "id", "duplicate_source_id") in found
    assert ("source 6 'bad_map'", "mapping.fields", "unknown_target") in found
    assert ("source 7 'no_layer'", "layer", "missing_value") in found
    assert ("source 8", "", "source_not_object") in found
    secret = next(p for p in problems if p.code == "credentials_in_url")
    assert "segreto" not in secret.message and "authentication database" in secret.message
    unknown = next(p for p in problems if p.code == "unknown_target")
    assert "starting_day" in unknown.message and "start_date" in unknown.message


def test_a_malformed_sources_file_says_where_it_breaks():
    sources, problems = sources_from_json('{"sources": [ {"id": "a",, } ]}')
    assert sources == [] and problems[0].code == "bad_json"
    assert "line 1" in problems[0].message


def test_a_source_serialises_without_empty_keys():
    source = Source("x", "X", "comune", "geojson_url", "https://example.org/x.geojson")
    data = json.loads(sources_to_json([source]))["sources"][0]
    assert "authcfg" not in data and data["role"] == "works" and "mapping" not in data


def test_a_source_is_due_for_refresh_once_its_interval_has_passed_since_it_was_checked_or_tried():
    from dataclasses import replace
    from datetime import datetime, timedelta, timezone

    from situation_room_plugin.core.sources import refresh_due

    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    hourly = Source("pa", "Publiacqua", "publiacqua", "wfs", "https://gis.example.it/ows", refresh_minutes=60)
    assert refresh_due(hourly, None, None, now)  # never copied
    assert not refresh_due(hourly, now - timedelta(minutes=59), None, now)
    assert refresh_due(hourly, now - timedelta(minutes=60), None, now)
    # offline: a refresh tried 10 minutes ago failed, the copy is old: not tried again before the hour is up
    assert not refresh_due(hourly, now - timedelta(days=2), now - timedelta(minutes=10), now)
    assert refresh_due(hourly, now - timedelta(days=2), now - timedelta(minutes=61), now)
    assert not refresh_due(replace(hourly, refresh_minutes=0), None, None, now)  # by hand only
    assert not refresh_due(replace(hourly, kind="gtfs"), None, None, now)  # read by the bus analysis


def test_a_source_s_own_timeouts_and_size_limit_survive_a_round_trip_and_absent_ones_stay_absent():
    limited = {**GOOD, "timeout_s": 90, "total_timeout_s": 1800.5, "max_mb": 500}
    sources, problems = sources_from_json(json.dumps([limited, {**GOOD, "id": "plain"}]))
    assert problems == []
    first, plain = sources
    assert (first.timeout_s, first.total_timeout_s, first.max_mb) == (90.0, 1800.5, 500.0)
    assert (plain.timeout_s, plain.total_timeout_s, plain.max_mb) == (None, None, None)
    written = json.loads(sources_to_json(sources))["sources"]
    assert written[0]["timeout_s"] == 90 and written[0]["max_mb"] == 500
    assert not {"timeout_s", "total_timeout_s", "max_mb"} & set(written[1])
    again, problems = sources_from_json(sources_to_json(sources))
    assert problems == [] and again == sources


def test_a_limit_that_is_not_a_number_above_zero_is_named_with_its_key():
    bad = [
        {**GOOD, "id": "text", "timeout_s": "30"},
        {**GOOD, "id": "yes", "max_mb": True},
        {**GOOD, "id": "nan", "total_timeout_s": float("nan")},
        {**GOOD, "id": "negative", "max_mb": -5},
        {**GOOD, "id": "zero", "timeout_s": 0},
    ]
    sources, problems = sources_from_json(json.dumps(bad))
    assert sources == []
    found = {(p.record, p.field, p.code) for p in problems}
    assert found == {
        ("source 1 'text'", "timeout_s", "not_a_number"), ("source 2 'yes'", "max_mb", "not_a_number"),
        ("source 3 'nan'", "total_timeout_s", "not_a_number"), ("source 4 'negative'", "max_mb", "not_positive"),
        ("source 5 'zero'", "timeout_s", "not_positive"),
    }
    negative = next(p for p in problems if p.code == "not_positive" and p.field == "max_mb")
    assert negative.message == "'max_mb' has -5: it must be more than 0."


def test_an_address_with_a_user_name_or_password_is_refused_naming_only_the_host():
    for url in ("https://mario:segreto@gis.example.it/wfs", "http://mario@gis.example.it:8080/wfs",
                "https://mario:segreto@gis.example.it:porta/wfs"):
        [problem] = credentials_problems(url, "SOURCE")
        assert problem.code == "credentials_in_url" and problem.params == {"value": "gis.example.it"}
        assert "segreto" not in problem.message and "mario" not in problem.message
    assert credentials_problems("https://gis.example.it/wfs?mail=a@b.it", "SOURCE") == []
    assert credentials_problems("https://gis.example.it?mail=a@b.it", "SOURCE") == []
