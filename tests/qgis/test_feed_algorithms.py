"""situation_room:import_feed and situation_room:refresh_sources through processing.run, and a project with a
source of every kind that loads live, then from its offline copy once every server is stopped."""

from __future__ import annotations

import json
from pathlib import Path

import processing
import pytest
from qgis.core import QgsProject

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sources import Source
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store
from tests.qgis.feeds_helpers import publiacqua_feature, publiacqua_source, write_collection
from tests.servers.processes import feed_server, free_port, pygeoapi_server, qgis_server
from tests.servers.pygeoapi_config import write_config
from tests.servers.qgis_project import LAYER, write_wfs_project, write_works_gpkg
from tests.wzdx_fixtures import examples, moved_to_prato

WZDX_KIND = 4


@pytest.fixture
def wzdx_prato(shared_data: Path, tmp_path: Path) -> Path:
    path = examples(shared_data)[0]  # scenario 1, simple LineString road events
    moved = moved_to_prato(json.loads(path.read_text()))
    (tmp_path / "www").mkdir()
    target = tmp_path / "www" / "wzdx.geojson"
    target.write_text(json.dumps(moved))
    return target


def test_a_wzdx_feed_imports_as_works_with_footprints_along_its_road_events(provider, wzdx_prato, tmp_path):
    with feed_server(wzdx_prato.parent, tmp_path) as server:
        result = processing.run("situation_room:import_feed", {
            "SOURCE": server.url("files/wzdx.geojson"), "KIND": WZDX_KIND, "OWNER": "comune",
            "OUTPUT": "memory:", "REPORT": "memory:"})
    events = json.loads(wzdx_prato.read_text())["features"]
    works = {f["title"]: f for f in result["OUTPUT"].getFeatures()}
    assert result["VALID_COUNT"] == len(events) == len(works)
    first = works["I-80, I-35 (northbound)"]
    assert first["traffic_impact"] == "some-lanes-closed" and first["owner"] == "comune"
    assert first["start_date"].toPyDate().isoformat() == "2010-01-01"
    # a ~520 m road event buffered 3.5 m each side (two lanes): about 520 x 7 m² in EPSG:6707
    area = first.geometry().area()
    length = first.geometry().length() / 2
    assert area == pytest.approx(length * 7, rel=0.05) and 3000 < area < 4500
    assert [f["code"] for f in result["REPORT"].getFeatures()] == []


def test_a_project_with_every_kind_loads_live_then_from_its_copy_with_the_servers_stopped(
    provider, qgis_new_project, wzdx_prato, tmp_path
):
    www = wzdx_prato.parent
    write_collection(www / "cantieri.geojson", [publiacqua_feature(i) for i in range(12)])
    file_source = write_collection(tmp_path / "comune.geojson", [publiacqua_feature(100 + i) for i in range(4)])
    wfs_dir, oapif_dir = tmp_path / "wfs", tmp_path / "oapif"
    wfs_dir.mkdir()
    oapif_dir.mkdir()
    qgs = write_wfs_project(write_works_gpkg(wfs_dir / "pa.gpkg", 30), wfs_dir / "pa.qgs")
    port = free_port()
    config, openapi = write_config(oapif_dir, write_collection(oapif_dir / "c.geojson",
                                                               [publiacqua_feature(i) for i in range(70)]),
                                   "cantieri", port)
    store_path = tmp_path / "situation.gpkg"
    Store.open(store_path).close()
    project = QgsProject.instance()
    project_io.set_store_path(store_path, project)
    with feed_server(www, tmp_path) as web, qgis_server(qgs, wfs_dir) as ows, \
            pygeoapi_server(config, openapi, oapif_dir, port) as api:
        sources = [
            publiacqua_source(web.url("files/cantieri.geojson"), id="pa_geojson"),
            publiacqua_source(str(file_source), kind="geojson_file", id="comune_file", owner="comune"),
            Source("wzdx", "WZDx", "comune", "wzdx", web.url("files/wzdx.geojson")),
            publiacqua_source(ows.url("ows/"), kind="wfs", layer=LAYER, id="pa_wfs", version="1.1.0"),
            publiacqua_source(api.url(""), kind="ogcapi_features", layer="cantieri", id="pa_oapif"),
        ]
        feeds.write_registry(sources, project)
        result = processing.run("situation_room:refresh_sources", {"REPORT": "memory:"})
        assert (result["REFRESHED_COUNT"], result["FAILED_COUNT"]) == (5, 0)
        with Store.open(store_path) as store:
            live = {s.id: feeds.load(s, store, OwnerRegistry(), live=False) for s in sources}
        assert {k: v.layer.featureCount() for k, v in live.items()} == {
            "pa_geojson": 12, "comune_file": 4, "wzdx": 5, "pa_wfs": 30, "pa_oapif": 70}
    file_source.unlink()
    result = processing.run("situation_room:refresh_sources", {"REPORT": "memory:"})
    assert (result["REFRESHED_COUNT"], result["FAILED_COUNT"]) == (0, 5)
    failures = {f["record"]: f["code"] for f in result["REPORT"].getFeatures()}
    assert set(failures) == {s.id for s in sources}
    registry, problems = feeds.read_registry(project)
    assert problems == [] and registry == sources
    with Store.open(store_path) as store:
        offline = {s.id: feeds.load(s, store, OwnerRegistry()) for s in registry}
    for source_id, loaded in offline.items():
        assert loaded.from_cache and loaded.layer.isValid(), source_id
        assert loaded.layer.featureCount() == live[source_id].layer.featureCount()
        assert loaded.problems[0].code == "cached_copy_used" and " old) is used" in loaded.problems[0].message


def test_a_scheduled_refresh_reads_only_the_sources_that_are_due(provider, qgis_new_project, tmp_path):
    from dataclasses import replace

    feed = write_collection(tmp_path / "pa.geojson", [publiacqua_feature(i) for i in range(3)])
    fresh = replace(publiacqua_source(str(feed), kind="geojson_file"), refresh_minutes=60)
    never_read = replace(fresh, id="nuova")
    by_hand = replace(fresh, id="a_mano", refresh_minutes=0)
    store_path = tmp_path / "situation.gpkg"
    with Store.open(store_path) as store:
        assert feeds.refresh(fresh, store, OwnerRegistry()).ok  # copied a moment ago: not due for an hour
    project = QgsProject.instance()
    project_io.set_store_path(store_path, project)
    feeds.write_registry([fresh, never_read, by_hand], project)
    result = processing.run("situation_room:refresh_sources", {"DUE_ONLY": True, "REPORT": "memory:"})
    assert (result["REFRESHED_COUNT"], result["FAILED_COUNT"], result["SKIPPED_COUNT"]) == (1, 0, 2)
    result = processing.run("situation_room:refresh_sources", {"REPORT": "memory:"})
    assert (result["REFRESHED_COUNT"], result["SKIPPED_COUNT"]) == (3, 0)
