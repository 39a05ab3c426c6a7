"""Large and cut-off GeoJSON files into the offline copy and through import_works, and the limits on one
footprint taken from the user's settings."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
import shapely

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.toolbelt.settings import Settings
from tests.qgis.feeds_helpers import cached_works, publiacqua_feature, publiacqua_source, write_collection


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "project.gpkg") as opened:
        yield opened


@pytest.fixture
def settings():
    """The user's settings, put back as they were after the test."""
    before = Settings.load()
    yield before
    before.save()


def test_a_file_cut_off_is_copied_up_to_the_cut_and_says_where_it_ends(qgis_new_project, store, tmp_path):
    whole = write_collection(tmp_path / "whole.geojson", [publiacqua_feature(i) for i in range(6000)])
    data = whole.read_bytes()
    cut = data.index(b'"id": "PA-04321"') + 50  # about 2 MB of 3: a few chunks in
    (tmp_path / "cut.geojson").write_bytes(data[:cut])
    source = publiacqua_source(str(tmp_path / "cut.geojson"), kind="geojson_file")
    result = feeds.refresh(source, store, OwnerRegistry())
    assert result.ok and result.snapshot.work_count == 4321
    [problem] = result.problems
    assert problem.code == "truncated_json" and f"byte {cut}" in problem.message
    assert "after feature 4321" in problem.message
    titles = [work["title"] for work in cached_works(store, "publiacqua")]
    assert titles == [f"Rete idrica, intervento {i}" for i in range(4321)]


def test_import_works_gives_what_read_source_and_feed_works_give_a_batch_at_a_time(qgis_new_project, tmp_path):
    features = [publiacqua_feature(i) for i in range(4500)]
    features[17]["properties"]["Data prevista inizio lavori"] = "31/02/2026"
    write_collection(tmp_path / "feed.geojson", features)
    source = publiacqua_source(str(tmp_path / "feed.geojson"), kind="geojson_file")
    batches: list[int] = []
    streamed = []

    def add(works):
        batches.append(len(works))
        streamed.extend(works)

    report, read = feeds.import_works(source, OwnerRegistry(), add)
    feed = feeds.read_source(source)
    whole = feeds.feed_works(source, feed, OwnerRegistry())
    assert read == len(feed.records) == 4500 and len(batches) == 3
    assert [w.title for w in streamed] == [w.title for w in whole.works] and len(streamed) == 4499
    assert [p.code for p in report.problems] == [p.code for p in whole.problems] == ["bad_date_format"]
    assert report.invalid_records == whole.invalid_records == 1 and report.works == []


def circle_lonlat(vertices: int) -> dict:
    """A round footprint in Prato with about `vertices` vertices."""
    ring = shapely.Point(11.09, 43.88).buffer(0.0003, quad_segs=vertices // 4).exterior
    return {"type": "Polygon", "coordinates": [[list(xy) for xy in ring.coords]]}


def many_squares(parts: int) -> dict:
    squares = [[[[11.08 + i * 0.0001, 43.88], [11.08 + i * 0.0001 + 0.00005, 43.88],
                 [11.08 + i * 0.0001 + 0.00005, 43.88005], [11.08 + i * 0.0001, 43.88005],
                 [11.08 + i * 0.0001, 43.88]]] for i in range(parts)]
    return {"type": "MultiPolygon", "coordinates": squares}


@pytest.mark.parametrize(("setting", "geometry", "code"), [
    ("geometry_max_vertices", circle_lonlat(2000), "too_many_vertices"),
    ("geometry_max_parts", many_squares(40), "too_many_parts"),
])
def test_a_footprint_over_a_limit_of_the_settings_is_refused_naming_it_and_kept_once_raised(
    qgis_new_project, store, tmp_path, settings, setting, geometry, code
):
    features = [publiacqua_feature(0), publiacqua_feature(1, geometry=geometry)]
    source = publiacqua_source(str(write_collection(tmp_path / "feed.geojson", features)), kind="geojson_file")
    assert feeds.refresh(source, store, OwnerRegistry()).snapshot.work_count == 2  # the defaults let both in
    lowered = Settings(**{f.name: getattr(settings, f.name) for f in fields(Settings)})
    setattr(lowered, setting, 30)
    lowered.save()
    result = feeds.refresh(source, store, OwnerRegistry())
    assert result.ok and result.snapshot.work_count == 1
    [problem] = result.problems
    assert problem.code == code and "#PA-00001" in problem.record
    assert "30" in problem.message and f"situation_room/{setting}" in problem.message
    with store.transaction() as conn:
        assert [p.code for p in feed_cache.cached_problems(conn, "publiacqua")] == [code]
    # the same limit given to import_works directly, raised: kept
    report, _ = feeds.import_works(source, OwnerRegistry(), lambda works: None,
                                   limits=Settings(**{**vars(lowered), setting: 5000}).geometry_limits())
    assert report.problems == []


def test_the_limits_default_to_the_constants_of_core_works(settings):
    from situation_room_plugin.core.works import DEFAULT_LIMITS

    assert Settings().geometry_limits() == DEFAULT_LIMITS
    assert json.loads(json.dumps(vars(Settings()))).get("geometry_max_parts") == 1000


def test_the_refresh_of_a_large_file_shows_how_much_of_it_was_read(qgis_new_project, store, tmp_path):
    path = write_collection(tmp_path / "feed.geojson", [publiacqua_feature(i) for i in range(9000)])  # ~4.5 MB
    shown: list[float] = []
    result = feeds.refresh(publiacqua_source(str(path), kind="geojson_file"), store, OwnerRegistry(),
                           progress=shown.append)
    assert result.ok and result.snapshot.work_count == 9000
    assert len(shown) == 5 and shown == sorted(shown) and 0 < shown[0] < 0.5 and shown[-1] == 1.0
