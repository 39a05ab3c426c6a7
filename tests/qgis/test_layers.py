"""Features to works and back: attribute types, NULLs and the transform to EPSG:6707."""

from __future__ import annotations

from datetime import date

from qgis.core import NULL, QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QDateTime

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import FIELD_NAMES
from situation_room_plugin.qgis_io import layers


def test_qgis_values_become_plain_python():
    assert layers.to_python(NULL) is None
    assert layers.to_python(QDate(2026, 2, 28)) == date(2026, 2, 28)
    assert layers.to_python(QDate()) is None
    assert layers.to_python(QDateTime()) is None
    assert layers.to_python("x") == "x"


def test_a_layer_date_time_with_an_offset_keeps_its_own_day():
    from qgis.PyQt.QtCore import Qt, QTime

    from situation_room_plugin.core.works import parse_date, parse_datetime

    midnight_in_rome = QDateTime(QDate(2027, 3, 1), QTime(0, 0), Qt.TimeSpec.OffsetFromUTC, 7200)  # +02:00
    value = layers.to_python(midnight_in_rome)
    assert parse_date(value) == date(2027, 3, 1)  # not 28 February, the day in UTC
    assert parse_datetime(value).isoformat() == "2027-02-28T22:00:00+00:00"


def test_the_works_fields_follow_the_schema():
    assert [f.name() for f in layers.works_fields()] == list(FIELD_NAMES)


def test_a_work_written_to_a_feature_reads_back_the_same():
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:6707", "w", "memory")
    layer.dataProvider().addAttributes(layers.works_fields().toList())
    layer.updateFields()
    f = QgsFeature(layer.fields())
    attrs = {"title": "Scavo", "owner": "estracom", "work_type": "excavation", "start_date": QDate(2026, 1, 5),
             "end_date": QDate(2026, 1, 9), "daily_hours": "08:00-17:00", "night_work": False}
    f.setAttributes([attrs.get(name, NULL) for name in FIELD_NAMES])
    f.setGeometry(QgsGeometry.fromWkt("POLYGON((668000 4861000, 668010 4861000, 668010 4861010, 668000 4861000))"))
    layer.dataProvider().addFeatures([f])
    report = layers.read_works(layer, OwnerRegistry(), ref_prefix="w")
    assert len(report.works) == 1 and [p.code for p in report.problems] == ["uid_assigned"]
    # read as a layer's source: the same uid at every read, said once as information
    named = [layers.read_works(layer, OwnerRegistry(), ref_prefix="w", uid_source=layer.source()) for _ in "12"]
    assert named[0].works[0].uid == named[1].works[0].uid != report.works[0].uid
    said = [(p.code, p.severity.value, p.params) for p in named[0].problems]
    assert said == [("uids_assigned", "info", {"count": 1})]
    work = report.works[0]
    back = layers.work_to_feature(work, layers.works_fields())
    assert back["title"] == "Scavo" and back["start_date"] == QDate(2026, 1, 5)
    assert back.geometry().area() == 50.0
    assert report.problems[0].record == "w #1 «Scavo»"


def test_a_layer_without_crs_is_reported_not_guessed():
    layer = QgsVectorLayer("Polygon?field=title:string", "nocrs", "memory")
    layer.setCrs(QgsCoordinateReferenceSystem())  # as a shapefile without .prj
    f = QgsFeature(layer.fields())
    f.setAttributes(["x"])
    layer.dataProvider().addFeatures([f])
    report = layers.read_works(layer, OwnerRegistry(), ref_prefix="nocrs")
    assert report.works == [] and [p.code for p in report.problems] == ["no_crs"]
