"""From a source's raw features to validated works: field mapping, value maps, date formats, footprints.

A feed's features arrive as FeedRecords (the feature's id, its attributes as published, its geometry already
in EPSG:6707, and any problem found while reading it). `validate_feed` maps each one to the works schema with
the source's FieldMapping and validates it with core.works; every problem names the source and the feature.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.progress import Progress
from situation_room_plugin.core.sources import FieldMapping, Source
from situation_room_plugin.core.works import (
    DEFAULT_LIMITS,
    FIELD_NAMES,
    FootprintProblem,
    GeometryLimits,
    ValidationReport,
    check_footprints,
    count_self_crossings,
    crossings_problem,
    is_blank,
    name_uid,
    over_limits,
    parse_uid,
    record_label,
    works_from_columns,
)


@dataclass
class FeedRecord:
    """One feature of a source as read: `problems` are (field, code, severity, params) found while reading."""

    fid: str
    properties: dict[str, Any]
    geometry: BaseGeometry | None
    problems: list[tuple[str, str, Severity, dict[str, Any]]] = field(default_factory=list)
    #: Half-width of the footprint to make from a point or line geometry (0: the source's mapping decides).
    buffer_m: float = 0.0
    #: Codes or names of the organisation the feed says the feature is from (a WZDx data source): the first
    #: one the project's registry knows is its owner, where the feature and the mapping name none.
    owner_hints: tuple[str, ...] = ()

    def ref(self, source_id: str) -> str:
        return f"{source_id} #{self.fid}"


def feed_uid(source_id: str, value: Any) -> str:
    """The work uid of a feed feature: its own when it is a UUID, else one derived from source and id."""
    text = str(value).strip()
    uid = parse_uid(text) if len(text) in (32, 36, 38, 41, 45) else None  # the lengths a UUID is written in
    return uid or name_uid(f"{source_id}:{value}")


class FieldMapper:
    """A source's FieldMapping applied to many features at once, field by field.

    Attributes named like a works field are taken as they are; `fields` renames others (and wins; a name
    matches ignoring case, spaces and punctuation when it is not found as written); value maps and date
    formats apply to the renamed values; `defaults` fill what is still blank.
    """

    def __init__(self, mapping: FieldMapping, defaults: Mapping[str, Any]) -> None:
        self.wanted = tuple(mapping.fields)
        self.targets = tuple(mapping.fields.values())
        # A value map's keys compare ignoring case and surrounding spaces; the first spelling wins.
        self.values = {target: {raw.strip().casefold(): mapped for raw, mapped in reversed(table.items())}
                       for target, table in mapping.values.items()}
        self.date_formats = {target: tuple(formats) for target, formats in mapping.date_formats.items()}
        self.defaults = dict(defaults)

    def columns(
        self, features: Sequence[Mapping[str, Any]]
    ) -> tuple[dict[str, list[Any]], dict[int, list[tuple[str, str, Severity, dict[str, Any]]]]]:
        """The works fields of the features, a list of values per field (None where a feature has none), and
        the problems of the mapping by feature index."""
        count = len(features)
        columns: dict[str, list[Any]] = {name: [None] * count for name in FIELD_NAMES}
        # Features are renamed by the set of attribute names they have: a feed's features mostly share one.
        groups: dict[tuple[str, ...], list[int]] = {}
        for index, properties in enumerate(features):
            groups.setdefault(tuple(properties), []).append(index)
        for names, indexes in groups.items():
            for target, name in self._origins(names).items():
                if len(indexes) == count:
                    columns[target] = [properties[name] for properties in features]
                else:
                    column = columns[target]
                    for index in indexes:
                        column[index] = features[index][name]
        problems: dict[int, list[tuple[str, str, Severity, dict[str, Any]]]] = {}
        for target, table in self.values.items():
            columns[target] = _each(columns[target], lambda value, table=table: table.get(
                value.strip().casefold(), value) if isinstance(value, str) and value.strip() else value)
        for target, formats in self.date_formats.items():
            column = columns[target]
            parsed = _each(column, lambda value, formats=formats: _parse_with(value.strip(), formats)
                           if isinstance(value, str) and value.strip() else value)
            for index, (value, day) in enumerate(zip(column, parsed)):
                if day is None and value is not None:
                    problems.setdefault(index, []).append((target, "bad_date_format", Severity.ERROR, {
                        "value": value.strip(), "formats": " / ".join(formats)}))
            columns[target] = parsed
        for target, default in self.defaults.items():
            columns[target] = _each(columns[target], lambda value, default=default: default if is_blank(value)
                                    else value)
        return columns, problems

    def _origins(self, names: tuple[str, ...]) -> dict[str, str]:
        """Works field -> the attribute it comes from, for features with these attribute names."""
        origins = {name: name for name in FIELD_NAMES if name in names}
        for name, target in zip(_resolve(names, self.wanted), self.targets):
            if name is not None:
                origins[target] = name
        return origins


def _each(column: list[Any], function: Callable[[Any], Any]) -> list[Any]:
    """`function` of each value of a column, called once per distinct value when the values are all text
    (feeds repeat their dates, types and owners)."""
    if set(map(type, column)) <= {str, type(None)}:
        table = {value: function(value) for value in set(column)}
        return list(map(table.__getitem__, column))
    return [function(value) for value in column]


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
    between its points in order. A line of no length (all its points at one place, as some feeds write a
    point location) is buffered as that point. Polygons are left as they are (validation checks and repairs
    them). See `buffered_footprint` for the bounds on the work and the problems.
    """
    return buffered_footprint(geometry, buffer_m)[0]


def buffered_footprint(
    geometry: BaseGeometry | None, buffer_m: float, limits: GeometryLimits = DEFAULT_LIMITS
) -> tuple[BaseGeometry | None, list[FootprintProblem]]:
    """`footprint` and what there is to say about it: a point or line with more vertices or parts than
    `limits` allow, or a line crossing itself more often (a buffer's time grows with its crossings), is refused
    (None) before buffering; a line of no length read as a point is a warning."""
    if buffer_m <= 0 or geometry is None or geometry.is_empty:
        return geometry, []
    kind = geometry.geom_type
    if kind in ("Polygon", "MultiPolygon"):
        return geometry, []
    over = over_limits(geometry, limits)
    if over is not None:
        return None, [over]
    problems: list[FootprintProblem] = []
    if kind == "MultiPoint" and len(geometry.geoms) > 1:
        geometry = shapely.LineString([(p.x, p.y) for p in geometry.geoms])
        kind = "LineString"
    if "Line" in kind and shapely.length(geometry) == 0:
        geometry = shapely.MultiPoint(np.unique(shapely.get_coordinates(geometry), axis=0))
        kind = "MultiPoint"
        problems.append(("zero_length_line", Severity.WARNING, {}))
    if kind in ("Point", "MultiPoint", "LineString", "MultiLineString", "LinearRing", "GeometryCollection"):
        crossings = limits.max_crossings
        if not shapely.is_simple(geometry) and count_self_crossings(geometry, crossings) > crossings:
            return None, [crossings_problem("too_complex_to_buffer", limits)]
        cap = "flat" if "Line" in kind else "round"
        return shapely.buffer(geometry, buffer_m, quad_segs=4, cap_style=cap), problems
    return geometry, problems


def buffered_footprints(
    geometries: Sequence[BaseGeometry | None], widths: Sequence[float], limits: GeometryLimits = DEFAULT_LIMITS
) -> list[tuple[BaseGeometry | None, list[FootprintProblem]]]:
    """`buffered_footprint` of many geometries, each with its half-width: the common cases (a simple line of
    some length, a point) buffered in one vectorised call each, the others one by one. Same results."""
    array = np.fromiter(geometries, dtype=object, count=len(geometries))
    width = np.asarray(widths, dtype=float)
    types = shapely.get_type_id(array)  # -1 for None
    usable = (width > 0) & ~shapely.is_empty(array) & (shapely.get_num_coordinates(array) <= limits.max_vertices)
    usable &= shapely.get_num_geometries(array) <= limits.max_parts
    lines = usable & (types == shapely.GeometryType.LINESTRING)
    lines[lines] = shapely.is_simple(array[lines]) & (shapely.length(array[lines]) > 0)
    points = usable & (types == shapely.GeometryType.POINT)
    result: list[Any] = array.tolist()
    for chosen, cap in ((lines, "flat"), (points, "round")):
        indexes = np.flatnonzero(chosen)
        if len(indexes):
            for index, shape in zip(indexes.tolist(), shapely.buffer(array[indexes], width[indexes], quad_segs=4,
                                                                    cap_style=cap).tolist()):
                result[index] = shape
    slow = ~(lines | points) & (types != -1) & (types != 3) & (types != 6) & (width > 0)  # not None, not polygonal
    found: list[tuple[BaseGeometry | None, list[FootprintProblem]]] = [(shape, []) for shape in result]
    for index in np.flatnonzero(slow).tolist():
        found[index] = buffered_footprint(result[index], float(width[index]), limits)
    return found


class FeedValidator:
    """Maps and validates a source's features (geometries in EPSG:6707) as works, a batch at a time, as one
    feed: a uid met in an earlier batch is a duplicate, and every batch has the same time of reading.

    The owner defaults to the source's, `source` is the source id, uids are stable (see `feed_uid`).
    A problem found while reading or mapping a field replaces what validation would say of the same field.
    """

    def __init__(
        self, source: Source, owners: OwnerRegistry, now: datetime | None = None,
        limits: GeometryLimits = DEFAULT_LIMITS,
    ) -> None:
        self.source = source
        self.owners = owners
        self.limits = limits
        self.now = now or datetime.now(timezone.utc)
        self._mapping = FieldMapper(source.mapping, {"owner": source.owner, **source.mapping.defaults})
        self._seen: dict[str, str] = {}  # uid -> the reference of the feature that has it

    def validate(self, records: Sequence[FeedRecord]) -> ValidationReport:
        """The valid works of these features and every problem of each (document order)."""
        source_id = self.source.id
        columns, found = self._mapping.columns([raw.properties for raw in records])
        columns["uid"] = [feed_uid(source_id, raw.fid if is_blank(uid) else uid)
                          for raw, uid in zip(records, columns["uid"])]
        columns["source"] = [source_id] * len(records)
        if any(raw.owner_hints for raw in records):
            columns["owner"] = [self._hinted_owner(raw.owner_hints, owner)
                                for raw, owner in zip(records, columns["owner"])]
        refs = [raw.ref(source_id) for raw in records]
        buffer_m = self.source.mapping.buffer_m
        shaped = buffered_footprints([raw.geometry for raw in records], [raw.buffer_m or buffer_m for raw in records],
                                     self.limits)
        footprints = check_footprints([shape for shape, _ in shaped], self.limits)
        checked = [checked if not said else (None, said) if shape is None else (checked[0], [*said, *checked[1]])
                   for (shape, said), checked in zip(shaped, footprints)]
        validated = works_from_columns(columns, checked, refs, self.owners, self.now)
        report = ValidationReport()
        for index, (raw, ref, (work, found_here)) in enumerate(zip(records, refs, validated)):
            if raw.problems or index in found:
                label = record_label(ref, _row(columns, index))
                problems = [Problem(label, f, code, sev, params)
                            for f, code, sev, params in [*raw.problems, *found.get(index, ())]]
                # an error found while reading a field replaces what validation says of it; a warning does not
                reported = {p.field for p in problems if p.severity == Severity.ERROR}
                problems += [p for p in found_here if p.field not in reported]
            else:
                problems = found_here
            if any(p.severity is Severity.ERROR for p in problems):
                work = None
            if work is not None and work.uid in self._seen:
                problems.append(Problem(record_label(ref, _row(columns, index)), "uid", "duplicate_uid",
                                        Severity.ERROR, {"value": work.uid, "other": self._seen[work.uid]}))
                work = None
            report.problems.extend(problems)
            if work is None:
                report.invalid_records += 1
            else:
                self._seen[work.uid] = ref
                report.works.append(work)
        return report


    def _hinted_owner(self, hints: Sequence[str], owner: Any) -> Any:
        """The owner a feature's hints name, when its owner is only the source's default."""
        if not (is_blank(owner) or owner == self.source.owner):
            return owner
        known = next((self.owners.get(hint) for hint in hints if hint and self.owners.get(hint)), None)
        return known.code if known is not None else owner


def _row(columns: Mapping[str, Sequence[Any]], index: int) -> dict[str, Any]:
    return {name: column[index] for name, column in columns.items()}


#: Features validated together: large enough for the vectorised checks, small enough to report progress.
BATCH = 1000


def validate_feed(
    records: Iterable[FeedRecord],
    source: Source,
    owners: OwnerRegistry,
    now: datetime | None = None,
    progress: Progress | None = None,
    total: int = 0,
    limits: GeometryLimits = DEFAULT_LIMITS,
) -> ValidationReport:
    """Map and validate every feature of a source (geometries in EPSG:6707) as works (see FeedValidator);
    `progress(fraction)` after each batch, when `total` features are expected (it raises CancelledError to
    stop: see core.progress)."""
    validator = FeedValidator(source, owners, now, limits)
    report = ValidationReport()
    records = list(records)
    for start in range(0, len(records), BATCH):
        part = validator.validate(records[start:start + BATCH])
        report.works += part.works
        report.problems += part.problems
        report.invalid_records += part.invalid_records
        if progress is not None and total:
            progress(min(start + BATCH, total) / total)
    return report
