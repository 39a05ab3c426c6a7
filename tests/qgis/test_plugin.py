"""The plugin loads and unloads cleanly in QGIS: action, menu, dock, Processing provider, log handler."""

from __future__ import annotations

import logging

from qgis.core import QgsApplication

import situation_room_plugin
from situation_room_plugin.gui.dock import SituationRoomDock
from tests.qgis.conftest import started_plugin


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


def test_shared_layers_refresh_on_their_interval_with_the_dock_never_opened(
    qgis_iface, qgis_processing, qgis_new_project, tmp_path
):
    from dataclasses import replace
    from datetime import datetime, timezone

    from qgis.PyQt.QtCore import QCoreApplication

    from situation_room_plugin.qgis_io import feed_cache
    from situation_room_plugin.qgis_io import project as project_io
    from situation_room_plugin.qgis_io import sources as feeds
    from situation_room_plugin.qgis_io.store import Store
    from tests.qgis.feeds_helpers import publiacqua_feature, publiacqua_source, write_collection
    from tests.qgis.test_sources_panel import wait_for

    feed = write_collection(tmp_path / "pa.geojson", [publiacqua_feature(i) for i in range(4)])
    store_path = tmp_path / "store.gpkg"
    Store.open(store_path).close()
    project_io.set_store_path(store_path)
    feeds.write_registry([replace(publiacqua_source(str(feed), kind="geojson_file"), refresh_minutes=30)])
    plugin = started_plugin(qgis_iface)
    try:
        assert plugin.dock is None and plugin.scheduler.timer.isActive()
        plugin.scheduler.automatic = True
        assert [s.id for s in plugin.scheduler.refresh_due(datetime.now(timezone.utc))] == ["publiacqua"]
        wait_for(lambda: not plugin.scheduler.busy)
        QCoreApplication.processEvents()
        with Store.open(store_path, create=False) as store, store.transaction() as conn:
            assert feed_cache.snapshot(conn, "publiacqua").feature_count == 4
    finally:
        plugin.unload()


def test_unloading_cancels_a_running_task_and_nothing_calls_back(qgis_iface, qgis_processing):
    import time

    from qgis.core import QgsTask
    from qgis.PyQt.QtCore import QCoreApplication

    plugin = started_plugin(qgis_iface)
    heard: list[object] = []
    started = []

    def endless(progress):
        started.append(True)
        while True:  # stops only through the progress contract
            progress(0.5)
            time.sleep(0.01)

    task = plugin.tasks.run("endless", endless, heard.append, heard.append)
    ended: list[str] = []
    task.taskTerminated.connect(lambda: ended.append("terminated"))
    task.taskCompleted.connect(lambda: ended.append("completed"))
    deadline = time.monotonic() + 30
    while not started and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert started, "the task never started"
    plugin.unload()
    assert task.status() == QgsTask.TaskStatus.Terminated and task.cancelled  # ended before unload returned
    for _ in range(50):
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert ended == ["terminated"]
    assert heard == []  # no callback into a panel that is gone
