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


def older_store(path, monkeypatch, applied: int = 3) -> None:
    """A store as an older version of the plugin made it: only its first `applied` migrations."""
    from situation_room_plugin.qgis_io import schema

    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:applied])
        with Store.open(path) as store:
            store.write_works(make_works(2))


def test_opening_an_older_store_for_reading_writes_nothing_and_reads_what_it_has(tmp_path, monkeypatch):
    path = tmp_path / "old.gpkg"
    older_store(path, monkeypatch)
    before = path.read_bytes()
    with Store.open(path, create=False) as store:
        assert store.pending_migrations[0] == "0004_feed_cache"  # and every migration after it
        assert store.schema_version == 3
        assert [w.title for w in store.read_works().works] == ["Work 0", "Work 1"]
        assert store.count_by_status() == {"planned": 2}
        assert "publiacqua" in store.owners()
        assert store.read_shared_works().works == []  # its table comes with 0004: empty until then
        with pytest.raises(StoreError) as raised, store.reading() as conn:
            conn.execute("SELECT count(*) FROM feed_snapshots")  # a read that needs the upgrade
    assert raised.value.problem.code == "store_outdated"
    assert str(raised.value).startswith(f"{path}: The store is from an older version of Situation Room")
    assert "0004_feed_cache" in str(raised.value) and "the first time this version writes to it" in str(raised.value)
    assert path.read_bytes() == before  # a read never writes


def test_the_first_write_to_an_older_store_opened_for_reading_upgrades_it(tmp_path, monkeypatch):
    path = tmp_path / "old.gpkg"
    older_store(path, monkeypatch)
    with Store.open(path, create=False) as store:
        store.write_works([replace(make_works(1)[0], title="changed")])
        assert store.pending_migrations == [] and store.schema_version == SCHEMA_VERSION
        assert store.read_shared_works().works == []
    with Store.open(path, create=False) as store:
        assert store.pending_migrations == []
        assert sorted(w.title for w in store.read_works().works) == ["Work 1", "changed"]


def test_opening_an_older_store_for_writing_upgrades_it(tmp_path, monkeypatch):
    from situation_room_plugin.qgis_io import schema

    path = tmp_path / "old.gpkg"
    older_store(path, monkeypatch, applied=1)
    with Store.open(path) as store:
        assert store.applied_migrations() == [name for name, _ in schema.MIGRATIONS]
        assert store.count_works() == 2


def test_a_store_error_carries_its_problem_and_is_a_situation_room_error(tmp_path):
    from situation_room_plugin.core.errors import SituationRoomError

    missing = tmp_path / "nowhere.gpkg"
    with pytest.raises(SituationRoomError) as raised:
        Store.open(missing, create=False)
    assert isinstance(raised.value, StoreError)
    assert (raised.value.problem.code, raised.value.problem.record) == ("store_missing", str(missing))
    assert str(raised.value) == f"{missing}: There is no project store here."
    assert not missing.exists()  # a read open creates nothing
    text = tmp_path / "notes.gpkg"
    text.write_text("not a database at all, just some text that is long enough to be read as a header" * 20)
    for create in (False, True):
        with pytest.raises(StoreError, match="not a Situation Room project store") as raised:
            Store.open(text, create=create)
        assert raised.value.problem.code == "not_a_store"


def test_a_work_holding_a_value_sqlite_cannot_hold_is_refused_by_name_and_the_others_are_written(tmp_path):
    works = make_works(4)
    works[1] = replace(works[1], revision=10**20)
    works[2] = replace(works[2], description="testo rotto \ud800 qui")
    with Store.open(tmp_path / "p.gpkg") as store:
        report = store.write_works(works)
        kept = [w.title for w in store.read_works().works]
    assert report.written == 2 and report.refused == 2
    assert kept == ["Work 0", "Work 3"]
    by_field = {p.field: p for p in report.problems}
    assert set(by_field) == {"revision", "description"}
    assert by_field["revision"].code == "integer_too_large" and works[1].uid in by_field["revision"].record
    assert "100000000000000000000" in by_field["revision"].message
    assert by_field["description"].code == "bad_text" and works[2].uid in by_field["description"].record
    assert "character 13" in by_field["description"].message
    str(by_field["description"]).encode("utf-8")  # the report itself can be shown and logged


def test_the_store_modules_import_alone_and_form_no_circle():
    import ast

    package = ROOT / "situation_room_plugin" / "qgis_io"
    imports: dict[str, set[str]] = {}
    for module in package.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "situation_room_plugin.qgis_io":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("situation_room_plugin.qgis_io."):
                found.add(node.module.rsplit(".", 1)[1])
        imports[module.stem] = found

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        return any(n == target or (n not in seen and reaches(n, target, seen | {n})) for n in imports.get(start, ()))

    assert [m for m in imports if reaches(m, m, {m})] == []
    assert imports["schema"] <= {"gpkg"}
    assert "feed_cache" not in imports["store"]
    for module in ("schema", "store", "feed_cache", "decisions", "graph_cache"):
        result = subprocess.run([sys.executable, "-c", f"import situation_room_plugin.qgis_io.{module}"],
                                cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_the_store_srs_is_the_project_crs():
    from situation_room_plugin.core.works import PROJECT_CRS
    from situation_room_plugin.qgis_io import schema

    assert f"{schema.SRS.organization}:{schema.SRS.srs_id}" == PROJECT_CRS
    assert dict(schema.WORK_COLUMNS)["start_date"] == "DATE" and dict(schema.works_columns())["uid"].endswith("UNIQUE")


def test_a_store_whose_path_has_uri_characters_opens_where_it_is(tmp_path):
    folder = tmp_path / "lavori Città 2026 #1 ?50%"
    folder.mkdir()
    path = folder / "progetto?.gpkg"
    with Store.open(path) as store:
        store.write_works(make_works(1))
    with Store.open(path, create=False) as store:
        assert store.count_works() == 1
    assert sorted(p.name for p in folder.iterdir()) == ["progetto?.gpkg"]


def test_a_store_from_a_newer_version_is_refused_for_reading_too(tmp_path):
    path = tmp_path / "p.gpkg"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO situation_room_meta (name) VALUES ('0099_from_the_future')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as raised:
        Store.open(path, create=False)
    assert raised.value.problem.code == "store_newer" and "update the plugin" in str(raised.value)


def test_adding_works_stamps_new_ones_bumps_changed_ones_and_leaves_the_same_alone(tmp_path):
    from dataclasses import replace
    from datetime import datetime, timezone

    from situation_room_plugin.qgis_io.store import Store
    from tests.unit.works_builder import box, work

    moment = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    first, second = work(1, box(0, 0), 0, 3, revision=9), work(2, box(50, 0), 0, 3)
    with Store.open(tmp_path / "s.gpkg") as store:
        report = store.add_works([first, second], user="anna", moment=moment)
        assert sorted(report.added) == sorted([first.uid, second.uid]) and not report.updated
        stored = {w.uid: w for w in store.read_works().works}
        assert stored[first.uid].revision == 1 and stored[first.uid].updated_by == "anna"
        again = store.add_works([first, replace(second, status="in_progress"), replace(second, title="Via Roma")],
                                user="bruno", moment=moment)
        assert again.unchanged == [first.uid] and again.updated == [second.uid] and not again.added
        stored = {w.uid: w for w in store.read_works().works}
        assert (stored[second.uid].revision, stored[second.uid].title) == (3, "Via Roma")
        assert stored[second.uid].updated_by == "bruno" and stored[first.uid].revision == 1
        moved = store.add_works([replace(first, geometry=box(1, 0))], user="anna", moment=moment)
        assert moved.updated == [first.uid] and list(moved.edits[0].changes) == ["geometry"]


def test_adding_a_work_over_a_stored_row_that_does_not_validate_keeps_its_revision_going(tmp_path):
    from situation_room_plugin.qgis_io.store import Store
    from tests.unit.works_builder import box, work

    stored = work(1, box(0, 0), 0, 3, revision=5)
    with Store.open(tmp_path / "s.gpkg") as store:
        store.write_works([stored])
    with Store.open(tmp_path / "s.gpkg") as store:
        with store.transaction() as conn:  # edited by hand: an end date that is not a date
            conn.execute("UPDATE works SET end_date = 'soon' WHERE uid = ?", (stored.uid,))
        assert store.read_works().works == []
        report = store.add_works([stored], user="anna")
        assert report.updated == [stored.uid] and not report.added
        (again,) = store.read_works().works
    assert again.revision == 6 and again.end_date == stored.end_date
