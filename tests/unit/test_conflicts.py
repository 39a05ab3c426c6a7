"""Conflict detection: hand-checked cases a coordinator would check, and a property test of every kind
against a brute-force all-pairs reference on random works."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from situation_room_plugin.core import conflicts as cf
from situation_room_plugin.core.conflicts import ConflictKind, ConflictOptions, PlaceArrays, WorkArrays
from situation_room_plugin.core.progress import CancelledError
from tests.unit.factories import PRATO_X, PRATO_Y
from tests.unit.works_builder import box, day, uid, work


def pairs(found: cf.Found, works: WorkArrays) -> set[tuple[str, str]]:
    return {(works.works[a].uid, works.works[b].uid) for a, b in zip(found.a, found.b)}


def clashes_of(works, **options):
    arrays = WorkArrays.from_works(works, options.pop("include_inactive", False))
    return cf.find_clashes(arrays, ConflictOptions(**options)), arrays


# -- clashes ----------------------------------------------------------------------------------------------


def test_works_touching_in_time_clash_for_one_day_and_a_day_later_they_do_not():
    works = [work(0, box(0, 0), 0, 10), work(1, box(5, 5), 10, 20), work(2, box(5, 5), 11, 20)]
    found, arrays = clashes_of(works)
    assert pairs(found, arrays) == {(uid(0), uid(1)), (uid(1), uid(2))}
    first = 0 if (arrays.works[found.a[0]].uid, arrays.works[found.b[0]].uid) == (uid(0), uid(1)) else 1
    assert cf.from_day_number(found.overlap_start[first]) == day(10)
    assert cf.from_day_number(found.overlap_end[first]) == day(10)


def test_two_one_day_works_on_the_same_day_clash_and_on_consecutive_days_do_not():
    works = [work(0, box(0, 0), 3, 3), work(1, box(0, 0), 3, 3), work(2, box(0, 0), 4, 4)]
    found, arrays = clashes_of(works)
    assert pairs(found, arrays) == {(uid(0), uid(1))}


def test_identical_footprints_clash_at_distance_zero_with_the_whole_footprint_shared():
    works = [work(0, box(0, 0, 30, 6), 0, 5), work(1, box(0, 0, 30, 6), 2, 8)]
    detection = cf.detect(works)
    (conflict,) = [c for c in detection.conflicts() if c.kind == "clash"]
    assert conflict.distance_m == 0
    assert conflict.geometry.area == pytest.approx(180)
    assert (conflict.overlap_start, conflict.overlap_end) == (day(2), day(5))


def test_footprints_apart_give_the_shortest_line_between_them_as_geometry():
    works = [work(0, box(0, 0), 0, 5), work(1, box(25, 0), 0, 5)]
    (conflict,) = [c for c in cf.detect(works).conflicts() if c.kind == "clash"]
    assert conflict.distance_m == pytest.approx(15)
    assert conflict.geometry.geom_type == "LineString" and conflict.geometry.length == pytest.approx(15)


def test_the_distance_threshold_is_inclusive_and_exact_not_by_envelope():
    # 19.9 m apart: a clash; 20.1 m apart: none; diagonal neighbours whose envelopes grown by 20 m meet
    # but which are 28 m apart: none.
    works = [work(0, box(0, 0), 0, 5), work(1, box(29.9, 0), 0, 5), work(2, box(-30.1, 0), 0, 5),
             work(3, box(30, 30.5), 0, 5)]
    found, arrays = clashes_of(works, distance_m=20)
    assert pairs(found, arrays) == {(uid(0), uid(1))}
    found, arrays = clashes_of(works, distance_m=0)
    assert len(found) == 0


def test_a_multipolygon_footprint_clashes_through_any_of_its_parts():
    two_parts = shapely.MultiPolygon([box(0, 0).geoms[0], box(500, 0).geoms[0]])
    works = [work(0, two_parts, 0, 5), work(1, box(505, 5), 0, 5), work(2, box(250, 0), 0, 5)]
    found, arrays = clashes_of(works)
    assert pairs(found, arrays) == {(uid(0), uid(1))}


def test_an_invalid_bow_tie_footprint_is_repaired_and_still_clashes():
    x, y = PRATO_X, PRATO_Y
    bow_tie = shapely.Polygon([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10), (x, y)])
    assert not bow_tie.is_valid
    works = [work(0, bow_tie, 0, 5), work(1, box(9, 4, 5, 2), 0, 5)]
    detection = cf.detect(works)
    clashes = [c for c in detection.conflicts() if c.kind == "clash"]
    assert len(clashes) == 1 and clashes[0].geometry.area > 0


def test_cancelled_and_completed_works_are_left_out_unless_asked_for():
    works = [work(0, box(0, 0), 0, 5), work(1, box(0, 0), 0, 5, status="cancelled"),
             work(2, box(0, 0), 0, 5, status="completed")]
    found, arrays = clashes_of(works)
    assert len(found) == 0 and arrays.left_out == 2
    found, arrays = clashes_of(works, include_inactive=True)
    assert len(found) == 3


def test_night_work_against_day_work_is_a_clash_of_lower_severity():
    day_work = work(0, box(0, 0), 0, 9, daily_hours="08:00-17:00")
    night_work = work(1, box(0, 0), 0, 9, daily_hours="22:00-06:00")
    evening_work = work(2, box(0, 0), 0, 9, daily_hours="16:00-20:00")
    after_hours = work(3, box(0, 0), 0, 9, daily_hours="17:00-22:00")
    found, arrays = clashes_of([day_work, night_work, evening_work, after_hours])
    severity = {(arrays.works[a].uid, arrays.works[b].uid): s for a, b, s in zip(found.a, found.b, found.severity)}
    assert len(severity) == 6  # every pair clashes: same place, same days
    full = severity[(uid(0), uid(2))]  # 16:00-17:00 shared
    assert severity[(uid(0), uid(1))] == pytest.approx(0.3 * full, abs=0.1)
    assert severity[(uid(0), uid(3))] == pytest.approx(0.3 * full, abs=0.1)  # 17:00 ends one, starts the other
    assert severity[(uid(1), uid(3))] == pytest.approx(0.3 * full, abs=0.1)  # 22:00 likewise
    assert severity[(uid(2), uid(3))] == pytest.approx(full)


def test_a_work_without_daily_hours_works_all_day_and_meets_every_shift():
    found, _ = clashes_of([work(0, box(0, 0), 0, 9), work(1, box(0, 0), 0, 9, daily_hours="22:00-06:00")])
    alone, _ = clashes_of([work(0, box(0, 0), 0, 9), work(1, box(0, 0), 0, 9)])
    assert found.severity[0] == alone.severity[0]


def test_severity_grows_with_traffic_impact_road_importance_and_overlap_days():
    def severity(impact_b: str = "all-lanes-closed", days: int = 30, importance: float = 0.5) -> float:
        works = [work(0, box(0, 0), 0, 40), work(1, box(0, 0), 0, days - 1, traffic_impact=impact_b)]
        arrays = WorkArrays.from_works(works)
        arrays.importance[:] = importance
        return float(cf.find_clashes(arrays).severity[0])

    assert severity() > severity("some-lanes-closed") > severity("all-lanes-open")
    assert severity(importance=1.0) > severity(importance=0.5) > severity(importance=0.0)
    assert severity(days=30) > severity(days=10) > severity(days=1)
    assert severity(days=60) == severity(days=30)  # a month or more is as bad as it gets
    assert severity(importance=1.0, days=41) == 100.0


def test_road_importance_is_that_of_the_most_important_road_a_footprint_touches():
    footprints = np.asarray([box(0, 0), box(100, 100), box(500, 500)], dtype=object)
    y = PRATO_Y + 5
    roads = np.asarray([
        shapely.LineString([(PRATO_X - 50, y), (PRATO_X + 50, y)]),
        shapely.LineString([(PRATO_X + 5, PRATO_Y - 50), (PRATO_X + 5, PRATO_Y + 150)]),
        shapely.LineString([(PRATO_X + 105, PRATO_Y), (PRATO_X + 105, PRATO_Y + 200)]),
    ], dtype=object)
    importance = cf.road_importance(footprints, roads, ["residential", "primary", "secondary_link"])
    assert importance.tolist() == [0.9, 0.75, cf.OFF_ROAD_IMPORTANCE]


# -- opportunities ----------------------------------------------------------------------------------------


def test_works_on_the_same_stretch_within_the_window_could_dig_once():
    works = [
        work(0, box(0, 0), 0, 9),
        work(1, box(15, 0), 10 + 179, 200, work_type="resurfacing", excavation=False),  # gap 180: in
        work(2, box(-15, 0), 10 + 180, 200),  # gap 181: out
        work(3, box(300, 0), 20, 30),  # too far
    ]
    arrays = WorkArrays.from_works(works)
    found = cf.find_opportunities(arrays, ConflictOptions(opportunity_days=180))
    assert pairs(found, arrays) == {(uid(0), uid(1))}
    assert found.gap_days.tolist() == [180]
    assert cf.find_opportunities(arrays, ConflictOptions(opportunity_days=181)).gap_days.tolist() == [180, 181]


def test_no_opportunity_when_neither_work_digs_or_when_they_overlap():
    works = [
        work(0, box(0, 0), 0, 9, work_type="event", excavation=False),
        work(1, box(0, 0), 20, 29, work_type="resurfacing", excavation=False),
        work(2, box(0, 0), 5, 25),  # overlaps both: clashes, not opportunities
    ]
    arrays = WorkArrays.from_works(works)
    assert len(cf.find_opportunities(arrays)) == 0
    assert len(cf.find_clashes(arrays)) == 2


def test_the_closer_two_excavations_follow_each_other_the_more_an_opportunity_is_worth():
    works = [work(0, box(0, 0), 0, 9), work(1, box(0, 0), 11, 12), work(2, box(100, 0), 0, 9),
             work(3, box(100, 0), 100, 101), work(4, box(200, 0), 0, 9),
             work(5, box(200, 0), 11, 12, excavation=False, work_type="resurfacing")]
    arrays = WorkArrays.from_works(works)
    found = cf.find_opportunities(arrays)
    by_pair = {p: s for p, s in zip(zip(found.a.tolist(), found.b.tolist()), found.severity.tolist())}
    assert by_pair[(0, 1)] > by_pair[(2, 3)]
    assert by_pair[(0, 1)] > by_pair[(4, 5)]


# -- moratoria, sensitive places, parking ----------------------------------------------------------------


def line(*points: tuple[float, float]) -> shapely.LineString:
    return shapely.LineString([(PRATO_X + x, PRATO_Y + y) for x, y in points])


def point(x: float, y: float) -> shapely.Point:
    return shapely.Point(PRATO_X + x, PRATO_Y + y)


def test_an_excavation_in_a_protected_street_before_its_date_breaks_the_moratorium():
    protected = PlaceArrays.build([line((-50, 5), (50, 5))], ["resurfaced:1"], ["Via Roma"], ["resurfaced"],
                                  ends=[day(100)])
    works = [
        work(0, box(0, 0), 90, 110),  # starts before the end of the protection
        work(1, box(0, 0), 101, 110),  # after it
        work(2, box(20, 0), 0, 10, work_type="resurfacing", excavation=False),  # does not dig
        work(3, box(0, 7), 0, 10),  # on the street (2 m tolerance from the centreline at y=5 ... y=7)
        work(4, box(0, 20), 0, 10),  # a parallel street
    ]
    arrays = WorkArrays.from_works(works)
    found = cf.find_moratoria(arrays, protected)
    assert {arrays.works[a].uid for a in found.a} == {uid(0), uid(3)}
    row = found.a.tolist().index(0)
    assert cf.from_day_number(found.overlap_end[row]) == day(100)
    assert found.severity[found.a.tolist().index(3)] > found.severity[row]  # earlier in the protection: worse


def test_a_work_near_a_school_conflicts_all_year_and_near_an_event_only_on_its_days():
    places = PlaceArrays.build(
        [point(0, 25), box(200, 0, 50, 50).geoms[0], line((400, -100), (400, 100))],
        ["schools:1", "events:7", "bus:3"], ["Scuola Mazzoni", "Festa", "Fermata"],
        ["school", "event", "bus_stop"],
        starts=[None, day(20), None], ends=[None, day(22), None],
    )
    works = [work(0, box(0, 0), 0, 9), work(1, box(210, 60), 0, 9), work(2, box(210, 60), 22, 30),
             work(3, box(415, 0), 0, 5), work(4, box(425, 0), 0, 5)]
    arrays = WorkArrays.from_works(works)
    found = cf.find_sensitive(arrays, places, ConflictOptions(distance_m=20))
    assert {(arrays.works[a].uid, places.keys[b]) for a, b in zip(found.a, found.b)} == {
        (uid(0), "schools:1"), (uid(2), "events:7"), (uid(3), "bus:3")
    }
    event_row = found.b.tolist().index(1)
    assert (cf.from_day_number(found.overlap_start[event_row]), cf.from_day_number(found.overlap_end[event_row])) \
        == (day(22), day(22))


def test_parking_spaces_lost_from_lots_kerbside_lanes_and_stalls():
    lot = box(0, 0, 20, 20).geoms[0]  # 400 m2
    parking = PlaceArrays.build(
        [lot, box(100, 0, 10, 12.5).geoms[0], line((200, 0), (255, 0)), point(300, 5), point(305, 5),
         point(400, 5)],
        [f"p:{i}" for i in range(6)],
        capacity=[40, None, None, None, 3, None],
    )
    works = [
        work(0, box(10, 0, 10, 20), 0, 9),  # half the lot: 20 of 40
        work(1, box(100, 0, 10, 12.5), 0, 4),  # a whole 125 m2 lot without capacity: 10 spaces
        work(2, box(200, -2, 11, 4), 5, 9),  # 11 m of kerbside lane: 2 spaces
        work(3, box(298, 0, 10, 10), 3, 3),  # two stalls: one single, one of three
        work(4, box(410.1, 0), 0, 9),  # near, not on: no space lost
        work(5, box(20, 0), 0, 9),  # touches the lot's edge: no space lost
    ]
    arrays = WorkArrays.from_works(works)
    found = cf.find_parking(arrays, parking)
    lost = {(int(a), int(b)): s for a, b, s in zip(found.a, found.b, found.spaces_lost)}
    assert lost == {(0, 0): 20, (1, 1): 10, (2, 2): 2, (3, 3): 1, (3, 4): 3}
    by_day = {d: (spaces, n) for d, spaces, n in cf.parking_by_day(found)}
    assert by_day[day(0)] == (30, 2)
    assert by_day[day(3)] == (34, 3)
    assert by_day[day(5)] == (22, 2)
    assert day(10) not in by_day


# -- ids, progress, one pass -----------------------------------------------------------------------------


def test_conflict_ids_are_stable_whatever_the_order_of_the_works():
    works = [work(i, box(10 * i, 0), i, i + 5) for i in range(6)]
    first = {(c.kind, frozenset((c.uid_a, c.uid_b))): c.conflict_id for c in cf.detect(works).conflicts(False)}
    second = {(c.kind, frozenset((c.uid_a, c.uid_b))): c.conflict_id
              for c in cf.detect(list(reversed(works))).conflicts(False)}
    assert first == second and len(first) > 3
    assert cf.conflict_id("clash", uid(0), uid(1)) == cf.conflict_id("clash", uid(1), uid(0))
    assert cf.conflict_id("clash", uid(0), uid(1)) != cf.conflict_id("opportunity", uid(0), uid(1))


def test_detection_stops_when_the_progress_callback_cancels():
    works = [work(i, box(i, 0), i, i + 40) for i in range(50)]
    seen: list[float] = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction >= 0.2:
            raise CancelledError

    with pytest.raises(CancelledError):
        cf.detect(works, progress=progress)
    assert seen and max(seen) < 0.9  # stopped on the way, not at the end


def test_detection_checks_only_the_kinds_whose_layers_were_given():
    detection = cf.detect([work(0, box(0, 0), 0, 5)])
    assert detection.checked == {ConflictKind.CLASH, ConflictKind.OPPORTUNITY}


# -- property test against brute force -----------------------------------------------------------------


HOURS = ["", "", "08:00-17:00", "22:00-06:00", "17:00-22:00", "12:00-13:00,20:00-21:00"]


@st.composite
def scenarios(draw):
    n = draw(st.integers(0, 40))
    works = []
    for i in range(n):
        x, y = draw(st.integers(0, 150)), draw(st.integers(0, 150))
        w, h = draw(st.integers(1, 30)), draw(st.integers(1, 30))
        parts = [shapely.box(PRATO_X + x, PRATO_Y + y, PRATO_X + x + w, PRATO_Y + y + h)]
        if draw(st.booleans()) and draw(st.booleans()):
            parts.append(shapely.box(PRATO_X + x + 60, PRATO_Y + y, PRATO_X + x + 62, PRATO_Y + y + 2))
        start = draw(st.integers(0, 120))
        end = start + draw(st.integers(0, 25))
        works.append(work(i, shapely.MultiPolygon(parts), start, end, excavation=draw(st.booleans()),
                          daily_hours=draw(st.sampled_from(HOURS)),
                          status=draw(st.sampled_from(["planned", "planned", "cancelled"]))))
    places = []
    for _ in range(draw(st.integers(0, 8))):
        x, y = draw(st.integers(0, 150)), draw(st.integers(0, 150))
        shape = draw(st.sampled_from(["point", "line", "box"]))
        geom = {
            "point": shapely.Point(PRATO_X + x, PRATO_Y + y),
            "line": shapely.LineString([(PRATO_X + x, PRATO_Y + y), (PRATO_X + x + 40, PRATO_Y + y + 3)]),
            "box": shapely.box(PRATO_X + x, PRATO_Y + y, PRATO_X + x + 25, PRATO_Y + y + 15),
        }[shape]
        start = draw(st.one_of(st.none(), st.integers(0, 120)))
        end = draw(st.one_of(st.none(), st.integers(start or 0, 150)))
        places.append((geom, start, end))
    options = ConflictOptions(
        distance_m=draw(st.integers(0, 25)) + 0.5,  # never a tie with a distance between integer boxes
        opportunity_days=draw(st.integers(0, 60)),
        slab_days=draw(st.integers(1, 50)),
    )
    return works, places, options


def brute_force(works, places, options):
    active = [w for w in works if w.status not in ("cancelled", "completed")]
    clashes, opportunities, near_places = {}, {}, set()
    for i, a in enumerate(active):
        for b in active[i + 1:]:
            if shapely.distance(a.geometry, b.geometry) > options.distance_m:
                continue
            key = frozenset((a.uid, b.uid))
            if a.start_date <= b.end_date and b.start_date <= a.end_date:
                clashes[key] = (max(a.start_date, b.start_date), min(a.end_date, b.end_date))
            else:
                gap = max(a.start_date, b.start_date).toordinal() - min(a.end_date, b.end_date).toordinal()
                if gap <= options.opportunity_days and (a.excavation or b.excavation):
                    opportunities[key] = gap
        for k, (geom, start, end) in enumerate(places):
            first = day(start) if start is not None else a.start_date
            last = day(end) if end is not None else a.end_date
            near = shapely.distance(a.geometry, geom) <= options.distance_m
            if first <= a.end_date and a.start_date <= last and near:
                near_places.add((a.uid, f"p{k}"))
    return clashes, opportunities, near_places


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_kind_agrees_with_a_brute_force_reference_on_random_works(scenario):
    works, places, options = scenario
    arrays = WorkArrays.from_works(works)
    place_arrays = PlaceArrays.build(
        [g for g, _, _ in places], [f"p{k}" for k in range(len(places))],
        starts=[None if s is None else day(s) for _, s, _ in places],
        ends=[None if e is None else day(e) for _, _, e in places],
    )
    clashes, opportunities, near_places = brute_force(works, places, options)

    found = cf.find_clashes(arrays, options)
    got = {frozenset((arrays.works[a].uid, arrays.works[b].uid)): (cf.from_day_number(s), cf.from_day_number(e))
           for a, b, s, e in zip(found.a, found.b, found.overlap_start, found.overlap_end)}
    assert len(got) == len(found)  # each pair once
    assert got == clashes

    found = cf.find_opportunities(arrays, options)
    got = {frozenset((arrays.works[a].uid, arrays.works[b].uid)): int(g)
           for a, b, g in zip(found.a, found.b, found.gap_days)}
    assert len(got) == len(found)
    assert got == opportunities

    found = cf.find_sensitive(arrays, place_arrays, options)
    assert {(arrays.works[a].uid, place_arrays.keys[b]) for a, b in zip(found.a, found.b)} == near_places
