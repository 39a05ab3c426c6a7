"""The platform's tables (works, conflict decisions, published conflicts and detours) and their DDL for
GeoPackage and for PostGIS, generated from the plugin's own schema: the works columns are those of
core.works.FIELDS through qgis_io.schema's type map, the decisions columns those of the client store's
conflict_decisions, the results columns those of the conflicts and detours outputs. Nothing is re-declared here
but the server columns.

Every table carries the server columns (SERVER_COLUMNS) and the same triggers:
- UPDATE is refused unless new.revision = old.revision + 1, and refused when it changes owner or the key; it stamps
  updated_at (UTC) and server_seq (one sequence for all tables, so a client asks "every change after N");
- INSERT sets revision to 1 when null, deleted to 0 when null, and stamps updated_at and server_seq;
- DELETE is refused: a work is deleted by a tombstone (deleted = 1, revision + 1), which the other clients see;
- the key column (uid, conflict_id) is NOT NULL UNIQUE, so a second insert of a uid is refused.
The GeoPackage triggers use plain SQLite only (QGIS Server's OGR provider has no SpatiaLite functions).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qgis.PyQt.QtCore import QVariant

from situation_room_plugin.core.works import PROJECT_CRS
from situation_room_plugin.processing.detour_analysis import DETOUR_FIELDS
from situation_room_plugin.qgis_io import gpkg
from situation_room_plugin.qgis_io import schema as store_schema
from situation_room_plugin.qgis_io.conflict_layers import CONFLICT_FIELDS

#: The EPSG code of every geometry (core.works.PROJECT_CRS, EPSG:6707).
SRID = store_schema.SRS_ID

#: The sequence (PostGIS) or one-row counter table (GeoPackage) behind server_seq, shared by every table.
SEQUENCE = "sr_server_seq"

#: What the server adds to each record: (name, GeoPackage type). revision, updated_at, updated_by and owner
#: are work fields already (core.works); the works table takes them from there, the other tables from here.
SERVER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("owner", "TEXT NOT NULL"),
    ("revision", "INTEGER"),
    ("server_seq", "INTEGER"),
    ("updated_at", "DATETIME"),
    ("updated_by", "TEXT"),
    ("deleted", "BOOLEAN DEFAULT 0"),
    ("last_op_id", "TEXT"),
)
SERVER_COLUMN_NAMES = tuple(name for name, _ in SERVER_COLUMNS)

#: GeoPackage type names of the conflicts layer's QVariant types (conflict_layers.CONFLICT_FIELDS).
_VARIANT_SQL = {"QString": "TEXT", "double": "REAL", "QDate": "DATE", "int": "INTEGER"}
#: GeoPackage type names of the Python types of the detours output (detour_analysis.DETOUR_FIELDS).
_PYTHON_SQL = {str: "TEXT", float: "REAL", int: "INTEGER"}

#: Detour output fields renamed on the platform: the output's `owner` is the work's, the record's is the publisher.
_DETOUR_RENAMED = {"owner": "work_owner"}

#: The conflict_decisions columns the platform shares (the others are each client's own bookkeeping).
_DECISION_COLUMNS = ("conflict_id", "kind", "uid_a", "uid_b", "status", "note")


@dataclass(frozen=True)
class PlatformTable:
    """A table of the platform: its key column (unique, what clients filter on), its columns in GeoPackage
    types (server columns included), and its geometry type (None for an attribute table)."""

    name: str
    key: str
    columns: tuple[tuple[str, str], ...]
    geometry_type: str | None
    description: str
    #: Who edits it: "owner" (each organisation its records, the Comune's users every record) or "comune" (only
    #: the Comune's users: the published results). The access-control plugin reads it from the project.
    editors: str = "owner"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


def _with_server_columns(columns: Sequence[tuple[str, str]], key: str) -> tuple[tuple[str, str], ...]:
    """`columns` with the key NOT NULL UNIQUE, the server columns' types where they are already there, and the
    missing server columns appended in SERVER_COLUMNS order."""
    server = dict(SERVER_COLUMNS)
    out = []
    for name, sqltype in columns:
        base = sqltype.split()[0]
        if name == key:
            out.append((name, f"{base} NOT NULL UNIQUE"))
        elif name in server:
            out.append((name, server[name]))
        else:
            out.append((name, base))
    names = {name for name, _ in out}
    out += [(name, sqltype) for name, sqltype in SERVER_COLUMNS if name not in names]
    return tuple(out)


WORKS = PlatformTable("works", "uid", _with_server_columns(store_schema.WORK_COLUMNS, "uid"), "MULTIPOLYGON",
                      f"Works (cantieri) of every organisation, in {PROJECT_CRS}")
DECISIONS = PlatformTable(
    "conflict_decisions", "conflict_id",
    _with_server_columns([c for c in store_schema.CONFLICT_DECISIONS.columns if c[0] in _DECISION_COLUMNS],
                         "conflict_id"),
    None, "Decisions on conflicts between works: status and note")
CONFLICTS = PlatformTable(
    "published_conflicts", "conflict_id",
    _with_server_columns([(name, _VARIANT_SQL[QVariant.typeToName(kind)]) for name, kind in CONFLICT_FIELDS],
                         "conflict_id"),
    "MULTIPOLYGON", "Conflicts as the Comune published them", editors="comune")
DETOURS = PlatformTable(
    "published_detours", "uid",
    _with_server_columns([("uid", "TEXT"), ("day", "DATE"),
                          *((_DETOUR_RENAMED.get(name, name), _PYTHON_SQL[kind]) for name, kind in DETOUR_FIELDS)],
                         "uid"),
    "MULTILINESTRING", "Detours as the Comune published them (one row a blocked stretch and day)", editors="comune")

TABLES: tuple[PlatformTable, ...] = (WORKS, DECISIONS, CONFLICTS, DETOURS)


def table(name: str) -> PlatformTable:
    for candidate in TABLES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"{name}: not a platform table ({', '.join(t.name for t in TABLES)})")


# -- GeoPackage ---------------------------------------------------------------------------------------------

_NOW_SQLITE = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"


def geopackage_triggers(table_: PlatformTable) -> list[str]:
    """The revision, owner, stamp and no-delete triggers of a GeoPackage table (plain SQLite).

    SQLite cannot assign NEW in a BEFORE trigger, so the stamps are written by an AFTER trigger with an inner
    UPDATE; the counter's `stamping` flag, set around that inner UPDATE, keeps the checks from firing on it
    (and a client cannot set it: the counter table is not published)."""
    name, key = table_.name, table_.key
    stamp = (f"UPDATE {SEQUENCE} SET value = value + 1, stamping = 1; "
             f'UPDATE "{name}" SET server_seq = (SELECT value FROM {SEQUENCE}), updated_at = {_NOW_SQLITE}'
             "{extra} WHERE fid = NEW.fid; "
             f"UPDATE {SEQUENCE} SET stamping = 0;")
    not_stamping = f"(SELECT stamping FROM {SEQUENCE}) = 0"
    # QGIS Server's OGR provider writes one WFS Update of attributes and geometry as two UPDATEs: the one that
    # changes only the geometry, at the revision and op the other one wrote (or will write), is part of it
    same = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column, _ in table_.columns
                        if column not in ("updated_at", "server_seq"))
    geometry_part = f"(NEW.revision IS OLD.revision AND {same})" if table_.geometry_type else "0"
    return [
        f'''CREATE TRIGGER "{name}_sr_revision" BEFORE UPDATE ON "{name}"
          WHEN {not_stamping} AND NEW.revision IS NOT OLD.revision + 1 AND NOT {geometry_part}
          BEGIN SELECT RAISE(ABORT, 'revision: an update must set revision to the stored revision + 1'); END''',
        f'''CREATE TRIGGER "{name}_sr_owner" BEFORE UPDATE OF owner ON "{name}"
          WHEN {not_stamping} AND NEW.owner IS NOT OLD.owner
          BEGIN SELECT RAISE(ABORT, 'owner: the owner of a record cannot change'); END''',
        f'''CREATE TRIGGER "{name}_sr_key" BEFORE UPDATE OF "{key}" ON "{name}"
          WHEN {not_stamping} AND NEW."{key}" IS NOT OLD."{key}"
          BEGIN SELECT RAISE(ABORT, '{key}: the key of a record cannot change'); END''',
        f'''CREATE TRIGGER "{name}_sr_delete" BEFORE DELETE ON "{name}"
          BEGIN SELECT RAISE(ABORT, 'delete: records are deleted by a tombstone (deleted = 1, revision + 1)'); END''',
        f'''CREATE TRIGGER "{name}_sr_stamp_update" AFTER UPDATE ON "{name}" WHEN {not_stamping}
          BEGIN {stamp.format(extra="")} END''',
        f'''CREATE TRIGGER "{name}_sr_stamp_insert" AFTER INSERT ON "{name}" WHEN {not_stamping}
          BEGIN {stamp.format(extra=", revision = coalesce(NEW.revision, 1), deleted = coalesce(NEW.deleted, 0)")}
          END''',
    ]


def create_geopackage(path: Path) -> Path:
    """A new GeoPackage holding every platform table with its triggers (refused if the file exists)."""
    if path.exists():
        raise FileExistsError(f"{path}: already exists (the platform does not overwrite a database)")
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        gpkg.register_functions(conn)
        conn.execute("BEGIN")
        gpkg.create_core_tables(conn, [store_schema.SRS.row()])
        conn.execute(f"CREATE TABLE {SEQUENCE} (value INTEGER NOT NULL, stamping INTEGER NOT NULL)")
        conn.execute(f"INSERT INTO {SEQUENCE} VALUES (0, 0)")
        for table_ in TABLES:
            gpkg.create_feature_table(conn, table_.name, table_.columns, table_.geometry_type,
                                      SRID if table_.geometry_type else None, table_.description)
            conn.execute(f'CREATE INDEX "{table_.name}_server_seq" ON "{table_.name}" (server_seq)')
            for statement in geopackage_triggers(table_):
                conn.execute(statement)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")  # readers (GetFeature) do not wait for a writer
    finally:
        conn.close()
    return path


# -- PostGIS ------------------------------------------------------------------------------------------------

_POSTGRES_TYPES = {"TEXT": "text", "INTEGER": "integer", "REAL": "double precision", "DATE": "date",
                   "DATETIME": "timestamptz", "BOOLEAN": "boolean"}


def _postgres_column(name: str, sqltype: str) -> str:
    words = sqltype.split()
    rest = " ".join(words[1:]).replace("DEFAULT 0", "DEFAULT false") if words[0] == "BOOLEAN" else " ".join(words[1:])
    return f'"{name}" {_POSTGRES_TYPES[words[0]]}{" " + rest if rest else ""}'


_POSTGRES_FUNCTIONS = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};

CREATE OR REPLACE FUNCTION sr_before_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.revision IS DISTINCT FROM OLD.revision + 1 THEN
    RAISE EXCEPTION 'revision: an update must set revision to the stored revision + 1 (stored %, given %)',
      OLD.revision, NEW.revision USING ERRCODE = 'serialization_failure';
  END IF;
  IF NEW.owner IS DISTINCT FROM OLD.owner THEN
    RAISE EXCEPTION 'owner: the owner of a record cannot change (% to %)', OLD.owner, NEW.owner
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- the key column is the trigger's argument (uid, conflict_id): one function for every table
  IF to_jsonb(NEW) ->> TG_ARGV[0] IS DISTINCT FROM to_jsonb(OLD) ->> TG_ARGV[0] THEN
    RAISE EXCEPTION '%: the key of a record cannot change', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.server_seq := nextval('{SEQUENCE}');
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION sr_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.revision := coalesce(NEW.revision, 1);
  NEW.deleted := coalesce(NEW.deleted, false);
  NEW.server_seq := nextval('{SEQUENCE}');
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION sr_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'delete: records are deleted by a tombstone (deleted = true, revision + 1)'
    USING ERRCODE = 'insufficient_privilege';
END $$;
"""


def postgis_sql(schema_name: str = "public") -> str:
    """The whole platform schema for PostGIS as one SQL script (PostGIS extension, tables, indexes, triggers)."""
    parts = ["CREATE EXTENSION IF NOT EXISTS postgis;", f'CREATE SCHEMA IF NOT EXISTS "{schema_name}";',
             f'SET search_path TO "{schema_name}", public;', _POSTGRES_FUNCTIONS]
    for table_ in TABLES:
        name = table_.name
        columns = ["fid bigserial PRIMARY KEY"]
        if table_.geometry_type:
            columns.append(f"geom geometry({table_.geometry_type}, {SRID})")
        columns += [_postgres_column(col, sqltype) for col, sqltype in table_.columns]
        parts.append(f'CREATE TABLE "{name}" (\n  ' + ",\n  ".join(columns) + "\n);")
        parts.append(f"COMMENT ON TABLE \"{name}\" IS '{table_.description}';")
        parts.append(f'CREATE INDEX "{name}_server_seq" ON "{name}" (server_seq);')
        if table_.geometry_type:
            parts.append(f'CREATE INDEX "{name}_geom" ON "{name}" USING gist (geom);')
        for event in ("update", "insert", "delete"):
            argument = f"'{table_.key}'" if event == "update" else ""
            parts.append(f'CREATE TRIGGER "{name}_sr_{event}" BEFORE {event.upper()} ON "{name}" '
                         f"FOR EACH ROW EXECUTE FUNCTION sr_before_{event}({argument});")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":  # python platform/situation_room_platform/schema.py > platform.sql
    print(postgis_sql())
