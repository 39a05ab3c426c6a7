"""The one rule for an edit of a work, whoever makes it (the form, the attribute table, a paste, a geometry
edit, a delete, Processing, adding validated works to the store): a new work gets its uid, owner, status and
creation time; a changed work gets revision + 1, the time and the user; the fields the store keeps
(`created_at`, `updated_at`, `revision`, `updated_by`) and the uid are never taken from the editor.

What each edit did is an `EditRecord` (the fields changed with their old and new values): what the sync
outbox records."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from situation_room_plugin.core.works import FIELD_NAMES, Status, is_blank, parse_int

#: The fields the store keeps: read-only in the form, restored when an editor changed them.
KEPT_BY_STORE: tuple[str, ...] = ("created_at", "updated_at", "revision", "updated_by")
#: The fields an edit compares (the uid is the identity, not a value).
COMPARED: tuple[str, ...] = tuple(n for n in FIELD_NAMES if n not in KEPT_BY_STORE and n != "uid")


class EditKind(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


@dataclass
class EditRecord:
    """One work's edit: `changes` maps each changed field to (old, new); 'geometry' when the footprint moved."""

    kind: EditKind
    uid: str
    revision: int
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def now_utc() -> datetime:
    """The time an edit is stamped with: UTC, to the millisecond (what a GeoPackage datetime holds)."""
    moment = datetime.now(timezone.utc)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _same(a: Any, b: Any) -> bool:
    return (is_blank(a) and is_blank(b)) or a == b


def new_work_values(
    values: Mapping[str, Any], *, user: str, moment: datetime, organisation: str = "",
    new_uid: Callable[[], str] = lambda: str(uuid.uuid4()), taken: Callable[[str], bool] = lambda uid: False,
) -> dict[str, Any]:
    """The values to set on a work being created: a uid when it has none or one already `taken` (a pasted
    copy of a stored work is a new work), the user's organisation when no owner, draft when no status, and the
    store's fields (revision 1, created and updated now, by `user`)."""
    out: dict[str, Any] = {}
    uid = values.get("uid")
    if is_blank(uid) or taken(str(uid)):
        out["uid"] = new_uid()
    if is_blank(values.get("owner")) and organisation:
        out["owner"] = organisation
    if is_blank(values.get("status")):
        out["status"] = Status.DRAFT.value
    out.update(created_at=moment, updated_at=moment, revision=1, updated_by=user)
    return out


def changed_work_values(
    before: Mapping[str, Any], after: Mapping[str, Any], geometry_changed: bool, *, user: str, moment: datetime,
) -> tuple[dict[str, Any], EditRecord | None]:
    """The values to set on an edited work (revision + 1, the time, the user, and the uid and creation time
    restored when an editor changed them) and the record of what changed; ({}, None) when nothing did (a
    value typed again as it was, a save of an untouched form) beyond the store's own fields."""
    changes = {name: (before.get(name), after.get(name)) for name in COMPARED
               if not _same(before.get(name), after.get(name))}
    if geometry_changed:
        changes["geometry"] = (None, None)
    restore = {name: before.get(name) for name in ("uid", "created_at")
               if not _same(before.get(name), after.get(name))}
    if not changes:
        # the store's fields typed over in the attribute table are put back, and nothing else happened
        kept = {name: before.get(name) for name in ("updated_at", "revision", "updated_by")
                if not _same(before.get(name), after.get(name))}
        return {**restore, **kept}, None
    revision = (parse_int(before.get("revision")) or 0) + 1
    values = {**restore, "revision": revision, "updated_at": moment, "updated_by": user}
    uid = str(before.get("uid") or after.get("uid") or "")
    return values, EditRecord(EditKind.UPDATED, uid, revision, changes)


def created_record(values: Mapping[str, Any]) -> EditRecord:
    return EditRecord(EditKind.CREATED, str(values.get("uid") or ""), 1,
                      {name: (None, values.get(name)) for name in COMPARED if not is_blank(values.get(name))})


def deleted_record(before: Mapping[str, Any]) -> EditRecord:
    return EditRecord(EditKind.DELETED, str(before.get("uid") or ""), parse_int(before.get("revision")) or 0)
