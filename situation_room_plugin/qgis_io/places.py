"""Layers of places (protected street stretches, sensitive places, parking) and roads as core arrays, in
EPSG:6707, whatever their CRS. Fields are found by their usual names (English, Italian, OSM), or named
by the caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsGeometry,
    QgsProject,
)

from situation_room_plugin.core.conflicts import PlaceArrays
from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.works import is_blank, parse_date
from situation_room_plugin.qgis_io.layers import geometries_to_shapely, project_crs, to_python

KEY_FIELDS = ("uid", "id", "osm_id", "code", "codice")
NAME_FIELDS = ("name", "title", "nome", "denominazione", "label")
KIND_FIELDS = ("kind", "amenity", "type", "tipo", "category", "categoria")
START_FIELDS = ("start_date", "start", "date_from", "from_date", "data_inizio", "dal", "protected_from")
END_FIELDS = ("end_date", "end", "date_to", "to_date", "data_fine", "al")
PROTECTED_UNTIL_FIELDS = ("protected_until", "protetto_fino_al", *END_FIELDS)
CAPACITY_FIELDS = ("capacity", "posti", "spaces", "stalli", "capienza")
ROAD_CLASS_FIELDS = ("highway", "road_class", "class", "fclass", "classe", "tipo")


class PlacesError(SituationRoomError):
    """A layer cannot be used as asked (e.g. protected streets without a protected_until field)."""


def find_field(names: Sequence[str], candidates: Sequence[str]) -> str | None:
    """The first candidate among a layer's field names, compared case-insensitively."""
    lower = {name.lower(): name for name in names}
    return next((lower[c] for c in candidates if c in lower), None)


@dataclass(frozen=True)
class PlaceFields:
    """Which field of a layer holds what; None where the layer has none."""

    key: str | None = None
    name: str | None = None
    kind: str | None = None
    start: str | None = None
    end: str | None = None
    capacity: str | None = None

    @classmethod
    def detect(cls, names: Sequence[str], end: Sequence[str] = END_FIELDS, capacity: str | None = None
               ) -> PlaceFields:
        return cls(
            key=find_field(names, KEY_FIELDS),
            name=find_field(names, NAME_FIELDS),
            kind=find_field(names, KIND_FIELDS),
            start=find_field(names, START_FIELDS),
            end=find_field(names, end),
            capacity=capacity or find_field(names, CAPACITY_FIELDS),
        )


def _features(
    source: QgsFeatureSource, transform_context: QgsCoordinateTransformContext | None
) -> Iterator[tuple[int, dict[str, Any], QgsGeometry | None]]:
    context = transform_context or QgsProject.instance().transformContext()
    transform = QgsCoordinateTransform(source.sourceCrs(), project_crs(), context)
    names = [f.name() for f in source.fields()]
    for feature in source.getFeatures(QgsFeatureRequest()):
        geometry = QgsGeometry(feature.geometry()) if feature.hasGeometry() else None
        if geometry is not None and not transform.isShortCircuited():
            try:
                geometry.transform(transform)
            except Exception:  # noqa: BLE001 - QgsCsException: cannot be projected
                geometry = None
        yield feature.id(), {n: to_python(v) for n, v in zip(names, feature.attributes())}, geometry


def _number(value: Any) -> float | None:
    if is_blank(value):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return number if number >= 0 else None


def read_places(
    source: QgsFeatureSource,
    label: str,
    transform_context: QgsCoordinateTransformContext | None = None,
    fields: PlaceFields | None = None,
    default_kind: str = "",
    require_end: bool = False,
) -> tuple[PlaceArrays, list[Problem]]:
    """The features of a layer as places. A feature without a usable geometry, with an unreadable date
    or (when `require_end`) without an end date is left out with a problem naming it."""
    if not source.sourceCrs().isValid():
        return PlaceArrays.build([], []), [Problem(label, "geometry", "no_crs")]
    fields = fields or PlaceFields.detect([f.name() for f in source.fields()])
    if require_end and fields.end is None:
        raise PlacesError.of("no_protected_until", layer=label)
    keys, names, kinds, starts, ends, capacity, geometries = [], [], [], [], [], [], []
    problems: list[Problem] = []
    for fid, attrs, geometry in _features(source, transform_context):
        key = attrs.get(fields.key) if fields.key else None
        key = f"{label}:{key}" if not is_blank(key) else f"{label}#{fid}"
        name = "" if not fields.name or is_blank(attrs.get(fields.name)) else str(attrs[fields.name]).strip()
        ref = f"{label} #{fid}" + (f" «{name}»" if name else "")
        bad = False
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            problems.append(Problem(ref, "geometry", "missing_geometry"))
            bad = True
        dates: list[date | None] = []
        for field_name in (fields.start, fields.end):
            raw = attrs.get(field_name) if field_name else None
            day = None if is_blank(raw) else parse_date(raw)
            if not is_blank(raw) and day is None:
                problems.append(Problem(ref, field_name or "", "bad_date", Severity.ERROR, {"value": str(raw)}))
                bad = True
            dates.append(day)
        if require_end and dates[1] is None and not bad:
            problems.append(Problem(ref, fields.end or "", "missing_value"))
            bad = True
        if bad:
            continue
        keys.append(key)
        names.append(name)
        kind = attrs.get(fields.kind) if fields.kind else None
        kinds.append(default_kind if is_blank(kind) else str(kind).strip().lower())
        starts.append(dates[0])
        ends.append(dates[1])
        capacity.append(_number(attrs.get(fields.capacity)) if fields.capacity else None)
        geometries.append(geometry)
    shapes = geometries_to_shapely(geometries)
    return PlaceArrays.build(list(shapes), keys, names, kinds, starts, ends, capacity), problems


def read_roads(
    source: QgsFeatureSource,
    transform_context: QgsCoordinateTransformContext | None = None,
    class_field: str | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Road lines in EPSG:6707 and their class (OSM `highway` or the like; empty when the layer has none)."""
    class_field = class_field or find_field([f.name() for f in source.fields()], ROAD_CLASS_FIELDS)
    geometries, classes = [], []
    for _, attrs, geometry in _features(source, transform_context):
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            continue
        geometries.append(geometry)
        value = attrs.get(class_field) if class_field else None
        classes.append("" if is_blank(value) else str(value).strip().lower())
    return geometries_to_shapely(geometries), classes
