"""How every layer the plugin puts on the map is drawn: works by owner organisation, conflicts by kind and
severity, detours as arrows over a grey road network, OSM places as quiet symbols. One module that every
panel calls, so that the map reads the same whoever added the layer.

Two scales are designed for: the city (~1:25,000), where an 8 m footprint is a fraction of a millimetre and
each work is also drawn as a marker at its point on surface, and the street (~1:2,000), where footprints,
hatches for closed roads, status outlines and titles show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from qgis.core import (
    QgsCentroidFillSymbolLayer,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLabelObstacleSettings,
    QgsLinePatternFillSymbolLayer,
    QgsLineSymbol,
    QgsMapLayer,
    QgsMarkerLineSymbolLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsProperty,
    QgsRuleBasedRenderer,
    QgsSimpleFillSymbolLayer,
    QgsSimpleLineSymbolLayer,
    QgsSimpleMarkerSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from situation_room_plugin.core.conflicts import ConflictKind
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import Status, TrafficImpact
from situation_room_plugin.qgis_io.temporal import set_dates_temporal, set_works_temporal
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.labels import conflict_kind_labels, work_status_labels

#: Below this scale (1:CITY_SCALE and smaller, i.e. zoomed out) each work and conflict is also a marker.
CITY_SCALE = 10_000
#: Works' titles are shown from this scale in (1:5,000 and larger).
LABEL_SCALE = 5_000

#: One colour per organisation of Prato's registry (hues apart; none grey, which is the roads').
OWNER_COLOURS: dict[str, str] = {
    "comune": "#1f5fbf",  # city: blue
    "publiacqua": "#17a5c8",  # water: cyan
    "toscana_energia": "#f08c00",  # gas: orange
    "estracom": "#7a3fb0",  # fibre: violet
    "alia": "#2f9e44",  # waste: green
    "cap": "#a0522d",  # buses: brown
    "consiag": "#d6338a",  # parking: magenta
}
#: Organisations the palette does not know (a project may register more).
FALLBACK_COLOUR = "#8c8c3c"
#: Extra colours, in order, for organisations beyond Prato's seven.
EXTRA_COLOURS = ("#e03131", "#5c940d", "#364fc7", "#c2255c", "#087f5b", "#e8590c")

CONFLICT_COLOURS: dict[str, str] = {
    ConflictKind.CLASH.value: "#d7191c",
    ConflictKind.MORATORIUM.value: "#7b3294",
    ConflictKind.SENSITIVE.value: "#f07f09",
    ConflictKind.PARKING.value: "#2c7bb6",
    ConflictKind.OPPORTUNITY.value: "#1a9641",
}

#: Roads by OSM highway class: (classes, colour, width in mm), main roads last so that they draw on top.
ROAD_CLASSES: tuple[tuple[tuple[str, ...], str, float], ...] = (
    (("service", "track", "pedestrian", "living_street", "footway", "cycleway", "path"), "#e3e3e3", 0.15),
    (("residential", "unclassified", "road"), "#cfcfcf", 0.25),
    (("tertiary", "tertiary_link", "secondary", "secondary_link"), "#b8b8b8", 0.45),
    (("primary", "primary_link", "trunk", "trunk_link", "motorway", "motorway_link"), "#a3a3a3", 0.75),
)

#: How each detour output is drawn (kept for the look of the legend; the symbols are built in line_symbol).
LINE_STYLES: dict[str, dict[str, str]] = {
    # near-black: red is the clashes', and every other hue an owner's; a route with arrows reads as one anyway
    "OUTPUT_DETOURS": {"line_color": "#161616", "line_width": "0.8", "capstyle": "round"},
    "no_detour": {"line_color": "#67000d", "line_width": "0.8", "line_style": "dash dot"},
    "OUTPUT_CUTOFF": {"line_color": "110,110,110,220", "line_width": "0.6", "line_style": "dash"},
    "OUTPUT_BUS": {"line_color": "#7b3294", "line_width": "1.0", "line_style": "dot"},
}


# -- colours ----------------------------------------------------------------------------------------------

def owner_colours(registry: OwnerRegistry) -> dict[str, str]:
    """A colour for each organisation of the registry: Prato's own, then EXTRA_COLOURS, then the fallback."""
    extra = iter(EXTRA_COLOURS)
    return {owner.code: OWNER_COLOURS.get(owner.code) or next(extra, FALLBACK_COLOUR) for owner in registry}


SymbolT = TypeVar("SymbolT", QgsFillSymbol, QgsLineSymbol, QgsMarkerSymbol)


def _symbol(kind: type[SymbolT], symbol_layers: list[QgsSymbolLayer]) -> SymbolT:
    """A symbol of these layers, handed over one by one (appendSymbolLayer takes ownership: PyQGIS 3.22
    crashes when a symbol built from a Python list of layers outlives the function that built it)."""
    symbol = kind()
    symbol.deleteSymbolLayer(0)
    for symbol_layer in symbol_layers:
        symbol.appendSymbolLayer(symbol_layer)
    return symbol


def _rgba(colour: str, alpha: int) -> str:
    c = QColor(colour)
    return f"{c.red()},{c.green()},{c.blue()},{alpha}"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# -- works ------------------------------------------------------------------------------------------------

_CLOSED = f"\"traffic_impact\" = {_quote(TrafficImpact.ALL_LANES_CLOSED.value)}"
_FADED = f"\"status\" IN ({_quote(Status.COMPLETED.value)}, {_quote(Status.CANCELLED.value)})"


def _footprint_symbol(colour: str, copy: bool) -> QgsFillSymbol:
    """A work's footprint in its owner's colour, outlined by status: draft dashed, planned dotted, authorised
    solid, in progress bold, completed and cancelled faded. A partner's copy has a lighter fill."""
    fill_alpha, faded_alpha = (90, 35) if copy else (170, 50)
    outline = QColor(colour).darker(150).name()
    layer = QgsSimpleFillSymbolLayer.create({
        "color": _rgba(colour, fill_alpha), "outline_color": outline, "outline_width": "0.4",
        "outline_width_unit": "MM", "style": "solid", "outline_style": "solid", "joinstyle": "miter",
    })
    layer.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyFillColor, QgsProperty.fromExpression(
        f"CASE WHEN {_FADED} THEN color_rgba({_rgba(colour, faded_alpha)}) "
        f"ELSE color_rgba({_rgba(colour, fill_alpha)}) END"))
    layer.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeColor, QgsProperty.fromExpression(
        f"CASE WHEN {_FADED} THEN color_rgba({_rgba(outline, 110)}) ELSE color_rgba({_rgba(outline, 255)}) END"))
    layer.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeStyle, QgsProperty.fromExpression(
        f"CASE \"status\" WHEN {_quote(Status.DRAFT.value)} THEN 'dash' WHEN {_quote(Status.PLANNED.value)} "
        f"THEN 'dot' WHEN {_quote(Status.CANCELLED.value)} THEN 'dot' ELSE 'solid' END"))
    layer.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(
        f"CASE WHEN \"status\" = {_quote(Status.IN_PROGRESS.value)} THEN 1.0 ELSE 0.4 END"))
    return _symbol(QgsFillSymbol, [layer])


def _status_legend_symbol(status: str) -> QgsFillSymbol:
    """An outline-only square for the legend's 'outline: status' entries."""
    styles = {Status.DRAFT.value: ("dash", 0.4, 255), Status.PLANNED.value: ("dot", 0.4, 255),
              Status.AUTHORIZED.value: ("solid", 0.4, 255), Status.IN_PROGRESS.value: ("solid", 1.0, 255),
              Status.COMPLETED.value: ("solid", 0.4, 110), Status.CANCELLED.value: ("dot", 0.4, 110)}
    style, width, alpha = styles[status]
    return _symbol(QgsFillSymbol, [QgsSimpleFillSymbolLayer.create({
        "color": "255,255,255,0", "outline_color": _rgba("#303030", alpha), "outline_style": style,
        "outline_width": str(width), "style": "no",
    })])


def _hatch_symbol() -> QgsFillSymbol:
    """The hatch over a work that closes its road: dark diagonal lines, readable over any owner's colour."""
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(45)
    hatch.setDistance(1.2)
    hatch.setLineWidth(0.35)
    hatch.setColor(QColor(20, 20, 20, 230))
    line = hatch.subSymbol()
    if line is not None:
        line.setColor(QColor(20, 20, 20, 230))
        line.setWidth(0.35)
    return _symbol(QgsFillSymbol, [hatch])


def _city_marker_symbol(colour: str, size: str | float = 2.2, closed_ring: bool = True) -> QgsFillSymbol:
    """A marker at the footprint's point on surface, in the owner's colour (closed roads: a black ring)."""
    marker = QgsSimpleMarkerSymbolLayer.create({
        "name": "circle", "color": _rgba(colour, 255), "outline_color": "255,255,255,255",
        "outline_width": "0.3", "size": str(size),
    })
    if closed_ring:
        marker.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeColor, QgsProperty.fromExpression(
            f"CASE WHEN {_CLOSED} THEN color_rgb(0,0,0) ELSE color_rgb(255,255,255) END"))
        marker.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(
            f"CASE WHEN {_CLOSED} THEN 0.7 ELSE 0.3 END"))
    # Built by create(): PyQGIS 3.22 crashes on a fill symbol of a centroid layer from the bare constructor.
    centroid = QgsCentroidFillSymbolLayer.create({"point_on_surface": "1", "point_on_all_parts": "0"})
    centroid.setSubSymbol(_symbol(QgsMarkerSymbol, [marker]))
    return _symbol(QgsFillSymbol, [centroid])


def _city_rule(symbol: QgsSymbol, label: str) -> QgsRuleBasedRenderer.Rule:
    """A rule drawn only at scales smaller than 1:CITY_SCALE (zoomed out)."""
    rule = QgsRuleBasedRenderer.Rule(symbol, 0, 0, "", label)
    rule.setMaximumScale(CITY_SCALE)  # hidden once zoomed in past 1:CITY_SCALE
    return rule


def works_renderer(registry: OwnerRegistry, copy: bool = False) -> QgsRuleBasedRenderer:
    """Rules: one per organisation (legend: its name), 'other organisations' for the rest, each with a city-scale
    marker child; the hatch of closed roads; and a legend-only group saying what the outlines mean."""
    root = QgsRuleBasedRenderer.Rule(None)
    colours = owner_colours(registry)
    for owner in registry:
        rule = QgsRuleBasedRenderer.Rule(_footprint_symbol(colours[owner.code], copy), 0, 0,
                                         f"lower(\"owner\") = {_quote(owner.code)}", owner.name)
        rule.appendChild(_city_rule(_city_marker_symbol(colours[owner.code]), tr("marker at city scale")))
        root.appendChild(rule)
    # An explicit filter, not an ELSE rule: QGIS's symbolsForFeature (legend counts, identify) ignores ELSE.
    known = ", ".join(_quote(owner.code) for owner in registry) or "''"
    other = QgsRuleBasedRenderer.Rule(_footprint_symbol(FALLBACK_COLOUR, copy), 0, 0,
                                      f"\"owner\" IS NULL OR lower(\"owner\") NOT IN ({known})",
                                      tr("Other organisations"))
    other.appendChild(_city_rule(_city_marker_symbol(FALLBACK_COLOUR), tr("marker at city scale")))
    root.appendChild(other)
    hatch = QgsRuleBasedRenderer.Rule(_hatch_symbol(), 0, 0, _CLOSED, tr("Road closed (hatched)"))
    hatch.setMinimumScale(CITY_SCALE)  # at city scale the marker's black ring says it: a hatch is only ink
    root.appendChild(hatch)
    # Never matches a feature: it only puts the meaning of the outlines in the legend.
    legend = QgsRuleBasedRenderer.Rule(None, 0, 0, "FALSE", tr("Outline: status"))
    labels = work_status_labels()
    for status in Status:
        legend.appendChild(QgsRuleBasedRenderer.Rule(_status_legend_symbol(status.value), 0, 0, "FALSE",
                                                     labels[status.value]))
    root.appendChild(legend)
    return QgsRuleBasedRenderer(root)


def _text_format(size: float = 8.0, colour: str = "#1e1e1e") -> QgsTextFormat:
    text = QgsTextFormat()
    text.setFont(QFont("DejaVu Sans"))
    text.setSize(size)
    text.setColor(QColor(colour))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor(255, 255, 255, 230))
    text.setBuffer(buffer)
    return text


def works_labeling() -> QgsVectorLayerSimpleLabeling:
    """Titles from 1:LABEL_SCALE in, wrapped, never on top of each other (QGIS drops the lower priority
    label), works in progress and road closures first, the footprints an obstacle to other labels."""
    settings = QgsPalLayerSettings()
    settings.fieldName = "title"
    settings.isExpression = False
    settings.enabled = True
    settings.setFormat(_text_format())
    # Horizontal tries positions all over a footprint (a long narrow one too), not just around its centroid:
    # in a street full of works it keeps every title where "around centroid" dropped a third of them.
    settings.placement = QgsPalLayerSettings.Placement.Horizontal
    settings.autoWrapLength = 22
    settings.displayAll = False
    settings.labelPerPart = False
    settings.priority = 5
    settings.scaleVisibility = True
    settings.minimumScale = LABEL_SCALE  # the most zoomed-out scale at which titles show
    settings.maximumScale = 0
    settings.dataDefinedProperties().setProperty(QgsPalLayerSettings.Property.Priority, QgsProperty.fromExpression(
        f"CASE WHEN {_CLOSED} THEN 9 WHEN \"status\" = {_quote(Status.IN_PROGRESS.value)} THEN 8 "
        f"WHEN {_FADED} THEN 2 ELSE 5 END"))
    obstacle = settings.obstacleSettings()
    obstacle.setIsObstacle(True)
    # Boundaries, not interiors: in a street full of works a title may sit inside footprints (its own or a
    # neighbour's) rather than be dropped; titles still never overlap one another.
    obstacle.setType(QgsLabelObstacleSettings.ObstacleType.PolygonBoundary)
    obstacle.setFactor(0.8)
    return QgsVectorLayerSimpleLabeling(settings)


def apply_works_style(layer: QgsVectorLayer, registry: OwnerRegistry | None = None, copy: bool = False) -> None:
    """Works coloured by owner (the project's registry, Prato's by default), hatched where the road is closed,
    outlined by status, markers at city scale, titles that do not pile up, and the layer's dates set for the
    Temporal Controller. `copy`: a partner's feed copy (lighter fill)."""
    if registry is None:
        from situation_room_plugin.qgis_io.project import owner_registry

        registry = owner_registry()
    renderer = works_renderer(registry, copy)
    # the largest footprints first: a narrow work inside a wider one (a fibre trench in a water dig) stays seen
    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause("$area", False)]))
    renderer.setOrderByEnabled(True)
    layer.setRenderer(renderer)
    layer.setLabeling(works_labeling())
    layer.setLabelsEnabled(True)
    set_works_temporal(layer)
    layer.triggerRepaint()


def mark_as_copy(layer: QgsVectorLayer) -> None:
    """A partner's copy says so in its name (the legend), beside the lighter fill of apply_works_style."""
    suffix = tr("(copy)")
    if not layer.name().endswith(suffix):
        layer.setName(f"{layer.name()} {suffix}")


def apply_feed_copy_style(layer: QgsVectorLayer, registry: OwnerRegistry | None = None) -> None:
    apply_works_style(layer, registry, copy=True)
    mark_as_copy(layer)


# -- conflicts --------------------------------------------------------------------------------------------

def _conflict_symbol(colour: str) -> QgsFillSymbol:
    """The shared area (or the half-metre band between two works) in the kind's colour, more opaque and with
    a wider outline as the severity (0-100) grows."""
    layer = QgsSimpleFillSymbolLayer.create({"color": _rgba(colour, 140), "outline_color": _rgba(colour, 255),
                                             "outline_width": "0.5", "style": "solid"})
    rgb = _rgba(colour, 0).rsplit(",", 1)[0]
    layer.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyFillColor, QgsProperty.fromExpression(
        f"color_rgba({rgb}, 60 + 1.8 * least(greatest(coalesce(\"severity\", 0), 0), 100))"))
    layer.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(
        "0.3 + least(greatest(coalesce(\"severity\", 0), 0), 100) / 50"))
    return _symbol(QgsFillSymbol, [layer])


def conflicts_renderer() -> QgsRuleBasedRenderer:
    """One rule per conflict kind (legend: the kind's name), each with a city-scale marker sized by severity."""
    root = QgsRuleBasedRenderer.Rule(None)
    labels = conflict_kind_labels()
    for kind in ConflictKind:
        colour = CONFLICT_COLOURS[kind.value]
        rule = QgsRuleBasedRenderer.Rule(_conflict_symbol(colour), 0, 0, f"\"kind\" = {_quote(kind.value)}",
                                         labels[kind.value])
        marker = _city_marker_symbol(colour, closed_ring=False)
        sub = marker.symbolLayer(0).subSymbol()
        if sub is not None:
            sub.symbolLayer(0).setShape(QgsSimpleMarkerSymbolLayer.Shape.Diamond)
            sub.symbolLayer(0).setDataDefinedProperty(QgsSymbolLayer.Property.PropertySize, QgsProperty.fromExpression(
                "1.8 + least(greatest(coalesce(\"severity\", 0), 0), 100) / 50"))
        rule.appendChild(_city_rule(marker, tr("marker at city scale")))
        root.appendChild(rule)
    return QgsRuleBasedRenderer(root)


def apply_conflicts_style(layer: QgsVectorLayer) -> None:
    """By kind and severity; shown by the Temporal Controller on the days the two overlap (an opportunity,
    whose works do not overlap, on every day)."""
    layer.setRenderer(conflicts_renderer())
    set_dates_temporal(layer, "overlap_start", "overlap_end")
    layer.triggerRepaint()


# -- roads, detours, places -------------------------------------------------------------------------------

def roads_renderer(highway_field: str = "highway") -> QgsRuleBasedRenderer:
    """Thin greys by highway class, main roads wider and darker and drawn on top; other classes hairlines."""
    root = QgsRuleBasedRenderer.Rule(None)
    for level, (classes, colour, width) in enumerate(ROAD_CLASSES):
        line = QgsSimpleLineSymbolLayer.create({"line_color": colour, "line_width": str(width), "capstyle": "round",
                                                "joinstyle": "round"})
        # Hairlines at city scale, streets one can read at street scale.
        line.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(
            f"{width} * CASE WHEN @map_scale <= {LABEL_SCALE} THEN 3 WHEN @map_scale <= {CITY_SCALE * 1.5:.0f} "
            "THEN 1.6 ELSE 1 END"))
        symbol = _symbol(QgsLineSymbol, [line])
        symbol.symbolLayer(0).setRenderingPass(level + 1)
        values = ", ".join(_quote(c) for c in classes)
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, f"\"{highway_field}\" IN ({values})",
                                                   _road_class_label(level)))
    other = _symbol(QgsLineSymbol, [QgsSimpleLineSymbolLayer.create({"line_color": "#dcdcdc", "line_width": "0.15"})])
    other.symbolLayer(0).setRenderingPass(0)
    rule = QgsRuleBasedRenderer.Rule(other, 0, 0, "", tr("Other roads"))
    rule.setIsElse(True)
    root.appendChild(rule)
    return QgsRuleBasedRenderer(root)


def _road_class_label(level: int) -> str:
    return (tr("Service roads and paths"), tr("Local streets"), tr("Secondary roads"), tr("Main roads"))[level]


def apply_roads_style(layer: QgsVectorLayer) -> None:
    """The road network as a neutral grey background (the highway field when there is one)."""
    names = layer.fields().names()
    if "highway" in names:
        renderer = roads_renderer("highway")
        renderer.setUsingSymbolLevels(True)
        layer.setRenderer(renderer)
    else:
        layer.setRenderer(QgsSingleSymbolRenderer(_symbol(QgsLineSymbol, [QgsSimpleLineSymbolLayer.create(
            {"line_color": "#bdbdbd", "line_width": "0.3"})])))
    layer.triggerRepaint()


def apply_pending_style(layer: QgsVectorLayer) -> None:
    """Works waiting to be sent to the platform: a wide dashed orange outline around them, no fill."""
    outline = QgsSimpleFillSymbolLayer.create({"color": "0,0,0,0", "outline_color": "#ff7f00",
                                               "outline_width": "0.9", "outline_style": "dash", "style": "no"})
    layer.setRenderer(QgsSingleSymbolRenderer(_symbol(QgsFillSymbol, [outline])))
    layer.triggerRepaint()


def style_roads_unless_chosen(layer: object) -> bool:
    """The grey road network on a roads layer that still has QGIS's random single colour (not a style someone
    chose); True when it was styled."""
    if isinstance(layer, QgsVectorLayer) and isinstance(layer.renderer(), QgsSingleSymbolRenderer):
        apply_roads_style(layer)
        return True
    return False


def arrow_line_symbol(colour: str, width: float = 0.9, interval_mm: float = 12.0) -> QgsLineSymbol:
    """A line with arrowheads along it pointing the way the line is drawn (a detour's direction of travel),
    over a white casing so that it stands out from the grey roads."""
    casing = QgsSimpleLineSymbolLayer.create({"line_color": "255,255,255,220", "line_width": str(width + 0.8),
                                              "capstyle": "round", "joinstyle": "round"})
    line = QgsSimpleLineSymbolLayer.create({"line_color": colour, "line_width": str(width), "capstyle": "round",
                                            "joinstyle": "round"})
    arrows = QgsMarkerLineSymbolLayer(True, interval_mm)
    arrows.setPlacement(QgsMarkerLineSymbolLayer.Placement.Interval)
    arrows.setOffsetAlongLine(interval_mm / 2)
    head = QgsSimpleMarkerSymbolLayer.create({"name": "filled_arrowhead", "color": colour,
                                              "outline_color": "255,255,255,255", "outline_width": "0.2",
                                              "size": str(width * 4.0)})
    arrows.setSubSymbol(_symbol(QgsMarkerSymbol, [head]))
    return _symbol(QgsLineSymbol, [casing, line, arrows])


def _line_symbol(spec: dict[str, str]) -> QgsLineSymbol:
    return QgsLineSymbol.createSimple(spec)


def apply_detours_style(layer: QgsVectorLayer, output: str) -> None:
    """Detours as near-black arrows in the direction of travel (blocked stretches without a way round dash-dot
    dark red); cut-off roads dashed grey; bus lines to reroute dotted purple over a white casing."""
    if output == "OUTPUT_DETOURS":
        root = QgsRuleBasedRenderer.Rule(None)
        root.appendChild(QgsRuleBasedRenderer.Rule(
            arrow_line_symbol(LINE_STYLES["OUTPUT_DETOURS"]["line_color"]), 0, 0, "\"status\" = 'ok'", tr("Detour")))
        root.appendChild(QgsRuleBasedRenderer.Rule(
            _line_symbol(LINE_STYLES["no_detour"]), 0, 0, "\"status\" = 'no_detour'", tr("Blocked, no way round")))
        layer.setRenderer(QgsRuleBasedRenderer(root))
    else:
        symbol = _line_symbol(LINE_STYLES[output])
        casing = QgsSimpleLineSymbolLayer.create({"line_color": "255,255,255,200", "line_width": "1.6"})
        symbol.insertSymbolLayer(0, casing)
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


def apply_places_style(layer: QgsVectorLayer, parking: bool = False) -> None:
    """OSM places as small quiet symbols: sensitive places brown-orange dots (bus stops small grey-blue
    squares), their areas a thin outline; parking a pale blue area."""
    geometry = layer.geometryType()
    if parking:
        symbol: QgsSymbol = QgsFillSymbol.createSimple({"color": "160,196,230,90", "outline_color": "90,140,190,200",
                                                        "outline_width": "0.2"})
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    elif geometry == 0:  # points
        root = QgsRuleBasedRenderer.Rule(None)
        bus = QgsMarkerSymbol.createSimple({"name": "square", "color": "120,140,160,220", "outline_color": "white",
                                            "outline_width": "0.15", "size": "1.3"})
        root.appendChild(QgsRuleBasedRenderer.Rule(bus, 0, 0, "\"kind\" = 'bus_stop'", tr("Bus stop")))
        dot = QgsMarkerSymbol.createSimple({"name": "circle", "color": "230,150,90,230", "outline_color": "140,70,20",
                                            "outline_width": "0.2", "size": "1.8"})
        rule = QgsRuleBasedRenderer.Rule(dot, 0, 0, "", tr("Sensitive place"))
        rule.setIsElse(True)
        root.appendChild(rule)
        layer.setRenderer(QgsRuleBasedRenderer(root))
    else:
        symbol = QgsFillSymbol.createSimple({"color": "240,170,110,50", "outline_color": "200,110,50,200",
                                             "outline_width": "0.25"})
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


def apply_osm_places_styles(layers: Iterable[tuple[QgsVectorLayer, bool]]) -> None:
    for layer, parking in layers:
        apply_places_style(layer, parking)


# -- Processing outputs -----------------------------------------------------------------------------------

_POST_PROCESSORS: dict[str, QgsProcessingLayerPostProcessorInterface] = {}


class _StyleOnLoad(QgsProcessingLayerPostProcessorInterface):
    """Styles a Processing output as QGIS loads it into the project (the algorithm dialog's 'Open output')."""

    def __init__(self, style: Callable[[QgsVectorLayer], None]) -> None:
        super().__init__()
        self.style = style

    def postProcessLayer(self, layer: QgsMapLayer, context: QgsProcessingContext,  # noqa: N802 - Qt API
                         feedback: QgsProcessingFeedback) -> None:
        if isinstance(layer, QgsVectorLayer):
            self.style(layer)


def style_on_load(context: QgsProcessingContext, dest_id: str, style: Callable[[QgsVectorLayer], None]) -> None:
    """Have `style` applied to the output `dest_id` if Processing loads it into the project. QGIS does not own
    the post-processor: it is kept here, one per output id (the latest 64)."""
    if not dest_id or not context.willLoadLayerOnCompletion(dest_id):
        return
    processor = _StyleOnLoad(style)
    _POST_PROCESSORS[dest_id] = processor
    while len(_POST_PROCESSORS) > 64:  # long since loaded: a session of many runs keeps only the latest
        del _POST_PROCESSORS[next(iter(_POST_PROCESSORS))]
    context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(processor)
