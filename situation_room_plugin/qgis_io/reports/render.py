"""A report or a site sheet from its data to its files: the map's layers, the print layout, the PDF or the
HTML, and a CSV for every table next to it. Call on the main thread (print layouts, map layers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import shapely
from qgis.core import QgsCoordinateTransformContext, QgsFeatureSource, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QRectF

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import Work
from situation_room_plugin.qgis_io.reports import read
from situation_room_plugin.qgis_io.reports.chart import impact_chart_svg
from situation_room_plugin.qgis_io.reports.html import report_html
from situation_room_plugin.qgis_io.reports.labels import period_text, time_text
from situation_room_plugin.qgis_io.reports.layout import (
    OSM_ATTRIBUTION,
    BuiltLayout,
    MapContent,
    export_pdf,
    render_region,
    report_layout,
    sheet_layout,
)
from situation_room_plugin.qgis_io.reports.tables import (
    SHEET_COLUMNS,
    SHEET_ROWS,
    compact,
    report_tables,
    sheet_tables,
    write_csvs,
)
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.reports import NEIGHBOUR_DISTANCE_M, Report, WorkSheet

PDF, HTML = "pdf", "html"
FORMATS = (PDF, HTML)

#: The map of a report without works: Prato's centre, in EPSG:6707.
PRATO_EXTENT = (666_000.0, 4_859_000.0, 671_000.0, 4_864_000.0)


@dataclass
class WrittenReport:
    output: Path
    csvs: list[Path] = field(default_factory=list)
    pages: int = 0
    built: BuiltLayout | None = None  # the layout (its pages can be rendered as images)


def _extent(works: list[Work], margin: float, minimum: float, extra: list | None = None) -> QgsRectangle:
    geoms = [w.geometry for w in works if w.geometry is not None] + list(extra or [])
    if not geoms:
        return QgsRectangle(*PRATO_EXTENT)
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    pad = max(margin * max(x1 - x0, y1 - y0), minimum)
    return QgsRectangle(x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def is_osm(source: QgsFeatureSource | None) -> bool:
    """OpenStreetMap roads (their tags or ids), whose licence asks for the attribution on the map."""
    names = set(source.fields().names()) if source is not None else set()
    return bool(names & {"osm_id", "highway"})


def report_map(report: Report, registry: OwnerRegistry, conflicts: QgsFeatureSource | None,
               detours: QgsFeatureSource | None, roads: QgsFeatureSource | None,
               context: QgsCoordinateTransformContext) -> MapContent:
    """The works of the period by organisation, their conflicts, the detours layer and the roads around."""
    extent = _extent(report.works, 0.15, 150.0)
    works = read.works_map_layer(report.works, registry)
    layers, legend = [works], [works]
    if conflicts is not None:
        found = read.conflicts_map_layer(conflicts, {c.conflict_id for c in report.conflicts}, context)
        layers.insert(0, found)
        legend.append(found)
    if detours is not None:
        lines = read.detours_map_layer(detours, context)
        layers.insert(0, lines)
        legend.append(lines)
    for computed in read.network_layers(report.network):
        layers.insert(0, computed)
        legend.append(computed)
    if roads is not None:
        around = QgsRectangle(extent)
        around.grow(max(extent.width(), extent.height()) / 2)  # the map's proportions may show more
        layers.append(read.roads_map_layer(roads, around, context))
    return MapContent(layers, extent, legend, osm=roads is not None and is_osm(roads))


def sheet_map(sheet: WorkSheet, registry: OwnerRegistry, roads: QgsFeatureSource | None,
              context: QgsCoordinateTransformContext) -> MapContent:
    """The work and its neighbours (within NEIGHBOUR_DISTANCE_M) around it, on the roads when given."""
    # The work, and its detours (the sheet is where a site plan shows the way round).
    extent = _extent([sheet.work], 0.15, 60.0, [g for _, g in sheet.network.detour_lines])
    grown = QgsRectangle(extent)
    grown.grow(NEIGHBOUR_DISTANCE_M)
    works = read.works_map_layer([sheet.work, *sheet.neighbours], registry)
    own = read.highlight_layer(sheet.work)
    network = read.network_layers(sheet.network)
    layers = [own, *network, works]
    if roads is not None:
        layers.append(read.roads_map_layer(roads, grown, context))
    return MapContent(layers, extent, [own, works, *network], osm=roads is not None and is_osm(roads))


def report_title() -> str:
    return tr("Road works coordination report")


def report_subtitle(report: Report) -> str:
    return tr("Works on the street from {start} to {end}: {works} works, {conflicts} conflicts").format(
        start=period_text(report.start, None), end=period_text(report.end, None), works=len(report.works),
        conflicts=len(report.conflicts))


def write_report(report: Report, content: MapContent, output: Path, fmt: str = PDF,
                 project: QgsProject | None = None) -> WrittenReport:
    """The report as `output` (.pdf or .html by `fmt`) and `<output>_<table>.csv` for each table."""
    from datetime import datetime

    project = project or QgsProject.instance()
    tables = report_tables(report)
    summary, sections = tables[0], tables[1:-1]
    days = tables[-1]
    chart = impact_chart_svg(report.days)
    chart_title = tr("Impact day by day")
    built = report_layout(project, report_title(), report_subtitle(report), content, summary, sections, chart,
                          chart_title)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == HTML:
        rect = QRectF(built.map_item.pos().x(), built.map_item.pos().y(),
                      (built.legend.pos().x() + built.legend.rect().width() if built.legend else
                       built.map_item.pos().x() + built.map_item.rect().width()) - built.map_item.pos().x(),
                      built.map_item.rect().height())
        image = render_region(built, rect)
        generated = tr("Generated on {moment}").format(moment=time_text(datetime.now()))
        html = report_html(report_title(), report_subtitle(report), generated, image,
                           OSM_ATTRIBUTION if content.osm else "", [summary, *sections, days], chart_title, chart)
        output.write_text(html, encoding="utf-8")
    else:
        export_pdf(built, output)
    return WrittenReport(output, write_csvs(tables, output), built.page_count, built)


def write_sheet(sheet: WorkSheet, content: MapContent, output: Path,
                project: QgsProject | None = None) -> WrittenReport:
    """The work's sheet as a one-page PDF `output`, and a CSV for each of its tables."""
    project = project or QgsProject.instance()
    tables = sheet_tables(sheet)
    work = sheet.work
    title = tr("Site sheet: {title}").format(title=work.title or work.uid)
    subtitle = tr("{owner}, {dates}").format(owner=sheet.owner_name(work.owner),
                                             dates=period_text(work.start_date, work.end_date))
    printed = [compact(t, SHEET_COLUMNS[t.name], SHEET_ROWS[t.name], f"{output.stem}_{t.name}.csv")
               for t in tables[1:]]
    built = sheet_layout(project, title, subtitle, content, tables[0], printed)
    output.parent.mkdir(parents=True, exist_ok=True)
    export_pdf(built, output)
    return WrittenReport(output, write_csvs(tables, output), built.page_count, built)
