"""The dock's Shared layers tab: the registry listed, a refresh run as a QgsTask, copies added to the map."""

from __future__ import annotations

import time

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from situation_room_plugin.gui.sources_panel import SourcesPanel
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store
from tests.qgis.feeds_helpers import publiacqua_feature, publiacqua_source, write_collection


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QCoreApplication.processEvents()
        time.sleep(0.02)


def test_the_tab_lists_sources_refreshes_them_in_a_task_and_adds_copies_to_the_map(
    qgis_iface, qgis_new_project, tmp_path
):
    good = write_collection(tmp_path / "pa.geojson", [publiacqua_feature(i) for i in range(6)])
    sources = [publiacqua_source(str(good), kind="geojson_file"),
               publiacqua_source(str(tmp_path / "missing.geojson"), kind="geojson_file", id="assente")]
    store_path = tmp_path / "store.gpkg"
    Store.open(store_path).close()
    project_io.set_store_path(store_path)
    feeds.write_registry(sources)
    panel = SourcesPanel(qgis_iface)
    assert panel.table.rowCount() == 2 and panel.table.item(0, 2).text() == "publiacqua"
    assert panel.table.item(0, 1).text() == "none yet"
    panel.refresh_selected()
    assert panel.task is not None
    wait_for(lambda: panel.task is None)
    assert panel.table.item(0, 1).text().startswith("6 features")
    assert panel.table.item(1, 1).text() == "none yet"
    assert "assente" in panel.status.text() and "missing.geojson" in panel.status.text()
    before = len(QgsProject.instance().mapLayers())
    panel.table.selectRow(0)
    panel.load_selected()
    layers = list(QgsProject.instance().mapLayers().values())
    assert len(layers) == before + 1
    # a partner's copy, named so and drawn by owner with a lighter fill, its dates set for the Temporal Controller
    copy = next(layer for layer in layers if layer.name() == "Cantieri Publiacqua (copy)")
    assert copy.featureCount() == 6 and copy.temporalProperties().isActive()
    assert copy.renderer().type() == "RuleRenderer"
    assert QgsApplication.taskManager().countActiveTasks() == 0


def test_sources_refresh_by_themselves_when_their_interval_has_passed(qgis_iface, qgis_new_project, tmp_path):
    from dataclasses import replace
    from datetime import datetime, timedelta, timezone

    feed = write_collection(tmp_path / "pa.geojson", [publiacqua_feature(i) for i in range(3)])
    hourly = replace(publiacqua_source(str(feed), kind="geojson_file"), refresh_minutes=60)
    by_hand = replace(hourly, id="a_mano", refresh_minutes=0)
    offline = replace(hourly, id="offline", url=str(tmp_path / "unreachable.geojson"))
    store_path = tmp_path / "store.gpkg"
    Store.open(store_path).close()
    project_io.set_store_path(store_path)
    feeds.write_registry([hourly, by_hand, offline])
    panel = SourcesPanel(qgis_iface)
    panel.auto_check.setChecked(True)
    now = datetime.now(timezone.utc)
    assert [s.id for s in panel.refresh_due_sources(now)] == ["publiacqua", "offline"]
    assert panel.task is not None and panel.scheduler.busy
    wait_for(lambda: panel.task is None)
    assert panel.table.item(0, 1).text().startswith("3 features")
    assert panel.table.item(1, 1).text() == "none yet" == panel.table.item(2, 1).text()
    assert "offline" in panel.status.text()  # said in the tab (and the log), not in the message bar
    assert panel.refresh_due_sources(now + timedelta(minutes=30)) == []  # read (or tried) half an hour ago
    assert [s.id for s in panel.refresh_due_sources(now + timedelta(minutes=61))] == ["publiacqua", "offline"]
    wait_for(lambda: panel.task is None)
    panel.auto_check.setChecked(False)
    assert panel.refresh_due_sources(now + timedelta(hours=3)) == []
    panel.timer.stop()
