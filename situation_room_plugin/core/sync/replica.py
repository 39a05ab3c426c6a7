"""A replica: the works as this client sees them, the base copy of each as last seen on the server, the outbox,
the pull cursor and the conflicts waiting for a person; and how each step of a sync changes them.

This is the bookkeeping the store keeps (next: qgis_io/outbox.py) and the push and pull drive: a local edit
goes into the outbox (`create`, `update`, `delete`); a push takes `to_send`, marks the ops `sent`, and gives
back what the answer said (`landed_clearly` for a clear answer, `settled` with the outcomes of a read-back);
a pull gives the copies it read (`pulled`). A work changed on both sides is merged against its base: a clean
merge is pushed, a conflict is kept in `cases` (the user's version stays here) until `resolve`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from situation_room_plugin.core.sync import merge as mg
from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync import pull as pl
from situation_room_plugin.core.sync.outbox import GEOMETRY_TOLERANCE_M, Op, OpKind, OpState, SyncError
from situation_room_plugin.core.sync.settle import Outcome, ServerCopy, Verdict
from situation_room_plugin.core.works import Work


@dataclass
class Replica:
    """One client's side of the sync (works only: decisions settle the same way, see settle.py)."""

    #: The works as the user sees them here (a work deleted here is absent).
    local: dict[str, Work] = field(default_factory=dict)
    #: The copy of each work as last seen on the server (tombstones included).
    bases: dict[str, ServerCopy] = field(default_factory=dict)
    outbox: list[Op] = field(default_factory=list)
    #: The highest server_seq pulled.
    cursor: int = 0
    #: The conflicts waiting for a person, by uid (the conflicts table).
    cases: dict[str, mg.Merge] = field(default_factory=dict)
    tolerance_m: float = GEOMETRY_TOLERANCE_M

    # -- local edits -------------------------------------------------------------------------------------
    def _record(self, op: Op | None) -> None:
        if op is not None:
            self.outbox = ob.record_edit(self.outbox, op, self.tolerance_m)

    def _open(self, uid: str) -> None:
        if uid in self.cases:
            raise SyncError.of("sync_conflict_open", record=f"uid {uid}")

    def create(self, work: Work, now: datetime | None = None) -> None:
        op = ob.create_op(work, now)
        self._record(op)
        self.local[work.uid] = dataclasses.replace(work, created_at=op.fields["created_at"])

    def update(self, work: Work, now: datetime | None = None) -> None:
        """A local edit of a work held here (its uid names it)."""
        self._open(work.uid)
        before = self.local.get(work.uid)
        if before is None:
            raise SyncError.of("sync_edit_deleted", record=f"uid {work.uid}", value="update")
        self._record(ob.update_op(before, work, now, self.tolerance_m))
        self.local[work.uid] = work

    def delete(self, uid: str, now: datetime | None = None) -> None:
        self._open(uid)
        before = self.local.pop(uid, None)
        if before is None:
            raise SyncError.of("sync_edit_deleted", record=f"uid {uid}", value="delete")
        self._record(ob.delete_op(before, now))

    # -- push --------------------------------------------------------------------------------------------
    def changed_here(self, uid: str) -> bool:
        return uid in self.cases or any(op.uid == uid and op.state is not OpState.ACKNOWLEDGED
                                        for op in self.outbox)

    def to_send(self) -> list[Op]:
        return ob.sendable(self.outbox)

    def sent(self, ops: Iterable[Op]) -> list[Op]:
        """The ops (from `to_send`) in flight: give these to the request and to `settled`."""
        flying = {op.op_id: ob.sent(op) for op in ops}
        self.outbox = [flying.get(op.op_id, op) for op in self.outbox]
        return list(flying.values())

    def landed_clearly(self, ops: Iterable[Op]) -> None:
        """A clear answer (wfst.is_clear): every op landed as sent. Their new bases are built from the op; the
        next pull brings the server's own copies (server_seq, and what the server rounds)."""
        for op in ops:
            base = self.bases.get(op.uid)
            work = ob.applied(base.work if base is not None else None, op) or (base.work if base else None)
            if work is None:
                raise SyncError.of("sync_no_base", record=f"uid {op.uid}", value=op.op_id)
            copy = ServerCopy(dataclasses.replace(work, revision=op.base_revision + 1), 0, op.op_id,
                              op.kind is OpKind.DELETE)  # server_seq 0: the pull brings the server's own
            self._landed(ob.acknowledged(op), copy)

    def settled(self, outcomes: Iterable[Outcome]) -> list[mg.Merge]:
        """The outcomes of a read-back (settle.settle); returns the new conflicts (also kept in `cases`)."""
        opened = []
        for outcome in outcomes:
            op = outcome.op
            if outcome.verdict is Verdict.LANDED:
                copy = outcome.copy
                if not isinstance(copy, ServerCopy):  # a delete of a work the server no longer has
                    base = self.bases.get(op.uid)
                    if base is None:
                        raise SyncError.of("sync_no_base", record=f"uid {op.uid}", value=op.op_id)
                    copy = dataclasses.replace(base, deleted=True)
                self._landed(op, copy)
                continue
            self.outbox = [op if queued.op_id == op.op_id else queued for queued in self.outbox]
            if outcome.verdict is Verdict.CONFLICT and isinstance(outcome.copy, ServerCopy):
                case = self._merge(outcome.copy)
                if case is not None:
                    opened.append(case)
        return opened

    def _landed(self, op: Op, copy: ServerCopy) -> None:
        uid = op.uid
        self.outbox = [queued for queued in self.outbox if queued.op_id != op.op_id]
        self.bases[uid] = copy
        rest = [queued for queued in self.outbox if queued.uid == uid]
        if rest:  # later changes wait: they were made on what this op wrote
            moved = {queued.op_id: ob.rebased(queued, copy.work, self.tolerance_m) for queued in rest}
            self.outbox = [moved.get(q.op_id, q) for q in self.outbox if moved.get(q.op_id, q) is not None]
        elif copy.deleted:
            self.local.pop(uid, None)
        else:
            self.local[uid] = copy.work

    # -- merge -------------------------------------------------------------------------------------------
    def _merge(self, copy: ServerCopy) -> mg.Merge | None:
        """Merge a newer server copy with the local changes of its work: push a clean merge, keep a conflict."""
        uid = copy.uid
        open_case = self.cases.get(uid)
        base = open_case.base if open_case is not None else (self.bases[uid].work if uid in self.bases else None)
        merge = mg.merge_work(base, self.local.get(uid), copy.work, copy.deleted, self.tolerance_m)
        self.outbox = [op for op in self.outbox if op.uid != uid]  # their changes are in `mine` now
        self.bases[uid] = copy
        if merge.clean:
            self.cases.pop(uid, None)
            self._take(merge, merge.merged)
            return None
        self.cases[uid] = merge
        return merge

    def _take(self, merge: mg.Merge, result: Work | None) -> None:
        uid = merge.uid
        op = mg.push_op(merge, result, tolerance_m=self.tolerance_m)
        if result is None:
            self.local.pop(uid, None)
        else:
            self.local[uid] = dataclasses.replace(result, revision=merge.theirs.revision)
        self._record(op)

    def resolve(self, uid: str, resolutions: Mapping[str, mg.Resolution]) -> Op | None:
        """Resolve the conflict of a work (see merge.resolve): the result is the local work, and its op (None
        when the server already holds it) is in the outbox."""
        case = self.cases.get(uid)
        if case is None:
            raise KeyError(f"no conflict is open on {uid}")
        result = mg.resolve(case, resolutions)
        del self.cases[uid]
        self._take(case, result)
        return next((op for op in self.outbox if op.uid == uid and op.state is OpState.PENDING), None)

    def _server_own(self, copy: ServerCopy) -> bool:
        """Whether `copy` is the server's own copy of the base built from a clear answer (same revision)."""
        base = self.bases.get(copy.uid)
        return base is not None and base.server_seq == 0 and copy.revision == base.revision and copy.server_seq > 0

    # -- pull --------------------------------------------------------------------------------------------
    def pulled(self, copies: Iterable[ServerCopy]) -> list[mg.Merge]:
        """One page of a pull (in server_seq order); returns the new or changed conflicts. The cursor moves on."""
        opened = []
        copies = list(copies)
        for copy in copies:
            uid = copy.uid
            in_flight = any(op.uid == uid and op.state is OpState.IN_FLIGHT for op in self.outbox)
            arrival = pl.arrival(self.bases.get(uid), self.changed_here(uid), in_flight, copy)
            if arrival is pl.Arrival.MERGE:
                case = self._merge(copy)
                if case is not None:
                    opened.append(case)
            elif arrival in (pl.Arrival.NEW, pl.Arrival.UPDATED):
                self.bases[uid], self.local[uid] = copy, copy.work
            elif arrival is pl.Arrival.DELETED:
                self.bases[uid] = copy
                self.local.pop(uid, None)
            elif arrival is pl.Arrival.SAME and self._server_own(copy):
                self.bases[uid] = copy  # the version sent, as the server keeps it (date-times to the second)
                if not self.changed_here(uid) and not copy.deleted:
                    self.local[uid] = copy.work
        self.cursor = pl.new_cursor(self.cursor, copies)
        return opened
