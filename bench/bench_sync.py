"""Sync with the platform: 10,000 changed works pushed to QGIS Server WFS-T over a GeoPackage on loopback
(`sync.push10k_s`: each batch marked in flight, sent, read back by uid and settled), the same 10,000 pulled
into an empty store (`sync.pull10k_s`), side by side with QGIS's own way: a WFS layer of the same platform
edited (one attribute of 10,000 features, with the revision the server's trigger wants) and committed through
QGIS's WFS provider (`sync.qgis_native_commit10k_s`). The platform (qgis_mapserver with the access control)
is started here on 127.0.0.1, in a temporary folder; the QGIS profile (and its authentication database) is a
temporary one too. The first push of the 10,000 new works is reported as `sync.push10k_create_s`.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

N = 10_000
TARGETS = {"sync.push10k_s": ("<=", 30.0), "sync.pull10k_s": ("<=", 10.0)}
ROOT = Path(__file__).resolve().parent.parent


def run(data_dir: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["QGIS_CUSTOM_CONFIG_PATH"] = str(work / "profile")  # the auth DB of this run only
        from bench.common import qgis_app

        qgis_app()
        for path in (ROOT / "platform", ROOT / "platform" / "server_plugins"):
            sys.path.insert(0, str(path))
        from situation_room_platform import server

        from situation_room_plugin.qgis_io.store import Store
        from situation_room_plugin.workflows import sync as sy
        from tests.platform.conftest import USERS, write_access_file
        from tests.qgis.feeds_helpers import basic_authcfg
        from tests.sync.conftest import platform_source
        from tests.sync.helpers import new_work

        results: dict[str, float] = {}
        acl = write_access_file(work / "acl.json")
        name, organisation, password = USERS[0]
        with server.running(work / "platform", acl, "gpkg") as platform:
            source = platform_source(platform.wfs_url, basic_authcfg(name, password))
            source = dataclasses.replace(source, timeout_s=300)
            store = work / "publiacqua.gpkg"
            with Store.open(store) as opened:
                opened.add_works([new_work(i) for i in range(N)], user=name, organisation=organisation)
            started = time.perf_counter()
            report = sy.sync(store, source, "push")
            results["sync.push10k_create_s"] = round(time.perf_counter() - started, 2)
            assert report.sent == N, report.counts()
            with Store.open(store) as opened:
                changed = [dataclasses.replace(w, description="Verificato in sopralluogo")
                           for w in opened.read_works().works]
                opened.add_works(changed, user=name)
            started = time.perf_counter()
            report = sy.sync(store, source, "push")
            results["sync.push10k_s"] = round(time.perf_counter() - started, 2)
            assert report.sent == N, report.counts()
            started = time.perf_counter()
            report = sy.sync(work / "empty.gpkg", source, "pull")
            results["sync.pull10k_s"] = round(time.perf_counter() - started, 2)
            assert report.received == N, report.counts()
            print(results, file=sys.stderr, flush=True)
            results["sync.qgis_native_commit10k_s"] = _qgis_native(platform.wfs_url, source.authcfg)
        return results


def _qgis_native(wfs_url: str, authcfg: str) -> float:
    """Seconds for QGIS's WFS provider to commit one changed attribute (and revision + 1) of every work."""
    from qgis.core import QgsDataSourceUri, QgsNetworkAccessManager, QgsVectorLayer

    QgsNetworkAccessManager.setTimeout(600_000)  # one Transaction of 10,000 Updates takes QGIS Server a while
    uri = QgsDataSourceUri()
    uri.setParam("url", wfs_url.split("?")[0])
    uri.setParam("typename", "works")
    uri.setParam("version", "1.1.0")
    uri.setAuthConfigId(authcfg)
    layer = QgsVectorLayer(uri.uri(False), "works", "WFS")
    if not layer.isValid():
        raise RuntimeError(f"QGIS cannot open the platform's WFS layer: {layer.error().summary()}")
    fields = layer.fields()
    description, revision = fields.indexOf("description"), fields.indexOf("revision")
    features = [(f.id(), f["revision"]) for f in layer.getFeatures()]
    started = time.perf_counter()
    layer.startEditing()
    for fid, stored in features:
        layer.changeAttributeValues(fid, {description: "Controllato da QGIS", revision: stored + 1})
    if not layer.commitChanges():
        raise RuntimeError(f"QGIS's WFS commit failed: {layer.commitErrors()[:3]}")
    return round(time.perf_counter() - started, 2)
