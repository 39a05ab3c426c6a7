"""The offline copy of every source in the project GeoPackage: its features, its works, the problems of its
last refresh, and when it was taken (with the server's ETag / Last-Modified for the next conditional request).

A refresh replaces a source's copy in one transaction: a refresh that fails leaves the previous copy whole.
"""

from __future__ import annotations

import json
import logging
import operator
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import numpy as np
import shapely

from situation_room_plugin.core.mapping import FeedRecord
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.sources import Source
from situation_room_plugin.core.works import FIELDS, Work, parse_datetime, record_label
from situation_room_plugin.qgis_io import gpkg, gpkg_rtree, schema
from situation_room_plugin.qgis_io.store import Store, refused_values

LOG = logging.getLogger(__name__)

# The cache's tables (defined in qgis_io/schema.py, created by its migration 0004_feed_cache).
SNAPSHOTS_TABLE = schema.FEED_SNAPSHOTS_TABLE
FEATURES_TABLE = schema.FEED_FEATURES_TABLE
WORKS_TABLE = schema.FEED_WORKS_TABLE
PROBLEMS_TABLE = schema.FEED_PROBLEMS_TABLE
SRS_ID = schema.SRS_ID


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


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


class NewCopy:
    """A source's new copy, written batch by batch while the source is read, then put in place of the
    previous copy in one short transaction (`replace`); `discard` leaves the previous copy as it was.

    The batches go to temporary tables of the store's connection (`Store.staging`), so that neither the feed
    nor its rows are ever all in memory and the store is not locked while the source is read (another QGIS
    may write meanwhile); `replace` moves them into the cache tables in SQL and fills their R-trees from the
    bounds kept beside them (instead of the per-row trigger, which calls back into Python five times a row),
    packed in one go when most of a table changes.
    """

    def __init__(self, store: Store, source: Source) -> None:
        self.store = store
        self.source = source
        self.feature_count = 0  # features kept (a works source keeps its works, not its features)
        self.work_count = 0
        #: Records not kept because the store cannot hold one of their values (written with the problems).
        self.refused: list[Problem] = []
        self._columns = {FEATURES_TABLE: ["source_id", "feature_id", "properties", "geom"],
                         WORKS_TABLE: ["source_id", *schema.WORK_COLUMN_NAMES, "geom"]}
        with store.staging() as conn:
            for table, columns in self._columns.items():
                conn.execute(f'DROP TABLE IF EXISTS temp."{_staged(table)}"')
                names = ", ".join(f'"{c}"' for c in [*columns, "minx", "maxx", "miny", "maxy"])
                conn.execute(f'CREATE TEMP TABLE "{_staged(table)}" ({names})')
        self._converted: dict[Any, Any] = {}  # a feed's works share a few dates and one time of reading

    def add_records(self, records: Sequence[FeedRecord]) -> None:
        """Features kept as published (sources of roles other than works)."""
        sid = self.source.id
        rows = [[sid, r.fid, json.dumps(r.properties, default=_json_default, ensure_ascii=False)] for r in records]

        def problems(i: int) -> list[Problem]:
            record = records[i]
            label = f"{sid} {record.fid}"
            found = refused_values(label, ["feature_id"], [record.fid])
            for key, value in record.properties.items():
                text = json.dumps({key: value}, default=_json_default, ensure_ascii=False)
                found += refused_values(label, [gpkg.printable(str(key))], [text])
            return found

        self.feature_count += self._add(FEATURES_TABLE, rows, [r.geometry for r in records], problems)

    def add_works(self, works: Sequence[Work]) -> None:
        sid = self.source.id
        get = operator.attrgetter(*schema.WORK_COLUMN_NAMES)
        # Only dates, times and booleans need converting: the other columns go as they are.
        special = [i + 1 for i, spec in enumerate(FIELDS) if spec.kind in schema.CONVERTED_KINDS]
        converted = self._converted
        rows = []
        for work in works:
            row = [sid, *get(work)]
            for i in special:
                value = row[i]
                if value not in converted:
                    converted[value] = gpkg.sql_value(value)
                row[i] = converted[value]
            rows.append(row)

        def problems(i: int) -> list[Problem]:
            return refused_values(record_label(sid, works[i].attributes()), self._columns[WORKS_TABLE], rows[i])

        self.work_count += self._add(WORKS_TABLE, rows, [w.geometry for w in works], problems)

    def _add(
        self, table: str, rows: list[list[Any]], geometries: Sequence[Any], problems: Callable[[int], list[Problem]]
    ) -> int:
        """Stage rows; those holding a value SQLite cannot take are left out, their `problems(i)` kept in
        `refused`. Returns how many were staged."""
        try:
            self._stage(table, rows, geometries)
            return len(rows)
        except (OverflowError, UnicodeEncodeError):  # rare: the batch was rolled back, find the rows
            pass
        found = [problems(i) for i in range(len(rows))]
        for record_problems in found:
            for problem in record_problems:
                LOG.warning("%s: not kept in the offline copy: %s", self.source.id, problem)
            self.refused += record_problems
        kept = [i for i, record_problems in enumerate(found) if not record_problems]
        self._stage(table, [rows[i] for i in kept], [geometries[i] for i in kept])
        return len(kept)

    def _stage(self, table: str, rows: list[list[Any]], geometries: Sequence[Any]) -> None:
        if not rows:
            return
        array = np.fromiter(geometries, dtype=object, count=len(geometries))
        blobs = gpkg.encode_many(array, SRS_ID)
        bounds = shapely.bounds(array)
        bounds = np.where(np.isnan(bounds).any(axis=1, keepdims=True), None, bounds).tolist()
        values = ([*row, blob, xmin, xmax, ymin, ymax] for row, blob, (xmin, ymin, xmax, ymax)
                  in zip(rows, blobs, bounds))
        with self.store.staging() as conn:  # only the temporary table is written: the store is not locked
            conn.executemany(f'INSERT INTO temp."{_staged(table)}" VALUES ({", ".join("?" * (len(rows[0]) + 5))})',
                             values)

    def replace(
        self, problems: Sequence[Problem], etag: str = "", last_modified: str = "", now: datetime | None = None,
        feature_count: int | None = None,
    ) -> Snapshot:
        """Put the new copy in place of the previous one, in one transaction; the snapshot of the new copy
        (`feature_count`: the features read, when not those kept). The problems kept are `problems` and
        those of the records `refused`."""
        moment = now or datetime.now(timezone.utc)
        sid = self.source.id
        problems = [*problems, *self.refused]
        text = gpkg.printable
        try:
            with self.store.transaction() as conn:
                conn.execute(f"DELETE FROM {PROBLEMS_TABLE} WHERE source_id = ?", (sid,))
                for table, columns in self._columns.items():
                    _swap_in(conn, table, columns, sid)
                conn.executemany(
                    f"INSERT INTO {PROBLEMS_TABLE} (source_id, record, field, severity, code, params) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(sid, text(p.record), text(p.field), p.severity.value, p.code,
                      json.dumps(p.params, default=_json_default)) for p in problems],
                )
                conn.execute(
                    f"""INSERT INTO {SNAPSHOTS_TABLE} (source_id, title, kind, role, url, snapshot_at, checked_at,
                        etag, last_modified, feature_count, work_count, problem_count)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (source_id) DO UPDATE SET title = excluded.title, kind = excluded.kind,
                        role = excluded.role, url = excluded.url, snapshot_at = excluded.snapshot_at,
                        checked_at = excluded.checked_at, etag = excluded.etag,
                        last_modified = excluded.last_modified, feature_count = excluded.feature_count,
                        work_count = excluded.work_count, problem_count = excluded.problem_count""",
                    (sid, text(self.source.title), self.source.kind, self.source.role, text(self.source.url),
                     gpkg.sql_value(moment), gpkg.sql_value(moment), etag, last_modified,
                     self.feature_count if feature_count is None else feature_count, self.work_count, len(problems)),
                )
                for table in (FEATURES_TABLE, WORKS_TABLE):
                    gpkg.update_extent(conn, table)
                return snapshot(conn, sid)  # type: ignore[return-value]
        finally:
            self.discard()

    def discard(self) -> None:
        """Drop what was written of the new copy (the previous copy stays as it was)."""
        with self.store.staging() as conn:
            for table in self._columns:
                conn.execute(f'DROP TABLE IF EXISTS temp."{_staged(table)}"')


def _staged(table: str) -> str:
    return f"new_{table}"


def _swap_in(conn: sqlite3.Connection, table: str, columns: list[str], source_id: str) -> None:
    """A source's rows of a feature table replaced by its staged rows (with fresh fids), and the R-tree kept
    right. Inside the caller's transaction, so the R-tree triggers are back whatever happens.

    When the rows that change are a small part of the table, the R-tree is updated entry by entry (an entry
    costs about 14 µs to delete or insert); otherwise it is built again, packed, from the entries that stay
    and the new ones (`gpkg_rtree.bulk_load`, five times faster)."""
    rtree, staged = f"rtree_{table}_geom", f'temp."{_staged(table)}"'
    (old,) = conn.execute(f'SELECT count(*) FROM "{table}" WHERE source_id = ?', (source_id,)).fetchone()
    (total,) = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    (new,) = conn.execute(f"SELECT count(*) FROM {staged}").fetchone()
    rebuild = 4 * (old + new) >= total - old + new
    start = conn.execute(f'SELECT max(fid) FROM "{table}"').fetchone()[0] or 0
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    start = max(start, sequence[0] if sequence else 0)  # fids of deleted rows are not given again
    triggers = [f"{rtree}_insert", *([f"{rtree}_delete"] if rebuild else [])]
    definitions = dict(conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE name IN ({', '.join('?' * (len(triggers) + 1))})",
        (*triggers, rtree)))
    if rebuild:
        kept = gpkg_rtree.entries(conn, f'SELECT * FROM "{rtree}" WHERE id IN '
                                        f'(SELECT fid FROM "{table}" WHERE source_id <> ?)', (source_id,))
    for trigger in triggers:
        conn.execute(f'DROP TRIGGER "{trigger}"')
    conn.execute(f'DELETE FROM "{table}" WHERE source_id = ?', (source_id,))  # with its R-tree entries, unless rebuilt
    names = ", ".join(f'"{c}"' for c in columns)
    conn.execute(f'INSERT INTO "{table}" (fid, {names}) SELECT ? + rowid, {names} FROM {staged} ORDER BY rowid',
                 (start,))
    added = f"SELECT ? + rowid, minx, maxx, miny, maxy FROM {staged} WHERE minx IS NOT NULL"
    if rebuild:
        conn.execute(f'DROP TABLE "{rtree}"')
        conn.execute(definitions[rtree])
        ids, boxes = gpkg_rtree.entries(conn, added, (start,))
        gpkg_rtree.bulk_load(conn, rtree, np.concatenate([kept[0], ids]), np.concatenate([kept[1], boxes]))
    else:
        conn.execute(f'INSERT INTO "{rtree}" {added}', (start,))
    for trigger in triggers:
        conn.execute(definitions[trigger])


def mark_checked(conn: sqlite3.Connection, source_id: str, now: datetime | None = None) -> None:
    """The server said the copy is current (HTTP 304): only the time it was checked changes."""
    conn.execute(f"UPDATE {SNAPSHOTS_TABLE} SET checked_at = ? WHERE source_id = ?",
                 (gpkg.sql_value(now or datetime.now(timezone.utc)), source_id))


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
