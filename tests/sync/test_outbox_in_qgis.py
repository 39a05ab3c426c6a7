"""The outbox is written by the store's triggers in the transaction of the edit, whoever edits: QGIS's own
OGR provider (the form, the attribute table, a paste, through the works edit path), the Store, Processing;
the GeoPackage stays one QGIS opens, with its spatial index working; pulled changes write no outbox row."""

from __future__ import annotations

import pytest
from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QDate

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sync.settle import ServerCopy
from situation_room_plugin.qgis_io import sync_store as ss
from situation_room_plugin.qgis_io.store import Store, works_layer_uri
from situation_room_plugin.qgis_io.works_edits import WorksEditPath
from tests.sync.helpers import add, new_work, outbox


@pytest.fixture
def two_works(tmp_path):
    path = tmp_path / "project.gpkg"
    first, second = new_work(1), new_work(2)
    add(path, [first, second], "anna", "publiacqua")
    with Store.open(path) as store, store.transaction() as conn:
        conn.execute("DELETE FROM sync_outbox")  # as if pushed
    return path, first, second


@pytest.fixture
def layer(two_works):
    layer = QgsVectorLayer(works_layer_uri(two_works[0]), "works", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture
def edit_path(layer):
    return WorksEditPath(layer, user=lambda: "anna", organisation=lambda: "publiacqua", owners=OwnerRegistry)


def test_edits_made_in_qgis_are_in_the_outbox_and_the_geopackage_stays_valid(two_works, layer, edit_path):
    path, first, second = two_works
    assert layer.startEditing()
    by_uid = {f["uid"]: f for f in layer.getFeatures()}
    layer.changeAttributeValue(by_uid[first.uid].id(), layer.fields().indexOf("status"), "authorized")
    layer.deleteFeature(by_uid[second.uid].id())
    new = QgsFeature(layer.fields())
    new["title"] = "Disegnato in QGIS"
    new["work_type"] = "excavation"
    new["start_date"], new["end_date"] = QDate(2026, 10, 1), QDate(2026, 10, 3)
    new.setGeometry(QgsGeometry.fromWkt("MULTIPOLYGON(((668100 4861100, 668120 4861100, 668120 4861120, "
                                        "668100 4861100)))"))
    assert layer.addFeature(new)
    assert layer.commitChanges(), layer.commitErrors()
    rows = outbox(path)
    kinds = {kind: (uid, state) for uid, kind, state in rows}
    assert kinds["update"] == (first.uid, "pending") and kinds["delete"] == (second.uid, "pending")
    created = kinds["create"][0]
    assert created not in (first.uid, second.uid) and len(rows) in (3, 4)  # QGIS may write a create in two steps
    with Store.open(path) as store, store.reading() as conn:
        base = conn.execute("SELECT base_revision FROM sync_outbox WHERE kind = 'update'").fetchone()[0]
        assert base == 1  # the revision before the edit (the edit path made it 2)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = QgsVectorLayer(works_layer_uri(path), "works", "ogr")
    assert again.isValid() and again.featureCount() == 2
    assert again.dataProvider().hasSpatialIndex() == again.dataProvider().SpatialIndexPresent
    hits = [f["title"] for f in again.getFeatures(QgsFeatureRequest(QgsRectangle(668_095, 4_861_095,
                                                                                  668_125, 4_861_125)))]
    assert hits == ["Disegnato in QGIS"]  # the R-tree triggers kept the index in step


def test_applying_the_servers_copies_writes_no_outbox_row(tmp_path):
    path = tmp_path / "project.gpkg"
    with Store.open(path) as store, store.transaction() as conn:
        theirs = new_work(3, owner="estracom")
        ss.apply_works(conn, [theirs])
        ss.write_copies(conn, "sync_base", [ServerCopy(theirs, 7, "op")])
        assert conn.execute("SELECT count(*) FROM sync_applying").fetchone()[0] == 0  # the guard is lifted after
    assert outbox(path) == []
    with Store.open(path) as store:
        assert [w.uid for w in store.read_works().works] == [theirs.uid]
        store.delete_works([theirs.uid])  # a local delete after it: an op
    assert [(kind, state) for _, kind, state in outbox(path)] == [("delete", "pending")]
