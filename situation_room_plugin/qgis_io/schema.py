"""The project store's schema in one place: the table names, the one spatial reference system (that of
core.works.PROJECT_CRS), the columns and DDL of every table, and the ordered, named migrations that build it.

Only data and DDL functions live here: `store.py` opens, migrates and writes; `feed_cache.py`,
`decisions.py` and `graph_cache.py` read and write their tables through `Store`. This module imports none
of them, so there is no import circle.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import FIELDS, PROJECT_CRS, FieldKind
from situation_room_plugin.qgis_io import gpkg

# -- table names ------------------------------------------------------------------------------------------

WORKS_TABLE = "works"
OWNERS_TABLE = "owners"
META_TABLE = "situation_room_meta"
CONFLICT_DECISIONS_TABLE = "conflict_decisions"
GRAPH_CACHE_TABLE = "road_graph_cache"
FEED_SNAPSHOTS_TABLE = "feed_snapshots"
FEED_FEATURES_TABLE = "feed_features"
FEED_WORKS_TABLE = "feed_works"
FEED_PROBLEMS_TABLE = "feed_problems"
SYNC_OUTBOX_TABLE = "sync_outbox"
SYNC_BASE_TABLE = "sync_base"
SYNC_CASE_BASE_TABLE = "sync_case_base"
SYNC_SENT_TABLE = "sync_sent"
SYNC_CONFLICTS_TABLE = "sync_conflicts"
SYNC_DECISION_BASE_TABLE = "sync_decision_base"
SYNC_STATE_TABLE = "sync_state"
SYNC_APPLYING_TABLE = "sync_applying"

# -- the spatial reference system -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpatialRefSys:
    """A row of gpkg_spatial_ref_sys."""

    srs_name: str
    srs_id: int
    organization: str
    organization_coordsys_id: int
    definition: str
    description: str

    def row(self) -> tuple[str, int, str, int, str, str]:
        return (self.srs_name, self.srs_id, self.organization, self.organization_coordsys_id, self.definition,
                self.description)


#: WKT of EPSG:6707 as GDAL writes it into gpkg_spatial_ref_sys (coordinates are stored easting, northing).
WKT_6707 = (
    'PROJCS["RDN2008 / UTM zone 32N (N-E)",GEOGCS["RDN2008",DATUM["Rete_Dinamica_Nazionale_2008",'
    'SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","1132"]],'
    'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
    'AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","6706"]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],'
    'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],'
    'AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","6707"]]'
)

#: The definitions this module can write, by authority id (the store has no PROJ to ask).
_DEFINITIONS = {
    "EPSG:6707": SpatialRefSys("RDN2008 / UTM zone 32N (N-E)", 6707, "EPSG", 6707, WKT_6707,
                               "Italy, the works' reference system"),
}


def _project_srs() -> SpatialRefSys:
    definition = _DEFINITIONS.get(PROJECT_CRS)
    if definition is None or f"{definition.organization}:{definition.organization_coordsys_id}" != PROJECT_CRS:
        raise ValueError(f"{PROJECT_CRS}: no GeoPackage definition of the project CRS in qgis_io/schema.py")
    return definition


#: The SRS of every geometry of the store: core.works.PROJECT_CRS.
SRS = _project_srs()
SRS_ID = SRS.srs_id

# -- columns ----------------------------------------------------------------------------------------------

#: The one map of work field kinds to SQL (GeoPackage) types; every other kind is TEXT.
SQL_TYPES: dict[FieldKind, str] = {
    FieldKind.DATE: "DATE",
    FieldKind.DATETIME: "DATETIME",
    FieldKind.BOOL: "BOOLEAN",
    FieldKind.INT: "INTEGER",
}

#: Kinds whose Python values are converted on the way in (gpkg.sql_value); the others are written as they are.
CONVERTED_KINDS = frozenset({FieldKind.DATE, FieldKind.DATETIME, FieldKind.BOOL})

#: (name, SQL type) of every work field, in schema order: built once from core.works.FIELDS.
WORK_COLUMNS: tuple[tuple[str, str], ...] = tuple((spec.name, SQL_TYPES.get(spec.kind, "TEXT")) for spec in FIELDS)
WORK_COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in WORK_COLUMNS)


def works_columns() -> list[tuple[str, str]]:
    """The columns of the project's works table: the work fields, uid mandatory and unique."""
    return [(name, sqltype + " NOT NULL UNIQUE" if name == "uid" else sqltype) for name, sqltype in WORK_COLUMNS]


def feed_works_columns() -> list[tuple[str, str]]:
    """The columns of the shared layers' works: the source, then the work fields (a uid may repeat across
    sources)."""
    return [("source_id", "TEXT NOT NULL"), *WORK_COLUMNS]


# -- tables -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A GeoPackage table of the store: a feature table when it has a geometry type, else attributes."""

    name: str
    columns: tuple[tuple[str, str], ...]
    geometry_type: Optional[str] = None
    description: str = ""
    indexes: tuple[tuple[str, str], ...] = ()  # (suffix, column): index "<name>_<suffix>" on the column

    def create(self, conn: sqlite3.Connection) -> None:
        gpkg.create_feature_table(conn, self.name, self.columns, self.geometry_type,
                                  SRS_ID if self.geometry_type else None, self.description)
        for suffix, column in self.indexes:
            conn.execute(f'CREATE INDEX "{self.name}_{suffix}" ON "{self.name}" ("{column}")')


WORKS = Table(WORKS_TABLE, tuple(works_columns()), "MULTIPOLYGON", "Works (cantieri) and their footprints")
OWNERS = Table(OWNERS_TABLE, (("code", "TEXT NOT NULL UNIQUE"), ("name", "TEXT NOT NULL"), ("domain", "TEXT")))
CONFLICT_DECISIONS = Table(
    CONFLICT_DECISIONS_TABLE,
    (("conflict_id", "TEXT NOT NULL UNIQUE"), ("kind", "TEXT NOT NULL"), ("uid_a", "TEXT NOT NULL"),
     ("uid_b", "TEXT NOT NULL"), ("status", "TEXT NOT NULL DEFAULT 'open'"), ("note", "TEXT NOT NULL DEFAULT ''"),
     ("first_seen", "DATE"), ("last_seen", "DATE"), ("gone_since", "DATE"), ("updated_at", "DATETIME"),
     ("updated_by", "TEXT")),
    description="Decisions on conflicts between works: status and note",
)
GRAPH_CACHE = Table(
    GRAPH_CACHE_TABLE,
    (("key", "TEXT NOT NULL UNIQUE"), ("nodes", "INTEGER"), ("edges", "INTEGER"), ("graph", "BLOB NOT NULL"),
     ("used_at", "DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))")),
    description="Road graphs built for detour analysis (a cache: safe to empty)",
)
_BY_SOURCE = (("source", "source_id"),)
FEED_SNAPSHOTS = Table(
    FEED_SNAPSHOTS_TABLE,
    (("source_id", "TEXT NOT NULL UNIQUE"), ("title", "TEXT"), ("kind", "TEXT"), ("role", "TEXT"), ("url", "TEXT"),
     ("snapshot_at", "DATETIME NOT NULL"), ("checked_at", "DATETIME NOT NULL"), ("etag", "TEXT"),
     ("last_modified", "TEXT"), ("feature_count", "INTEGER"), ("work_count", "INTEGER"),
     ("problem_count", "INTEGER")),
)
FEED_FEATURES = Table(
    FEED_FEATURES_TABLE, (("source_id", "TEXT NOT NULL"), ("feature_id", "TEXT"), ("properties", "TEXT")),
    "GEOMETRY", f"Shared layers as last read, in {PROJECT_CRS}", indexes=_BY_SOURCE,
)
FEED_WORKS = Table(FEED_WORKS_TABLE, tuple(feed_works_columns()), "MULTIPOLYGON",
                   "Works of the shared layers as last read", indexes=_BY_SOURCE)
FEED_PROBLEMS = Table(
    FEED_PROBLEMS_TABLE,
    (("source_id", "TEXT NOT NULL"), ("record", "TEXT"), ("field", "TEXT"), ("severity", "TEXT"), ("code", "TEXT"),
     ("params", "TEXT")),
    indexes=_BY_SOURCE,
)

#: The bookkeeping table: the name of every migration applied, and when. Not a GeoPackage layer.
META_DDL = (
    f"CREATE TABLE IF NOT EXISTS {META_TABLE} (name TEXT PRIMARY KEY, "
    "applied_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)


def create_store(conn: sqlite3.Connection) -> None:
    """An empty database made a GeoPackage with the store's SRS and the migrations table (no migration yet)."""
    gpkg.create_core_tables(conn, [SRS.row()])
    conn.execute(META_DDL)


# -- migrations -------------------------------------------------------------------------------------------


def _works_and_owners(conn: sqlite3.Connection) -> None:
    """The works table and the organisation registry, seeded with Prato's members."""
    WORKS.create(conn)
    OWNERS.create(conn)
    conn.executemany(f"INSERT INTO {OWNERS_TABLE} (code, name, domain) VALUES (?, ?, ?)",
                     [(o.code, o.name, o.domain) for o in OwnerRegistry()])


def _feed_cache(conn: sqlite3.Connection) -> None:
    """The offline copy of the shared layers (read and written by qgis_io/feed_cache.py)."""
    for table in (FEED_SNAPSHOTS, FEED_FEATURES, FEED_WORKS, FEED_PROBLEMS):
        table.create(conn)


#: Columns added to conflict_decisions by 0005: the severity at the last run that found the conflict, at the
#: run before that found it, and the moments of the last run and of the first that found it (for alerts).
CONFLICT_SEVERITY_COLUMNS = (("severity", "REAL"), ("previous_severity", "REAL"), ("run_at", "DATETIME"),
                             ("first_run_at", "DATETIME"))


def _conflict_severity(conn: sqlite3.Connection) -> None:
    """Severities kept beside the decisions, so that a run's new and worse conflicts can be told (alerts)."""
    for name, sqltype in CONFLICT_SEVERITY_COLUMNS:
        conn.execute(f'ALTER TABLE {CONFLICT_DECISIONS_TABLE} ADD COLUMN "{name}" {sqltype}')


#: The server's columns kept beside a work's fields in a base copy (sync_base, sync_case_base).
SYNC_COPY_COLUMNS = (("server_seq", "INTEGER NOT NULL DEFAULT 0"), ("last_op_id", "TEXT NOT NULL DEFAULT ''"),
                     ("deleted", "INTEGER NOT NULL DEFAULT 0"))

#: The time an outbox row is made, in plain SQLite (trigger bodies: no json1, no SpatiaLite).
_NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
#: A random UUID (version 4 layout) in plain SQLite.
UUID_SQL = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' "
             "|| substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' "
             "|| hex(randomblob(6)))")


def _outbox_row(table: str, kind: str, key: str, revision: str) -> str:
    return (f"INSERT INTO {SYNC_OUTBOX_TABLE} (op_id, tbl, uid, kind, base_revision, created_at) "
            f"VALUES ({UUID_SQL}, '{table}', {key}, '{kind}', {revision}, {_NOW_SQL});")


def sync_triggers_ddl() -> list[str]:
    """The triggers that write an outbox row in the transaction of every local create, update and delete of a
    work, and of every decision (status, note) on a conflict, whoever writes (QGIS's OGR provider, the Store,
    Processing); none while pulled changes are applied (a row in sync_applying, inside that transaction)."""
    guard = f"NOT EXISTS (SELECT 1 FROM {SYNC_APPLYING_TABLE})"
    works, decisions = WORKS_TABLE, CONFLICT_DECISIONS_TABLE
    return [
        f"CREATE TRIGGER sync_works_insert AFTER INSERT ON {works} WHEN {guard} BEGIN "
        f"{_outbox_row('works', 'create', 'NEW.uid', '0')} END",
        f"CREATE TRIGGER sync_works_update AFTER UPDATE ON {works} WHEN {guard} BEGIN "
        f"{_outbox_row('works', 'update', 'NEW.uid', 'coalesce(OLD.revision, 0)')} END",
        f"CREATE TRIGGER sync_works_delete AFTER DELETE ON {works} WHEN {guard} BEGIN "
        f"{_outbox_row('works', 'delete', 'OLD.uid', 'coalesce(OLD.revision, 0)')} END",
        f"CREATE TRIGGER sync_decisions_insert AFTER INSERT ON {decisions} WHEN {guard} BEGIN "
        f"{_outbox_row('decisions', 'create', 'NEW.conflict_id', '0')} END",
        f"CREATE TRIGGER sync_decisions_update AFTER UPDATE OF status, note ON {decisions} WHEN {guard} "
        f"AND (OLD.status IS NOT NEW.status OR OLD.note IS NOT NEW.note) BEGIN "
        f"{_outbox_row('decisions', 'update', 'NEW.conflict_id', '0')} END",
    ]


def _sync(conn: sqlite3.Connection) -> None:
    """The sync bookkeeping (qgis_io/sync_store.py): the outbox the triggers write, the base copy of each work
    as last seen on the server, the open conflicts and their bases, the decisions' bases, the cursors; plain
    SQLite tables, not GeoPackage layers."""
    copy_columns = ", ".join(f'"{name}" {sqltype}' for name, sqltype in
                             [*WORK_COLUMNS, ("geom", "BLOB"), *SYNC_COPY_COLUMNS])
    script = f"""
        CREATE TABLE {SYNC_OUTBOX_TABLE} (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE, tbl TEXT NOT NULL,
            uid TEXT NOT NULL, kind TEXT NOT NULL, base_revision INTEGER NOT NULL DEFAULT 0,
            created_at DATETIME NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0, last_answer TEXT NOT NULL DEFAULT '', op TEXT,
            sent_at DATETIME);
        CREATE INDEX {SYNC_OUTBOX_TABLE}_uid ON {SYNC_OUTBOX_TABLE} (tbl, uid, state);
        CREATE TABLE {SYNC_BASE_TABLE} ({copy_columns}, PRIMARY KEY (uid));
        CREATE TABLE {SYNC_CASE_BASE_TABLE} ({copy_columns}, PRIMARY KEY (uid));
        CREATE TABLE {SYNC_SENT_TABLE} ({copy_columns}, PRIMARY KEY (uid));
        CREATE TABLE {SYNC_CONFLICTS_TABLE} (
            uid TEXT PRIMARY KEY, tbl TEXT NOT NULL DEFAULT 'works', kind TEXT NOT NULL, fields TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '', opened_at DATETIME NOT NULL, has_base INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE {SYNC_DECISION_BASE_TABLE} (
            conflict_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, status TEXT, note TEXT,
            server_seq INTEGER NOT NULL DEFAULT 0, last_op_id TEXT NOT NULL DEFAULT '',
            deleted INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE {SYNC_STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE {SYNC_APPLYING_TABLE} (since DATETIME);
    """
    # one statement at a time: executescript would commit the migration's transaction
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)
    for ddl in sync_triggers_ddl():
        conn.execute(ddl)
    # the works already here are new to the server: the first push creates them
    conn.execute(f"INSERT INTO {SYNC_OUTBOX_TABLE} (op_id, tbl, uid, kind, base_revision, created_at) "
                 f"SELECT {UUID_SQL}, 'works', uid, 'create', 0, {_NOW_SQL} FROM {WORKS_TABLE}")


#: The schema's history, oldest first: (name, function). A store records the names it has applied, so
#: migrations added on parallel branches merge by appending. Append; never edit or reorder a released one.
MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("0001_works_and_owners", _works_and_owners),
    ("0002_conflict_decisions", CONFLICT_DECISIONS.create),
    ("0003_road_graph_cache", GRAPH_CACHE.create),
    ("0004_feed_cache", _feed_cache),
    ("0005_conflict_severity", _conflict_severity),
    ("0006_sync", _sync),
]
SCHEMA_VERSION = len(MIGRATIONS)
