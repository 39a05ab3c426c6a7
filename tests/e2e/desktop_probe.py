"""Run inside the real QGIS desktop (qgis --code): do what a technician does with the Situation Room dock,
save screenshots and what the dock shows to $SR_PROBE_OUT, then quit. Kept free of test imports: QGIS runs
it as a plain script.

Steps: open the dock and look at every tab; point the project at the store $SR_STORE and add its works to
the map; detect the conflicts (a background task); with $SR_ROADS, show the detours of $SR_DAY (a background
task); with $SR_SOURCES, import that sources file in the Shared layers tab, refresh the sources (a background
task) and add the first one's copy to the map; with $SR_MAP, screenshots of the styled map at 1:25,000 and
1:2,000 and on another day; close the dock from its title bar.
"""

import os
import sys
from pathlib import Path

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication, QDockWidget, QGroupBox, QPushButton
from qgis.utils import iface, plugins

sys.path.insert(0, os.environ["SR_PROBE_DIR"])  # probe_kit.py, beside this file
from probe_kit import OUT, STATE, STEPS, dock, finish, next_step, shot, step, wait_until  # noqa: F401


@step
def open_dock():
    STATE["plugin_loaded"] = "situation_room_plugin" in plugins
    plugins["situation_room_plugin"].action.trigger()
    next_step(1500)


@step
def look_at_every_tab():
    d = dock()
    STATE["dock_found"] = d is not None
    STATE["dock_visible"] = d.isVisible()
    STATE["dock_title"] = d.windowTitle()
    tabs = d.widget()
    STATE["tabs"] = [tabs.tabText(i) for i in range(tabs.count())]
    STATE["groups"] = [b.title() for b in d.findChildren(QGroupBox)]
    STATE["buttons"] = [b.text() for b in d.findChildren(QPushButton)]
    STATE["action_checked"] = plugins["situation_room_plugin"].action.isChecked()
    d.grab().save(str(OUT / "dock.png"))
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        d.grab().save(str(OUT / f"dock_tab{index}.png"))
    tabs.setCurrentIndex(0)
    iface.mainWindow().grab().save(str(OUT / "qgis.png"))
    next_step()


@step
def add_the_works_of_the_store():
    from situation_room_plugin.qgis_io import project as project_io

    panel = dock().works_panel
    project_io.set_store_path(os.environ["SR_STORE"])
    panel.refresh()
    panel.add_works_layer()
    STATE["layers_after_adding"] = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
    STATE["counts"] = {status: label.text() for status, label in panel.count_labels.items()}
    iface.mapCanvas().setExtent(iface.activeLayer().extent().buffered(60))
    iface.mapCanvas().refreshAllLayers()
    QTimer.singleShot(1500, lambda: iface.mainWindow().grab().save(str(OUT / "qgis_with_works.png")))
    next_step(1800)


@step
def detect_the_conflicts():
    d = dock()
    panel = d.conflicts_panel
    d.widget().setCurrentWidget(panel)
    panel.detect()

    def show():
        STATE["conflicts_summary"] = panel.summary.text()
        STATE["conflict_rows"] = panel.table.rowCount()
        d.grab().save(str(OUT / "conflicts.png"))
        next_step()

    wait_until(lambda: panel.task is None and getattr(panel, "outcome", None) is not None, show)


@step
def show_the_detours_of_the_day():
    roads_path = os.environ.get("SR_ROADS")
    if not roads_path:
        next_step()
        return
    d = dock()
    panel = d.detours_panel
    d.widget().setCurrentWidget(panel)
    roads = QgsVectorLayer(f"{roads_path}|layername=roads", "roads", "ogr")
    QgsProject.instance().addMapLayer(roads)
    works = next(layer for layer in QgsProject.instance().mapLayers().values()
                 if layer.customProperty("situation_room/works_layer", False))  # not the conflicts layer
    panel.roads_combo.setLayer(roads)
    panel.works_combo.setLayer(works)
    panel.date_edit.setDate(QDate.fromString(os.environ["SR_DAY"], "yyyy-MM-dd"))
    panel.run()

    def show():
        STATE["detours_status"] = panel.status_label.text()
        STATE["layers_after_detours"] = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
        iface.mapCanvas().setExtent(works.extent().buffered(400))
        iface.mapCanvas().refreshAllLayers()
        QTimer.singleShot(2500, lambda: (iface.mainWindow().grab().save(str(OUT / "detours.png")), next_step()))

    wait_until(lambda: panel.task is None and panel.run_button.isEnabled(), show)


@step
def draw_the_map_at_city_and_street_scale():
    """With $SR_MAP: the styled map at 1:25,000 and 1:2,000 on the Detours tab's day, then at 1:25,000 on
    $SR_MAP_LATER_DAY (the Temporal Controller moved by gui.temporal.show_day)."""
    if not os.environ.get("SR_MAP"):
        next_step()
        return
    from datetime import date

    from qgis.core import QgsPointXY, QgsTemporalNavigationObject

    from situation_room_plugin.gui.temporal import show_day

    canvas = iface.mapCanvas()
    works = next(layer for layer in QgsProject.instance().mapLayers().values()
                 if layer.type() == 0 and layer.geometryType() == 2 and "start_date" in layer.fields().names())
    STATE["map_legend"] = [item.label() for item in works.renderer().legendSymbolItems()]
    # the conflicts as Processing gives them (opened styled by kind and severity)
    import processing

    result = processing.runAndLoadResults("situation_room:detect_conflicts", {"WORKS": works, "OUTPUT": "memory:"})
    conflicts = QgsProject.instance().mapLayer(result["OUTPUT"])
    STATE["map_conflicts_legend"] = [item.label() for item in conflicts.renderer().legendSymbolItems()]
    STATE["map_works_temporal"] = works.temporalProperties().isActive()
    controller = canvas.temporalController()
    off = QgsTemporalNavigationObject.NavigationMode.NavigationOff
    on = isinstance(controller, QgsTemporalNavigationObject) and controller.navigationMode() != off
    STATE["map_temporal_on"] = on
    STATE["map_canvas_range"] = canvas.temporalRange().begin().toString("yyyy-MM-dd")
    x, y = (float(v) for v in os.environ["SR_MAP_CENTRE"].split(","))
    def shown_titles():
        """The works the map shows on the canvas's day (the layer's own temporal filter)."""
        from qgis.core import QgsFeatureRequest, QgsVectorLayerTemporalContext

        context = QgsVectorLayerTemporalContext()
        context.setLayer(works)
        expression = works.temporalProperties().createFilterString(context, canvas.temporalRange())
        return sorted(f["title"] for f in works.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))

    # the Temporal Controller's panel open, as a technician would have it
    for widget in iface.mainWindow().findChildren(QDockWidget):
        if "temporal" in widget.objectName().lower():
            # under the map only (the side docks keep the corners), in a window as big as the screen
            window = iface.mainWindow()
            window.resize(1600, 1000)
            window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
            window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, widget)
            widget.show()
            window.resizeDocks([widget], [100], Qt.Orientation.Vertical)
            STATE["map_temporal_panel"] = widget.windowTitle()
    layers_panel = iface.mainWindow().findChild(QDockWidget, "Layers")
    if layers_panel is not None:
        iface.mainWindow().resizeDocks([layers_panel], [330], Qt.Orientation.Horizontal)
    shots = [("map_25000.png", 25_000, None), ("map_2000.png", 2_000, None),
             ("map_later_day_25000.png", 25_000, os.environ.get("SR_MAP_LATER_DAY"))]
    STATE["map_scales"] = []

    def shoot():
        if not shots:
            next_step()
            return
        name, scale, day = shots.pop(0)
        if day:
            shown = show_day(iface, date.fromisoformat(day))
            STATE["map_later_range"] = shown.begin().toString("yyyy-MM-dd")
        canvas.setCenter(QgsPointXY(x, y))
        canvas.zoomScale(scale)
        canvas.refreshAllLayers()

        def grab(tries=3):
            if abs(canvas.scale() - scale) > 0.02 * scale and tries:  # the docks moved the canvas: again
                canvas.setCenter(QgsPointXY(x, y))
                canvas.zoomScale(scale)
                QTimer.singleShot(2000, lambda: grab(tries - 1))
                return
            STATE["map_scales"].append(round(canvas.scale()))
            shown = canvas.temporalRange()
            STATE.setdefault("map_ranges", []).append(
                f"{shown.begin().toString('yyyy-MM-dd hh:mm')} / {shown.end().toString('yyyy-MM-dd hh:mm')}")
            STATE.setdefault("map_titles", []).append(shown_titles())
            iface.mainWindow().grab().save(str(OUT / name))
            QTimer.singleShot(1000, shoot)  # once the docks have their sizes: the canvas's size sets the scale

        QTimer.singleShot(3000, grab)

    shoot()


@step
def refresh_the_shared_layers():
    sources_file = os.environ.get("SR_SOURCES")
    if not sources_file:
        next_step()
        return
    d = dock()
    panel = d.sources_panel
    d.widget().setCurrentWidget(panel)
    panel.import_sources_file(Path(sources_file))
    STATE["shared_after_import"] = panel.status.text()
    panel.refresh_selected()

    def show():
        table = panel.table
        STATE["shared_rows"] = [[table.item(row, column).text() for column in range(table.columnCount())]
                                for row in range(table.rowCount())]
        STATE["shared_status"] = panel.status.text()
        table.selectRow(0)
        panel.load_selected()
        STATE["layers_after_shared"] = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
        d.grab().save(str(OUT / "shared_layers.png"))
        iface.setActiveLayer(next(layer for layer in QgsProject.instance().mapLayers().values()
                                  if layer.name().startswith(STATE["shared_rows"][0][0])))  # "… (copy)"
        iface.zoomToActiveLayer()
        QTimer.singleShot(2000, lambda: (iface.mainWindow().grab().save(str(OUT / "qgis_shared.png")), next_step()))

    wait_until(lambda: panel.task is None, show)


@step
def close_the_dock():
    # Closing the dock from its own title bar must uncheck the toolbar button.
    dock().close()
    QApplication.processEvents()
    STATE["action_checked_after_close"] = plugins["situation_room_plugin"].action.isChecked()
    next_step()


iface.mainWindow().showMaximized()
next_step(1500)
