"""Decisions on conflicts: what the coordination room decided about each one (status and note), kept
across detection runs. A conflict that is no longer found is marked gone, never forgotten with its note.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from situation_room_plugin.core.conflicts import WORK_PAIR_KINDS, Conflict, ConflictKind


class DecisionStatus(str, Enum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class Decision:
    """The room's decision on one conflict, and when the conflict was found first, last, and gone."""

    conflict_id: str
    kind: str
    uid_a: str
    uid_b: str
    status: str = DecisionStatus.OPEN.value
    note: str = ""
    first_seen: date | None = None
    last_seen: date | None = None
    #: The first run that no longer found the conflict; None while it is found.
    gone_since: date | None = None
    updated_at: datetime | None = None
    updated_by: str = ""

    @property
    def is_gone(self) -> bool:
        return self.gone_since is not None


def parse_status(value: str) -> DecisionStatus | None:
    text = (value or "").strip().lower()
    for status in DecisionStatus:
        if status.value == text:
            return status
    return None


def reconcile(
    previous: Mapping[str, Decision],
    found: Iterable[Conflict],
    checked_kinds: Collection[ConflictKind | str],
    analysed_uids: Collection[str],
    today: date,
    excluded_uids: Collection[str] = (),
) -> tuple[dict[str, Decision], list[Decision]]:
    """Bring the decisions up to date with one detection run.

    Returns (the decision of every conflict found, keyed by id; the decisions to write). A conflict found
    for the first time starts open; one found again keeps its status and note (and is no longer gone).
    A known conflict that this run could have found but did not is marked gone since `today`: its kind
    was checked and at least one of its works was among the analysed works (analysed_uids: every work of
    the input, left-out statuses included). Other decisions are left alone: a run over another layer, or
    without the protected streets, says nothing about them; nor does a run that left one of the two works
    out on purpose (`excluded_uids`: e.g. the partners' works when the shared layers are not included).
    """
    checked = {ConflictKind(k).value for k in checked_kinds}
    current: dict[str, Decision] = {}
    changed: list[Decision] = []
    for conflict in found:
        before = previous.get(conflict.conflict_id)
        if before is None:
            decision = Decision(conflict.conflict_id, conflict.kind, conflict.uid_a, conflict.uid_b,
                                first_seen=today, last_seen=today)
        else:
            decision = replace(before, uid_a=conflict.uid_a, uid_b=conflict.uid_b, last_seen=today, gone_since=None)
        current[conflict.conflict_id] = decision
        if decision != before:
            changed.append(decision)
    for conflict_id, before in previous.items():
        if conflict_id in current or before.is_gone or before.kind not in checked:
            continue
        pair = ConflictKind(before.kind) in WORK_PAIR_KINDS
        touched = before.uid_a in analysed_uids or (pair and before.uid_b in analysed_uids)
        left_out = before.uid_a in excluded_uids or (pair and before.uid_b in excluded_uids)
        if touched and not left_out:
            changed.append(replace(before, gone_since=today))
    return current, changed
