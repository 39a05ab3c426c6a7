"""Clash detection on 10k and 100k synthetic works laid along Prato's roads, and the QGIS-native way
(buffer by half the distance, join attributes by location of the works with themselves, date filter) on
the same 10k works in the same run.

The works are realistic in shape and spread: footprints are stretches of Prato's drivable OSM roads
(5-400 m, median 40 m, 3-8 m wide) picked in proportion to road length, with random dates over two
years (durations 1-120 days, mostly one to three weeks), a mix of statuses, traffic impacts and night
works. 100k works in two years is far denser than any city's archive: the hard case.
"""

from __future__ import annotations

import sqlite3
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import shapely

from bench.common import footprints_along, peak_rss_mb, qgis_app, timed

TARGETS = {
    "overlap.n10k_s": ("<=", 0.02),
    "overlap.n100k_s": ("<=", 0.5),
}

DISTANCE_M = 20.0
DRIVABLE = {
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "living_street",
    "service", "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link",
}
FIRST_DAY = date(2025, 1, 1)
SPAN_DAYS = 730


def load_roads(data_dir: Path) -> tuple[np.ndarray, list[str]]:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from situation_room_plugin.qgis_io import gpkg

    conn = sqlite3.connect(data_dir / "prato" / "prato_roads.gpkg")
    rows = [r for r in conn.execute("SELECT GEOMETRY, highway FROM roads") if r[1] in DRIVABLE]
    return gpkg.decode_many([r[0] for r in rows]), [r[1] for r in rows]


def synthetic_works(roads: np.ndarray, n: int, seed: int = 4) -> list:
    from situation_room_plugin.core.works import Work

    rng = np.random.default_rng(seed)
    footprints = footprints_along(roads, n, rng)
    footprints = np.asarray([g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in footprints],
                            dtype=object)
    starts = rng.integers(0, SPAN_DAYS, n)
    durations = np.clip(rng.geometric(1 / 12, n), 1, 120)
    statuses = rng.choice(["planned", "authorized", "in_progress", "draft", "completed", "cancelled"], n,
                          p=[0.35, 0.25, 0.2, 0.1, 0.06, 0.04])
    impacts = rng.choice(["all-lanes-closed", "some-lanes-closed", "alternating-one-way", "all-lanes-open"], n,
                         p=[0.3, 0.3, 0.25, 0.15])
    types = rng.choice(["excavation", "network_maintenance", "new_connection", "resurfacing", "event"], n,
                       p=[0.4, 0.25, 0.2, 0.1, 0.05])
    night = rng.random(n) < 0.1
    works = []
    for i in range(n):
        start = FIRST_DAY + timedelta(days=int(starts[i]))
        works.append(Work(
            uid=str(uuid.UUID(int=i + 1)), title=f"Cantiere {i}", owner="publiacqua", work_type=str(types[i]),
            status=str(statuses[i]), start_date=start, end_date=start + timedelta(days=int(durations[i]) - 1),
            daily_hours="22:00-06:00" if night[i] else "", night_work=bool(night[i]),
            traffic_impact=str(impacts[i]), excavation=types[i] in ("excavation", "new_connection"),
            geometry=footprints[i],
        ))
    return works


def qgis_native_seconds(works: list) -> tuple[float, int]:
    """Buffer by half the distance, join by location (one-to-many), keep the pairs whose dates overlap."""
    qgis_app()
    import processing
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer
    from qgis.PyQt.QtCore import QDate, QVariant

    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:6707", "works", "memory")
    layer.dataProvider().addAttributes([QgsField("uid", QVariant.Type.String),
                                        QgsField("start_date", QVariant.Type.Date),
                                        QgsField("end_date", QVariant.Type.Date)])
    layer.updateFields()
    features = []
    for work in works:
        feature = QgsFeature(layer.fields())
        s, e = work.start_date, work.end_date
        feature.setAttributes([work.uid, QDate(s.year, s.month, s.day), QDate(e.year, e.month, e.day)])
        geometry = QgsGeometry()
        geometry.fromWkb(shapely.to_wkb(work.geometry))
        feature.setGeometry(geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)

    def native() -> int:
        buffered = processing.run("native:buffer", {
            "INPUT": layer, "DISTANCE": DISTANCE_M / 2, "SEGMENTS": 5, "DISSOLVE": False, "OUTPUT": "memory:",
        })["OUTPUT"]
        joined = processing.run("native:joinattributesbylocation", {
            "INPUT": buffered, "JOIN": buffered, "PREDICATE": [0], "METHOD": 0, "DISCARD_NONMATCHING": True,
            "PREFIX": "b_", "OUTPUT": "memory:",
        })["OUTPUT"]
        filtered = processing.run("native:extractbyexpression", {
            "INPUT": joined, "OUTPUT": "memory:",
            "EXPRESSION": '"uid" < "b_uid" AND "start_date" <= "b_end_date" AND "b_start_date" <= "end_date"',
        })["OUTPUT"]
        return filtered.featureCount()

    return timed(native, repeat=1)


def run(data_dir: Path) -> dict[str, float]:
    from situation_room_plugin.core import conflicts as engine

    roads, _ = load_roads(data_dir)
    results: dict[str, float] = {}
    for n, key in ((10_000, "n10k"), (100_000, "n100k")):
        works = synthetic_works(roads, n)
        seconds, arrays = timed(lambda works=works: engine.WorkArrays.from_works(works), repeat=1)
        results[f"overlap.prepare_{key}_s"] = round(seconds, 4)
        seconds, found = timed(lambda arrays=arrays: engine.find_clashes(arrays), repeat=15 if n == 10_000 else 7)
        results[f"overlap.{key}_s"] = round(seconds, 4)
        results[f"overlap.{key}_clashes"] = len(found)
        seconds, detection = timed(lambda arrays=arrays: engine.detect(arrays), repeat=3)
        results[f"overlap.{key}_clashes_and_opportunities_s"] = round(seconds, 4)
        results[f"overlap.{key}_opportunities"] = detection.count(engine.ConflictKind.OPPORTUNITY)
        if n == 10_000:
            seconds, _ = timed(lambda detection=detection: detection.conflicts(with_geometry=True), repeat=1)
            results["overlap.n10k_records_with_geometry_s"] = round(seconds, 4)
            active = [w for w in works if w.status not in ("completed", "cancelled")]
            seconds, pairs = qgis_native_seconds(active)
            results["overlap.qgis_native_n10k_s"] = round(seconds, 3)
            results["overlap.qgis_native_n10k_pairs"] = pairs
    results["overlap.peak_rss_mb"] = round(peak_rss_mb(), 1)
    return results
