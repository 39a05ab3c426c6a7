"""The works (cantieri) schema: the Work record, its enumerations, its fields and their validation.

This is the one module that defines what a work is. The store, the layer adapters, the Processing
algorithms and the dock all read `FIELDS` and `Work` from here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.utm import from_utm32, to_utm32

#: Works are stored in RDN2008 / UTM zone 32N, the Italian national reference for this part of Italy.
PROJECT_CRS = "EPSG:6707"

#: A generous box around EPSG:6707's area of use (Italy between 6°E and 12°E), in its own metres.
#: A footprint outside it is in another country, or has swapped latitude/longitude, or a layer's CRS is wrong
#: (validation says which, see `_outside_area`).
AREA_OF_USE = (150_000.0, 3_900_000.0, 950_000.0, 5_300_000.0)

#: A work's footprint is the outline of a stretch of street: a few hundred vertices, a few thousand at most.
#: A footprint with more is refused rather than analysed (a hostile or broken feature must not hold up a feed).
MAX_FOOTPRINT_VERTICES = 10_000

#: An invalid outline (or a line to buffer into a footprint) that crosses itself more often than this is refused
#: rather than repaired: make_valid's time grows with the square of the crossings (measured with GEOS 3.11 on a
#: 2-core machine: 950 crossings 0.3 s, 2,000 about 1 s, 5,900 about 5 s; a polygon of 500 vertices in random
#: order has about 25,000 and took 76 s). A real footprint with a digitising slip has a few.
MAX_SELF_CROSSINGS = 1_000

#: A footprint is one stretch of street, or a few (a work on both sides of a crossing): a feature of more parts
#: than this is a dump of many works, or a hostile one (every part is checked, repaired and indexed).
MAX_FOOTPRINT_PARTS = 1_000


@dataclass(frozen=True)
class GeometryLimits:
    """How much work one footprint may ask for: one over a limit is refused, before any costly operation
    (repair, buffer, index), with a problem naming the limit and the setting that raises it. The defaults
    pass every real feed seen (Prato's works, the WZDx examples) and refuse the bombs in milliseconds; the
    QGIS side takes them from the user's settings (toolbelt/settings.py)."""

    #: Vertices of a footprint (or of the point or line it is made from).
    max_vertices: int = MAX_FOOTPRINT_VERTICES
    #: Parts (polygons, lines or points) of a footprint or of what it is made from.
    max_parts: int = MAX_FOOTPRINT_PARTS
    #: Self-crossings of an invalid outline to repair or of a line to buffer (their time grows with the square).
    max_crossings: int = MAX_SELF_CROSSINGS


#: The limits when none are given.
DEFAULT_LIMITS = GeometryLimits()

#: The user settings (under situation_room/) that raise or lower each limit: the problems name them.
LIMIT_SETTINGS = {"max_vertices": "situation_room/geometry_max_vertices",
                  "max_parts": "situation_room/geometry_max_parts",
                  "max_crossings": "situation_room/geometry_max_crossings"}


def over_limits(geometry: BaseGeometry, limits: GeometryLimits) -> FootprintProblem | None:
    """The problem of a geometry with more vertices or parts than `limits` allow (cheap: counts only)."""
    vertices = int(shapely.get_num_coordinates(geometry))
    if vertices > limits.max_vertices:
        return ("too_many_vertices", Severity.ERROR, {"value": vertices, "limit": limits.max_vertices,
                                                      "setting": LIMIT_SETTINGS["max_vertices"]})
    parts = _count_parts(geometry)
    if parts > limits.max_parts:
        return ("too_many_parts", Severity.ERROR, {"value": parts, "limit": limits.max_parts,
                                                   "setting": LIMIT_SETTINGS["max_parts"]})
    return None


def _count_parts(geometry: BaseGeometry) -> int:
    """Parts of a geometry, those of the collections in a GeometryCollection counted one by one."""
    if geometry.geom_type != "GeometryCollection":
        return int(shapely.get_num_geometries(geometry))
    return sum(_count_parts(part) for part in shapely.get_parts(geometry))


def crossings_problem(code: str, limits: GeometryLimits, **params: Any) -> FootprintProblem:
    """The problem of a geometry crossing itself more than `limits` allow (too complex to repair or buffer)."""
    return (code, Severity.ERROR, {**params, "limit": limits.max_crossings,
                                   "setting": LIMIT_SETTINGS["max_crossings"]})


class WorkType(str, Enum):
    EXCAVATION = "excavation"
    NETWORK_MAINTENANCE = "network_maintenance"
    NEW_CONNECTION = "new_connection"
    RESURFACING = "resurfacing"
    ROAD_CONSTRUCTION = "road_construction"
    EVENT = "event"
    OTHER = "other"


class Status(str, Enum):
    DRAFT = "draft"
    PLANNED = "planned"
    AUTHORIZED = "authorized"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TrafficImpact(str, Enum):
    """The WZDx 4.x `vehicle_impact` values that matter for closures and detours."""

    ALL_LANES_CLOSED = "all-lanes-closed"
    SOME_LANES_CLOSED = "some-lanes-closed"
    ALTERNATING_ONE_WAY = "alternating-one-way"
    ALL_LANES_OPEN = "all-lanes-open"
    UNKNOWN = "unknown"


class ClosedDirection(str, Enum):
    """Which direction of the road a closure takes, relative to the digitising direction of the road."""

    BOTH = "both"
    FORWARD = "forward"
    BACKWARD = "backward"


#: Work types whose default is to open the ground (when the record does not say).
EXCAVATING_TYPES = frozenset({WorkType.EXCAVATION.value, WorkType.NEW_CONNECTION.value})

#: Statuses of works that no longer occupy the street; analyses leave them out by default.
INACTIVE_STATUSES = frozenset({Status.COMPLETED.value, Status.CANCELLED.value})


class FieldKind(str, Enum):
    UUID = "uuid"
    TEXT = "text"
    OWNER = "owner"
    CHOICE = "choice"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    INT = "int"
    HOURS = "hours"


def _schema(kind: FieldKind, *, required: bool = False, choices: type[Enum] | None = None, **kw: Any) -> Any:
    """A dataclass field that carries its schema: its kind, whether it is mandatory, its allowed values."""
    meta = {"kind": kind, "required": required, "choices": tuple(c.value for c in choices) if choices else ()}
    return field(metadata=meta, **kw)


def _keyword_only(cls: type) -> type:
    """Make a dataclass's __init__ take keyword arguments only (what `dataclass(kw_only=True)` does from Python
    3.10 on; QGIS 3.22 on Windows runs 3.9): a Work has some twenty fields, and a positional one is a bug."""
    init = cls.__init__

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807 - it is the __init__
        if args:
            raise TypeError(f"{cls.__name__}() takes keyword arguments only ({len(args)} positional given)")
        init(self, **kwargs)

    cls.__init__ = __init__  # type: ignore[misc]
    return cls


@_keyword_only
@dataclass
class Work:
    """A work on the street: who, what, when, how it affects traffic, and its footprint in EPSG:6707."""

    uid: str = _schema(FieldKind.UUID, required=True, default_factory=lambda: str(uuid.uuid4()))
    title: str = _schema(FieldKind.TEXT, required=True, default="")
    description: str = _schema(FieldKind.TEXT, default="")
    owner: str = _schema(FieldKind.OWNER, required=True, default="")
    work_type: str = _schema(FieldKind.CHOICE, required=True, choices=WorkType, default=WorkType.OTHER.value)
    status: str = _schema(FieldKind.CHOICE, choices=Status, default=Status.DRAFT.value)
    start_date: date = _schema(FieldKind.DATE, required=True, default=date.min)
    end_date: date = _schema(FieldKind.DATE, required=True, default=date.min)
    daily_hours: str = _schema(FieldKind.HOURS, default="")
    night_work: bool = _schema(FieldKind.BOOL, default=False)
    traffic_impact: str = _schema(FieldKind.CHOICE, choices=TrafficImpact, default=TrafficImpact.UNKNOWN.value)
    closed_direction: str = _schema(FieldKind.CHOICE, choices=ClosedDirection, default=ClosedDirection.BOTH.value)
    excavation: bool = _schema(FieldKind.BOOL, default=False)
    permit_ref: str = _schema(FieldKind.TEXT, default="")
    contact: str = _schema(FieldKind.TEXT, default="")
    earliest_start: date | None = _schema(FieldKind.DATE, default=None)
    latest_end: date | None = _schema(FieldKind.DATE, default=None)
    created_at: datetime | None = _schema(FieldKind.DATETIME, default=None)
    updated_at: datetime | None = _schema(FieldKind.DATETIME, default=None)
    revision: int = _schema(FieldKind.INT, default=1)
    updated_by: str = _schema(FieldKind.TEXT, default="")
    source: str = _schema(FieldKind.TEXT, default="")
    geometry: BaseGeometry | None = field(default=None, compare=False)

    @property
    def duration_days(self) -> int:
        """Inclusive: a work from Monday to Monday lasts one day."""
        return (self.end_date - self.start_date).days + 1

    @property
    def hours(self) -> list[tuple[int, int]]:
        """Daily working hours as (start, end) minutes after midnight; empty means all day."""
        return parse_hours(self.daily_hours) or []

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def attributes(self) -> dict[str, Any]:
        """The attribute values in schema order (no geometry)."""
        return {spec.name: getattr(self, spec.name) for spec in FIELDS}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    required: bool
    choices: tuple[str, ...]


FIELDS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(f.name, f.metadata["kind"], f.metadata["required"], f.metadata["choices"])
    for f in dataclasses.fields(Work)
    if f.metadata
)
FIELD_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
_DEFAULTS: dict[str, Any] = {
    f.name: (f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default)  # type: ignore[misc]
    for f in dataclasses.fields(Work)
    if f.metadata
}
_NOT_NONE_DEFAULTS = tuple((name, value) for name, value in _DEFAULTS.items() if value is not None)

# ---------------------------------------------------------------------------------------------------------
# Value parsing: every parser returns (value, problem code or None) and never raises.

DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")
_TRUE = {"true", "t", "yes", "y", "1", "si", "sì", "s", "vero"}
_FALSE = {"false", "f", "no", "n", "0", "falso"}
_HOURS_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


#: ISO 8601 as this plugin reads it, on every Python (3.11's datetime.fromisoformat reads much more than 3.9's):
#: a calendar date, extended (2027-03-01) or basic (20270301); then, optionally, a time after 'T' or a space,
#: hours[:minutes[:seconds[.fraction]]] (colons optional), and an offset: Z, ±HH, ±HHMM or ±HH:MM[:SS].
#: Week and ordinal dates are not read.
_ISO_RE = re.compile(
    r"(?P<y>\d{4})(?P<dash>-?)(?P<m>\d{2})(?P=dash)(?P<d>\d{2})"
    r"(?:[Tt ](?P<H>\d{2})(?::?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"\s*(?P<tz>[Zz]|(?P<sign>[+-])(?P<oh>\d{2})(?::?(?P<om>\d{2})(?::?(?P<os>\d{2}))?)?)?)?"
)


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 date or date-time (see `_ISO_RE`) as written: naive when it has no offset, else aware in its own
    offset (never converted); None when it is not one or names no real day or time."""
    match = _ISO_RE.fullmatch(text.strip())
    if not match:
        return None
    g = match.group
    try:
        tz = None
        if g("tz"):
            offset = timedelta(hours=int(g("oh") or 0), minutes=int(g("om") or 0), seconds=int(g("os") or 0))
            tz = timezone.utc if g("tz") in "Zz" else timezone(-offset if g("sign") == "-" else offset)
        return datetime(int(g("y")), int(g("m")), int(g("d")), int(g("H") or 0), int(g("M") or 0),
                        int(g("S") or 0), int((g("f") or "0").ljust(6, "0")[:6]), tzinfo=tz)
    except ValueError:  # month 13, hour 25, an offset of a day or more
        return None


def parse_date(value: Any, formats: Sequence[str] = DATE_FORMATS) -> date | None:
    """A date from a date, a datetime or text in one of `formats` (ISO date-times too); None if it is none.

    The date of a date-time is the day as written, in its own offset: 2027-03-01T00:00:00+02:00 is 1 March
    (the day of the place that wrote it), never the UTC day before.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and formats[:1] == ("%Y-%m-%d",):
        moment = parse_iso(text)  # the common case, without strptime's cost
        if moment is not None:
            return moment.date()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    moment = parse_iso(text)
    return moment.date() if moment else None


def parse_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime, to the millisecond, from a datetime (naive means UTC), a date, or ISO 8601 text
    (see `parse_iso`); None if it is none, or if it is not a moment of years 1 to 9999 in UTC.

    Milliseconds are what GeoPackage DATETIME keeps, so a time read back equals the time written.
    """
    if isinstance(value, datetime):
        moment: datetime | None = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = parse_iso(value)
    else:
        return None
    return None if moment is None else _in_utc(moment)


def _in_utc(moment: datetime) -> datetime | None:
    """The moment in UTC to the millisecond (naive means UTC); None when UTC has no such year
    (9999-12-31T23:59:59-23:59 is in year 10000)."""
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


def parse_hours(value: Any) -> list[tuple[int, int]] | None:
    """'08:00-12:00, 14:00-18:00' as minute ranges; a range may cross midnight ('22:00-06:00').

    Empty text is an empty list (all day); text that is not a time range is None.
    """
    if is_blank(value):
        return []
    if not isinstance(value, str):
        return None
    ranges = []
    for part in re.split(r"[,;]", value):
        match = _HOURS_RE.match(part)
        if not match:
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
            return None
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end:
            return None
        ranges.append((start, end))
    return ranges


def format_hours(ranges: Iterable[tuple[int, int]]) -> str:
    return ",".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in ranges)


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def parse_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _choice_key(text: str) -> str:
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def parse_choice(value: Any, choices: Sequence[str]) -> str | None:
    """The canonical spelling of an enumerated value: 'All lanes closed' and 'ALL_LANES_CLOSED' both match."""
    if isinstance(value, Enum):
        value = value.value
    if not isinstance(value, str):
        return None
    return _choices_by_key(tuple(choices)).get(_choice_key(value))


@functools.lru_cache(maxsize=64)
def _choices_by_key(choices: tuple[str, ...]) -> dict[str, str]:
    return {_choice_key(choice): choice for choice in reversed(choices)}  # the first spelling wins


#: A UUID as str(uuid.UUID(...)) writes it: such a text needs no parsing.
_CANONICAL_UID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def parse_uid(value: Any) -> str | None:
    if isinstance(value, str) and _CANONICAL_UID_RE.fullmatch(value):
        return value
    try:
        return str(uuid.UUID(str(value).strip()))
    except (ValueError, AttributeError):
        return None


#: Identifiers of records that have none become stable uids in this namespace: the same feature of the same
#: source gets the same uid at every read, so decisions and links made on it survive.
FEED_NAMESPACE = uuid.UUID("0f6d2a3c-5b1e-4c1a-9d7e-5a17ad0c0de5")


def name_uid(name: str) -> str:
    """str(uuid.uuid5(FEED_NAMESPACE, name)), without building UUID objects (a feed has thousands)."""
    digest = bytearray(hashlib.sha1(FEED_NAMESPACE.bytes + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


# ---------------------------------------------------------------------------------------------------------
# Record validation


def record_label(ref: str, record: Mapping[str, Any]) -> str:
    """How problems name a record: its reference in the input, its uid and its title when it has them."""
    parts = [ref]
    uid = record.get("uid")
    if not is_blank(uid):
        parts.append(f"uid {str(uid).strip()}")
    title = record.get("title")
    if not is_blank(title):
        parts.append(f"«{str(title).strip()}»")
    return " ".join(parts)


def work_from_record(
    record: Mapping[str, Any],
    geometry: BaseGeometry | None,
    *,
    ref: str,
    owners: OwnerRegistry,
    now: datetime | None = None,
    checked: tuple[BaseGeometry | None, list[FootprintProblem]] | None = None,
    limits: GeometryLimits = DEFAULT_LIMITS,
) -> tuple[Work | None, list[Problem]]:
    """Validate one record (attribute names of the schema, geometry already in EPSG:6707).

    `checked` is what `check_footprints` found for `geometry`, when it was checked in bulk beforehand.

    Returns the Work, or None when the record has errors, and every problem found (not only the first).
    Warnings (a uid assigned, a geometry repaired) keep the record.
    """
    label = record_label(ref, record)
    problems: list[Problem] = []

    def report(field_name: str, code: str, severity: Severity = Severity.ERROR, **params: Any) -> None:
        problems.append(Problem(label, field_name, code, severity, params))

    values: dict[str, Any] = {}
    for spec in FIELDS:
        raw = record.get(spec.name)
        if isinstance(raw, str) and "\x00" in raw:  # GeoPackage, QGIS and GDAL would end the text there, silently
            report(spec.name, "nul_removed", Severity.WARNING, count=raw.count("\x00"))
            raw = raw.replace("\x00", "")
        if is_blank(raw):
            if spec.kind is FieldKind.UUID:
                values[spec.name] = str(uuid.uuid4())
                report(spec.name, "uid_assigned", Severity.WARNING, value=values[spec.name])
            elif spec.required:
                report(spec.name, "missing_value")
            else:
                values[spec.name] = None
            continue
        value, code, extra = _parse_field(spec, raw, owners)
        if code:
            report(spec.name, code, value=str(raw).strip(), **extra)
        else:
            values[spec.name] = value

    footprint, geometry_problems = checked if checked is not None else check_footprint(geometry, limits)
    for code, severity, params in geometry_problems:
        report("geometry", code, severity, **{"crs": PROJECT_CRS, **params})
    for field_name, code, params in _date_problems(values):
        report(field_name, code, **params)

    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    return _complete_work(values, footprint, parse_datetime(now or datetime.now(timezone.utc))), problems


def _date_problems(values: Mapping[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """(field, code, params) of the parsed dates that do not fit together: end before start, a window
    too narrow for the work."""
    problems = []
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        problems.append(("end_date", "end_before_start",
                         {"start_date": start.isoformat(), "end_date": end.isoformat()}))
    earliest, latest = values.get("earliest_start"), values.get("latest_end")
    if start and end and (earliest or latest):
        lo, hi = earliest or start, latest or end
        if (hi - lo).days < (end - start).days:
            problems.append(("latest_end", "window_too_narrow",
                             {"earliest_start": lo.isoformat(), "latest_end": hi.isoformat(),
                              "start_date": start.isoformat(), "end_date": end.isoformat()}))
    return problems


def _complete_work(values: dict[str, Any], footprint: BaseGeometry | None, moment: datetime) -> Work:
    """The Work of a record without errors from its parsed values (None: blank), with the schema's defaults;
    `moment` (UTC, to the millisecond) is its time of creation when it has none."""
    if values["excavation"] is None:
        values["excavation"] = values["work_type"] in EXCAVATING_TYPES
    for name, default in _NOT_NONE_DEFAULTS:
        if values[name] is None:
            values[name] = default
    values["created_at"] = values["created_at"] or moment
    values["updated_at"] = values["updated_at"] or values["created_at"]
    return Work(**values, geometry=footprint)


#: What a column parser gives for a value that `work_from_record` would report (or give a new uid).
_NOT_CLEAN = object()


def works_from_columns(
    columns: Mapping[str, Sequence[Any]],
    checked: Sequence[tuple[BaseGeometry | None, list[FootprintProblem]]],
    refs: Sequence[str],
    owners: OwnerRegistry,
    now: datetime | None = None,
) -> list[tuple[Work | None, list[Problem]]]:
    """`work_from_record` of many records given field by field (`columns`: field -> the records' values, in
    the same order as `checked`, what `check_footprints` said of their footprints): the same results,
    faster for the common case of a feed whose records have no problem.

    Each field is parsed once per distinct value (feeds repeat their dates, types and owners). A record with
    anything to say about it (a value that does not parse, a blank mandatory field or uid, a footprint
    problem, dates that do not fit) is validated again on its own by `work_from_record`, so that its
    problems are exactly those it reports. Every record gets the same time of reading.
    """
    moment = parse_datetime(now or datetime.now(timezone.utc))
    count = len(checked)
    parsed = [_parse_column(spec, columns.get(spec.name) or [None] * count, owners) for spec in FIELDS]
    results: list[tuple[Work | None, list[Problem]]] = []
    for index, (values_in_order, footprint_checked) in enumerate(zip(zip(*parsed), checked)):
        values = dict(zip(FIELD_NAMES, values_in_order))
        footprint, geometry_problems = footprint_checked
        if geometry_problems or _NOT_CLEAN in values_in_order or _date_problems(values):
            record = {name: column[index] for name, column in columns.items()}
            results.append(work_from_record(record, footprint, ref=refs[index], owners=owners, now=moment,
                                            checked=footprint_checked))
        else:
            results.append((_complete_work(values, footprint, moment), []))
    return results


def _parse_column(spec: FieldSpec, column: Sequence[Any], owners: OwnerRegistry) -> list[Any]:
    """The parsed values of one field of many records (_NOT_CLEAN where work_from_record has something to
    say), each distinct value parsed once."""
    kinds = set(map(type, column))
    if kinds == {type(None)}:  # a field the feed does not have
        return [_parse_cell(spec, None, owners)] * len(column)
    if spec.kind is FieldKind.TEXT:  # mostly distinct values, and cheap to parse
        blank = _NOT_CLEAN if spec.required else None
        if kinds == {str} and "\x00" not in "".join(column):
            return [text or blank for text in map(str.strip, column)]
        return [_NOT_CLEAN if isinstance(raw, str) and "\x00" in raw else blank if is_blank(raw) else str(raw).strip()
                for raw in column]
    if kinds <= {str, type(None)}:  # equal values are equal keys: one lookup each, in C
        table = {raw: _parse_cell(spec, raw, owners) for raw in set(column)}
        return list(map(table.__getitem__, column))
    parsed: dict[Any, Any] = {}
    values = []
    for raw in column:
        kind = type(raw)
        if kind not in _SHARED_PARSE_TYPES:
            values.append(_parse_cell(spec, raw, owners))
            continue
        key = raw if kind is str else (kind, raw)  # 1, 1.0 and True are equal but parse differently
        value = parsed.get(key, _NOT_PARSED)
        if value is _NOT_PARSED:
            value = parsed[key] = _parse_cell(spec, raw, owners)
        values.append(value)
    return values


_NOT_PARSED = object()


#: Types whose equal values always parse the same (not datetimes: equal instants can fall on different days).
_SHARED_PARSE_TYPES = frozenset({str, int, float, bool, date, type(None)})


def _parse_cell(spec: FieldSpec, raw: Any, owners: OwnerRegistry) -> Any:
    if isinstance(raw, str) and "\x00" in raw:
        return _NOT_CLEAN
    if is_blank(raw):
        return _NOT_CLEAN if spec.required or spec.kind is FieldKind.UUID else None
    value, code, _ = _parse_field(spec, raw, owners)
    return _NOT_CLEAN if code else value


def _parse_field(spec: FieldSpec, raw: Any, owners: OwnerRegistry) -> tuple[Any, str | None, dict[str, Any]]:
    kind = spec.kind
    if kind is FieldKind.TEXT:
        return str(raw).strip(), None, {}
    if kind is FieldKind.UUID:
        uid = parse_uid(raw)
        return uid, None if uid else "bad_uid", {}
    if kind is FieldKind.OWNER:
        owner = owners.get(str(raw))
        if owner is None:
            return None, "unknown_owner", {"allowed": ", ".join(owners.codes)}
        return owner.code, None, {}
    if kind is FieldKind.CHOICE:
        choice = parse_choice(raw, spec.choices)
        return choice, None if choice else "unknown_value", {"allowed": ", ".join(spec.choices)}
    if kind is FieldKind.DATE:
        day = parse_date(raw)
        return day, None if day else "bad_date", {}
    if kind is FieldKind.DATETIME:
        moment = parse_datetime(raw)
        if moment is None and (isinstance(raw, datetime) or (isinstance(raw, str) and parse_iso(raw))):
            return None, "datetime_out_of_range", {}
        return moment, None if moment else "bad_datetime", {}
    if kind is FieldKind.BOOL:
        flag = parse_bool(raw)
        return flag, None if flag is not None else "bad_bool", {}
    if kind is FieldKind.INT:
        number = parse_int(raw)
        return number, None if number is not None else "bad_integer", {}
    if kind is FieldKind.HOURS:
        ranges = parse_hours(raw)
        return (format_hours(ranges), None, {}) if ranges is not None else (None, "bad_hours", {})
    raise AssertionError(f"unhandled field kind {kind}")


#: What `check_footprint` says of a footprint: (code, severity, parameters of the message).
FootprintProblem = tuple[str, Severity, dict[str, Any]]


def check_footprint(
    geometry: BaseGeometry | None, limits: GeometryLimits = DEFAULT_LIMITS
) -> tuple[BaseGeometry | None, list[FootprintProblem]]:
    """A footprint as a 2D MultiPolygon inside the area of use, repaired if it was invalid.

    Returns the footprint (None if unusable) and its problems. The work is bounded (`limits`): a footprint of
    too many vertices or parts, or an invalid one crossing itself too many times, is refused before any costly
    operation.
    """
    if geometry is None:
        return None, [("missing_geometry", Severity.ERROR, {})]
    if geometry.is_empty:
        return None, [("empty_geometry", Severity.ERROR, {})]
    over = over_limits(geometry, limits)
    if over is not None:
        return None, [over]
    problems: list[FootprintProblem] = []
    geometry = shapely.force_2d(geometry)
    polygonal = _polygonal_part(geometry)
    if polygonal is None:
        return None, [("not_polygon", Severity.ERROR, {"value": geometry.geom_type})]
    if not polygonal.is_valid:
        reason = shapely.is_valid_reason(polygonal)
        if count_self_crossings(polygonal, limits.max_crossings) > limits.max_crossings:
            return None, [crossings_problem("too_complex_to_repair", limits, value=reason)]
        repaired = _polygonal_part(shapely.make_valid(polygonal))
        if repaired is None or repaired.is_empty or repaired.area == 0:
            return None, [("geometry_unrepairable", Severity.ERROR, {"value": reason})]
        problems.append(("geometry_repaired", Severity.WARNING, {"value": reason}))
        polygonal = repaired
    xmin, ymin, xmax, ymax = polygonal.bounds
    axmin, aymin, axmax, aymax = AREA_OF_USE
    if xmin < axmin or ymin < aymin or xmax > axmax or ymax > aymax:
        return None, [*problems, _outside_area(polygonal)]
    return polygonal, problems


def _outside_area(footprint: BaseGeometry) -> FootprintProblem:
    """What to say of a footprint outside the area of use: that its coordinates look like degrees (a layer
    whose CRS is wrong), that it would be inside with its coordinates swapped (as x for y, or as latitude for
    longitude before the projection), or only that it lies elsewhere."""
    point = footprint.representative_point()
    x, y = point.x, point.y
    params = {"value": f"({x:.0f}, {y:.0f})"}
    if abs(x) <= 180 and abs(y) <= 90:
        params["value"] = f"({x:g}, {y:g})"
        if _inside_area(to_utm32(x, y)) or _inside_area(to_utm32(y, x)):
            return "degrees_not_metres", Severity.ERROR, params
    lonlat = from_utm32(x, y)
    if _inside_area((y, x)) or (lonlat is not None and _inside_area(to_utm32(lonlat[1], lonlat[0]))):
        return "swapped_coordinates", Severity.ERROR, params
    return "outside_area", Severity.ERROR, params


def _inside_area(point: tuple[float, float] | None) -> bool:
    if point is None:
        return False
    xmin, ymin, xmax, ymax = AREA_OF_USE
    return xmin <= point[0] <= xmax and ymin <= point[1] <= ymax


def count_self_crossings(geometry: BaseGeometry, limit: int) -> int:
    """How many pairs of the segments of a geometry's lines or rings meet, other than consecutive ones (which
    share a vertex): the crossings, touches and overlaps that make an outline invalid or a line not simple.

    Counting stops once it passes `limit` (the result is then a number above it, not the total): this is the
    cheap test (an R-tree of the segments, a few milliseconds for 10,000 vertices) that tells whether repairing
    or buffering the geometry would be costly.
    """
    parts = shapely.get_parts(geometry)
    lines = [*shapely.get_rings(parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]),
             *(line for line in parts if line.geom_type in ("LineString", "LinearRing"))]
    starts, ends, part, position, closed = [], [], [], [], []
    for index, line in enumerate(lines):
        coords = shapely.get_coordinates(line)
        if len(coords) < 2:
            continue
        count = len(coords) - 1
        starts.append(coords[:-1])
        ends.append(coords[1:])
        part.append(np.full(count, index))
        position.append(np.arange(count))
        closed.append(np.full(count, count if line.is_closed else -1))
    if not starts:
        return 0
    segments = shapely.linestrings(np.stack([np.concatenate(starts), np.concatenate(ends)], axis=1))
    parts, positions, ring_length = np.concatenate(part), np.concatenate(position), np.concatenate(closed)
    tree = shapely.STRtree(segments)
    found = first = 0
    size = 16
    while first < len(segments):  # a chunk at a time, growing: a tangle stops at the first, small ones
        chunk = np.arange(first, min(first + size, len(segments)))
        first, size = first + size, min(size * 2, 1024)
        a, b = tree.query(segments[chunk], predicate="intersects")
        a = chunk[a]
        a, b = a[a < b], b[a < b]
        gap = np.abs(positions[a] - positions[b])
        neighbours = (parts[a] == parts[b]) & ((gap == 1) | (gap == ring_length[a] - 1))
        found += int(np.count_nonzero(~neighbours))
        if found > limit:
            break
    return found


def check_footprints(
    geometries: Sequence[BaseGeometry | None], limits: GeometryLimits = DEFAULT_LIMITS
) -> list[tuple[BaseGeometry | None, list[FootprintProblem]]]:
    """`check_footprint` of many geometries: the common case (a valid 2D polygon inside the area of use) is
    checked in vectorised calls, the others one by one. Same results as calling check_footprint on each."""
    array = np.fromiter(geometries, dtype=object, count=len(geometries))  # asarray: slower, by a microsecond each
    types = shapely.get_type_id(array)  # -1 for None
    polygonal = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
    fast = np.isin(types, polygonal) & ~shapely.is_empty(array) & ~shapely.has_z(array)
    fast &= shapely.get_num_coordinates(array) <= limits.max_vertices
    fast &= shapely.get_num_geometries(array) <= limits.max_parts
    fast[fast] = shapely.is_valid(array[fast])
    bounds = shapely.bounds(array)
    axmin, aymin, axmax, aymax = AREA_OF_USE
    with np.errstate(invalid="ignore"):
        inside = (bounds[:, 0] >= axmin) & (bounds[:, 1] >= aymin) & (bounds[:, 2] <= axmax) & (bounds[:, 3] <= aymax)
    fast &= inside
    polygons = np.flatnonzero(fast & (types == 3))
    multi = array.copy()
    if len(polygons):
        multi[polygons] = shapely.multipolygons(array[polygons], indices=np.arange(len(polygons)))
    return [(footprint, []) if ok else check_footprint(geometry, limits)
            for footprint, ok, geometry in zip(multi.tolist(), fast.tolist(), array.tolist())]


def _polygonal_part(geometry: BaseGeometry) -> BaseGeometry | None:
    """The (Multi)Polygon in a geometry, as a MultiPolygon; None if it has no area at all."""
    if geometry.geom_type == "MultiPolygon":
        return geometry
    if geometry.geom_type == "Polygon":
        return shapely.MultiPolygon([geometry])
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
        polygons = [p for g in parts for p in shapely.get_parts(g)]
        return shapely.MultiPolygon(polygons) if polygons else None
    return None


@dataclass
class ValidationReport:
    """The valid works of an input and the problems of every record (warnings of valid ones included)."""

    works: list[Work] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    invalid_records: int = 0


def validate_records(
    records: Iterable[tuple[str, Mapping[str, Any], BaseGeometry | None]],
    owners: OwnerRegistry,
    now: datetime | None = None,
    limits: GeometryLimits = DEFAULT_LIMITS,
    uid_source: str | None = None,
) -> ValidationReport:
    """Validate (ref, attributes, geometry) records; a uid used twice rejects the later records.

    With `uid_source` (what the records were read from: a layer's source), a record without a uid gets one
    derived from the source and its reference (`name_uid`): the same record gets the same uid at every run,
    and one piece of information says how many were given one (not a warning for each)."""
    report = ValidationReport()
    seen: dict[str, str] = {}
    assigned, where = 0, ""
    for ref, record, geometry in records:
        if uid_source is not None and is_blank(record.get("uid")):
            prefix, _, key = ref.rpartition("#")
            record = {**record, "uid": name_uid(f"{uid_source}:{key.strip() or ref}")}
            assigned, where = assigned + 1, where or prefix.strip() or ref
        work, problems = work_from_record(record, geometry, ref=ref, owners=owners, now=now, limits=limits)
        if work is not None and work.uid in seen:
            problems.append(
                Problem(record_label(ref, record), "uid", "duplicate_uid", Severity.ERROR,
                        {"value": work.uid, "other": seen[work.uid]})
            )
            work = None
        report.problems.extend(problems)
        if work is None:
            report.invalid_records += 1
        else:
            seen[work.uid] = ref
            report.works.append(work)
    if assigned:
        report.problems.append(Problem(where, "uid", "uids_assigned", Severity.INFO, {"count": assigned}))
    return report
