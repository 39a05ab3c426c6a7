"""Drawing a planned work on the map: a footprint polygon, or a line along the street with a width that
becomes the footprint. Clicks snap to the roads and to the other works; when drawing is done the works form
opens on the new work, and saving the form saves it in the store (through the works layer's edit path).

Keys: left click adds a point, right click or Enter finishes, Backspace removes the last point, Esc cancels.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shapely
from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointLocator,
    QgsPointXY,
    QgsProject,
    QgsSnappingConfig,
    QgsSnappingUtils,
    QgsTolerance,
    QgsVectorLayer,
    QgsVectorLayerTools,
    QgsVectorLayerUtils,
    QgsWkbTypes,
)
from qgis.gui import (
    QgsAttributeDialog,
    QgsAttributeEditorContext,
    QgsMapCanvas,
    QgsMapTool,
    QgsRubberBand,
)
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QIcon
from qgis.PyQt.QtWidgets import QAction

from situation_room_plugin.core.drawing import footprint_from_line, footprint_from_ring, width_from_lanes
from situation_room_plugin.qgis_io.layers import project_crs
from situation_room_plugin.qgis_io.styles import style_roads_unless_chosen
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.resources import icon_path

LOG = logging.getLogger(__name__)

#: Snapping tolerance, in screen pixels.
SNAP_PIXELS = 12.0


def is_roads_layer(layer: object) -> bool:
    """A line layer with OpenStreetMap's `highway` tag: roads to snap a work's line to."""
    return (isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.GeometryType.LineGeometry
            and layer.fields().indexOf("highway") >= 0)


class DrawMode:
    POLYGON = "polygon"
    LINE = "line"


def snapping_config(layers: list[QgsVectorLayer]) -> QgsSnappingConfig:
    """Snap to the vertices and segments of these layers only (whatever the project's own snapping says)."""
    config = QgsSnappingConfig()
    config.setEnabled(True)
    config.setMode(QgsSnappingConfig.SnappingMode.AdvancedConfiguration)
    config.setIntersectionSnapping(False)
    types = getattr(Qgis, "SnappingType", None)  # QGIS 3.26+; 3.22 has QgsSnappingConfig's own flags
    flags = (types.Vertex | types.Segment) if types is not None else QgsSnappingConfig.SnappingTypeFlag(
        QgsSnappingConfig.VertexFlag | QgsSnappingConfig.SegmentFlag)
    for layer in layers:
        settings = QgsSnappingConfig.IndividualLayerSettings(
            True, flags, SNAP_PIXELS, QgsTolerance.UnitType.Pixels, 0.0, 0.0)
        config.setIndividualLayerSettings(layer, settings)
    return config


class DrawWorkTool(QgsMapTool):
    """The map tool. `finished` gives the footprint (shapely MultiPolygon in EPSG:6707); `width_suggested` the
    width of the street the line starts on (from its lanes)."""

    finished = pyqtSignal(object)
    width_suggested = pyqtSignal(float)
    message = pyqtSignal(str)

    def __init__(self, canvas: QgsMapCanvas, mode: str, width: Callable[[], float],
                 snap_layers: Callable[[], list[QgsVectorLayer]], roads: Callable[[], QgsVectorLayer | None]) -> None:
        super().__init__(canvas)
        self.mode = mode
        self._width, self._snap_layers, self._roads = width, snap_layers, roads
        self.points: list[QgsPointXY] = []  # in the canvas's CRS
        self.snapper = QgsSnappingUtils(self, enableSnappingForInvisibleFeature=False)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.band: QgsRubberBand | None = None
        self.preview: QgsRubberBand | None = None
        self.marker: QgsRubberBand | None = None

    # -- life -------------------------------------------------------------------------------------------

    def activate(self) -> None:
        super().activate()
        try:
            self.update_snapping()
            self.canvas().extentsChanged.connect(self.update_snapping)  # the tolerance is in pixels of this view
            self._reset_bands()
        except Exception:  # an exception out of a Qt virtual would abort QGIS
            LOG.exception("drawing a work: the tool could not start")

    def update_snapping(self) -> None:
        self.snapper.setMapSettings(self.canvas().mapSettings())
        self.snapper.setConfig(snapping_config([lyr for lyr in self._snap_layers() if lyr is not None]))

    def deactivate(self) -> None:
        try:
            self.canvas().extentsChanged.disconnect(self.update_snapping)
        except TypeError:
            pass
        self._clear()
        self._remove_bands()
        super().deactivate()

    def _reset_bands(self) -> None:
        if self.band is not None:  # made once per activation, emptied after
            for band, kind in ((self.band, self._kind()), (self.preview, QgsWkbTypes.GeometryType.PolygonGeometry),
                               (self.marker, QgsWkbTypes.GeometryType.PointGeometry)):
                band.reset(kind)
            return
        canvas = self.canvas()
        self.band = QgsRubberBand(canvas, self._kind())
        self.band.setColor(QColor(215, 25, 28, 200))
        self.band.setFillColor(QColor(215, 25, 28, 40))
        self.band.setWidth(2)
        self.preview = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self.preview.setColor(QColor(215, 25, 28, 160))
        self.preview.setFillColor(QColor(215, 25, 28, 50))
        self.preview.setWidth(1)
        self.marker = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PointGeometry)
        self.marker.setColor(QColor(255, 0, 255))
        self.marker.setIconSize(10)
        self.marker.setIcon(QgsRubberBand.IconType.ICON_BOX)

    def _remove_bands(self) -> None:
        for band in (self.band, self.preview, self.marker):
            if band is not None:
                band.reset()
                self.canvas().scene().removeItem(band)
        self.band = self.preview = self.marker = None

    def _kind(self) -> Any:
        return QgsWkbTypes.GeometryType.LineGeometry if self.mode == DrawMode.LINE \
            else QgsWkbTypes.GeometryType.PolygonGeometry

    def _clear(self) -> None:
        self.points = []
        if self.band is not None:
            self._reset_bands()

    # -- events -----------------------------------------------------------------------------------------

    def snap(self, point: QgsPointXY) -> tuple[QgsPointXY, QgsPointLocator.Match | None]:
        """The point snapped to a road or a work when one is within SNAP_PIXELS, else as it is."""
        match = self.snapper.snapToMap(point)
        if match.isValid():
            return match.point(), match
        return point, None

    def canvasMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        try:
            self._moved(event)
        except Exception:  # an exception out of a Qt virtual would abort QGIS
            LOG.exception("drawing a work: the mouse move failed")

    def _moved(self, event: Any) -> None:
        point, match = self.snap(event.mapPoint())
        if self.marker is not None:
            self.marker.reset(QgsWkbTypes.GeometryType.PointGeometry)
            if match is not None:
                self.marker.addPoint(point)
        self._redraw(point)

    def canvasReleaseEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        try:
            self._released(event)
        except Exception:  # an exception out of a Qt virtual would abort QGIS
            LOG.exception("drawing a work: the click failed")
            self.message.emit(tr("The point could not be added: see the Situation Room log."))

    def _released(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self.finish()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.band is None:
            self._reset_bands()
        point, match = self.snap(event.mapPoint())
        if not self.points and self.mode == DrawMode.LINE and match is not None:
            self._suggest_width(match)
        self.points.append(point)
        self._redraw(None)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        try:
            self._key(event)
        except Exception:  # an exception out of a Qt virtual would abort QGIS
            LOG.exception("drawing a work: the key failed")

    def _key(self, event: Any) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self._clear()
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and self.points:
            self.points.pop()
            self._redraw(None)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        else:
            event.ignore()
            return
        event.accept()

    def _suggest_width(self, match: QgsPointLocator.Match) -> None:
        roads = self._roads()
        if roads is None or match.layer() is not roads:
            return
        feature = roads.getFeature(match.featureId())
        names = roads.fields().names()
        lanes = feature["lanes"] if "lanes" in names else None
        oneway = feature["oneway"] if "oneway" in names else None
        self.width_suggested.emit(width_from_lanes(lanes, oneway))

    # -- geometry ---------------------------------------------------------------------------------------

    def _to_project(self) -> QgsCoordinateTransform:
        return QgsCoordinateTransform(self.canvas().mapSettings().destinationCrs(), project_crs(),
                                      QgsProject.instance())

    def footprint(self, extra: QgsPointXY | None = None) -> shapely.MultiPolygon:
        """The footprint the points drawn so far give (raises ValueError when they give none yet)."""
        transform = self._to_project()
        points = [*self.points, *([extra] if extra is not None else [])]
        xy = [(p.x(), p.y()) for p in (transform.transform(p) for p in points)]
        if self.mode == DrawMode.LINE:
            return footprint_from_line(xy, self._width())
        return footprint_from_ring(xy)

    def _redraw(self, moving: QgsPointXY | None) -> None:
        if self.band is None or self.preview is None:
            return
        points = [*self.points, *([moving] if moving is not None and self.points else [])]
        self.band.reset(self._kind())
        for index, point in enumerate(points):
            self.band.addPoint(point, index == len(points) - 1)
        self.preview.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        if self.mode == DrawMode.LINE and len(points) >= 2:
            try:
                shape = self.footprint(moving if moving is not None and self.points else None)
            except ValueError:
                return
            geometry = QgsGeometry.fromWkt(shape.wkt)
            geometry.transform(self._to_project(), Qgis.TransformDirection.Reverse)
            self.preview.setToGeometry(geometry, None)

    def finish(self) -> None:
        try:
            shape = self.footprint()
        except ValueError:
            needed = tr("a line needs two points") if self.mode == DrawMode.LINE \
                else tr("a polygon needs three points around an area")
            self.message.emit(tr("Keep drawing: {what}.").format(what=needed))
            return
        self._clear()
        self.finished.emit(shape)


class DrawController(QObject):
    """The two drawing actions (for the toolbar and the dock), their tools and what happens after drawing:
    the works form on a new feature of the project's works layer, saved in the store on OK."""

    saved = pyqtSignal(str)  # the uid of the work saved
    #: Shown in the message bar: (text, level).
    notice = pyqtSignal(str, object)
    #: The width a line is widened to changed (the street's lanes suggested another one).
    width_changed = pyqtSignal(float)

    def __init__(self, iface: Any, works_layer: Callable[[], QgsVectorLayer | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self._works_layer = works_layer
        #: The width a line is widened to (m), and whether the street's lanes set it when a line starts on one.
        self.width_m = width_from_lanes(None)
        self.width_from_lanes = True
        #: The layer of roads to snap to (its id); the first line layer with OSM `highway` tags when unset.
        self.roads_layer_id = ""
        self.dialog: QgsAttributeDialog | None = None
        self._started_editing = False
        self._layer: QgsVectorLayer | None = None
        canvas = iface.mapCanvas()
        parent_widget = iface.mainWindow()
        self.polygon_action = QAction(QIcon(str(icon_path("draw_polygon.svg"))), tr("Draw a work (footprint)"),
                                      parent_widget)
        self.polygon_action.setObjectName("situation_room_draw_polygon")
        self.line_action = QAction(QIcon(str(icon_path("draw_line.svg"))), tr("Draw a work along a street"),
                                   parent_widget)
        self.line_action.setObjectName("situation_room_draw_line")
        self.polygon_action.setToolTip(tr("Click the corners of the work's footprint; right click to finish"))
        self.line_action.setToolTip(tr("Click along the street (snaps to roads and works); right click to finish: "
                                       "the footprint is the line widened to the width set in the Works tab"))
        self.tools: dict[str, DrawWorkTool] = {}
        for mode, action in ((DrawMode.POLYGON, self.polygon_action), (DrawMode.LINE, self.line_action)):
            action.setCheckable(True)
            tool = DrawWorkTool(canvas, mode, lambda: self.width_m, self._snap_layers, self.roads_layer)
            tool.setAction(action)
            tool.finished.connect(self.open_form)
            tool.width_suggested.connect(self._suggested)
            tool.message.connect(lambda text: self.notice.emit(text, Qgis.MessageLevel.Info))
            self.tools[mode] = tool
            action.triggered.connect(lambda checked, m=mode: self.activate(m))

    def set_width(self, width_m: float) -> None:
        if width_m != self.width_m:
            self.width_m = width_m
            self.width_changed.emit(width_m)

    def _suggested(self, width_m: float) -> None:
        if self.width_from_lanes:
            self.set_width(width_m)

    def roads_layer(self) -> QgsVectorLayer | None:
        layers = QgsProject.instance().mapLayers()
        chosen = layers.get(self.roads_layer_id)
        if isinstance(chosen, QgsVectorLayer):
            return chosen
        return next((layer for layer in layers.values() if is_roads_layer(layer)), None)

    def _snap_layers(self) -> list[QgsVectorLayer]:
        return [layer for layer in (self.roads_layer(), self._works_layer()) if layer is not None]

    def activate(self, mode: str) -> bool:
        """Put the drawing tool on the map (False, with a message, when the project has no works layer)."""
        if self._works_layer() is None:
            self.notice.emit(tr("Create or open the project's store first (Works tab): works are drawn into it."),
                             Qgis.MessageLevel.Warning)
            self.tools[mode].action().setChecked(False)
            return False
        style_roads_unless_chosen(self.roads_layer())  # the grey network under the works being drawn
        self.iface.mapCanvas().setMapTool(self.tools[mode])
        return True

    def open_form(self, footprint: shapely.MultiPolygon) -> QgsAttributeDialog | None:
        """The works form on a new work with this footprint (EPSG:6707); OK saves it in the store."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            self.notice.emit(tr("Save or cancel the open work's form first: the new drawing was not kept."),
                             Qgis.MessageLevel.Warning)
            return None
        layer = self._works_layer()
        if layer is None:
            return None
        geometry = QgsGeometry.fromWkt(footprint.wkt)
        geometry.transform(QgsCoordinateTransform(project_crs(), layer.crs(), QgsProject.instance()))
        feature = QgsVectorLayerUtils.createFeature(layer, geometry, {}, layer.createExpressionContext())
        self._started_editing = not layer.isEditable()
        if self._started_editing and not layer.startEditing():
            self.notice.emit(tr("The works layer cannot be edited: {layer}").format(layer=layer.source()),
                             Qgis.MessageLevel.Critical)
            return None
        self._layer = layer
        context = QgsAttributeEditorContext()
        tools = getattr(self.iface, "vectorLayerTools", lambda: None)()
        if isinstance(tools, QgsVectorLayerTools):
            context.setVectorLayerTools(tools)
        context.setMapCanvas(self.iface.mapCanvas())
        dialog = QgsAttributeDialog(layer, feature, False, self.iface.mainWindow(), True, context)
        dialog.setMode(QgsAttributeEditorContext.Mode.AddFeatureMode)
        dialog.setWindowTitle(tr("New work"))
        dialog.resize(max(dialog.width(), 620), max(dialog.height(), 560))
        dialog.setObjectName("situation_room_work_form")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._form_saved(dialog))
        dialog.rejected.connect(self._form_cancelled)
        self.dialog = dialog
        dialog.show()  # not modal: the map stays usable to look around while filling the form
        return dialog

    def _form_saved(self, dialog: QgsAttributeDialog) -> None:
        layer, self.dialog = self._layer, None
        if layer is None:
            return
        uid = str(dialog.feature()["uid"]) if dialog.feature() is not None else ""
        if self._started_editing:
            if not layer.commitChanges():
                errors = "; ".join(layer.commitErrors())
                self.notice.emit(tr("The work was not saved in the store: {errors}. It is still in the layer's "
                                    "edit buffer: fix it and save the layer.").format(errors=errors),
                                 Qgis.MessageLevel.Critical)
                return
        else:
            self.notice.emit(tr("The work is in the works layer's edits: save the layer to keep it in the store."),
                             Qgis.MessageLevel.Info)
        self.saved.emit(uid)

    def _form_cancelled(self) -> None:
        layer, self.dialog = self._layer, None
        if layer is not None and self._started_editing and layer.isEditable() and not layer.isModified():
            layer.rollBack()

    def unload(self) -> None:
        canvas = self.iface.mapCanvas()
        for tool in self.tools.values():
            if canvas.mapTool() is tool:
                canvas.unsetMapTool(tool)
        if self.dialog is not None:
            self.dialog.reject()

