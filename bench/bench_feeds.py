"""Shared layers: a 50,000-feature GeoJSON feed over HTTP into the offline copy, and a 50,000-feature WFS layer
from QGIS Server (both servers started here, on 127.0.0.1), side by side with QGIS's own way of copying the
same GeoJSON and the same WFS layer into a GeoPackage (OGR or the WFS provider reading, QgsVectorFileWriter
writing the file).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, qgis_app

N = 50_000
TARGETS = {"feeds.geojson50k_s": ("<=", 5.0), "feeds.wfs50k_s": ("<=", 15.0)}


def run(data_dir: Path) -> dict[str, float]:
    qgis_app()
    from qgis.core import QgsProject, QgsVectorFileWriter, QgsVectorLayer

    from situation_room_plugin.core.owners import OwnerRegistry
    from situation_room_plugin.qgis_io import sources as feeds
    from situation_room_plugin.qgis_io.store import Store
    from tests.qgis.feeds_helpers import publiacqua_feature, publiacqua_source, write_collection
    from tests.servers.processes import feed_server, qgis_server
    from tests.servers.qgis_project import LAYER, write_wfs_project, write_works_gpkg

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        www = work / "www"
        www.mkdir()
        write_collection(www / "feed.geojson", [publiacqua_feature(i) for i in range(N)])
        with feed_server(www, work) as server, Store.open(work / "store.gpkg") as store:
            source = publiacqua_source(server.url("files/feed.geojson"))
            started = time.perf_counter()
            result = feeds.refresh(source, store, OwnerRegistry())
            results["feeds.geojson50k_s"] = round(time.perf_counter() - started, 3)
            assert result.ok and result.snapshot.work_count == N, result.problems[:3]

            started = time.perf_counter()
            native = QgsVectorLayer(server.url("files/feed.geojson"), "native", "ogr")
            options = QgsVectorFileWriter.SaveVectorOptions()
            options.driverName = "GPKG"
            error = QgsVectorFileWriter.writeAsVectorFormatV3(native, str(work / "native.gpkg"),
                                                              QgsProject.instance().transformContext(), options)
            results["feeds.qgis_native_geojson50k_s"] = round(time.perf_counter() - started, 3)
            assert error[0] == QgsVectorFileWriter.WriterError.NoError, error

        wfs_dir = work / "wfs"
        wfs_dir.mkdir()
        project = write_wfs_project(write_works_gpkg(wfs_dir / "pa.gpkg", N), wfs_dir / "pa.qgs")
        with qgis_server(project, wfs_dir) as ows, Store.open(work / "store.gpkg") as store:
            source = publiacqua_source(ows.url("ows/"), kind="wfs", layer=LAYER, version="1.1.0", id="pa_wfs")
            started = time.perf_counter()
            result = feeds.refresh(source, store, OwnerRegistry())
            results["feeds.wfs50k_s"] = round(time.perf_counter() - started, 3)
            assert result.ok and result.snapshot.work_count == N, (result.error, result.snapshot)

            uri, provider = feeds.provider_uri(source)
            started = time.perf_counter()
            native = QgsVectorLayer(uri + " sr_native='1'", "native", provider)
            options = QgsVectorFileWriter.SaveVectorOptions()
            options.driverName = "GPKG"
            error = QgsVectorFileWriter.writeAsVectorFormatV3(native, str(work / "native_wfs.gpkg"),
                                                              QgsProject.instance().transformContext(), options)
            results["feeds.qgis_native_wfs50k_s"] = round(time.perf_counter() - started, 3)
            assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    results["feeds.peak_rss_mb"] = round(peak_rss_mb(), 1)
    return results
