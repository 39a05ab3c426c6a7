"""Situation Room access control for QGIS Server: who may edit which works (loaded from QGIS_PLUGINPATH)."""

from __future__ import annotations

from typing import Any


def serverClassFactory(serverIface: Any) -> Any:  # noqa: N802, N803 - the name and signature QGIS Server calls
    from situation_room_acl.plugin import SituationRoomAccessPlugin

    return SituationRoomAccessPlugin(serverIface)
