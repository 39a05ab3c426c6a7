"""situation_room:detect_conflicts and situation_room:suggest_schedule through processing.run, with layers in
different CRSs, decisions kept in a store across runs, and the outputs a technician opens."""

from __future__ import annotations

from datetime import date

import processing
import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

from situation_room_plugin.core.conflicts import ConflictKind, conflict_id
from situation_room_plugin.qgis_io import layers
from situation_room_plugin.qgis_io.decisions import gone_decisions, set_decision
from situation_room_plugin.qgis_io.store import Store
from tests.unit.works_builder import box, day, uid, work


def works_layer(works, crs: str = "EPSG:6707") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs}", "works", "memory")
    layer.dataProvider().addAttributes(list(layers.works_fields()))
    layer.updateFields()
    transform = QgsCoordinateTransform(layers.project_crs(), layer.crs(), QgsProject.instance())
    features = []
    for w in works:
        feature = layers.work_to_feature(w, layer.fields())
        geometry = feature.geometry()
        geometry.transform(transform)
        feature.setGeometry(geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def places_layer(kind: str, crs: str, fields: str, rows: list[tuple[shapely.Geometry, list]]) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs={crs}&{fields}", "places", "memory")
    transform = QgsCoordinateTransform(layers.project_crs(), layer.crs(), QgsProject.instance())
    features = []
    for geometry, attributes in rows:
        feature = QgsFeature(layer.fields())
        qgs = QgsGeometry.fromWkt(geometry.wkt)
        qgs.transform(transform)
        feature.setGeometry(qgs)
        feature.setAttributes(attributes)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def rows(layer: QgsVectorLayer) -> list[dict]:
    names = layer.fields().names()
    return [dict(zip(names, f.attributes()), _geometry=f.geometry()) for f in layer.getFeatures()]


WORKS = [
    work(0, box(0, 0, 40, 8), 0, 20, title="Rete idrica via Roma", traffic_impact="all-lanes-closed"),
    work(1, box(30, 0, 40, 8), 10, 30, title="Fibra via Roma", owner="estracom",
         traffic_impact="some-lanes-closed"),
    work(2, box(85, 0, 40, 8), 60, 70, title="Gas via Roma", owner="toscana_energia"),
    work(3, box(0, 0, 40, 8), 0, 5, title="Annullato", status="cancelled"),
]


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "project.gpkg"


def detect(works_lyr, store_path, **extra):
    params = {"WORKS": works_lyr, "DISTANCE": 20, "OPPORTUNITY_DAYS": 180, "STORE": str(store_path),
              "OUTPUT": "memory:", **extra}
    return processing.run("situation_room:detect_conflicts", params)


def test_clashes_and_opportunities_come_out_with_the_contract_fields_and_geometries(provider, store_path):
    result = detect(works_layer(WORKS), store_path)
    output = result["OUTPUT"]
    assert output.crs() == QgsCoordinateReferenceSystem("EPSG:6707")
    assert output.fields().names()[:13] == [
        "conflict_id", "kind", "uid_a", "uid_b", "owner_a", "owner_b", "severity", "overlap_start", "overlap_end",
        "gap_days", "distance_m", "status", "note",
    ]
    found = {(r["kind"], r["uid_a"], r["uid_b"]): r for r in rows(output)}
    assert set(found) == {("clash", uid(0), uid(1)), ("opportunity", uid(1), uid(2))}  # 3 is cancelled
    clash = found[("clash", uid(0), uid(1))]
    assert clash["conflict_id"] == conflict_id(ConflictKind.CLASH, uid(0), uid(1))
    assert (clash["owner_a"], clash["owner_b"]) == ("publiacqua", "estracom")
    assert clash["overlap_start"].toPyDate() == day(10) and clash["overlap_end"].toPyDate() == day(20)
    assert clash["status"] == "open" and clash["distance_m"] == 0
    assert clash["_geometry"].area() == pytest.approx(10 * 8)  # the shared area
    opportunity = found[("opportunity", uid(1), uid(2))]
    assert opportunity["gap_days"] == 30 and opportunity["distance_m"] == pytest.approx(15)
    # The shortest line between the two, as a band 0.5 m wide.
    assert opportunity["_geometry"].area() == pytest.approx(15 * 0.5, rel=0.05)
    assert result["CLASH_COUNT"] == 1 and result["OPPORTUNITY_COUNT"] == 1


def test_protected_streets_sensitive_places_and_parking_in_other_crss(provider, store_path):
    x, y = 668_000.0, 4_861_000.0
    protected = places_layer(  # Gauss-Boaga
        "LineString", "EPSG:3003", "field=name:string&field=protected_until:date",
        [(shapely.LineString([(x - 50, y + 4), (x + 150, y + 4)]), ["Via Roma", "2026-12-31"])],
    )
    schools = places_layer(  # WGS 84
        "Point", "EPSG:4326", "field=osm_id:string&field=name:string&field=amenity:string",
        [(shapely.Point(x + 10, y + 25), ["node/1", "Scuola Mazzoni", "school"]),
         (shapely.Point(x + 20, y + 500), ["node/2", "Lontana", "school"])],
    )
    events = places_layer(
        "Polygon", "EPSG:6707", "field=name:string&field=start_date:date&field=end_date:date",
        [(shapely.box(x + 100, y + 10, x + 140, y + 30), ["Fiera", "2026-06-01", "2026-06-03"])],
    )
    events.setName("events")
    parking = places_layer(
        "Polygon", "EPSG:4326", "field=name:string&field=capacity:integer",
        [(shapely.box(x + 100, y - 10, x + 120, y + 10), ["Parcheggio Datini", 40])],
    )
    result = detect(works_layer(WORKS), store_path, PROTECTED=protected, SENSITIVE=[schools, events],
                    PARKING=parking, PARKING_DAYS="memory:")
    found = {(r["kind"], r["uid_a"], r["uid_b"]): r for r in rows(result["OUTPUT"])}
    kinds = sorted(k for k, _, _ in found)
    assert kinds == ["clash", "moratorium", "moratorium", "moratorium", "opportunity", "parking", "sensitive"]
    school = found[("sensitive", uid(0), "places:node/1")]
    assert school["title_b"] == "Scuola Mazzoni (school)" and school["distance_m"] == pytest.approx(17, abs=0.01)
    assert ("sensitive", uid(2), "events#1") not in found  # the fair is on other days
    parked = found[("parking", uid(2), "places#1")]
    assert parked["spaces_lost"] == 16  # 160 of the 400 m2 of a 40-space lot
    by_day = {r["date"].toPyDate(): r["spaces_lost"] for r in rows(result["PARKING_DAYS"])}
    assert sorted(by_day) == [day(n) for n in range(60, 71)] and set(by_day.values()) == {parked["spaces_lost"]}


def test_decisions_survive_reruns_and_a_vanished_conflict_is_marked_gone(provider, store_path):
    detect(works_layer(WORKS), store_path)
    clash = conflict_id(ConflictKind.CLASH, uid(0), uid(1))
    with Store.open(store_path) as store:
        set_decision(store, clash, "accepted", "Estracom posa di notte", "ufficio.traffico")
    again = {r["conflict_id"]: r for r in rows(detect(works_layer(WORKS), store_path)["OUTPUT"])}
    assert (again[clash]["status"], again[clash]["note"]) == ("accepted", "Estracom posa di notte")

    moved = [WORKS[0], work(1, box(30, 0, 40, 8), 40, 50, title="Fibra via Roma", owner="estracom"), *WORKS[2:]]
    after = {r["conflict_id"] for r in rows(detect(works_layer(moved), store_path)["OUTPUT"])}
    assert clash not in after
    with Store.open(store_path) as store:
        (gone,) = [d for d in gone_decisions(store) if d.conflict_id == clash]
    assert gone.note == "Estracom posa di notte" and gone.gone_since == date.today()


def test_conflicts_can_be_written_to_a_geopackage(provider, store_path, tmp_path):
    out = tmp_path / "conflicts.gpkg"
    result = detect(works_layer(WORKS), store_path, OUTPUT=str(out))
    layer = QgsVectorLayer(result["OUTPUT"], "conflicts", "ogr")
    assert layer.isValid() and layer.featureCount() == 2
    assert layer.crs() == QgsCoordinateReferenceSystem("EPSG:6707")
    areas = sorted(f.geometry().area() for f in layer.getFeatures())
    assert areas == [pytest.approx(7.5, rel=0.05), pytest.approx(80)]


def test_suggest_schedule_ranks_the_start_dates_of_a_work_best_first(provider):
    target = work(5, box(0, 0, 40, 8), 10, 14, title="Allaccio", earliest_start=day(0), latest_end=day(40))
    result = processing.run("situation_room:suggest_schedule", {
        "WORKS": works_layer([*WORKS, target], "EPSG:4326"), "WORK_UID": uid(5), "OUTPUT": "memory:",
    })
    table = rows(result["OUTPUT"])
    assert [f for f in result["OUTPUT"].fields().names()] == ["start_date", "end_date", "clashes", "score", "reason"]
    assert len(table) == 37 and result["CANDIDATES"] == 37
    best = table[0]
    # Works 0 (days 0-20) and 1 (10-30) are in the way; from day 31 the street is free.
    assert best["start_date"].toPyDate() == day(31) and best["clashes"] == 0 and best["score"] == 0
    assert best["reason"].startswith("No clash with other works.")
    planned = next(r for r in table if r["start_date"].toPyDate() == day(10))
    assert planned["clashes"] == 2 and "«Rete idrica via Roma»" in planned["reason"]
    assert [r["score"] for r in table] == sorted(r["score"] for r in table)


def test_schedule_reasons_read_in_italian_for_an_italian_user(qgis_app):
    from situation_room_plugin.core.schedule import AS_PLANNED, CLASH_ITEM, CLASHES, ReasonPart, describe
    from situation_room_plugin.toolbelt.i18n import install_translator, remove_translator, translate

    translator = install_translator("it")
    assert translator is not None, "compile the translations first: tools/i18n.py release"
    try:
        reason = [ReasonPart(CLASHES, {"count": 2, "works": [
            ReasonPart(CLASH_ITEM, {"title": "Fibra via Roma", "owner": "estracom", "days": 3})]}),
            ReasonPart(AS_PLANNED)]
        assert describe(reason, translate) == (
            "Interferisce con 2 cantieri: «Fibra via Roma» (estracom, 3 giorni in comune). L'inizio previsto."
        )
    finally:
        remove_translator(translator)


def test_suggest_schedule_with_prato_roads_keeps_a_closure_off_the_days_it_worsens_another(provider, shared_data):
    """Via Cimabue closed, and a street of its detour closed by another work on days 20-29: the dates that
    overlap them score the longer (or impossible) detour, the free dates none."""
    import shapely.ops

    from situation_room_plugin.core.detours import DetourEngine
    from tests.unit.road_helpers import prato_graph, prato_lines

    roads = shared_data / "prato" / "prato_roads.gpkg"
    source = prato_lines(shared_data)
    cimabue = source.geometries[source.column("osm_id").index("30353076")]
    footprint = shapely.buffer(shapely.ops.substring(cimabue, 0.3, 0.7, normalized=True), 4, cap_style="flat")
    planned = work(0, shapely.MultiPolygon([footprint]), 10, 14, title="Scavo via Cimabue",
                   earliest_start=day(0), latest_end=day(40))
    graph = prato_graph(shared_data)
    (alone,) = DetourEngine(graph).alone(DetourEngine(graph).closures([planned])[planned.uid])
    line = graph.edge_geometries()[alone.detour.arcs[len(alone.detour.arcs) // 2] >> 1]
    on_detour = shapely.buffer(shapely.ops.substring(line, 0.3, 0.7, normalized=True), 4, cap_style="flat")
    other = work(1, shapely.MultiPolygon([on_detour]), 20, 29, title="Rete gas sulla deviazione",
                 owner="toscana_energia")
    result = processing.run("situation_room:suggest_schedule", {
        "WORKS": works_layer([planned, other]), "WORK_UID": planned.uid, "ROADS": str(roads), "OUTPUT": "memory:",
    })
    table = {r["start_date"].toPyDate(): r for r in rows(result["OUTPUT"])}
    overlapping = table[day(20)]
    assert overlapping["score"] > 0
    assert "«Rete gas sulla deviazione» (toscana_energia, 5 days)" in overlapping["reason"]
    assert table[day(10)]["score"] < overlapping["score"]
    best = rows(result["OUTPUT"])[0]
    assert best["score"] == 0 and not (day(15) < best["start_date"].toPyDate() < day(30))


def test_a_store_another_process_keeps_writing_is_a_clear_processing_error(provider, store_path, monkeypatch):
    from situation_room_plugin.qgis_io import store as store_module
    from tests.unit.test_store_concurrency import LockHolder

    detect(works_layer(WORKS), store_path)
    monkeypatch.setattr(store_module, "DEFAULT_TIMEOUT", 0.05)  # instead of waiting 30 s for the other writer
    holder = LockHolder(store_path)
    try:
        with pytest.raises(QgsProcessingException, match=r"Another QGIS or another process is writing .* try again"):
            detect(works_layer(WORKS), store_path)
    finally:
        holder.release()
    assert len(rows(detect(works_layer(WORKS), store_path)["OUTPUT"])) == 2
