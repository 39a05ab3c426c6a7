"""The three-way merge of a work: changes to different fields merge, identical changes agree, the same field
changed differently and an edit against a delete are conflicts resolved by a person, never lost."""

from __future__ import annotations

import dataclasses

import pytest
import shapely

from situation_room_plugin.core.sync import merge as mg
from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync.merge import GEOMETRY, KEEP_MINE, KEEP_THEIRS, WHOLE, CaseKind, edit
from situation_room_plugin.core.sync.outbox import OpKind, SyncError
from tests.unit.works_builder import box, day, work


def base():
    return work(1, box(0, 0), 0, 10, revision=4)


def changed(w, **values):
    return dataclasses.replace(w, **values)


def test_changes_to_different_fields_merge_without_a_conflict():
    b = base()
    result = mg.merge_work(b, changed(b, title="Mio titolo"), changed(b, revision=5, end_date=day(20)))
    assert result.clean and result.kind is None
    assert result.merged.title == "Mio titolo" and result.merged.end_date == day(20)
    assert result.merged.revision == 5  # the server's copy is what the result is pushed against


def test_the_same_change_on_both_sides_is_not_a_conflict():
    b = base()
    result = mg.merge_work(b, changed(b, status="authorized"), changed(b, revision=5, status="authorized"))
    assert result.clean and result.merged.status == "authorized"
    assert mg.push_op(result, result.merged) is None  # the server holds it already


def test_the_same_field_changed_differently_is_a_conflict_with_its_three_values():
    b = base()
    result = mg.merge_work(b, changed(b, title="Mio"), changed(b, revision=5, title="Loro"))
    assert result.kind is CaseKind.FIELDS
    assert result.conflicts == (mg.FieldConflict("title", b.title, "Mio", "Loro"),)


def test_footprints_within_the_tolerance_are_the_same_change():
    b = base()
    mine = changed(b, geometry=box(3, 0))
    theirs = changed(b, revision=5, geometry=shapely.affinity.translate(box(3, 0), 0.002, 0))
    assert mg.merge_work(b, mine, theirs).clean
    far = mg.merge_work(b, mine, changed(theirs, geometry=box(8, 0)))
    assert [c.field for c in far.conflicts] == [GEOMETRY]


def test_each_conflict_is_resolved_by_keep_mine_keep_theirs_or_a_value():
    b = base()
    mine = changed(b, title="Mio", contact="mio@x.it", geometry=box(1, 0))
    theirs = changed(b, revision=5, title="Loro", contact="loro@x.it", geometry=box(2, 0))
    result = mg.merge_work(b, mine, theirs)
    assert {c.field for c in result.conflicts} == {"title", "contact", GEOMETRY}
    resolved = mg.resolve(result, {"title": KEEP_MINE, "contact": KEEP_THEIRS, GEOMETRY: edit(box(9, 0))})
    assert (resolved.title, resolved.contact) == ("Mio", "loro@x.it") and resolved.geometry.equals(box(9, 0))
    op = mg.push_op(result, resolved)
    assert op.kind is OpKind.UPDATE and op.base_revision == 5
    assert op.fields == {"title": "Mio"} and op.geometry.new.equals(box(9, 0))


def test_a_conflict_without_a_choice_is_refused_naming_the_field():
    b = base()
    result = mg.merge_work(b, changed(b, title="Mio"), changed(b, revision=5, title="Loro"))
    with pytest.raises(SyncError, match="'title'"):
        mg.resolve(result, {})


def test_an_edit_here_against_a_delete_there_is_a_conflict_kept_by_restoring_the_work():
    b = base()
    mine = changed(b, title="Mio")
    result = mg.merge_work(b, mine, changed(b, revision=5), theirs_deleted=True)
    assert result.kind is CaseKind.EDITED_DELETED and result.conflicts[0].field == WHOLE
    op = mg.push_op(result, mg.resolve(result, {WHOLE: KEEP_MINE}))
    assert op.kind is OpKind.UPDATE and op.restore and op.base_revision == 5 and op.fields == {"title": "Mio"}
    assert mg.resolve(result, {WHOLE: KEEP_THEIRS}) is None
    assert mg.push_op(result, None) is None  # already deleted there


def test_a_delete_here_against_an_edit_there_is_a_conflict_either_way():
    b = base()
    theirs = changed(b, revision=5, title="Loro")
    result = mg.merge_work(b, None, theirs)
    assert result.kind is CaseKind.DELETED_EDITED
    op = mg.push_op(result, mg.resolve(result, {WHOLE: KEEP_MINE}))
    assert op.kind is OpKind.DELETE and op.base_revision == 5
    assert mg.resolve(result, {WHOLE: KEEP_THEIRS}) == theirs


def test_a_delete_of_a_work_unchanged_on_the_other_side_is_not_a_conflict():
    b = base()
    assert mg.merge_work(b, None, changed(b, revision=5, updated_by="x")).clean  # only server fields moved
    assert mg.merge_work(b, b, changed(b, revision=5), theirs_deleted=True).clean
    both = mg.merge_work(b, None, changed(b, revision=5), theirs_deleted=True)
    assert both.clean and both.merged is None and mg.push_op(both, None) is None


def test_without_a_base_every_difference_is_a_conflict_and_agreement_is_not():
    mine = base()
    theirs = changed(mine, revision=5, title="Loro")
    result = mg.merge_work(None, mine, theirs)
    assert [c.field for c in result.conflicts] == ["title"]


def test_a_decision_changed_on_both_sides_merges_its_status_and_note_like_a_work():
    base = {"status": "open", "note": ""}
    mine = {"status": "acknowledged", "note": "Sentito Publiacqua"}
    theirs = {"status": "resolved", "note": ""}
    merged, conflicts = mg.merge_values(base, mine, theirs, ob.DECISION_FIELDS)
    assert merged["note"] == "Sentito Publiacqua" and [c.field for c in conflicts] == ["status"]
    result = mg.resolve_values(merged, conflicts, {"status": KEEP_THEIRS})
    op = ob.decision_op("clash:a:b", theirs, result, base_revision=3)
    assert op.fields == {"note": "Sentito Publiacqua"} and op.base_revision == 3
    with pytest.raises(SyncError, match="clash:a:b"):
        mg.resolve_values(merged, conflicts, {}, record="conflict clash:a:b")
