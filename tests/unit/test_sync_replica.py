"""A client's replica through a sync: local edits into the outbox, clear answers and read-backs, pulls that
bring new, changed and deleted works, clean merges pushed, and conflicts kept until a person resolves them."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from situation_room_plugin.core.sync import merge as mg
from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync.outbox import OpKind, OpState, SyncError
from situation_room_plugin.core.sync.replica import Replica
from situation_room_plugin.core.sync.settle import ServerCopy, settle
from tests.unit.works_builder import box, day, work


def on_server(w, seq=10, op_id="", deleted=False, **values):
    return ServerCopy(dataclasses.replace(w, **values), seq, op_id, deleted)


def replica_with(w, revision=3):
    replica = Replica()
    copy = on_server(w, revision=revision)
    replica.pulled([copy])
    return replica, copy


def test_a_pull_brings_new_changed_and_deleted_works_and_moves_the_cursor():
    a, b = work(1, box(0, 0), 0, 5), work(2, box(30, 0), 0, 5)
    replica = Replica()
    replica.pulled([on_server(a, 5, revision=1), on_server(b, 6, revision=1)])
    assert set(replica.local) == {a.uid, b.uid} and replica.cursor == 6
    replica.pulled([on_server(a, 7, revision=2, title="Nuovo"), on_server(b, 8, deleted=True, revision=2)])
    assert replica.local[a.uid].title == "Nuovo" and b.uid not in replica.local and replica.cursor == 8
    replica.pulled([on_server(a, 5, revision=1)])  # read again by the safety window: older, ignored
    assert replica.local[a.uid].title == "Nuovo"


def test_a_clear_answer_makes_the_sent_copy_the_base():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Mio"))
    flying = replica.sent(replica.to_send())
    assert [op.state for op in replica.outbox] == [OpState.IN_FLIGHT] and replica.to_send() == []
    replica.landed_clearly(flying)
    assert replica.outbox == [] and replica.bases[w.uid].revision == 4
    assert replica.bases[w.uid].work.title == "Mio" == replica.local[w.uid].title


def test_a_read_back_that_finds_the_change_landed_acknowledges_it():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Mio"))
    (op,) = replica.sent(replica.to_send())
    landed = on_server(w, 11, op.op_id, revision=4, title="Mio")
    assert replica.settled(settle([op], {w.uid: landed}, answer="timeout")) == []
    assert replica.outbox == [] and replica.bases[w.uid] == landed


def test_an_edit_made_while_a_change_is_in_flight_is_sent_next_on_top_of_it():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Primo"))
    (op,) = replica.sent(replica.to_send())
    replica.update(dataclasses.replace(replica.local[w.uid], status="authorized"))
    replica.landed_clearly([op])
    (later,) = replica.to_send()
    assert later.base_revision == 4 and later.fields == {"status": "authorized"}
    assert replica.local[w.uid].title == "Primo" and replica.local[w.uid].status == "authorized"


def test_a_change_that_did_not_land_waits_for_the_next_push():
    w = work(1, box(0, 0), 0, 5)
    replica, base = replica_with(w)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Mio"))
    (op,) = replica.sent(replica.to_send())
    replica.settled(settle([op], {w.uid: base}, answer="HTTP 500"))
    (again,) = replica.to_send()
    assert again.op_id == op.op_id and again.attempts == 1 and "HTTP 500" in again.last_answer


def test_changes_to_different_fields_on_both_sides_merge_and_the_merge_is_pushed():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Mio"))
    assert replica.pulled([on_server(w, 12, "other", revision=4, end_date=day(9))]) == []
    assert replica.local[w.uid].title == "Mio" and replica.local[w.uid].end_date == day(9)
    (op,) = replica.to_send()
    assert op.base_revision == 4 and op.fields == {"title": "Mio"}


def test_a_conflict_is_kept_with_the_users_version_until_resolved():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Mio"))
    (op,) = replica.sent(replica.to_send())
    theirs = on_server(w, 12, "other", revision=4, title="Loro")
    (case,) = replica.settled(settle([op], {w.uid: theirs}))
    assert [c.field for c in case.conflicts] == ["title"] and replica.cases == {w.uid: case}
    assert replica.local[w.uid].title == "Mio" and replica.to_send() == []
    with pytest.raises(SyncError, match="conflict"):
        replica.update(dataclasses.replace(replica.local[w.uid], title="Altro"))
    pushed = replica.resolve(w.uid, {"title": mg.edit("Via Roma, lotto 2")})
    assert pushed.fields == {"title": "Via Roma, lotto 2"} and pushed.base_revision == 4
    assert replica.cases == {} and replica.local[w.uid].title == "Via Roma, lotto 2"


def test_a_work_edited_here_and_deleted_there_comes_back_when_kept():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Mio"))
    (case,) = replica.pulled([on_server(w, 12, "other", deleted=True, revision=4)])
    assert case.kind is mg.CaseKind.EDITED_DELETED
    op = replica.resolve(w.uid, {mg.WHOLE: mg.KEEP_MINE})
    assert op.restore and op.kind is OpKind.UPDATE and replica.local[w.uid].title == "Mio"


def test_a_work_deleted_here_and_unchanged_there_is_deleted_on_the_next_push():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    replica.delete(w.uid)
    assert w.uid not in replica.local
    (op,) = replica.to_send()
    assert op.kind is OpKind.DELETE and op.base_revision == 3
    with pytest.raises(SyncError, match="deleted here"):
        replica.update(w)


def test_a_created_work_is_sent_once_and_its_read_back_copy_becomes_the_base():
    replica = Replica()
    new = work(7, box(0, 0), 0, 5)
    replica.create(new)
    replica.update(dataclasses.replace(replica.local[new.uid], title="Corretto"))
    (op,) = replica.sent(replica.to_send())
    assert op.kind is OpKind.CREATE and op.fields["title"] == "Corretto"
    copy = on_server(replica.local[new.uid], 3, op.op_id, revision=1)
    replica.settled(settle([op], {new.uid: copy}, {op.op_id: "Insert features failed on layer 'works'"}))
    assert replica.outbox == [] and replica.bases[new.uid] == copy
    assert ob.sendable(replica.outbox) == []


def test_after_a_clear_answer_the_pull_brings_the_servers_own_copy_of_the_version_sent():
    w = work(1, box(0, 0), 0, 5)
    replica, _ = replica_with(w)
    moment = datetime(2026, 12, 1, 8, 30, 15, 123000, tzinfo=timezone.utc)
    replica.update(dataclasses.replace(replica.local[w.uid], title="Mio", updated_at=moment))
    replica.landed_clearly(replica.sent(replica.to_send()))
    assert replica.bases[w.uid].server_seq == 0
    kept = on_server(w, 40, "op", revision=4, title="Mio", updated_at=moment.replace(microsecond=0))
    replica.pulled([kept])
    assert replica.bases[w.uid] == kept and replica.local[w.uid].updated_at == kept.work.updated_at
