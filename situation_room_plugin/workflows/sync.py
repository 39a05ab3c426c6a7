"""Sync with the platform from end to end: push the outbox through WFS-T, settle every answer by reading the
works back by uid, pull what changed since the cursor, merge three ways, keep conflicts for a person.
`situation_room:sync` and the dock's Sync tab both call these functions; nothing here shows anything.

The order of a sync: first the ops left in flight by a sync that was interrupted (QGIS closed, a crash, the
server gone mid-batch) are settled by reading their works back; then the push, one batch at a time, each
batch marked in flight in the store before it is sent and settled in one transaction after; then the pull,
a page at a time, each page applied with the cursor in one transaction. So at any moment the store says
what is known: an op is pending, in flight (sent, its fate unknown until read back), refused (with the
server's words) or gone (on the server, its copy the new base).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.progress import Progress, advance
from situation_room_plugin.core.sources import WRITABLE_KINDS, Role, Source, SourceKind
from situation_room_plugin.core.sync import merge as mg
from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync import pull as pl
from situation_room_plugin.core.sync import settle as st
from situation_room_plugin.core.sync import wfst
from situation_room_plugin.core.sync.outbox import DECISION_FIELDS, Delta, Op, OpKind, OpState, OpTable, SyncError
from situation_room_plugin.core.sync.settle import DecisionCopy, ServerCopy, Verdict
from situation_room_plugin.core.works import Work, parse_int
from situation_room_plugin.qgis_io import schema
from situation_room_plugin.qgis_io import sync_store as ss
from situation_room_plugin.qgis_io.store import Store

LOG = logging.getLogger(__name__)

#: Works pulled in one GetFeature page.
PAGE_SIZE = 1000
#: Tries of one op within one sync (an op not landed is sent again at once, up to this, then at the next sync).
TRIES_PER_SYNC = 3


class Direction(str, Enum):
    PUSH = "push"
    PULL = "pull"
    BOTH = "both"


DIRECTIONS: tuple[str, ...] = tuple(d.value for d in Direction)


@dataclass
class SyncReport:
    """What a sync did: ops that reached the server (`sent`), works received from it, clean merges, conflicts
    opened, ops refused (kept in the outbox with the server's words), ops or records that failed (to be sent
    or read again), and the problems naming each record."""

    direction: str = Direction.BOTH.value
    sent: int = 0
    received: int = 0
    merged: int = 0
    conflicts: int = 0
    refused: int = 0
    failed: int = 0
    cursor: int = 0
    problems: list[Problem] = field(default_factory=list)
    finished_at: str = ""

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ("sent", "received", "merged", "conflicts", "refused",
                                                       "failed")}

    def problem(self, uid: str, code: str, severity: Severity = Severity.ERROR, **params: Any) -> None:
        self.problems.append(Problem(f"uid {uid}", "", code, severity, params))


class Platform(Protocol):
    """What the sync needs of a platform (qgis_io/sync_transport.WfsPlatform)."""

    def transaction(self, ops: Sequence[Op], bases: Mapping[str, Work] | None = None
                    ) -> tuple[wfst.Answer, Any]: ...

    def read_back(self, uids: Sequence[str], table: OpTable = OpTable.WORKS
                  ) -> list[tuple[dict[str, Any], BaseGeometry | None]]: ...

    def pull_page(self, after_seq: int, page_size: int, table: OpTable = OpTable.WORKS
                  ) -> list[tuple[dict[str, Any], BaseGeometry | None]]: ...


def platform_for(source: Source) -> Platform:
    """The platform of a writable works source, WFS-T or OGC API Features (TransportError when its authcfg is
    missing)."""
    if not source.writable or source.kind not in WRITABLE_KINDS or source.role != Role.WORKS.value:
        raise SyncError.of("sync_not_writable", record=source.id)
    from situation_room_plugin.qgis_io.sync_transport import OapifPlatform, WfsPlatform  # QGIS's network stack

    timeout = source.timeout_s or 120.0
    if source.kind == SourceKind.OGCAPI_FEATURES.value:
        return OapifPlatform(source.url, source.layer or "works", source.authcfg, timeout)
    return WfsPlatform(source.url, source.authcfg, source.version or "1.1.0", source.layer or "works", timeout)


def _cursor_key(source_id: str) -> str:
    return f"cursor:{source_id}"


# ---------------------------------------------------------------------------------------------------------
# The op of a record, from its base copy and the work as it is here


def _same_moment(a: Any, b: Any) -> bool:
    return isinstance(a, datetime) and isinstance(b, datetime) and abs(a - b) <= st.DATETIME_SLACK


def op_for(base: ServerCopy | None, local: Work | None) -> Op | None:
    """The one op that brings the server from `base` (None: it has no copy) to `local` (None: deleted here);
    None when there is nothing to send. The base revision is the base copy's, never the local counter."""
    if local is None:
        if base is None or base.deleted:
            return None
        return ob.delete_op(base.work)
    if base is None:
        op = ob.create_op(local)
        if local.updated_by:
            op = dataclasses.replace(op, changes={**op.changes, "updated_by": Delta(None, local.updated_by)})
        return op
    changes, geometry = ob.diff_works(base.work, local)
    changes = {n: d for n, d in changes.items() if not _same_moment(d.old, d.new)}  # the server keeps seconds
    if not changes and geometry is None and not base.deleted:
        return None
    if local.updated_by and local.updated_by != base.work.updated_by:
        changes["updated_by"] = Delta(base.work.updated_by, local.updated_by)
    return ob.new_op(OpKind.UPDATE, local.uid, base.revision, changes, geometry, restore=base.deleted)


# ---------------------------------------------------------------------------------------------------------
# Push


def _blocked(conn: Any) -> set[str]:
    rows = ss.outbox_rows(conn, states=(OpState.IN_FLIGHT.value, OpState.REFUSED.value))
    return {r.uid for r in rows} | ss.open_conflict_uids(conn)


def prepare(conn: Any, owners: OwnerRegistry, limit: int, report: SyncReport, skip: set[str]) -> list[Op]:
    """Mark the next batch in flight: for each record with pending rows (none in flight or refused, no open
    conflict, not in `skip`), its one op, made from its base copy and the work as it is here, is written in
    the outbox in place of the rows, and what it sends is kept (sync_sent). Records with nothing to send
    lose their rows."""
    pending: dict[str, list[ss.OutboxRow]] = {}
    blocked = _blocked(conn) | skip
    for row in ss.outbox_rows(conn, states=(OpState.PENDING.value,)):
        if row.uid not in blocked:
            pending.setdefault(row.uid, []).append(row)
    ops: list[Op] = []
    uids = list(pending)
    start = 0
    while len(ops) < limit and start < len(uids):
        chunk = uids[start:start + max(limit - len(ops), 1)]
        start += len(chunk)
        bases = ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, chunk)
        locals_, problems = ss.local_works(conn, owners, chunk)
        present = ss.local_uids(conn, chunk)
        invalid = {uid for uid in present if uid not in locals_}
        for uid in chunk:
            if uid in invalid:
                text = "; ".join(f"{p.field}: {p.message}" for p in problems if uid in p.record) or "?"
                report.problem(uid, "sync_local_invalid", value=text)
                report.failed += 1
                skip.add(uid)
                continue
            op = op_for(bases.get(uid), locals_.get(uid))
            rows = pending[uid]
            if op is None:
                ss.drop_rows(conn, [uid])
                continue
            ss.flying(conn, rows[-1], op, rows)
            target = ob.applied(bases[uid].work if uid in bases else None, op)
            if target is not None:
                ss.write_copies(conn, schema.SYNC_SENT_TABLE, [ServerCopy(target, 0, op.op_id)])
            ops.append(ob.sent(op))
    return ops


def _in_flight_ops(conn: Any, owners: OwnerRegistry) -> list[Op]:
    """The ops in flight as they were sent (an interrupted sync): rebuilt from the base and the copy sent."""
    rows = ss.outbox_rows(conn, states=(OpState.IN_FLIGHT.value,))
    uids = [r.uid for r in rows]
    bases = ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, uids)
    sent = ss.read_copies(conn, schema.SYNC_SENT_TABLE, owners, uids)
    ops = []
    for row in rows:
        target = None if row.kind == OpKind.DELETE.value else getattr(sent.get(row.uid), "work", None)
        op = op_for(bases.get(row.uid), target)
        if op is None:  # nothing it could have changed: forget it
            ss.drop_rows(conn, [], op_id=row.op_id)
            continue
        ops.append(dataclasses.replace(op, op_id=row.op_id, state=OpState.IN_FLIGHT, attempts=row.attempts,
                                       created_at=None))
    return ops


def _server_copies(records: Sequence[tuple[dict[str, Any], BaseGeometry | None]], owners: OwnerRegistry,
                   report: SyncReport) -> list[ServerCopy]:
    copies = []
    for record, geometry in records:
        try:
            copies.append(st.server_copy(record, geometry, owners, ref="server"))
        except SyncError as error:
            report.problems.append(error.problem)
            report.failed += 1
    return copies


def settle_batch(store: Store, platform: Platform, owners: OwnerRegistry, ops: Sequence[Op],
                 answer: wfst.Answer, report: SyncReport) -> list[st.Outcome]:
    """Read the works of a batch back and settle each op in one transaction (TransportError when the server
    cannot be read: the ops stay in flight, settled by the next sync)."""
    records = platform.read_back([op.uid for op in ops])
    copies = {c.uid: c for c in _server_copies(records, owners, report)}
    refusals = dict(answer.messages)
    by_id = {op.op_id for op in ops}
    if answer.http_status == 403 or (answer.kind is wfst.AnswerKind.EXCEPTION and answer.http_status == 200):
        refusals = {op.op_id: answer.text for op in ops}  # the whole request refused
    elif refusals and not set(refusals) & by_id:
        # QGIS Server names a failed action by its type, not its handle: the message is each op's that did not land
        text = "; ".join(v for v in refusals.values() if v)
        refusals = {op.op_id: text for op in ops}
    outcomes = st.settle(ops, copies, refusals, answer.text)
    with store.transaction() as conn:
        _apply_outcomes(conn, owners, outcomes, report)
    return outcomes


def _apply_outcomes(conn: Any, owners: OwnerRegistry, outcomes: Sequence[st.Outcome], report: SyncReport) -> None:
    pending = {r.uid for r in ss.outbox_rows(conn, states=(OpState.PENDING.value,))}
    landed, gone = [], []
    for outcome in outcomes:
        op, uid = outcome.op, outcome.op.uid
        ss.delete_copies(conn, schema.SYNC_SENT_TABLE, [uid])
        if outcome.verdict is Verdict.LANDED:
            copy = outcome.copy
            if not isinstance(copy, ServerCopy):  # a delete of a work the server no longer has
                base = ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, [uid]).get(uid)
                copy = dataclasses.replace(base, deleted=True) if base is not None else None
            ss.drop_rows(conn, [], op_id=op.op_id)
            dropped = outcome.reason == "landed_fields_dropped"
            if copy is not None:
                ss.write_copies(conn, schema.SYNC_BASE_TABLE, [copy])
                # the work here becomes the server's (its revision, its rounding), unless the server did not keep
                # some of its values: those stay here, and the warning says which
                if uid not in pending and not dropped:
                    (gone if copy.deleted else landed).append(copy)
            report.sent += 1
            if outcome.reason == "landed_fields_dropped":
                report.problem(uid, "sync_refused", Severity.WARNING, value=outcome.message)
        elif outcome.verdict is Verdict.RETRY:
            ss.set_state(conn, op.op_id, OpState.PENDING, outcome.message)
            report.failed += 1
            report.problem(uid, "sync_not_landed", Severity.WARNING, value=outcome.params.get("answer", ""))
        elif outcome.verdict is Verdict.REFUSED:
            ss.set_state(conn, op.op_id, OpState.REFUSED, outcome.message)
            report.refused += 1
            report.problem(uid, "sync_refused", value=outcome.params.get("answer", outcome.message))
        else:
            merge_copy(conn, owners, outcome.copy, report)
    ss.apply_works(conn, [c.work for c in landed], [c.uid for c in gone])


def merge_copy(conn: Any, owners: OwnerRegistry, copy: Any, report: SyncReport) -> mg.Merge | None:
    """A newer server copy of a work changed here: merged three ways against the base the local changes were
    made on. A clean merge is written here and queued for the push; a conflict is kept (the local work stays
    as it is) until it is resolved."""
    if not isinstance(copy, ServerCopy):
        return None
    uid = copy.uid
    base = _case_base(conn, owners, uid)
    locals_, _ = ss.local_works(conn, owners, [uid])
    mine = locals_.get(uid)
    merge = mg.merge_work(base, mine, copy.work, copy.deleted)
    ss.drop_rows(conn, [uid])
    ss.write_copies(conn, schema.SYNC_BASE_TABLE, [copy])
    if merge.clean:
        ss.close_conflict(conn, uid)
        result = merge.merged
        _write_result(conn, uid, result, copy, mine)
        report.merged += 1
        return merge
    if uid not in ss.open_conflict_uids(conn):
        report.conflicts += 1
    ss.keep_conflict(conn, uid, merge.kind.value if merge.kind else "fields", [c.field for c in merge.conflicts],
                     base)
    report.problem(uid, "sync_conflict", Severity.WARNING, value=", ".join(c.field for c in merge.conflicts))
    return merge


def _case_base(conn: Any, owners: OwnerRegistry, uid: str) -> Work | None:
    """The base of a work's local changes: an open conflict's own base, else the base copy."""
    row = conn.execute(f"SELECT has_base FROM {schema.SYNC_CONFLICTS_TABLE} WHERE uid = ?", (uid,)).fetchone()
    if row is not None:
        case = ss.read_copies(conn, schema.SYNC_CASE_BASE_TABLE, owners, [uid]).get(uid)
        return case.work if case is not None and row[0] else None
    base = ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, [uid]).get(uid)
    return base.work if base is not None else None


def _write_result(conn: Any, uid: str, result: Work | None, theirs: ServerCopy, mine: Work | None) -> None:
    """The work here becomes `result` (None: deleted), and the difference from the server's copy is queued."""
    if result is None:
        if mine is not None:
            ss.apply_works(conn, [], [uid])
    else:
        ss.apply_works(conn, [dataclasses.replace(result, revision=theirs.revision)])
    if op_for(theirs, result) is not None:
        ss.mark_changed(conn, uid)


def settle_in_flight(store: Store, platform: Platform, owners: OwnerRegistry, report: SyncReport) -> None:
    """Settle the ops an interrupted sync left in flight (sent or about to be; the store cannot know which)."""
    with store.transaction() as conn:
        ops = _in_flight_ops(conn, owners)
    for start in range(0, len(ops), wfst.MAX_ACTIONS):
        batch = ops[start:start + wfst.MAX_ACTIONS]
        interrupted = wfst.Answer(wfst.AnswerKind.NO_ANSWER, None, text="the previous sync was interrupted")
        settle_batch(store, platform, owners, batch, interrupted, report)


def push(store: Store, platform: Platform, owners: OwnerRegistry, report: SyncReport,
         progress: Progress | None = None, batch_size: int = wfst.MAX_ACTIONS) -> None:
    """Send the outbox, one batch at a time, until it is empty or the server stops taking it."""
    tries: dict[str, int] = {}
    skip: set[str] = set()
    with store.reading() as conn:
        total = max(len({r.uid for r in ss.outbox_rows(conn, states=(OpState.PENDING.value,))}), 1)
    done, failed_in_row = 0, 0
    while True:
        with store.transaction() as conn:
            ops = prepare(conn, owners, batch_size, report, skip)
        if not ops:
            return
        for op in ops:
            tries[op.uid] = tries.get(op.uid, 0) + 1
            if tries[op.uid] >= TRIES_PER_SYNC:
                skip.add(op.uid)
        with store.reading() as conn:  # a server that replaces whole works (OGC API Features) needs them
            bases = {uid: c.work for uid, c in
                     ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, [op.uid for op in ops]).items()}
        answer, _ = platform.transaction(ops, bases)
        outcomes = settle_batch(store, platform, owners, ops, answer, report)
        done += len(ops)
        advance(progress, min(done / total, 1.0))
        failed_in_row = failed_in_row + 1 if all(o.verdict is Verdict.RETRY for o in outcomes) else 0
        if failed_in_row >= 2:  # twice nothing reached the server: it is not taking changes now
            LOG.warning("sync: nothing of a batch of %d reached the server (%s): the rest waits for the next sync",
                        len(ops), answer.text)
            return


# ---------------------------------------------------------------------------------------------------------
# Pull


def pull(store: Store, platform: Platform, owners: OwnerRegistry, source_id: str, report: SyncReport,
         progress: Progress | None = None, page_size: int = PAGE_SIZE) -> None:
    """Take every change of the server after the cursor (less the safety window), page by page: each page
    applied with the new cursor in one transaction."""
    with store.reading() as conn:
        cursor = int(ss.get_state(conn, _cursor_key(source_id), "0") or 0)
    after = pl.first_after(cursor)
    while True:
        records = platform.pull_page(after, page_size)
        if not records:
            break
        seqs = [parse_int(r.get("server_seq")) or 0 for r, _ in records]
        copies = _server_copies(records, owners, report)
        last = max(seqs)
        if last <= after:
            raise SyncError.of("sync_bad_server_copy", record=source_id,
                               value=f"a page after server_seq {after} ends at {last}")
        with store.transaction() as conn:
            apply_page(conn, owners, copies, report)
            cursor = max(cursor, last)
            ss.set_state_value(conn, _cursor_key(source_id), str(cursor))
        after = last
        advance(progress, 0.5)
    report.cursor = cursor


def apply_page(conn: Any, owners: OwnerRegistry, copies: Sequence[ServerCopy], report: SyncReport) -> None:
    """One page of a pull: each server copy taken, merged, or recognised as known (pull.arrival)."""
    uids = [c.uid for c in copies]
    bases = ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, uids)
    rows = ss.outbox_rows(conn)
    flying_uids = {r.uid for r in rows if r.state == OpState.IN_FLIGHT.value}
    changed = {r.uid for r in rows if r.state != OpState.IN_FLIGHT.value} | ss.open_conflict_uids(conn)
    taken, tombstones, new_bases, merges = [], [], [], []
    for copy in copies:
        arrival = pl.arrival(bases.get(copy.uid), copy.uid in changed, copy.uid in flying_uids, copy)
        if arrival in (pl.Arrival.NEW, pl.Arrival.UPDATED):
            new_bases.append(copy)
            taken.append(copy.work)
        elif arrival is pl.Arrival.DELETED:
            new_bases.append(copy)
            tombstones.append(copy.uid)
        elif arrival is pl.Arrival.MERGE:
            merges.append(copy)
        elif arrival is pl.Arrival.SAME and copy.uid in bases and copy.server_seq > bases[copy.uid].server_seq \
                and copy.revision == bases[copy.uid].revision:
            new_bases.append(copy)  # the same version, with the server's sequence number
        if arrival in (pl.Arrival.NEW, pl.Arrival.UPDATED, pl.Arrival.DELETED):
            report.received += 1
    ss.write_copies(conn, schema.SYNC_BASE_TABLE, new_bases)
    ss.apply_works(conn, taken, tombstones)
    for copy in merges:
        report.received += 1
        merge_copy(conn, owners, copy, report)


# ---------------------------------------------------------------------------------------------------------
# Decisions on conflicts: the same outbox, settled the same way (their status and note are what is shared)

#: What a decision created here sends besides its status and note: which conflict it is about.
DECISION_KEYS = ("kind", "uid_a", "uid_b")
_DECISIONS = "decisions"


def _local_decisions(conn: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        rows += conn.execute(f"SELECT conflict_id, kind, uid_a, uid_b, status, note, updated_by FROM "
                             f"{schema.CONFLICT_DECISIONS_TABLE} WHERE conflict_id IN ({', '.join('?' * len(chunk))})",
                             chunk).fetchall()
    names = ("conflict_id", *DECISION_KEYS, *DECISION_FIELDS, "updated_by")
    return {row[0]: dict(zip(names, row)) for row in rows}


def _decision_bases(conn: Any, ids: Sequence[str]) -> dict[str, DecisionCopy]:
    out = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        for cid, revision, status, note, seq, last_op, deleted in conn.execute(
                f"SELECT conflict_id, revision, status, note, server_seq, last_op_id, deleted FROM "
                f"{schema.SYNC_DECISION_BASE_TABLE} WHERE conflict_id IN ({', '.join('?' * len(chunk))})", chunk):
            out[cid] = DecisionCopy(cid, revision, {"status": status, "note": note}, seq, last_op, bool(deleted))
    return out


def _write_decision_bases(conn: Any, copies: Sequence[DecisionCopy]) -> None:
    conn.executemany(f"INSERT OR REPLACE INTO {schema.SYNC_DECISION_BASE_TABLE} (conflict_id, revision, status, note, "
                     "server_seq, last_op_id, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(c.conflict_id, c.revision, c.values.get("status"), c.values.get("note") or "", c.server_seq,
                       c.last_op_id, int(c.deleted)) for c in copies])


def decision_op_for(base: DecisionCopy | None, local: Mapping[str, Any] | None, organisation: str) -> Op | None:
    """The op of a decision here against its base copy; None when there is nothing to share (a conflict found
    but not decided yet, a decision the server already holds, one removed here: decisions are not deleted)."""
    if local is None:
        return None
    values = {name: local.get(name) if name != "note" else local.get(name) or "" for name in DECISION_FIELDS}
    if base is None:
        if values["status"] == "open" and not values["note"]:
            return None
        changes = {name: Delta(None, local.get(name)) for name in (*DECISION_KEYS, *DECISION_FIELDS)}
        changes["note"] = Delta(None, values["note"])
        changes["owner"] = Delta(None, organisation)
        if local.get("updated_by"):
            changes["updated_by"] = Delta(None, local["updated_by"])
        return ob.new_op(OpKind.CREATE, local["conflict_id"], 0, changes, table=OpTable.DECISIONS)
    op = ob.decision_op(local["conflict_id"], dict(base.values), values, base.revision)
    if op is not None and local.get("updated_by"):
        op = dataclasses.replace(op, changes={**op.changes, "updated_by": Delta(None, local["updated_by"])})
    return op


def push_decisions(store: Store, platform: Platform, organisation: str, report: SyncReport) -> None:
    """Send the decisions taken here (status, note), one batch at a time; settled by reading them back."""
    for _ in range(TRIES_PER_SYNC):
        with store.transaction() as conn:
            rows = ss.outbox_rows(conn, _DECISIONS)
            blocked = {r.uid for r in rows if r.state != OpState.PENDING.value}
            blocked |= {row[0] for row in ss.conflict_rows(conn, _DECISIONS)}
            pending: dict[str, list[ss.OutboxRow]] = {}
            for row in rows:
                if row.state == OpState.PENDING.value and row.uid not in blocked:
                    pending.setdefault(row.uid, []).append(row)
            ids = list(pending)[:wfst.MAX_ACTIONS]
            bases, locals_ = _decision_bases(conn, ids), _local_decisions(conn, ids)
            ops = []
            for cid in ids:
                if not organisation and cid not in bases:
                    continue  # who recorded it is unknown: it waits for the organisation to be set
                op = decision_op_for(bases.get(cid), locals_.get(cid), organisation)
                if op is None:
                    ss.drop_rows(conn, [cid], _DECISIONS)
                    continue
                ss.flying(conn, pending[cid][-1], op, pending[cid])
                ops.append(ob.sent(op))
        if not ops:
            return
        answer, _ = platform.transaction(ops)
        outcomes = settle_decisions(store, platform, ops, answer, report)
        if all(o.verdict is Verdict.RETRY for o in outcomes):
            return


def settle_decisions(store: Store, platform: Platform, ops: Sequence[Op], answer: wfst.Answer,
                     report: SyncReport) -> list[st.Outcome]:
    records = platform.read_back([op.uid for op in ops], OpTable.DECISIONS)
    copies = {}
    for record, _ in records:
        try:
            copy = st.decision_copy(record, ref="server")
        except SyncError as error:
            report.problems.append(error.problem)
            continue
        copies[copy.conflict_id] = copy
    refusals = dict(answer.messages)
    if answer.http_status == 403 or (refusals and not set(refusals) & {op.op_id for op in ops}):
        text = answer.text if answer.http_status == 403 else "; ".join(v for v in refusals.values() if v)
        refusals = {op.op_id: text for op in ops}
    outcomes = st.settle(ops, copies, refusals, answer.text)
    with store.transaction() as conn:
        for outcome in outcomes:
            op = outcome.op
            if outcome.verdict is Verdict.LANDED and isinstance(outcome.copy, DecisionCopy):
                ss.drop_rows(conn, [], op_id=op.op_id)
                _write_decision_bases(conn, [outcome.copy])
                report.sent += 1
            elif outcome.verdict is Verdict.RETRY:
                ss.set_state(conn, op.op_id, OpState.PENDING, outcome.message)
                report.failed += 1
            elif outcome.verdict is Verdict.REFUSED:
                ss.set_state(conn, op.op_id, OpState.REFUSED, outcome.message)
                report.refused += 1
                report.problems.append(Problem(f"conflict {op.uid}", "", "sync_refused", Severity.ERROR,
                                               {"value": outcome.params.get("answer", outcome.message)}))
            else:
                ss.drop_rows(conn, [op.uid], _DECISIONS)
                if isinstance(outcome.copy, DecisionCopy):
                    merge_decision(conn, outcome.copy, report)
    return outcomes


def settle_decisions_in_flight(store: Store, platform: Platform, report: SyncReport) -> None:
    """Decisions an interrupted sync left in flight: back to pending unless the read-back shows them landed."""
    with store.transaction() as conn:
        rows = ss.outbox_rows(conn, _DECISIONS, states=(OpState.IN_FLIGHT.value,))
        ids = [r.uid for r in rows]
        bases, locals_ = _decision_bases(conn, ids), _local_decisions(conn, ids)
        ops = []
        for row in rows:
            op = decision_op_for(bases.get(row.uid), locals_.get(row.uid), "?")
            if op is None:
                ss.drop_rows(conn, [], op_id=row.op_id)
                continue
            ops.append(dataclasses.replace(op, op_id=row.op_id, state=OpState.IN_FLIGHT))
    if ops:
        interrupted = wfst.Answer(wfst.AnswerKind.NO_ANSWER, None, text="the previous sync was interrupted")
        settle_decisions(store, platform, ops, interrupted, report)


def merge_decision(conn: Any, theirs: DecisionCopy, report: SyncReport) -> None:
    """A newer decision from the server on a conflict decided here too: status and note merged three ways; the
    same one changed differently on both sides is a conflict of the decision, kept until resolved."""
    cid = theirs.conflict_id
    base = _decision_bases(conn, [cid]).get(cid)
    mine = _local_decisions(conn, [cid]).get(cid)
    _write_decision_bases(conn, [theirs])
    if mine is None:
        return
    merged, found = mg.merge_values(dict(base.values) if base is not None else None, mine, dict(theirs.values),
                                    DECISION_FIELDS)
    if found:
        conn.execute(f"INSERT OR REPLACE INTO {schema.SYNC_CONFLICTS_TABLE} (uid, tbl, kind, fields, detail, "
                     "opened_at, has_base) VALUES (?, 'decisions', 'decision', ?, ?, ?, ?)",
                     (cid, ",".join(c.field for c in found), json.dumps(
                         {c.field: [c.base, c.mine, c.theirs] for c in found}), ss._now(), int(base is not None)))
        report.conflicts += 1
        report.problems.append(Problem(f"conflict {cid}", "", "sync_conflict", Severity.WARNING,
                                       {"value": ", ".join(c.field for c in found)}))
        return
    _apply_decision(conn, cid, merged)
    if any(merged.get(n) != theirs.values.get(n) for n in DECISION_FIELDS):
        ss.mark_changed(conn, cid, table=_DECISIONS)
    report.merged += 1


def _apply_decision(conn: Any, cid: str, values: Mapping[str, Any], keys: Mapping[str, Any] | None = None) -> None:
    with ss.applying(conn):
        found = conn.execute(f"SELECT 1 FROM {schema.CONFLICT_DECISIONS_TABLE} WHERE conflict_id = ?", (cid,))
        if found.fetchone() is not None:
            conn.execute(f"UPDATE {schema.CONFLICT_DECISIONS_TABLE} SET status = ?, note = ? WHERE conflict_id = ?",
                         (values.get("status"), values.get("note") or "", cid))
        elif keys is not None and all(keys.get(n) for n in DECISION_KEYS):
            conn.execute(f"INSERT INTO {schema.CONFLICT_DECISIONS_TABLE} (conflict_id, kind, uid_a, uid_b, status, "
                         "note) VALUES (?, ?, ?, ?, ?, ?)", (cid, keys["kind"], keys["uid_a"], keys["uid_b"],
                                                           values.get("status") or "open", values.get("note") or ""))


def pull_decisions(store: Store, platform: Platform, source_id: str, report: SyncReport,
                   page_size: int = PAGE_SIZE) -> None:
    """The decisions the other organisations took, after the decisions' own cursor, page by page."""
    key = f"decisions_{_cursor_key(source_id)}"
    with store.reading() as conn:
        cursor = int(ss.get_state(conn, key, "0") or 0)
    after = pl.first_after(cursor)
    while True:
        records = platform.pull_page(after, page_size, OpTable.DECISIONS)
        if not records:
            return
        last = max(parse_int(r.get("server_seq")) or 0 for r, _ in records)
        if last <= after:
            raise SyncError.of("sync_bad_server_copy", record=source_id,
                               value=f"a page after server_seq {after} ends at {last}")
        with store.transaction() as conn:
            ids = [str(r.get("conflict_id") or "") for r, _ in records]
            bases = _decision_bases(conn, ids)
            rows = ss.outbox_rows(conn, _DECISIONS)
            locals_ = _local_decisions(conn, ids)
            # a conflict found here but not decided yet has nothing of its own to merge
            changed = {r.uid for r in rows if r.state != OpState.PENDING.value
                       or decision_op_for(bases.get(r.uid), locals_.get(r.uid), "?") is not None}
            changed |= {row[0] for row in ss.conflict_rows(conn, _DECISIONS)}
            for record, _ in records:
                try:
                    copy = st.decision_copy(record, ref="server")
                except SyncError as error:
                    report.problems.append(error.problem)
                    report.failed += 1
                    continue
                arrival = pl.arrival(bases.get(copy.conflict_id), copy.conflict_id in changed, False, copy)
                if arrival in (pl.Arrival.NEW, pl.Arrival.UPDATED):
                    _write_decision_bases(conn, [copy])
                    _apply_decision(conn, copy.conflict_id, copy.values, record)
                    report.received += 1
                elif arrival is pl.Arrival.MERGE:
                    merge_decision(conn, copy, report)
                    report.received += 1
            cursor = max(cursor, last)
            ss.set_state_value(conn, key, str(cursor))
        after = last


# ---------------------------------------------------------------------------------------------------------
# The front door


def sync(store_path: str | Path, source: Source, direction: str = Direction.BOTH.value,
         progress: Progress | None = None, *, platform: Platform | None = None, organisation: str = "",
         batch_size: int = wfst.MAX_ACTIONS, page_size: int = PAGE_SIZE) -> SyncReport:
    """Sync the store's works and conflict decisions with a writable source (see the module's docstring):
    `direction` push, pull or both (push, pull, then push what the merges made). `organisation` (the user's)
    owns the decisions recorded here: without it they are not pushed. Raises TransportError when the server
    cannot be reached at all; what was settled before stays settled."""
    direction = Direction(direction).value
    platform = platform or platform_for(source)
    report = SyncReport(direction)
    with Store.open(store_path) as store:
        owners = store.owners()
        settle_in_flight(store, platform, owners, report)
        decisions = bool(getattr(platform, "handles_decisions", False))  # the WFS-T platform has their layer
        if decisions:
            settle_decisions_in_flight(store, platform, report)
        if direction != Direction.PULL.value:
            push(store, platform, owners, report, _part(progress, 0.0, 0.45), batch_size)
            if decisions:
                push_decisions(store, platform, organisation, report)
        if direction != Direction.PUSH.value:
            pull(store, platform, owners, source.id, report, _part(progress, 0.45, 0.9), page_size)
            if decisions:
                pull_decisions(store, platform, source.id, report, page_size)
        if direction == Direction.BOTH.value:
            push(store, platform, owners, report, _part(progress, 0.9, 1.0), batch_size)
            if decisions:
                push_decisions(store, platform, organisation, report)
        report.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with store.transaction() as conn:
            ss.set_state_value(conn, f"last_sync:{source.id}", json.dumps({
                **report.counts(), "direction": direction, "finished_at": report.finished_at,
                "cursor": report.cursor}))
    advance(progress, 1.0)
    return report


def _part(progress: Progress | None, lo: float, hi: float) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction: progress(lo + (hi - lo) * min(max(fraction, 0.0), 1.0))


def last_sync(store_path: str | Path, source_id: str | None = None) -> dict[str, Any] | None:
    """The counts and time of the last sync (of `source_id`, or the latest of any), None when never synced."""
    with Store.open(store_path, create=False) as store:
        if store.lacks(schema.SYNC_STATE_TABLE):
            return None
        with store.reading() as conn:
            rows = conn.execute(f"SELECT key, value FROM {schema.SYNC_STATE_TABLE} WHERE key LIKE 'last_sync:%'")
            found = {key.split(":", 1)[1]: json.loads(value) for key, value in rows}
    if source_id is not None:
        return found.get(source_id)
    return max(found.values(), key=lambda v: v.get("finished_at", ""), default=None)


@dataclass(frozen=True)
class PendingChange:
    """A record's local changes waiting for the server: its latest kind, state, attempts and last answer."""

    uid: str
    kind: str
    state: str
    attempts: int
    last_answer: str
    since: str
    table: str = "works"


def pending_changes(store_path: str | Path) -> list[PendingChange]:
    """One line per record with changes not yet on the server (refused ones and those in flight included)."""
    with Store.open(store_path, create=False) as store:
        if store.lacks(schema.SYNC_OUTBOX_TABLE):
            return []
        with store.reading() as conn:
            rows = ss.outbox_rows(conn)
            decided = ss.outbox_rows(conn, _DECISIONS)
            ids = [r.uid for r in decided]
            bases, locals_ = _decision_bases(conn, ids), _local_decisions(conn, ids)
            # a conflict found but not decided has nothing to send: not a pending change
            rows += [r for r in decided if r.state != OpState.PENDING.value
                     or decision_op_for(bases.get(r.uid), locals_.get(r.uid), "?") is not None]
    out: dict[tuple[str, str], PendingChange] = {}
    rank = {OpState.REFUSED.value: 3, OpState.IN_FLIGHT.value: 2, OpState.PENDING.value: 1}
    for row in rows:
        key = (row.table, row.uid)
        before = out.get(key)
        state = row.state if before is None or rank.get(row.state, 0) >= rank.get(before.state, 0) else before.state
        answer = row.last_answer or (before.last_answer if before else "")
        out[key] = PendingChange(row.uid, row.kind, state, max(row.attempts, before.attempts if before else 0),
                                 answer, before.since if before else row.created_at, row.table)
    return list(out.values())


def retry_refused(store_path: str | Path, uids: Sequence[str] | None = None) -> int:
    """Refused changes (all, or of these uids) back to pending, for the next push; how many."""
    with Store.open(store_path) as store, store.transaction() as conn:
        rows = [r for r in ss.outbox_rows(conn, states=(OpState.REFUSED.value,)) if uids is None or r.uid in uids]
        for row in rows:
            ss.set_state(conn, row.op_id, OpState.PENDING, row.last_answer)
    return len(rows)


@dataclass(frozen=True)
class Conflict:
    """An open conflict of a work: its kind and, for each field in conflict, the base, mine and theirs."""

    uid: str
    kind: str
    fields: tuple[mg.FieldConflict, ...]
    opened_at: str
    merge: mg.Merge


def open_conflicts(store_path: str | Path) -> list[Conflict]:
    """The conflicts waiting for a person, oldest first, as they stand now (mine is the work here now)."""
    with Store.open(store_path, create=False) as store:
        if store.lacks(schema.SYNC_CONFLICTS_TABLE):
            return []
        owners = store.owners()
        with store.reading() as conn:
            return [_conflict(conn, owners, uid, opened) for uid, _, _, _, opened, _ in ss.conflict_rows(conn)]


def _conflict(conn: Any, owners: OwnerRegistry, uid: str, opened_at: str) -> Conflict:
    theirs = ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, [uid])[uid]
    mine = ss.local_works(conn, owners, [uid])[0].get(uid)
    merge = mg.merge_work(_case_base(conn, owners, uid), mine, theirs.work, theirs.deleted)
    return Conflict(uid, merge.kind.value if merge.kind else "", merge.conflicts, opened_at, merge)


def resolve(store_path: str | Path, conflict: str | Conflict, choice: str,
            value: Mapping[str, Any] | Work | None = None) -> Work | None:
    """Resolve a work's conflict: `choice` mine, theirs, or value (with `value`: a mapping of field name to
    value for the fields in conflict, 'geometry' for the footprint, or for an edit against a delete the Work
    to keep, None to delete it). The result is the work here (None: deleted) and its difference from the
    server's copy is queued for the next push."""
    uid = conflict.uid if isinstance(conflict, Conflict) else conflict
    chosen = mg.Choice(choice)
    with Store.open(store_path) as store:
        owners = store.owners()
        with store.transaction() as conn:
            if uid in {row[0] for row in ss.conflict_rows(conn, _DECISIONS)}:
                return _resolve_decision(conn, uid, chosen, value)
            if uid not in ss.open_conflict_uids(conn):
                raise KeyError(f"no conflict is open on {uid}")
            case = _conflict(conn, owners, uid, "")
            resolutions = {}
            for item in case.fields:
                if chosen is mg.Choice.VALUE:
                    if item.field == mg.WHOLE:
                        resolutions[item.field] = mg.edit(value)
                    else:
                        if not isinstance(value, Mapping) or item.field not in value:
                            raise SyncError.of("sync_unresolved", record=f"uid {uid}", field=item.field)
                        resolutions[item.field] = mg.edit(value[item.field])
                else:
                    resolutions[item.field] = mg.Resolution(chosen)
            result = mg.resolve(case.merge, resolutions) if case.fields else case.merge.merged
            theirs = ss.read_copies(conn, schema.SYNC_BASE_TABLE, owners, [uid])[uid]
            ss.drop_rows(conn, [uid])
            ss.close_conflict(conn, uid)
            _write_result(conn, uid, result, theirs, case.merge.mine)
    return result


@dataclass(frozen=True)
class DecisionConflict:
    """A decision on a conflict changed differently here and on the server: per field, base, mine, theirs."""

    conflict_id: str
    fields: tuple[mg.FieldConflict, ...]
    opened_at: str


def open_decision_conflicts(store_path: str | Path) -> list[DecisionConflict]:
    with Store.open(store_path, create=False) as store:
        if store.lacks(schema.SYNC_CONFLICTS_TABLE):
            return []
        with store.reading() as conn:
            rows = ss.conflict_rows(conn, _DECISIONS)
    return [DecisionConflict(cid, tuple(mg.FieldConflict(name, *values) for name, values in json.loads(detail).items()),
                             opened) for cid, _, _, detail, opened, _ in rows]


def _resolve_decision(conn: Any, cid: str, chosen: mg.Choice, value: Any) -> None:
    theirs = _decision_bases(conn, [cid])[cid]
    mine = _local_decisions(conn, [cid]).get(cid) or {}
    row = conn.execute(f"SELECT detail FROM {schema.SYNC_CONFLICTS_TABLE} WHERE uid = ?", (cid,)).fetchone()
    fields = [mg.FieldConflict(name, *values) for name, values in json.loads(row[0]).items()]
    resolutions = {f.field: mg.Resolution(chosen, (value or {}).get(f.field) if chosen is mg.Choice.VALUE else None)
                   for f in fields}
    if chosen is mg.Choice.VALUE and any(f.field not in (value or {}) for f in fields):
        missing = next(f.field for f in fields if f.field not in (value or {}))
        raise SyncError.of("sync_unresolved", record=f"conflict {cid}", field=missing)
    merged, _ = mg.merge_values(dict(theirs.values), mine, dict(theirs.values), DECISION_FIELDS)
    result = mg.resolve_values({**merged, **{n: mine.get(n) for n in DECISION_FIELDS}}, fields, resolutions,
                               f"conflict {cid}")
    conn.execute(f"DELETE FROM {schema.SYNC_CONFLICTS_TABLE} WHERE uid = ?", (cid,))
    ss.drop_rows(conn, [cid], _DECISIONS)
    _apply_decision(conn, cid, result)
    if any(result.get(n) != theirs.values.get(n) for n in DECISION_FIELDS):
        ss.mark_changed(conn, cid, table=_DECISIONS)


# ---------------------------------------------------------------------------------------------------------
# Publishing results: the latest conflicts and detours, on the platform's layers every organisation reads

#: The platform's results layers and their keys.
PUBLISHED = {"conflicts": ("published_conflicts", "conflict_id"), "detours": ("published_detours", "uid")}
_RESULT_SERVER_COLUMNS = frozenset({"fid", "_fid", "owner", "revision", "server_seq", "updated_at", "updated_by",
                                    "deleted", "last_op_id"})


@dataclass
class PublishReport:
    """What publishing did, per layer: rows written (new or changed), unchanged, withdrawn (tombstoned: gone from
    the latest results), and the problems of those the server refused."""

    written: int = 0
    #: Of the rows written, those that were new on the platform (the others were updated).
    inserted: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    refused: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def updated(self) -> int:
        return self.written - self.inserted


def _same_text(value: Any, text: Any) -> bool:
    mine = wfst.format_value(value)
    if isinstance(value, float) and text not in (None, ""):
        try:
            return abs(float(text) - value) <= 1e-9 * max(1.0, abs(value))
        except ValueError:
            return False
    if isinstance(value, bool):
        return str(text).lower() in (("1", "true") if value else ("0", "false"))
    return (mine or "") == (text or "")


def publish_results(source: Source, kind: str, rows: Sequence[tuple[Mapping[str, Any], BaseGeometry | None]],
                    *, platform: Any = None, organisation: str = "comune") -> PublishReport:
    """Publish the latest results (`kind` conflicts or detours: rows of the conflicts layer's or the detours
    output's fields, with their geometry in EPSG:6707) to the platform's layer: new rows inserted, changed
    ones updated (revision + 1), rows no longer in the results withdrawn by a tombstone. Only the Comune may
    write these layers: another organisation's attempt is refused, and said so in the report."""
    type_name, key = PUBLISHED[kind]
    platform = platform or platform_for(source)
    report = PublishReport()
    on_server = {str(r.get(key)): r for r, _ in platform.records(type_name)}
    ops: list[Op] = []
    seen = set()
    for values, geometry in rows:
        uid = str(values.get(key) or "")
        if not uid:
            continue
        seen.add(uid)
        renamed = {("work_owner" if kind == "detours" and n == "owner" else n): v  # the detour's owner is the work's
                   for n, v in values.items()}
        fields = {n: v for n, v in renamed.items() if n != key and n not in _RESULT_SERVER_COLUMNS}
        record = on_server.get(uid)
        if record is None:
            changes = {n: Delta(None, v) for n, v in fields.items()}
            changes["owner"] = Delta(None, organisation)
            ops.append(ob.new_op(OpKind.CREATE, uid, 0, changes, Delta(None, geometry), table=OpTable.DECISIONS))
            continue
        revision = parse_int(record.get("revision")) or 0
        deleted = str(record.get("deleted")).lower() in ("1", "true")
        changed = {n: Delta(record.get(n), v) for n, v in fields.items() if not _same_text(v, record.get(n))}
        if not changed and not deleted:
            report.unchanged += 1
            continue
        ops.append(ob.new_op(OpKind.UPDATE, uid, revision, changed or {n: Delta(None, v) for n, v in fields.items()},
                             Delta(None, geometry) if geometry is not None else None, table=OpTable.DECISIONS,
                             restore=deleted))
    for uid, record in on_server.items():
        if uid not in seen and str(record.get("deleted")).lower() not in ("1", "true"):
            ops.append(ob.new_op(OpKind.DELETE, uid, parse_int(record.get("revision")) or 0, table=OpTable.DECISIONS))
    target = wfst.Target(platform.target.version, type_names={OpTable.WORKS: "works", OpTable.DECISIONS: type_name},
                         keys={OpTable.WORKS: "uid", OpTable.DECISIONS: key})
    for batch in wfst.batches(ops):
        answer, _ = platform.post(wfst.transaction(batch, target))
        landed = {str(r.get(key)): r for r, _ in platform.records(type_name)}
        for op in batch:
            if str(landed.get(op.uid, {}).get("last_op_id") or "") == op.op_id:
                if op.kind is OpKind.DELETE:
                    report.withdrawn += 1
                else:
                    report.written += 1
                    report.inserted += op.kind is OpKind.CREATE
            else:
                report.refused += 1
                report.problems.append(Problem(f"{type_name} {op.uid}", "", "sync_refused", Severity.ERROR,
                                               {"value": answer.text}))
    return report
