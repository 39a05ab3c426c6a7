"""The three-way merge of one work: the base (the server copy the local changes were made against), mine (the
local work, None when deleted here) and theirs (the server copy now, maybe a tombstone), field by field.

Changes to different fields merge; the same change on both sides is no conflict; footprints are compared
within a tolerance. The same field changed differently, and an edit against a delete (either way), are
conflicts: they are listed (`Merge.conflicts`, one row each for the conflicts table) and resolved by a person
(keep mine, keep theirs, or a value of their own) with `resolve`, never settled silently. `push_op` gives the
op that brings the server to the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.sync.outbox import (
    GEOMETRY_TOLERANCE_M,
    SYNCED_FIELDS,
    Op,
    OpKind,
    SyncError,
    delete_op,
    diff_works,
    new_op,
    same_geometry,
    update_op,
)
from situation_room_plugin.core.works import Work

#: The name of the conflict of a whole work (an edit against a delete): the key of its resolution.
WHOLE = "*"
GEOMETRY = "geometry"


class CaseKind(str, Enum):
    FIELDS = "fields"  # one or more fields changed differently on both sides
    EDITED_DELETED = "edited_here_deleted_there"
    DELETED_EDITED = "deleted_here_edited_there"


@dataclass(frozen=True)
class FieldConflict:
    """One conflict: a field (GEOMETRY for the footprint, WHOLE for an edit against a delete) and its three
    values (for WHOLE: the works, None where deleted)."""

    field: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Merge:
    """The merge of one work. `merged` is the result when there is no conflict (None: the work is deleted);
    with conflicts it holds the merged fields and theirs where they conflict, until `resolve`."""

    uid: str
    base: Work | None
    mine: Work | None
    theirs: Work
    theirs_deleted: bool
    merged: Work | None
    conflicts: tuple[FieldConflict, ...] = ()
    kind: CaseKind | None = None

    @property
    def clean(self) -> bool:
        return not self.conflicts


class Choice(str, Enum):
    MINE = "mine"
    THEIRS = "theirs"
    VALUE = "value"


@dataclass(frozen=True)
class Resolution:
    choice: Choice
    #: The value of a Choice.VALUE: the field's value, a footprint for GEOMETRY, a Work (or None) for WHOLE.
    value: Any = None


KEEP_MINE = Resolution(Choice.MINE)
KEEP_THEIRS = Resolution(Choice.THEIRS)


def edit(value: Any) -> Resolution:
    """A resolution with a value of one's own."""
    return Resolution(Choice.VALUE, value)


_NO_BASE = object()


def merge_work(base: Work | None, mine: Work | None, theirs: Work, theirs_deleted: bool = False,
               tolerance_m: float = GEOMETRY_TOLERANCE_M) -> Merge:
    """Merge mine (None: deleted here) and theirs (the server copy, `theirs_deleted` for a tombstone) against
    their common base (None when there is none: then every difference is a conflict)."""
    uid = theirs.uid
    if (mine is not None and mine.uid != uid) or (base is not None and base.uid != uid):
        raise ValueError(f"the merge of {uid} was given another work")
    if mine is None or theirs_deleted:
        return _merge_delete(base, mine, theirs, theirs_deleted, tolerance_m)
    values, found = merge_values(base.attributes() if base is not None else None, mine.attributes(),
                                 theirs.attributes(), SYNCED_FIELDS)
    conflicts = list(found)
    b_geometry = base.geometry if base is not None else _NO_BASE

    def same(x: Any, y: Any) -> bool:
        return x is not _NO_BASE and y is not _NO_BASE and same_geometry(x, y, tolerance_m)

    geometry, conflict = _three_way(b_geometry, mine.geometry, theirs.geometry, same)
    if conflict:
        conflicts.append(FieldConflict(GEOMETRY, base.geometry if base is not None else None, mine.geometry,
                                       theirs.geometry))
    merged = dataclasses.replace(theirs, **values, geometry=geometry)
    return Merge(uid, base, mine, theirs, False, merged, tuple(conflicts), CaseKind.FIELDS if conflicts else None)


def merge_values(base: Mapping[str, Any] | None, mine: Mapping[str, Any], theirs: Mapping[str, Any],
                 names: Iterable[str]) -> tuple[dict[str, Any], tuple[FieldConflict, ...]]:
    """The three-way merge of plain values (a work's fields, a decision's status and note): the merged values
    (theirs where they conflict) and the conflicts."""
    values: dict[str, Any] = {}
    conflicts = []
    for name in names:
        b = base.get(name) if base is not None else _NO_BASE
        m, t = mine.get(name), theirs.get(name)
        value, conflict = _three_way(b, m, t, lambda x, y: x == y)
        values[name] = value
        if conflict:
            conflicts.append(FieldConflict(name, None if b is _NO_BASE else b, m, t))
    return values, tuple(conflicts)


def resolve_values(merged: Mapping[str, Any], conflicts: Iterable[FieldConflict],
                   resolutions: Mapping[str, Resolution], record: str = "") -> dict[str, Any]:
    """`merged` with each conflict resolved (SyncError naming `record` and the field of one without a choice):
    for a decision, whose op is then `outbox.decision_op(conflict_id, theirs, result, theirs_revision)`."""
    result = dict(merged)
    for conflict in conflicts:
        if conflict.field not in resolutions:
            raise SyncError.of("sync_unresolved", record=record, field=conflict.field)
        resolution = resolutions[conflict.field]
        result[conflict.field] = {Choice.MINE: conflict.mine, Choice.THEIRS: conflict.theirs}.get(
            resolution.choice, resolution.value)
    return result


def _three_way(base: Any, mine: Any, theirs: Any, same: Any) -> tuple[Any, bool]:
    """(value, conflict) of one field; a conflict's value is theirs until it is resolved."""
    if same(mine, theirs):
        return theirs, False
    if same(mine, base):
        return theirs, False
    if same(theirs, base):
        return mine, False
    return theirs, True


def _merge_delete(base: Work | None, mine: Work | None, theirs: Work, theirs_deleted: bool,
                  tolerance_m: float) -> Merge:
    uid = theirs.uid
    if mine is None and theirs_deleted:  # deleted on both sides
        return Merge(uid, base, None, theirs, True, None)
    if mine is None:  # deleted here: fine unless they changed it since
        if base is not None and not _changed(base, theirs, tolerance_m):
            return Merge(uid, base, None, theirs, False, None)
        return Merge(uid, base, None, theirs, False, theirs, (FieldConflict(WHOLE, base, None, theirs),),
                     CaseKind.DELETED_EDITED)
    if base is not None and not _changed(base, mine, tolerance_m):  # deleted there, untouched here
        return Merge(uid, base, mine, theirs, True, None)
    return Merge(uid, base, mine, theirs, True, None, (FieldConflict(WHOLE, base, mine, None),),
                 CaseKind.EDITED_DELETED)


def _changed(base: Work, other: Work, tolerance_m: float) -> bool:
    changes, geometry = diff_works(base, other, tolerance_m)
    return bool(changes) or geometry is not None


def resolve(merge: Merge, resolutions: Mapping[str, Resolution]) -> Work | None:
    """The work as the user decided (None: deleted): every conflict needs its resolution, by field name (WHOLE
    for an edit against a delete), or SyncError names the first without one."""
    for conflict in merge.conflicts:
        if conflict.field not in resolutions:
            raise SyncError.of("sync_unresolved", record=f"uid {merge.uid}", field=conflict.field)
    if merge.kind in (CaseKind.EDITED_DELETED, CaseKind.DELETED_EDITED):
        resolution = resolutions[WHOLE]
        if resolution.choice is Choice.VALUE:
            if resolution.value is not None and not isinstance(resolution.value, Work):
                raise TypeError(f"the resolution of a whole work {merge.uid} must be a Work or None")
            return resolution.value
        if resolution.choice is Choice.MINE:
            return merge.mine
        return None if merge.theirs_deleted else merge.theirs
    if merge.merged is None:
        return None
    values: dict[str, Any] = {}
    geometry = merge.merged.geometry
    for conflict in merge.conflicts:
        resolution = resolutions[conflict.field]
        value = {Choice.MINE: conflict.mine, Choice.THEIRS: conflict.theirs}.get(resolution.choice,
                                                                              resolution.value)
        if conflict.field == GEOMETRY:
            if value is not None and not isinstance(value, BaseGeometry):
                raise TypeError(f"the footprint chosen for {merge.uid} is not a geometry")
            geometry = value
        else:
            values[conflict.field] = value
    return dataclasses.replace(merge.merged, **values, geometry=geometry)


def push_op(merge: Merge, result: Work | None, now: datetime | None = None,
            tolerance_m: float = GEOMETRY_TOLERANCE_M) -> Op | None:
    """The op that brings the server's copy (theirs, at its revision) to `result` (None: deleted); None when
    the server already holds it. A result kept over a tombstone restores the work (an update, deleted=0: the
    uid is taken, an insert would be refused)."""
    theirs = merge.theirs
    if result is None:
        return None if merge.theirs_deleted else delete_op(theirs, now)
    if result.uid != merge.uid:
        raise ValueError(f"the result of the merge of {merge.uid} is another work")
    if merge.theirs_deleted:
        changes, geometry = diff_works(theirs, result, tolerance_m)
        return new_op(OpKind.UPDATE, merge.uid, theirs.revision, changes, geometry, now=now, restore=True)
    return update_op(theirs, result, now, tolerance_m)
