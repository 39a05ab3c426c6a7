"""Two clients and a server, at random: offline edits, pushes through faults (lost requests and answers, a
server that dies half-way, duplicated deliveries, garbage, refusals), pulls and merges. After everything is
settled, both clients and the server hold the same works, revisions only grew, every acknowledged change
is on the server unless a later one overrode it, and nothing was written twice.

The server is a pure model of QGIS Server's WFS-T as the plugin meets it: it reads the Transaction XML that
wfst.py writes, runs all its Updates and then its Inserts, commits each action on its own, skips property
names it does not know, enforces the revision trigger (revision = old + 1, 1 on insert) and a unique uid,
and answers with totals only (1.1) or a status (1.0).
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sync import merge as mg
from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync import pull as pl
from situation_room_plugin.core.sync import settle as st_
from situation_room_plugin.core.sync import wfst
from situation_room_plugin.core.sync.outbox import SYNCED_FIELDS, OpKind, OpState
from situation_room_plugin.core.sync.replica import Replica
from situation_room_plugin.core.sync.settle import ServerCopy, Verdict
from situation_room_plugin.core.sync.wfst import OGC, WFS, Target
from situation_room_plugin.core.works import FIELD_NAMES, Status, Work
from tests.unit.works_builder import box, day

OWNERS = OwnerRegistry()
SERVER_COLUMNS = frozenset({*FIELD_NAMES, "last_op_id", "deleted", "server_seq"})
FAULTS = ("none", "none", "lost_request", "lost_answer", "crash_midway", "duplicate", "garbage")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass
class Row:
    values: dict[str, Any]
    geometry: Any
    revision: int
    seq: int
    last_op_id: str
    deleted: bool


@dataclass
class Commit:
    seq: int
    op_id: str
    uid: str
    fields: frozenset[str]
    deleted: bool | None  # set to this, or None when not set
    revision: int


class Server:
    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}
        self.seq = 0
        self.history: list[Commit] = []
        self.forbidden: set[str] = set()

    # -- Transaction -------------------------------------------------------------------------------------
    def transaction(self, body: bytes, fault: str) -> tuple[bytes | None, int | None]:
        root = ET.fromstring(body)
        actions = [e for e in root if local(e.tag) == "Update"] + [e for e in root if local(e.tag) == "Insert"]
        if fault == "lost_request":
            return None, None
        run = actions[: len(actions) // 2] if fault == "crash_midway" else actions
        results = [self._action(e) for e in run]
        if fault == "duplicate":
            results = [self._action(e) for e in actions]
        if fault == "crash_midway":
            return b"<html><body>500 Internal Server Error</body></html>", 500
        if fault == "lost_answer":
            return None, None
        if fault == "garbage":
            return b"<html><body>502 Bad Gateway</body></html>", 502
        return self._answer(root.get("version"), results), 200

    def _action(self, element: ET.Element) -> tuple[str, str, int, str]:
        """(kind, handle, count, error message) of one action, committed on its own."""
        handle = element.get("handle", "")
        if local(element.tag) == "Insert":
            feature = element[0]
            values: dict[str, Any] = {}
            geometry = None
            for child in feature:
                name = local(child.tag)
                if name == "geometry":
                    geometry = wfst.geometry_from_gml(child[0])
                elif name in SERVER_COLUMNS:  # unknown names: skipped without a word
                    values[name] = child.text
            uid = values.pop("uid")
            if uid in self.rows:
                return "insert", handle, 0, "UNIQUE constraint failed: works.uid"
            if values.get("revision") != "1":
                return "insert", handle, 0, "revision must be 1 on insert"
            self.seq += 1
            self.rows[uid] = Row({k: v for k, v in values.items() if k not in ("revision", "last_op_id", "deleted")},
                                 geometry, 1, self.seq, values.get("last_op_id") or "", values.get("deleted") == "1")
            self.history.append(Commit(self.seq, values.get("last_op_id") or "", uid, frozenset(values), False, 1))
            return "insert", handle, 1, ""
        props: dict[str, Any] = {}
        geometry = None
        for prop in element.iter(f"{{{WFS}}}Property"):
            name = prop.findtext(f"{{{WFS}}}Name")
            value = prop.find(f"{{{WFS}}}Value")
            if name == "geometry":
                geometry = wfst.geometry_from_gml(value[0])
            elif name in SERVER_COLUMNS:
                props[name] = None if value is None else value.text
        terms = {t.findtext(f"{{{OGC}}}PropertyName"): t.findtext(f"{{{OGC}}}Literal")
                 for t in element.iter(f"{{{OGC}}}PropertyIsEqualTo")}
        uid, revision = terms["uid"], int(terms["revision"])
        row = self.rows.get(uid)
        if row is None or row.revision != revision:
            return "update", handle, 0, ""  # the filter matched nothing: not an error
        if uid in self.forbidden:
            return "update", handle, 0, "Feature modify permission denied on layer 'works'"
        new_revision = int(props.pop("revision"))
        if new_revision != row.revision + 1:
            return "update", handle, 0, "revision must be old + 1"
        op_id = props.pop("last_op_id")
        deleted = props.pop("deleted", None)
        row.values.update(props)
        if geometry is not None:
            row.geometry = geometry
        if deleted is not None:
            row.deleted = deleted == "1"
        self.seq += 1
        row.revision, row.seq, row.last_op_id = new_revision, self.seq, op_id
        self.history.append(Commit(self.seq, op_id, uid, frozenset([*props, *(["geometry"] if geometry else [])]),
                                   None if deleted is None else deleted == "1", new_revision))
        return "update", handle, 1, ""

    def _answer(self, version: str | None, results: list[tuple[str, str, int, str]]) -> bytes:
        if version == "1.0.0":
            failed = [r for r in results if r[3]]
            status = "SUCCESS" if not failed else "ERROR" if len(failed) == len(results) else "PARTIAL"
            inserts = "".join(f'<InsertResult handle="{h}"><ogc:FeatureId fid="works.{n}"/></InsertResult>'
                              for n, (k, h, c, e) in enumerate(results) if k == "insert" and c)
            detail = f"<Locator>{failed[0][1]}</Locator><Message>{failed[0][3]}</Message>" if failed else ""
            return (f'<WFS_TransactionResponse xmlns="{WFS}" xmlns:ogc="{OGC}" version="1.0.0">{inserts}'
                    f"<TransactionResult><Status><{status}/></Status>{detail}</TransactionResult>"
                    f"</WFS_TransactionResponse>").encode()
        totals = {"insert": 0, "update": 0}
        for kind, _, count, _ in results:
            totals[kind] += count
        kinds = {r[0] for r in results}
        summary = "".join(f"<{tag}>{totals[kind]}</{tag}>" for kind, tag in (("insert", "totalInserted"),
                                                                           ("update", "totalUpdated"))
                          if kind in kinds)
        failures = "".join(f'<Action locator="{h}"><Message>{e}</Message></Action>' for _, h, _, e in results if e)
        failures = f"<TransactionResults>{failures}</TransactionResults>" if failures else ""
        return (f'<TransactionResponse xmlns="{WFS}" xmlns:ogc="{OGC}" version="1.1.0"><TransactionSummary>'
                f"{summary}</TransactionSummary>{failures}</TransactionResponse>").encode()

    # -- GetFeature ----------------------------------------------------------------------------------------
    def copy(self, uid: str) -> ServerCopy:
        row = self.rows[uid]
        record = {**row.values, "uid": uid, "revision": str(row.revision), "server_seq": str(row.seq),
                  "last_op_id": row.last_op_id, "deleted": "1" if row.deleted else "0"}
        return st_.server_copy(record, row.geometry, OWNERS, ref=f"works.{uid[:8]}")

    def get_feature(self, params: dict[str, str]) -> list[ServerCopy]:
        root = ET.fromstring(params["FILTER"])
        above = root.find(f"{{{OGC}}}PropertyIsGreaterThan")
        if above is not None:
            after = int(above.findtext(f"{{{OGC}}}Literal"))
            rows = sorted((r.seq, uid) for uid, r in self.rows.items() if r.seq > after)
            return [self.copy(uid) for _, uid in rows[: int(params["MAXFEATURES"])]]
        uids = [t.text for t in root.iter(f"{{{OGC}}}Literal")]
        return [self.copy(uid) for uid in uids if uid in self.rows]


def same_work(a: Work, b: Work) -> bool:
    return (all(getattr(a, n) == getattr(b, n) for n in SYNCED_FIELDS) and a.revision == b.revision
            and ob.same_geometry(a.geometry, b.geometry))


def check_merge(base: Work | None, mine: Work | None, theirs: Work, theirs_deleted: bool, merge: mg.Merge) -> None:
    """The merge against a plain reference: a field changed on one side only takes that side's value, the
    same change on both is agreed, different changes are listed; an edit against a delete is listed."""
    if mine is None or theirs_deleted:
        edited_here = mine is not None and base is not None and not same_values(base, mine)
        edited_there = not theirs_deleted and base is not None and not same_values(base, theirs)
        assert bool(merge.conflicts) == (edited_here or edited_there), merge
        return
    listed = {c.field for c in merge.conflicts}
    for name in [*SYNCED_FIELDS, "geometry"]:
        same = ob.same_geometry if name == "geometry" else (lambda x, y: x == y)
        b, m, t = (getattr(w, name) for w in (base, mine, theirs))
        if same(m, b) or same(m, t):
            assert name not in listed and same(getattr(merge.merged, name), t), name
        elif same(t, b):
            assert name not in listed and same(getattr(merge.merged, name), m), name
        else:
            assert name in listed, name


def same_values(a: Work, b: Work) -> bool:
    return all(getattr(a, n) == getattr(b, n) for n in SYNCED_FIELDS) and ob.same_geometry(a.geometry, b.geometry)


class CheckedReplica(Replica):
    """The replica, its merges checked against the plain reference as they happen."""

    def _merge(self, copy: ServerCopy) -> mg.Merge | None:
        uid = copy.uid
        case = self.cases.get(uid)
        base = case.base if case is not None else (self.bases[uid].work if uid in self.bases else None)
        mine = self.local.get(uid)
        merge = mg.merge_work(base, mine, copy.work, copy.deleted)
        check_merge(base, mine, copy.work, copy.deleted, merge)
        opened = super()._merge(copy)
        if merge.clean:  # a clean merge is what the user now sees
            assert opened is None
            if merge.merged is None:
                assert uid not in self.local
            else:
                assert same_values(self.local[uid], merge.merged)
        return opened


class Client:
    def __init__(self, name: str, version: str, policy: mg.Resolution) -> None:
        self.name, self.target, self.policy = name, Target(version=version), policy
        self.replica = CheckedReplica()
        self.acknowledged: list[tuple[ob.Op, str]] = []  # (op, reason)
        self.sent_ids: set[str] = set()

    @property
    def local(self) -> dict[str, Work]:
        return self.replica.local

    def push(self, server: Server, faults: list[str]) -> None:
        replica = self.replica
        for index, batch in enumerate(wfst.batches(replica.to_send(), max_actions=3)):
            seen = {op.uid: replica.local.get(op.uid) for op in batch}  # what the user sees before the push
            flying = replica.sent(batch)
            self.sent_ids.update(op.op_id for op in flying)
            fault = faults[index % len(faults)] if faults else "none"
            body, status = server.transaction(wfst.transaction(flying, self.target), fault)
            answer = wfst.parse_answer(body, status)
            if wfst.is_clear(answer, flying):
                replica.landed_clearly(flying)
                self._landed(server, [(op, "landed") for op in flying], seen)
                continue
            copies = {c.uid: c for params in wfst.by_uids([op.uid for op in flying], self.target)
                      for c in server.get_feature(params)}
            outcomes = st_.settle(flying, copies, answer.messages, answer.text)
            committed = {c.op_id for c in server.history}
            for outcome in outcomes:  # a change on the server is never reported otherwise
                assert outcome.verdict is Verdict.LANDED or outcome.op.op_id not in committed, outcome
                if outcome.verdict is Verdict.CONFLICT:  # only another client's change makes a conflict
                    op = outcome.op
                    since = [c.op_id for c in server.history if c.uid == op.uid and c.revision > op.base_revision]
                    assert set(since) - self.sent_ids, (self.name, outcome)
            self._resolve(replica.settled(outcomes))
            self._landed(server, [(o.op, o.reason) for o in outcomes if o.verdict is Verdict.LANDED], seen)

    def _landed(self, server: Server, landed: list[tuple[ob.Op, str]], seen: dict[str, Work | None]) -> None:
        """What the user saw of a work whose change landed as sent (nothing queued behind it) is what the
        server holds now, and what the user sees after (an edit lost on the way would show here)."""
        self.acknowledged += landed
        for op, reason in landed:
            if self.replica.changed_here(op.uid):
                continue
            row = server.rows.get(op.uid)
            if row is None or row.deleted:
                assert op.uid not in self.local, (self.name, op)
                assert reason != "landed" or seen[op.uid] is None, (self.name, op)
                continue
            held = server.copy(op.uid).work
            assert same_values(self.local[op.uid], held), (self.name, op)
            if reason == "landed":
                assert seen[op.uid] is not None and same_values(seen[op.uid], held), (self.name, op, seen[op.uid])

    def _resolve(self, cases: list[mg.Merge]) -> None:
        for case in cases:
            self.replica.resolve(case.uid, {c.field: self.policy for c in case.conflicts})

    def pull(self, server: Server, window: int = 3, page: int = 4) -> None:
        after: int | None = pl.first_after(self.replica.cursor, window)
        while after is not None:
            copies = server.get_feature(wfst.pull_page(after, page, self.target))
            self._resolve(self.replica.pulled(copies))
            after = pl.next_after(after, copies)


TITLES = st.sampled_from(["Scavo via Roma", "Rete gas viale Piave", "Fibra piazza Duomo", "Rifacimento"])
STATUSES = st.sampled_from([s.value for s in Status if s.value not in ("completed", "cancelled")])


class TwoClients(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.server = Server()
        self.clients = [Client("a", "1.1.0", mg.KEEP_MINE), Client("b", "1.0.0", mg.KEEP_THEIRS)]
        self.revisions: dict[str, int] = {}
        self.base_revisions: dict[tuple[str, str], int] = {}
        self.moment = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)

    def _client(self, n: int) -> Client:
        return self.clients[n % 2]

    @staticmethod
    def _pick(client: Client, n: int) -> str | None:
        uids = sorted(client.local)
        return uids[n % len(uids)] if uids else None

    @rule(c=st.integers(0, 1), uid=st.uuids(), title=TITLES, x=st.integers(0, 5))
    def create(self, c, uid, title, x):
        client = self._client(c)
        self.moment += timedelta(minutes=1)
        new = Work(uid=str(uid), title=title, owner="publiacqua", work_type="excavation", status="planned",
                   start_date=day(0), end_date=day(5), created_at=self.moment, updated_at=self.moment,
                   geometry=box(x * 20, 0))
        client.replica.create(new, now=self.moment)

    @rule(c=st.integers(0, 1), n=st.integers(0, 50), title=TITLES, status=STATUSES, days=st.integers(0, 9),
          move=st.sampled_from([None, 0.0, 0.004, 3.0]), which=st.sets(st.sampled_from(["t", "s", "e", "g"]),
                                                                       min_size=1))
    def edit(self, c, n, title, status, days, move, which):
        client = self._client(c)
        uid = self._pick(client, n)
        if uid is None:
            return
        before = client.local[uid]
        values: dict[str, Any] = {}
        if "t" in which:
            values["title"] = title
        if "s" in which:
            values["status"] = status
        if "e" in which:
            values["end_date"] = before.start_date + timedelta(days=days)
        if "g" in which and move is not None:
            values["geometry"] = box(float(days) * 20 + move, 30.0)
        client.replica.update(dataclasses.replace(before, **values), now=self.moment)

    @rule(n=st.integers(0, 50), titles=st.tuples(TITLES, TITLES), status=STATUSES, days=st.integers(0, 9))
    def edit_on_both(self, n, titles, status, days):
        """Both clients change a work they both hold, offline: one its title and status, the other its title
        and end date (a conflict on the title when the two differ, a clean merge of the rest)."""
        shared = sorted(set(self.clients[0].local) & set(self.clients[1].local))
        if not shared:
            return
        uid = shared[n % len(shared)]
        for client, title, values in zip(self.clients, titles, ({"status": status}, {"end_date": day(days)})):
            before = client.local[uid]
            after = dataclasses.replace(before, title=title, **values)
            client.replica.update(after, now=self.moment)

    @rule(c=st.integers(0, 1), n=st.integers(0, 50))
    def delete(self, c, n):
        client = self._client(c)
        uid = self._pick(client, n)
        if uid is None:
            return
        client.replica.delete(uid, now=self.moment)

    @rule(c=st.integers(0, 1), faults=st.lists(st.sampled_from(FAULTS), min_size=1, max_size=3))
    def push(self, c, faults):
        self._client(c).push(self.server, faults)

    @rule(c=st.integers(0, 1))
    def pull(self, c):
        self._client(c).pull(self.server)

    @rule()
    def sync_both(self):
        """Both push and pull without faults: the works they share are where the conflicts come from."""
        for client in self.clients:
            client.push(self.server, ["none"])
            client.pull(self.server)

    @precondition(lambda self: self.server.rows)
    @rule(n=st.integers(0, 50))
    def forbid(self, n):
        uids = sorted(self.server.rows)
        self.server.forbidden ^= {uids[n % len(uids)]}

    @invariant()
    def revisions_only_grow(self):
        for uid, row in self.server.rows.items():
            assert row.revision >= self.revisions.get(uid, 0)
            self.revisions[uid] = row.revision
        for client in self.clients:
            for uid, base in client.replica.bases.items():
                assert base.revision >= self.base_revisions.get((client.name, uid), 0), (client.name, uid)
                self.base_revisions[client.name, uid] = base.revision

    @invariant()
    def nothing_is_written_twice(self):
        op_ids = [c.op_id for c in self.server.history]
        assert len(op_ids) == len(set(op_ids))

    def teardown(self):
        self.server.forbidden.clear()
        for _ in range(6):
            for client in self.clients:
                replica = client.replica
                replica.outbox = [ob.retry(op) if op.state is OpState.REFUSED else op for op in replica.outbox]
                client.push(self.server, ["none"])
                client.pull(self.server)
        live = {uid: self.server.copy(uid).work for uid, row in self.server.rows.items() if not row.deleted}
        for client in self.clients:
            assert client.replica.outbox == [] and not client.replica.cases, client.name
            assert sorted(client.local) == sorted(live), client.name
            for uid, work in client.local.items():
                assert same_work(work, live[uid]), (client.name, uid, work, live[uid])
        self._check_nothing_lost()

    def _check_nothing_lost(self):
        commits = {c.op_id: c for c in self.server.history}
        for client in self.clients:
            for op, reason in client.acknowledged:
                commit = commits.get(op.op_id)
                if commit is None:  # acknowledged without being written: only a delete of a deleted work
                    assert op.kind is OpKind.DELETE and reason == "already_deleted", (op, reason)
                    continue
                assert commit.uid == op.uid
                later = [c for c in self.server.history if c.uid == op.uid and c.seq > commit.seq]
                row = self.server.rows[op.uid]
                current = self.server.copy(op.uid).work
                if op.kind is OpKind.DELETE:
                    assert row.deleted or any(c.deleted is False for c in later)
                    continue
                for name, delta in op.changes.items():
                    overridden = any(name in c.fields for c in later)
                    assert overridden or getattr(current, name) == delta.new, (op.op_id, name)
                if op.geometry is not None:
                    overridden = any("geometry" in c.fields for c in later)
                    assert overridden or ob.same_geometry(current.geometry, op.geometry.new)


TwoClients.TestCase.settings = settings(max_examples=50, stateful_step_count=50, deadline=None)
test_two_clients_and_a_faulty_server_end_up_with_the_same_works = TwoClients.TestCase
