"""Works built directly (already valid), for the conflict and schedule engines' tests."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import shapely

from tests.unit.factories import PRATO_X, PRATO_Y

DAY0 = date(2026, 3, 2)


def day(n: int) -> date:
    """Day n counted from DAY0 (2 March 2026)."""
    return DAY0 + timedelta(days=n)


def box(x: float, y: float, w: float = 10.0, h: float = 10.0) -> shapely.MultiPolygon:
    """A w x h metres footprint whose lower-left corner is (x, y) metres from Prato's centre."""
    return shapely.MultiPolygon([shapely.box(PRATO_X + x, PRATO_Y + y, PRATO_X + x + w, PRATO_Y + y + h)])


def uid(n: int) -> str:
    return str(uuid.UUID(int=n + 1))


def work(n: int, geometry: Any, start: int, end: int, **overrides: Any):
    from situation_room_plugin.core.works import Work

    values: dict[str, Any] = {
        "uid": uid(n),
        "title": f"Work {n}",
        "owner": "publiacqua",
        "work_type": "excavation",
        "status": "planned",
        "start_date": day(start),
        "end_date": day(end),
        "traffic_impact": "all-lanes-closed",
        "excavation": True,
    }
    values.update(overrides)
    return Work(**values, geometry=geometry)
