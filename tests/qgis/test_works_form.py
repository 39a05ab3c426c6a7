"""The works form (from the schema) and the one edit path of a works layer: every commit is stamped."""

from __future__ import annotations

from datetime import date

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer, QgsVectorLayerUtils
from qgis.PyQt.QtCore import QDate

from situation_room_plugin.core.edits import EditKind
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.qgis_io.store import Store, works_layer_uri
from situation_room_plugin.qgis_io.works_edits import WorksEditPath
from situation_room_plugin.qgis_io.works_form import configure_works_form, is_works_layer, save_as_default_style
from tests.unit.factories import PRATO_X, PRATO_Y
from tests.unit.works_builder import box, work

SQUARE = f"MultiPolygon((({PRATO_X} {PRATO_Y}, {PRATO_X + 8} {PRATO_Y}, {PRATO_X + 8} {PRATO_Y + 30}, " \
         f"{PRATO_X} {PRATO_Y + 30}, {PRATO_X} {PRATO_Y})))"


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store.gpkg"
    with Store.open(path) as store:
        store.write_works([work(1, box(0, 0), 0, 5, revision=3, updated_by="mario")])
    return path


@pytest.fixture
def works_layer(store_path):
    layer = QgsVectorLayer(works_layer_uri(store_path), "Lavori", "ogr")
    assert layer.isValid()
    configure_works_form(layer, OwnerRegistry(), "estracom")
    return layer


@pytest.fixture
def edit_path(works_layer):
    path = WorksEditPath(works_layer, user=lambda: "anna", organisation=lambda: "estracom",
                         owners=OwnerRegistry)
    seen = {"records": [], "problems": []}
    path.committed.connect(seen["records"].extend)
    path.problems_found.connect(seen["problems"].extend)
    path.seen = seen
    return path


def new_feature(layer):
    return QgsVectorLayerUtils.createFeature(layer, QgsGeometry.fromWkt(SQUARE), {}, layer.createExpressionContext())


def read_back(store_path):
    with Store.open(store_path, create=False) as store:
        return {w.uid: w for w in store.read_works().works}


def test_the_form_is_built_from_the_schema(works_layer):
    fields = works_layer.fields()
    assert is_works_layer(works_layer)
    assert fields.field("owner").alias() == "Organisation"
    status = works_layer.editorWidgetSetup(fields.indexOf("status"))
    assert status.type() == "ValueMap"
    assert {v for entry in status.config()["map"] for v in entry.values()} == {
        "draft", "planned", "authorized", "in_progress", "completed", "cancelled"}
    owners = works_layer.editorWidgetSetup(fields.indexOf("owner")).config()["map"]
    assert {"Estracom": "estracom"} in owners and len(owners) == len(OwnerRegistry())
    assert works_layer.editorWidgetSetup(fields.indexOf("start_date")).type() == "DateTime"
    form = works_layer.editFormConfig()
    assert [n for n in fields.names() if form.readOnly(fields.indexOf(n))] == [
        "uid", "created_at", "updated_at", "revision", "updated_by", "source"]


def test_a_new_feature_has_the_defaults_and_the_form_says_what_core_says(works_layer):
    feature = new_feature(works_layer)
    assert len(feature["uid"]) == 36 and feature["owner"] == "estracom" and feature["status"] == "draft"
    feature["title"] = "Via Roma"
    feature["start_date"], feature["end_date"] = QDate(2026, 12, 9), QDate(2026, 12, 3)
    index = works_layer.fields().indexOf("end_date")
    ok, errors = QgsVectorLayerUtils.validateAttribute(works_layer, feature, index)
    assert not ok and "The end date is before the start date." in errors[0]
    feature["end_date"] = QDate(2026, 12, 12)
    assert QgsVectorLayerUtils.validateAttribute(works_layer, feature, index)[0]
    feature["daily_hours"] = "8-12"
    assert not QgsVectorLayerUtils.validateAttribute(works_layer, feature, works_layer.fields().indexOf(
        "daily_hours"))[0]
    feature["daily_hours"] = "08:00-12:00, 14:00-18:00"
    assert QgsVectorLayerUtils.validateAttribute(works_layer, feature, works_layer.fields().indexOf(
        "daily_hours"))[0]


def test_the_form_is_kept_in_the_geopackage(works_layer, store_path):
    assert save_as_default_style(works_layer) == ""
    again = QgsVectorLayer(works_layer_uri(store_path), "again", "ogr")
    assert again.fields().field("owner").alias() == "Organisation"
    assert again.editorWidgetSetup(again.fields().indexOf("work_type")).type() == "ValueMap"


def test_a_new_work_saved_through_the_layer_is_stamped(works_layer, edit_path, store_path):
    feature = new_feature(works_layer)
    feature["title"], feature["work_type"] = "Posa fibra, Via Roma", "excavation"
    feature["start_date"], feature["end_date"] = QDate(2026, 12, 3), QDate(2026, 12, 10)
    feature["revision"] = 7  # typed over: the store's field is the store's
    assert works_layer.startEditing() and works_layer.addFeature(feature)
    assert works_layer.commitChanges(), works_layer.commitErrors()
    works = read_back(store_path)
    new = works[feature["uid"]]
    assert (new.owner, new.status, new.revision, new.updated_by) == ("estracom", "draft", 1, "anna")
    assert new.created_at is not None and new.created_at == new.updated_at
    assert [r.kind for r in edit_path.seen["records"]] == [EditKind.CREATED]
    assert edit_path.seen["problems"] == []


def test_an_attribute_table_edit_bumps_the_revision_and_a_save_of_nothing_does_not(works_layer, edit_path,
                                                                                   store_path):
    fid = next(works_layer.getFeatures()).id()
    works_layer.startEditing()
    works_layer.changeAttributeValue(fid, works_layer.fields().indexOf("status"), "in_progress")
    works_layer.changeAttributeValue(fid, works_layer.fields().indexOf("updated_by"), "someone else")
    assert works_layer.commitChanges()
    stored = read_back(store_path)[work(1, None, 0, 5).uid]
    assert (stored.status, stored.revision, stored.updated_by) == ("in_progress", 4, "anna")
    record = edit_path.seen["records"][0]
    assert record.kind is EditKind.UPDATED and record.changes == {"status": ("planned", "in_progress")}
    works_layer.startEditing()
    works_layer.changeAttributeValue(fid, works_layer.fields().indexOf("status"), "in_progress")
    assert works_layer.commitChanges()
    assert read_back(store_path)[stored.uid].revision == 4 and len(edit_path.seen["records"]) == 1


def test_a_geometry_edit_and_a_delete_go_through_the_same_path(works_layer, edit_path, store_path):
    fid = next(works_layer.getFeatures()).id()
    works_layer.startEditing()
    works_layer.changeGeometry(fid, QgsGeometry.fromWkt(SQUARE))
    assert works_layer.commitChanges()
    assert read_back(store_path)[work(1, None, 0, 5).uid].revision == 4
    works_layer.startEditing()
    works_layer.deleteFeature(fid)
    assert works_layer.commitChanges()
    assert read_back(store_path) == {}
    kinds = [(r.kind, r.revision) for r in edit_path.seen["records"]]
    assert kinds == [(EditKind.UPDATED, 4), (EditKind.DELETED, 4)]


def test_a_pasted_copy_of_a_stored_work_becomes_a_new_work(works_layer, edit_path, store_path):
    original = next(works_layer.getFeatures())
    # as QGIS's paste does: the attributes given, the primary key left to its default
    attributes = {i: v for i, v in enumerate(original.attributes()) if works_layer.fields()[i].name() != "fid"}
    copy = QgsVectorLayerUtils.createFeature(works_layer, original.geometry(), attributes,
                                             works_layer.createExpressionContext())
    works_layer.startEditing()
    assert works_layer.addFeature(copy)
    assert works_layer.commitChanges(), works_layer.commitErrors()
    works = read_back(store_path)
    assert len(works) == 2 and original["uid"] in works
    new = next(w for uid, w in works.items() if uid != original["uid"])
    assert new.title == original["title"] and new.revision == 1


def test_a_work_saved_with_an_error_is_kept_and_named(works_layer, edit_path, store_path):
    feature = new_feature(works_layer)
    feature["title"] = "Scavo senza date"
    works_layer.startEditing()
    works_layer.addFeature(feature)
    assert works_layer.commitChanges()
    problems = edit_path.seen["problems"]
    assert {p.field for p in problems} == {"start_date", "end_date"}
    assert all("Scavo senza date" in p.record for p in problems)
    assert works_layer.featureCount() == 2  # nothing lost


def test_dates_saved_are_the_days_typed(works_layer, edit_path, store_path):
    feature = new_feature(works_layer)
    feature["title"] = "Asfaltatura"
    feature["start_date"], feature["end_date"] = QDate(2026, 12, 31), QDate(2027, 1, 2)
    works_layer.startEditing()
    works_layer.addFeature(feature)
    works_layer.commitChanges()
    saved = read_back(store_path)[feature["uid"]]
    assert (saved.start_date, saved.end_date) == (date(2026, 12, 31), date(2027, 1, 2))


def test_the_default_owner_is_each_users_not_the_one_saved_in_the_file(works_layer, store_path):
    from situation_room_plugin.qgis_io.works_form import set_organisation_variable

    save_as_default_style(works_layer)  # saved by an Estracom user
    try:
        set_organisation_variable("publiacqua")  # opened by a Publiacqua user
        again = QgsVectorLayer(works_layer_uri(store_path), "again", "ogr")
        assert new_feature(again)["owner"] == "publiacqua"
    finally:
        set_organisation_variable("estracom")


def test_a_cut_and_paste_moves_a_work_and_keeps_its_uid(works_layer, edit_path, store_path):
    original = next(works_layer.getFeatures())
    works_layer.startEditing()
    works_layer.deleteFeature(original.id())
    moved = QgsFeature(original)  # the same attributes, a new place, no primary key yet
    moved.setAttribute("fid", None)
    moved.setGeometry(QgsGeometry.fromWkt(SQUARE))
    works_layer.addFeature(moved)
    assert works_layer.commitChanges(), works_layer.commitErrors()
    assert list(read_back(store_path)) == [original["uid"]]
