"""Decisions on conflicts in the project store (table `conflict_decisions`): read, write, and bring up to
date after a detection run. Plain sqlite3 through `Store`, like the works.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, timezone

from situation_room_plugin.core.alerts import ConflictTrack
from situation_room_plugin.core.conflicts import Conflict, ConflictKind
from situation_room_plugin.core.decisions import Decision, DecisionStatus, parse_status, reconcile
from situation_room_plugin.core.works import parse_date, parse_datetime
from situation_room_plugin.qgis_io import gpkg
from situation_room_plugin.qgis_io.schema import CONFLICT_DECISIONS_TABLE, CONFLICT_SEVERITY_COLUMNS
from situation_room_plugin.qgis_io.store import Store, StoreError, refused_values

_COLUMNS = ("conflict_id", "kind", "uid_a", "uid_b", "status", "note", "first_seen", "last_seen", "gone_since",
            "updated_at", "updated_by")


def _from_row(row: tuple) -> Decision:
    values = dict(zip(_COLUMNS, row))
    status = parse_status(values["status"]) or DecisionStatus.OPEN
    return Decision(
        conflict_id=values["conflict_id"],
        kind=values["kind"],
        uid_a=values["uid_a"],
        uid_b=values["uid_b"],
        status=status.value,
        note=values["note"] or "",
        first_seen=parse_date(values["first_seen"]),
        last_seen=parse_date(values["last_seen"]),
        gone_since=parse_date(values["gone_since"]),
        updated_at=parse_datetime(values["updated_at"]),
        updated_by=values["updated_by"] or "",
    )


def _load(conn: sqlite3.Connection) -> dict[str, Decision]:
    rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM {CONFLICT_DECISIONS_TABLE}").fetchall()
    return {decision.conflict_id: decision for decision in map(_from_row, rows)}


def _save(conn: sqlite3.Connection, decisions: Iterable[Decision]) -> int:
    rows = [[gpkg.sql_value(getattr(d, name)) for name in _COLUMNS] for d in decisions]
    for row in rows:
        problems = refused_values(f"{CONFLICT_DECISIONS_TABLE} {gpkg.printable(row[0])}", _COLUMNS, row)
        if problems:  # a decision is typed by hand: say so rather than keep part of it
            raise StoreError(problems[0])
    assignments = ", ".join(f"{name} = ?" for name in _COLUMNS[1:])
    existing = {cid for (cid,) in conn.execute(f"SELECT conflict_id FROM {CONFLICT_DECISIONS_TABLE}")}
    conn.executemany(
        f"UPDATE {CONFLICT_DECISIONS_TABLE} SET {assignments} WHERE conflict_id = ?",
        [row[1:] + row[:1] for row in rows if row[0] in existing],
    )
    conn.executemany(
        f"INSERT INTO {CONFLICT_DECISIONS_TABLE} ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
        [row for row in rows if row[0] not in existing],
    )
    return len(rows)


def load_decisions(store: Store) -> dict[str, Decision]:
    """Every decision of the store, by conflict id."""
    if store.lacks(CONFLICT_DECISIONS_TABLE):
        return {}
    with store.reading() as conn:
        return _load(conn)


def save_decisions(store: Store, decisions: Iterable[Decision]) -> int:
    """Insert decisions, or update them in place by conflict id (every column), in one transaction."""
    with store.transaction() as conn:
        return _save(conn, decisions)


def set_decision(
    store: Store,
    conflict_id: str,
    status: str,
    note: str | None = None,
    updated_by: str = "",
    now: datetime | None = None,
) -> Decision:
    """Record the room's decision on a known conflict (note None keeps the note it had).

    Only the status, the note (when given) and who and when change, in one transaction: a detection run or
    another decision taken at the same time keeps what it wrote of the other columns."""
    parsed = parse_status(status)
    if parsed is None:
        allowed = ", ".join(s.value for s in DecisionStatus)
        raise ValueError(f"'{status}' is not a conflict status (one of: {allowed})")
    changes = {"status": parsed.value, "updated_at": gpkg.sql_value(now or datetime.now(timezone.utc)),
               "updated_by": updated_by}
    if note is not None:
        changes["note"] = note
    problems = refused_values(f"{CONFLICT_DECISIONS_TABLE} {gpkg.printable(conflict_id)}", changes, changes.values())
    if problems:
        raise StoreError(problems[0])
    select = f"SELECT {', '.join(_COLUMNS)} FROM {CONFLICT_DECISIONS_TABLE} WHERE conflict_id = ?"
    with store.transaction() as conn:
        if conn.execute(select, (conflict_id,)).fetchone() is None:
            raise KeyError(f"no conflict {conflict_id} in {store.path.name}: run the conflict detection first")
        conn.execute(f"UPDATE {CONFLICT_DECISIONS_TABLE} SET {', '.join(f'{name} = ?' for name in changes)} "
                     "WHERE conflict_id = ?", (*changes.values(), conflict_id))
        row = conn.execute(select, (conflict_id,)).fetchone()
    return _from_row(row)


def record_run(
    store: Store,
    conflicts: Iterable[Conflict],
    checked_kinds: Collection[ConflictKind | str],
    analysed_uids: Collection[str],
    today: date | None = None,
    excluded_uids: Collection[str] = (),
) -> tuple[dict[str, Decision], list[Decision]]:
    """Bring the store's decisions up to date with a detection run (see core.decisions.reconcile).

    The decisions are read, reconciled and written in one write transaction: a decision taken meanwhile
    (by another QGIS, or the dock) waits for it and is then applied, never reverted by the run.

    Returns the decision of every conflict found, and the decisions the run changed (new, found again,
    gone).
    """
    with store.transaction() as conn:
        current, changed = reconcile(_load(conn), conflicts, checked_kinds, set(analysed_uids),
                                     today or date.today(), set(excluded_uids))
        _save(conn, changed)
    return current, changed


def gone_decisions(store: Store) -> list[Decision]:
    """Decisions of conflicts no longer found, most recently gone first."""
    gone = [d for d in load_decisions(store).values() if d.is_gone]
    return sorted(gone, key=lambda d: (d.gone_since, d.conflict_id), reverse=True)


# -- severities by run (migration 0005_conflict_severity), for the alerts -----------------------------------

_SEVERITY_MIGRATION = "0005_conflict_severity"


def load_tracks(store: Store) -> dict[str, ConflictTrack]:
    """The severities kept beside each decision (none for a store that has not got them yet)."""
    if store.lacks(CONFLICT_DECISIONS_TABLE) or _SEVERITY_MIGRATION in store.pending_migrations:
        return {}
    names = ", ".join(name for name, _ in CONFLICT_SEVERITY_COLUMNS)
    with store.reading() as conn:
        rows = conn.execute(f"SELECT conflict_id, {names} FROM {CONFLICT_DECISIONS_TABLE}").fetchall()
    return {cid: ConflictTrack(severity, previous, parse_datetime(run_at), parse_datetime(first_run_at))
            for cid, severity, previous, run_at, first_run_at in rows}


def record_severities(store: Store, severities: Mapping[str, float], known: Collection[str], run_at: datetime) -> None:
    """Keep the severity of each conflict a run found (`severities`, by id; their decisions written already):
    the severity it had at its last run becomes its previous one, and a conflict not `known` before the run
    (no decision yet) is marked first found by it. In the caller's transaction when there is one."""
    moment = gpkg.sql_value(run_at)
    rows = [(None if cid not in known else 1, float(severity), moment, None if cid in known else moment, cid)
            for cid, severity in severities.items()]
    with store.transaction() as conn:
        conn.executemany(
            f"UPDATE {CONFLICT_DECISIONS_TABLE} SET previous_severity = CASE WHEN ? IS NULL THEN NULL "
            "ELSE severity END, severity = ?, run_at = ?, first_run_at = coalesce(?, first_run_at) "
            "WHERE conflict_id = ?",
            rows,
        )
