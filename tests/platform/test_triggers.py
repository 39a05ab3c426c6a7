"""The platform's tables and triggers, on a bare GeoPackage (sqlite3, no SpatiaLite) and on PostGIS (psql):
the revision rule, the refused owner change and hard delete, the stamps, the one growing sequence, tombstones."""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from situation_room_platform import schema

from situation_room_plugin.core.works import FIELD_NAMES
from situation_room_plugin.qgis_io import gpkg

_DATABASES = itertools.count()


class RefusedError(Exception):
    """The database refused the statement (the message is the database's)."""


class GeoPackageDb:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(schema.create_geopackage(path)), isolation_level=None)
        gpkg.register_functions(self.conn)  # what GDAL gives the GeoPackage's R-tree triggers

    def run(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql).fetchall()
        except sqlite3.DatabaseError as error:
            raise RefusedError(str(error)) from error


class PostgisDb:
    def __init__(self, cluster: Any) -> None:
        name = f"triggers_{next(_DATABASES)}"
        cluster.psql_admin(f"CREATE DATABASE {name}")
        self.cluster = dataclasses.replace(cluster, database=name)
        self.cluster.psql(schema.postgis_sql())

    def run(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            out = self.cluster.psql(sql).stdout
        except subprocess.CalledProcessError as error:
            raise RefusedError(error.stderr) from error
        return [tuple(_value(v) for v in line.split("|")) for line in out.splitlines() if line]


def _value(text: str) -> Any:
    """psql's unaligned text as SQLite would give it: integers as int, booleans as 0/1."""
    if text in ("t", "f"):
        return int(text == "t")
    return int(text) if text.lstrip("-").isdigit() else text


@pytest.fixture(params=["gpkg", "postgis"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "gpkg":
        database = GeoPackageDb(tmp_path / "platform.gpkg")
        yield database
        database.conn.close()
    else:
        yield PostgisDb(request.getfixturevalue("cluster"))


def insert_work(db: Any, uid: str, owner: str = "publiacqua", title: str = "Rete idrica") -> None:
    db.run(f"INSERT INTO works (uid, title, owner) VALUES ('{uid}', '{title}', '{owner}')")


def stamps(db: Any, uid: str, table: str = "works", key: str = "uid") -> tuple[Any, ...]:
    """(revision, server_seq, updated_at, deleted, owner, title or status) of a record."""
    other = "title" if table == "works" else "status"
    rows = db.run(f"SELECT revision, server_seq, updated_at, deleted, owner, {other} FROM {table} "
                  f"WHERE {key} = '{uid}'")
    assert len(rows) == 1, rows
    return rows[0]


def test_the_works_table_has_every_work_field_and_the_server_columns():
    names = schema.WORKS.column_names
    assert names[:len(FIELD_NAMES)] == FIELD_NAMES
    assert set(schema.SERVER_COLUMN_NAMES) <= set(names)
    assert len(names) == len(set(names))
    assert dict(schema.WORKS.columns)["uid"] == "TEXT NOT NULL UNIQUE"
    for table in schema.TABLES:
        assert set(schema.SERVER_COLUMN_NAMES) <= set(table.column_names), table.name
        assert "UNIQUE" in dict(table.columns)[table.key], table.name


def test_the_published_tables_carry_every_field_of_the_conflicts_and_detours_outputs():
    from situation_room_plugin.processing.detour_analysis import DETOUR_FIELDS
    from situation_room_plugin.qgis_io.conflict_layers import CONFLICT_FIELDS

    conflicts = dict(schema.CONFLICTS.columns)
    assert [name for name, _ in CONFLICT_FIELDS] == list(schema.CONFLICTS.column_names[:len(CONFLICT_FIELDS)])
    assert (conflicts["severity"], conflicts["overlap_start"], conflicts["gap_days"]) == ("REAL", "DATE", "INTEGER")
    detours = set(schema.DETOURS.column_names)
    assert {"work_owner" if name == "owner" else name for name, _ in DETOUR_FIELDS} <= detours
    assert schema.DETOURS.geometry_type == "MULTILINESTRING" and schema.CONFLICTS.geometry_type == "MULTIPOLYGON"


def test_an_insert_gets_revision_one_a_sequence_number_and_a_time(db):
    insert_work(db, "w-1")
    revision, seq, updated_at, deleted, owner, _ = stamps(db, "w-1")
    assert (revision, deleted, owner) == (1, 0, "publiacqua")
    assert seq >= 1 and str(updated_at).startswith("20")


def test_an_update_must_raise_the_revision_by_exactly_one(db):
    insert_work(db, "w-1")
    for wrong in ("revision", "revision + 2", "revision - 1", "NULL"):
        with pytest.raises(RefusedError, match="revision"):
            db.run(f"UPDATE works SET title = 'Cambiato', revision = {wrong} WHERE uid = 'w-1'")
    assert stamps(db, "w-1")[0] == 1 and stamps(db, "w-1")[5] == "Rete idrica"
    db.run("UPDATE works SET title = 'Cambiato', revision = 2 WHERE uid = 'w-1'")
    assert stamps(db, "w-1")[0] == 2 and stamps(db, "w-1")[5] == "Cambiato"


def test_every_change_takes_a_higher_sequence_number_and_a_new_time_whatever_the_client_sends(db):
    insert_work(db, "w-1")
    insert_work(db, "w-2")
    first, second = stamps(db, "w-1")[1], stamps(db, "w-2")[1]
    db.run("UPDATE works SET title = 'Cambiato', revision = 2, server_seq = 1, updated_at = '1999-01-01' "
           "WHERE uid = 'w-1'")
    _, third, updated_at, *_ = stamps(db, "w-1")
    assert first < second < third
    assert not str(updated_at).startswith("1999")


def test_the_sequence_is_one_for_every_table(db):
    insert_work(db, "w-1")
    db.run("INSERT INTO conflict_decisions (conflict_id, kind, uid_a, uid_b, status, note, owner) "
           "VALUES ('c-1', 'clash', 'w-1', 'w-2', 'open', '', 'comune')")
    insert_work(db, "w-2")
    sequence = [stamps(db, "w-1")[1], stamps(db, "c-1", "conflict_decisions", "conflict_id")[1],
                stamps(db, "w-2")[1]]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3


def test_the_owner_of_a_record_cannot_change(db):
    insert_work(db, "w-1")
    with pytest.raises(RefusedError, match="owner"):
        db.run("UPDATE works SET owner = 'estracom', revision = 2 WHERE uid = 'w-1'")
    assert stamps(db, "w-1")[4] == "publiacqua" and stamps(db, "w-1")[0] == 1


def test_the_key_of_a_record_cannot_change(db):
    insert_work(db, "w-1")
    with pytest.raises(RefusedError, match="uid"):
        db.run("UPDATE works SET uid = 'w-2', revision = 2 WHERE uid = 'w-1'")
    db.run("INSERT INTO conflict_decisions (conflict_id, kind, uid_a, uid_b, owner) VALUES ('c-1', 'clash', 'a', "
           "'b', 'comune')")
    with pytest.raises(RefusedError, match="conflict_id"):
        db.run("UPDATE conflict_decisions SET conflict_id = 'c-2', revision = 2 WHERE conflict_id = 'c-1'")
    assert db.run("SELECT uid, revision FROM works") == [("w-1", 1)]


def test_a_uid_is_inserted_once(db):
    insert_work(db, "w-1")
    with pytest.raises(RefusedError):
        insert_work(db, "w-1", title="Ancora")
    assert db.run("SELECT count(*) FROM works") == [(1,)]


def test_records_are_deleted_by_a_tombstone_never_for_real(db):
    insert_work(db, "w-1")
    with pytest.raises(RefusedError, match="tombstone"):
        db.run("DELETE FROM works WHERE uid = 'w-1'")
    seq = stamps(db, "w-1")[1]
    db.run(f"UPDATE works SET deleted = {'true' if isinstance(db, PostgisDb) else 1}, revision = 2 "
           "WHERE uid = 'w-1'")
    revision, new_seq, _, deleted, *_ = stamps(db, "w-1")
    assert (revision, deleted) == (2, 1) and new_seq > seq


def test_a_record_needs_an_owner(db):
    with pytest.raises(RefusedError):
        db.run("INSERT INTO works (uid, title) VALUES ('w-1', 'Senza ente')")


def test_the_published_results_have_the_same_rules(db):
    db.run("INSERT INTO published_conflicts (conflict_id, kind, uid_a, uid_b, owner, severity) "
           "VALUES ('c-1', 'clash', 'a', 'b', 'comune', 40)")
    with pytest.raises(RefusedError, match="revision"):
        db.run("UPDATE published_conflicts SET severity = 50 WHERE conflict_id = 'c-1'")
    db.run("INSERT INTO published_detours (uid, work_uid, owner, extra_m) VALUES ('d-1', 'a', 'comune', 120)")
    db.run("UPDATE published_detours SET extra_m = 130, revision = 2 WHERE uid = 'd-1'")
    assert db.run("SELECT revision, extra_m FROM published_detours WHERE uid = 'd-1'")[0][0] == 2


def test_the_geopackage_triggers_need_no_spatialite(tmp_path):
    path = schema.create_geopackage(tmp_path / "platform.gpkg")
    conn = sqlite3.connect(str(path))
    triggers = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                               "AND name LIKE '%_sr_%'")]
    conn.close()
    assert len(triggers) == 6 * len(schema.TABLES)
    assert not any("ST_" in sql or "spatialite" in sql.lower() for sql in triggers)
