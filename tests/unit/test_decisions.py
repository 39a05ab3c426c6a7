"""Decisions on conflicts: kept across runs in the project store, and marked gone (never deleted with
their note) when a conflict disappears."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from situation_room_plugin.core import conflicts as cf
from situation_room_plugin.core.conflicts import ConflictKind, PlaceArrays
from situation_room_plugin.qgis_io.decisions import gone_decisions, load_decisions, record_run, set_decision
from situation_room_plugin.qgis_io.store import Store
from tests.unit.works_builder import box, day, uid, work

TODAY = date(2026, 2, 1)


def run(store, works, today=TODAY, analysed=None, **layers):
    detection = cf.detect(works, **layers)
    conflicts = detection.conflicts(with_geometry=False)
    uids = analysed if analysed is not None else [w.uid for w in works]
    return conflicts, record_run(store, conflicts, detection.checked, uids, today)[0]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.gpkg") as opened:
        yield opened


def clash_id(a: int, b: int) -> str:
    return cf.conflict_id(ConflictKind.CLASH, uid(a), uid(b))


def test_a_new_conflict_starts_open_and_a_decision_survives_the_next_run(store):
    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    conflicts, decisions = run(store, works)
    (clash,) = [c for c in conflicts if c.kind == "clash"]
    assert decisions[clash.conflict_id].status == "open" and decisions[clash.conflict_id].first_seen == TODAY
    set_decision(store, clash.conflict_id, "accepted", "Concordato: Publiacqua lavora di notte", "m.rossi")
    _, decisions = run(store, works, TODAY + timedelta(days=1))
    kept = decisions[clash.conflict_id]
    assert (kept.status, kept.note, kept.updated_by) == ("accepted", "Concordato: Publiacqua lavora di notte",
                                                         "m.rossi")
    assert kept.first_seen == TODAY and kept.last_seen == TODAY + timedelta(days=1)


def test_a_conflict_that_disappears_is_marked_gone_with_its_note_and_comes_back_with_it(store):
    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    run(store, works)
    set_decision(store, clash_id(0, 1), "acknowledged", "Sentiti entrambi gli enti")
    moved = [works[0], work(1, box(5, 0), 20, 30)]  # work 1 rescheduled: no more clash
    _, decisions = run(store, moved, TODAY + timedelta(days=3))
    assert clash_id(0, 1) not in decisions
    (gone,) = [d for d in gone_decisions(store) if d.conflict_id == clash_id(0, 1)]
    assert gone.gone_since == TODAY + timedelta(days=3) and gone.note == "Sentiti entrambi gli enti"
    _, decisions = run(store, works, TODAY + timedelta(days=5))  # back to the old dates
    back = decisions[clash_id(0, 1)]
    assert back.gone_since is None and back.status == "acknowledged" and back.note == "Sentiti entrambi gli enti"


def test_a_run_over_other_works_or_without_a_layer_leaves_other_decisions_alone(store):
    school = PlaceArrays.build([box(0, 25).geoms[0]], ["schools:1"], ["Scuola"], ["school"])
    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15), work(2, box(900, 0), 0, 9),
             work(3, box(905, 0), 0, 9)]
    run(store, works, sensitive=school)
    sensitive_id = cf.conflict_id(ConflictKind.SENSITIVE, uid(0), "schools:1")
    assert set(load_decisions(store)) >= {clash_id(0, 1), clash_id(2, 3), sensitive_id}
    # Only works 2 and 3 analysed, and no sensitive layer: nothing about work 0 and 1 or the school is gone.
    run(store, works[2:], TODAY + timedelta(days=1))
    assert gone_decisions(store) == []
    # Work 1 cancelled: it is analysed (left out by its status), so its clash is gone.
    run(store, [works[0], work(1, box(5, 0), 5, 15, status="cancelled"), *works[2:]], TODAY + timedelta(days=2))
    assert [d.conflict_id for d in gone_decisions(store)] == [clash_id(0, 1)]


def test_decisions_survive_closing_and_reopening_the_store(tmp_path):
    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    with Store.open(tmp_path / "p.gpkg") as store:
        run(store, works)
        set_decision(store, clash_id(0, 1), "resolved", "Spostato a maggio")
    with Store.open(tmp_path / "p.gpkg") as store:
        decision = load_decisions(store)[clash_id(0, 1)]
    assert (decision.status, decision.note, decision.kind) == ("resolved", "Spostato a maggio", "clash")
    assert decision.updated_at is not None


def test_an_unknown_status_or_conflict_is_refused_with_a_clear_message(store):
    run(store, [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)])
    with pytest.raises(ValueError, match="'closed' is not a conflict status"):
        set_decision(store, clash_id(0, 1), "closed")
    with pytest.raises(KeyError, match="run the conflict detection first"):
        set_decision(store, clash_id(5, 6), "accepted")


def test_the_day_numbers_of_the_engine_are_the_dates_of_the_works():
    assert cf.from_day_number(day(3).toordinal()) == day(3)
    assert cf.from_day_number(cf.NO_END) is None and cf.from_day_number(cf.NO_START) is None


def test_a_detection_on_a_store_older_than_the_decisions_reads_none_and_its_run_upgrades_it(tmp_path, monkeypatch):
    from situation_room_plugin.qgis_io import schema

    path = tmp_path / "old.gpkg"
    with monkeypatch.context() as patch:  # a store made before conflict decisions existed
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        Store.open(path).close()
    before = path.read_bytes()
    with Store.open(path, create=False) as store:
        assert load_decisions(store) == {} and gone_decisions(store) == []
        assert path.read_bytes() == before
        run(store, [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)])
        assert store.pending_migrations == []
        assert load_decisions(store)[clash_id(0, 1)].status == "open"


def test_a_note_the_store_cannot_hold_is_refused_naming_the_conflict_and_the_decision_is_kept(store):
    from situation_room_plugin.qgis_io.store import StoreError

    run(store, [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)])
    set_decision(store, clash_id(0, 1), "acknowledged", "Sentiti")
    with pytest.raises(StoreError) as raised:
        set_decision(store, clash_id(0, 1), "resolved", "rotto \udc80")
    assert (raised.value.problem.field, raised.value.problem.code) == ("note", "bad_text")
    assert clash_id(0, 1) in raised.value.problem.record
    kept = load_decisions(store)[clash_id(0, 1)]
    assert (kept.status, kept.note) == ("acknowledged", "Sentiti")
