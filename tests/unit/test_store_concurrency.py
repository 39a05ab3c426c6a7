"""Several QGIS or processes on one store: creating it at once, a write lock held too long, and a decision
taken while a detection run writes. Real processes and real SQLite locks; no timing is asserted."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.qgis_io.decisions import load_decisions, record_run, set_decision
from situation_room_plugin.qgis_io.schema import SCHEMA_VERSION
from situation_room_plugin.qgis_io.store import Store, StoreError
from tests.conftest import ROOT
from tests.unit.test_decisions import clash_id
from tests.unit.test_store import make_works
from tests.unit.works_builder import box, work

CREATORS = 4
TRIES = 20


def _create_stores(folder: str, barrier, results) -> None:
    """In a worker process: at each try, wait for the other creators, then create the same new store."""
    for attempt in range(TRIES):
        barrier.wait()
        try:
            with Store.open(Path(folder) / f"new{attempt}.gpkg") as store:
                store.count_works()
            results.put((attempt, "ok"))
        except Exception as error:  # noqa: BLE001 - reported to the test, which names it
            results.put((attempt, f"{type(error).__name__}: {error}"))


def test_four_processes_creating_the_same_new_store_at_once_all_succeed(tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(CREATORS), context.Queue()
    workers = [context.Process(target=_create_stores, args=(str(tmp_path), barrier, results))
               for _ in range(CREATORS)]
    for worker in workers:
        worker.start()
    outcomes = [results.get() for _ in range(CREATORS * TRIES)]
    for worker in workers:
        worker.join()
    assert [worker.exitcode for worker in workers] == [0] * CREATORS
    assert [outcome for outcome in outcomes if outcome[1] != "ok"] == []
    for attempt in range(TRIES):
        with Store.open(tmp_path / f"new{attempt}.gpkg", create=False) as store:
            assert store.schema_version == SCHEMA_VERSION and store.pending_migrations == []
            assert len(list(store.owners())) == len(list(OwnerRegistry()))  # seeded once


class LockHolder:
    """Another process holding the store's lock (`BEGIN IMMEDIATE`: the write lock; `BEGIN EXCLUSIVE`: no
    reader either) until it is told to let go."""

    def __init__(self, path: Path, begin: str = "BEGIN IMMEDIATE") -> None:
        script = textwrap.dedent(f"""
            import sqlite3, sys
            conn = sqlite3.connect({str(path)!r}, isolation_level=None)
            conn.execute({begin!r})
            conn.execute("UPDATE owners SET name = name")
            print("holding", flush=True)
            sys.stdin.readline()
            conn.execute("ROLLBACK")
            """)
        self.process = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "holding"

    def release(self) -> None:
        self.process.communicate("go\n")
        assert self.process.returncode == 0


def test_a_write_lock_held_by_another_process_past_the_timeout_is_a_store_error_naming_the_store(tmp_path):
    path = tmp_path / "p.gpkg"
    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    with Store.open(path) as store:
        store.write_works(make_works(1))
    holder = LockHolder(path)
    try:
        with Store.open(path, timeout=0.05) as store:
            assert store.count_works() == 1  # reading is not held up by a writer
            for write in (lambda: store.write_works(make_works(2)),
                          lambda: record_run(store, [], ["clash"], [w.uid for w in works])):
                with pytest.raises(StoreError) as raised:
                    write()
                assert raised.value.problem.code == "store_locked"
                assert str(raised.value).startswith(f"{path}: Another QGIS or another process is writing")
                assert "try again" in str(raised.value)
    finally:
        holder.release()
    with Store.open(path) as store:  # the lock let go: the same write goes through
        assert store.write_works(make_works(2)).written == 2


def test_reading_a_store_another_process_holds_exclusively_is_a_store_error(tmp_path):
    path = tmp_path / "p.gpkg"
    Store.open(path).close()
    holder = LockHolder(path, "BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as raised:
            with Store.open(path, create=False, timeout=0.05) as store:
                store.read_works()
        assert raised.value.problem.code == "store_locked"
    finally:
        holder.release()


def _conflicts_that_let_another_process_decide(path: Path, conflict_id: str, conflicts: list, child: list):
    """The conflicts of a run, handed over only after another process has tried to set a decision on one
    of them: it has either written it (the run has not locked the decisions) or found the store locked."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from situation_room_plugin.qgis_io.decisions import set_decision
        from situation_room_plugin.qgis_io.store import Store, StoreError
        try:
            with Store.open({str(path)!r}, timeout=0) as store:
                set_decision(store, {conflict_id!r}, "accepted", "Concordato al telefono", "l.bianchi")
        except StoreError as error:
            assert error.problem.code == "store_locked", error
            print("blocked", flush=True)
            with Store.open({str(path)!r}) as store:  # waits for the run
                set_decision(store, {conflict_id!r}, "accepted", "Concordato al telefono", "l.bianchi")
        print("done", flush=True)
        """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child.append(process)
    child.append(process.stdout.readline().strip())
    yield from conflicts


def test_a_decision_taken_by_another_process_during_a_detection_run_is_kept(tmp_path):
    from datetime import date

    from situation_room_plugin.core import conflicts as cf

    path = tmp_path / "p.gpkg"
    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    detection = cf.detect(works)
    conflicts = detection.conflicts(with_geometry=False)
    with Store.open(path) as store:
        record_run(store, conflicts, detection.checked, [w.uid for w in works], date(2026, 2, 1))
        child: list = []
        found = _conflicts_that_let_another_process_decide(path, clash_id(0, 1), conflicts, child)
        record_run(store, found, detection.checked, [w.uid for w in works], date(2026, 2, 2))
    process, first = child
    rest, _ = process.communicate()
    assert process.returncode == 0
    assert (first, rest.strip()) == ("blocked", "done")  # the run held the decisions while it wrote them
    with Store.open(path, create=False) as store:
        decision = load_decisions(store)[clash_id(0, 1)]
    assert (decision.status, decision.note, decision.updated_by) == ("accepted", "Concordato al telefono",
                                                                     "l.bianchi")
    assert decision.last_seen == date(2026, 2, 2)  # and the run's own change is there too


def test_setting_a_decision_changes_only_what_it_is_given(tmp_path):
    from datetime import date

    from situation_room_plugin.core import conflicts as cf

    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    detection = cf.detect(works)
    with Store.open(tmp_path / "p.gpkg") as store:
        record_run(store, detection.conflicts(with_geometry=False), detection.checked, [w.uid for w in works],
                   date(2026, 2, 1))
        set_decision(store, clash_id(0, 1), "acknowledged", "Prima nota")
        with store.transaction() as conn:  # another writer moves the run's dates meanwhile
            conn.execute("UPDATE conflict_decisions SET last_seen = '2026-03-01'")
        decision = set_decision(store, clash_id(0, 1), "resolved")
    assert (decision.status, decision.note, decision.last_seen) == ("resolved", "Prima nota", date(2026, 3, 1))


def test_a_feed_copy_is_staged_while_another_process_writes_and_put_in_place_after(tmp_path):
    from situation_room_plugin.qgis_io import feed_cache
    from tests.unit.test_feed_cache import source, works

    path = tmp_path / "p.gpkg"
    Store.open(path).close()
    holder = LockHolder(path)
    try:
        with Store.open(path, timeout=0.05) as store:
            new = feed_cache.NewCopy(store, source("pa"))
            new.add_works(works("pa", 3, 668_000))  # staged without the store's lock
            with pytest.raises(StoreError) as raised:
                new.replace([])
            assert raised.value.problem.code == "store_locked"
    finally:
        holder.release()
    with Store.open(path) as store:
        assert store.read_shared_works().works == []  # nothing half written
        new = feed_cache.NewCopy(store, source("pa"))
        new.add_works(works("pa", 3, 668_000))
        assert new.replace([]).work_count == 3
