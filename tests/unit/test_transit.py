"""GTFS reading (calendar and calendar_dates), shapes matched onto the roads, and the bus lines a closure
blocks: on a small synthetic feed and on CAP Prato's real 2016 network."""

from __future__ import annotations

import csv
import io
import random
import uuid
import zipfile
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import shapely
import shapely.ops

from situation_room_plugin.core.detours import DetourEngine
from situation_room_plugin.core.transit import BusNetwork, GtfsError, default_transform, read_gtfs
from situation_room_plugin.core.works import Work
from tests.unit.road_helpers import prato_graph

GTFS = Path("prato/cap_prato_gtfs_2016.zip")


def write_feed(path: Path, tables: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in tables.items():
            zf.writestr(name, text)
    return path


MINIMAL = {
    "routes.txt": "route_id,route_short_name,route_long_name,route_type\nR1,1,Uno,3\n",
    "trips.txt": "route_id,service_id,trip_id,shape_id\nR1,WEEKDAY,T1,S1\nR1,SUNDAY,T2,S1\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,Stazione,43.88,11.09\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\n",
    "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nS1,43.88,11.09,2\nS1,43.87,11.08,1\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "WEEKDAY,1,1,1,1,1,0,0,20160401,20160630\nSUNDAY,0,0,0,0,0,0,1,20160401,20160630\n",
    "calendar_dates.txt": "service_id,date,exception_type\nWEEKDAY,20160425,2\nSUNDAY,20160425,1\n",
}


def test_calendar_weekdays_and_exceptions_decide_which_services_run(tmp_path):
    gtfs = read_gtfs(write_feed(tmp_path / "feed.zip", MINIMAL))
    assert gtfs.services_on(date(2016, 4, 26)) == {"WEEKDAY"}  # a Tuesday
    assert gtfs.services_on(date(2016, 4, 24)) == {"SUNDAY"}
    assert gtfs.services_on(date(2016, 4, 25)) == {"SUNDAY"}  # Liberation Day: the Sunday timetable
    assert gtfs.services_on(date(2016, 7, 5)) == set()  # after the calendar's end
    assert gtfs.service_period() == (date(2016, 4, 1), date(2016, 6, 30))
    assert gtfs.shapes["S1"][0].tolist() == [11.08, 43.87]  # points in sequence order
    assert gtfs.shape_stops == {"S1": ("A",)}


def test_a_feed_that_says_nothing_about_service_days_is_refused_with_its_name(tmp_path):
    tables = {k: v for k, v in MINIMAL.items() if not k.startswith("calendar")}
    with pytest.raises(GtfsError, match=r"feed\.zip.*calendar"):
        read_gtfs(write_feed(tmp_path / "feed.zip", tables))
    with pytest.raises(GtfsError, match="not a GTFS zip"):
        read_gtfs(tmp_path / "missing.zip")


@lru_cache(maxsize=1)
def prato_network(data_dir: Path) -> BusNetwork:
    return BusNetwork(prato_graph(data_dir), read_gtfs(data_dir / GTFS))


def raw_rows(data_dir: Path, table: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(data_dir / GTFS) as zf:
        return list(csv.DictReader(io.TextIOWrapper(zf.open(table), encoding="utf-8-sig")))


def test_prato_services_run_on_the_days_calendar_dates_lists(shared_data):
    gtfs = read_gtfs(shared_data / GTFS)
    rows = raw_rows(shared_data, "calendar_dates.txt")
    assert gtfs.service_period() == (date(2016, 4, 7), date(2016, 12, 31))
    for day in (date(2016, 4, 7), date(2016, 5, 3), date(2016, 8, 15), date(2016, 12, 25), date(2017, 1, 2)):
        expected = {r["service_id"] for r in rows if r["date"] == day.strftime("%Y%m%d") and r["exception_type"] == "1"}
        assert gtfs.services_on(day) == expected
    assert not gtfs.services_on(date(2017, 1, 2))


def test_prato_shapes_are_matched_onto_roads_they_run_along(shared_data):
    network = prato_network(shared_data)
    graph = network.graph
    geometries = graph.edge_geometries()
    assert sum(1 for arcs in network.shape_arcs if arcs) > 250
    rng = random.Random(2)
    matched = [i for i, arcs in enumerate(network.shape_arcs) if arcs]
    for i in rng.sample(matched, 20):
        line = shapely.linestrings(network.shape_xy[i])
        arcs = network.shape_arcs[i]
        middles = shapely.line_interpolate_point(geometries[[a >> 1 for a in arcs]], 0.5, normalized=True)
        distances = shapely.distance(middles, line)
        # matched arcs lie along the shape; the few that bridge a gap between two of them stay close
        assert (distances <= network.options.match_distance_m + 1e-6).mean() > 0.8
        assert distances.max() <= network.GAP_M
        assert graph.arc_open[arcs].all()
        # the matched arcs run in the shape's order, mostly joined end to start
        if len(arcs) > 10:
            joined = sum(1 for a, b in zip(arcs, arcs[1:]) if graph.arc_head[a] == graph.arc_tail[b])
            assert joined / (len(arcs) - 1) > 0.8


def test_a_closure_on_a_bus_street_affects_the_trips_running_that_day(shared_data):
    network = prato_network(shared_data)
    graph = network.graph
    counts: dict[int, int] = {}
    for arcs in network.shape_arcs:
        for arc in set(arcs):
            counts[arc >> 1] = counts.get(arc >> 1, 0) + 1
    edge = max((e for e in counts if graph.edge_length[e] > 30), key=lambda e: counts[e])
    line = graph.edge_geometries()[edge]
    footprint = shapely.buffer(shapely.ops.substring(line, 0.3, 0.7, normalized=True), 4, cap_style="flat")
    work = Work(uid=str(uuid.uuid4()), title="Scavo", owner="publiacqua", work_type="excavation",
                start_date=date(2016, 5, 1), end_date=date(2016, 5, 31), traffic_impact="all-lanes-closed",
                geometry=footprint)
    closures = DetourEngine(graph).day([work], date(2016, 5, 3)).closures
    closed = set().union(*(c.closed_arcs for c in closures.values()))
    # reference: trips whose shape drives a closed arc and whose service runs that day, from the raw tables
    rows = raw_rows(shared_data, "calendar_dates.txt")
    for day in (date(2016, 5, 3), date(2016, 5, 8)):
        running = {r["service_id"] for r in rows if r["date"] == day.strftime("%Y%m%d")}
        blocked_shapes = {sid for sid, arcs in zip(network.shape_ids, network.shape_arcs) if closed & set(arcs)}
        expected = sum(1 for t in raw_rows(shared_data, "trips.txt")
                       if t["shape_id"] in blocked_shapes and t["service_id"] in running)
        assert expected > 0
        assert network.trips_affected(day, closures.values()) == expected
        impact = network.impact(day, closures.values())
        assert sum(r.trips_affected for r in impact) == expected
    impact = network.impact(date(2016, 5, 3), closures.values())
    for route in impact:
        assert route.extra_m is None or route.extra_m >= -1e-6
        for reroute in route.reroutes:
            if reroute.arcs is not None:
                assert not closed.intersection(reroute.arcs)
                assert all(network.bus_weights[a] != float("inf") for a in reroute.arcs)  # bus roads only
        blocked = shapely.union_all(graph.edge_geometries()[[a >> 1 for r in route.reroutes for a in r.blocked_arcs]])
        assert blocked.distance(line) < 1e-6  # the blocked run contains the closed road
        for stop_id in route.stops_skipped:  # skipped stops lie by the blocked run of the line
            stop = network.gtfs.stops[stop_id]
            point = shapely.points(default_transform(np.asarray([[stop.lon, stop.lat]])))[0]
            assert shapely.distance(point, blocked) <= network.options.stop_distance_m + 1e-6
    assert network.trips_affected(date(2017, 5, 3), closures.values()) == 0
    assert network.trips_affected(date(2016, 5, 3), []) == 0
