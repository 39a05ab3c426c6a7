"""Prato's reference data as the demo reads it: the road lines of ../shared/data/prato/prato_roads.gpkg (read
over sqlite3, no QGIS needed) and the road graph the core engines build from them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from situation_room_plugin.core.roads import ROAD_ATTRIBUTES, RoadGraph, RoadLines, build_graph
from situation_room_plugin.qgis_io import gpkg

ROOT = Path(__file__).resolve().parents[2]
#: Where the reference data lives (../shared/data next to the repository), or DEMO_DATA.
SHARED_DATA = ROOT.parent / "shared" / "data"
ROADS_TABLE = "roads"


def prato_folder(data: Path | None = None) -> Path:
    return (data or SHARED_DATA) / "prato"


def read_roads(path: Path) -> RoadLines:
    """The road lines of a GeoPackage (EPSG:6707) with their OSM tags, in feature id order."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the roads of Prato are missing (see ../shared/data/README.md)")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[1] for row in conn.execute(f"PRAGMA table_info({ROADS_TABLE})")]
        wanted = [name for name in (*ROAD_ATTRIBUTES, "lanes") if name in names]
        rows = conn.execute(f'SELECT fid, GEOMETRY, {", ".join(wanted)} FROM {ROADS_TABLE} ORDER BY fid').fetchall()
    finally:
        conn.close()
    geometries = gpkg.decode_many([row[1] for row in rows])
    attributes = {name: [row[2 + i] for row in rows] for i, name in enumerate(wanted)}
    return RoadLines(geometries, np.asarray([row[0] for row in rows], dtype=np.int64), attributes)


def road_graph(lines: RoadLines) -> RoadGraph:
    return build_graph(lines)


def read_schools(pbf: Path) -> list:
    """The schools and kindergartens of an OpenStreetMap extract (points and areas, EPSG:6707), as seed Places.
    Reads the extract with GDAL's OSM driver through QGIS (a QgsApplication must be running)."""
    from shapely import wkb

    from situation_room_plugin.qgis_io.osm import read_osm_places
    from tools.demo.seed import Place

    rows = read_osm_places(pbf)
    places = []
    for key, name, kind, _capacity, geometry in [*rows.points, *rows.areas]:
        if kind in ("school", "kindergarten"):
            places.append(Place(key, name, wkb.loads(bytes(geometry.asWkb()))))
    return places
