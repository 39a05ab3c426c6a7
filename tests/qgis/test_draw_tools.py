"""The drawing tools on a real map canvas: clicks (snapped to the roads) → a footprint → the works form → a work
in the store, stamped by the edit path."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QDate, QEvent, QPoint, Qt

from situation_room_plugin.gui.draw_tools import DrawController, DrawMode
from situation_room_plugin.gui.works_layers import WorksLayers
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.store import Store
from tests.unit.factories import PRATO_X, PRATO_Y


@pytest.fixture
def roads():
    layer = QgsVectorLayer("LineString?crs=EPSG:6707&field=name:string&field=highway:string&field=lanes:string"
                           "&field=oneway:string", "roads", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["Via Roma", "residential", "3", None])
    feature.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(PRATO_X, PRATO_Y), QgsPointXY(PRATO_X + 200, PRATO_Y)]))
    layer.dataProvider().addFeatures([feature])
    QgsProject.instance().addMapLayer(layer)
    yield layer
    QgsProject.instance().removeMapLayer(layer.id())


@pytest.fixture
def drawing(qgis_iface, tmp_path, roads):
    store = tmp_path / "store.gpkg"
    Store.open(store).close()
    project_io.set_store_path(store)
    works_layers = WorksLayers(qgis_iface)
    controller = DrawController(qgis_iface, works_layers.store_layer)
    canvas = qgis_iface.mapCanvas()
    window = canvas.window()  # shown and laid out: the map's output size is the canvas's
    window.resize(640, 440)
    window.show()
    QgsApplication.processEvents()
    canvas.setDestinationCrs(roads.crs())
    canvas.setLayers([roads])
    canvas.setExtent(QgsRectangle(PRATO_X - 50, PRATO_Y - 100, PRATO_X + 250, PRATO_Y + 100))
    canvas.refresh()
    yield controller, store, canvas
    controller.unload()
    works_layers.unload()
    for layer in QgsProject.instance().mapLayers().values():
        if layer is not roads:
            QgsProject.instance().removeMapLayer(layer.id())
    project_io.set_store_path("")


def click(tool, canvas, x, y, button=Qt.MouseButton.LeftButton):
    pixel = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    point = QPoint(round(pixel.x()), round(pixel.y()))
    tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton))
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, point, button))


def test_a_line_along_a_street_snaps_to_it_and_takes_its_lanes_width(drawing):
    controller, _, canvas = drawing
    assert controller.activate(DrawMode.LINE)
    tool = controller.tools[DrawMode.LINE]
    shapes = []
    tool.finished.disconnect()
    tool.finished.connect(shapes.append)
    click(tool, canvas, PRATO_X + 60, PRATO_Y + 3)  # 3 m off the road's axis: snapped onto it
    click(tool, canvas, PRATO_X + 140, PRATO_Y - 2)
    assert [round(p.y() - PRATO_Y, 3) for p in tool.points] == [0.0, 0.0]
    assert controller.width_m == pytest.approx(10.5)  # 3 lanes × 3.5 m
    click(tool, canvas, PRATO_X + 120, PRATO_Y, Qt.MouseButton.RightButton)
    assert len(shapes) == 1
    footprint = shapes[0]
    assert footprint.area == pytest.approx(80 * 10.5, rel=0.03)
    assert footprint.bounds[1] == pytest.approx(PRATO_Y - 5.25, abs=0.3)


def test_a_width_set_by_hand_is_kept_when_lanes_are_not_followed(drawing):
    controller, _, canvas = drawing
    controller.width_from_lanes = False
    controller.set_width(4.0)
    controller.activate(DrawMode.LINE)
    tool = controller.tools[DrawMode.LINE]
    click(tool, canvas, PRATO_X + 60, PRATO_Y)
    click(tool, canvas, PRATO_X + 140, PRATO_Y)
    assert tool.footprint().area == pytest.approx(320.0, rel=0.03) and controller.width_m == 4.0


def test_finishing_too_early_says_what_is_missing(drawing):
    controller, _, canvas = drawing
    controller.activate(DrawMode.POLYGON)
    tool = controller.tools[DrawMode.POLYGON]
    said = []
    tool.message.connect(said.append)
    click(tool, canvas, PRATO_X + 20, PRATO_Y + 40)
    click(tool, canvas, PRATO_X + 40, PRATO_Y + 40)
    tool.finish()
    assert said and "three points" in said[0] and len(tool.points) == 2  # nothing drawn is lost


def test_a_drawn_polygon_opens_the_form_and_ok_saves_it_in_the_store(drawing):
    controller, store, canvas = drawing
    controller.activate(DrawMode.POLYGON)
    tool = controller.tools[DrawMode.POLYGON]
    for x, y in ((30, 30), (60, 30), (60, 50), (30, 50)):
        click(tool, canvas, PRATO_X + x, PRATO_Y + y)
    saved = []
    controller.saved.connect(saved.append)
    click(tool, canvas, PRATO_X + 30, PRATO_Y + 50, Qt.MouseButton.RightButton)
    dialog = controller.dialog
    assert dialog is not None and dialog.isVisible()
    form = dialog.attributeForm()
    for name, value in (("title", "Allaccio fognatura, Via Roma"), ("owner", "publiacqua"),
                        ("start_date", QDate(2026, 12, 7)), ("end_date", QDate(2026, 12, 11))):
        form.changeAttribute(name, value)
    dialog.accept()
    with Store.open(store, create=False) as opened:
        works = opened.read_works()
    assert [w.title for w in works.works] == ["Allaccio fognatura, Via Roma"], works.problems
    work = works.works[0]
    assert saved == [work.uid] and work.revision == 1 and work.status == "draft"
    assert work.geometry.area == pytest.approx(600.0, rel=0.05)
    assert not controller._works_layer().isEditable()  # the edit session the tool opened is closed


def test_without_a_store_drawing_says_to_make_one(qgis_iface):
    project_io.set_store_path("")
    works_layers = WorksLayers(qgis_iface)
    controller = DrawController(qgis_iface, works_layers.store_layer)
    said = []
    controller.notice.connect(lambda text, level: said.append(text))
    try:
        assert not controller.activate(DrawMode.POLYGON)
        assert "store" in said[0] and not controller.polygon_action.isChecked()
    finally:
        controller.unload()
        works_layers.unload()
