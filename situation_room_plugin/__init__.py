"""Situation Room: road works coordination for QGIS. QGIS calls classFactory; nothing else happens on import."""

from __future__ import annotations

from typing import Any


def classFactory(iface: Any) -> Any:  # noqa: N802 - QGIS API
    from situation_room_plugin.dependencies import MissingDependencyPlugin, missing_dependency

    problem = missing_dependency()
    if problem:
        return MissingDependencyPlugin(iface, problem)
    from situation_room_plugin.plugin import SituationRoomPlugin

    return SituationRoomPlugin(iface)
