"""A source's features mapped to works: renamed fields, value maps, date formats, footprints, stable uids."""

from __future__ import annotations

from datetime import date

import shapely

from situation_room_plugin.core.mapping import (
    FeedRecord,
    buffered_footprint,
    buffered_footprints,
    feed_uid,
    validate_feed,
)
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sources import FieldMapping, Source
from tests.unit.factories import PRATO_X, PRATO_Y, square

MAPPING = FieldMapping(
    fields={"Data prevista inizio lavori": "start_date", "Data fine lavori": "end_date", "Oggetto": "title",
            "Tipo": "work_type", "Impatto": "traffic_impact"},
    values={"work_type": {"Scavo": "excavation", "Asfaltatura": "resurfacing"},
            "traffic_impact": {"Chiusura totale": "all-lanes-closed"}},
    date_formats={"start_date": ["%d/%m/%Y"], "end_date": ["%d/%m/%Y"]},
)
SOURCE = Source("pa", "Publiacqua", "publiacqua", "wfs", "https://example.org/wfs", layer="x", mapping=MAPPING)


def props(**overrides):
    values = {"Oggetto": "Rete idrica via Roma", "Data prevista inizio lavori": "02/03/2026",
              "Data fine lavori": "20/03/2026", "Tipo": "scavo", "Impatto": "Chiusura totale"}
    values.update(overrides)
    return values


def test_italian_field_names_value_maps_and_date_formats_become_the_works_schema():
    report = validate_feed([FeedRecord("17", props(), square())], SOURCE, OwnerRegistry())
    assert report.problems == []
    work = report.works[0]
    assert (work.title, work.start_date, work.end_date) == ("Rete idrica via Roma", date(2026, 3, 2),
                                                            date(2026, 3, 20))
    assert (work.work_type, work.traffic_impact, work.excavation) == ("excavation", "all-lanes-closed", True)
    assert work.owner == "publiacqua" and work.source == "pa"


def test_each_bad_feature_is_reported_by_source_and_feature_and_the_good_ones_are_kept():
    records = [
        FeedRecord("1", props(), square()),
        FeedRecord("2", props(**{"Data prevista inizio lavori": "2026-03-02"}), square(PRATO_X + 50)),
        FeedRecord("3", props(Tipo="Demolizione"), square(PRATO_X + 100)),
        FeedRecord("4", props(), None, [("geometry", "geometry_unreadable", "error", {"value": "bad ring"})]),
        FeedRecord("5", props(), square(PRATO_X + 150)),
    ]
    report = validate_feed(records, SOURCE, OwnerRegistry())
    assert sorted(w.uid for w in report.works) == sorted(feed_uid("pa", fid) for fid in ("1", "5"))
    by_ref = {(p.record.split(" «")[0].split(" uid")[0], p.field, p.code) for p in report.problems}
    assert by_ref == {("pa #2", "start_date", "bad_date_format"), ("pa #3", "work_type", "unknown_value"),
                      ("pa #4", "geometry", "geometry_unreadable")}
    date_problem = next(p for p in report.problems if p.code == "bad_date_format")
    assert "2026-03-02" in date_problem.message and "%d/%m/%Y" in date_problem.message
    assert "Rete idrica via Roma" in date_problem.record
    enum_problem = next(p for p in report.problems if p.code == "unknown_value")
    assert "Demolizione" in enum_problem.message and "excavation" in enum_problem.message


def test_a_feature_gets_the_same_uid_at_every_refresh_and_keeps_a_uuid_it_has():
    first = validate_feed([FeedRecord("A-17", props(), square())], SOURCE, OwnerRegistry()).works[0]
    again = validate_feed([FeedRecord("A-17", props(), square())], SOURCE, OwnerRegistry()).works[0]
    other = validate_feed([FeedRecord("A-17", props(), square())],
                          Source("other", "O", "publiacqua", "wfs", "https://x.org", layer="l", mapping=MAPPING),
                          OwnerRegistry()).works[0]
    assert first.uid == again.uid != other.uid
    own = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    assert validate_feed([FeedRecord("1", props(uid=own), square())], SOURCE, OwnerRegistry()).works[0].uid == own


def test_lines_and_points_become_footprints_of_the_mapped_width():
    source = Source("pt", "Punti", "comune", "geojson_url", "https://x.org/p.geojson",
                    mapping=FieldMapping(fields=MAPPING.fields, values=MAPPING.values,
                                         date_formats=MAPPING.date_formats, buffer_m=5))
    line = shapely.LineString([(PRATO_X, PRATO_Y), (PRATO_X + 100, PRATO_Y)])
    report = validate_feed([FeedRecord("1", props(), line),
                            FeedRecord("2", props(), shapely.Point(PRATO_X, PRATO_Y + 100)),
                            FeedRecord("3", props(), shapely.MultiPoint([(PRATO_X, PRATO_Y + 200),
                                                                         (PRATO_X + 40, PRATO_Y + 200)]))],
                           source, OwnerRegistry())
    assert report.problems == []
    areas = [round(w.geometry.area) for w in report.works]
    assert areas[0] == 100 * 10  # flat ends: the line's length times twice the half-width
    assert 70 < areas[1] < 79  # a circle of radius 5 drawn with 16 segments
    assert areas[2] == 40 * 10
    unbuffered = validate_feed([FeedRecord("1", props(), line)], SOURCE, OwnerRegistry())
    assert [p.code for p in unbuffered.problems] == ["not_polygon"]


def test_the_source_owner_is_the_default_and_a_mapped_owner_must_be_known():
    report = validate_feed([FeedRecord("1", props(Ente="telecom"), square())],
                           Source("t", "T", "estracom", "wfs", "https://x.org", layer="l",
                                  mapping=FieldMapping(fields={**MAPPING.fields, "Ente": "owner"},
                                                       values=MAPPING.values, date_formats=MAPPING.date_formats)),
                           OwnerRegistry())
    assert [p.code for p in report.problems] == ["unknown_owner"]
    report = validate_feed([FeedRecord("1", props(), square())],
                           Source("t", "T", "estracom", "wfs", "https://x.org", layer="l", mapping=MAPPING),
                           OwnerRegistry())
    assert report.works[0].owner == "estracom"


def test_a_mapped_name_is_found_when_a_service_renamed_it():
    renamed = {k.replace(" ", "_").upper(): v for k, v in props().items()}
    report = validate_feed([FeedRecord("1", renamed, square())], SOURCE, OwnerRegistry())
    assert report.problems == [] and report.works[0].start_date == date(2026, 3, 2)


def test_feed_uids_are_the_rfc_4122_name_based_uuids():
    import uuid

    from situation_room_plugin.core.works import FEED_NAMESPACE

    for value in ("A-17", 17, "PA-00001", "x" * 36, "  spaced "):
        assert feed_uid("pa", value) == str(uuid.uuid5(FEED_NAMESPACE, f"pa:{value}"))
    own = "7C9E6679-7425-40DE-944B-E07FC1F90AE7"
    assert feed_uid("pa", own) == own.lower()
    assert feed_uid("pa", "{" + own + "}") == own.lower() and feed_uid("pa", own.replace("-", "")) == own.lower()


def map_one(properties, mapping, defaults):
    """The reference: one feature mapped as the rules say, plainly."""
    from datetime import datetime

    from situation_room_plugin.core.works import FIELD_NAMES, is_blank

    def loose(name):
        return "".join(ch for ch in name.casefold() if ch.isalnum())

    record = {name: properties[name] for name in FIELD_NAMES if name in properties}
    for wanted, target in mapping.fields.items():
        name = wanted if wanted in properties else next((n for n in properties if loose(n) == loose(wanted)), None)
        if name is not None:
            record[target] = properties[name]
    for target, table in mapping.values.items():
        value = record.get(target)
        if isinstance(value, str) and value.strip():
            record[target] = next((mapped for raw, mapped in table.items()
                                   if raw.strip().casefold() == value.strip().casefold()), value)
    problems = []
    for target, formats in mapping.date_formats.items():
        value = record.get(target)
        if isinstance(value, str) and value.strip():
            for fmt in formats:
                try:
                    record[target] = datetime.strptime(value.strip(), fmt).date()
                    break
                except ValueError:
                    pass
            else:
                problems.append((target, "bad_date_format", "error", {"value": value.strip(),
                                                                     "formats": " / ".join(formats)}))
                record.pop(target)
    for target, value in defaults.items():
        if is_blank(record.get(target)):
            record[target] = value
    return record, problems


def test_features_mapped_field_by_field_get_what_each_gets_on_its_own():
    from situation_room_plugin.core.mapping import FieldMapper
    from situation_room_plugin.core.works import FIELD_NAMES

    mapping = FieldMapping(fields={**MAPPING.fields, "Note": "description", "Altro titolo": "title"},
                           values={**MAPPING.values, "status": {"In corso": "in_progress", "in CORSO": "planned"}},
                           date_formats={**MAPPING.date_formats, "latest_end": ["%Y%m%d", "%d.%m.%Y"]},
                           defaults={"status": "planned", "contact": "sala@comune.prato.it"})
    defaults = {"owner": "publiacqua", **mapping.defaults}
    features = [
        props(),
        props(Tipo="  ASFALTATURA ", status=" in corso", latest_end="31.12.2026", Note=None),
        props(**{"Data prevista inizio lavori": "2026-03-02", "Data fine lavori": ""}, latest_end="2026-12"),
        {k.replace(" ", "_").upper(): v for k, v in props().items()},  # renamed by a service
        {"title": "Titolo nel nome dello schema", "Altro titolo": "  ", "Oggetto": "Oggetto", "status": 7},
        {"title": "Solo lo schema", "owner": "estracom", "Impatto": None, "excavation": "no"},
        {},
        props(Tipo=["a", "list"], Impatto=3, contact="  "),
    ]
    mapper = FieldMapper(mapping, defaults)
    columns, problems = mapper.columns(features)
    assert set(columns) == set(FIELD_NAMES)
    for index, feature in enumerate(features):
        expected, expected_problems = map_one(feature, mapping, defaults)
        assert {name: column[index] for name, column in columns.items()} == {
            name: expected.get(name) for name in FIELD_NAMES}
        assert [(f, code, params) for f, code, _, params in problems.get(index, [])] == [
            (f, code, params) for f, code, _, params in expected_problems]


def test_footprints_buffered_in_bulk_are_those_buffered_one_by_one():
    x, y = PRATO_X, PRATO_Y
    geometries = [
        shapely.LineString([(x, y), (x + 50, y), (x + 50, y + 20)]), shapely.Point(x, y), None, square(),
        shapely.LineString([(x, y), (x, y)]), shapely.LineString([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10)]),
        shapely.MultiPoint([(x, y), (x + 30, y)]), shapely.LineString(), shapely.Point(x, y),
    ]
    widths = [3.5, 2.0, 3.0, 3.0, 3.0, 1.0, 2.0, 3.0, 0.0]
    bulk = buffered_footprints(geometries, widths)
    one_by_one = [buffered_footprint(g, w) for g, w in zip(geometries, widths)]
    assert len(bulk) == len(one_by_one)
    for (shape, problems), (expected, expected_problems) in zip(bulk, one_by_one):
        assert problems == expected_problems
        assert (shape is None and expected is None) or shapely.equals_exact(shape, expected, 1e-9)
