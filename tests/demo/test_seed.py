"""The demo's sample works: the same at every run, on real named streets of Prato, marked as sample data, dated
around the day given, and holding each scenario of the coordination room as the core engines find it."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest

from situation_room_plugin.core.conflicts import ConflictKind, PlaceArrays, detect
from situation_room_plugin.core.detours import DetourEngine
from situation_room_plugin.core.transit import read_gtfs
from tools.demo import prato, seed
from tools.demo.gtfs import redate

TODAY = date(2027, 3, 10)


@pytest.fixture(scope="module")
def graph(prato_data):
    return prato.road_graph(prato.read_roads(prato_data / "prato" / "prato_roads.gpkg"))


@pytest.fixture(scope="module")
def schools(qgis_app, prato_data):
    return prato.read_schools(prato_data / "prato" / "prato.osm.pbf")


@pytest.fixture(scope="module")
def sample(graph, schools):
    return seed.generate(graph, schools, TODAY)



def snapshot(sample: seed.Seed) -> list[tuple]:
    return [(w.uid, tuple(sorted((k, str(v)) for k, v in w.attributes().items())), w.geometry.wkb)
            for w in sample.works]


def test_the_same_roads_schools_and_day_give_the_same_sample(graph, schools, sample):
    again = seed.generate(graph, schools, TODAY)
    assert snapshot(again) == snapshot(sample)
    assert len({w.uid for w in sample.works}) == len(sample.works)


def test_another_day_moves_the_dates_and_keeps_the_uids(graph, schools, sample):
    later = seed.generate(graph, schools, TODAY + timedelta(days=7))
    assert [w.uid for w in later.works] == [w.uid for w in sample.works]
    assert [w.start_date for w in later.works] == [w.start_date + timedelta(days=7) for w in sample.works]


def test_every_work_is_sample_data_on_a_named_street_of_the_roads_around_today(graph, sample):
    names = {graph.edge_name(e) for e in range(graph.edge_count)} - {""}
    assert {w.owner for w in sample.works} == {"comune", "publiacqua", "toscana_energia", "estracom", "alia",
                                                 "cap", "consiag"}
    for work in sample.works:
        assert work.source == seed.SAMPLE_SOURCE and seed.SAMPLE_NOTE in work.description, work.title
        assert work.title.split(" — ")[1] in names, work.title
        assert TODAY - timedelta(days=10) <= work.start_date <= work.end_date <= TODAY + timedelta(days=62)
        assert work.geometry.is_valid and 100 < work.geometry.area < 5000, work.title


def pairs(found, kind):
    return {frozenset((c.uid_a, c.uid_b)) for c in found if c.kind == kind.value}


def test_the_core_engines_find_the_clash_the_opportunity_the_moratorium_and_the_school(sample):
    protected = PlaceArrays.build([p.geometry for p in sample.protected], [p.name for p in sample.protected],
                                  ends=[p.protected_until for p in sample.protected])
    school = sample.school
    sensitive = PlaceArrays.build([school.geometry], [school.key], [school.name], ["school"])
    found = detect(sample.works, protected=protected, sensitive=sensitive).conflicts(with_geometry=False)
    assert frozenset(sample.scenarios["clash"]) in pairs(found, ConflictKind.CLASH)
    assert frozenset(sample.scenarios["opportunity"]) in pairs(found, ConflictKind.OPPORTUNITY)
    (dug,) = sample.scenarios["moratorium"]
    assert frozenset((dug, sample.protected[0].name)) in pairs(found, ConflictKind.MORATORIUM)
    (bins,) = sample.scenarios["school"]
    assert frozenset((bins, school.key)) in pairs(found, ConflictKind.SENSITIVE)
    clash_a, clash_b = (sample.by_uid(u) for u in sample.scenarios["clash"])
    assert clash_a.start_date <= clash_b.end_date and clash_b.start_date <= clash_a.end_date


def test_the_cut_off_closure_cuts_a_named_street_off_on_its_days(graph, sample):
    (uid,) = sample.scenarios["cutoff"]
    work = sample.by_uid(uid)
    engine = DetourEngine(graph)
    lost = engine.day([work], work.start_date).cutoff
    assert lost and all(c.work_uids == (uid,) for c in lost)
    assert {graph.edge_name(c.edge) for c in lost} - {""}
    assert engine.day([work], work.end_date + timedelta(days=1)).cutoff == []


def test_the_busiest_day_is_one_with_the_most_closures(sample):
    day = seed.busiest_day(sample.works, TODAY, TODAY + timedelta(days=59))
    closing = [w for w in sample.works if w.traffic_impact == "all-lanes-closed"]
    most = max(sum(w.is_active_on(TODAY + timedelta(days=i)) for w in closing) for i in range(60))
    assert sum(w.is_active_on(day) for w in closing) == most >= 2


def test_the_redated_timetable_runs_on_each_demo_day_the_services_of_the_same_weekday_of_2016(
        prato_data, tmp_path):
    source = prato_data / "prato" / "cap_prato_gtfs_2016.zip"
    result = redate(source, tmp_path / "gtfs.zip", TODAY, TODAY + timedelta(days=13))
    old, new = read_gtfs(source), read_gtfs(result.path)
    assert result.reference_monday.weekday() == 0 and result.period[0] <= result.reference_monday
    for offset in range(14):
        day = TODAY + timedelta(days=offset)
        reference = result.reference_monday + timedelta(days=day.weekday())
        assert new.services_on(day) == old.services_on(reference) != set()
    assert new.services_on(TODAY - timedelta(days=1)) == set()
    with zipfile.ZipFile(result.path) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("calendar_dates.txt").decode())))
    assert rows[0] == ["service_id", "date", "exception_type"]
