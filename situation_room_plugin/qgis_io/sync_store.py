"""The sync's tables in the project store (qgis_io/schema.py, migration 0006_sync) as core/sync objects: the
outbox rows the triggers write, the base copy of each work as last seen on the server, the copy of what an op
in flight sent, the open conflicts and their bases, and the cursors.

Every function here takes the connection of an open write (or read) transaction of the Store, so that a
sync step (prepare a batch, settle it, apply a page of a pull) is all or nothing. Applying server copies to
the works table happens inside `applying`, which the triggers see: no outbox row for what came from the server.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem
from situation_room_plugin.core.sync.outbox import Op, OpKind, OpState
from situation_room_plugin.core.sync.settle import ServerCopy
from situation_room_plugin.core.works import Work, validate_records
from situation_room_plugin.qgis_io import gpkg, schema

_COPY_NAMES = (*schema.WORK_COLUMN_NAMES, "geom", "server_seq", "last_op_id", "deleted")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@contextlib.contextmanager
def applying(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside: writes to works and conflict_decisions are the server's, not local edits (no outbox rows)."""
    conn.execute(f"INSERT INTO {schema.SYNC_APPLYING_TABLE} (since) VALUES (?)", (_now(),))
    try:
        yield
    finally:
        conn.execute(f"DELETE FROM {schema.SYNC_APPLYING_TABLE}")


# -- copies of works (base, case base, sent) ---------------------------------------------------------------


def _work_rows(works: Sequence[Work]) -> list[list[Any]]:
    blobs = gpkg.encode_many([w.geometry for w in works], schema.SRS_ID)
    return [[gpkg.sql_value(getattr(w, n)) for n in schema.WORK_COLUMN_NAMES] + [blob]
            for w, blob in zip(works, blobs)]


def write_copies(conn: sqlite3.Connection, table: str, copies: Sequence[ServerCopy]) -> None:
    """Insert or replace copies of works (by uid) in a copy table."""
    rows = [[*row, c.server_seq, c.last_op_id, int(c.deleted)] for row, c in
            zip(_work_rows([c.work for c in copies]), copies)]
    names = ", ".join(f'"{n}"' for n in _COPY_NAMES)
    conn.executemany(f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({', '.join('?' * len(_COPY_NAMES))})", rows)


def delete_copies(conn: sqlite3.Connection, table: str, uids: Iterable[str]) -> None:
    conn.executemany(f"DELETE FROM {table} WHERE uid = ?", [(u,) for u in uids])


def _records(conn: sqlite3.Connection, table: str, names: Sequence[str], uids: Sequence[str] | None,
             extra: str = "") -> list[tuple[Any, ...]]:
    columns = ", ".join(f'"{n}"' for n in names)
    if uids is None:
        return conn.execute(f"SELECT {columns} FROM {table} {extra}").fetchall()
    rows: list[tuple[Any, ...]] = []
    unique = list(dict.fromkeys(uids))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        rows += conn.execute(f"SELECT {columns} FROM {table} WHERE uid IN ({', '.join('?' * len(chunk))})",
                             chunk).fetchall()
    return rows


def _works_of(table: str, rows: Sequence[tuple[Any, ...]], owners: OwnerRegistry) -> tuple[dict[str, Work],
                                                                                          list[Problem]]:
    """Works from rows of (work columns..., geom, ...), validated; by uid."""
    names = schema.WORK_COLUMN_NAMES
    geometries = gpkg.decode_many([row[len(names)] for row in rows])
    records = ((f"{table} {row[0]}", dict(zip(names, row)), geometry) for row, geometry in zip(rows, geometries))
    report = validate_records(records, owners)
    errors = [p for p in report.problems if p.severity.value == "error"]
    return {w.uid: w for w in report.works}, errors


def read_copies(conn: sqlite3.Connection, table: str, owners: OwnerRegistry, uids: Sequence[str] | None = None
                ) -> dict[str, ServerCopy]:
    rows = _records(conn, table, _COPY_NAMES, uids)
    works, _ = _works_of(table, rows, owners)
    server = {row[0]: row[len(schema.WORK_COLUMN_NAMES) + 1:] for row in rows}
    return {uid: ServerCopy(work, int(server[uid][0] or 0), str(server[uid][1] or ""), bool(server[uid][2]))
            for uid, work in works.items()}


def local_works(conn: sqlite3.Connection, owners: OwnerRegistry, uids: Sequence[str] | None = None
                ) -> tuple[dict[str, Work], list[Problem]]:
    """The works of the works table (these uids, or all), validated, by uid; and the errors of those that are
    not valid works (they cannot be pushed)."""
    rows = _records(conn, schema.WORKS_TABLE, (*schema.WORK_COLUMN_NAMES, "geom"), uids)
    return _works_of(schema.WORKS_TABLE, rows, owners)


def local_uids(conn: sqlite3.Connection, uids: Sequence[str]) -> set[str]:
    return {row[0] for row in _records(conn, schema.WORKS_TABLE, ("uid",), uids)}


def apply_works(conn: sqlite3.Connection, works: Sequence[Work], deleted: Iterable[str] = ()) -> None:
    """Write works (insert, or update by uid) and delete others in the works table, as the server has them:
    inside `applying` (no outbox rows)."""
    names = schema.WORK_COLUMN_NAMES
    deleted = list(deleted)
    with applying(conn):
        if works:
            rows = _work_rows(works)
            existing = local_uids(conn, [w.uid for w in works])
            assignments = ", ".join(f'"{n}" = ?' for n in [*names[1:], "geom"])
            conn.executemany(f"UPDATE {schema.WORKS_TABLE} SET {assignments} WHERE uid = ?",
                             [row[1:] + row[:1] for row in rows if row[0] in existing])
            columns = ", ".join(f'"{n}"' for n in [*names, "geom"])
            marks = ", ".join("?" * (len(names) + 1))
            conn.executemany(f"INSERT INTO {schema.WORKS_TABLE} ({columns}) VALUES ({marks})",
                             [row for row in rows if row[0] not in existing])
        if deleted:
            conn.executemany(f"DELETE FROM {schema.WORKS_TABLE} WHERE uid = ?", [(u,) for u in deleted])
        if works or deleted:
            gpkg.update_extent(conn, schema.WORKS_TABLE)


# -- the outbox --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    """A row of the outbox: one local change (as the trigger wrote it) or one op in flight or refused."""

    seq: int
    op_id: str
    table: str
    uid: str
    kind: str
    base_revision: int
    created_at: str
    state: str
    attempts: int
    last_answer: str
    op: dict[str, Any] | None


def outbox_rows(conn: sqlite3.Connection, table: str = "works", states: Sequence[str] | None = None
                ) -> list[OutboxRow]:
    where = "WHERE tbl = ?"
    params: list[Any] = [table]
    if states:
        where += f" AND state IN ({', '.join('?' * len(states))})"
        params += list(states)
    rows = conn.execute(
        f"SELECT seq, op_id, tbl, uid, kind, base_revision, created_at, state, attempts, last_answer, op "
        f"FROM {schema.SYNC_OUTBOX_TABLE} {where} ORDER BY seq", params).fetchall()
    return [OutboxRow(*row[:10], json.loads(row[10]) if row[10] else None) for row in rows]


def flying(conn: sqlite3.Connection, row: OutboxRow, op: Op, rows: Sequence[OutboxRow]) -> None:
    """Replace the pending rows of one record by its op in flight (one attempt more), before it is sent."""
    conn.executemany(f"DELETE FROM {schema.SYNC_OUTBOX_TABLE} WHERE seq = ?", [(r.seq,) for r in rows])
    attempts = max([r.attempts for r in rows] or [0]) + 1
    detail = {"kind": op.kind.value, "base_revision": op.base_revision, "restore": op.restore,
              "fields": sorted(op.changes), "geometry": op.geometry is not None}
    conn.execute(
        f"INSERT INTO {schema.SYNC_OUTBOX_TABLE} (op_id, tbl, uid, kind, base_revision, created_at, state, attempts, "
        f"last_answer, op, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (op.op_id, row.table, op.uid, op.kind.value, op.base_revision, row.created_at, OpState.IN_FLIGHT.value,
         attempts, rows[-1].last_answer if rows else "", json.dumps(detail), _now()))


def set_state(conn: sqlite3.Connection, op_id: str, state: OpState, answer: str) -> None:
    conn.execute(f"UPDATE {schema.SYNC_OUTBOX_TABLE} SET state = ?, last_answer = ? WHERE op_id = ?",
                 (state.value, answer, op_id))


def drop_rows(conn: sqlite3.Connection, uids: Iterable[str], table: str = "works", op_id: str | None = None) -> None:
    """Forget the outbox rows of these records (all, or the one op `op_id`)."""
    if op_id is not None:
        conn.execute(f"DELETE FROM {schema.SYNC_OUTBOX_TABLE} WHERE op_id = ?", (op_id,))
        return
    conn.executemany(f"DELETE FROM {schema.SYNC_OUTBOX_TABLE} WHERE tbl = ? AND uid = ?",
                     [(table, u) for u in uids])


def mark_changed(conn: sqlite3.Connection, uid: str, kind: OpKind = OpKind.UPDATE, table: str = "works") -> None:
    """A pending row for a record the sync itself changed here (a clean merge, a resolved conflict): the next
    push sends the difference between its base copy and the work as it is here."""
    conn.execute(f"INSERT INTO {schema.SYNC_OUTBOX_TABLE} (op_id, tbl, uid, kind, base_revision, created_at) "
                 f"VALUES ({schema.UUID_SQL}, ?, ?, ?, 0, ?)", (table, uid, kind.value, _now()))


# -- conflicts ---------------------------------------------------------------------------------------------


def open_conflict_uids(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute(f"SELECT uid FROM {schema.SYNC_CONFLICTS_TABLE}")}


def keep_conflict(conn: sqlite3.Connection, uid: str, kind: str, fields: Sequence[str], base: Work | None,
                  detail: str = "") -> None:
    """Record (or update) the open conflict of a work, with the base its local changes were made on."""
    conn.execute(f"INSERT OR REPLACE INTO {schema.SYNC_CONFLICTS_TABLE} (uid, tbl, kind, fields, detail, opened_at, "
                 f"has_base) VALUES (?, 'works', ?, ?, ?, ?, ?)",
                 (uid, kind, ",".join(fields), detail, _now(), int(base is not None)))
    if base is not None:
        write_copies(conn, schema.SYNC_CASE_BASE_TABLE, [ServerCopy(base)])
    else:
        delete_copies(conn, schema.SYNC_CASE_BASE_TABLE, [uid])


def close_conflict(conn: sqlite3.Connection, uid: str) -> None:
    conn.execute(f"DELETE FROM {schema.SYNC_CONFLICTS_TABLE} WHERE uid = ?", (uid,))
    delete_copies(conn, schema.SYNC_CASE_BASE_TABLE, [uid])


def conflict_rows(conn: sqlite3.Connection, table: str = "works") -> list[tuple[str, str, str, str, str, int]]:
    """(uid, kind, fields, detail, opened_at, has_base) of every open conflict of works (or of decisions),
    oldest first."""
    return conn.execute(f"SELECT uid, kind, fields, detail, opened_at, has_base FROM {schema.SYNC_CONFLICTS_TABLE} "
                        "WHERE tbl = ? ORDER BY opened_at, uid", (table,)).fetchall()


# -- state: cursors, last sync -----------------------------------------------------------------------------


def get_state(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute(f"SELECT value FROM {schema.SYNC_STATE_TABLE} WHERE key = ?", (key,)).fetchone()
    return row[0] if row and row[0] is not None else default


def set_state_value(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(f"INSERT OR REPLACE INTO {schema.SYNC_STATE_TABLE} (key, value) VALUES (?, ?)", (key, value))
