"""situation_room:publish_results through processing.run: the layers of Detect conflicts and Detour analysis
published on the platform; the same results again change nothing, a conflict gone from the layer is withdrawn,
and an organisation other than the Comune is refused, by name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import processing
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

from situation_room_plugin.processing.common import fields as output_fields
from situation_room_plugin.processing.detour_analysis import DETOUR_FIELDS
from situation_room_plugin.processing.publish_results import COUNTS
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.conflict_layers import conflict_fields, qdate
from situation_room_plugin.toolbelt.settings import Settings
from tests.sync.test_publish import conflict, detour, published


def layer_of(kind: str, rows: list) -> QgsVectorLayer:
    """A memory layer as Detect conflicts or Detour analysis make it (in EPSG:4326 here, to be moved to
    EPSG:6707 on the way), with `rows` of tests.sync.test_publish."""
    geometry = "MultiPolygon" if kind == "conflicts" else "MultiLineString"
    layer = QgsVectorLayer(f"{geometry}?crs=EPSG:4326", kind, "memory")
    fields = conflict_fields() if kind == "conflicts" else output_fields(DETOUR_FIELDS)
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    from qgis.core import QgsCoordinateTransform

    to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:6707"),
                                      QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    features = []
    for values, shape in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([qdate(values[f.name()]) if f.name() in ("overlap_start", "overlap_end")
                               else values[f.name()] for f in layer.fields()])
        moved = QgsGeometry.fromWkt(shape.wkt)
        moved.transform(to_wgs84)
        feature.setGeometry(moved)
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


@pytest.fixture
def organisation(qgis_app) -> Iterator[None]:
    """The user's organisation of the settings, given back as it was after the test."""
    before = Settings.load()
    yield
    before.save()


def as_organisation(code: str) -> None:
    settings = Settings.load()
    settings.organisation = code
    settings.save()


def publish(**layers) -> dict:
    return processing.run("situation_room:publish_results", {"SOURCE": "platform", "REPORT": "memory:", **layers})


def counts(result: dict, prefix: str = "") -> tuple[int, ...]:
    return tuple(result[f"{prefix}{name}"] for name in COUNTS)  # inserted, updated, unchanged, withdrawn, refused


def test_publishing_twice_changes_nothing_the_second_time(provider, qgis_new_project, platform, sources,
                                                          organisation):
    as_organisation("comune")
    feeds.write_registry([sources["comune"]], QgsProject.instance())
    accented = conflict(22, 0.4)
    accented[0].update(title_a="Rinnovo rete idrica — Via Pistoiese", note="Più cantieri: sarà coordinato")
    clashes = layer_of("conflicts", [conflict(21, 0.8), accented])
    routes = layer_of("detours", [detour(21), detour(22), detour(23)])
    first = publish(CONFLICTS=clashes, DETOURS=routes, DATE="2026-03-03")
    assert counts(first, "CONFLICTS_") == (2, 0, 0, 0, 0)
    assert counts(first, "DETOURS_") == (3, 0, 0, 0, 0)
    assert counts(first) == (5, 0, 0, 0, 0)
    second = publish(CONFLICTS=clashes, DETOURS=routes, DATE="2026-03-03")
    assert counts(second) == (0, 0, 5, 0, 0)
    on_platform = published(platform, "published_conflicts")
    one = on_platform["clash:0021:0022"]
    assert one["properties"]["revision"] == 1 and one["properties"]["owner"] == "comune"
    assert one["geometry"]["type"] == "MultiPolygon"
    two = on_platform["clash:0022:0023"]["properties"]  # Italian text, as it was written
    assert (two["title_a"], two["note"]) == ("Rinnovo rete idrica — Via Pistoiese", "Più cantieri: sarà coordinato")
    # The server answers GeoJSON in longitude/latitude: the footprint came through EPSG:6707 where it was.
    xs = [x for ring in one["geometry"]["coordinates"][0] for x, _ in ring]
    assert min(xs) == pytest.approx(next(clashes.getFeatures()).geometry().boundingBox().xMinimum(), abs=1e-6)
    lines = published(platform, "published_detours")
    assert {uid for uid in lines if uid.startswith("a2")} == {f"a{i}:2026-03-03:1" for i in (21, 22, 23)}
    assert str(lines["a21:2026-03-03:1"]["properties"]["day"])[:10] == "2026-03-03"


def test_a_conflict_gone_from_the_layer_is_withdrawn_and_a_changed_one_updated(provider, qgis_new_project,
                                                                                platform, sources, organisation):
    as_organisation("comune")
    feeds.write_registry([sources["comune"]], QgsProject.instance())
    publish(CONFLICTS=layer_of("conflicts", [conflict(31, 0.8), conflict(32, 0.4)]))
    result = publish(CONFLICTS=layer_of("conflicts", [conflict(31, 0.9, "acknowledged")]))
    assert counts(result, "CONFLICTS_") == (0, 1, 0, 1, 0)
    assert counts(result, "DETOURS_") == (0, 0, 0, 0, 0)  # no DETOURS: the published detours left alone
    rows = published(platform, "published_conflicts")
    assert rows["clash:0032:0033"]["properties"]["deleted"] is True
    kept = rows["clash:0031:0032"]["properties"]
    assert (kept["status"], kept["severity"], kept["deleted"]) == ("acknowledged", 0.9, False)


def test_another_organisation_is_refused_and_the_report_says_so(provider, qgis_new_project, platform, sources,
                                                                organisation):
    as_organisation("publiacqua")
    feeds.write_registry([sources["publiacqua"]], QgsProject.instance())
    result = publish(CONFLICTS=layer_of("conflicts", [conflict(41, 0.5)]))
    assert result["INSERTED"] == result["WITHDRAWN"] == 0 and result["REFUSED"] >= 1
    report = [f.attributes() for f in result["REPORT"].getFeatures()]
    assert "published_conflicts clash:0041:0042" in [r[0] for r in report]
    assert all(r[3] == "sync_refused" and "No permissions" in r[4] for r in report)
    assert "clash:0041:0042" not in published(platform, "published_conflicts")


def test_nothing_to_publish_and_detours_without_their_day_are_refused(provider, qgis_new_project, sources,
                                                                     organisation):
    feeds.write_registry([sources["comune"]], QgsProject.instance())
    with pytest.raises(QgsProcessingException, match="Nothing to publish"):
        publish()
    with pytest.raises(QgsProcessingException, match="Give DATE"):
        publish(DETOURS=layer_of("detours", [detour(51)]))
    feeds.write_registry([replace(sources["comune"], writable=False)], QgsProject.instance())
    with pytest.raises(QgsProcessingException, match="writable"):
        publish(CONFLICTS=layer_of("conflicts", [conflict(51, 0.5)]))
