"""The source registry's JSON form: round trips, and every unusable entry reported by name."""

from __future__ import annotations

import json

from situation_room_plugin.core.sources import FieldMapping, Source, sources_from_json, sources_to_json

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
