"""Fixtures for tests inside a real QGIS (pytest-qgis): the provider registered as the plugin does it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from qgis.core import QgsApplication

from situation_room_plugin.processing.provider import SituationRoomProvider

_KEEP_ALIVE: list[SituationRoomProvider] = []


@pytest.fixture(autouse=True, scope="session")
def _no_automatic_refresh(qgis_app: Any) -> None:
    """Panels made by one test must not refresh sources by themselves during another (their timers outlive
    the test): automatic refresh is off in the test profile, and the test of it turns it on."""
    from situation_room_plugin.toolbelt.settings import Settings

    settings = Settings.load()
    settings.auto_refresh_sources = False
    settings.save()


@pytest.fixture
def provider(qgis_processing: None) -> SituationRoomProvider:
    """Our provider in the registry (the plugin test removes it, as unloading the plugin does)."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("situation_room")
    if existing is not None:
        return existing
    provider = SituationRoomProvider()
    assert registry.addProvider(provider)
    _KEEP_ALIVE.append(provider)  # Python must hold the provider for as long as the registry lists it
    return provider


def feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def square_lonlat(lon: float, lat: float, size: float = 0.0002) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def started_plugin(iface):
    """The plugin as QGIS starts it (classFactory, initGui), after taking away a provider a fixture registered
    (the plugin registers its own). The caller unloads it."""
    import situation_room_plugin

    registry = QgsApplication.processingRegistry()
    if registry.providerById("situation_room") is not None:
        registry.removeProvider(registry.providerById("situation_room"))
    plugin = situation_room_plugin.classFactory(iface)
    plugin.initGui()
    return plugin
