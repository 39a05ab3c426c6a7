"""Schedule suggestion: every start date in a work's window ranked by its clashes, best first, with reasons;
checked against a brute force over the same dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from situation_room_plugin.core import conflicts as cf
from situation_room_plugin.core.schedule import (
    Penalty,
    ReasonPart,
    ScheduleError,
    describe,
    suggest_schedule,
)
from tests.unit.works_builder import box, day, uid, work


def planner_work(start: int = 10, end: int = 14, earliest: int = 0, latest: int = 40, **kw):
    return work(0, box(0, 0), start, end, earliest_start=day(earliest), latest_end=day(latest),
                title="Allaccio fognatura", **kw)


def test_every_start_that_fits_the_window_is_ranked_and_free_dates_come_first():
    others = [work(1, box(5, 0), 8, 20, title="Fibra via Roma", owner="estracom"),
              work(2, box(500, 0), 0, 40, title="Lontano")]
    schedule = suggest_schedule([planner_work(), *others], uid(0))
    starts = [s.start for s in schedule.suggestions]
    assert sorted(starts) == [day(n) for n in range(0, 37)]  # a 5-day work in a 41-day window
    best = schedule.suggestions[0]
    assert best.clashes == 0 and best.score == 0
    # Free starts: 0-3 (ends by day 7) and 21-36; the nearest to the planned start (day 10) wins.
    assert best.start == day(3) and best.end == day(7)
    assert describe(best.reason) == "No clash with other works. 7 days before the planned start."
    assert schedule.suggestions[1].start == day(2)
    planned = next(s for s in schedule.suggestions if s.start == day(10))
    assert planned.clashes == 1 and planned.clash_uids == (uid(1),)
    assert describe(planned.reason) == (
        "Clashes with 1 work: «Fibra via Roma» (estracom, 5 days together). The planned start."
    )
    assert [s.clashes for s in schedule.suggestions].index(1) == 20  # the 20 free starts before any clash


def test_shorter_overlaps_and_lighter_works_rank_before_heavier_ones():
    others = [work(1, box(5, 0), 0, 12, traffic_impact="all-lanes-open"),
              work(2, box(5, 0), 17, 40, traffic_impact="all-lanes-closed")]
    schedule = suggest_schedule([planner_work(latest=30), *others], uid(0))
    scores = {s.start: s.score for s in schedule.suggestions}
    assert all(s.clashes >= 1 for s in schedule.suggestions)  # the window has no free start
    assert scores[day(12)] < scores[day(13)]  # one day beside the open-lanes work beats one beside the closure
    assert schedule.suggestions[0].start == day(12)
    assert scores[day(8)] < scores[day(14)]  # 5 days beside the open-lanes work beat 2 days beside the closure
    assert scores[day(14)] < scores[day(20)]  # 2 days of closure beat 5


def test_a_work_without_a_window_gets_its_planned_dates_assessed_and_says_so():
    target = work(0, box(0, 0), 10, 14)
    schedule = suggest_schedule([target, work(1, box(5, 0), 12, 20)], uid(0))
    assert not schedule.window_given
    assert [(s.start, s.clashes) for s in schedule.suggestions] == [(day(10), 1)]


def test_cancelled_works_do_not_count_and_an_unknown_uid_is_refused():
    others = [work(1, box(5, 0), 0, 40, status="cancelled")]
    schedule = suggest_schedule([planner_work(), *others], uid(0))
    assert all(s.clashes == 0 for s in schedule.suggestions)
    with pytest.raises(ScheduleError, match="No work with uid nope"):
        suggest_schedule([planner_work()], "nope")


def test_night_work_clashes_count_less_than_day_clashes():
    target = planner_work(daily_hours="22:00-05:00", latest=30)
    others = [work(1, box(5, 0), 0, 14, daily_hours="07:00-18:00"), work(2, box(5, 0), 16, 30)]
    schedule = suggest_schedule([target, *others], uid(0))
    scores = {s.start: s.score for s in schedule.suggestions}
    assert scores[day(5)] < scores[day(20)]  # five nights beside a day work beat five days beside an all-day one


def test_an_extra_term_per_candidate_date_is_added_to_the_score_and_gives_its_reason():
    holiday = ReasonPart("Busy shopping week.")

    def shopping_week(start: date, end: date) -> Penalty:
        busy = start <= day(7) and end >= day(0)
        return Penalty(50.0, holiday) if busy else Penalty(0.0)

    others = [work(1, box(5, 0), 8, 20)]
    schedule = suggest_schedule([planner_work(), *others], uid(0), terms=[shopping_week])
    best = schedule.suggestions[0]
    assert best.start == day(21)  # 0..3 are free of clashes but in the busy week
    busy = next(s for s in schedule.suggestions if s.start == day(3))
    assert busy.score == 50 and describe(busy.reason).endswith("Busy shopping week.")


def test_road_importance_weighs_the_clashes_of_a_suggestion():
    works = [planner_work(latest=20), work(1, box(5, 0), 0, 20)]
    plain = suggest_schedule(works, uid(0))
    weighted = suggest_schedule(works, uid(0), importance={uid(0): 0.9, uid(1): 0.9})
    assert weighted.suggestions[0].score > plain.suggestions[0].score


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-40, 40), st.integers(0, 40), st.integers(0, 15)), max_size=15),
    st.integers(1, 8), st.integers(0, 30),
)
def test_clash_counts_agree_with_a_brute_force_over_every_start(others, duration, slack):
    target = work(0, box(0, 0), 0, duration - 1, earliest_start=day(0), latest_end=day(duration - 1 + slack))
    works = [target] + [work(i + 1, box(x, 0), s, s + d) for i, (x, s, d) in enumerate(others)]
    schedule = suggest_schedule(works, uid(0), cf.ConflictOptions(distance_m=20))
    got = {s.start: set(s.clash_uids) for s in schedule.suggestions}
    expected = {}
    for offset in range(slack + 1):
        start, end = day(offset), day(offset + duration - 1)
        expected[start] = {
            w.uid for w in works[1:]
            if w.start_date <= end and start <= w.end_date
            and shapely.distance(w.geometry, target.geometry) <= 20
        }
    assert got == expected
    ranked = [(s.score, s.clashes) for s in schedule.suggestions]
    assert ranked == sorted(ranked)
    assert all(s.end - s.start == timedelta(days=duration - 1) for s in schedule.suggestions)


def test_closure_interactions_add_points_for_the_days_two_closures_overlap():
    from situation_room_plugin.core.detours import PairCost
    from situation_room_plugin.core.schedule import closure_interaction_term

    partners = [work(1, box(900, 0), 20, 29, title="Ponte chiuso", owner="comune"),
                work(2, box(950, 0), 0, 40, title="Via parallela", owner="alia"),
                work(3, box(990, 0), 0, 40, title="Indipendente")]
    asked = []

    def interaction(uid_b: str):  # as the detour engine answers for these three closures
        asked.append(uid_b)
        return {uid(1): PairCost(None, None, 400.0, 50.0), uid(2): PairCost(1400.0, 170.0, 600.0, 74.0),
                uid(3): None}[uid_b]

    term = closure_interaction_term(partners, interaction)
    target = planner_work(latest=50)
    schedule = suggest_schedule([target, *partners], uid(0), terms=[term])
    by_start = {s.start: s for s in schedule.suggestions}
    # Alone with the parallel street for 5 days: 96 s more, 80 points, scaled by 0.5 + 0.5 * 5/30.
    assert by_start[day(10)].score == pytest.approx(80 * (0.5 + 0.5 * 5 / 30), abs=0.1)
    assert describe(by_start[day(10)].reason).endswith(
        "Closed at the same time as «Via parallela» (alia, 5 days): detours take 96 s longer than apart."
    )
    # With the bridge closed too, no detour is left: the worst candidates.
    assert "no detour left" in describe(by_start[day(20)].reason)
    assert by_start[day(20)].score > by_start[day(10)].score
    assert schedule.suggestions[0].start >= day(41)  # after both, with no interaction
    assert sorted(asked) == [uid(1), uid(2), uid(3)]  # once per partner, whatever the number of candidates


def test_on_a_road_graph_a_closure_avoids_the_days_another_closure_lengthens_its_detour():
    from situation_room_plugin.core.detours import DetourEngine
    from situation_room_plugin.core.roads import build_graph
    from situation_room_plugin.core.schedule import closure_terms
    from tests.unit.road_helpers import grid, street_footprint

    engine = DetourEngine(build_graph(grid()))
    # The planned work closes a block of row 2; the other closes the blocks above and below it, which are
    # the two ways round: together they leave a detour of 500 m instead of 300 m (see test_detours).
    planned = work(0, street_footprint((130, 200), (160, 200)), 10, 14, earliest_start=day(0),
                   latest_end=day(40), title="Allaccio fognatura")
    other = work(1, shapely.union(street_footprint((130, 300), (160, 300)), street_footprint((130, 100), (160, 100))),
                 20, 29, title="Rete gas", owner="toscana_energia")
    far = work(2, street_footprint((330, 0), (360, 0)), 0, 40, title="Lontano")  # closes a road elsewhere
    works = [planned, other, far]
    terms = closure_terms(engine, works, planned.uid)
    assert len(terms) == 1
    schedule = suggest_schedule(works, planned.uid, terms=terms)
    by_start = {s.start: s for s in schedule.suggestions}
    # the footprints are 100 m apart: no clash, only the closure interaction scores
    assert all(s.clashes == 0 for s in schedule.suggestions)
    assert by_start[day(10)].score == 0 and by_start[day(30)].score == 0
    assert by_start[day(20)].score > 0 and by_start[day(16)].score > 0  # 16..20 overlaps day 20
    assert "«Rete gas» (toscana_energia, 5 days): detours take" in describe(by_start[day(20)].reason)
    assert "Lontano" not in describe(by_start[day(20)].reason)
    assert all(s.score == 0 for s in schedule.suggestions[:5])


def test_a_work_that_closes_no_road_gets_no_closure_term():
    from situation_room_plugin.core.detours import DetourEngine
    from situation_room_plugin.core.roads import build_graph
    from situation_room_plugin.core.schedule import closure_terms
    from tests.unit.road_helpers import grid, street_footprint

    engine = DetourEngine(build_graph(grid()))
    planned = work(0, street_footprint((130, 200), (160, 200)), 10, 14, traffic_impact="all-lanes-open")
    other = work(1, street_footprint((130, 300), (160, 300)), 20, 29)
    assert closure_terms(engine, [planned, other], planned.uid) == []
