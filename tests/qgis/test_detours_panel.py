"""The dock's Detours tab: a day's analysis run in the background and its layers added to the map."""

from __future__ import annotations

import time
import uuid
from datetime import date

import shapely
import shapely.ops
from qgis.core import QgsApplication, QgsProject, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QDate

from situation_room_plugin.core.works import Work
from situation_room_plugin.gui.detours_panel import DetoursPanel
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.road_tables import read_road_lines


def wait_for(task: QgsTask, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while task.status() not in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated):
        QCoreApplication.processEvents()
        assert time.monotonic() < deadline, "the detour task did not finish"
        time.sleep(0.02)
    for _ in range(20):  # let the finished signal reach the panel
        QCoreApplication.processEvents()


def test_the_detours_tab_adds_the_days_detours_and_cut_off_roads_to_the_map(provider, shared_data):
    roads = QgsVectorLayer(f"{shared_data / 'prato' / 'prato_roads.gpkg'}|layername=roads", "roads", "ogr")
    lines = read_road_lines(shared_data / "prato" / "prato_roads.gpkg")
    line = lines.geometries[lines.column("osm_id").index("30353661")]  # Via Elio Danesi
    piece = shapely.ops.substring(line, 0.3, 0.7, normalized=True)
    work = Work(uid=str(uuid.uuid4()), title="Scavo", owner="publiacqua", work_type="excavation",
                status="authorized", start_date=date(2016, 5, 1), end_date=date(2016, 5, 10),
                traffic_impact="all-lanes-closed", geometry=shapely.MultiPolygon([shapely.buffer(piece, 4)]))
    works = layers.works_memory_layer([work])
    project = QgsProject.instance()
    project.addMapLayers([roads, works])
    panel = DetoursPanel(None)
    try:
        panel.roads_combo.setLayer(roads)
        panel.works_combo.setLayer(works)
        panel.date_edit.setDate(QDate(2016, 5, 3))
        task = panel.run()
        assert task is not None and not panel.run_button.isEnabled()
        wait_for(task)
        assert panel.run_button.isEnabled()
        added = [project.mapLayer(i) for i in panel.added_layers]
        assert [layer.name() for layer in added][:2] == ["Detours 2016-05-03", "Cut-off roads 2016-05-03"]
        detours, cutoff = added[0], added[1]
        assert {f["status"] for f in detours.getFeatures()} == {"no_detour"}
        assert cutoff.featureCount() > 5 and {f["work_uids"] for f in cutoff.getFeatures()} == {work.uid}
        assert "roads cut off" in panel.status_label.text()
    finally:
        project.removeMapLayers([roads.id(), works.id(), *panel.added_layers])
        QgsApplication.taskManager().cancelAll()


def test_the_detours_tab_asks_for_the_layers_it_needs(provider):
    panel = DetoursPanel(None)
    panel.roads_combo.setLayer(None)
    panel.works_combo.setLayer(None)
    assert panel.run() is None
    assert "road layer" in panel.status_label.text()
