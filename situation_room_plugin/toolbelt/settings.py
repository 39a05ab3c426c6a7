"""The plugin's user settings, kept under the `situation_room/` prefix of QGIS's settings."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from qgis.core import QgsSettings

from situation_room_plugin.core.works import (
    MAX_FOOTPRINT_PARTS,
    MAX_FOOTPRINT_VERTICES,
    MAX_SELF_CROSSINGS,
    GeometryLimits,
)

PREFIX = "situation_room"


@dataclass
class Settings:
    """What a user may set once and keep: the defaults here are what a new profile starts with."""

    store_path: str = ""
    conflict_distance_m: float = 20.0
    debug_logging: bool = False
    #: Shared layers refreshed by themselves when their interval has passed (while QGIS is open).
    auto_refresh_sources: bool = True
    #: How much work one footprint may ask for (core.works.GeometryLimits): a feature over a limit is refused
    #: with a problem naming it; raise one for a source whose real footprints are larger.
    geometry_max_vertices: int = MAX_FOOTPRINT_VERTICES
    geometry_max_parts: int = MAX_FOOTPRINT_PARTS
    geometry_max_crossings: int = MAX_SELF_CROSSINGS
    #: Works starting within this many days without a permit reference are an alert.
    alert_days_ahead: int = 7
    #: The user's organisation (a code of the registry): the owner of the works they draw.
    organisation: str = ""
    #: The name edits are signed with (updated_by); the system user's when empty.
    user_name: str = ""

    @classmethod
    def load(cls) -> Settings:
        qs = QgsSettings()
        values: dict[str, Any] = {}
        for f in fields(cls):
            default = f.default
            value = qs.value(f"{PREFIX}/{f.name}", default, type=type(default))
            values[f.name] = value
        return cls(**values)

    def geometry_limits(self) -> GeometryLimits:
        """The limits on one footprint that validation applies (a value below 1 is taken as 1)."""
        return GeometryLimits(max_vertices=max(int(self.geometry_max_vertices), 1),
                              max_parts=max(int(self.geometry_max_parts), 1),
                              max_crossings=max(int(self.geometry_max_crossings), 1))

    def user(self) -> str:
        """Who signs an edit: the name set in the settings, else the system user's."""
        return self.user_name.strip() or system_user()

    def save(self) -> None:
        qs = QgsSettings()
        for f in fields(self):
            qs.setValue(f"{PREFIX}/{f.name}", getattr(self, f.name))


def system_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not a reason to lose an edit
        return ""
