"""The project store is a GeoPackage QGIS reads and edits as its own, and the store sees QGIS's edits."""

from __future__ import annotations

from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import QDate, QVariant

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import FIELD_NAMES, work_from_record
from situation_room_plugin.qgis_io.store import Store, works_layer_uri
from tests.unit.factories import record, square


def test_qgis_opens_edits_and_extends_the_works_layer_and_the_store_reads_it_back(tmp_path):
    path = tmp_path / "project.gpkg"
    work, _ = work_from_record(record(), square(), ref="r", owners=OwnerRegistry())
    with Store.open(path) as store:
        store.write_works([work])

    layer = QgsVectorLayer(works_layer_uri(path), "works", "ogr")
    assert layer.isValid()
    assert layer.wkbType() == QgsWkbTypes.Type.MultiPolygon
    assert layer.crs().authid() == "EPSG:6707"
    assert [f.name() for f in layer.fields()][1:] == list(FIELD_NAMES)  # fid first
    assert layer.fields().field("start_date").type() == QVariant.Type.Date
    assert layer.featureCount() == 1
    assert layer.extent().xMinimum() == 668_000

    # A technician edits the work and draws a new one in QGIS.
    feature = next(layer.getFeatures())
    assert layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("status"), "authorized")
    new = QgsFeature(layer.fields())
    new["uid"] = "0f8fad5b-d9cb-469f-a165-70867728950e"
    new["title"] = "Nuovo cantiere disegnato"
    new["owner"] = "estracom"
    new["work_type"] = "excavation"
    new["start_date"] = QDate(2026, 10, 1)
    new["end_date"] = QDate(2026, 10, 3)
    new.setGeometry(QgsGeometry.fromWkt("MULTIPOLYGON(((668100 4861100, 668120 4861100, 668120 4861120, "
                                        "668100 4861100)))"))
    assert layer.addFeature(new)
    assert layer.commitChanges(), layer.commitErrors()
    del layer

    with Store.open(path) as store:
        report = store.read_works()
    assert report.problems == []
    by_title = {w.title: w for w in report.works}
    assert by_title["Rifacimento rete idrica via Roma"].status == "authorized"
    drawn = by_title["Nuovo cantiere disegnato"]
    assert drawn.owner == "estracom" and drawn.geometry.area == 200


def test_the_spatial_index_written_by_the_store_is_used_by_qgis(tmp_path):
    from qgis.core import QgsFeatureRequest, QgsRectangle

    path = tmp_path / "project.gpkg"
    works = [work_from_record(record(uid=None, title=f"w{i}"), square(668_000 + 100 * i), ref=str(i),
                              owners=OwnerRegistry())[0] for i in range(20)]
    with Store.open(path) as store:
        store.write_works(works)
    layer = QgsVectorLayer(works_layer_uri(path), "works", "ogr")
    assert layer.dataProvider().hasSpatialIndex() == layer.dataProvider().SpatialIndexPresent
    hits = [f["title"] for f in layer.getFeatures(QgsFeatureRequest(QgsRectangle(668_250, 4_860_990,
                                                                                   668_360, 4_861_020)))]
    assert sorted(hits) == ["w3"]


def test_reading_the_owner_registry_of_an_older_store_writes_nothing(tmp_path, monkeypatch):
    from qgis.core import QgsProject

    from situation_room_plugin.qgis_io import project as project_io
    from situation_room_plugin.qgis_io import schema

    path = tmp_path / "old.gpkg"
    with monkeypatch.context() as patch:  # a store made by a version without the offline copies
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
        Store.open(path).close()
    before = path.read_bytes()
    project = QgsProject()
    project_io.set_store_path(path, project)
    assert "publiacqua" in project_io.owner_registry(project)
    assert path.read_bytes() == before
    with Store.open(path, create=False) as store:
        assert store.pending_migrations[0] == "0004_feed_cache"  # and every migration after it
