"""From a source's raw features to validated works: field mapping, value maps, date formats, footprints.

A feed's features arrive as FeedRecords (the feature's id, its attributes as published, its geometry already
in EPSG:6707, and any problem found while reading it). `validate_feed` maps each one to the works schema with
the source's FieldMapping and validates it with core.works; every problem names the source and the feature.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.sources import FieldMapping, Source
from situation_room_plugin.core.works import (
    FIELD_NAMES,
    ValidationReport,
    check_footprints,
    is_blank,
    parse_uid,
    record_label,
    work_from_record,
)

#: Feeds' own identifiers become stable work uids in this namespace: the same feature of the same source
#: gets the same uid at every refresh, so decisions and links made on it survive.
FEED_NAMESPACE = uuid.UUID("0f6d2a3c-5b1e-4c1a-9d7e-5a17ad0c0de5")

Progress = Callable[[float], bool]


@dataclass
class FeedRecord:
    """One feature of a source as read: `problems` are (field, code, severity, params) found while reading."""

    fid: str
    properties: dict[str, Any]
    geometry: BaseGeometry | None
    problems: list[tuple[str, str, Severity, dict[str, Any]]] = field(default_factory=list)
    #: Half-width of the footprint to make from a point or line geometry (0: the source's mapping decides).
    buffer_m: float = 0.0

    def ref(self, source_id: str) -> str:
        return f"{source_id} #{self.fid}"


def feed_uid(source_id: str, value: Any) -> str:
    """The work uid of a feed feature: its own when it is a UUID, else one derived from source and id."""
    text = str(value).strip()
    uid = parse_uid(text) if len(text) in (32, 36, 38, 41, 45) else None  # the lengths a UUID is written in
    return uid or _uuid5(f"{source_id}:{value}")


def _uuid5(name: str) -> str:
    """str(uuid.uuid5(FEED_NAMESPACE, name)), without building UUID objects (a feed has thousands)."""
    digest = bytearray(hashlib.sha1(FEED_NAMESPACE.bytes + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _lookup(table: Mapping[str, str], value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = value.strip().casefold()
    for raw, mapped in table.items():
        if raw.strip().casefold() == key:
            return mapped
    return value


def apply_mapping(
    properties: Mapping[str, Any], mapping: FieldMapping
) -> tuple[dict[str, Any], list[tuple[str, str, Severity, dict[str, Any]]]]:
    """A record in the works schema's names from a feature's attributes, and the problems of the mapping.

    Attributes named like a works field are taken as they are; `mapping.fields` renames others (and wins;
    a name matches ignoring case, spaces and punctuation when it is not found as written);
    value maps and date formats apply to the renamed values; defaults fill what is still blank.
    """
    problems: list[tuple[str, str, Severity, dict[str, Any]]] = []
    record: dict[str, Any] = {name: properties[name] for name in FIELD_NAMES if name in properties}
    if mapping.fields:
        names = _resolve(tuple(properties), tuple(mapping.fields))
        for name, target in zip(names, mapping.fields.values()):
            if name is not None:
                record[target] = properties[name]
    for target, table in mapping.values.items():
        if not is_blank(record.get(target)):
            record[target] = _lookup(table, record[target])
    for target, formats in mapping.date_formats.items():
        value = record.get(target)
        if isinstance(value, str) and value.strip():
            parsed = _parse_with(value.strip(), tuple(formats))
            if parsed is None:
                problems.append((target, "bad_date_format", Severity.ERROR,
                                 {"value": value.strip(), "formats": " / ".join(formats)}))
                record.pop(target)
            else:
                record[target] = parsed
    for target, value in mapping.defaults.items():
        if is_blank(record.get(target)):
            record[target] = value
    return record, problems


@functools.lru_cache(maxsize=256)  # a feed's features share one set of attribute names
def _resolve(names: tuple[str, ...], wanted: tuple[str, ...]) -> tuple[str | None, ...]:
    """Each wanted attribute's name as the feature has it: as written, else ignoring case, spaces and
    punctuation (services rename fields on the way: QGIS Server's WFS writes "Data inizio" as Data_inizio)."""
    present = set(names)
    loose = {_loose(name): name for name in names}
    return tuple(w if w in present else loose.get(_loose(w)) for w in wanted)


def _loose(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@functools.lru_cache(maxsize=4096)  # feeds repeat the same few dates; strptime is slow
def _parse_with(text: str, formats: tuple[str, ...]) -> date | datetime | None:
    for fmt in formats:
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment if any(code in fmt for code in ("%H", "%M", "%S")) else moment.date()
    return None


def footprint(geometry: BaseGeometry | None, buffer_m: float) -> BaseGeometry | None:
    """A polygonal footprint from a point, line or polygon in metres: points and lines are buffered.

    A MultiPoint is read as WZDx reads it, the ends of a road event: the footprint follows the line
    between its points in order. Polygons are left as they are (validation checks and repairs them).
    """
    if buffer_m <= 0 or geometry is None or geometry.is_empty:
        return geometry
    kind = geometry.geom_type
    if kind in ("Polygon", "MultiPolygon"):
        return geometry
    if kind == "MultiPoint" and len(geometry.geoms) > 1:
        geometry = shapely.LineString([(p.x, p.y) for p in geometry.geoms])
        kind = "LineString"
    if kind in ("Point", "MultiPoint", "LineString", "MultiLineString", "LinearRing", "GeometryCollection"):
        return shapely.buffer(geometry, buffer_m, quad_segs=4, cap_style="flat" if "Line" in kind else "round")
    return geometry


def validate_feed(
    records: Iterable[FeedRecord],
    source: Source,
    owners: OwnerRegistry,
    now: datetime | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> ValidationReport:
    """Map and validate every feature of a source (geometries in EPSG:6707) as works.

    The owner defaults to the source's, `source` is the source id, uids are stable (see `feed_uid`).
    A problem found while reading or mapping a field replaces what validation would say of the same field.
    """
    report = ValidationReport()
    seen: dict[str, str] = {}
    mapping = source.mapping
    defaults = {"owner": source.owner, **mapping.defaults}
    moment = now or datetime.now(timezone.utc)  # one time of reading for the whole feed
    records = list(records)
    checked = check_footprints([footprint(r.geometry, r.buffer_m or mapping.buffer_m) for r in records])
    for done, (raw, footprint_checked) in enumerate(zip(records, checked)):
        ref = raw.ref(source.id)
        record, found = apply_mapping(raw.properties, mapping)
        for target, value in defaults.items():
            if is_blank(record.get(target)):
                record[target] = value
        record["uid"] = feed_uid(source.id, raw.fid if is_blank(record.get("uid")) else record["uid"])
        record["source"] = source.id
        work, found_here = work_from_record(record, footprint_checked[0], ref=ref, owners=owners, now=moment,
                                            checked=footprint_checked)
        if raw.problems or found:
            label = record_label(ref, record)
            problems = [Problem(label, f, code, sev, params) for f, code, sev, params in [*raw.problems, *found]]
            reported = {p.field for p in problems}
            problems += [p for p in found_here if p.field not in reported]
        else:
            problems = found_here
        if any(p.severity is Severity.ERROR for p in problems):
            work = None
        if work is not None and work.uid in seen:
            problems.append(Problem(record_label(ref, record), "uid", "duplicate_uid", Severity.ERROR,
                                    {"value": work.uid, "other": seen[work.uid]}))
            work = None
        report.problems.extend(problems)
        if work is None:
            report.invalid_records += 1
        else:
            seen[work.uid] = ref
            report.works.append(work)
        if progress and total and done % 1000 == 999 and not progress(done / total):
            break
    return report
