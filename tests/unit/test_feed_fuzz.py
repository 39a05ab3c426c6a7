"""No single value can lose a feed: random JSON values thrown into every field of one feature of a valid feed,
read as GeoJSON, mapped, validated and written to the offline copy. Nothing escapes as an exception, and the
good features are all kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from situation_room_plugin.core.geojson import parse_geojson
from situation_room_plugin.core.mapping import feed_uid, validate_feed
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sources import FieldMapping, Source
from situation_room_plugin.core.works import FIELDS
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io.store import Store

MAPPING = FieldMapping(
    fields={"Oggetto": "title", "Inizio": "start_date", "Fine": "end_date", "Tipo": "work_type",
            "Impatto": "traffic_impact"},
    values={"work_type": {"Scavo": "excavation"}, "traffic_impact": {"Chiusura totale": "all-lanes-closed"}},
    date_formats={"start_date": ["%d/%m/%Y"], "end_date": ["%d/%m/%Y"]},
    buffer_m=4.0,
)
SOURCE = Source("pa", "Publiacqua", "publiacqua", "geojson_file", "file:///pa.geojson", mapping=MAPPING)
#: every field a feature of this feed may carry: the source's names, the schema's own, and strangers
FIELD_NAMES = sorted({*MAPPING.fields, *(spec.name for spec in FIELDS), "", "\u0000", "geometry", "properties"})

# Text with what breaks writers: lone surrogates, NULs, control characters, right-to-left marks.
nasty_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=40) | st.sampled_from(
    ["\ud800", "a\x00b", "9999-12-31T23:59:59-23:59", "0000-00-00", "=1+1", "\u202e", "NaN", "1e999",
     "2027-03-01T00:00:00+02:00", "31/02/2026", " ", "<html>"])
numbers = (st.integers(min_value=-(2**80), max_value=2**80) | st.floats(allow_nan=True, allow_infinity=True)
           | st.sampled_from([10**20, -(2**63) - 1, 2**64]))
json_values = st.recursive(
    st.none() | st.booleans() | numbers | nasty_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(nasty_text, children, max_size=4),
    max_leaves=12,
)


def feature(i: int, **props: object) -> dict:
    lon, lat = 11.095 + i * 0.001, 43.88
    values = {"Oggetto": f"Rete idrica {i}", "Inizio": "02/03/2026", "Fine": "20/03/2026", "Tipo": "Scavo",
              "Impatto": "Chiusura totale", **props}
    return {"type": "Feature", "id": f"f{i}", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": values}


def to_project(records):
    """WGS 84 points to EPSG:6707 without QGIS: a local equirectangular step around Prato is enough here."""
    for record in records:
        if record.geometry is not None and not record.geometry.is_empty:
            record.geometry = shapely.transform(
                record.geometry, lambda xy: (xy - (11.095, 43.88)) * (80_400.0, 111_200.0) + (668_000, 4_861_000))
    return records


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELD_NAMES), value=json_values)
# the values that lost whole feeds before (issue 10), always tried
@example(field="updated_at", value="9999-12-31T23:59:59-23:59")
@example(field="revision", value=10**20)
@example(field="Oggetto", value="\ud800")
@example(field="Oggetto", value="a\x00b")
@example(field="Inizio", value={"nested": ["junk", None]})
def test_no_value_in_any_field_loses_the_feed_or_escapes_as_an_exception(store_dir, field, value):
    features = [feature(0), feature(1, **{field: value}), feature(2)]
    text = json.dumps({"type": "FeatureCollection", "features": features}, allow_nan=True)
    parsed = parse_geojson(text.encode("utf-8", "surrogatepass"), "pa")
    report = validate_feed(to_project(parsed.records), SOURCE, OwnerRegistry())
    kept = {w.uid for w in report.works}
    assert {feed_uid("pa", "f0"), feed_uid("pa", "f2")} <= kept, [str(p) for p in report.problems]
    if len(report.works) < 3:  # the junk feature was refused: it says why, by name
        assert any("f1" in p.record for p in report.problems), [str(p) for p in report.problems]

    path = store_dir / "store.gpkg"
    with Store.open(path) as store:
        copy = feed_cache.NewCopy(store, SOURCE)
        copy.add_works(report.works)
        copy.add_records(parsed.records)
        copy.replace(report.problems)
        with store.reading() as conn:
            uids = {row[0] for row in conn.execute(f"SELECT uid FROM {feed_cache.WORKS_TABLE}")}
    assert {feed_uid("pa", "f0"), feed_uid("pa", "f2")} <= uids
