"""The print layouts of the reports, built in code: the coordination report (A4 landscape: the map with its
legend and the summary per organisation, then the tables flowing over as many pages as they need, then the
day-by-day chart) and a work's site sheet (one A4 portrait page). Exported with QgsLayoutExporter.

Build and export where the map layers live (the main thread): layout items are not thread-safe."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsBasicNumericFormat,
    QgsLayerTree,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsLegendStyle,
    QgsMapLayerLegendUtils,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsTableCell,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QImage

from situation_room_plugin.qgis_io.reports.tables import Table
from situation_room_plugin.toolbelt.i18n import tr

#: The data attribution OpenStreetMap's licence asks for wherever its roads are drawn.
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"

MARGIN = 10.0
ROW_FONT_PT = 7.5
HEADER_FONT_PT = 8.0
HEADER_COLOUR = QColor("#e9ecef")

#: Relative widths of each table's columns (by table name); other tables share the width evenly.
COLUMN_WEIGHTS = {
    "organisations": (3, 1, 1, 1, 1, 1),
    "works": (4, 2.2, 1.8, 1.4, 2.4, 1.6),
    "conflicts": (1.3, 4, 2.6, 2.4, 0.9, 1.2, 2.2),
    "detours": (3.2, 2, 2.4, 1, 1, 1.1, 1, 1.1),
    "cutoff": (2.5, 3.5, 2.4, 1),
    "bus": (1, 3.5, 2.4, 1, 1, 1),
    "days": (1.5, 1, 1, 1, 1, 1),
    "work": (1, 2.7),
    "sheet_conflicts": (1.6, 2.5, 1.8, 0.9, 1.3),
    "sheet_detours": (1.8, 1, 1.1, 1.2, 1, 1.1),
    "sheet_cutoff": (2.5, 1.8, 1),
    "sheet_bus": (1, 1.8, 1, 1),
}


@dataclass
class MapContent:
    """What a report's map draws, top first, and where; `osm`: OpenStreetMap roads are among them."""

    layers: list[QgsVectorLayer]
    extent: QgsRectangle
    legend_layers: list[QgsVectorLayer] = field(default_factory=list)
    osm: bool = False


@dataclass
class BuiltLayout:
    """A layout and what must live as long as it does (its layers, legend tree, chart file)."""

    layout: QgsPrintLayout
    map_item: QgsLayoutItemMap
    legend: QgsLayoutItemLegend | None
    keep: list[object] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return self.layout.pageCollection().pageCount()


def _text_format(size: float, bold: bool = False) -> QgsTextFormat:
    fmt = QgsTextFormat()
    font = QFont("DejaVu Sans")
    font.setBold(bold)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    fmt.setColor(QColor("#1e1e1e"))
    return fmt


def _label(layout: QgsLayout, text: str, x: float, y: float, w: float, h: float, size: float,
           bold: bool = False, page: int = 0, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
           item_id: str = "") -> QgsLayoutItemLabel:
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(size)
    font.setBold(bold)
    label.setFont(font)
    label.setHAlign(align)
    label.setVAlign(Qt.AlignmentFlag.AlignTop)
    label.attemptMove(QgsLayoutPoint(x, y), page=page)
    label.attemptResize(QgsLayoutSize(w, h))
    if item_id:
        label.setId(item_id)
    layout.addLayoutItem(label)
    return label


def _pages(layout: QgsLayout, count: int, landscape: bool) -> None:
    collection = layout.pageCollection()
    for _ in range(count):
        page = QgsLayoutItemPage(layout)
        page.setPageSize("A4", QgsLayoutItemPage.Orientation.Landscape if landscape
                         else QgsLayoutItemPage.Orientation.Portrait)
        collection.addPage(page)


def _map(layout: QgsLayout, content: MapContent, x: float, y: float, w: float, h: float) -> QgsLayoutItemMap:
    item = QgsLayoutItemMap(layout)
    item.attemptMove(QgsLayoutPoint(x, y))
    item.attemptResize(QgsLayoutSize(w, h))
    item.setLayers(content.layers)
    item.setKeepLayerSet(True)
    if content.layers:
        item.setCrs(content.layers[0].crs())
    item.setFrameEnabled(True)
    item.setId("map")
    layout.addLayoutItem(item)
    # zoomToExtent alone, on a new item, gives an empty extent; setExtent resizes the item to the extent's
    # proportions: set it, give the item its size back, then fit the extent in it.
    item.setExtent(content.extent)
    item.attemptResize(QgsLayoutSize(w, h))
    item.zoomToExtent(content.extent)
    return item


def _scale_bar(layout: QgsLayout, map_item: QgsLayoutItemMap, x: float, y: float) -> QgsLayoutItemScaleBar:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceMeters)
    bar.setUnitLabel("m")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.applyDefaultSize(QgsUnitTypes.DistanceUnit.DistanceMeters)
    bar.setTextFormat(_text_format(7))
    numbers = QgsBasicNumericFormat()
    numbers.setShowThousandsSeparator(False)  # 1000 m, not an English 1,000 on an Italian map
    bar.setNumericFormat(numbers)
    bar.setBackgroundEnabled(True)
    bar.attemptMove(QgsLayoutPoint(x, y))
    layout.addLayoutItem(bar)
    return bar


def _legend(layout: QgsLayout, map_item: QgsLayoutItemMap, layers: Sequence[QgsVectorLayer], x: float, y: float,
            w: float, h: float) -> tuple[QgsLayoutItemLegend, QgsLayerTree]:
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(tr("Legend"))
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    root = QgsLayerTree()
    for layer in layers:
        root.addLayer(layer)
    legend.model().setRootGroup(root)
    legend.setLegendFilterByMapEnabled(True)  # only the organisations and kinds on the map
    _hide_city_markers(legend, root)
    legend.setResizeToContents(False)
    legend.attemptMove(QgsLayoutPoint(x, y))
    legend.attemptResize(QgsLayoutSize(w, h))
    legend.setSymbolWidth(6)
    legend.setSymbolHeight(3.5)
    for style, size in ((QgsLegendStyle.Style.Title, 10), (QgsLegendStyle.Style.Group, 8),
                        (QgsLegendStyle.Style.Subgroup, 8), (QgsLegendStyle.Style.SymbolLabel, 7)):
        legend.rstyle(style).setFont(QFont("DejaVu Sans", size))
    legend.setId("legend")
    layout.addLayoutItem(legend)
    legend.adjustBoxSize()
    if legend.rect().height() > h:  # a long legend in two columns rather than over the page
        legend.setColumnCount(2)
        legend.adjustBoxSize()
    return legend, root


def _hide_city_markers(legend: QgsLayoutItemLegend, root: QgsLayerTree) -> None:
    """The styles' "marker at city scale" sub-rules are how a footprint reads at city scale, not another
    thing on the map: the printed legend shows each organisation and kind once."""
    model = legend.model()
    hidden = tr("marker at city scale")
    for node in root.findLayers():
        nodes = model.layerOriginalLegendNodes(node)
        keep = [i for i, n in enumerate(nodes) if n.data(Qt.ItemDataRole.DisplayRole) != hidden]
        if len(keep) < len(nodes):
            QgsMapLayerLegendUtils.setLegendNodeOrder(node, keep)
            model.refreshLayerLegend(node)


def _table(layout: QgsLayout, table: Table, x: float, y: float, w: float, h: float, page: int,
           repeat: bool, header_pt: float = HEADER_FONT_PT) -> QgsLayoutItemManualTable:
    """A manual table in a frame; with `repeat`, flowing over new pages until every row is shown."""
    item = QgsLayoutItemManualTable.create(layout)
    columns = []
    for heading in table.headers:
        column = QgsLayoutTableColumn(heading)
        columns.append(column)
    item.setHeaders(columns)
    item.setIncludeTableHeader(True)
    weights = COLUMN_WEIGHTS.get(table.name, ())
    if len(weights) != len(table.headers):
        weights = (1,) * len(table.headers)
    rows = []
    for r, row in enumerate(table.shown_rows(weights.index(max(weights)))):
        cells = []
        for i, text in enumerate(row):
            cell = QgsTableCell(text)
            if i in table.numeric and table.rows:
                cell.setHorizontalAlignment(Qt.AlignmentFlag.AlignRight)
            if r % 2:
                cell.setBackgroundColor(QColor("#f8f9fa"))
            cells.append(cell)
        rows.append(cells)
    item.setTableContents(rows)
    usable = w - 2 * item.cellMargin() * len(weights) - 0.5 * (len(weights) + 1)
    item.setColumnWidths([usable * wt / sum(weights) for wt in weights])
    item.setWrapBehavior(item.WrapBehavior.WrapText)
    item.setHeaderTextFormat(_text_format(header_pt, bold=True))
    item.setContentTextFormat(_text_format(ROW_FONT_PT))
    item.setHeaderHAlignment(item.HeaderHAlignment.HeaderLeft)
    item.setGridStrokeWidth(0.2)
    item.setGridColor(QColor("#adb5bd"))
    item.setBackgroundColor(QColor("white"))
    item.setResizeMode(QgsLayoutMultiFrame.ResizeMode.RepeatUntilFinished if repeat
                       else QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    layout.addMultiFrame(item)
    frame = QgsLayoutFrame(layout, item)
    frame.attemptMove(QgsLayoutPoint(x, y), page=page)
    frame.attemptResize(QgsLayoutSize(w, h))
    item.addFrame(frame)
    item.recalculateFrameSizes()
    # QGIS copies the first frame's position onto each new page: the title above it is on the first only.
    return item


def _header(layout: QgsLayout, title: str, subtitle: str, width: float) -> None:
    _label(layout, title, MARGIN, 7, width - 2 * MARGIN, 9, 16, bold=True, item_id="title")
    generated = tr("Generated on {moment}").format(moment=_now_text())
    _label(layout, subtitle, MARGIN, 16, width * 0.6, 7, 10, item_id="subtitle")
    _label(layout, generated, width * 0.55, 16, width * 0.45 - MARGIN, 7, 8,
           align=Qt.AlignmentFlag.AlignRight, item_id="generated")


def _now_text() -> str:
    from situation_room_plugin.qgis_io.reports.labels import time_text

    return time_text(datetime.now())


def _map_block(layout: QgsLayout, content: MapContent, x: float, y: float, w: float, h: float) -> QgsLayoutItemMap:
    map_item = _map(layout, content, x, y, w, h)
    _scale_bar(layout, map_item, x + 3, y + h - 12)
    if content.osm:
        _label(layout, OSM_ATTRIBUTION, x + w - 80, y + h - 5, 78, 4, 6.5, align=Qt.AlignmentFlag.AlignRight,
               item_id="attribution")
    return map_item


def report_layout(project: QgsProject, title: str, subtitle: str, content: MapContent, summary: Table,
                  sections: Sequence[Table], chart_svg: str, chart_title: str) -> BuiltLayout:
    """Page 1: the map, its legend and the summary per organisation; then each table of `sections` from a
    new page, over as many as it needs; last, the day-by-day chart."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()  # one A4 page
    layout.setName(title)
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Orientation.Landscape)
    width, height = 297.0, 210.0
    _header(layout, title, subtitle, width)
    map_item = _map_block(layout, content, MARGIN, 26, 200, 118)
    legend, root = _legend(layout, map_item, content.legend_layers, 214, 26, width - 214 - MARGIN, 118)
    _label(layout, summary.title, MARGIN, 148, 150, 6, 10, bold=True)
    keep: list[object] = [root, *content.layers]
    keep.append(_table(layout, summary, MARGIN, 155, width - 2 * MARGIN, height - 155 - MARGIN, 0, repeat=True))
    for table in sections:
        page = layout.pageCollection().pageCount()
        _pages(layout, 1, landscape=True)
        _label(layout, table.title, MARGIN, 8, width - 2 * MARGIN, 8, 13, bold=True, page=page)
        item = _table(layout, table, MARGIN, 18, width - 2 * MARGIN, height - 18 - MARGIN, page, repeat=True)
        for k in range(1, item.frameCount()):  # the pages the table flowed onto
            _label(layout, tr("{title} (continued)").format(title=table.title), MARGIN, 8, width - 2 * MARGIN,
                   8, 13, bold=True, page=item.frame(k).page())
        keep.append(item)
    page = layout.pageCollection().pageCount()
    _pages(layout, 1, landscape=True)
    _label(layout, chart_title, MARGIN, 8, width - 2 * MARGIN, 8, 13, bold=True, page=page)
    folder = tempfile.TemporaryDirectory(prefix="situation_room_chart_")
    svg = Path(folder.name) / "impact.svg"
    svg.write_text(chart_svg, encoding="utf-8")
    picture = QgsLayoutItemPicture(layout)
    picture.setPicturePath(str(svg), QgsLayoutItemPicture.Format.FormatSVG)
    picture.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    picture.attemptMove(QgsLayoutPoint(MARGIN, 20), page=page)
    picture.attemptResize(QgsLayoutSize(width - 2 * MARGIN, height - 20 - MARGIN))
    picture.setId("chart")
    layout.addLayoutItem(picture)
    keep.append(folder)
    _page_numbers(layout, title, width, height)
    return BuiltLayout(layout, map_item, legend, keep)


def _page_numbers(layout: QgsLayout, title: str, width: float, height: float) -> None:
    """The title and "Page n of N" at the foot of every page (once the tables have added theirs)."""
    count = layout.pageCollection().pageCount()
    for page in range(count):
        _label(layout, title, MARGIN, height - 7, width / 2, 5, 7, page=page)
        _label(layout, tr("Page {page} of {pages}").format(page=page + 1, pages=count), width / 2, height - 7,
               width / 2 - MARGIN, 5, 7, page=page, align=Qt.AlignmentFlag.AlignRight)


def sheet_layout(project: QgsProject, title: str, subtitle: str, content: MapContent, fields: Table,
                 sections: Sequence[Table]) -> BuiltLayout:
    """One A4 portrait page: the map on the work, its fields on the left, its conflicts, detours, streets cut
    off and bus routes on the right (each in a frame of its own; rows past a frame are left out)."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(title)
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Orientation.Portrait)
    width = 210.0
    _header(layout, title, subtitle, width)
    map_item = _map_block(layout, content, MARGIN, 25, 145, 100)
    legend, root = _legend(layout, map_item, content.legend_layers, 158, 25, width - 158 - MARGIN, 100)
    keep: list[object] = [root, *content.layers]
    _label(layout, fields.title, MARGIN, 129, 80, 6, 10, bold=True)
    keep.append(_table(layout, fields, MARGIN, 135, 86, 152, 0, repeat=False))
    heights = (52, 30, 26, 26)
    y = 129.0
    for table, h in zip(sections, heights):
        _label(layout, table.title, 100, y, 100, 6, 10, bold=True)
        if table.rows:
            keep.append(_table(layout, table, 100, y + 6, width - 100 - MARGIN, h, 0, repeat=False,
                               header_pt=6.5))
        else:  # a narrow table's first column is no place for a sentence
            _label(layout, table.empty, 100, y + 7, width - 100 - MARGIN, h, ROW_FONT_PT)
        y += h + 9
    return BuiltLayout(layout, map_item, legend, keep)


def export_pdf(built: BuiltLayout, path: Path) -> None:
    """The layout as a PDF (text kept as text). Raises RuntimeError naming the file when QGIS cannot write it."""
    exporter = QgsLayoutExporter(built.layout)
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = 200
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = True
    settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText  # searchable, copyable
    result = exporter.exportToPdf(str(path), settings)
    if result != QgsLayoutExporter.ExportResult.Success:
        raise RuntimeError(tr("The PDF {path} could not be written: {error}").format(
            path=path, error=exporter.errorMessage() or result))


def render_region(built: BuiltLayout, rect: QRectF, dpi: float = 150) -> QImage:
    """A region of the layout (layout millimetres) as an image, as the PDF draws it."""
    return QgsLayoutExporter(built.layout).renderRegionToImage(rect, dpi=dpi)


def render_page(built: BuiltLayout, page: int, dpi: float = 110) -> QImage:
    return QgsLayoutExporter(built.layout).renderPageToImage(page, dpi=dpi)
