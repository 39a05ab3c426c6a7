"""Shared layers: a 50,000-feature GeoJSON feed over HTTP into the offline copy, and a 50,000-feature WFS layer
from QGIS Server (both servers started here, on 127.0.0.1), side by side with QGIS's own way of copying the
same GeoJSON and the same WFS layer into a GeoPackage (OGR or the WFS provider reading, QgsVectorFileWriter
writing the file).

Each copy runs in a QGIS process of its own, so that its memory is its own: `*_rss_mb` is how much that
process grew while copying (its peak resident memory minus what QGIS held before), `feeds.peak_rss_mb` the
highest peak resident memory of our two refreshes, QGIS itself included. Every copy is made REPEAT times
(each a first copy into an empty store or file), ours and QGIS's in turns, and each figure is the median, the
machine being shared. `feeds.wfs50k_ratio` is our WFS copy's median time over QGIS's own, from the same run.

The large feed (`feeds.*200mb`, run alone with `bench/run.py --only feeds.geojson200mb`): a 200 MB GeoJSON file
of about 350,000 valid works of Prato, written to a temporary folder, refreshed into the offline copy
(`geojson200mb`), imported by situation_room:import_feed (`import200mb`), imported a batch at a time into a
GeoPackage by `sources.import_works` (`import_works200mb`) and copied by QGIS (`qgis_native_geojson200mb`): once
each, each in a process of its own; `_s` its seconds, `_rss_mb` that process's peak resident memory, QGIS
included (VmHWM).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import qgis_app

N = 50_000
REPEAT = 5
TARGETS = {"feeds.geojson50k_s": ("<=", 5.0), "feeds.wfs50k_s": ("<=", 15.0), "feeds.wfs50k_ratio": ("<=", 0.5),
           "feeds.geojson200mb_s": ("<=", 60.0), "feeds.geojson200mb_rss_mb": ("<=", 500.0),
           "feeds.import200mb_s": ("<=", 60.0), "feeds.import200mb_rss_mb": ("<=", 500.0),
           "feeds.import_works200mb_s": ("<=", 60.0), "feeds.import_works200mb_rss_mb": ("<=", 500.0)}
#: The large feed: about 300,000 works of Prato, 200 MB of GeoJSON, written here to a temporary folder.
BIG_MB = 200
#: `bench/run.py --only feeds.geojson200mb` runs only the large feed (run.py passes the part in this variable).
PART = "SR_BENCH_PART"
ROOT = Path(__file__).resolve().parent.parent


def run(data_dir: Path) -> dict[str, float]:
    qgis_app()
    from tests.qgis.feeds_helpers import publiacqua_feature, write_collection
    from tests.servers.processes import feed_server, qgis_server
    from tests.servers.qgis_project import write_wfs_project, write_works_gpkg

    results: dict[str, float] = {}
    part = os.environ.get(PART, "")
    if not part or "200mb" in part:
        results.update(_large_feed())
    if part and "200mb" in part:
        return results
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        www = work / "www"
        www.mkdir()
        write_collection(www / "feed.geojson", [publiacqua_feature(i) for i in range(N)])
        wfs_dir = work / "wfs"
        wfs_dir.mkdir()
        project = write_wfs_project(write_works_gpkg(wfs_dir / "pa.gpkg", N), wfs_dir / "pa.qgs")
        with feed_server(www, work) as server:
            url = server.url("files/feed.geojson")
            results.update(_side_by_side("feeds.geojson50k", "geojson_url", url, work))
        with qgis_server(project, wfs_dir) as ows:
            url = ows.url("ows/")
            results.update(_side_by_side("feeds.wfs50k", "wfs", url, work))
    # ours against QGIS's own copy of the same layer, measured in turns in this run
    results["feeds.wfs50k_ratio"] = round(results["feeds.wfs50k_s"] / results["feeds.qgis_native_wfs50k_s"], 3)
    results["feeds.peak_rss_mb"] = max(results.pop("feeds.geojson50k_peak_mb"), results.pop("feeds.wfs50k_peak_mb"))
    for key in ("feeds.qgis_native_geojson50k_peak_mb", "feeds.qgis_native_wfs50k_peak_mb"):
        del results[key]
    return results


def _side_by_side(key: str, kind: str, url: str, work: Path) -> dict[str, float]:
    """Our refresh (`key`) and QGIS's own copy (`key` with qgis_native_) of the same source, made in turns
    REPEAT times each (so that a slow spell of the shared machine falls on both), each in a new process and
    into a new file: the medians of the time (_s), of how much the process grew (_rss_mb) and of its peak
    resident memory (_peak_mb)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    native_key = key.replace("feeds.", "feeds.qgis_native_")
    runs: dict[str, list] = {key: [], native_key: []}
    for run in range(REPEAT):
        for name, how in ((key, "refresh"), (native_key, "native")):
            target = work / f"{name}_{run}.gpkg"
            code = f"from bench.bench_feeds import _copy_here; _copy_here({how!r}, {kind!r}, {url!r}, {str(target)!r})"
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
            assert done.returncode == 0, done.stderr[-3000:]
            runs[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    results = {}
    for name, measured in runs.items():
        seconds, grown, peak = (statistics.median(values) for values in zip(*measured))
        results.update({f"{name}_s": round(seconds, 3), f"{name}_rss_mb": round(grown, 1),
                        f"{name}_peak_mb": round(peak, 1)})
    return results


def _copy_here(how: str, kind: str, url: str, out: str) -> None:
    """The child of `_copy`: prints [seconds, MB grown, peak MB]."""
    qgis_app()
    from qgis.core import QgsProject, QgsVectorFileWriter, QgsVectorLayer

    from situation_room_plugin.core.owners import OwnerRegistry
    from situation_room_plugin.qgis_io import sources as feeds
    from situation_room_plugin.qgis_io.store import Store
    from tests.qgis.feeds_helpers import publiacqua_source
    from tests.servers.qgis_project import LAYER

    if kind == "wfs":
        source = publiacqua_source(url, kind="wfs", layer=LAYER, version="1.1.0", id="pa_wfs")
    else:
        source = publiacqua_source(url)
    before = _resident_mb()
    started = time.perf_counter()
    if how == "refresh":
        with Store.open(out) as store:
            result = feeds.refresh(source, store, OwnerRegistry())
        assert result.ok and result.snapshot.work_count == N, (result.error, result.problems[:3])
    else:
        uri, provider = feeds.provider_uri(source) if kind == "wfs" else (url, "ogr")
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        error = QgsVectorFileWriter.writeAsVectorFormatV3(QgsVectorLayer(uri, "native", provider), out,
                                                          QgsProject.instance().transformContext(), options)
        assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(json.dumps([seconds, peak - before, peak]))


def _resident_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


def write_large_feed(path: Path, megabytes: int) -> int:
    """A GeoJSON file of valid works of Prato (the publiacqua schema, Italian fields) of about `megabytes` MB,
    written a feature at a time (never held whole); how many features it has."""
    from tests.qgis.feeds_helpers import publiacqua_feature

    target = megabytes * 1_000_000
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "name": "cantieri_publiacqua", "features": [\n')
        written = 0
        while written < target:
            feature = publiacqua_feature(count, Note=f"Lavori sulla rete idrica in via numero {count}: "
                                         "chiusura parziale della carreggiata, passaggio pedonale garantito")
            text = ("" if count == 0 else ",\n") + json.dumps(feature, ensure_ascii=False)
            out.write(text)
            written += len(text)
            count += 1
        out.write("\n]}\n")
    return count


def _large_feed() -> dict[str, float]:
    """A 200 MB GeoJSON file refreshed into the offline copy, imported by situation_room:import_feed, and
    copied by QGIS (OGR reading, QgsVectorFileWriter writing a GeoPackage): once each (each takes a while), in
    a process of its own: seconds and peak resident memory of that process (QGIS included)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        feed = work / "cantieri.geojson"
        count = write_large_feed(feed, BIG_MB)
        for name, how in (("feeds.geojson200mb", "refresh"), ("feeds.import200mb", "import"),
                          ("feeds.import_works200mb", "import_works"), ("feeds.qgis_native_geojson200mb", "native")):
            target = work / f"{name}.gpkg"
            code = (f"from bench.bench_feeds import _large_copy_here; "
                    f"_large_copy_here({how!r}, {str(feed)!r}, {str(target)!r}, {count})")
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
            assert done.returncode == 0, done.stderr[-3000:]
            seconds, _grown, peak = json.loads(done.stdout.strip().splitlines()[-1])
            results[f"{name}_s"] = round(seconds, 2)
            results[f"{name}_rss_mb"] = round(peak, 1)
            print(f"{name}: {seconds:.1f} s, peak {peak:.0f} MB", file=sys.stderr, flush=True)
    return results


def _large_copy_here(how: str, path: str, out: str, count: int) -> None:
    """The child of `_large_feed`: prints [seconds, MB grown, peak MB]."""
    qgis_app()
    from qgis.core import QgsApplication, QgsProject, QgsVectorFileWriter, QgsVectorLayer

    from situation_room_plugin.core.owners import OwnerRegistry
    from situation_room_plugin.qgis_io import sources as feeds
    from situation_room_plugin.qgis_io.store import Store
    from tests.qgis.feeds_helpers import publiacqua_source

    source = publiacqua_source(path, kind="geojson_file")
    before = _resident_mb()
    started = time.perf_counter()
    if how == "refresh":
        with Store.open(out) as store:
            result = feeds.refresh(source, store, OwnerRegistry())
        assert result.ok and result.snapshot.work_count == count, (result.error, result.problems[:3])
    elif how == "import":
        import processing

        from situation_room_plugin.processing.provider import SituationRoomProvider

        provider = SituationRoomProvider()
        QgsApplication.processingRegistry().addProvider(provider)
        mapping = json.dumps({"fields": source.mapping.fields, "values": source.mapping.values,
                              "date_formats": source.mapping.date_formats})
        done = processing.run("situation_room:import_feed", {
            "SOURCE": path, "KIND": 1, "OWNER": "publiacqua", "MAPPING": mapping,
            "OUTPUT": out, "REPORT": "memory:"})
        assert done["VALID_COUNT"] == count, done
    elif how == "import_works":  # what import_feed does, a batch at a time (sources.import_works)
        from qgis.core import QgsCoordinateTransformContext, QgsFeatureSink

        from situation_room_plugin.qgis_io import layers

        fields = layers.works_fields()
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        writer = QgsVectorFileWriter.create(out, fields, layers.WORKS_WKB_TYPE, layers.project_crs(),
                                            QgsCoordinateTransformContext(), options)
        written = []

        def add(works: list) -> None:
            writer.addFeatures([layers.work_to_feature(w, fields) for w in works], QgsFeatureSink.Flag.FastInsert)
            written.append(len(works))

        report, read = feeds.import_works(source, OwnerRegistry(), add)
        del writer  # closes the file
        assert read == sum(written) == count and not report.problems, report.problems[:3]
    else:
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        error = QgsVectorFileWriter.writeAsVectorFormatV3(QgsVectorLayer(path, "native", "ogr"), out,
                                                          QgsProject.instance().transformContext(), options)
        assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    print(json.dumps([seconds, peak - before, peak]))


def _peak_mb() -> float:
    """The peak resident memory of this process (VmHWM: unlike ru_maxrss, not that of the parent it was forked
    from)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
