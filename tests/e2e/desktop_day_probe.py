"""Run inside the real QGIS desktop (qgis --code): a technician's day, as a person would do it, from an empty
project. Screenshots and what the screen shows go to $SR_PROBE_OUT, then QGIS quits. Kept free of test imports.

Steps: open the dock; choose the organisation ($SR_ORGANISATION); open the store $SR_STORE (the Comune's,
with the partners' works); add the Prato roads ($SR_ROADS) and zoom to the street at ($SR_STREET_XY);
"Draw a work along a street" with mouse clicks on the canvas along $SR_LINE (map coordinates); fill the works
form and press OK; detect the conflicts; look at the map, the Conflicts tab, the Alerts tab; move the Temporal
Controller from today to $SR_LATER_DAY with its own "next" button.
"""

import os
import sys
from datetime import date
from pathlib import Path

from qgis.core import QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QDate, QPoint, Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QDialogButtonBox, QDockWidget, QLabel, QToolButton
from qgis.utils import iface, plugins

sys.path.insert(0, os.environ["SR_PROBE_DIR"])  # probe_kit.py, beside this file
from probe_kit import OUT, STATE, STEPS, dock, finish, next_step, shot, step, wait_until  # noqa: F401


def message_bar_texts():
    return [" ".join(label.text() for label in item.findChildren(QLabel)) or item.text()
            for item in iface.messageBar().items()]


def pixel(x, y):
    point = iface.mapCanvas().getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(round(point.x()), round(point.y()))


@step
def open_the_dock_and_the_store():
    plugins["situation_room_plugin"].action.trigger()
    panel = dock().works_panel
    combo = panel.organisation_combo
    combo.setCurrentIndex(combo.findData(os.environ["SR_ORGANISATION"]))
    panel._use_store(Path(os.environ["SR_STORE"]), create=False)  # what "Open store…" does once a file is chosen
    STATE["organisation"] = combo.currentText()
    roads = iface.addVectorLayer(f"{os.environ['SR_ROADS']}|layername=roads", "Strade di Prato", "ogr")
    panel.roads_combo.setLayer(roads)
    next_step(1500)


@step
def draw_a_work_along_the_street():
    panel = dock().works_panel
    button = panel.findChild(QToolButton, "situation_room_draw_line_button")
    STATE["draw_button"] = button.text()
    button.click()  # the works layer comes onto the map with the tool
    STATE["layers_when_drawing"] = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
    canvas = iface.mapCanvas()
    x, y = (float(v) for v in os.environ["SR_STREET_XY"].split(","))
    canvas.setCenter(QgsPointXY(x, y))
    canvas.zoomScale(2000)
    canvas.refreshAllLayers()

    def click_along():
        points = [tuple(float(v) for v in p.split(",")) for p in os.environ["SR_LINE"].split(";")]
        viewport = canvas.viewport()
        for px, py in points:
            where = pixel(px, py)
            QTest.mouseMove(viewport, where)
            QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
            QApplication.processEvents()
        tool = canvas.mapTool()
        STATE["tool"] = type(tool).__name__
        STATE["drawn_points"] = [[round(p.x(), 1), round(p.y(), 1)] for p in getattr(tool, "points", [])]
        STATE["width_m"] = panel.width_spin.value()
        QTest.mouseMove(viewport, pixel(*points[-1]))
        QApplication.processEvents()
        shot("day_drawing.png")
        QTest.mouseClick(viewport, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, pixel(*points[-1]))
        next_step(1200)

    QTimer.singleShot(2500, click_along)


@step
def fill_the_form_and_save():
    drawing = plugins["situation_room_plugin"].drawing
    dialog = drawing.dialog
    STATE["form_open"] = dialog is not None and dialog.isVisible()
    STATE["form_title"] = dialog.windowTitle()
    form = dialog.attributeForm()
    STATE["form_labels"] = sorted({label.text() for label in dialog.findChildren(QLabel) if label.text()})
    today = date.today()
    start, end = QDate(today.year, today.month, today.day).addDays(2), QDate(today.year, today.month,
                                                                           today.day).addDays(9)
    for name, value in (("title", os.environ["SR_TITLE"]), ("work_type", "excavation"),
                        ("traffic_impact", "all-lanes-closed"), ("start_date", start), ("end_date", end)):
        form.changeAttribute(name, value)
    QApplication.processEvents()
    shot("day_form.png", dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    STATE["ok_enabled"] = ok.isEnabled()
    saved = []
    drawing.saved.connect(saved.append)
    ok.click()

    def after():
        STATE["saved_uid"] = saved[0] if saved else None
        STATE["message_bar_after_save"] = message_bar_texts()
        panel = dock().works_panel
        STATE["counts_after_save"] = {status: label.text() for status, label in panel.count_labels.items()}
        works = drawing._works_layer()
        STATE["works_layer_editable"] = works.isEditable()
        mine = [f for f in works.getFeatures() if f["title"] == os.environ["SR_TITLE"]]
        STATE["saved_work"] = {k: str(mine[0][k]) for k in ("owner", "status", "revision", "updated_by")} \
            if mine else None
        STATE["works_legend"] = [item.label() for item in works.renderer().legendSymbolItems()]
        next_step()

    QTimer.singleShot(800, after)


@step
def detect_the_conflicts():
    d = dock()
    panel = d.conflicts_panel
    d.widget().setCurrentWidget(panel)
    panel.detect_button.click()

    def show():
        STATE["conflicts_summary"] = panel.summary.text()
        table = panel.table
        STATE["conflict_rows"] = [[(table.item(r, c).text() if table.item(r, c) else "")
                                   for c in range(table.columnCount())] for r in range(table.rowCount())]
        conflicts = [layer for layer in QgsProject.instance().mapLayers().values()
                     if layer.customProperty("situation_room/conflicts_layer", False)]
        STATE["conflicts_layer"] = [(layer.name(), layer.featureCount()) for layer in conflicts]
        iface.mapCanvas().refreshAllLayers()
        QTimer.singleShot(2500, lambda: (shot("day_clash_map.png"), shot("day_conflicts_tab.png", d), next_step()))

    wait_until(lambda: panel.task is None and panel.outcome is not None, show)


@step
def read_the_alerts():
    d = dock()
    monitor = plugins["situation_room_plugin"].alerts

    def show():
        d.show_alerts()
        panel = d.alerts_panel
        table = panel.table
        STATE["alerts_summary"] = panel.summary.text()
        STATE["alert_rows"] = [[table.item(r, c).text() for c in range(table.columnCount())]
                               for r in range(table.rowCount())]
        STATE["message_bar_alerts"] = message_bar_texts()
        QApplication.processEvents()
        shot("day_alerts.png")
        next_step()

    QTimer.singleShot(500, lambda: wait_until(lambda: monitor.task is None, show))


@step
def step_through_the_days():
    from qgis.core import QgsTemporalNavigationObject

    from situation_room_plugin.gui.temporal import show_day

    canvas = iface.mapCanvas()
    controller = canvas.temporalController()
    window = iface.mainWindow()
    for widget in window.findChildren(QDockWidget):
        if "temporal" in widget.objectName().lower():  # under the map only, the side docks keep the corners
            window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
            window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, widget)
            widget.show()
            window.resizeDocks([widget], [100], Qt.Orientation.Vertical)
            STATE["temporal_panel"] = widget.windowTitle()
    shown = show_day(iface, date.today())
    STATE["temporal_mode_animated"] = controller.navigationMode() == \
        QgsTemporalNavigationObject.NavigationMode.Animated
    STATE["days"] = [shown.begin().toString("yyyy-MM-dd")]
    canvas.zoomScale(5000)
    later = date.fromisoformat(os.environ["SR_LATER_DAY"])
    works = plugins["situation_room_plugin"].drawing._works_layer()

    def visible_titles():
        from qgis.core import QgsFeatureRequest, QgsVectorLayerTemporalContext

        context = QgsVectorLayerTemporalContext()
        context.setLayer(works)
        expression = works.temporalProperties().createFilterString(context, canvas.temporalRange())
        return sorted(f["title"] for f in works.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))

    STATE["titles_by_day"] = [visible_titles()]

    def forward():
        before = canvas.temporalRange().begin()
        controller.next()  # the Temporal Controller's own "next frame"
        after = canvas.temporalRange().begin()
        if after <= before:
            STATE["errors"].append(f"the Temporal Controller did not move on from {before.toString('yyyy-MM-dd')}")
            finish()
            return
        STATE["days"].append(after.toString("yyyy-MM-dd"))
        if len(STATE["days"]) < 3:
            QTimer.singleShot(150, forward)
            return
        STATE["titles_by_day"].append(visible_titles())
        canvas.refreshAllLayers()
        QTimer.singleShot(2500, lambda: (shot("day_plus2.png"), QTimer.singleShot(200, jump)))

    def jump():
        """The dock's date moves the controller past the works' end (gui.temporal.show_day)."""
        STATE["days"].append(show_day(iface, later).begin().toString("yyyy-MM-dd"))
        STATE["titles_by_day"].append(visible_titles())
        canvas.refreshAllLayers()
        QTimer.singleShot(2500, lambda: (shot("day_later.png"), next_step()))

    canvas.refreshAllLayers()
    QTimer.singleShot(2500, lambda: (shot("day_today.png"), forward()))


def watchdog():
    """A step that never ends (a modal dialog waiting for a click): say what is on the screen, and stop."""
    modal = QApplication.activeModalWidget()
    STATE["errors"].append(f"stuck after {len(STATE)} facts; modal: {type(modal).__name__ if modal else None} "
                           f"{modal.windowTitle() if modal else ''}; steps left: {[f.__name__ for f in STEPS]}")
    shot("day_stuck.png", modal)
    if modal is not None:
        shot("day_stuck_screen.png")
        modal.close()
    STEPS.clear()
    finish()


QTimer.singleShot(int(os.environ.get("SR_WATCHDOG_S", "170")) * 1000, watchdog)
iface.mainWindow().showMaximized()
next_step(1500)
