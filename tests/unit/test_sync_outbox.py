"""The outbox: an op's life (pending, in flight, acknowledged or refused), how several local edits of one work
before a push become one op, and the diff of two versions of a work."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest
import shapely

from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync.outbox import Delta, OpKind, OpState, SyncError
from tests.unit.works_builder import box, day, work


def server_work(**overrides):
    return work(1, box(0, 0), 0, 10, revision=3, **overrides)


def edited(base, **values):
    return dataclasses.replace(base, **values)


def test_an_op_goes_pending_in_flight_acknowledged_counting_its_attempts():
    op = ob.update_op(server_work(), edited(server_work(), title="Nuovo titolo"))
    assert op.state is OpState.PENDING and op.attempts == 0
    flying = ob.sent(op)
    assert flying.state is OpState.IN_FLIGHT and flying.attempts == 1
    again = ob.sent(ob.not_landed(flying, "timeout"))
    assert again.attempts == 2 and again.last_answer == "timeout"
    assert ob.acknowledged(again).state is OpState.ACKNOWLEDGED


def test_a_refused_op_keeps_the_server_message_until_it_is_retried():
    op = ob.refused(ob.sent(ob.delete_op(server_work())), "No permissions to do WFS updates on layer 'works'")
    assert op.state is OpState.REFUSED and "No permissions" in op.last_answer
    assert ob.sendable([op]) == []
    assert ob.retry(op).state is OpState.PENDING


@pytest.mark.parametrize("step", [ob.acknowledged, ob.retry, lambda op: ob.not_landed(op, "x")])
def test_a_pending_op_cannot_skip_being_sent(step):
    op = ob.delete_op(server_work())
    with pytest.raises(SyncError) as error:
        step(op)
    assert op.op_id in str(error.value) and "pending" in str(error.value)


def test_two_edits_of_a_work_before_a_push_are_one_update_against_the_same_base():
    base = server_work()
    first = edited(base, title="A", status="authorized")
    second = edited(first, title="B", end_date=day(12))
    outbox = ob.record_edit([], ob.update_op(base, first))
    outbox = ob.record_edit(outbox, ob.update_op(first, second))
    assert len(outbox) == 1
    op = outbox[0]
    assert op.kind is OpKind.UPDATE and op.base_revision == 3
    assert op.changes == {"title": Delta(base.title, "B"), "status": Delta("planned", "authorized"),
                          "end_date": Delta(day(10), day(12))}


def test_an_edit_undone_before_a_push_leaves_nothing_to_send():
    base = server_work()
    changed = edited(base, title="A")
    outbox = ob.record_edit([], ob.update_op(base, changed))
    assert ob.record_edit(outbox, ob.update_op(changed, base)) == []


def test_a_create_then_an_update_stays_a_create_with_the_new_values():
    new = work(2, box(50, 0), 0, 3, revision=0)
    later = edited(new, title="Scavo corretto", geometry=box(60, 0))
    outbox = ob.record_edit([], ob.create_op(new))
    outbox = ob.record_edit(outbox, ob.update_op(new, later))
    (op,) = outbox
    assert op.kind is OpKind.CREATE and op.fields["title"] == "Scavo corretto"
    assert op.geometry.new.equals(box(60, 0))


def test_a_create_then_a_delete_vanishes():
    new = work(2, box(50, 0), 0, 3)
    outbox = ob.record_edit([], ob.create_op(new))
    assert ob.record_edit(outbox, ob.delete_op(new)) == []


def test_an_update_then_a_delete_is_a_delete_against_the_first_base():
    base = server_work()
    changed = edited(base, title="A")
    outbox = ob.record_edit([], ob.update_op(base, changed))
    (op,) = ob.record_edit(outbox, ob.delete_op(changed))
    assert op.kind is OpKind.DELETE and op.base_revision == 3 and not op.changes


def test_a_work_deleted_here_cannot_be_edited_again():
    base = server_work()
    outbox = ob.record_edit([], ob.delete_op(base))
    with pytest.raises(SyncError, match="deleted here"):
        ob.record_edit(outbox, ob.update_op(base, edited(base, title="A")))


def test_an_edit_made_while_the_works_op_is_in_flight_waits_behind_it():
    base = server_work()
    first = edited(base, title="A")
    flying = ob.sent(ob.update_op(base, first))
    outbox = ob.record_edit([flying], ob.update_op(first, edited(first, title="B")))
    assert len(outbox) == 2 and ob.sendable(outbox) == []
    landed = [ob.acknowledged(outbox[0]), outbox[1]]
    assert ob.sendable(landed) == [outbox[1]]


def test_a_pending_op_rebased_on_a_newer_server_copy_keeps_its_target_values():
    base = server_work()
    op = ob.update_op(base, edited(base, title="A", status="authorized"))
    newer = edited(base, revision=5, title="A")
    moved = ob.rebased(op, newer)
    assert moved.base_revision == 5 and moved.changes == {"status": Delta("planned", "authorized")}
    assert ob.rebased(op, edited(newer, status="authorized")) is None


def test_the_diff_leaves_out_what_the_server_sets_and_the_uid():
    base = server_work()
    later = edited(base, revision=9, updated_by="someone", title="A")
    changes, geometry = ob.diff_works(base, later)
    assert changes == {"title": Delta(base.title, "A")} and geometry is None


def test_a_footprint_moved_by_less_than_the_tolerance_is_unchanged_and_by_more_is_changed():
    base = server_work()
    nudged = shapely.affinity.translate(base.geometry, 0.004, -0.003)
    assert ob.diff_works(base, edited(base, geometry=nudged))[1] is None
    moved = shapely.affinity.translate(base.geometry, 0.5, 0)
    assert ob.diff_works(base, edited(base, geometry=moved))[1] == Delta(base.geometry, moved)


def test_a_footprint_whose_ring_starts_elsewhere_or_has_an_extra_vertex_is_the_same():
    x0, y0, x1, y1 = server_work().geometry.bounds
    rotated = shapely.MultiPolygon([shapely.Polygon([(x1, y0), (x1, y1), (x0, y1), (x0, y0)])])
    extra = shapely.MultiPolygon([shapely.Polygon([(x0, y0), ((x0 + x1) / 2, y0), (x1, y0), (x1, y1), (x0, y1)])])
    assert ob.same_geometry(server_work().geometry, rotated)
    assert ob.same_geometry(server_work().geometry, extra)
    assert not ob.same_geometry(server_work().geometry, None)


def test_a_decision_op_carries_its_status_and_note():
    op = ob.decision_op("clash:a:b", None, {"status": "resolved", "note": "Spostato a maggio"})
    assert op.table is ob.OpTable.DECISIONS and op.kind is OpKind.CREATE
    assert op.fields == {"status": "resolved", "note": "Spostato a maggio"}
    later = ob.decision_op("clash:a:b", {"status": "resolved", "note": "x"}, {"status": "resolved", "note": "y"}, 2)
    assert later.kind is OpKind.UPDATE and later.changes == {"note": Delta("x", "y")} and later.base_revision == 2


def test_applying_an_op_gives_the_work_the_server_will_hold():
    base = server_work()
    target = edited(base, title="A", geometry=box(5, 5))
    result = ob.applied(base, ob.update_op(base, target))
    assert result.title == "A" and result.geometry.equals(box(5, 5))
    op = ob.create_op(target)
    created = ob.applied(None, op)
    assert created == dataclasses.replace(target, revision=1, created_at=op.created_at, updated_by="")


def test_a_work_created_without_a_creation_time_takes_the_ops():
    moment = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
    assert ob.create_op(work(2, box(0, 0), 0, 3), now=moment).fields["created_at"] == moment
    earlier = datetime(2026, 11, 30, tzinfo=timezone.utc)
    assert ob.create_op(work(2, box(0, 0), 0, 3, created_at=earlier), now=moment).fields["created_at"] == earlier
