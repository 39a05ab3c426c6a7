"""The shared-layer sources of a project (who publishes what, where, how to read it) and their JSON form.

A Source says where a layer comes from (a WFS, an OGC API Features collection, a GeoJSON URL or file, a
WZDx feed), whose it is, what it is for in the Situation Room (its role), and how its fields map to the
works schema. Credentials are never part of it: `authcfg` names an entry of QGIS's authentication database.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.works import FIELD_NAMES, FIELDS, FieldKind


class SourceKind(str, Enum):
    WFS = "wfs"
    OGCAPI_FEATURES = "ogcapi_features"
    GEOJSON_URL = "geojson_url"
    GEOJSON_FILE = "geojson_file"
    WZDX = "wzdx"
    GTFS = "gtfs"


class Role(str, Enum):
    """What a source's features are to the Situation Room."""

    WORKS = "works"
    ROADS = "roads"
    BUS = "bus"
    PROTECTED_STREETS = "protected_streets"
    SENSITIVE = "sensitive"
    OTHER = "other"


KINDS: tuple[str, ...] = tuple(k.value for k in SourceKind)
ROLES: tuple[str, ...] = tuple(r.value for r in Role)
#: Kinds read over HTTP(S) (a file source may still be given as file:// or a plain path).
NETWORK_KINDS = frozenset({SourceKind.WFS.value, SourceKind.OGCAPI_FEATURES.value, SourceKind.GEOJSON_URL.value,
                           SourceKind.WZDX.value})
WFS_VERSIONS = ("", "1.0.0", "1.1.0", "2.0.0")
#: Kinds a source may be a writable platform of (the sync pushes to it): WFS-T, OGC API Features Part 4.
WRITABLE_KINDS = (SourceKind.WFS.value, SourceKind.OGCAPI_FEATURES.value)
DEFAULT_REFRESH_MINUTES = 60
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,62}$")


@dataclass(frozen=True)
class FieldMapping:
    """How a source's attributes become works fields.

    - `fields`: source attribute name -> works field name (``"Data prevista inizio lavori": "start_date"``).
      Attributes already named like a works field need no entry.
    - `values`: works field -> {source value: schema value}, for enumerations (``"Scavo": "excavation"``);
      keys are compared case-insensitively.
    - `date_formats`: works field -> strptime formats tried in order (``["%d/%m/%Y"]``).
    - `defaults`: works field -> value used when the record has none (e.g. the owner of the whole source).
    - `buffer_m`: half-width in metres of the footprint made from point or line geometries (0: not made).
    """

    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: dict[str, list[str]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    buffer_m: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v}


@dataclass(frozen=True)
class Source:
    """One shared layer of the project."""

    id: str
    title: str
    owner: str
    kind: str
    url: str
    layer: str = ""
    authcfg: str = ""
    role: str = Role.WORKS.value
    mapping: FieldMapping = field(default_factory=FieldMapping)
    refresh_minutes: int = DEFAULT_REFRESH_MINUTES
    #: WFS version to ask for ("" lets QGIS negotiate); the CRS to assume when the data does not say one.
    version: str = ""
    crs: str = ""
    #: How patient to be with the source (None: the defaults, 30 s, 600 s and 200 MB): seconds without a byte
    #: before a try is given up (`timeout_s`), the overall limit of a download in seconds (`total_timeout_s`),
    #: the largest answer or file in MB (`max_mb`).
    timeout_s: float | None = None
    total_timeout_s: float | None = None
    max_mb: float | None = None
    #: A platform the Situation Room syncs its works with (WFS-T or OGC API Features, role works): local edits
    #: are pushed to it.
    writable: bool = False

    @property
    def is_network(self) -> bool:
        return self.kind in NETWORK_KINDS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["mapping"] = self.mapping.to_dict()
        if not self.writable:
            del data["writable"]
        return {k: v for k, v in data.items() if v not in ("", None, {}) or k in ("id", "kind", "url")}


# ---------------------------------------------------------------------------------------------------------
# Validation of source definitions (from a JSON file, a project, or the dock's form)

_REQUIRED = ("id", "title", "owner", "kind", "url")
_KNOWN_KEYS = {f for f in Source.__dataclass_fields__}
_MAPPING_KEYS = {f for f in FieldMapping.__dataclass_fields__}
#: The keys of a source's limits: numbers above 0, or absent for the defaults.
LIMIT_KEYS = ("timeout_s", "total_timeout_s", "max_mb")
_ENUM_FIELDS = {spec.name: spec.choices for spec in FIELDS if spec.kind is FieldKind.CHOICE}
_DATE_FIELDS = {spec.name for spec in FIELDS if spec.kind in (FieldKind.DATE, FieldKind.DATETIME)}


def _label(index: int, data: Mapping[str, Any]) -> str:
    sid = data.get("id") if isinstance(data, Mapping) else None
    return f"source {index + 1}" + (f" '{sid}'" if isinstance(sid, str) and sid else "")


def mapping_from_dict(data: Any, label: str) -> tuple[FieldMapping, list[Problem]]:
    """A FieldMapping from its JSON form; every unusable entry is reported and left out."""
    problems: list[Problem] = []

    def bad(key: str, code: str, **params: Any) -> None:
        problems.append(Problem(label, f"mapping.{key}", code, Severity.ERROR, params))

    if data in (None, ""):
        return FieldMapping(), problems
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            bad("", "bad_json", value=f"{error.msg} (line {error.lineno}, column {error.colno})")
            return FieldMapping(), problems
    if not isinstance(data, Mapping):
        bad("", "mapping_not_object", value=type(data).__name__)
        return FieldMapping(), problems
    for key in data:
        if key not in _MAPPING_KEYS:
            bad(str(key), "unknown_key", allowed=", ".join(sorted(_MAPPING_KEYS)))
    fields: dict[str, str] = {}
    for src, target in _pairs(data.get("fields"), "fields", bad):
        if target not in FIELD_NAMES:
            bad("fields", "unknown_target", value=src, target=target, allowed=", ".join(FIELD_NAMES))
        else:
            fields[src] = target
    values: dict[str, dict[str, str]] = {}
    for target, table in _pairs(data.get("values"), "values", bad, inner=dict):
        if target not in _ENUM_FIELDS and target != "owner":
            bad("values", "unknown_target", value=target, target=target, allowed=", ".join([*_ENUM_FIELDS, "owner"]))
            continue
        values[target] = {str(k): str(v) for k, v in table.items()}
    date_formats: dict[str, list[str]] = {}
    for target, formats in _pairs(data.get("date_formats"), "date_formats", bad, inner=(str, list)):
        formats = [formats] if isinstance(formats, str) else [str(f) for f in formats]
        if target not in _DATE_FIELDS:
            bad("date_formats", "unknown_target", value=target, target=target, allowed=", ".join(sorted(_DATE_FIELDS)))
        else:
            date_formats[target] = formats
    defaults: dict[str, Any] = {}
    for target, value in _pairs(data.get("defaults"), "defaults", bad, inner=(str, int, float, bool)):
        if target not in FIELD_NAMES:
            bad("defaults", "unknown_target", value=target, target=target, allowed=", ".join(FIELD_NAMES))
        else:
            defaults[target] = value
    buffer_m = data.get("buffer_m", 0) or 0
    if isinstance(buffer_m, bool) or not isinstance(buffer_m, (int, float)) or buffer_m < 0:
        bad("buffer_m", "not_a_distance", value=str(buffer_m))
        buffer_m = 0
    return FieldMapping(fields, values, date_formats, defaults, float(buffer_m)), problems


def _pairs(value: Any, key: str, bad: Any, inner: type | tuple[type, ...] = str) -> list[tuple[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, Mapping):
        bad(key, "mapping_not_object", value=type(value).__name__)
        return []
    pairs = []
    for k, v in value.items():
        if not isinstance(v, inner):
            bad(key, "bad_mapping_entry", value=f"{k}: {v!r}")
        else:
            pairs.append((str(k), v))
    return pairs


def source_from_dict(data: Any, index: int = 0) -> tuple[Source | None, list[Problem]]:
    """A Source from its JSON form, or None when it cannot be used; every problem is reported."""
    if not isinstance(data, Mapping):
        return None, [Problem(f"source {index + 1}", "", "source_not_object", Severity.ERROR,
                              {"value": type(data).__name__})]
    label = _label(index, data)
    problems: list[Problem] = []

    def bad(key: str, code: str, severity: Severity = Severity.ERROR, **params: Any) -> None:
        problems.append(Problem(label, key, code, severity, params))

    for key in data:
        if key not in _KNOWN_KEYS:
            bad(str(key), "unknown_key", Severity.WARNING, allowed=", ".join(sorted(_KNOWN_KEYS)))
    for key in _REQUIRED:
        if not isinstance(data.get(key), str) or not data.get(key, "").strip():
            bad(key, "missing_value")
    sid = str(data.get("id") or "").strip()
    if sid and not _ID_RE.match(sid):
        bad("id", "bad_source_id", value=sid)
    kind = str(data.get("kind") or "").strip()
    if kind and kind not in KINDS:
        bad("kind", "unknown_value", value=kind, allowed=", ".join(KINDS))
    role = str(data.get("role") or Role.WORKS.value).strip()
    if role not in ROLES:
        bad("role", "unknown_value", value=role, allowed=", ".join(ROLES))
    url = str(data.get("url") or "").strip()
    if url:
        problems.extend(check_url(url, kind, label))
    version = str(data.get("version") or "")
    if kind == SourceKind.WFS.value and version not in WFS_VERSIONS:
        bad("version", "unknown_value", value=version, allowed=", ".join(v for v in WFS_VERSIONS if v))
    if kind in (SourceKind.WFS.value, SourceKind.OGCAPI_FEATURES.value) and not str(data.get("layer") or "").strip():
        bad("layer", "missing_value")
    refresh = data.get("refresh_minutes", DEFAULT_REFRESH_MINUTES)
    if isinstance(refresh, bool) or not isinstance(refresh, int) or refresh < 0:
        bad("refresh_minutes", "bad_integer", value=str(refresh))
        refresh = DEFAULT_REFRESH_MINUTES
    limits: dict[str, float] = {}
    for key in LIMIT_KEYS:
        value, problem = positive_number(data.get(key), label, key)
        if problem is not None:
            problems.append(problem)
        elif value is not None:
            limits[key] = value
    writable = data.get("writable", False)
    if not isinstance(writable, bool):
        bad("writable", "bad_bool", value=str(writable))
    elif writable and (kind not in WRITABLE_KINDS or role != Role.WORKS.value):
        bad("writable", "sync_not_writable")
    mapping, mapping_problems = mapping_from_dict(data.get("mapping"), label)
    problems.extend(mapping_problems)
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    source = Source(
        id=sid, title=data["title"].strip(), owner=data["owner"].strip(), kind=kind, url=url,
        layer=str(data.get("layer") or "").strip(), authcfg=str(data.get("authcfg") or "").strip(), role=role,
        mapping=mapping, refresh_minutes=refresh, version=version, crs=str(data.get("crs") or "").strip(),
        writable=writable is True, **limits,
    )
    return source, problems


def positive_number(value: Any, label: str, key: str) -> tuple[float | None, Problem | None]:
    """A limit's value (None when it is not given) or the problem with it: not a number, or not above 0."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None, Problem(label, key, "not_a_number", Severity.ERROR, {"value": str(value)})
    if value <= 0:
        return None, Problem(label, key, "not_positive", Severity.ERROR, {"value": f"{value:g}"})
    return float(value), None


def check_url(url: str, kind: str, label: str) -> list[Problem]:
    """A source URL must say where to read from and must never carry a password."""
    if kind in (SourceKind.GEOJSON_FILE.value, SourceKind.WZDX.value) and "://" not in url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or (parts.scheme != "file" and not parts.netloc):
        return [Problem(label, "url", "bad_url", Severity.ERROR, {"value": url})]
    return credentials_problems(url, label)


def credentials_problems(url: str, label: str) -> list[Problem]:
    """A URL that carries a user name or password (user:password@host) is refused: credentials belong in
    QGIS's authentication database. The problem names the host only, never what the URL carries."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # e.g. a port that is not a number: what is before the @ still counts
        parts, hostname = None, None
    netloc = re.split(r"[/?#]", url.split("://", 1)[1], maxsplit=1)[0] if "://" in url else ""
    if (parts is not None and (parts.password or parts.username)) or "@" in netloc:
        return [Problem(label, "url", "credentials_in_url", Severity.ERROR,
                        {"value": hostname or netloc.rpartition("@")[2] or "?"})]
    return []


def sources_from_json(text: str) -> tuple[list[Source], list[Problem]]:
    """Sources from a JSON document: a list of sources, or {"sources": [...]}. Unusable ones are reported."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [Problem("sources", "", "bad_json", Severity.ERROR,
                            {"value": f"{error.msg} (line {error.lineno}, column {error.colno})"})]
    if isinstance(data, Mapping) and "sources" in data:
        data = data["sources"]
    if not isinstance(data, list):
        return [], [Problem("sources", "", "sources_not_list", Severity.ERROR, {"value": type(data).__name__})]
    sources: list[Source] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        source, found = source_from_dict(item, index)
        problems.extend(found)
        if source is None:
            continue
        if source.id in seen:
            problems.append(Problem(_label(index, item), "id", "duplicate_source_id", Severity.ERROR,
                                    {"value": source.id}))
            continue
        seen.add(source.id)
        sources.append(source)
    return sources, problems


def sources_to_json(sources: Iterable[Source]) -> str:
    return json.dumps({"sources": [s.to_dict() for s in sources]}, indent=2, ensure_ascii=False)


def find(sources: Sequence[Source], source_id: str) -> Source | None:
    return next((s for s in sources if s.id == source_id), None)


def refreshes_automatically(source: Source) -> bool:
    """Whether a source has a refresh interval (`refresh_minutes` 0 means by hand only) and is read as a layer
    (a GTFS feed is read by the analyses that use it)."""
    return source.refresh_minutes > 0 and source.kind != SourceKind.GTFS.value


def refresh_due(source: Source, last_checked: datetime | None, last_tried: datetime | None, now: datetime) -> bool:
    """Whether a source is due for its automatic refresh at `now`: it has an interval (`refresh_minutes` 0 means
    by hand only), is read as a layer (not GTFS), and neither was its copy checked with the server
    (`last_checked`) nor was a refresh tried (`last_tried`, e.g. while offline) within the interval."""
    if not refreshes_automatically(source):
        return False
    interval = timedelta(minutes=source.refresh_minutes)
    return all(moment is None or now - moment >= interval for moment in (last_checked, last_tried))
