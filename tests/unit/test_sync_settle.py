"""Settling unclear answers by reading the works back: a matching last_op_id means the op landed, so a change
sent twice never duplicates a work nor shows as a failure; a refusal keeps the server's message; a work that
moved on becomes a merge case. And what a pulled copy means for the local work."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync import pull
from situation_room_plugin.core.sync import settle as st
from situation_room_plugin.core.sync.outbox import OpState, SyncError
from situation_room_plugin.core.sync.pull import Arrival
from situation_room_plugin.core.sync.settle import ServerCopy, Verdict, server_copy, settle
from tests.unit.works_builder import box, work


def base(**overrides):
    return work(1, box(0, 0), 0, 10, revision=3, **overrides)


def flying(op):
    return ob.sent(op)


def copy_of(w, op_id="", deleted=False, seq=10):
    return ServerCopy(w, seq, op_id, deleted)


def test_an_update_whose_last_op_id_is_on_the_server_landed_even_after_a_timeout():
    op = flying(ob.update_op(base(), dataclasses.replace(base(), title="A")))
    landed = dataclasses.replace(base(), title="A", revision=4)
    (outcome,) = settle([op], {op.uid: copy_of(landed, op.op_id)}, answer="timeout")
    assert outcome.verdict is Verdict.LANDED and outcome.op.state is OpState.ACKNOWLEDGED
    assert outcome.copy.work == landed and "revision 4" in outcome.message


def test_a_create_sent_twice_is_landed_not_a_duplicate_insert_failure():
    new = work(2, box(20, 0), 0, 3)
    op = flying(ob.create_op(new))
    copy = copy_of(dataclasses.replace(new, revision=1), op.op_id)
    (outcome,) = settle([op], {new.uid: copy}, {op.op_id: "UNIQUE constraint failed: works.uid"})
    assert outcome.verdict is Verdict.LANDED


def test_a_create_that_landed_and_was_changed_there_since_is_landed_with_the_newer_copy():
    new = work(2, box(20, 0), 0, 3)
    op = flying(ob.create_op(new))
    (outcome,) = settle([op], {new.uid: copy_of(dataclasses.replace(new, revision=2), "someone-else")})
    assert outcome.verdict is Verdict.LANDED and outcome.reason == "landed_then_changed"


def test_an_update_not_on_the_server_at_its_base_revision_goes_back_to_pending_with_the_answer():
    op = flying(ob.update_op(base(), dataclasses.replace(base(), title="A")))
    (outcome,) = settle([op], {op.uid: copy_of(base(), "older-op")}, answer="HTTP 500")
    assert outcome.verdict is Verdict.RETRY and outcome.op.state is OpState.PENDING
    assert "HTTP 500" in outcome.op.last_answer and outcome.op.attempts == 1


def test_a_missing_create_is_sent_again():
    new = work(2, box(20, 0), 0, 3)
    (outcome,) = settle([flying(ob.create_op(new))], {})
    assert outcome.verdict is Verdict.RETRY and "no answer" in outcome.message


def test_a_refused_update_stays_refused_with_the_servers_message():
    op = flying(ob.update_op(base(), dataclasses.replace(base(), title="A")))
    message = "Feature modify permission denied on layer 'works'"
    (outcome,) = settle([op], {op.uid: copy_of(base())}, {op.op_id: message})
    assert outcome.verdict is Verdict.REFUSED and outcome.op.state is OpState.REFUSED
    assert message in outcome.op.last_answer


def test_a_busy_database_is_not_a_refusal():
    op = flying(ob.update_op(base(), dataclasses.replace(base(), title="A")))
    (outcome,) = settle([op], {op.uid: copy_of(base())}, {op.op_id: "database is locked"})
    assert outcome.verdict is Verdict.RETRY


def test_a_work_changed_there_since_the_base_is_a_merge_case():
    op = flying(ob.update_op(base(), dataclasses.replace(base(), title="A")))
    theirs = dataclasses.replace(base(), revision=5, status="authorized")
    (outcome,) = settle([op], {op.uid: copy_of(theirs, "other")})
    assert outcome.verdict is Verdict.CONFLICT and outcome.reason == "revision_moved"
    assert outcome.copy.work == theirs and "revision 5" in outcome.message and "revision 3" in outcome.message


def test_an_update_of_a_work_deleted_there_is_a_merge_case_and_a_delete_of_one_is_done():
    tomb = copy_of(dataclasses.replace(base(), revision=4), "other", deleted=True)
    update = flying(ob.update_op(base(), dataclasses.replace(base(), title="A")))
    delete = flying(ob.delete_op(base()))
    outcomes = settle([update], {update.uid: tomb}) + settle([delete], {delete.uid: tomb})
    assert [(o.verdict, o.reason) for o in outcomes] == [(Verdict.CONFLICT, "deleted_there"),
                                                         (Verdict.LANDED, "already_deleted")]


def test_only_ops_in_flight_can_be_settled():
    op = ob.delete_op(base())
    with pytest.raises(SyncError, match="pending"):
        settle([op], {})


def test_a_feature_read_back_becomes_a_server_copy_or_an_error_naming_it():
    record = {**base().attributes(), "server_seq": "42", "last_op_id": "op-9", "deleted": "0"}
    copy = server_copy(record, base().geometry, OwnerRegistry(), ref="works.7")
    assert (copy.server_seq, copy.last_op_id, copy.deleted, copy.revision) == (42, "op-9", False, 3)
    with pytest.raises(SyncError) as error:
        server_copy({**record, "end_date": "domani"}, base().geometry, OwnerRegistry(), ref="works.7")
    assert "works.7" in str(error.value) and "end_date" in str(error.value) and "domani" in str(error.value)
    with pytest.raises(SyncError, match="deleted"):
        server_copy({**record, "deleted": "forse"}, base().geometry, OwnerRegistry(), ref="works.7")


def test_a_pull_starts_a_window_below_the_cursor_and_goes_on_after_each_pages_last_seq():
    assert pull.first_after(1000, 100) == 900 and pull.first_after(30, 100) == 0
    page = [copy_of(base(), seq=s) for s in (905, 910, 990)]
    assert pull.next_after(900, page) == 990 and pull.next_after(990, []) is None
    assert pull.new_cursor(1000, page) == 1000 and pull.new_cursor(950, page) == 990
    with pytest.raises(ValueError, match="ignores the filter"):
        pull.next_after(995, page)


@pytest.mark.parametrize(("base_rev", "copy_rev", "deleted", "changed", "flying_", "expected"), [
    (None, 1, False, False, False, Arrival.NEW),
    (3, 4, False, False, False, Arrival.UPDATED),
    (3, 4, True, False, False, Arrival.DELETED),
    (3, 3, False, False, False, Arrival.SAME),  # read again by the safety window
    (4, 3, False, False, False, Arrival.SAME),  # older than what is here
    (None, 2, True, False, False, Arrival.SAME),  # never seen, already gone
    (3, 4, False, True, False, Arrival.MERGE),
    (3, 4, True, True, False, Arrival.MERGE),
    (3, 4, False, True, True, Arrival.WAIT),
])
def test_what_a_pulled_copy_means(base_rev, copy_rev, deleted, changed, flying_, expected):
    here = None if base_rev is None else copy_of(dataclasses.replace(base(), revision=base_rev))
    copy = copy_of(dataclasses.replace(base(), revision=copy_rev), deleted=deleted)
    assert pull.arrival(here, changed, flying_, copy) is expected


def test_a_decision_settles_like_a_work():
    op = ob.sent(ob.decision_op("clash:a:b", {"status": "open", "note": ""}, {"status": "resolved", "note": ""}, 2))
    landed = st.decision_copy({"conflict_id": "clash:a:b", "revision": "3", "status": "resolved", "note": "",
                               "server_seq": 9, "last_op_id": op.op_id, "deleted": 0})
    moved = st.decision_copy({"conflict_id": "clash:a:b", "revision": "4", "status": "accepted"})
    assert settle([op], {"clash:a:b": landed})[0].verdict is Verdict.LANDED
    assert settle([op], {"clash:a:b": moved})[0].verdict is Verdict.CONFLICT
    with pytest.raises(SyncError, match="revision"):
        st.decision_copy({"conflict_id": "clash:a:b"})


def test_a_change_landed_without_some_of_its_fields_says_which_ones():
    op = flying(ob.update_op(base(), dataclasses.replace(base(), title="A", contact="uff.tecnico@x.it",
                                                         geometry=box(9, 9))))
    held = dataclasses.replace(base(), title="A", revision=4)  # no contact column, footprint not written
    (outcome,) = settle([op], {op.uid: copy_of(held, op.op_id)})
    assert outcome.verdict is Verdict.LANDED and outcome.reason == "landed_fields_dropped"
    assert "contact, geometry" in outcome.message


def test_a_creation_time_kept_to_the_second_is_kept():
    new = work(2, box(20, 0), 0, 3)
    moment = datetime(2026, 12, 1, 8, 30, 15, 123000, tzinfo=timezone.utc)
    op = flying(ob.create_op(new, now=moment))
    held = dataclasses.replace(new, revision=1, created_at=moment.replace(microsecond=0))
    (outcome,) = settle([op], {new.uid: copy_of(held, op.op_id)})
    assert outcome.reason == "landed"
