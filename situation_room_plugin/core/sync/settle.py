"""Settling a push whose answer is unclear (a timeout, HTTP 500, a reset connection, a PARTIAL result, fewer
updates than sent, a duplicate-insert error) by reading the works back by uid: a server copy whose
`last_op_id` is the op's shows that it landed, so a change sent twice never makes two works and is never
reported as a failure.

For each op sent, `settle` says: landed (acknowledged, the server copy is the new base), not landed (pending
again, sent with the next push), refused (the server said no: kept with its message), or a conflict (the work
moved on on the server: a merge case, see merge.py). Each verdict carries a reason: a code whose template
is here, in English, marked for translation in the "Sync" context.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Union

from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Severity, format_message
from situation_room_plugin.core.sync.outbox import (
    DECISION_FIELDS,
    Op,
    OpKind,
    OpState,
    SyncError,
    acknowledged,
    not_landed,
    refused,
    same_geometry,
)
from situation_room_plugin.core.works import Work, parse_bool, parse_int, work_from_record

CONTEXT = "Sync"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    return text


TEMPLATES: dict[str, str] = {
    "landed": QT_TRANSLATE_NOOP("Sync", "The change is on the server (revision {revision})."),
    "landed_fields_dropped": QT_TRANSLATE_NOOP(
        "Sync",
        "The change is on the server (revision {revision}), but the server did not keep {fields}: does its layer "
        "have these fields?"
    ),
    "landed_then_changed": QT_TRANSLATE_NOOP(
        "Sync", "The new work is on the server, and was changed there since (revision {revision})."
    ),
    "already_deleted": QT_TRANSLATE_NOOP("Sync", "The work was already deleted on the server."),
    "not_landed": QT_TRANSLATE_NOOP(
        "Sync", "The change did not reach the server ({answer}): it will be sent again."
    ),
    "refused": QT_TRANSLATE_NOOP("Sync", "The server refused the change: {answer}"),
    "revision_moved": QT_TRANSLATE_NOOP(
        "Sync",
        "The work was changed on the server (revision {revision}) after the copy this change was made on "
        "(revision {base}): the two must be merged."
    ),
    "deleted_there": QT_TRANSLATE_NOOP(
        "Sync", "The work was deleted on the server after the copy this change was made on (revision {base})."
    ),
    "missing_on_server": QT_TRANSLATE_NOOP(
        "Sync", "The work is not on the server, so the change cannot be made there."
    ),
    "no_answer": QT_TRANSLATE_NOOP("Sync", "no answer"),
}


class Verdict(str, Enum):
    LANDED = "landed"
    RETRY = "retry"
    REFUSED = "refused"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class ServerCopy:
    """A work as the server holds it, with the server's own columns."""

    work: Work
    server_seq: int = 0
    last_op_id: str = ""
    deleted: bool = False

    @property
    def uid(self) -> str:
        return self.work.uid

    @property
    def revision(self) -> int:
        return self.work.revision


@dataclass(frozen=True)
class DecisionCopy:
    """A decision on a conflict as the server holds it: its values (DECISION_FIELDS) and the server's columns."""

    conflict_id: str
    revision: int
    values: Mapping[str, Any] = field(default_factory=dict)
    server_seq: int = 0
    last_op_id: str = ""
    deleted: bool = False

    @property
    def uid(self) -> str:
        return self.conflict_id


#: What settling and pulling read of a record read back: its key, revision, last op and tombstone.
Copy = Union[ServerCopy, DecisionCopy]


@dataclass(frozen=True)
class Outcome:
    """What became of one op: its verdict, the op in its new state, why, and the server copy read back."""

    verdict: Verdict
    op: Op
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    copy: Copy | None = None

    @property
    def message(self) -> str:
        return format_message(TEMPLATES[self.reason], self.params, "")


#: Words of a per-action error that say the server was busy, not that it refuses the change (SQLite and
#: PostgreSQL answers to a write that met another): such an op is sent again, not refused.
TRANSIENT_WORDS = ("database is locked", "busy", "deadlock", "could not serialize", "timeout", "timed out")


def settle(ops: Sequence[Op], copies: Mapping[str, Copy], refusals: Mapping[str, str] | None = None,
           answer: str = "") -> list[Outcome]:
    """The outcome of each op sent (in flight), from the server copies read back by uid after the answer.

    `refusals` are the server's messages about single ops (by op id, from the answer's locators); `answer`
    is what the answer said as a whole (a timeout, HTTP 500...), kept as the op's last answer when it goes
    back to pending. Works and decisions settle alike (`copies` by uid, or by conflict id).
    """
    refusals = refusals or {}
    outcomes = []
    for op in ops:
        if op.state is not OpState.IN_FLIGHT:
            raise SyncError.of("sync_bad_transition", record=f"op {op.op_id} (uid {op.uid})", value="settle",
                               state=op.state.value)
        outcomes.append(_settle_one(op, copies.get(op.uid), refusals.get(op.op_id, ""), answer))
    return outcomes


def _settle_one(op: Op, copy: Copy | None, refusal: str, answer: str) -> Outcome:
    def outcome(verdict: Verdict, reason: str, **params: Any) -> Outcome:
        params = {"base": op.base_revision, **params}
        if copy is not None:
            params.setdefault("revision", copy.revision)
        message = format_message(TEMPLATES[reason], params, "")
        moved = {Verdict.LANDED: acknowledged, Verdict.RETRY: not_landed, Verdict.REFUSED: refused,
                 Verdict.CONFLICT: refused}[verdict]
        return Outcome(verdict, moved(op, message), reason, params, copy)

    if copy is not None and copy.last_op_id == op.op_id:
        dropped = not_kept(op, copy)
        if dropped:  # QGIS Server skips property names its layer does not have, without a word
            return outcome(Verdict.LANDED, "landed_fields_dropped", fields=", ".join(dropped))
        return outcome(Verdict.LANDED, "landed")
    if op.kind is OpKind.CREATE:
        if copy is not None:  # a uid made here: only this op can have put it there; someone changed it since
            return outcome(Verdict.LANDED, "landed_then_changed")
        return _not_landed_or_refused(outcome, refusal, answer)
    if copy is None:
        if op.kind is OpKind.DELETE:
            return outcome(Verdict.LANDED, "already_deleted")
        return outcome(Verdict.REFUSED, "missing_on_server")
    if copy.deleted and op.kind is OpKind.DELETE:
        return outcome(Verdict.LANDED, "already_deleted")
    if copy.revision != op.base_revision:
        if copy.deleted and not op.restore:
            return outcome(Verdict.CONFLICT, "deleted_there")
        return outcome(Verdict.CONFLICT, "revision_moved")
    if copy.deleted and not op.restore:  # a tombstone at our base: deleted before our base was read
        return outcome(Verdict.CONFLICT, "deleted_there")
    return _not_landed_or_refused(outcome, refusal, answer)


#: How far a date-time read back may be from the one sent: QGIS Server 3.22 keeps whole seconds.
DATETIME_SLACK = timedelta(seconds=1)


def not_kept(op: Op, copy: Copy) -> list[str]:
    """The fields (and 'geometry') of a landed op whose values the server copy does not hold (date-times within
    DATETIME_SLACK, footprints within the tolerance): a server that skipped them."""
    if op.kind is OpKind.DELETE:
        return []
    held = copy.work.attributes() if isinstance(copy, ServerCopy) else dict(copy.values)
    dropped = [name for name, delta in op.changes.items() if not _same_value(held.get(name), delta.new)]
    if isinstance(copy, ServerCopy) and op.geometry is not None and not same_geometry(copy.work.geometry,
                                                                                      op.geometry.new):
        dropped.append("geometry")
    return dropped


def _same_value(held: Any, sent: Any) -> bool:
    if isinstance(held, datetime) and isinstance(sent, datetime):
        return abs(held - sent) <= DATETIME_SLACK
    return held == sent or (held in (None, "") and sent in (None, ""))


def _not_landed_or_refused(outcome: Any, refusal: str, answer: str) -> Outcome:
    if refusal and not any(word in refusal.lower() for word in TRANSIENT_WORDS):
        return outcome(Verdict.REFUSED, "refused", answer=refusal)
    return outcome(Verdict.RETRY, "not_landed", answer=refusal or answer or TEMPLATES["no_answer"])


def server_copy(record: Mapping[str, Any], geometry: BaseGeometry | None, owners: OwnerRegistry,
                ref: str = "") -> ServerCopy:
    """A server copy from a feature read back (attribute names of the schema and the server's columns,
    geometry in EPSG:6707); SyncError naming the feature and its problems when it is not a valid work."""
    work, problems = work_from_record(record, geometry, ref=ref or "server", owners=owners)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    label = f"{ref or 'server'} uid {record.get('uid', '?')}"
    if work is None or errors:
        raise SyncError.of("sync_bad_server_copy", record=label,
                           value="; ".join(f"{p.field}: {p.message}" for p in errors))
    if parse_int(record.get("revision")) is None:
        raise SyncError.of("sync_bad_server_copy", record=label, value="revision: missing")
    seq = parse_int(record.get("server_seq"))
    deleted = parse_bool(record.get("deleted")) if record.get("deleted") not in (None, "") else False
    if deleted is None:
        raise SyncError.of("sync_bad_server_copy", record=label, value=f"deleted: {record.get('deleted')!r}")
    return ServerCopy(work, seq or 0, str(record.get("last_op_id") or ""), bool(deleted))


def decision_copy(record: Mapping[str, Any], ref: str = "") -> DecisionCopy:
    """A decision read back (conflict_id, the decision's fields and the server's columns); SyncError naming the
    record when its key or revision is missing or its tombstone flag unreadable."""
    label = f"{ref or 'server'} conflict {record.get('conflict_id', '?')}"
    revision = parse_int(record.get("revision"))
    key = str(record.get("conflict_id") or "").strip()
    deleted = parse_bool(record.get("deleted")) if record.get("deleted") not in (None, "") else False
    if not key or revision is None or deleted is None:
        what = "conflict_id: missing" if not key else "revision: missing" if revision is None else \
            f"deleted: {record.get('deleted')!r}"
        raise SyncError.of("sync_bad_server_copy", record=label, value=what)
    values = {name: record.get(name) for name in DECISION_FIELDS}
    return DecisionCopy(key, revision, values, parse_int(record.get("server_seq")) or 0,
                        str(record.get("last_op_id") or ""), bool(deleted))


def landed_bases(outcomes: Iterable[Outcome]) -> dict[str, Copy]:
    """The new base copy of each work whose op landed (by uid)."""
    return {o.op.uid: o.copy for o in outcomes if o.verdict is Verdict.LANDED and o.copy is not None}
