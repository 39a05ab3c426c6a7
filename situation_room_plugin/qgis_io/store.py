"""The project GeoPackage: one file per project holding the works (and later caches, outbox and results),
with a schema version, migrations, and every write in one transaction.

It speaks sqlite3 directly, so that a write is atomic (a crash mid-write leaves the previous state) and
the store works the same inside QGIS, in Processing and in plain tests. QGIS opens the same file as a
GeoPackage layer (`works_layer_uri`).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from situation_room_plugin.core.owners import Owner, OwnerRegistry
from situation_room_plugin.core.works import FIELDS, FieldKind, ValidationReport, Work, validate_records
from situation_room_plugin.qgis_io import feed_cache, gpkg

LOG = logging.getLogger(__name__)

WORKS_TABLE = "works"
OWNERS_TABLE = "owners"
META_TABLE = "situation_room_meta"
GRAPH_CACHE_TABLE = "road_graph_cache"
SRS_ID = 6707

_SQL_TYPES = {
    FieldKind.DATE: "DATE",
    FieldKind.DATETIME: "DATETIME",
    FieldKind.BOOL: "BOOLEAN",
    FieldKind.INT: "INTEGER",
}


class StoreError(Exception):
    """The file is not a Situation Room store this version can use; the message says why."""


def works_columns() -> list[tuple[str, str]]:
    columns = []
    for spec in FIELDS:
        sqltype = _SQL_TYPES.get(spec.kind, "TEXT")
        if spec.name == "uid":
            sqltype += " NOT NULL UNIQUE"
        columns.append((spec.name, sqltype))
    return columns


def _migration_1(conn: sqlite3.Connection) -> None:
    """The works table and the organisation registry, seeded with Prato's members."""
    gpkg.create_feature_table(
        conn, WORKS_TABLE, works_columns(), "MULTIPOLYGON", SRS_ID, "Works (cantieri) and their footprints"
    )
    gpkg.create_feature_table(
        conn, OWNERS_TABLE, [("code", "TEXT NOT NULL UNIQUE"), ("name", "TEXT NOT NULL"), ("domain", "TEXT")], None
    )
    conn.executemany(
        f"INSERT INTO {OWNERS_TABLE} (code, name, domain) VALUES (?, ?, ?)",
        [(o.code, o.name, o.domain) for o in OwnerRegistry()],
    )


CONFLICT_DECISIONS_TABLE = "conflict_decisions"


def _create_conflict_decisions(conn: sqlite3.Connection) -> None:
    """Decisions on conflicts (status and note), kept across detection runs (see qgis_io/decisions.py)."""
    gpkg.create_feature_table(
        conn,
        CONFLICT_DECISIONS_TABLE,
        [
            ("conflict_id", "TEXT NOT NULL UNIQUE"),
            ("kind", "TEXT NOT NULL"),
            ("uid_a", "TEXT NOT NULL"),
            ("uid_b", "TEXT NOT NULL"),
            ("status", "TEXT NOT NULL DEFAULT 'open'"),
            ("note", "TEXT NOT NULL DEFAULT ''"),
            ("first_seen", "DATE"),
            ("last_seen", "DATE"),
            ("gone_since", "DATE"),
            ("updated_at", "DATETIME"),
            ("updated_by", "TEXT"),
        ],
        None,
        description="Decisions on conflicts between works: status and note",
    )


def _create_road_graph_cache(conn: sqlite3.Connection) -> None:
    """The road graphs built for the project's analyses (read and written by qgis_io/graph_cache.py)."""
    gpkg.create_feature_table(
        conn,
        GRAPH_CACHE_TABLE,
        [("key", "TEXT NOT NULL UNIQUE"), ("nodes", "INTEGER"), ("edges", "INTEGER"), ("graph", "BLOB NOT NULL"),
         ("used_at", "DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))")],
        None,
        description="Road graphs built for detour analysis (a cache: safe to empty)",
    )


#: The schema's history, oldest first: (name, function). A store records the names it has applied, so
#: migrations added on parallel branches merge by appending. Append; never edit or reorder a released one.
MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("0001_works_and_owners", _migration_1),
    ("0002_conflict_decisions", _create_conflict_decisions),
    ("0003_road_graph_cache", _create_road_graph_cache),
    ("0004_feed_cache", feed_cache.create_tables),
]
SCHEMA_VERSION = len(MIGRATIONS)


def _columns(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


class Store:
    """An open project GeoPackage. Use `Store.open(path)`; close it (or use it as a context manager)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn

    @classmethod
    def open(cls, path: str | Path, create: bool = True) -> Store:
        """Open a store, creating it when `create` and absent, and bring its schema up to date."""
        path = Path(path)
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise StoreError(f"{path}: no such project store")
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            gpkg.register_functions(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(path, conn)
            store._migrate(fresh=not exists)
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: the writes inside are committed together or not at all."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        """How many migrations the store has applied."""
        return len(self.applied_migrations())

    def applied_migrations(self) -> list[str]:
        rows = self._conn.execute(f"SELECT name FROM {META_TABLE} ORDER BY applied_at, name").fetchall()
        return [name for (name,) in rows]

    def _migrate(self, fresh: bool) -> None:
        conn = self._conn
        if fresh:
            with self.transaction():
                gpkg.create_core_tables(conn)
                conn.execute(
                    f"CREATE TABLE {META_TABLE} (name TEXT PRIMARY KEY, "
                    "applied_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
                )
        try:
            applied = set(self.applied_migrations())
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a Situation Room project store ({error})") from error
        unknown = applied - {name for name, _ in MIGRATIONS}
        if unknown:
            raise StoreError(
                f"{self.path}: written by a newer Situation Room (schema changes {', '.join(sorted(unknown))} "
                "are unknown to this version); update the plugin"
            )
        for name, migration in MIGRATIONS:
            if name in applied:
                continue
            with self.transaction():
                migration(conn)
                conn.execute(f"INSERT INTO {META_TABLE} (name) VALUES (?)", (name,))
            LOG.info("store %s: schema change %s applied", self.path.name, name)

    # -- works -------------------------------------------------------------------------------------------

    def write_works(self, works: Iterable[Work]) -> int:
        """Insert works, or update them in place by uid, all in one transaction. Returns how many."""
        works = list(works)
        names = [spec.name for spec in FIELDS]
        blobs = gpkg.encode_many([w.geometry for w in works], SRS_ID)
        rows = [[gpkg.sql_value(getattr(w, n)) for n in names] + [blob] for w, blob in zip(works, blobs)]
        # Not an UPSERT: it would override the R-tree triggers' INSERT OR REPLACE with ABORT.
        insert = f"INSERT INTO {WORKS_TABLE} ({_columns(names)}, geom) VALUES ({', '.join('?' * (len(names) + 1))})"
        assignments = ", ".join(f'"{n}" = ?' for n in [*names[1:], "geom"])
        update = f"UPDATE {WORKS_TABLE} SET {assignments} WHERE uid = ?"
        with self.transaction() as conn:
            existing = {uid for (uid,) in conn.execute(f"SELECT uid FROM {WORKS_TABLE}")}
            conn.executemany(update, [row[1:] + row[:1] for row in rows if row[0] in existing])
            conn.executemany(insert, [row for row in rows if row[0] not in existing])
            gpkg.update_extent(conn, WORKS_TABLE)
        return len(rows)

    def read_works(self, owners: OwnerRegistry | None = None) -> ValidationReport:
        """Every work in the store, validated: the table may have been edited in QGIS by hand."""
        return self._read_works_table(WORKS_TABLE, owners)

    def read_shared_works(self, owners: OwnerRegistry | None = None) -> ValidationReport:
        """The partners' works in the shared layers' offline copies (every source), validated the same way."""
        return self._read_works_table(feed_cache.WORKS_TABLE, owners)

    def _read_works_table(self, table: str, owners: OwnerRegistry | None) -> ValidationReport:
        names = [spec.name for spec in FIELDS]
        cursor = self._conn.execute(f"SELECT fid, geom, {_columns(names)} FROM {table} ORDER BY fid")
        rows = cursor.fetchall()
        geometries = gpkg.decode_many([row[1] for row in rows])
        records = (
            (f"{table} #{row[0]}", dict(zip(names, row[2:])), geometry)
            for row, geometry in zip(rows, geometries)
        )
        return validate_records(records, owners or self.owners())

    def delete_works(self, uids: Iterable[str]) -> int:
        with self.transaction() as conn:
            deleted = conn.executemany(f"DELETE FROM {WORKS_TABLE} WHERE uid = ?", [(u,) for u in uids]).rowcount
            gpkg.update_extent(conn, WORKS_TABLE)
        return deleted

    def count_works(self) -> int:
        return self._conn.execute(f"SELECT count(*) FROM {WORKS_TABLE}").fetchone()[0]

    def count_by_status(self) -> dict[str, int]:
        rows = self._conn.execute(f"SELECT status, count(*) FROM {WORKS_TABLE} GROUP BY status ORDER BY status")
        return {status or "": count for status, count in rows}

    # -- organisations -----------------------------------------------------------------------------------

    def owners(self) -> OwnerRegistry:
        rows = self._conn.execute(f"SELECT code, name, domain FROM {OWNERS_TABLE} ORDER BY fid").fetchall()
        return OwnerRegistry(Owner(code, name, domain or "") for code, name, domain in rows)

    def save_owners(self, registry: OwnerRegistry) -> None:
        with self.transaction() as conn:
            conn.execute(f"DELETE FROM {OWNERS_TABLE}")
            conn.executemany(
                f"INSERT INTO {OWNERS_TABLE} (code, name, domain) VALUES (?, ?, ?)",
                [(o.code, o.name, o.domain) for o in registry],
            )


def works_layer_uri(path: str | Path) -> str:
    """The OGR data source of the works layer, for QgsVectorLayer(uri, name, 'ogr')."""
    return f"{path}|layername={WORKS_TABLE}"
