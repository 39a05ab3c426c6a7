"""Helpers of the export tests: works on Prato's real streets, the lanes of its roads, and validators of the
two formats over the schemas in ../shared/data."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
import shapely.ops

from situation_room_plugin.core.works import Work
from tests.unit.road_helpers import PRATO_ROADS, prato_lines

CIFS_XSD = Path("feeds/schemas/waze-cifs-2.0.0.xsd")


def way(data_dir: Path, osm_id: str) -> shapely.LineString:
    lines = prato_lines(data_dir)
    return lines.geometries[lines.column("osm_id").index(osm_id)]


def street_footprint(data_dir: Path, osm_id: str, start: float = 0.3, end: float = 0.7,
                     width: float = 8.0) -> shapely.Polygon:
    """A footprint over the middle of an OSM way of Prato (from `start` to `end` of its length), `width` wide."""
    piece = shapely.ops.substring(way(data_dir, osm_id), start, end, normalized=True)
    return shapely.buffer(piece, width / 2, cap_style="flat")


def street_work(data_dir: Path, osm_id: str | None = None, geometry: Any = None, **overrides: Any) -> Work:
    footprint = geometry if geometry is not None else street_footprint(data_dir, osm_id)
    if footprint.geom_type == "Polygon":
        footprint = shapely.MultiPolygon([footprint])
    values: dict[str, Any] = {
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"test:{osm_id}:{overrides.get('title', '')}")),
        "title": f"Scavo {osm_id}", "description": "", "owner": "publiacqua", "work_type": "excavation",
        "status": "authorized", "start_date": date(2026, 3, 2), "end_date": date(2026, 3, 20),
        "traffic_impact": "all-lanes-closed", "geometry": footprint,
        "created_at": datetime(2026, 1, 15, 8, 0, tzinfo=timezone.utc),
        "updated_at": datetime(2026, 2, 1, 17, 45, 12, tzinfo=timezone.utc),
    }
    values.update(overrides)
    return Work(**values)


@lru_cache(maxsize=2)
def prato_lanes(data_dir: Path) -> dict[int, Any]:
    """The OSM `lanes` of Prato's roads by feature id (what the ROADS layer's fids are)."""
    conn = sqlite3.connect(f"file:{data_dir / PRATO_ROADS}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT fid, lanes FROM roads WHERE lanes IS NOT NULL"))
    finally:
        conn.close()


def cifs_schema(data_dir: Path) -> Any:
    """The CIFS 2.0.0 XSD as lxml reads it. Its schedule pattern escapes ':', '-' and ',' (\\: \\- \\,), which
    XML Schema's regular expressions do not allow and libxml2 refuses; unescaped they mean the same."""
    from lxml import etree

    text = (data_dir / CIFS_XSD).read_text(encoding="utf-8")
    fixed = text.replace("\\:", ":").replace("\\-", "-").replace("\\,", ",")
    assert fixed.count("(\\d{1,2}:\\d{2}-\\d{1,2}:\\d{2},?)+") == 8  # only the schedule's patterns changed
    return etree.XMLSchema(etree.fromstring(fixed.encode("utf-8")))
