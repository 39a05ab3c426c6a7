"""Decisions on conflicts in the project store (table `conflict_decisions`): read, write, and bring up to
date after a detection run. Plain sqlite3 through `Store`, like the works.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date, datetime, timezone

from situation_room_plugin.core.conflicts import Conflict, Kind
from situation_room_plugin.core.decisions import Decision, DecisionStatus, parse_status, reconcile
from situation_room_plugin.core.works import parse_date, parse_datetime
from situation_room_plugin.qgis_io import gpkg
from situation_room_plugin.qgis_io.store import CONFLICT_DECISIONS_TABLE, Store

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


def load_decisions(store: Store) -> dict[str, Decision]:
    """Every decision of the store, by conflict id."""
    with store.transaction() as conn:
        rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM {CONFLICT_DECISIONS_TABLE}").fetchall()
    return {decision.conflict_id: decision for decision in map(_from_row, rows)}


def save_decisions(store: Store, decisions: Iterable[Decision]) -> int:
    """Insert decisions, or update them in place by conflict id, in one transaction."""
    rows = [[gpkg.sql_value(getattr(d, name)) for name in _COLUMNS] for d in decisions]
    assignments = ", ".join(f"{name} = ?" for name in _COLUMNS[1:])
    with store.transaction() as conn:
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


def set_decision(
    store: Store,
    conflict_id: str,
    status: str,
    note: str | None = None,
    updated_by: str = "",
    now: datetime | None = None,
) -> Decision:
    """Record the room's decision on a known conflict (note None keeps the note it had)."""
    parsed = parse_status(status)
    if parsed is None:
        allowed = ", ".join(s.value for s in DecisionStatus)
        raise ValueError(f"'{status}' is not a conflict status (one of: {allowed})")
    previous = load_decisions(store).get(conflict_id)
    if previous is None:
        raise KeyError(f"no conflict {conflict_id} in {store.path.name}: run the conflict detection first")
    decision = replace(
        previous,
        status=parsed.value,
        note=previous.note if note is None else note,
        updated_at=parse_datetime(now or datetime.now(timezone.utc)),
        updated_by=updated_by,
    )
    save_decisions(store, [decision])
    return decision


def record_run(
    store: Store,
    conflicts: Iterable[Conflict],
    checked_kinds: Collection[Kind | str],
    analysed_uids: Collection[str],
    today: date | None = None,
    excluded_uids: Collection[str] = (),
) -> tuple[dict[str, Decision], list[Decision]]:
    """Bring the store's decisions up to date with a detection run (see core.decisions.reconcile).

    Returns the decision of every conflict found, and the decisions the run changed (new, found again,
    gone).
    """
    current, changed = reconcile(load_decisions(store), conflicts, checked_kinds, set(analysed_uids),
                                 today or date.today(), set(excluded_uids))
    save_decisions(store, changed)
    return current, changed


def gone_decisions(store: Store) -> list[Decision]:
    """Decisions of conflicts no longer found, most recently gone first."""
    gone = [d for d in load_decisions(store).values() if d.is_gone]
    return sorted(gone, key=lambda d: (d.gone_since, d.conflict_id), reverse=True)
