"""GeoJSON and WZDx feeds over HTTP from a real server on 127.0.0.1, the offline copy, and every failure."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import processing
import pytest
from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingFeedback
from qgis.PyQt.QtCore import QCoreApplication

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.qgis_io import feed_cache
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.qgis_io.transport import HttpOptions
from tests.qgis.feeds_helpers import (
    basic_authcfg,
    cached_works,
    publiacqua_feature,
    publiacqua_source,
    write_collection,
)
from tests.servers.processes import feed_server

FAST = HttpOptions(idle_timeout_s=2, retries=2, backoff_s=0.1)


@pytest.fixture
def feed_dir(tmp_path: Path) -> Path:
    root = tmp_path / "www"
    root.mkdir()
    features = [publiacqua_feature(i) for i in range(5)]
    write_collection(root / "cantieri.geojson", features)
    return root


@pytest.fixture
def server(feed_dir: Path, tmp_path: Path):
    with feed_server(feed_dir, tmp_path) as running:
        yield running


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "project.gpkg") as opened:
        yield opened


def cached_uids(store: Store, source_id: str) -> list[str]:
    with store.transaction() as conn:
        return [uid for (uid,) in conn.execute(
            f"SELECT uid FROM {feed_cache.WORKS_TABLE} WHERE source_id = ? ORDER BY uid", (source_id,))]


def test_a_geojson_feed_with_its_own_field_names_is_cached_as_works(qgis_new_project, server, store):
    source = publiacqua_source(server.url("files/cantieri.geojson"))
    result = feeds.refresh(source, store, OwnerRegistry(), options=FAST)
    assert result.ok and result.problems == []
    assert result.snapshot.feature_count == 5 and result.snapshot.work_count == 5
    assert result.snapshot.etag.startswith('"') and result.snapshot.last_modified.endswith("GMT")
    loaded = feeds.load(source, store, OwnerRegistry(), live=False)
    layer = loaded.layer
    assert layer.isValid() and layer.featureCount() == 5 and loaded.from_cache
    work = next(layer.getFeatures())
    assert work["owner"] == "publiacqua" and work["work_type"] == "excavation"
    assert work["traffic_impact"] == "alternating-one-way" and work["permit_ref"].startswith("PA-")
    assert 660_000 < layer.extent().xMinimum() < 675_000  # metres of EPSG:6707, in Prato


def test_an_unchanged_feed_is_not_downloaded_again(qgis_new_project, server, store):
    source = publiacqua_source(server.url("files/cantieri.geojson"))
    first = feeds.refresh(source, store, OwnerRegistry(), options=FAST)
    copied = cached_uids(store, "publiacqua")
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    again = feeds.refresh(source, store, OwnerRegistry(), options=FAST, now=later)
    assert again.ok and again.not_modified
    assert again.snapshot.snapshot_at == first.snapshot.snapshot_at
    assert again.snapshot.checked_at > first.snapshot.checked_at
    assert len(copied) == 5 and cached_uids(store, "publiacqua") == copied


def test_with_the_server_down_the_cached_copy_loads_and_the_user_is_told_how_old_it_is(
    qgis_new_project, feed_dir, tmp_path, store
):
    with feed_server(feed_dir, tmp_path) as running:
        source = publiacqua_source(running.url("files/cantieri.geojson"))
        assert feeds.refresh(source, store, OwnerRegistry(), options=FAST).ok
    later = datetime.now(timezone.utc) + timedelta(days=3, hours=2)
    loaded = feeds.load(source, store, OwnerRegistry(), options=FAST, now=later)
    assert loaded.from_cache and loaded.layer.featureCount() == 5
    codes = [p.code for p in loaded.problems]
    assert codes[:2] == ["cached_copy_used", "network_error"]
    assert "3 days old" in loaded.problems[0].message
    assert "Connection refused" in loaded.problems[1].message


def test_a_source_never_read_and_unreachable_says_there_is_no_copy(qgis_new_project, store):
    source = publiacqua_source("http://127.0.0.1:9/nowhere.geojson")
    loaded = feeds.load(source, store, OwnerRegistry(), options=FAST)
    assert loaded.layer is None and [p.code for p in loaded.problems][-1] == "no_cached_copy"


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("status/500/cantieri.geojson", "http_error", "HTTP 500"),
        ("status/404/cantieri.geojson", "http_error", "HTTP 404"),
        ("slow/5/cantieri.geojson", "idle_timeout", "silent for 2 s"),
        ("truncated/cantieri.geojson", "network_error", "connection closed before the whole answer"),
        ("auth/cantieri.geojson", "auth_required", "authcfg"),
    ],
)
def test_a_failed_refresh_says_why_and_keeps_the_previous_copy(qgis_new_project, server, store, path, code, words):
    good = publiacqua_source(server.url("files/cantieri.geojson"))
    before = feeds.refresh(good, store, OwnerRegistry(), options=FAST)
    copied = cached_uids(store, "publiacqua")
    bad = publiacqua_source(server.url(path))
    result = feeds.refresh(bad, store, OwnerRegistry(), options=FAST)
    assert not result.ok and result.error.code == code and words in result.error.message
    assert result.error.record == "publiacqua"
    assert len(copied) == 5 and cached_uids(store, "publiacqua") == copied
    with store.transaction() as conn:
        assert feed_cache.snapshot(conn, "publiacqua").snapshot_at == before.snapshot.snapshot_at


def test_an_answer_cut_off_becomes_the_copy_of_the_features_before_the_cut_and_is_downloaded_again(
    qgis_new_project, server, feed_dir, store
):
    good = publiacqua_source(server.url("files/cantieri.geojson"))
    assert feeds.refresh(good, store, OwnerRegistry(), options=FAST).snapshot.work_count == 5
    body = (feed_dir / "cantieri.geojson").read_bytes()
    half = body[: len(body) // 2]  # what the server sends of it (no length announced)
    kept = half.count(b'{"type": "Feature"') - 1  # the feature being sent at the cut is lost
    assert 0 < kept < 5
    cut = publiacqua_source(server.url("cut/cantieri.geojson"))
    result = feeds.refresh(cut, store, OwnerRegistry(), options=FAST)
    assert result.ok and result.error is None
    [problem] = result.problems
    assert problem.code == "truncated_json" and problem.record == "publiacqua"
    assert f"byte {len(half)}" in problem.message and f"after feature {kept}" in problem.message
    titles = sorted(work["title"] for work in cached_works(store, "publiacqua"))
    assert titles == [f"Rete idrica, intervento {i}" for i in range(kept)]
    assert result.snapshot.work_count == kept and result.snapshot.etag == ""  # the next refresh reads it whole
    with store.transaction() as conn:
        assert [p.code for p in feed_cache.cached_problems(conn, "publiacqua")] == ["truncated_json"]


def test_transient_failures_are_retried_with_backoff(qgis_new_project, server, store):
    source = publiacqua_source(server.url("flaky/2/cantieri.geojson"))
    result = feeds.refresh(source, store, OwnerRegistry(),
                           options=HttpOptions(idle_timeout_s=5, retries=3, backoff_s=0.05))
    assert result.ok and result.snapshot.work_count == 5
    hits = feeds.transport.get(server.url("hits/cantieri.geojson"), label="t").body
    assert int(hits) == 3
    refused = feeds.refresh(publiacqua_source(server.url("status/404/cantieri.geojson")), store, OwnerRegistry(),
                            options=FAST)
    assert refused.error.params["attempts"] == 1  # a 404 is not retried


def test_a_body_over_the_size_limit_is_refused(qgis_new_project, server, store):
    source = publiacqua_source(server.url("big/3"))
    result = feeds.refresh(source, store, OwnerRegistry(), options=HttpOptions(idle_timeout_s=10, max_mb=1))
    assert result.error.code == "too_large" and "1 MB" in result.error.message


def test_credentials_come_from_the_auth_database_and_a_wrong_password_is_named(qgis_new_project, server, store):
    right = basic_authcfg("tecnico", "giusta")
    wrong = basic_authcfg("tecnico", "sbagliata")
    ok = feeds.refresh(publiacqua_source(server.url("auth/cantieri.geojson"), authcfg=right), store, OwnerRegistry(),
                       options=FAST)
    assert ok.ok and ok.snapshot.work_count == 5
    failed = feeds.refresh(publiacqua_source(server.url("auth/cantieri.geojson"), authcfg=wrong), store,
                           OwnerRegistry(), options=FAST)
    assert failed.error.code == "auth_failed" and wrong in failed.error.message
    assert "sbagliata" not in failed.error.message
    missing = feeds.refresh(publiacqua_source(server.url("auth/cantieri.geojson"), authcfg="nope123"), store,
                            OwnerRegistry(), options=FAST)
    assert missing.error.code == "auth_config_missing"


def test_bad_features_are_reported_per_feature_and_the_good_ones_cached(qgis_new_project, feed_dir, server, store):
    features = [
        publiacqua_feature(0),
        publiacqua_feature(1, **{"Data prevista inizio lavori": "marzo 2026"}),
        publiacqua_feature(2, **{"Tipo intervento": "Demolizione"}),
        publiacqua_feature(3, geometry={"type": "Polygon", "coordinates": [[[43.87, 11.08], [43.8702, 11.08],
                                                                             [43.8702, 11.0802], [43.87, 11.08]]]}),
        publiacqua_feature(4, geometry={"type": "Polygon", "coordinates": [[[11.1, 43.8]]]}),
        publiacqua_feature(5, geometry={"type": "Point", "coordinates": [668000, 4861000]}),
        publiacqua_feature(6, Oggetto=None, geometry=None),
        publiacqua_feature(7),
    ]
    write_collection(feed_dir / "misto.geojson", features)
    result = feeds.refresh(publiacqua_source(server.url("files/misto.geojson")), store, OwnerRegistry(), options=FAST)
    assert result.ok and result.snapshot.feature_count == 8 and result.snapshot.work_count == 2
    found = {(p.record.split(" ")[1], p.field, p.code) for p in result.problems}
    assert found == {
        ("#PA-00001", "start_date", "bad_date_format"), ("#PA-00002", "work_type", "unknown_value"),
        ("#PA-00003", "geometry", "swapped_coordinates"), ("#PA-00004", "geometry", "geometry_unreadable"),
        ("#PA-00005", "geometry", "not_lonlat"), ("#PA-00006", "title", "missing_value"),
        ("#PA-00006", "geometry", "missing_geometry"),
    }
    swapped = next(p for p in result.problems if p.code == "swapped_coordinates")
    assert "swapped" in swapped.message and swapped.record.startswith("publiacqua #PA-00003")
    with store.transaction() as conn:
        assert [p.code for p in feed_cache.cached_problems(conn, "publiacqua")] == [p.code for p in result.problems]


def test_a_geojson_file_in_gauss_boaga_is_read_with_its_crs(qgis_new_project, tmp_path, store):
    feature = publiacqua_feature(1, geometry={"type": "Polygon", "coordinates": [[
        [1668000, 4861000], [1668020, 4861000], [1668020, 4861020], [1668000, 4861020], [1668000, 4861000]]]})
    path = write_collection(tmp_path / "gb.geojson", [feature],
                            crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3003"}})
    result = feeds.refresh(publiacqua_source(str(path), kind="geojson_file"), store, OwnerRegistry())
    assert result.ok and result.problems == []
    [work] = cached_works(store, "publiacqua")
    xmin = work["geometry"].bounds[0]
    assert 667_900 < xmin < 668_000


def test_a_missing_file_is_named(qgis_new_project, tmp_path, store):
    result = feeds.refresh(publiacqua_source(str(tmp_path / "none.geojson"), kind="geojson_file"), store,
                           OwnerRegistry())
    assert result.error.code == "file_unreadable" and "none.geojson" in result.error.message


def test_a_roads_source_is_cached_with_its_own_attributes(qgis_new_project, tmp_path, store):
    roads = [{"type": "Feature", "id": i, "properties": {"name": f"Via {i}", "lanes": i, "oneway": i % 2 == 0},
              "geometry": {"type": "LineString", "coordinates": [[11.09, 43.88 + i * 0.001], [11.1, 43.88]]}}
             for i in range(1, 4)]
    roads.append({"type": "Feature", "id": 9, "properties": {"name": "Fuori"},
                  "geometry": {"type": "LineString", "coordinates": [[4000, 4], [5000, 5]]}})
    path = write_collection(tmp_path / "roads.geojson", roads)
    source = publiacqua_source(str(path), kind="geojson_file", id="strade", role="roads", title="Grafo")
    result = feeds.refresh(source, store, OwnerRegistry())
    assert result.ok and result.snapshot.feature_count == 3 and [p.code for p in result.problems] == ["not_lonlat"]
    layer = feeds.load(source, store, OwnerRegistry(), live=False).layer
    assert layer.featureCount() == 3 and {f["name"] for f in layer.getFeatures()} == {"Via 1", "Via 2", "Via 3"}
    assert layer.fields().field("lanes").typeName().lower().startswith(("int", "long"))
    assert json.loads(json.dumps([f["lanes"] for f in layer.getFeatures()])) == [1, 2, 3]


def test_a_gtfs_source_is_registered_but_not_loaded_as_a_layer(qgis_new_project, tmp_path, store):
    source = publiacqua_source(str(tmp_path / "gtfs.zip"), kind="gtfs", id="cap_gtfs", role="bus")
    result = feeds.refresh(source, store, OwnerRegistry())
    assert not result.ok and result.error.code == "kind_not_loaded" and "gtfs" in result.error.message


# ---------------------------------------------------------------------------------------------------------
# Patience with a server: silence, the overall limit, the size limit, per source; the declared charset


def padded_collection(path: Path, megabytes: float) -> Path:
    """A valid feed of 5 works made larger than `megabytes` by trailing whitespace (still valid JSON)."""
    write_collection(path, [publiacqua_feature(i) for i in range(5)])
    with path.open("a", encoding="utf-8") as out:
        out.write(" " * int(megabytes * 1024 * 1024))
    return path


def test_a_server_that_goes_silent_is_given_up_after_the_source_s_idle_timeout(qgis_new_project, server, store):
    # half the feed, then 60 s of silence: the source's 1 s without a byte gives up long before that
    source = publiacqua_source(server.url("stall/60/cantieri.geojson"), timeout_s=1)
    result = feeds.refresh(source, store, OwnerRegistry(), options=HttpOptions(retries=1, backoff_s=0.1))
    assert not result.ok and result.error.code == "idle_timeout"
    assert "silent for 1 s" in result.error.message and "tried 2 times" in result.error.message
    assert "timeout_s" in result.error.message


def test_a_feed_that_trickles_in_is_read_whole_though_it_takes_longer_than_the_idle_timeout(
    qgis_new_project, server, store
):
    # 8 pieces 0.4 s apart: about 3 s in all, never 2 s without a byte
    source = publiacqua_source(server.url("trickle/8/0.4/cantieri.geojson"), timeout_s=2)
    result = feeds.refresh(source, store, OwnerRegistry(), options=HttpOptions(retries=0))
    assert result.ok and result.snapshot.work_count == 5


def test_a_feed_that_trickles_past_the_overall_limit_is_refused_and_not_retried(qgis_new_project, server, store):
    # 20 pieces 0.5 s apart (10 s), each well within the idle timeout, the whole over the source's 2 s
    source = publiacqua_source(server.url("trickle/20/0.5/cantieri.geojson"), timeout_s=5, total_timeout_s=2)
    result = feeds.refresh(source, store, OwnerRegistry(), options=HttpOptions(retries=3, backoff_s=0.1))
    assert not result.ok and result.error.code == "total_timeout"
    assert result.error.params["attempts"] == 1
    assert "overall limit of 2 s" in result.error.message and "total_timeout_s" in result.error.message


def test_a_source_s_own_size_limit_lets_a_large_answer_through(qgis_new_project, feed_dir, server, store):
    padded_collection(feed_dir / "grande.geojson", 1.5)
    url = server.url("files/grande.geojson")
    refused = feeds.refresh(publiacqua_source(url), store, OwnerRegistry(), options=HttpOptions(max_mb=1))
    assert refused.error.code == "too_large" and "1 MB" in refused.error.message
    assert "max_mb" in refused.error.message and "MAX_MB" in refused.error.message
    raised = feeds.refresh(publiacqua_source(url, max_mb=3), store, OwnerRegistry(), options=HttpOptions(max_mb=1))
    assert raised.ok and raised.snapshot.work_count == 5


def test_a_file_over_the_size_limit_is_refused_by_name_before_it_is_read(qgis_new_project, tmp_path, store):
    path = padded_collection(tmp_path / "esportazione.geojson", 1.5)
    refused = feeds.refresh(publiacqua_source(str(path), kind="geojson_file", max_mb=1), store, OwnerRegistry())
    assert not refused.ok and refused.error.code == "file_too_large"
    message = refused.error.message
    assert "esportazione.geojson" in message and "1.5 MB" in message and "limit of 1 MB" in message
    assert "max_mb" in message
    kept = feeds.refresh(publiacqua_source(path.as_uri(), kind="geojson_file", max_mb=2), store, OwnerRegistry())
    assert kept.ok and kept.snapshot.work_count == 5


@pytest.mark.parametrize(
    ("charset", "codec", "title"),
    [
        ("windows-1252", "cp1252", "Via Santa Trinità — perché è chiusa"),
        ("ISO-8859-1", "latin-1", "Via Santa Trinità, perché è chiusa"),
        ("iso-8859-15", "iso-8859-15", "Via Santa Trinità: 5 € al giorno"),
        ("utf-16", "utf-16", "Via Santa Trinità — perché è chiusa"),
        # a server that says ISO-8859-1 by default of a feed in UTF-8: valid UTF-8 wins
        ("iso-8859-1", "utf-8", "Via Santa Trinità — perché è chiusa"),
    ],
)
def test_an_answer_is_read_in_the_charset_its_server_declares(
    qgis_new_project, feed_dir, server, store, charset, codec, title
):
    document = {"type": "FeatureCollection", "features": [publiacqua_feature(1, Oggetto=title)]}
    (feed_dir / "accenti.geojson").write_bytes(json.dumps(document, ensure_ascii=False).encode(codec))
    result = feeds.refresh(publiacqua_source(server.url(f"charset/{charset}/accenti.geojson")), store,
                           OwnerRegistry(), options=FAST)
    assert result.ok and result.problems == []
    [work] = cached_works(store, "publiacqua")
    assert work["title"] == title


def test_a_windows_1252_answer_without_a_charset_is_read_so_with_a_warning(qgis_new_project, feed_dir, server, store):
    title = "Via Santa Trinità — perché è chiusa"
    document = {"type": "FeatureCollection", "features": [publiacqua_feature(1, Oggetto=title)]}
    (feed_dir / "accenti.geojson").write_bytes(json.dumps(document, ensure_ascii=False).encode("cp1252"))
    result = feeds.refresh(publiacqua_source(server.url("files/accenti.geojson")), store, OwnerRegistry(),
                           options=FAST)
    assert result.ok and [p.code for p in result.problems] == ["read_as_cp1252"]
    [work] = cached_works(store, "publiacqua")
    assert work["title"] == title


# ---------------------------------------------------------------------------------------------------------
# import_feed: the same limits as parameters, and no credentials in an address


class RecordingFeedback(QgsProcessingFeedback):
    """A feedback that keeps every text it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def pushInfo(self, info: str) -> None:
        self.texts.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning: str) -> None:
        self.texts.append(warning)
        super().pushWarning(warning)

    def reportError(self, error: str, fatalError: bool = False) -> None:
        self.texts.append(error)
        super().reportError(error, fatalError)

    def pushDebugInfo(self, info: str) -> None:
        self.texts.append(info)
        super().pushDebugInfo(info)

    def pushCommandInfo(self, info: str) -> None:
        self.texts.append(info)
        super().pushCommandInfo(info)

    def pushConsoleInfo(self, info: str) -> None:
        self.texts.append(info)
        super().pushConsoleInfo(info)

    def setProgressText(self, text: str) -> None:
        self.texts.append(text)
        super().setProgressText(text)


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_import_feed_refuses_an_address_with_a_password_and_never_writes_the_password(
    provider, qgis_new_project, server, caplog, scheme
):
    caplog.set_level(logging.DEBUG)
    logged: list[str] = []

    def listen(message: str, tag: str, level: Any) -> None:
        logged.append(f"{tag}: {message}")

    QgsApplication.messageLog().messageReceived.connect(listen)
    feedback = RecordingFeedback()
    port = server.url("").rstrip("/").rsplit(":", 1)[1]
    try:
        with pytest.raises(QgsProcessingException) as refused:
            processing.run("situation_room:import_feed", {
                "SOURCE": f"{scheme}://user:secret@127.0.0.1:{port}/x.geojson", "KIND": 0, "OWNER": "publiacqua",
                "OUTPUT": "memory:", "REPORT": "memory:"}, feedback=feedback)
        QCoreApplication.processEvents()  # messages queued from other threads
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(listen)
    said = [str(refused.value), *feedback.texts, *logged, *(r.getMessage() for r in caplog.records)]
    assert "user name or password" in str(refused.value) and "127.0.0.1" in str(refused.value)
    assert not [text for text in said if "secret" in text]
    assert feeds.transport.get(server.url("hits/x.geojson"), label="t").body == b"0"  # nothing was requested


def test_import_feed_takes_the_idle_timeout_and_the_size_limit_as_parameters(
    provider, qgis_new_project, server, tmp_path
):
    path = padded_collection(tmp_path / "esportazione.geojson", 1.5)
    with pytest.raises(QgsProcessingException, match=r"esportazione\.geojson is 1\.5 MB"):
        processing.run("situation_room:import_feed", {
            "SOURCE": str(path), "KIND": 1, "OWNER": "publiacqua", "MAX_MB": 1, "OUTPUT": "memory:",
            "REPORT": "memory:"})
    with pytest.raises(QgsProcessingException, match="silent for 1 s"):
        processing.run("situation_room:import_feed", {
            "SOURCE": server.url("stall/60/cantieri.geojson"), "KIND": 0, "OWNER": "publiacqua",
            "IDLE_TIMEOUT": 1, "OUTPUT": "memory:", "REPORT": "memory:"})
    with pytest.raises(QgsProcessingException, match="MAX_MB"):
        processing.run("situation_room:import_feed", {
            "SOURCE": server.url("big/2"), "KIND": 0, "OWNER": "publiacqua", "MAX_MB": 1,
            "OUTPUT": "memory:", "REPORT": "memory:"})
    result = processing.run("situation_room:import_feed", {
        "SOURCE": server.url("trickle/4/0.3/cantieri.geojson"), "KIND": 0, "OWNER": "publiacqua",
        "IDLE_TIMEOUT": 2, "TOTAL_TIMEOUT": 120, "MAX_MB": 1, "OUTPUT": "memory:", "REPORT": "memory:"})
    assert result["VALID_COUNT"] + result["INVALID_COUNT"] == 5
