"""The project GeoPackage: round trips, upserts, migrations, and atomic writes that survive a crash."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import uuid
from dataclasses import replace

import pytest
import shapely

from situation_room_plugin.core.owners import Owner, OwnerRegistry
from situation_room_plugin.core.works import Work, work_from_record
from situation_room_plugin.qgis_io import gpkg
from situation_room_plugin.qgis_io.store import SCHEMA_VERSION, Store, StoreError
from tests.conftest import ROOT
from tests.unit.factories import record, square


def make_works(n: int) -> list[Work]:
    works = []
    for i in range(n):
        rec = record(uid=str(uuid.UUID(int=i + 1)), title=f"Work {i}")
        work, problems = work_from_record(rec, square(668_000 + 20 * i), ref=str(i), owners=OwnerRegistry())
        assert not problems
        works.append(work)
    return works


def test_a_new_store_is_a_geopackage_at_the_current_schema_version(tmp_path):
    path = tmp_path / "project.gpkg"
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.count_works() == 0
        assert [o.code for o in store.owners()][:2] == ["comune", "publiacqua"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == gpkg.APPLICATION_ID
    query = "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'works'"
    assert conn.execute(query).fetchall() == [
        ("MULTIPOLYGON", 6707)
    ]


def test_works_round_trip_with_every_field_and_the_footprint(tmp_path):
    works = make_works(3)
    works[1] = replace(works[1], daily_hours="22:00-06:00", night_work=True, earliest_start=works[1].start_date)
    with Store.open(tmp_path / "p.gpkg") as store:
        assert store.write_works(works).written == 3
        report = store.read_works()
    assert report.problems == []
    assert [w.attributes() for w in report.works] == [w.attributes() for w in works]
    assert all(a.geometry.equals(b.geometry) for a, b in zip(report.works, works))


def test_writing_a_work_again_updates_it_in_place(tmp_path):
    works = make_works(2)
    with Store.open(tmp_path / "p.gpkg") as store:
        store.write_works(works)
        store.write_works([replace(works[0], status="authorized", revision=2)])
        by_uid = {w.uid: w for w in store.read_works().works}
    assert len(by_uid) == 2
    assert by_uid[works[0].uid].status == "authorized" and by_uid[works[0].uid].revision == 2


def test_a_failure_inside_a_write_leaves_the_previous_state(tmp_path):
    works = make_works(2)
    with Store.open(tmp_path / "p.gpkg") as store:
        store.write_works(works[:1])
        broken = replace(works[1], geometry=object())  # cannot be encoded: the write fails midway
        with pytest.raises(TypeError):
            store.write_works([replace(works[0], title="changed"), broken])
        report = store.read_works()
    assert [w.title for w in report.works] == ["Work 0"]


def test_a_process_killed_mid_write_leaves_the_previous_state(tmp_path):
    path = tmp_path / "p.gpkg"
    with Store.open(path) as store:
        store.write_works(make_works(5))
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.unit.test_store import make_works
        from situation_room_plugin.qgis_io.store import Store
        store = Store.open({str(path)!r})
        with store.transaction() as conn:
            conn.execute("DELETE FROM works")
            conn.execute("UPDATE owners SET name = 'x'")
            os._exit(9)  # the power goes out before the commit
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    with Store.open(path) as store:
        assert store.count_works() == 5
        assert {o.name for o in store.owners()} != {"x"}


def test_rows_edited_by_hand_are_validated_on_read(tmp_path):
    path = tmp_path / "p.gpkg"
    with Store.open(path) as store:
        store.write_works(make_works(2))
    conn = sqlite3.connect(path)
    gpkg.register_functions(conn)  # as GDAL does when QGIS edits the layer
    conn.execute("UPDATE works SET end_date = '2020-01-01' WHERE title = 'Work 1'")
    conn.commit()
    with Store.open(path) as store:
        report = store.read_works()
    assert [w.title for w in report.works] == ["Work 0"]
    assert [p.code for p in report.problems] == ["end_before_start"]
    assert report.problems[0].record.startswith("works #2")


def test_the_spatial_index_follows_writes_and_deletes(tmp_path):
    works = make_works(3)
    with Store.open(tmp_path / "p.gpkg") as store:
        store.write_works(works)
        store.delete_works([works[0].uid])
        conn = sqlite3.connect(tmp_path / "p.gpkg")
        rows = conn.execute("SELECT count(*), min(minx) FROM rtree_works_geom").fetchone()
    assert rows == (2, 668_020.0)


def test_a_store_from_a_newer_version_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "p.gpkg"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO situation_room_meta (name) VALUES ('0099_from_the_future')")
    conn.commit()
    with pytest.raises(StoreError, match=r"newer Situation Room .*0099_from_the_future"):
        Store.open(path)


def test_a_store_missing_a_later_schema_change_gets_it_on_open(tmp_path, monkeypatch):
    from situation_room_plugin.qgis_io import schema as store_module

    path = tmp_path / "p.gpkg"
    Store.open(path).close()

    def add_notes(conn):
        conn.execute("CREATE TABLE notes (fid INTEGER PRIMARY KEY, text TEXT)")

    expected = len(store_module.MIGRATIONS) + 1
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, ("0099_notes", add_notes)])
    with Store.open(path) as store:
        assert store.applied_migrations()[-1] == "0099_notes"
        assert store.schema_version == expected
    with Store.open(path) as store:  # applied once only
        assert store.schema_version == expected


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "other.gpkg"
    sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.commit()
    with pytest.raises(StoreError, match="not a Situation Room project store"):
        Store.open(path)


def test_the_organisation_registry_is_editable_and_kept(tmp_path):
    path = tmp_path / "p.gpkg"
    with Store.open(path) as store:
        owners = store.owners()
        owners.add(Owner("e_distribuzione", "E-Distribuzione", "power"))
        store.save_owners(owners)
    with Store.open(path) as store:
        assert "e_distribuzione" in store.owners()


def test_geometry_blobs_round_trip_including_empty_ones():
    geoms = [square(), shapely.MultiPolygon(), None, square(668_200), shapely.Point(668_000, 4_861_000)]
    blobs = gpkg.encode_many(geoms, 6707)
    assert blobs == [gpkg.encode(g, 6707) for g in geoms]  # the same bytes as one by one
    assert blobs[2] is None
    assert gpkg.decode(blobs[0]).equals(square())
    assert gpkg.decode(blobs[1]).is_empty
    assert blobs[0] == gpkg.encode(square(), 6707)
