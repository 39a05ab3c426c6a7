"""The plugin's user settings, kept under the `situation_room/` prefix of QGIS's settings."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from qgis.core import QgsSettings

PREFIX = "situation_room"


@dataclass
class Settings:
    """What a user may set once and keep: the defaults here are what a new profile starts with."""

    store_path: str = ""
    conflict_distance_m: float = 20.0
    debug_logging: bool = False
    #: Shared layers refreshed by themselves when their interval has passed (while QGIS is open).
    auto_refresh_sources: bool = True
    #: Works starting within this many days without a permit reference are an alert.
    alert_days_ahead: int = 7

    @classmethod
    def load(cls) -> Settings:
        qs = QgsSettings()
        values: dict[str, Any] = {}
        for f in fields(cls):
            default = f.default
            value = qs.value(f"{PREFIX}/{f.name}", default, type=type(default))
            values[f.name] = value
        return cls(**values)

    def save(self) -> None:
        qs = QgsSettings()
        for f in fields(self):
            qs.setValue(f"{PREFIX}/{f.name}", getattr(self, f.name))
