"""Small builders of valid works for tests (a square footprint near Prato's centre)."""

from __future__ import annotations

from datetime import date
from typing import Any

import shapely

PRATO_X, PRATO_Y = 668_000.0, 4_861_000.0


def square(x: float = PRATO_X, y: float = PRATO_Y, size: float = 10.0) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def record(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "uid": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "title": "Rifacimento rete idrica via Roma",
        "owner": "publiacqua",
        "work_type": "excavation",
        "status": "planned",
        "start_date": date(2026, 3, 2),
        "end_date": date(2026, 3, 20),
        "traffic_impact": "all-lanes-closed",
    }
    values.update(overrides)
    return values
