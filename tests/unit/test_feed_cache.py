"""The offline copy of the sources: a new copy takes the place of the previous one whole, with its spatial index."""

from __future__ import annotations

import sqlite3
import uuid

import numpy as np
import shapely

from situation_room_plugin.core.mapping import FeedRecord
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sources import Source
from situation_room_plugin.core.works import work_from_record
from situation_room_plugin.qgis_io import feed_cache, gpkg
from situation_room_plugin.qgis_io.store import Store
from tests.unit.factories import record, square


def source(source_id: str, role: str = "works") -> Source:
    return Source(source_id, source_id.title(), "comune", "geojson_url", f"https://x.org/{source_id}", role=role)


def works(source_id: str, count: int, x: float) -> list:
    made = []
    for i in range(count):
        rec = record(uid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{source_id}{x}{i}")), title=f"{source_id} {i}",
                     source=source_id)
        work, problems = work_from_record(rec, square(x + 20 * i), ref=str(i), owners=OwnerRegistry())
        assert not problems
        made.append(work)
    return made


def copy(store: Store, src: Source, batches: list[list]) -> feed_cache.Snapshot:
    new = feed_cache.NewCopy(store, src)
    for batch in batches:
        if src.role == "works":
            new.add_works(batch)
        else:
            new.add_records(batch)
    return new.replace([], feature_count=sum(map(len, batches)))


def index_matches_rows(path, table: str) -> None:
    """Every row with a geometry has one R-tree entry holding its bounds (as the R-tree rounds them), no more."""
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT fid, geom FROM {table} WHERE geom IS NOT NULL ORDER BY fid").fetchall()
    entries = conn.execute(f"SELECT id, minx, miny, maxx, maxy FROM rtree_{table}_geom ORDER BY id").fetchall()
    check = conn.execute(f"SELECT rtreecheck('rtree_{table}_geom')").fetchone()
    conn.close()
    assert check == ("ok",)
    assert [fid for fid, _ in rows] == [entry[0] for entry in entries]
    bounds = shapely.bounds(gpkg.decode_many([blob for _, blob in rows]))
    assert np.allclose(bounds, np.array([entry[1:] for entry in entries]), atol=0.5)


def fids(path, source_id: str) -> set[int]:
    conn = sqlite3.connect(path)
    found = {fid for (fid,) in conn.execute("SELECT fid FROM feed_works WHERE source_id = ?", (source_id,))}
    conn.close()
    return found


def test_a_new_copy_takes_the_place_of_the_previous_one_with_its_spatial_index(tmp_path):
    path = tmp_path / "p.gpkg"
    with Store.open(path) as store:
        copy(store, source("big"), [works("big", 30, 668_000), works("big", 30, 669_000)])
        copy(store, source("small"), [works("small", 5, 670_000)])
        first = fids(path, "big") | fids(path, "small")
        # "big" is most of the table: the R-tree is built again (bulk-loaded); "small" is not: its entries
        # go one by one (5 out and 4 in of 44 rows)
        snap = copy(store, source("big"), [works("big", 40, 671_000)])
        index_matches_rows(path, "feed_works")
        copy(store, source("small"), [works("small", 4, 672_000)])
        index_matches_rows(path, "feed_works")
        last = fids(path, "small")  # the highest fids of the table
        copy(store, source("small"), [works("small", 4, 672_000)])
    assert (snap.work_count, snap.feature_count) == (40, 40)
    assert not last & fids(path, "small")
    conn = sqlite3.connect(path)
    titles = dict(conn.execute("SELECT source_id, group_concat(title, '|') FROM feed_works GROUP BY source_id"))
    conn.close()
    assert titles["big"].split("|") == [f"big {i}" for i in range(40)]
    assert titles["small"].split("|") == [f"small {i}" for i in range(4)]
    assert not first & (fids(path, "big") | fids(path, "small"))  # a fid is never given twice


def test_features_of_other_roles_are_kept_as_published_with_their_index(tmp_path):
    path = tmp_path / "p.gpkg"
    roads = [FeedRecord(str(i), {"name": f"Via {i}", "lanes": i}, shapely.LineString([(668_000, i), (668_100, i)]))
             for i in range(10)]
    with Store.open(path) as store:
        copy(store, source("strade", "roads"), [roads[:6], roads[6:]])
        copy(store, source("strade", "roads"), [[*roads[:3], FeedRecord("nowhere", {}, None)]])
        with store.transaction() as conn:
            cached = feed_cache.cached_records(conn, "strade")
    assert [(r.fid, r.properties) for r in cached] == [("0", {"name": "Via 0", "lanes": 0}),
                                                       ("1", {"name": "Via 1", "lanes": 1}),
                                                       ("2", {"name": "Via 2", "lanes": 2}), ("nowhere", {})]
    assert cached[3].geometry is None and cached[1].geometry.equals(roads[1].geometry)
    index_matches_rows(path, "feed_features")


def test_a_discarded_copy_leaves_the_previous_one_whole(tmp_path):
    path = tmp_path / "p.gpkg"
    with Store.open(path) as store:
        before = copy(store, source("pa"), [works("pa", 8, 668_000)])
        new = feed_cache.NewCopy(store, source("pa"))
        new.add_works(works("pa", 3, 675_000))
        new.discard()
        with store.transaction() as conn:
            after = feed_cache.snapshot(conn, "pa")
            count = conn.execute("SELECT count(*) FROM feed_works").fetchone()[0]
            staged = conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0]
    assert after == before and count == 8 and staged == 0
    index_matches_rows(path, "feed_works")


def test_a_feed_record_holding_a_value_sqlite_cannot_hold_is_refused_by_name_and_the_rest_is_kept(tmp_path):
    from dataclasses import replace

    path = tmp_path / "p.gpkg"
    made = works("pa", 5, 668_000)
    made[1] = replace(made[1], revision=10**20)
    made[3] = replace(made[3], title="Via \ud800 Roma")
    features = [FeedRecord("1", {"name": "Via Roma"}, shapely.Point(668_000, 4_861_000)),
                FeedRecord("2", {"name": "Via \udfff", "lanes": 2}, shapely.Point(668_010, 4_861_000)),
                FeedRecord("3", {"name": "Piazza Duomo"}, shapely.Point(668_020, 4_861_000))]
    with Store.open(path) as store:
        snap = copy(store, source("pa"), [made])
        roads = copy(store, source("strade", "roads"), [features])
        with store.reading() as conn:
            problems = feed_cache.cached_problems(conn, "pa")
            road_problems = feed_cache.cached_problems(conn, "strade")
            kept = feed_cache.cached_records(conn, "strade")
        titles = [w.title for w in store.read_shared_works().works]
    assert titles == ["pa 0", "pa 2", "pa 4"]
    assert (snap.work_count, snap.problem_count) == (3, 2)
    assert [(p.field, p.code) for p in problems] == [("revision", "integer_too_large"), ("title", "bad_text")]
    assert made[1].uid in problems[0].record and made[3].uid in problems[1].record
    assert "\\ud800" in problems[1].record  # the record named as it is, escaped where UTF-8 cannot hold it
    assert [r.fid for r in kept] == ["1", "3"] and roads.problem_count == 1
    assert [(p.record, p.field, p.code) for p in road_problems] == [("strade 2", "name", "bad_text")]
    index_matches_rows(path, "feed_works")
