"""OGC API Features from a real pygeoapi on 127.0.0.1, read through QGIS's OAPIF provider, page by page."""

from __future__ import annotations

import pytest

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store
from tests.qgis.feeds_helpers import cached_works, publiacqua_feature, publiacqua_source, write_collection
from tests.servers.processes import free_port, pygeoapi_server
from tests.servers.pygeoapi_config import write_config

COUNT = 130
PAGE = 50  # pygeoapi's max_items: no answer holds more than this


@pytest.fixture(scope="module")
def oapif(qgis_app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("oapif")
    features = [publiacqua_feature(i) for i in range(COUNT)]
    features[7] = publiacqua_feature(7, **{"Viabilita": "Chiusa ai pedoni"})
    data = write_collection(folder / "cantieri.geojson", features)
    port = free_port()
    config, openapi = write_config(folder, data, "cantieri", port, page=PAGE)
    with pygeoapi_server(config, openapi, folder, port) as server:
        yield server


def test_an_ogc_api_collection_is_read_page_by_page_into_works(qgis_new_project, oapif, tmp_path):
    source = publiacqua_source(oapif.url(""), kind="ogcapi_features", layer="cantieri")
    with Store.open(tmp_path / "p.gpkg") as store:
        result = feeds.refresh(source, store, OwnerRegistry())
        works = cached_works(store, "publiacqua")
    assert result.ok, result.error
    assert result.snapshot.feature_count == COUNT  # more than one page: QGIS followed the 'next' links
    assert result.snapshot.work_count == COUNT - 1
    [problem] = result.problems
    assert problem.record.startswith("publiacqua #PA-00007") and problem.code == "unknown_value"
    assert "Chiusa ai pedoni" in problem.message
    work = next(w for w in works if w["permit_ref"] == "PA-00003")
    assert work["traffic_impact"] == "alternating-one-way" and 660_000 < work["geometry"].bounds[0] < 675_000


def test_an_unknown_collection_is_named(qgis_new_project, oapif, tmp_path):
    source = publiacqua_source(oapif.url(""), kind="ogcapi_features", layer="strade")
    with Store.open(tmp_path / "p.gpkg") as store:
        result = feeds.refresh(source, store, OwnerRegistry())
    assert not result.ok and result.error.code == "layer_unreadable" and "strade" in result.error.message
