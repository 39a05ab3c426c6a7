"""The map's styles (qgis_io/styles.py) and time (qgis_io/temporal.py, gui/temporal.py), as QGIS would draw."""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

import shapely
from qgis.core import (
    Qgis,
    QgsCentroidFillSymbolLayer,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFeatureRequest,
    QgsLinePatternFillSymbolLayer,
    QgsMarkerLineSymbolLayer,
    QgsRenderContext,
    QgsTemporalNavigationObject,
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QDate

from situation_room_plugin.core.owners import PRATO_OWNERS, Owner, OwnerRegistry
from situation_room_plugin.core.works import Work
from situation_room_plugin.gui.temporal import show_day
from situation_room_plugin.qgis_io import layers, styles
from situation_room_plugin.qgis_io.conflict_layers import conflict_fields
from situation_room_plugin.qgis_io.store import Store, works_layer_uri
from situation_room_plugin.qgis_io.temporal import day_range


def work(owner: str = "publiacqua", impact: str = "some-lanes-closed", status: str = "authorized",
         start: date = date(2026, 3, 9), end: date = date(2026, 3, 20)) -> Work:
    return Work(uid=str(uuid.uuid4()), title=f"{owner} {impact}", owner=owner, work_type="excavation",
                status=status, start_date=start, end_date=end, traffic_impact=impact,
                geometry=shapely.MultiPolygon([shapely.box(668_000, 4_861_000, 668_030, 4_861_008)]))


def works_layer(*works: Work) -> QgsVectorLayer:
    return layers.works_memory_layer(works)


def drawn_symbol_layers(layer: QgsVectorLayer, feature: QgsFeature, scale: float) -> list[object]:
    """Every symbol layer the layer's renderer draws for `feature` at 1:scale."""
    context = QgsRenderContext()
    context.setRendererScale(scale)
    expression_context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    expression_context.setFeature(feature)
    context.setExpressionContext(expression_context)
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    try:
        symbols = renderer.symbolsForFeature(feature, context)
        # clones: the symbols belong to the renderer, gone when this returns
        return [symbol.symbolLayer(i).clone() for symbol in symbols for i in range(symbol.symbolLayerCount())]
    finally:
        renderer.stopRender(context)


def test_works_are_coloured_by_owner_with_the_organisations_names_in_the_legend():
    layer = works_layer(work())
    styles.apply_works_style(layer, OwnerRegistry())
    rules = layer.renderer().rootRule().children()
    owner_rules = rules[:len(PRATO_OWNERS)]
    assert [r.label() for r in owner_rules] == [o.name for o in PRATO_OWNERS]
    assert [r.filterExpression() for r in owner_rules] == [f"lower(\"owner\") = '{o.code}'" for o in PRATO_OWNERS]
    colours = [r.symbol().color().name() for r in owner_rules]
    assert colours == [styles.OWNER_COLOURS[o.code] for o in PRATO_OWNERS] and len(set(colours)) == 7
    legend = [item.label() for item in layer.renderer().legendSymbolItems()]
    assert {o.name for o in PRATO_OWNERS} <= set(legend)
    assert rules[len(PRATO_OWNERS)].label() == "Other organisations"  # anyone else: the fallback colour
    assert rules[len(PRATO_OWNERS)].symbol().color().name() == styles.FALLBACK_COLOUR


def test_each_work_is_drawn_in_its_owners_colour_and_others_in_the_fallback():
    layer = works_layer(work("alia"), work("someone_else"))
    registry = OwnerRegistry()
    styles.apply_works_style(layer, registry)
    alia, other = layer.getFeatures()
    fills = [s for s in drawn_symbol_layers(layer, alia, 2000) if s.layerType() == "SimpleFill"]
    assert [s.color().name() for s in fills] == [styles.OWNER_COLOURS["alia"]]
    fills = [s for s in drawn_symbol_layers(layer, other, 2000) if s.layerType() == "SimpleFill"]
    assert [s.color().name() for s in fills] == [styles.FALLBACK_COLOUR]


def test_a_registry_with_more_organisations_gives_each_its_own_colour_and_name():
    registry = OwnerRegistry([*PRATO_OWNERS, Owner("gestore_x", "Gestore X")])
    colours = styles.owner_colours(registry)
    assert len(set(colours.values())) == 8 and colours["gestore_x"] != styles.FALLBACK_COLOUR
    renderer = styles.works_renderer(registry)
    labels = [r.label() for r in renderer.rootRule().children()]
    assert "Gestore X" in labels


def test_a_work_that_closes_its_road_is_hatched_and_one_that_does_not_is_not():
    layer = works_layer(work(impact="all-lanes-closed"), work(impact="some-lanes-closed"))
    styles.apply_works_style(layer, OwnerRegistry())
    closed, open_ = layer.getFeatures()
    assert any(isinstance(s, QgsLinePatternFillSymbolLayer) for s in drawn_symbol_layers(layer, closed, 2000))
    assert not any(isinstance(s, QgsLinePatternFillSymbolLayer) for s in drawn_symbol_layers(layer, open_, 2000))
    # at city scale the hatch would be ink on a footprint thinner than a line: the marker's black ring says it
    city = drawn_symbol_layers(layer, closed, 25_000)
    assert not any(isinstance(s, QgsLinePatternFillSymbolLayer) for s in city)
    ring = next(s for s in city if isinstance(s, QgsCentroidFillSymbolLayer)).subSymbol().symbolLayer(0)
    stroke = ring.dataDefinedProperties().property(ring.Property.PropertyStrokeColor)
    assert "traffic_impact" in stroke.expressionString()


def test_below_the_city_scale_each_work_is_also_a_marker_at_its_point_on_surface():
    layer = works_layer(work())
    styles.apply_works_style(layer, OwnerRegistry())
    feature = next(layer.getFeatures())
    city = [s for s in drawn_symbol_layers(layer, feature, 25_000) if isinstance(s, QgsCentroidFillSymbolLayer)]
    street = [s for s in drawn_symbol_layers(layer, feature, 2_000) if isinstance(s, QgsCentroidFillSymbolLayer)]
    assert len(city) == 1 and city[0].pointOnSurface() and street == []
    assert city[0].subSymbol().color().name() == styles.OWNER_COLOURS["publiacqua"]
    marker_rules = [c for r in layer.renderer().rootRule().children() for c in r.children() if c.maximumScale()]
    assert marker_rules and all(r.maximumScale() == styles.CITY_SCALE for r in marker_rules)


def test_titles_show_at_street_scale_only_and_give_way_to_each_other():
    layer = works_layer(work())
    styles.apply_works_style(layer, OwnerRegistry())
    assert layer.labelsEnabled()
    settings = layer.labeling().settings()
    assert settings.fieldName == "title" and settings.scaleVisibility
    assert settings.minimumScale == styles.LABEL_SCALE < styles.CITY_SCALE
    assert settings.obstacleSettings().isObstacle() and not settings.displayAll
    assert settings.dataDefinedProperties().isActive(settings.Property.Priority)


def test_a_partners_copy_is_lighter_and_named_a_copy():
    own, copy = works_layer(work()), works_layer(work())
    copy.setName("Cantieri Publiacqua")
    styles.apply_works_style(own, OwnerRegistry())
    styles.apply_feed_copy_style(copy, OwnerRegistry())
    assert copy.name() == "Cantieri Publiacqua (copy)"
    alpha = [layer.renderer().rootRule().children()[1].symbol().symbolLayer(0).color().alpha() for layer in (own, copy)]
    assert alpha[1] < alpha[0]
    assert copy.temporalProperties().isActive()


def test_conflicts_are_drawn_by_kind_with_their_names_in_the_legend():
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:6707", "conflicts", "memory")
    layer.dataProvider().addAttributes(conflict_fields().toList())
    layer.updateFields()
    styles.apply_conflicts_style(layer)
    rules = layer.renderer().rootRule().children()
    assert [r.filterExpression() for r in rules] == [f"\"kind\" = '{k}'" for k in styles.CONFLICT_COLOURS] or \
        {r.filterExpression() for r in rules} == {f"\"kind\" = '{k}'" for k in styles.CONFLICT_COLOURS}
    assert {r.label() for r in rules} == {"Clash", "Opportunity", "Moratorium", "Sensitive place", "Parking"}
    by_kind = {r.filterExpression().split("'")[1]: r.symbol().color().name() for r in rules}
    assert by_kind == styles.CONFLICT_COLOURS
    assert layer.temporalProperties().isActive() and "overlap_end" in layer.temporalProperties().endExpression()
    fill = rules[0].symbol().symbolLayer(0)
    assert "severity" in fill.dataDefinedProperties().property(fill.Property.PropertyStrokeWidth).expressionString()


def test_detours_are_arrows_and_the_roads_a_grey_background(shared_data):
    detours = QgsVectorLayer("LineString?crs=EPSG:6707&field=status:string", "detours", "memory")
    styles.apply_detours_style(detours, "OUTPUT_DETOURS")
    ok = detours.renderer().rootRule().children()[0]
    assert ok.filterExpression() == "\"status\" = 'ok'"
    arrows = [s for s in ok.symbol().symbolLayers() if isinstance(s, QgsMarkerLineSymbolLayer)]
    assert arrows and arrows[0].rotateSymbols() and arrows[0].subSymbol().symbolLayer(0).shape() == \
        arrows[0].subSymbol().symbolLayer(0).Shape.ArrowHeadFilled
    roads = QgsVectorLayer(f"{shared_data / 'prato' / 'prato_roads.gpkg'}|layername=roads", "roads", "ogr")
    styles.apply_roads_style(roads)
    colours = {r.symbol().color().name() for r in roads.renderer().rootRule().children()}
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours)  # greys only


# -- time ---------------------------------------------------------------------------------------------------

def test_the_store_works_layer_shows_a_work_all_day_on_its_last_day_and_not_after(tmp_path):
    path = tmp_path / "p.gpkg"
    with Store.open(path) as store:
        store.write_works([work(start=date(2026, 3, 9), end=date(2026, 3, 20))])
    layer = QgsVectorLayer(works_layer_uri(path), "works", "ogr")
    styles.apply_works_style(layer, OwnerRegistry())
    properties = layer.temporalProperties()
    assert properties.isActive()
    assert properties.mode() == Qgis.VectorTemporalMode.FeatureDateTimeStartAndEndFromExpressions
    assert "start_date" in properties.startExpression() and "end_date" in properties.endExpression()
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)

    def shown(day: date) -> int:
        expression = properties.createFilterString(context, day_range(day))
        return len(list(layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression))))

    assert properties.isVisibleInTemporalRange(day_range(date(2026, 3, 20)))
    assert [shown(date(2026, 3, d)) for d in (8, 9, 15, 20, 21)] == [0, 1, 1, 1, 0]


def test_show_day_turns_the_temporal_controller_on_and_moves_it_to_the_day():
    canvas = QgsMapCanvas()
    navigation = QgsTemporalNavigationObject(canvas)
    canvas.setTemporalController(navigation)
    assert navigation.navigationMode() == QgsTemporalNavigationObject.NavigationMode.NavigationOff
    iface = SimpleNamespace(mapCanvas=lambda: canvas)
    shown = show_day(iface, QDate(2026, 3, 20))
    assert navigation.navigationMode() == QgsTemporalNavigationObject.NavigationMode.Animated
    assert shown == day_range(date(2026, 3, 20))
    assert navigation.dateTimeRangeForFrameNumber(navigation.currentFrameNumber()) == day_range(date(2026, 3, 20))
    assert canvas.temporalRange() == day_range(date(2026, 3, 20))
    # an earlier day stretches the animation's range back; a later one forward
    assert show_day(iface, date(2026, 2, 1)) == day_range(date(2026, 2, 1))
    assert show_day(iface, date(2026, 4, 30)) == day_range(date(2026, 4, 30))
    assert canvas.temporalRange() == day_range(date(2026, 4, 30))


def test_the_conflicts_of_detect_conflicts_open_styled_by_kind(provider, tmp_path):
    import processing
    from qgis.core import QgsProject

    first, second = work("publiacqua"), work("estracom")
    result = processing.runAndLoadResults("situation_room:detect_conflicts", {
        "WORKS": works_layer(first, second), "STORE": str(tmp_path / "decisions.gpkg"), "OUTPUT": "memory:",
    })
    layer = QgsProject.instance().mapLayer(result["OUTPUT"])
    try:
        assert layer is not None and layer.featureCount() >= 1
        assert layer.renderer().type() == "RuleRenderer"
        labels = {rule.label() for rule in layer.renderer().rootRule().children()}
        assert "Clash" in labels and "Moratorium" in labels
    finally:
        QgsProject.instance().removeMapLayer(result["OUTPUT"])


def test_the_detours_tabs_date_moves_the_map_to_that_day():
    from situation_room_plugin.gui.detours_panel import DetoursPanel

    canvas = QgsMapCanvas()
    navigation = QgsTemporalNavigationObject(canvas)
    canvas.setTemporalController(navigation)
    panel = DetoursPanel(SimpleNamespace(mapCanvas=lambda: canvas))
    panel.date_edit.setDate(QDate(2026, 3, 20))
    assert navigation.navigationMode() == QgsTemporalNavigationObject.NavigationMode.Animated
    assert canvas.temporalRange() == day_range(date(2026, 3, 20))
    panel.date_edit.setDate(QDate(2026, 3, 21))
    assert canvas.temporalRange() == day_range(date(2026, 3, 21))


def test_in_a_street_full_of_works_every_title_finds_a_place_and_none_overlap():
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle
    from qgis.PyQt.QtCore import QSize

    # the e2e store's staircase of 25 m works (45 m apart across, 30 m down), closed, and two long narrow works
    # across it, as in Prato's centre, at 1:2,000
    grid = []
    for i in range(6):
        for j in range(i + 1):
            w = work(owner="publiacqua", impact="all-lanes-closed")
            w.title = f"Rete idrica {i}.{j}"
            x, y = 668_000 + 45 * i, 4_861_000 + 30 * j
            w.geometry = shapely.MultiPolygon([shapely.box(x, y, x + 25, y + 25)])
            grid.append(w)
    across = work(owner="estracom", status="draft")
    across.geometry = shapely.MultiPolygon([shapely.LineString([(668_050, 4_860_960), (668_150, 4_861_100)]).buffer(4)])
    along = work(owner="toscana_energia", status="draft", impact="alternating-one-way")
    along.title = "Allaccio gas"
    along.geometry = shapely.MultiPolygon([shapely.LineString([(668_150, 4_861_080), (668_300, 4_860_960)]).buffer(4)])
    grid.append(along)
    layer = works_layer(*grid, across)
    styles.apply_works_style(layer, OwnerRegistry())
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(800, 600))
    settings.setExtent(QgsRectangle(667_930, 4_860_890, 668_350, 4_861_205))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    placed = job.takeLabelingResults().allLabels()
    assert 1_800 < settings.scale() < 2_200
    assert sorted(label.labelText for label in placed) == sorted(w.title for w in [*grid, across])
    boxes = [label.labelRect for label in placed]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_a_days_result_layer_shows_on_that_day_only():
    from situation_room_plugin.qgis_io.temporal import set_layer_day

    detours = QgsVectorLayer("LineString?crs=EPSG:6707&field=status:string", "detours", "memory")
    set_layer_day(detours, QDate(2026, 3, 10))
    properties = detours.temporalProperties()
    assert properties.isVisibleInTemporalRange(day_range(date(2026, 3, 10)))
    assert not properties.isVisibleInTemporalRange(day_range(date(2026, 3, 11)))
    assert not properties.isVisibleInTemporalRange(day_range(date(2026, 3, 9)))


def test_osm_places_are_small_quiet_symbols(shared_data):
    from situation_room_plugin.qgis_io.osm import load_osm_places

    places = load_osm_places(shared_data / "prato" / "prato.osm.pbf")
    styles.apply_places_style(places.sensitive_points)
    styles.apply_places_style(places.sensitive_areas)
    styles.apply_places_style(places.parking, parking=True)
    rules = places.sensitive_points.renderer().rootRule().children()
    assert rules[0].filterExpression() == "\"kind\" = 'bus_stop'"
    assert all(r.symbol().size() <= 2.0 for r in rules)  # millimetres: dots, not pins
    for layer in (places.sensitive_areas, places.parking):
        fill = layer.renderer().symbol().symbolLayer(0)
        assert fill.color().alpha() < 100 and fill.strokeWidth() <= 0.25


def test_a_clash_shows_on_the_days_its_works_overlap_and_an_opportunity_every_day():
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:6707", "conflicts", "memory")
    layer.dataProvider().addAttributes(conflict_fields().toList())
    layer.updateFields()
    clash, opportunity = QgsFeature(layer.fields()), QgsFeature(layer.fields())
    clash["kind"], clash["overlap_start"], clash["overlap_end"] = "clash", QDate(2026, 3, 9), QDate(2026, 3, 12)
    opportunity["kind"] = "opportunity"
    layer.dataProvider().addFeatures([clash, opportunity])
    styles.apply_conflicts_style(layer)
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)

    def kinds(day: date) -> list[str]:
        expression = layer.temporalProperties().createFilterString(context, day_range(day))
        return sorted(f["kind"] for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))

    assert kinds(date(2026, 3, 12)) == ["clash", "opportunity"]
    assert kinds(date(2026, 3, 13)) == ["opportunity"]


def test_the_style_files_are_the_styles_the_plugin_applies(tmp_path):
    from situation_room_plugin.core.owners import OwnerRegistry
    from situation_room_plugin.qgis_io.style_files import style_files, write_style_files

    written = write_style_files(tmp_path)
    assert sorted(p.name for p in written) == sorted(style_files())
    for path in written:
        make, style = style_files()[path.name]
        by_plugin, from_file = make(), make()
        style(by_plugin)
        message, ok = from_file.loadNamedStyle(str(path))
        assert ok, f"{path.name}: {message}"
        labels = [item.label() for item in by_plugin.renderer().legendSymbolItems()]
        assert [item.label() for item in from_file.renderer().legendSymbolItems()] == labels, path.name
    works = style_files()["works.qml"][0]()
    works.loadNamedStyle(str(tmp_path / "works.qml"))
    assert works.fields().field("owner").alias() == "Organisation"  # the works form travels with the style
    assert {o.name for o in OwnerRegistry()} <= {item.label() for item in works.renderer().legendSymbolItems()}
