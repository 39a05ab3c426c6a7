"""The one rule of an edit of a work: stamps, revisions, and the record of what changed."""

from __future__ import annotations

from datetime import date, datetime, timezone

from situation_room_plugin.core.edits import (
    EditKind,
    changed_work_values,
    created_record,
    deleted_record,
    new_work_values,
)

MOMENT = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
EARLIER = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


def stored(**changes):
    values = {"uid": "5b0c3f7e-0000-4000-8000-000000000001", "title": "Via Roma, rete idrica", "owner": "publiacqua",
              "work_type": "excavation", "status": "planned", "start_date": date(2026, 12, 3),
              "end_date": date(2026, 12, 9), "revision": 3, "created_at": EARLIER, "updated_at": EARLIER,
              "updated_by": "mario"}
    values.update(changes)
    return values


def test_new_work_gets_uid_owner_status_and_stamps():
    values = new_work_values({"title": "Scavo", "uid": None, "owner": ""}, user="anna", moment=MOMENT,
                             organisation="estracom", new_uid=lambda: "new-uid")
    assert values == {"uid": "new-uid", "owner": "estracom", "status": "draft", "created_at": MOMENT,
                      "updated_at": MOMENT, "revision": 1, "updated_by": "anna"}


def test_new_work_keeps_what_the_user_gave_but_not_the_store_fields():
    values = new_work_values(stored(), user="anna", moment=MOMENT, organisation="estracom")
    assert "uid" not in values and "owner" not in values and "status" not in values
    assert values["revision"] == 1 and values["created_at"] == MOMENT


def test_a_pasted_copy_of_a_stored_work_gets_a_new_uid():
    values = new_work_values(stored(), user="anna", moment=MOMENT, new_uid=lambda: "fresh",
                             taken=lambda uid: uid == stored()["uid"])
    assert values["uid"] == "fresh"


def test_an_edit_bumps_the_revision_and_says_what_changed():
    values, record = changed_work_values(stored(), stored(status="in_progress", title="Via Roma"), False,
                                         user="anna", moment=MOMENT)
    assert values == {"revision": 4, "updated_at": MOMENT, "updated_by": "anna"}
    assert record.kind is EditKind.UPDATED and record.revision == 4
    assert record.changes == {"status": ("planned", "in_progress"), "title": ("Via Roma, rete idrica", "Via Roma")}


def test_a_geometry_edit_alone_is_an_edit():
    values, record = changed_work_values(stored(), stored(), True, user="anna", moment=MOMENT)
    assert values["revision"] == 4 and list(record.changes) == ["geometry"]


def test_nothing_changed_is_no_edit_and_typed_store_fields_are_put_back():
    assert changed_work_values(stored(), stored(description=""), False, user="a", moment=MOMENT) == ({}, None)
    values, record = changed_work_values(stored(), stored(revision=99, updated_by="x"), False, user="a",
                                         moment=MOMENT)
    assert record is None and values == {"revision": 3, "updated_by": "mario"}


def test_uid_and_creation_time_are_never_the_editors():
    values, record = changed_work_values(stored(), stored(uid="other", created_at=MOMENT, status="completed"),
                                         False, user="a", moment=MOMENT)
    assert values["uid"] == stored()["uid"] and values["created_at"] == EARLIER
    assert record.uid == stored()["uid"] and "uid" not in record.changes


def test_created_and_deleted_records():
    created = created_record(stored())
    assert created.kind is EditKind.CREATED and created.changes["title"] == (None, "Via Roma, rete idrica")
    deleted = deleted_record(stored())
    assert deleted.kind is EditKind.DELETED and deleted.revision == 3 and not deleted.changes
