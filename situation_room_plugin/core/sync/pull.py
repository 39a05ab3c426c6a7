"""Pulling: what the server changed since the last cursor, page by page, and what each server copy that
arrives means for the local work.

A pull asks for the records with server_seq above the cursor minus a safety window (a write whose
server_seq was taken before another's may commit after it: the window reads such a late one again), in
server_seq order, a page at a time, each page after the last server_seq of the one before; it ends at an
empty page (a short page may only be the server's own cap). Reading a record twice is harmless: a copy
no newer than the base is recognised as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from situation_room_plugin.core.sync.settle import Copy

#: server_seq values read again below the cursor at each pull.
SAFETY_WINDOW = 100


def first_after(cursor: int, window: int = SAFETY_WINDOW) -> int:
    """The server_seq the first page of a pull starts after."""
    return max(0, cursor - window)


def next_after(after: int, page: Iterable[Copy]) -> int | None:
    """The server_seq the next page starts after; None when this page was empty (the pull is done)."""
    seqs = [copy.server_seq for copy in page]
    if not seqs:
        return None
    last = max(seqs)
    if last <= after:
        raise ValueError(f"a page after server_seq {after} ends at {last}: the server ignores the filter")
    return last


def new_cursor(cursor: int, pulled: Iterable[Copy]) -> int:
    """The cursor after a pull: the highest server_seq seen (never lower than before)."""
    return max([cursor, *(copy.server_seq for copy in pulled)])


class Arrival(str, Enum):
    NEW = "new"  # a work not here yet: add it
    UPDATED = "updated"  # a newer copy of a work unchanged here: take it
    DELETED = "deleted"  # a tombstone of a work unchanged here: remove it
    SAME = "same"  # the copy already here (the safety window, or our own op): nothing to do
    MERGE = "merge"  # a newer copy of a work changed here: three-way merge (merge.py)
    WAIT = "wait"  # an op of the work is in flight: its push settles it first


def arrival(base: Copy | None, changed_here: bool, in_flight: bool, copy: Copy) -> Arrival:
    """What a pulled copy means, given the base copy kept here (None: none), whether the work has local
    changes waiting (pending or refused ops) and whether one of its ops is in flight."""
    if in_flight:
        return Arrival.WAIT
    if base is not None and (copy.revision < base.revision
                             or (copy.revision == base.revision and copy.deleted == base.deleted)):
        return Arrival.SAME
    if base is None and copy.deleted and not changed_here:
        return Arrival.SAME  # never seen, already gone
    if changed_here:
        return Arrival.MERGE
    if copy.deleted:
        return Arrival.DELETED
    return Arrival.NEW if base is None else Arrival.UPDATED
