"""The offline copy of every source in the project GeoPackage: its features, its works, the problems of its
last refresh, and when it was taken (with the server's ETag / Last-Modified for the next conditional request).

A refresh replaces a source's copy in one transaction: a refresh that fails leaves the previous copy whole.
"""

from __future__ import annotations

import json
import operator
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import numpy as np
import shapely

from situation_room_plugin.core.mapping import FeedRecord
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.sources import Source
from situation_room_plugin.core.works import FIELDS, Work, parse_datetime
from situation_room_plugin.qgis_io import gpkg

SNAPSHOTS_TABLE = "feed_snapshots"
FEATURES_TABLE = "feed_features"
WORKS_TABLE = "feed_works"
PROBLEMS_TABLE = "feed_problems"
SRS_ID = 6707
_SQL_TYPES = {"date": "DATE", "datetime": "DATETIME", "bool": "BOOLEAN", "int": "INTEGER"}


def _works_columns() -> list[tuple[str, str]]:
    return [("source_id", "TEXT NOT NULL")] + [(spec.name, _SQL_TYPES.get(spec.kind.value, "TEXT")) for spec in FIELDS]


def create_tables(conn: sqlite3.Connection) -> None:
    """The migration that adds the cache (appended to store.MIGRATIONS as 0004_feed_cache)."""
    gpkg.create_feature_table(
        conn, SNAPSHOTS_TABLE,
        [("source_id", "TEXT NOT NULL UNIQUE"), ("title", "TEXT"), ("kind", "TEXT"), ("role", "TEXT"),
         ("url", "TEXT"), ("snapshot_at", "DATETIME NOT NULL"), ("checked_at", "DATETIME NOT NULL"),
         ("etag", "TEXT"), ("last_modified", "TEXT"), ("feature_count", "INTEGER"), ("work_count", "INTEGER"),
         ("problem_count", "INTEGER")],
        None,
    )
    gpkg.create_feature_table(
        conn, FEATURES_TABLE, [("source_id", "TEXT NOT NULL"), ("feature_id", "TEXT"), ("properties", "TEXT")],
        "GEOMETRY", SRS_ID, "Shared layers as last read, in EPSG:6707",
    )
    gpkg.create_feature_table(conn, WORKS_TABLE, _works_columns(), "MULTIPOLYGON", SRS_ID,
                              "Works of the shared layers as last read")
    gpkg.create_feature_table(
        conn, PROBLEMS_TABLE,
        [("source_id", "TEXT NOT NULL"), ("record", "TEXT"), ("field", "TEXT"), ("severity", "TEXT"),
         ("code", "TEXT"), ("params", "TEXT")],
        None,
    )
    for table in (FEATURES_TABLE, WORKS_TABLE, PROBLEMS_TABLE):
        conn.execute(f'CREATE INDEX "{table}_source" ON "{table}" (source_id)')


@dataclass(frozen=True)
class Snapshot:
    source_id: str
    snapshot_at: datetime
    checked_at: datetime
    etag: str
    last_modified: str
    feature_count: int
    work_count: int
    problem_count: int
    url: str = ""


def _sql(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def write_snapshot(
    conn: sqlite3.Connection,
    source: Source,
    records: Sequence[FeedRecord],
    works: Sequence[Work],
    problems: Sequence[Problem],
    etag: str = "",
    last_modified: str = "",
    now: datetime | None = None,
) -> Snapshot:
    """Replace a source's copy; call inside `Store.transaction()` so that it is all or nothing."""
    moment = now or datetime.now(timezone.utc)
    sid = source.id
    for table in (FEATURES_TABLE, WORKS_TABLE, PROBLEMS_TABLE):
        conn.execute(f'DELETE FROM "{table}" WHERE source_id = ?', (sid,))
    # A works source's copy is its works; other roles keep their features as published.
    raw = [] if source.role == "works" else records
    blobs = gpkg.encode_many([r.geometry for r in raw], SRS_ID)
    _bulk_insert(conn, FEATURES_TABLE, ["source_id", "feature_id", "properties", "geom"],
                 [[sid, r.fid, json.dumps(r.properties, default=_json_default, ensure_ascii=False), blob]
                  for r, blob in zip(raw, blobs)], [r.geometry for r in raw])
    names = [spec.name for spec in FIELDS]
    blobs = gpkg.encode_many([w.geometry for w in works], SRS_ID)
    get = operator.attrgetter(*names)
    # Only dates, times and booleans need converting: the other columns go as they are.
    special = [i for i, spec in enumerate(FIELDS) if spec.kind.value in _SQL_TYPES]
    rows = []
    converted: dict[Any, Any] = {}  # a feed's works share a few dates and one time of reading
    for work, blob in zip(works, blobs):
        row = [sid, *get(work), blob]
        for i in special:
            value = row[i + 1]
            if value not in converted:
                converted[value] = _sql(value)
            row[i + 1] = converted[value]
        rows.append(row)
    _bulk_insert(conn, WORKS_TABLE, ["source_id", *names, "geom"], rows, [w.geometry for w in works])
    conn.executemany(
        f"INSERT INTO {PROBLEMS_TABLE} (source_id, record, field, severity, code, params) VALUES (?, ?, ?, ?, ?, ?)",
        [(sid, p.record, p.field, p.severity.value, p.code, json.dumps(p.params, default=_json_default))
         for p in problems],
    )
    conn.execute(
        f"""INSERT INTO {SNAPSHOTS_TABLE} (source_id, title, kind, role, url, snapshot_at, checked_at, etag,
            last_modified, feature_count, work_count, problem_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source_id) DO UPDATE SET title = excluded.title, kind = excluded.kind,
            role = excluded.role, url = excluded.url, snapshot_at = excluded.snapshot_at,
            checked_at = excluded.checked_at, etag = excluded.etag, last_modified = excluded.last_modified,
            feature_count = excluded.feature_count, work_count = excluded.work_count,
            problem_count = excluded.problem_count""",
        (sid, source.title, source.kind, source.role, source.url, _sql(moment), _sql(moment), etag, last_modified,
         len(records), len(works), len(problems)),
    )
    for table in (FEATURES_TABLE, WORKS_TABLE):
        gpkg.update_extent(conn, table)
    return snapshot(conn, sid)  # type: ignore[return-value]


def _bulk_insert(
    conn: sqlite3.Connection, table: str, columns: list[str], rows: list[list[Any]], geometries: Sequence[Any]
) -> None:
    """Insert many rows of a feature table, filling its R-tree from bounds computed in one vectorised call
    instead of the per-row trigger (which calls back into Python five times a row). Inside the caller's
    transaction, so the trigger is back whatever happens."""
    if not rows:
        return
    trigger = f"rtree_{table}_geom_insert"
    (definition,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                 (trigger,)).fetchone()
    start = (conn.execute(f'SELECT max(fid) FROM "{table}"').fetchone()[0] or 0) + 1
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    start = max(start, (sequence[0] if sequence else 0) + 1)
    names = ", ".join(f'"{c}"' for c in ["fid", *columns])
    conn.execute(f'DROP TRIGGER "{trigger}"')
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * (len(columns) + 1))})',
                     ([start + i, *row] for i, row in enumerate(rows)))
    bounds = shapely.bounds(np.asarray(geometries, dtype=object))
    keep = ~np.isnan(bounds).any(axis=1)
    fids = np.arange(start, start + len(rows))[keep]
    xmin, ymin, xmax, ymax = (bounds[keep, i] for i in range(4))
    conn.executemany(f'INSERT INTO "rtree_{table}_geom" VALUES (?, ?, ?, ?, ?)',
                     zip(fids.tolist(), xmin.tolist(), xmax.tolist(), ymin.tolist(), ymax.tolist()))
    conn.execute(definition)


def mark_checked(conn: sqlite3.Connection, source_id: str, now: datetime | None = None) -> None:
    """The server said the copy is current (HTTP 304): only the time it was checked changes."""
    conn.execute(f"UPDATE {SNAPSHOTS_TABLE} SET checked_at = ? WHERE source_id = ?",
                 (_sql(now or datetime.now(timezone.utc)), source_id))


def snapshot(conn: sqlite3.Connection, source_id: str) -> Snapshot | None:
    row = conn.execute(
        f"""SELECT source_id, snapshot_at, checked_at, etag, last_modified, feature_count, work_count,
            problem_count, url FROM {SNAPSHOTS_TABLE} WHERE source_id = ?""",
        (source_id,),
    ).fetchone()
    if row is None:
        return None
    return Snapshot(row[0], parse_datetime(row[1]), parse_datetime(row[2]), row[3] or "", row[4] or "",
                    row[5] or 0, row[6] or 0, row[7] or 0, row[8] or "")


def cached_records(conn: sqlite3.Connection, source_id: str) -> list[FeedRecord]:
    """A source's features as last read (geometries in EPSG:6707, properties as published)."""
    rows = conn.execute(
        f"SELECT feature_id, properties, geom FROM {FEATURES_TABLE} WHERE source_id = ? ORDER BY fid", (source_id,)
    ).fetchall()
    geometries = gpkg.decode_many([row[2] for row in rows])
    return [FeedRecord(row[0], json.loads(row[1] or "{}"), geometry) for row, geometry in zip(rows, geometries)]


def cached_problems(conn: sqlite3.Connection, source_id: str) -> list[Problem]:
    rows = conn.execute(
        f"SELECT record, field, severity, code, params FROM {PROBLEMS_TABLE} WHERE source_id = ? ORDER BY fid",
        (source_id,),
    ).fetchall()
    return [Problem(r[0], r[1], r[3], Severity(r[2]), json.loads(r[4] or "{}")) for r in rows]


def works_subset(source_id: str) -> str:
    """The OGR subset string of one source's cached works (QgsVectorLayer.setSubsetString)."""
    return "\"source_id\" = '" + source_id.replace("'", "''") + "'"
