"""Drawing a work: a line along the street with a width becomes its footprint; the width comes from the
street's lanes. Plain geometry in a metric CRS (EPSG:6707), for the map tools and their tests."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

#: The width of one traffic lane, in metres (Italian urban streets: 2.75–3.75 m; 3.5 m the common one).
LANE_WIDTH_M = 3.5
#: The narrowest and widest footprint a drawn line may give, in metres.
MIN_WIDTH_M = 0.5
MAX_WIDTH_M = 60.0
#: Points closer than this (metres) are one point: a double click adds no zero-length segment.
_SAME_POINT_M = 0.01

_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")


def lanes_count(lanes: Any, oneway: Any = None) -> int:
    """How many lanes a street has from its OSM tags: `lanes` ("2", "2;3", "1.5"…: the largest number), else
    one lane for a one-way street and two for any other."""
    numbers = [float(n.replace(",", ".")) for n in _NUMBER_RE.findall(str(lanes))] if lanes is not None else []
    numbers = [n for n in numbers if 0 < n <= 16]
    if numbers:
        return max(1, math.ceil(max(numbers)))
    return 1 if str(oneway).strip().lower() in {"yes", "true", "1", "-1"} else 2


def width_from_lanes(lanes: Any, oneway: Any = None, lane_width_m: float = LANE_WIDTH_M) -> float:
    """The default width of a work drawn along a street: the whole carriageway (its lanes × a lane's width)."""
    return lanes_count(lanes, oneway) * lane_width_m


def clean_vertices(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The drawn points without consecutive repeats (a double click, a snap to the same vertex twice)."""
    out: list[tuple[float, float]] = []
    for x, y in points:
        if not out or math.hypot(x - out[-1][0], y - out[-1][1]) > _SAME_POINT_M:
            out.append((float(x), float(y)))
    return out


def footprint_from_line(points: Sequence[tuple[float, float]], width_m: float) -> MultiPolygon:
    """The footprint of a work drawn as a line along the street: the band `width_m` wide centred on the
    line, square at its ends (a work stops where the line stops) and mitred at the bends.

    Raises ValueError with what is wrong when the line has fewer than two distinct points or the width is
    outside MIN_WIDTH_M..MAX_WIDTH_M.
    """
    vertices = clean_vertices(points)
    if len(vertices) < 2:
        raise ValueError("a line needs two distinct points")
    if not (MIN_WIDTH_M <= width_m <= MAX_WIDTH_M):
        raise ValueError(f"the width must be between {MIN_WIDTH_M:g} and {MAX_WIDTH_M:g} m")
    band = LineString(vertices).buffer(width_m / 2.0, cap_style="flat", join_style="mitre", mitre_limit=3.0)
    return as_multipolygon(band)


def footprint_from_ring(points: Sequence[tuple[float, float]]) -> MultiPolygon:
    """The footprint of a work drawn as a polygon (at least three distinct points); a ring that crosses
    itself is repaired into its parts, as validation would.

    Raises ValueError when the points do not enclose an area.
    """
    vertices = clean_vertices(points)
    if len(vertices) > 1 and vertices[0] == vertices[-1]:
        vertices.pop()
    if len(vertices) < 3:
        raise ValueError("a polygon needs three distinct points")
    polygon = shapely.make_valid(Polygon(vertices))
    footprint = as_multipolygon(polygon)
    if footprint.is_empty or footprint.area <= 0:
        raise ValueError("the points do not enclose an area")
    return footprint


def as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    """The polygonal parts of a geometry as one MultiPolygon (the works layer's type)."""
    parts = shapely.get_parts(geometry)
    while any(isinstance(g, (MultiPolygon, shapely.GeometryCollection)) for g in parts):  # collections of multis
        parts = shapely.get_parts(parts)
    return MultiPolygon([g for g in parts if isinstance(g, Polygon) and not g.is_empty])
