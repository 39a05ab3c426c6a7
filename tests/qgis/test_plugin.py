"""The plugin loads and unloads cleanly in QGIS: action, menu, dock, Processing provider, log handler."""

from __future__ import annotations

import logging

from qgis.core import QgsApplication

import situation_room_plugin
from situation_room_plugin.gui.dock import SituationRoomDock


def test_the_plugin_loads_opens_its_dock_and_unloads_without_leftovers(qgis_iface, qgis_processing):
    registry = QgsApplication.processingRegistry()
    if registry.providerById("situation_room") is not None:
        registry.removeProvider(registry.providerById("situation_room"))
    handlers_before = list(logging.getLogger("situation_room_plugin").handlers)

    plugin = situation_room_plugin.classFactory(qgis_iface)
    plugin.initGui()
    try:
        provider = registry.providerById("situation_room")
        assert provider is not None
        assert "situation_room:validate_works" in {a.id() for a in provider.algorithms()}
        assert plugin.action.text() == "Situation Room"

        plugin.action.setChecked(True)
        assert isinstance(plugin.dock, SituationRoomDock)
        assert plugin.dock.tabs.count() >= 1
        plugin.action.setChecked(False)
        assert plugin.dock.isHidden()
    finally:
        plugin.unload()

    assert registry.providerById("situation_room") is None
    assert plugin.dock is None and plugin.action is None
    assert logging.getLogger("situation_room_plugin").handlers == handlers_before


def test_a_missing_engine_package_gives_one_clear_message_instead_of_a_traceback(qgis_iface, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_shapely(name, *args, **kwargs):
        if name == "shapely":
            raise ImportError("No module named 'shapely'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_shapely)
    monkeypatch.delitem(__import__("sys").modules, "shapely")
    plugin = situation_room_plugin.classFactory(qgis_iface)
    monkeypatch.undo()
    assert type(plugin).__name__ == "MissingDependencyPlugin"
    assert "shapely 2.0" in plugin.message and "pip install" in plugin.message
    plugin.initGui()
    plugin.unload()
