"""The outbox: every local create, update and delete of a work (and every decision on a conflict) as an `Op`
waiting to reach the server, its state machine, how several local edits of one record become one op, and
the diff of two works into the changes an op carries.

An op's life::

    pending --sent--> in_flight --acknowledged--> acknowledged
       ^                  |  \\--refused--> refused --retry--> pending
       \\---not landed----/

A change is a `Delta(old, new)`: `old` is the value on the server copy the op was made against (its base,
at `base_revision`), `new` the value to write. A create carries every value with `old` None.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum
from typing import Any, NamedTuple

import shapely
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.works import FIELD_NAMES, Work

#: Two footprints closer than this (Hausdorff distance, metres of EPSG:6707) are the same footprint: a GML or
#: GeoJSON round trip, or a reprojection there and back, moves vertices by far less.
GEOMETRY_TOLERANCE_M = 0.01

#: Fields the server sets itself (its trigger: revision = old + 1, the time and the user of the write): they
#: are never pushed, diffed or merged.
SERVER_FIELDS: frozenset[str] = frozenset({"revision", "updated_at", "updated_by"})

#: The fields an op carries: the schema's (core/works.py) but the uid, which names the work, and SERVER_FIELDS.
SYNCED_FIELDS: tuple[str, ...] = tuple(n for n in FIELD_NAMES if n != "uid" and n not in SERVER_FIELDS)

#: The fields of a decision (core/decisions.py) that the room edits, and so the ones a decision op carries.
DECISION_FIELDS: tuple[str, ...] = ("status", "note")


class SyncError(SituationRoomError):
    """A sync step that cannot be done as asked (an edit of a work deleted here, an unresolved conflict, a
    server copy that is not a valid work); its problem names the record."""


class OpKind(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class OpTable(str, Enum):
    WORKS = "works"
    DECISIONS = "decisions"


class OpState(str, Enum):
    PENDING = "pending"  # waits for the next push
    IN_FLIGHT = "in_flight"  # sent, its answer not settled yet
    ACKNOWLEDGED = "acknowledged"  # on the server (the op may leave the outbox)
    REFUSED = "refused"  # the server said no (permission, a bad value): kept with its answer until retried


class Delta(NamedTuple):
    """One field's change: the value on the base copy and the value to write."""

    old: Any
    new: Any


@dataclass(frozen=True)
class Op:
    """One change waiting to reach the server (a row of the outbox)."""

    op_id: str
    kind: OpKind
    uid: str
    #: The server revision the change was made against (0 for a create: there is none yet).
    base_revision: int
    changes: Mapping[str, Delta] = field(default_factory=dict)
    #: The footprint's change, None when the footprint is unchanged.
    geometry: Delta | None = None
    table: OpTable = OpTable.WORKS
    state: OpState = OpState.PENDING
    attempts: int = 0
    #: What the server (or the lack of an answer) said last time, in words a person can read.
    last_answer: str = ""
    created_at: datetime | None = None
    #: An update that brings back a work deleted on the server (keep mine over their delete): sets deleted=0.
    restore: bool = False

    @property
    def fields(self) -> dict[str, Any]:
        """The values this op writes (geometry apart)."""
        return {name: delta.new for name, delta in self.changes.items()}


def new_op(kind: OpKind, uid: str, base_revision: int, changes: Mapping[str, Delta] | None = None,
           geometry: Delta | None = None, table: OpTable = OpTable.WORKS, now: datetime | None = None,
           restore: bool = False) -> Op:
    return Op(str(uuid.uuid4()), OpKind(kind), uid, base_revision, dict(changes or {}), geometry, OpTable(table),
              created_at=now or datetime.now(timezone.utc), restore=restore)


# ---------------------------------------------------------------------------------------------------------
# The state machine: each transition checks where it starts from.

_TRANSITIONS: dict[str, tuple[OpState, OpState]] = {
    "sent": (OpState.PENDING, OpState.IN_FLIGHT),
    "acknowledged": (OpState.IN_FLIGHT, OpState.ACKNOWLEDGED),
    "not_landed": (OpState.IN_FLIGHT, OpState.PENDING),
    "refused": (OpState.IN_FLIGHT, OpState.REFUSED),
    "retry": (OpState.REFUSED, OpState.PENDING),
}


def _move(op: Op, transition: str, answer: str | None = None, **changes: Any) -> Op:
    start, end = _TRANSITIONS[transition]
    if op.state is not start:
        raise SyncError.of("sync_bad_transition", record=f"op {op.op_id} (uid {op.uid})", value=transition,
                           state=op.state.value)
    return replace(op, state=end, last_answer=op.last_answer if answer is None else answer, **changes)


def sent(op: Op) -> Op:
    """The op goes out in a request: in flight, one attempt more."""
    return _move(op, "sent", attempts=op.attempts + 1)


def acknowledged(op: Op, answer: str = "") -> Op:
    return _move(op, "acknowledged", answer)


def not_landed(op: Op, answer: str) -> Op:
    """The op did not reach the server (lost, timed out, rolled back): pending again, for the next push."""
    return _move(op, "not_landed", answer)


def refused(op: Op, answer: str) -> Op:
    """The server refused the op: it stays in the outbox with the server's message until the user acts."""
    return _move(op, "refused", answer)


def retry(op: Op) -> Op:
    return _move(op, "retry")


def rebased(op: Op, base: Work, tolerance_m: float = GEOMETRY_TOLERANCE_M) -> Op | None:
    """A pending update or delete made against `base` (a newer server copy): the same target values, its deltas'
    old values and its base revision taken from `base`; None when `base` already holds them all."""
    if op.kind is OpKind.CREATE:
        return op
    values = {name: getattr(base, name) for name in op.changes}
    changes = {name: Delta(values[name], d.new) for name, d in op.changes.items() if values[name] != d.new}
    geometry = op.geometry
    if geometry is not None:
        geometry = None if same_geometry(base.geometry, geometry.new, tolerance_m) else Delta(base.geometry,
                                                                                                 geometry.new)
    if op.kind is OpKind.UPDATE and not changes and geometry is None and not op.restore:
        return None
    return replace(op, base_revision=base.revision, changes=changes, geometry=geometry)


# ---------------------------------------------------------------------------------------------------------
# Coalescing: the outbox holds at most one pending op per record.


def coalesce(earlier: Op, later: Op, tolerance_m: float = GEOMETRY_TOLERANCE_M) -> Op | None:
    """One op doing what `earlier` then `later` (both pending, of the same record) do; None when together they
    do nothing (a create then a delete, an edit then its undoing).

    An update then an update is one update against the earlier's base (a field set back to its base value
    drops out); a create then an update stays a create; an update then a delete is a delete against the
    earlier's base. Anything after a delete is refused (SyncError): a deleted work cannot be edited.
    """
    if earlier.uid != later.uid or earlier.table is not later.table:
        raise ValueError(f"ops {earlier.op_id} and {later.op_id} are not of the same record")
    if earlier.state is not OpState.PENDING or later.state is not OpState.PENDING:
        raise SyncError.of("sync_bad_transition", record=f"op {earlier.op_id} (uid {earlier.uid})",
                           value="coalesce", state=earlier.state.value)
    if earlier.kind is OpKind.DELETE:
        raise SyncError.of("sync_edit_deleted", record=f"uid {later.uid}", value=later.kind.value)
    if later.kind is OpKind.CREATE:
        raise SyncError.of("sync_created_twice", record=f"uid {later.uid}")
    if later.kind is OpKind.DELETE:
        if earlier.kind is OpKind.CREATE:
            return None  # the server never saw it
        return replace(earlier, kind=OpKind.DELETE, changes={}, geometry=None, restore=False)
    changes = dict(earlier.changes)
    for name, delta in later.changes.items():
        old = changes[name].old if name in changes else delta.old
        changes[name] = Delta(old, delta.new)
    geometry = earlier.geometry
    if later.geometry is not None:
        geometry = Delta(geometry.old if geometry is not None else later.geometry.old, later.geometry.new)
    if earlier.kind is OpKind.UPDATE:  # back to the base: nothing to write
        changes = {name: d for name, d in changes.items() if d.old != d.new}
        if geometry is not None and same_geometry(geometry.old, geometry.new, tolerance_m):
            geometry = None
        if not changes and geometry is None and not earlier.restore:
            return None
    return replace(earlier, changes=changes, geometry=geometry)


def record_edit(outbox: Sequence[Op], op: Op, tolerance_m: float = GEOMETRY_TOLERANCE_M) -> list[Op]:
    """The outbox with a new local change: coalesced into the record's pending op when there is one, else
    queued (behind the record's op in flight, if any: it is sent when that one is settled)."""
    result = list(outbox)
    for index, queued in enumerate(result):
        if queued.uid == op.uid and queued.table is op.table and queued.state is OpState.PENDING:
            merged = coalesce(queued, op, tolerance_m)
            if merged is None:
                del result[index]
            else:
                result[index] = merged
            return result
    result.append(op)
    return result


def sendable(outbox: Iterable[Op]) -> list[Op]:
    """The pending ops that can go out now: the first op of each record, when none of that record is in flight
    or refused (a record's changes reach the server in order, one request after the other)."""
    blocked: set[tuple[OpTable, str]] = set()
    ready = []
    for op in outbox:
        key = (op.table, op.uid)
        if key in blocked or op.state is OpState.ACKNOWLEDGED:
            continue
        blocked.add(key)
        if op.state is OpState.PENDING:
            ready.append(op)
    return ready


# ---------------------------------------------------------------------------------------------------------
# Diffs


def same_geometry(a: BaseGeometry | None, b: BaseGeometry | None, tolerance_m: float = GEOMETRY_TOLERANCE_M
                  ) -> bool:
    """Whether two footprints are the same within `tolerance_m` (vertex for vertex, or by Hausdorff distance:
    a ring that starts at another vertex, or has an extra vertex on an edge, is the same footprint)."""
    if a is None or b is None:
        return a is None and b is None
    if a.is_empty or b.is_empty:
        return a.is_empty and b.is_empty
    if shapely.equals_exact(a, b, tolerance_m):
        return True
    return bool(shapely.hausdorff_distance(a, b) <= tolerance_m)


def diff_works(base: Work, new: Work, tolerance_m: float = GEOMETRY_TOLERANCE_M
               ) -> tuple[dict[str, Delta], Delta | None]:
    """The changes from `base` to `new` (two versions of one work): the synced fields that differ, and the
    footprint's change unless the two are the same within `tolerance_m`."""
    if base.uid != new.uid:
        raise ValueError(f"works {base.uid} and {new.uid} are not versions of one work")
    changes = {}
    for name in SYNCED_FIELDS:
        old, value = getattr(base, name), getattr(new, name)
        if old != value:
            changes[name] = Delta(old, value)
    geometry = None if same_geometry(base.geometry, new.geometry, tolerance_m) else Delta(base.geometry,
                                                                                         new.geometry)
    return changes, geometry


def create_op(work: Work, now: datetime | None = None) -> Op:
    """The op of a work created here: every synced value, and the footprint. A work without a creation time
    is given the op's (the server has nothing else to keep, and a copy read back without one would take the
    time of its reading)."""
    moment = now or datetime.now(timezone.utc)
    values = {name: getattr(work, name) for name in SYNCED_FIELDS}
    values["created_at"] = values["created_at"] or moment
    changes = {name: Delta(None, value) for name, value in values.items() if value is not None}
    return new_op(OpKind.CREATE, work.uid, 0, changes, Delta(None, work.geometry), now=moment)


def update_op(base: Work, new: Work, now: datetime | None = None, tolerance_m: float = GEOMETRY_TOLERANCE_M
              ) -> Op | None:
    """The op of a local edit of `base` (the server copy, or the local copy a pending op already changed) into
    `new`; None when nothing synced changed."""
    changes, geometry = diff_works(base, new, tolerance_m)
    if not changes and geometry is None:
        return None
    return new_op(OpKind.UPDATE, new.uid, base.revision, changes, geometry, now=now)


def delete_op(base: Work, now: datetime | None = None) -> Op:
    return new_op(OpKind.DELETE, base.uid, base.revision, now=now)


def decision_op(conflict_id: str, base: Mapping[str, Any] | None, new: Mapping[str, Any], base_revision: int = 0,
                now: datetime | None = None) -> Op | None:
    """The op of a decision on a conflict (its status and note), created (`base` None) or changed; None when
    neither changed."""
    old = base or {}
    changes = {name: Delta(old.get(name), new.get(name)) for name in DECISION_FIELDS
               if base is None or old.get(name) != new.get(name)}
    if base is not None and not changes:
        return None
    kind = OpKind.CREATE if base is None else OpKind.UPDATE
    return new_op(kind, conflict_id, base_revision, changes, table=OpTable.DECISIONS, now=now)


def applied(work: Work | None, op: Op) -> Work | None:
    """The work after `op` (what the server will hold once it lands): None for a delete."""
    if op.kind is OpKind.DELETE:
        return None
    if work is None:
        if op.kind is not OpKind.CREATE:
            raise SyncError.of("sync_no_base", record=f"uid {op.uid}", value=op.op_id)
        values = {name: delta.new for name, delta in op.changes.items()}
        return Work(uid=op.uid, **values, geometry=op.geometry.new if op.geometry else None)
    geometry = op.geometry.new if op.geometry is not None else work.geometry
    return dataclasses.replace(work, **op.fields, geometry=geometry)
