"""GeoPackage essentials over sqlite3: the geometry blob format, the core tables and spatially indexed
feature tables, so that the store writes GeoPackages that QGIS and GDAL read and edit as their own.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence
from datetime import date, datetime, timezone
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # GeoPackage 1.3

#: WKT of EPSG:4326, which every GeoPackage holds (the store's own SRS is in qgis_io/schema.py).
WKT_4326 = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
    '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)

_HEADER = struct.Struct("<2sBBi4d")  # magic, version, flags, srs_id, envelope minx maxx miny maxy
_ENVELOPE_SIZES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def sql_value(value: Any) -> Any:
    """A value as the store's tables keep it: datetimes as UTC ISO 8601 text to the millisecond ("…Z"), dates
    as ISO dates, booleans as 0/1, anything else as it is."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


#: The range of SQLite's INTEGER (a signed 64-bit integer).
INTEGER_RANGE = (-(2**63), 2**63 - 1)


def value_problem(value: Any) -> tuple[str, dict[str, Any]] | None:
    """Why SQLite cannot hold a value as it is, as (problem code, parameters), or None when it can: an
    integer beyond 64 bits, or text that is not Unicode (a lone surrogate, which UTF-8 cannot encode)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]:
            return "integer_too_large", {"value": value, "limit": INTEGER_RANGE[1]}
    elif isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return "bad_text", {"value": printable(value), "position": error.start + 1}
    return None


def printable(text: Any) -> Any:
    """Text that SQLite and the log can hold: what UTF-8 cannot encode written as a \\udxxx escape (other
    values as they are)."""
    if not isinstance(text, str) or text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def encode(geometry: BaseGeometry | None, srs_id: int) -> bytes | None:
    """A GeoPackage geometry blob: little-endian header with an XY envelope, then ISO WKB."""
    if geometry is None:
        return None
    if geometry.is_empty:
        flags = 0b0001_0001  # empty, no envelope, little endian
        return struct.pack("<2sBBi", b"GP", 0, flags, srs_id) + shapely.to_wkb(geometry, byte_order=1)
    xmin, ymin, xmax, ymax = geometry.bounds
    flags = 0b0000_0011  # envelope [minx, maxx, miny, maxy], little endian
    return _HEADER.pack(b"GP", 0, flags, srs_id, xmin, xmax, ymin, ymax) + shapely.to_wkb(geometry, byte_order=1)


_HEADER_DTYPE = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4"),
                          ("envelope", "<f8", (4,))])


def encode_many(geometries: Sequence[BaseGeometry | None], srs_id: int) -> list[bytes | None]:
    """`encode` for many geometries: WKB, bounds and headers made in one vectorised call each."""
    array = np.fromiter(geometries, dtype=object, count=len(geometries))
    wkbs = shapely.to_wkb(array, byte_order=1).tolist()
    bounds = shapely.bounds(array)
    headers = np.zeros(len(array), dtype=_HEADER_DTYPE)
    headers["magic"], headers["flags"], headers["srs_id"] = b"GP", 0b0000_0011, srs_id  # XY envelope, LE
    headers["envelope"] = bounds[:, [0, 2, 1, 3]]  # minx maxx miny maxy
    packed = headers.tobytes()
    size = _HEADER_DTYPE.itemsize
    empty_header = struct.pack("<2sBBi", b"GP", 0, 0b0001_0001, srs_id)  # empty, no envelope, little endian
    return [None if wkb is None else empty_header + wkb if empty else packed[i * size:(i + 1) * size] + wkb
            for i, (wkb, empty) in enumerate(zip(wkbs, np.isnan(bounds[:, 0]).tolist()))]


def _wkb_offset(blob: bytes) -> int:
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    return 8 + _ENVELOPE_SIZES[(blob[3] >> 1) & 0b111]


def decode(blob: bytes | None) -> BaseGeometry | None:
    if blob is None:
        return None
    return shapely.from_wkb(bytes(blob[_wkb_offset(blob):]))


def decode_many(blobs: Sequence[bytes | None]) -> np.ndarray:
    """Geometries from blobs, parsed in one vectorised call."""
    wkbs = [None if b is None else bytes(b[_wkb_offset(b):]) for b in blobs]
    return shapely.from_wkb(np.asarray(wkbs, dtype=object))


def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a blob, from its header when it has one; None if null or empty."""
    if blob is None or len(blob) < 8 or blob[3] & 0b0001_0000:
        return None
    if (blob[3] >> 1) & 0b111:
        little = blob[3] & 1
        return struct.unpack("<4d" if little else ">4d", blob[8:40])
    geometry = decode(blob)
    if geometry is None or geometry.is_empty:
        return None
    xmin, ymin, xmax, ymax = geometry.bounds
    return xmin, xmax, ymin, ymax


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions that the GeoPackage R-tree triggers call (GDAL provides them inside QGIS)."""
    conn.create_function("ST_IsEmpty", 1, lambda b: 1 if _envelope(b) is None else 0, deterministic=True)
    for name, index in (("ST_MinX", 0), ("ST_MaxX", 1), ("ST_MinY", 2), ("ST_MaxY", 3)):
        conn.create_function(
            name, 1, lambda b, i=index: None if (e := _envelope(b)) is None else e[i], deterministic=True
        )


_CORE_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)
    """,
    """
    CREATE TABLE IF NOT EXISTS gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
      description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))
    """,
    """
    CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
      table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))
    """,
    """
    CREATE TABLE IF NOT EXISTS gpkg_extensions (
      table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
      scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))
    """,
)


def create_core_tables(conn: sqlite3.Connection, srs_rows: Sequence[tuple] = ()) -> None:
    """The GeoPackage's own tables with the SRS rows it must hold, and `srs_rows` (gpkg_spatial_ref_sys rows)."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    for statement in _CORE_TABLES:
        conn.execute(statement)
    rows = [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
        ("WGS 84 geodetic", 4326, "EPSG", 4326, WKT_4326, "longitude/latitude coordinates in decimal degrees"),
        *srs_rows,
    ]
    conn.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", rows)


def create_feature_table(
    conn: sqlite3.Connection,
    name: str,
    columns: Sequence[tuple[str, str]],
    geometry_type: str | None,
    srs_id: int | None = None,
    description: str = "",
    constraints: Sequence[str] = (),
) -> None:
    """A feature table (geometry column `geom` in `srs_id`, R-tree indexed) or, without geometry, an attribute
    table."""
    if geometry_type and srs_id is None:
        raise ValueError(f"{name}: a feature table needs its srs_id")
    cols = ["fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"]
    if geometry_type:
        cols.append(f"geom {geometry_type}")
    cols += [f'"{col}" {sqltype}' for col, sqltype in columns]
    cols += list(constraints)
    conn.execute(f'CREATE TABLE "{name}" ({", ".join(cols)})')
    data_type = "features" if geometry_type else "attributes"
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)",
        (name, data_type, name, description, srs_id if geometry_type else None),
    )
    if not geometry_type:
        return
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)", (name, geometry_type, srs_id)
    )
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', "
        "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        (name,),
    )
    rtree = f"rtree_{name}_geom"
    bbox = "ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)"
    statements = [
        f"""CREATE VIRTUAL TABLE "{rtree}" USING rtree(id, minx, maxx, miny, maxy)""",
        f"""CREATE TRIGGER "{rtree}_insert" AFTER INSERT ON "{name}"
          WHEN (NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
          BEGIN INSERT OR REPLACE INTO "{rtree}" VALUES (NEW.fid, {bbox}); END""",
        f"""CREATE TRIGGER "{rtree}_update1" AFTER UPDATE OF geom ON "{name}"
          WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
          BEGIN INSERT OR REPLACE INTO "{rtree}" VALUES (NEW.fid, {bbox}); END""",
        f"""CREATE TRIGGER "{rtree}_update2" AFTER UPDATE OF geom ON "{name}"
          WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
          BEGIN DELETE FROM "{rtree}" WHERE id = OLD.fid; END""",
        f"""CREATE TRIGGER "{rtree}_update3" AFTER UPDATE ON "{name}"
          WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
          BEGIN DELETE FROM "{rtree}" WHERE id = OLD.fid;
          INSERT OR REPLACE INTO "{rtree}" VALUES (NEW.fid, {bbox}); END""",
        f"""CREATE TRIGGER "{rtree}_update4" AFTER UPDATE ON "{name}"
          WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
          BEGIN DELETE FROM "{rtree}" WHERE id IN (OLD.fid, NEW.fid); END""",
        f"""CREATE TRIGGER "{rtree}_delete" AFTER DELETE ON "{name}" WHEN OLD.geom NOT NULL
          BEGIN DELETE FROM "{rtree}" WHERE id = OLD.fid; END""",
    ]
    for statement in statements:
        conn.execute(statement)


def update_extent(conn: sqlite3.Connection, name: str) -> None:
    """Record a feature table's extent and change time in gpkg_contents (QGIS reads the extent from there)."""
    row = conn.execute(f'SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "rtree_{name}_geom"').fetchone()
    conn.execute(
        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
        "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?",
        (*row, name),
    )
