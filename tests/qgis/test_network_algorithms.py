"""The network algorithms through processing.run on Prato's real roads and bus network, checked against the
core engines run on the same data, and the QGIS road-layer adapter against the plain GeoPackage reader."""

from __future__ import annotations

import uuid
from datetime import date

import numpy as np
import processing
import pytest
import shapely
import shapely.ops
from qgis.core import QgsProject, QgsVectorLayer

from situation_room_plugin.core.detours import DetourEngine, DetourTable, criticality
from situation_room_plugin.core.roads import RoadGraph, build_graph
from situation_room_plugin.core.transit import BusNetwork, read_gtfs
from situation_room_plugin.core.works import Work
from situation_room_plugin.qgis_io import graph_cache, layers
from situation_room_plugin.qgis_io.project import set_store_path
from situation_room_plugin.qgis_io.road_tables import read_road_lines as read_table
from situation_room_plugin.qgis_io.roads import read_road_lines
from situation_room_plugin.qgis_io.store import Store

DAY = date(2016, 5, 3)  # a Tuesday inside the GTFS feed's service


@pytest.fixture
def roads_uri(shared_data):
    return f"{shared_data / 'prato' / 'prato_roads.gpkg'}|layername=roads"


@pytest.fixture
def prato_roads(roads_uri):  # not named *layer*: pytest-qgis would ask for it again at teardown, after a skip
    layer = QgsVectorLayer(roads_uri, "roads", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture
def graph(shared_data) -> RoadGraph:
    return build_graph(read_table(shared_data / "prato" / "prato_roads.gpkg"))


def street_work(shared_data, osm_id: str, **overrides) -> Work:
    lines = read_table(shared_data / "prato" / "prato_roads.gpkg")
    line = lines.geometries[lines.column("osm_id").index(osm_id)]
    piece = shapely.ops.substring(line, 0.3, 0.7, normalized=True)
    values = {"uid": str(uuid.uuid4()), "title": f"Scavo {osm_id}", "owner": "publiacqua", "work_type": "excavation",
              "status": "authorized", "start_date": date(2016, 5, 1), "end_date": date(2016, 5, 10),
              "traffic_impact": "all-lanes-closed", "geometry": shapely.MultiPolygon(
                  [shapely.buffer(piece, 4, cap_style="flat")])}
    values.update(overrides)
    return Work(**values)


def works_layer(works: list[Work]) -> QgsVectorLayer:
    return layers.works_memory_layer(works)


def test_a_qgis_road_layer_reads_the_same_lines_as_the_geopackage_table(prato_roads, shared_data):
    from_qgis = read_road_lines(prato_roads)
    from_table = read_table(shared_data / "prato" / "prato_roads.gpkg")
    assert from_qgis.fids.tolist() == from_table.fids.tolist()
    for name in ("osm_id", "name", "highway", "oneway", "maxspeed", "junction", "access"):
        assert from_qgis.column(name) == from_table.column(name), name
    assert shapely.equals_exact(from_qgis.geometries, from_table.geometries, tolerance=1e-6).all()
    assert from_qgis.fingerprint() == from_table.fingerprint()


def test_detour_analysis_gives_each_closures_detour_and_the_roads_it_cuts_off(provider, roads_uri, graph,
                                                                               shared_data):
    cimabue = street_work(shared_data, "30353076")  # a one-way street in a grid of one-way streets
    danesi = street_work(shared_data, "30353661")  # the only street into a neighbourhood
    done = street_work(shared_data, "30353661", status="completed")  # not on the street any more
    layer = works_layer([cimabue, danesi, done])
    result = processing.run("situation_room:detour_analysis", {
        "ROADS": roads_uri, "WORKS": layer, "DATE": DAY.isoformat(),
        "OUTPUT_DETOURS": "memory:", "OUTPUT_CUTOFF": "memory:", "OUTPUT_BUS": "memory:",
    })
    expected = DetourEngine(graph).day([cimabue, danesi, done], DAY)
    rows = [(f["work_uid"], f["status"], f["base_m"], layers.to_python(f["extra_m"]))
            for f in result["OUTPUT_DETOURS"].getFeatures()]
    assert sorted(rows, key=str) == sorted(
        [(d.work_uid, d.status, pytest.approx(d.base_m), pytest.approx(d.extra_m) if d.extra_m is not None else None)
         for d in expected.detours], key=str)
    assert any(uid == cimabue.uid and status == "ok" and extra > 0 for uid, status, _, extra in rows)
    cut = [(f["work_uids"], f["name"]) for f in result["OUTPUT_CUTOFF"].getFeatures()]
    assert sorted(cut) == sorted((",".join(c.work_uids), graph.edge_name(c.edge)) for c in expected.cutoff)
    assert sum(1 for uids, _ in cut if uids == danesi.uid) >= 10  # the neighbourhood behind Via Elio Danesi
    assert result["OUTPUT_DETOURS"].crs().authid() == "EPSG:6707"
    assert result["OUTPUT_BUS"].featureCount() == 0  # no GTFS given
    line = next(result["OUTPUT_DETOURS"].getFeatures())
    assert line.geometry().length() > 0


def test_detour_analysis_gives_a_dead_end_street_its_row_with_the_road_cut_off_beyond(provider, roads_uri, graph,
                                                                                        shared_data):
    pacini = street_work(shared_data, "42466166")  # Via Luigi Pacini, a dead end: the work near its junction
    cimabue = street_work(shared_data, "30353076")
    result = processing.run("situation_room:detour_analysis", {
        "ROADS": roads_uri, "WORKS": works_layer([pacini, cimabue]), "DATE": DAY.isoformat(),
        "OUTPUT_DETOURS": "memory:", "OUTPUT_CUTOFF": "memory:",
    })
    detours = result["OUTPUT_DETOURS"]
    assert detours.fields().names() == ["work_uid", "base_m", "detour_m", "extra_m", "extra_s", "ratio", "status",
                                        "cutoff_m", "title", "owner"]  # the contract's fields first, in order
    rows = {f["work_uid"]: f for f in detours.getFeatures()}
    assert set(rows) == {pacini.uid, cimabue.uid}
    dead_end = rows[pacini.uid]
    assert dead_end["status"] == "no_detour" and layers.to_python(dead_end["detour_m"]) is None
    assert dead_end.geometry().length() == pytest.approx(dead_end["base_m"])  # drawn as the blocked stretch
    cut = sum(f.geometry().length() for f in result["OUTPUT_CUTOFF"].getFeatures() if f["work_uids"] == pacini.uid)
    assert dead_end["cutoff_m"] > 0 and dead_end["cutoff_m"] == pytest.approx(cut)
    assert rows[cimabue.uid]["status"] == "ok" and rows[cimabue.uid]["cutoff_m"] == 0
    # every output names the works by title and owner beside their uids
    assert (dead_end["title"], dead_end["owner"]) == (pacini.title, pacini.owner) and pacini.title
    cut_off = [f for f in result["OUTPUT_CUTOFF"].getFeatures() if f["work_uids"] == pacini.uid]
    assert cut_off and all(f["work_titles"] == pacini.title for f in cut_off)


def test_detour_analysis_with_the_gtfs_finds_the_bus_lines_to_reroute(provider, roads_uri, graph, shared_data):
    gtfs_path = shared_data / "prato" / "cap_prato_gtfs_2016.zip"
    network = BusNetwork(graph, read_gtfs(gtfs_path))
    # close the street that most bus shapes drive along
    counts: dict[int, int] = {}
    for arcs in network.shape_arcs:
        for arc in set(arcs):
            counts[arc >> 1] = counts.get(arc >> 1, 0) + 1
    busiest = max(counts, key=lambda e: (counts[e], graph.edge_length[e] > 40, -e))
    osm_id = read_table(shared_data / "prato" / "prato_roads.gpkg").column("osm_id")[graph.edge_feature[busiest]]
    work = street_work(shared_data, osm_id)
    result = processing.run("situation_room:detour_analysis", {
        "ROADS": roads_uri, "WORKS": works_layer([work]), "DATE": DAY.isoformat(), "GTFS": str(gtfs_path),
        "OUTPUT_DETOURS": "memory:", "OUTPUT_CUTOFF": "memory:", "OUTPUT_BUS": "memory:",
    })
    engine = DetourEngine(graph)
    expected = network.impact(DAY, engine.day([work], DAY).closures.values())
    rows = {f["route_id"]: (f["trips_affected"], f["stops_skipped"], layers.to_python(f["extra_m"]))
            for f in result["OUTPUT_BUS"].getFeatures()}
    assert rows and set(rows) == {r.route.route_id for r in expected}
    for r in expected:
        trips, stops, extra = rows[r.route.route_id]
        assert trips == r.trips_affected and stops == len(r.stops_skipped)
        assert extra == pytest.approx(r.extra_m) if r.extra_m is not None else extra is None
    assert sum(t for t, _, _ in rows.values()) > 0  # buses run that day


def test_impact_timeline_summarises_every_day_and_the_interacting_pairs(provider, roads_uri, graph, shared_data):
    a = street_work(shared_data, "30353076", uid="00000000-0000-4000-8000-00000000000a",
                    start_date=date(2016, 5, 2), end_date=date(2016, 5, 4))
    engine = DetourEngine(graph)
    (alone,) = engine.day([a], DAY).detours
    arc = alone.detour.arcs[len(alone.detour.arcs) // 2]
    piece = shapely.ops.substring(graph.edge_geometries()[arc >> 1], 0.3, 0.7, normalized=True)
    b = Work(**{**{k: getattr(a, k) for k in ("title", "owner", "work_type", "status", "traffic_impact")},
                "uid": "00000000-0000-4000-8000-00000000000b", "start_date": date(2016, 5, 4),
                "end_date": date(2016, 5, 6), "geometry": shapely.MultiPolygon([shapely.buffer(piece, 4,
                                                                                              cap_style="flat")])})
    result = processing.run("situation_room:impact_timeline", {
        "ROADS": roads_uri, "WORKS": works_layer([a, b]), "START_DATE": "2016-05-01", "END_DATE": "2016-05-07",
        "OUTPUT": "memory:", "OUTPUT_INTERACTIONS": "memory:",
    })
    days = [(f["date"].toPyDate(), f["closures"], f["extra_m_total"], f["cutoff_edges"])
            for f in result["OUTPUT"].getFeatures()]
    expected, pairs = DetourEngine(graph).timeline([a, b], date(2016, 5, 1), date(2016, 5, 7))
    assert [d[:2] for d in days] == [(e.day, e.closures) for e in expected]
    assert [d[1] for d in days] == [0, 1, 1, 2, 1, 1, 0]
    assert [d[2] for d in days] == pytest.approx([e.extra_m_total for e in expected])
    rows = [(f["uid_a"], f["uid_b"], f["date_from"].toPyDate(), f["date_to"].toPyDate())
            for f in result["OUTPUT_INTERACTIONS"].getFeatures()]
    assert rows == [(a.uid, b.uid, date(2016, 5, 4), date(2016, 5, 4))]
    assert len(pairs) == 1


def test_network_criticality_marks_every_drivable_road(provider, roads_uri, graph):
    result = processing.run("situation_room:network_criticality", {"ROADS": roads_uri, "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    assert layer.featureCount() == graph.edge_count == result["EDGE_COUNT"]
    expected = criticality(graph)
    assert result["NO_ALTERNATIVE_COUNT"] == int(expected.no_alternative.sum())
    values = [layers.to_python(f["detour_extra_m"]) for f in layer.getFeatures()]
    extras = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    assert np.isnan(extras).sum() == np.isnan(expected.extra_m).sum()
    assert np.nansum(extras) == pytest.approx(np.nansum(expected.extra_m))


def test_the_road_graph_is_cached_in_the_project_store_and_reused(provider, roads_uri, tmp_path):
    store = tmp_path / "project.gpkg"
    Store.open(store).close()
    project = QgsProject.instance()
    set_store_path(store, project)
    try:
        params = {"ROADS": roads_uri, "WORKS": works_layer([]), "DATE": DAY.isoformat(),
                  "OUTPUT_DETOURS": "memory:", "OUTPUT_CUTOFF": "memory:"}
        processing.run("situation_room:detour_analysis", params)
        keys = graph_cache.cached_keys(store)
        assert len(keys) == 1
        cached = graph_cache.load(store, keys[0])
        assert DetourTable.of(cached) is not None  # every street's detour, kept for the next analyses
        processing.run("situation_room:detour_analysis", params)
        assert graph_cache.cached_keys(store) == keys
    finally:
        project.removeEntry("situation_room", "store")


def test_gtfs_coordinates_are_projected_as_qgis_projects_them():
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY

    from situation_room_plugin.core.transit import utm32_from_lonlat

    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"),
                                       QgsCoordinateReferenceSystem("EPSG:6707"), QgsProject.instance())
    for lon, lat in ((11.0189, 43.8139), (11.1195, 43.9107), (9.0, 45.0), (6.5, 37.0), (11.9, 46.5)):
        expected = transform.transform(QgsPointXY(lon, lat))
        x, y = utm32_from_lonlat(lon, lat)
        assert abs(x - expected.x()) < 0.001 and abs(y - expected.y()) < 0.001
