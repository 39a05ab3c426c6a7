"""The project GeoPackage: one file per project holding the works (and the caches, decisions and offline
copies), with a schema version, migrations, and every write in one transaction.

It speaks sqlite3 directly, so that a write is atomic (a crash mid-write leaves the previous state) and
the store works the same inside QGIS, in Processing and in plain tests. QGIS opens the same file as a
GeoPackage layer (`works_layer_uri`). The tables and migrations are in `qgis_io/schema.py`.

Opening and upgrading:

- ``Store.open(path)`` (``create=True``) opens for writing: it creates the store when absent and applies
  the migrations it lacks, under the write lock, re-checking what is applied once it holds the lock (so
  that several QGIS or processes creating or upgrading the same store at once all succeed).
- ``Store.open(path, create=False)`` opens for reading and writes nothing. A store of an older version is
  read as it is: what its tables hold is read, and the Store's readers (`read_shared_works`,
  `decisions.load_decisions`, ...) read a table it does not have yet as empty, as it will be once
  upgraded (`lacks`). Any other read of a table or column it does not have yet is a StoreError
  (`store_outdated`) saying so. Its first write (`transaction`) upgrades it first.
- A store written by a newer plugin (a migration unknown here) is refused either way.

Concurrency: SQLite lets one connection write at a time; the others wait up to `timeout` seconds for it.
A write that finds the store busy waits quietly for BUSY_NOTICE_AFTER seconds, then says so in the log
("waiting up to … s") and tries again for the rest of `timeout`: one bounded retry, nothing written until
it holds the lock. Past that, or on any other failure of SQLite, the Store raises StoreError (code
`store_locked` when another QGIS or process holds the store): no raw sqlite3 error leaves this module's
methods.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from situation_room_plugin.core.edits import (
    EditKind,
    EditRecord,
    changed_work_values,
    created_record,
    new_work_values,
    now_utc,
)
from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.owners import Owner, OwnerRegistry
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.works import (
    DEFAULT_LIMITS,
    GeometryLimits,
    ValidationReport,
    Work,
    parse_datetime,
    parse_int,
    record_label,
    validate_records,
)
from situation_room_plugin.qgis_io import gpkg, schema

# The names callers import from here (the schema is in qgis_io/schema.py).
from situation_room_plugin.qgis_io.schema import (  # noqa: F401 - re-exported
    CONFLICT_DECISIONS_TABLE,
    GRAPH_CACHE_TABLE,
    META_TABLE,
    OWNERS_TABLE,
    SCHEMA_VERSION,
    SRS_ID,
    WORKS_TABLE,
    works_columns,
)

LOG = logging.getLogger(__name__)

#: Seconds a connection waits for another one's write lock before giving up with `store_locked`.
DEFAULT_TIMEOUT = 30.0
#: Seconds a write waits for a busy store before it logs that it is waiting (and goes on waiting).
BUSY_NOTICE_AFTER = 1.0


class StoreError(SituationRoomError):
    """The store cannot be used as asked; `problem.code` says why (store_missing, not_a_store, store_newer,
    store_outdated, store_locked, store_failed), `problem.record` is the store's path, and `str(error)` is
    the English message."""


@dataclass
class WriteReport:
    """How a write went: how many records were written, and the problems of those refused (a value the
    store cannot hold), each naming the record and the field."""

    written: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len({p.record for p in self.problems})


@dataclass
class AddReport:
    """What adding works to the store did, by uid: added, updated (revision + 1), unchanged (the store had them
    as they are), and the problems of those it refused."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    edits: list[EditRecord] = field(default_factory=list)


#: Footprints closer than this (metres) are the same footprint when a work is added again.
SAME_FOOTPRINT_M = 0.01


def _same_footprint(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return bool(a.equals_exact(b, SAME_FOOTPRINT_M)) or bool(a.equals(b))


def refused_values(label: str, names: Iterable[str], values: Iterable[Any]) -> list[Problem]:
    """The problems of a record's values that SQLite cannot hold (empty when it can hold them all)."""
    problems = []
    for name, value in zip(names, values):
        found = gpkg.value_problem(value)
        if found is not None:
            code, params = found
            problems.append(Problem(gpkg.printable(label), name, code, Severity.ERROR, params))
    return problems


def _uri(path: Path, mode: str) -> str:
    """The SQLite URI of a file (`mode` rw: never creates it; rwc: creates it when absent). The path's
    ?, # and % are escaped; a Windows UNC path (//server/share) keeps its leading slashes in the path."""
    posix = path.resolve().as_posix()
    return f"file:{'//' if posix.startswith('/') else '///'}{quote(posix, safe='/:')}?mode={mode}"


def _columns(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


class Store:
    """An open project GeoPackage. Use `Store.open(path)`; close it (or use it as a context manager)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._conn = conn
        self._pending: list[str] = []  # migrations a read-only open found missing
        self._mode: str | None = None  # "read", "staging" or "write" while a transaction is open

    @classmethod
    def open(cls, path: str | Path, create: bool = True, timeout: float | None = None) -> Store:
        """Open a store. `create` (the default) opens it for writing: created when absent and brought up to
        date. Without `create` it is opened for reading and nothing is written (see the module's docstring);
        `timeout`: the seconds to wait for another writer (default DEFAULT_TIMEOUT)."""
        path = Path(path)
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise StoreError.of("store_missing", str(path))
        try:
            conn = sqlite3.connect(_uri(path, "rwc" if create else "rw"), uri=True, timeout=timeout,
                                   isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError.of("store_failed", str(path), value=str(error)) from error
        store = cls(path, conn, timeout)
        try:
            gpkg.register_functions(conn)
            with store._translated():
                conn.execute("PRAGMA foreign_keys = ON")
            with store.reading():  # one snapshot: a creator's tables all appear at once, or none
                missing = store._missing_migrations(conn, allow_empty=create)
            if missing and create:
                store.upgrade()
            else:
                store._pending = missing
                if missing:
                    LOG.info("store %s is from an older version (lacks %s): read as it is, upgraded on the first "
                             "write", path.name, ", ".join(missing))
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

    # -- transactions ------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write: all or nothing, the writes inside committed together or not at all, under the store's
        write lock from the start (so what is read inside is still true when it is written). A store opened
        for reading that is of an older version is upgraded first. Inside another transaction of this store,
        the writes join it."""
        if self._mode == "write":
            yield self._conn
            return
        if self._mode in ("read", "staging"):
            raise RuntimeError(f"a write inside a {self._mode} transaction of the store: open the write first")
        if self._pending:
            self.upgrade()
        with self._in_transaction("write", "BEGIN IMMEDIATE") as conn:
            yield conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read: the statements inside see one state of the store, and nothing is written (writing inside
        fails). Inside another transaction of this store, the reads join it."""
        if self._mode is not None:
            yield self._conn
            return
        with self._in_transaction("read", "BEGIN DEFERRED") as conn:
            yield conn

    @contextlib.contextmanager
    def staging(self) -> Iterator[sqlite3.Connection]:
        """A write to this connection's temporary tables only (``temp."…"``): it takes no lock on the store,
        so it neither waits for another writer nor holds one up. Inside another transaction, it joins it."""
        if self._mode is not None:
            yield self._conn
            return
        with self._in_transaction("staging", "BEGIN DEFERRED") as conn:
            yield conn

    @contextlib.contextmanager
    def _in_transaction(self, mode: str, begin: str) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        with self._translated():
            if mode == "write":
                self._begin_write(begin)
            else:
                conn.execute(begin)
        self._mode = mode
        try:
            if mode == "read":
                conn.execute("PRAGMA query_only = ON")
            try:
                yield conn
            except BaseException as error:
                self._rollback()
                if isinstance(error, sqlite3.Error):
                    raise self._error(error) from error
                raise
            try:
                conn.execute("COMMIT")  # may wait for readers; still open when it fails
            except sqlite3.Error as error:
                self._rollback()
                raise self._error(error) from error
        finally:
            self._mode = None
            if mode == "read":
                conn.execute("PRAGMA query_only = OFF")

    def _begin_write(self, begin: str) -> None:
        """Take the write lock: wait BUSY_NOTICE_AFTER seconds for a busy store, then log that it waits and
        try once more for the rest of the timeout (SQLite's busy timeout bounds both waits)."""
        conn = self._conn
        quiet = min(BUSY_NOTICE_AFTER, self.timeout)
        if quiet >= self.timeout:
            conn.execute(begin)
            return
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(quiet * 1000)}")
            try:
                conn.execute(begin)
                return
            except sqlite3.OperationalError as error:
                if self._error(error).problem.code != "store_locked":
                    raise
            LOG.warning("store %s is busy: another QGIS or process is writing to it; waiting up to %g s more",
                        self.path.name, self.timeout - quiet)
            conn.execute(f"PRAGMA busy_timeout = {int((self.timeout - quiet) * 1000)}")
            conn.execute(begin)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error as error:  # SQLite may have rolled back itself (e.g. on a full disk)
                LOG.warning("store %s: rollback failed: %s", self.path.name, error)

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """SQLite's errors of the statements inside as StoreError."""
        try:
            yield
        except sqlite3.Error as error:
            raise self._error(error) from error

    def _error(self, error: sqlite3.Error) -> StoreError:
        text = str(error)
        if isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return StoreError.of("store_locked", str(self.path), seconds=f"{self.timeout:g}")
        if self._pending and text.startswith(("no such table", "no such column")):
            return StoreError.of("store_outdated", str(self.path), value=", ".join(self._pending))
        if type(error) is sqlite3.DatabaseError:  # "file is not a database", "malformed"
            return StoreError.of("not_a_store", str(self.path), value=text)
        return StoreError.of("store_failed", str(self.path), value=text)

    # -- schema ------------------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """How many migrations the store has applied."""
        return len(self.applied_migrations())

    @property
    def pending_migrations(self) -> list[str]:
        """The migrations of this version that the store (opened for reading) lacks: applied by the first
        write."""
        return list(self._pending)

    def lacks(self, table: str) -> bool:
        """Whether the store, of an older version opened for reading, has not got this table yet: read it as
        empty (as it will be once upgraded)."""
        if not self._pending:
            return False
        with self.reading() as conn:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
            return found.fetchone() is None

    def applied_migrations(self) -> list[str]:
        with self.reading() as conn:
            rows = conn.execute(f"SELECT name FROM {schema.META_TABLE} ORDER BY applied_at, name").fetchall()
        return [name for (name,) in rows]

    def upgrade(self) -> list[str]:
        """Apply the migrations the store lacks (creating it when the file is empty), all in one write
        transaction, deciding what to apply once the write lock is held. Returns the names applied."""
        if self._mode is not None:
            raise RuntimeError("the store is upgraded outside its transactions, not inside one")
        with self._in_transaction("write", "BEGIN IMMEDIATE") as conn:
            missing = self._missing_migrations(conn, allow_empty=True)
            if missing and len(missing) == len(schema.MIGRATIONS) and not self._is_store(conn):
                schema.create_store(conn)
            for name, migration in schema.MIGRATIONS:
                if name in missing:
                    migration(conn)
                    conn.execute(f"INSERT INTO {schema.META_TABLE} (name) VALUES (?)", (name,))
        self._pending = []
        for name in missing:
            LOG.info("store %s: schema change %s applied", self.path.name, name)
        return missing

    @staticmethod
    def _is_store(conn: sqlite3.Connection) -> bool:
        row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (schema.META_TABLE,)).fetchone()
        return row is not None

    def _missing_migrations(self, conn: sqlite3.Connection, allow_empty: bool) -> list[str]:
        """The migrations the store lacks (all of them for an empty file, when `allow_empty`); refuses a
        file that is not a store and a store from a newer version."""
        if not self._is_store(conn):
            (tables,) = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if tables or not allow_empty:
                raise StoreError.of("not_a_store", str(self.path), value=f"no {schema.META_TABLE} table")
            return [name for name, _ in schema.MIGRATIONS]
        applied = {name for (name,) in conn.execute(f"SELECT name FROM {schema.META_TABLE}")}
        unknown = applied - {name for name, _ in schema.MIGRATIONS}
        if unknown:
            raise StoreError.of("store_newer", str(self.path), value=", ".join(sorted(unknown)))
        return [name for name, _ in schema.MIGRATIONS if name not in applied]

    # -- works -------------------------------------------------------------------------------------------

    def write_works(self, works: Iterable[Work]) -> WriteReport:
        """Insert works, or update them in place by uid, all in one transaction. A work holding a value the
        store cannot hold (an integer beyond 64 bits, text with a lone surrogate) is not written: the report
        names it and the field, and the others are written."""
        names = schema.WORK_COLUMN_NAMES
        report = WriteReport()
        kept, rows = [], []
        for work in works:
            row = [gpkg.sql_value(getattr(work, n)) for n in names]
            problems = refused_values(record_label(WORKS_TABLE, work.attributes()), names, row)
            if problems:
                report.problems += problems
                for problem in problems:
                    LOG.warning("not written to %s: %s", self.path.name, problem)
                continue
            kept.append(work)
            rows.append(row)
        blobs = gpkg.encode_many([w.geometry for w in kept], SRS_ID)
        rows = [[*row, blob] for row, blob in zip(rows, blobs)]
        # Not an UPSERT: it would override the R-tree triggers' INSERT OR REPLACE with ABORT.
        insert = f"INSERT INTO {WORKS_TABLE} ({_columns(names)}, geom) VALUES ({', '.join('?' * (len(names) + 1))})"
        assignments = ", ".join(f'"{n}" = ?' for n in [*names[1:], "geom"])
        update = f"UPDATE {WORKS_TABLE} SET {assignments} WHERE uid = ?"
        with self.transaction() as conn:
            existing = {uid for (uid,) in conn.execute(f"SELECT uid FROM {WORKS_TABLE}")}
            conn.executemany(update, [row[1:] + row[:1] for row in rows if row[0] in existing])
            conn.executemany(insert, [row for row in rows if row[0] not in existing])
            gpkg.update_extent(conn, WORKS_TABLE)
        report.written = len(rows)
        return report

    def add_works(self, works: Iterable[Work], user: str, organisation: str = "", moment: Any = None
                  ) -> AddReport:
        """Add works to the store, or update the stored ones of the same uid, by the one edit rule
        (core/edits.py): a new work gets revision 1 and the time and user; a changed one revision + 1; an
        unchanged one is left as it is (not rewritten, its revision not bumped)."""
        moment = moment or now_utc()
        report = AddReport()
        with self.transaction() as conn:  # read and write under one lock: no other writer's revision lost
            existing = {w.uid: w for w in self.read_works().works}
            # rows the store holds but that do not validate (edited by hand): updated, their revision kept going
            raw = {uid: (revision, created) for uid, revision, created in conn.execute(
                f"SELECT uid, revision, created_at FROM {WORKS_TABLE}") if uid not in existing}
            to_write: dict[str, Work] = {}
            for work in works:
                before = existing.get(work.uid)
                if before is None and work.uid in raw:
                    revision, created = raw.pop(work.uid)
                    values = {"revision": (parse_int(revision) or 0) + 1, "created_at": parse_datetime(created)
                              or moment, "updated_at": moment, "updated_by": user}
                    work = dataclasses.replace(work, **values)
                    report.edits.append(EditRecord(EditKind.UPDATED, work.uid, work.revision, {
                        name: (None, value) for name, value in work.attributes().items()}))
                    if work.uid not in to_write:
                        report.updated.append(work.uid)
                elif before is None:
                    values = new_work_values(work.attributes(), user=user, moment=moment, organisation=organisation)
                    work = dataclasses.replace(work, **values)
                    report.edits.append(created_record(work.attributes()))
                    if work.uid not in to_write:
                        report.added.append(work.uid)
                else:
                    values, record = changed_work_values(
                        before.attributes(), work.attributes(), not _same_footprint(before.geometry, work.geometry),
                        user=user, moment=moment)
                    if record is None:
                        report.unchanged.append(work.uid)
                        continue
                    work = dataclasses.replace(work, **values)
                    report.edits.append(record)
                    if work.uid not in to_write:
                        report.updated.append(work.uid)
                existing[work.uid] = work  # the same uid twice in the input: the second updates the first
                to_write[work.uid] = work
            written = self.write_works(to_write.values())
        if written.problems:
            refused = {p.record for p in written.problems}
            kept = {uid for uid, w in to_write.items()
                    if gpkg.printable(record_label(WORKS_TABLE, w.attributes())) not in refused}
            report.added = [u for u in report.added if u in kept]
            report.updated = [u for u in report.updated if u in kept]
            report.edits = [e for e in report.edits if e.uid in kept]
            report.problems += written.problems
        return report

    def read_works(self, owners: OwnerRegistry | None = None, limits: GeometryLimits = DEFAULT_LIMITS
                   ) -> ValidationReport:
        """Every work in the store, validated: the table may have been edited in QGIS by hand."""
        return self._read_works_table(WORKS_TABLE, owners, limits)

    def read_shared_works(self, owners: OwnerRegistry | None = None, limits: GeometryLimits = DEFAULT_LIMITS
                          ) -> ValidationReport:
        """The partners' works in the shared layers' offline copies (every source), validated the same way."""
        return self._read_works_table(schema.FEED_WORKS_TABLE, owners, limits)

    def _read_works_table(self, table: str, owners: OwnerRegistry | None, limits: GeometryLimits
                          ) -> ValidationReport:
        if self.lacks(table):
            return ValidationReport()
        names = schema.WORK_COLUMN_NAMES
        with self.reading() as conn:
            rows = conn.execute(f"SELECT fid, geom, {_columns(names)} FROM {table} ORDER BY fid").fetchall()
            owners = owners or self.owners()
        geometries = gpkg.decode_many([row[1] for row in rows])
        records = (
            (f"{table} #{row[0]}", dict(zip(names, row[2:])), geometry)
            for row, geometry in zip(rows, geometries)
        )
        return validate_records(records, owners, limits=limits)

    def delete_works(self, uids: Iterable[str]) -> int:
        with self.transaction() as conn:
            deleted = conn.executemany(f"DELETE FROM {WORKS_TABLE} WHERE uid = ?", [(u,) for u in uids]).rowcount
            gpkg.update_extent(conn, WORKS_TABLE)
        return deleted

    def count_works(self) -> int:
        with self.reading() as conn:
            return conn.execute(f"SELECT count(*) FROM {WORKS_TABLE}").fetchone()[0]

    def count_by_status(self) -> dict[str, int]:
        with self.reading() as conn:
            rows = conn.execute(f"SELECT status, count(*) FROM {WORKS_TABLE} GROUP BY status ORDER BY status")
            return {status or "": count for status, count in rows}

    # -- organisations -----------------------------------------------------------------------------------

    def owners(self) -> OwnerRegistry:
        with self.reading() as conn:
            rows = conn.execute(f"SELECT code, name, domain FROM {OWNERS_TABLE} ORDER BY fid").fetchall()
        return OwnerRegistry(Owner(code, name, domain or "") for code, name, domain in rows)

    def save_owners(self, registry: OwnerRegistry) -> None:
        rows = [(o.code, o.name, o.domain) for o in registry]
        problems = [p for row in rows for p in refused_values(f"{OWNERS_TABLE} {gpkg.printable(row[0])}",
                                                               ("code", "name", "domain"), row)]
        if problems:  # the registry is written whole or not at all
            raise StoreError(problems[0])
        with self.transaction() as conn:
            conn.execute(f"DELETE FROM {OWNERS_TABLE}")
            conn.executemany(f"INSERT INTO {OWNERS_TABLE} (code, name, domain) VALUES (?, ?, ?)", rows)


def works_layer_uri(path: str | Path) -> str:
    """The OGR data source of the works layer, for QgsVectorLayer(uri, name, 'ogr')."""
    return f"{path}|layername={WORKS_TABLE}"
