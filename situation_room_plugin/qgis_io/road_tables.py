"""Road lines straight from a GeoPackage table over sqlite3 (no QGIS needed): for the graph cache's
callers, the benchmark and the tests. Inside QGIS any line layer goes through `qgis_io.roads` instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from situation_room_plugin.core.roads import ROAD_ATTRIBUTES, RoadLines
from situation_room_plugin.qgis_io import gpkg


def read_road_lines(
    path: str | Path, table: str = "roads", field_map: Mapping[str, str] | None = None
) -> RoadLines:
    """The lines of a GeoPackage feature table with the attributes the graph builder reads.

    `field_map` maps ROAD_ATTRIBUTES names to the table's columns (default: the same names); attributes
    whose column is absent are None everywhere.
    """
    field_map = dict(field_map or {})
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        geometry_column, = conn.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
        ).fetchone()
        columns = {row[1].lower(): row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        pk = next((row[1] for row in conn.execute(f'PRAGMA table_info("{table}")') if row[5]), "rowid")
        wanted = []
        for name in ROAD_ATTRIBUTES:
            column = columns.get(field_map.get(name, name).lower())
            wanted.append(f'"{column}"' if column else "NULL")
        rows = conn.execute(
            f'SELECT "{pk}", "{geometry_column}", {", ".join(wanted)} FROM "{table}" ORDER BY "{pk}"'
        ).fetchall()
    finally:
        conn.close()
    geometries = gpkg.decode_many([row[1] for row in rows])
    attributes = {name: [row[2 + i] for row in rows] for i, name in enumerate(ROAD_ATTRIBUTES)}
    return RoadLines(geometries, np.asarray([row[0] for row in rows], dtype=np.int64), attributes)
