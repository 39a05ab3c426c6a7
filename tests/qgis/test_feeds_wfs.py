"""WFS 1.0/1.1/2.0 from a real QGIS Server on 127.0.0.1: GetFeature pages read over HTTP as GeoJSON or GML,
and QGIS's WFS provider (the fallback, and the reference the pages are compared with)."""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from qgis.core import QgsFeedback

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.progress import CancelledError
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io import wfs as wfs_io
from situation_room_plugin.qgis_io.store import Store
from tests.qgis.feeds_helpers import basic_authcfg, cached_works, publiacqua_source
from tests.servers.processes import feed_server, qgis_server
from tests.servers.qgis_project import LAYER, write_wfs_project, write_works_gpkg

COUNT = 260


@pytest.fixture(scope="module")
def wfs(qgis_app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wfs")
    project = write_wfs_project(write_works_gpkg(folder / "publiacqua.gpkg", COUNT), folder / "publiacqua.qgs")
    with qgis_server(project, folder) as server:
        yield server


def wfs_source(server, version: str, **overrides):
    return publiacqua_source(server.url("ows/"), **{"kind": "wfs", "layer": LAYER, "version": version, **overrides})


# QGIS Server 3.22 speaks WFS 1.0.0 and 1.1.0; asked for 2.0.0 it answers in 1.1.0 ("Service WFS 2.0.0 not
# found, returning default" in its log), and QGIS's client must cope with that too.
@pytest.mark.parametrize("version", ["1.0.0", "1.1.0", "2.0.0"])
def test_every_wfs_version_gives_every_feature_as_a_work_in_prato(qgis_new_project, wfs, tmp_path, version):
    with Store.open(tmp_path / "p.gpkg") as store:
        result = feeds.refresh(wfs_source(wfs, version), store, OwnerRegistry())
        works = sorted(cached_works(store, "publiacqua"), key=lambda w: w["permit_ref"])
    assert result.ok, result.error
    assert result.problems == [] and result.snapshot.work_count == COUNT == len(works)
    assert works[0]["permit_ref"] == "PA-00000" and works[0]["work_type"] == "network_maintenance"
    assert works[1]["work_type"] == "excavation" and works[1]["traffic_impact"] == "alternating-one-way"
    xmin, ymin, xmax, ymax = works[0]["geometry"].bounds
    # the published square, whatever axis order each version speaks (EPSG:6707 is northing/easting)
    assert (round(xmin), round(ymin), round(xmax), round(ymax)) == (664_000, 4_858_000, 664_012, 4_858_008)


def test_a_wfs_source_asks_qgis_for_paging_and_its_version():
    uri, provider = feeds.provider_uri(publiacqua_source("http://x.org/ows", kind="wfs", layer="l", version="2.0.0"),
                                       page_size=500)
    assert provider == "WFS"
    for part in ("pagingEnabled='true'", "pageSize='500'", "version='2.0.0'", "typename='l'"):
        assert part in uri


def test_a_layer_the_server_does_not_publish_is_named(qgis_new_project, wfs, tmp_path):
    with Store.open(tmp_path / "p.gpkg") as store:
        result = feeds.refresh(wfs_source(wfs, "2.0.0", layer="non_esiste"), store, OwnerRegistry())
    assert not result.ok and result.error.code == "layer_unreadable"
    assert "non_esiste" in result.error.message


def test_with_qgis_server_stopped_the_wfs_copy_loads_from_the_cache(qgis_new_project, tmp_path):
    folder = tmp_path / "srv"
    folder.mkdir()
    project = write_wfs_project(write_works_gpkg(folder / "pa.gpkg", 20), folder / "pa.qgs")
    with Store.open(tmp_path / "p.gpkg") as store:
        with qgis_server(project, folder) as server:
            source = wfs_source(server, "1.1.0")
            assert feeds.refresh(source, store, OwnerRegistry()).ok
        loaded = feeds.load(source, store, OwnerRegistry())
        assert loaded.from_cache and loaded.layer.featureCount() == 20
        assert re.search(r"copy of .* old\) is used", loaded.problems[0].message)
        # the server is asked for its capabilities through QGIS's network stack first: it says it is not there
        assert loaded.problems[1].code == "network_error" and "refused" in loaded.problems[1].message


def canned_wfs(wfs, www: Path, prefix: str = "ows/canned") -> str:
    """QGIS Server's real answers saved as files, the capabilities pointing at `prefix` on the feed server."""
    www.mkdir(exist_ok=True)
    base = wfs.url("ows/")
    for request, query in (("getcapabilities", ""), ("describefeaturetype", f"&TYPENAME={LAYER}"),
                           ("getfeature", f"&TYPENAME={LAYER}&SRSNAME=EPSG:6707")):
        with urllib.request.urlopen(f"{base}?SERVICE=WFS&VERSION=1.1.0&REQUEST={request}{query}") as answer:
            body = answer.read()
        (www / f"canned.{request}.xml").write_bytes(body)
    return base


def point_capabilities_at(www: Path, base: str, url: str) -> None:
    caps = (www / "canned.getcapabilities.xml").read_text()
    (www / "canned.getcapabilities.xml").write_text(caps.replace(base.rstrip("/"), url))


def test_malformed_gml_is_reported_and_the_previous_copy_kept(qgis_new_project, wfs, tmp_path):
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)
    body = (www / "canned.getfeature.xml").read_bytes()
    cut = body[: len(body) // 2] + b"<gml:pos>not a number</gml:pos></broken>"  # broken mid-feature
    (www / "canned.getfeature.xml").write_bytes(cut)
    with feed_server(www, tmp_path) as fake, Store.open(tmp_path / "p.gpkg") as store:
        point_capabilities_at(www, base, fake.url("ows/canned"))
        good = wfs_source(wfs, "1.1.0")
        before = feeds.refresh(good, store, OwnerRegistry())
        assert before.ok and before.snapshot.work_count == COUNT
        broken = publiacqua_source(fake.url("ows/canned"), kind="wfs", layer=LAYER, version="1.1.0")
        result = feeds.refresh(broken, store, OwnerRegistry())
        assert not result.ok, result.report.problems[:3]
        assert result.error.code == "layer_error" and LAYER in result.error.message
        assert "not well-formed" in result.error.message  # where the GML breaks, as QGIS's parser says
        loaded = feeds.load(good, store, OwnerRegistry(), live=False)
        assert loaded.layer.featureCount() == COUNT


def test_a_wfs_behind_a_password_reads_with_the_right_authcfg_and_names_a_wrong_one(qgis_new_project, wfs, tmp_path):
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)
    with feed_server(www, tmp_path) as fake, Store.open(tmp_path / "p.gpkg") as store:
        point_capabilities_at(www, base, fake.url("auth/ows/canned"))
        right, wrong = basic_authcfg("tecnico", "giusta"), basic_authcfg("tecnico", "sbagliata")
        source = publiacqua_source(fake.url("auth/ows/canned"), kind="wfs", layer=LAYER, version="1.1.0")
        ok = feeds.refresh(replace(source, authcfg=right), store, OwnerRegistry())
        assert ok.ok and ok.snapshot.work_count == COUNT
        failed = feeds.refresh(replace(source, authcfg=wrong), store, OwnerRegistry())
        assert not failed.ok and failed.error.code == "auth_failed" and wrong in failed.error.message
        assert "sbagliata" not in failed.error.message


# ---------------------------------------------------------------------------------------------------------
# Our own reading over HTTP (GeoJSON or GML pages) against QGIS's WFS provider


#: What differs between two reads of the same layer: when they were made (and the row in the store).
_WHEN = {"fid", "created_at", "updated_at", "geometry"}


def refreshed(source, path: Path, **kwargs):
    """A refresh of `source` into a store of its own: its result and its works by uid."""
    with Store.open(path) as store:
        result = feeds.refresh(source, store, OwnerRegistry(), **kwargs)
        works = {w["uid"]: w for w in cached_works(store, source.id)}
    return result, works


@pytest.fixture(scope="module")
def provider_works(qgis_app, wfs, tmp_path_factory):
    """The works as QGIS's own WFS provider reads them: the reference."""
    result, works = refreshed(wfs_source(wfs, "1.1.0"), tmp_path_factory.mktemp("provider") / "p.gpkg",
                              wfs_options=wfs_io.WfsOptions(ways=("provider",)))
    assert result.ok and len(works) == COUNT, result.problems[:3]
    return works


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
@pytest.mark.parametrize(("way", "tolerance_m"), [("geojson", 0.1), ("gml", 1e-6)])
def test_pages_read_over_http_give_the_works_qgis_provider_gives(
    qgis_new_project, wfs, provider_works, tmp_path, caplog, version, way, tolerance_m
):
    caplog.set_level(logging.DEBUG, logger="situation_room_plugin.qgis_io.wfs")
    result, works = refreshed(wfs_source(wfs, version), tmp_path / "p.gpkg",
                              wfs_options=wfs_io.WfsOptions(ways=(way,), page_size=100))
    assert result.ok and result.problems == [], result.problems[:3]
    assert works.keys() == provider_works.keys() and len(works) == COUNT  # the same uids
    for uid, work in works.items():
        reference = provider_works[uid]
        assert {k: v for k, v in work.items() if k not in _WHEN} == {
            k: v for k, v in reference.items() if k not in _WHEN}
        # QGIS Server writes GeoJSON in WGS 84 with 6 decimals (about 0.1 m), GML in the layer's CRS
        assert work["geometry"].hausdorff_distance(reference["geometry"]) <= tolerance_m
    asked = " ".join(r.getMessage() for r in caplog.records)
    assert "GetFeature from 100" in asked and "GetFeature from 200" in asked  # three pages of 100


def test_a_server_that_offers_no_geojson_is_read_as_gml(qgis_new_project, wfs, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="situation_room_plugin.qgis_io.sources")
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)
    caps = (www / "canned.getcapabilities.xml").read_text()
    (www / "canned.getcapabilities.xml").write_text(caps.replace("<ows:Value>application/vnd.geo+json</ows:Value>", ""))
    with feed_server(www, tmp_path) as fake:
        point_capabilities_at(www, base, fake.url("ows/canned"))
        source = publiacqua_source(fake.url("ows/canned"), kind="wfs", layer=LAYER, version="1.1.0")
        result, works = refreshed(source, tmp_path / "p.gpkg")
    assert result.ok and len(works) == COUNT, result.problems[:3]
    assert any("read as gml" in r.getMessage() for r in caplog.records)
    assert any("offers no GeoJSON output" in r.getMessage() for r in caplog.records)  # not even asked for


def test_capabilities_that_cannot_be_read_leave_the_layer_to_qgis_provider(qgis_new_project, wfs, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="situation_room_plugin.qgis_io.sources")
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)
    caps = (www / "canned.getcapabilities.xml").read_text()
    (www / "canned.getcapabilities.xml").write_text("<!DOCTYPE WFS_Capabilities>\n" + caps)  # a DTD: refused
    with feed_server(www, tmp_path) as fake:
        point_capabilities_at(www, base, fake.url("ows/canned"))
        source = publiacqua_source(fake.url("ows/canned"), kind="wfs", layer=LAYER, version="1.1.0")
        result, works = refreshed(source, tmp_path / "p.gpkg")
    assert result.ok and len(works) == COUNT, result.problems[:3]
    assert any("declares a DTD" in r.getMessage() and "provider reads the layer" in r.getMessage()
               for r in caplog.records)


def canned_geojson_pages(wfs, www: Path, size: int) -> None:
    """QGIS Server's real GeoJSON pages as files, one per STARTINDEX up to the empty one after the last (and
    the second feature alone, that the reader asks for to see that the server pages)."""
    for start, count in [(1, 1), *((start, size) for start in range(0, COUNT + 1, size)), (COUNT, size)]:
        query = (f"SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME={LAYER}&SRSNAME=EPSG:6707"
                 f"&OUTPUTFORMAT=application/vnd.geo%2Bjson&STARTINDEX={start}&MAXFEATURES={count}")
        with urllib.request.urlopen(f"{wfs.url('ows/')}?{query}") as answer:
            (www / f"canned.getfeature.{start}.json").write_bytes(answer.read())


def test_a_page_that_breaks_after_the_first_is_named_and_the_previous_copy_kept(qgis_new_project, wfs, tmp_path):
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)
    canned_geojson_pages(wfs, www, 100)
    third = www / "canned.getfeature.200.json"
    third.write_bytes(third.read_bytes()[: len(third.read_bytes()) // 2])  # cut off mid-feature
    with feed_server(www, tmp_path) as fake, Store.open(tmp_path / "p.gpkg") as store:
        point_capabilities_at(www, base, fake.url("ows/canned"))
        source = publiacqua_source(fake.url("ows/canned"), kind="wfs", layer=LAYER, version="1.1.0")
        how = wfs_io.WfsOptions(page_size=100)
        assert feeds.refresh(wfs_source(wfs, "1.1.0"), store, OwnerRegistry()).ok
        result = feeds.refresh(source, store, OwnerRegistry(), wfs_options=how)
        assert not result.ok and result.error.code == "layer_error"
        assert LAYER in result.error.message and "GetFeature from feature 201" in result.error.message
        assert "ends too early" in result.error.message
        assert feeds.load(source, store, OwnerRegistry(), live=False).layer.featureCount() == COUNT


def test_cancelling_a_wfs_refresh_raises_cancelled_and_keeps_the_previous_copy(qgis_new_project, wfs, tmp_path):
    source = wfs_source(wfs, "1.1.0")
    calls = []

    def progress(fraction: float) -> None:
        calls.append(fraction)
        if len(calls) == 2:
            raise CancelledError

    with Store.open(tmp_path / "p.gpkg") as store:
        before = feeds.refresh(source, store, OwnerRegistry())
        assert before.ok
        with pytest.raises(CancelledError):
            feeds.refresh(source, store, OwnerRegistry(), progress=progress,
                          wfs_options=wfs_io.WfsOptions(page_size=100))
        stopped = QgsFeedback()
        stopped.cancel()
        with pytest.raises(CancelledError):  # before anything was asked
            feeds.refresh(source, store, OwnerRegistry(), feedback=stopped)
        midway = QgsFeedback()
        with pytest.raises(CancelledError):  # the user presses Cancel while the pages come
            feeds.refresh(source, store, OwnerRegistry(), feedback=midway, progress=lambda _f: midway.cancel(),
                          wfs_options=wfs_io.WfsOptions(page_size=100))
        with store.transaction() as conn:
            assert feed_cache.snapshot(conn, source.id) == before.snapshot
        assert len(cached_works(store, source.id)) == COUNT
    assert calls[0] == pytest.approx(100 / COUNT)  # the server's count of features gives the progress


def test_a_wfs_that_refuses_the_request_is_named(qgis_new_project, wfs, tmp_path):
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)
    # QGIS Server's own exception report (with HTTP 400), served as GeoServer serves its reports: with 200
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAME=nessuno")
    (www / "canned.getfeature.xml").write_bytes(refused.value.read())
    with feed_server(www, tmp_path) as fake:
        point_capabilities_at(www, base, fake.url("ows/canned"))
        source = publiacqua_source(fake.url("ows/canned"), kind="wfs", layer=LAYER, version="1.1.0")
        result, _works = refreshed(source, tmp_path / "p.gpkg", wfs_options=wfs_io.WfsOptions(ways=("gml",)))
    assert not result.ok and result.error.code == "layer_unreadable"
    assert "the server says TypeName 'nessuno' could not be found" in result.error.message


def test_a_server_that_ignores_startindex_is_left_to_qgis_provider(qgis_new_project, wfs, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="situation_room_plugin.qgis_io.sources")
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)  # the canned GetFeature answer has every feature, whatever is asked
    with feed_server(www, tmp_path) as fake:
        point_capabilities_at(www, base, fake.url("ows/canned"))
        source = publiacqua_source(fake.url("ows/canned"), kind="wfs", layer=LAYER, version="1.1.0")
        result, works = refreshed(source, tmp_path / "p.gpkg", wfs_options=wfs_io.WfsOptions(page_size=100))
    assert result.ok and len(works) == COUNT, result.problems[:3]  # no feature twice
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "the server does not page" in said and "provider reads the layer" in said


def test_geojson_pages_behind_a_password_are_read_with_the_authcfg(qgis_new_project, wfs, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="situation_room_plugin.qgis_io.sources")
    www = tmp_path / "www"
    base = canned_wfs(wfs, www)
    canned_geojson_pages(wfs, www, 100)
    with feed_server(www, tmp_path) as fake:
        point_capabilities_at(www, base, fake.url("auth/ows/canned"))
        source = publiacqua_source(fake.url("auth/ows/canned"), kind="wfs", layer=LAYER, version="1.1.0",
                                   authcfg=basic_authcfg("tecnico", "giusta"))
        result, works = refreshed(source, tmp_path / "p.gpkg", wfs_options=wfs_io.WfsOptions(page_size=100))
        _refused, nothing = refreshed(replace(source, authcfg=""), tmp_path / "q.gpkg")
    assert result.ok and len(works) == COUNT, result.problems[:3]
    assert any("read as geojson" in r.getMessage() for r in caplog.records)
    assert not _refused.ok and _refused.error.code == "auth_required" and nothing == {}
