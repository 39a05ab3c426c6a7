"""The dock's Conflicts tab: detection of the store's works, decisions kept as the user makes them."""

from __future__ import annotations

import time

import pytest
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import Qt

from situation_room_plugin.core.conflicts import ConflictKind, conflict_id
from situation_room_plugin.gui.conflicts_panel import COLUMNS, ConflictsPanel
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io.conflict_layers import CONFLICTS_LAYER_PROPERTY
from situation_room_plugin.qgis_io.decisions import load_decisions
from situation_room_plugin.qgis_io.store import Store
from tests.unit.works_builder import box, uid, work

WORKS = [work(0, box(0, 0, 40, 8), 0, 20, title="Rete idrica"), work(1, box(30, 0, 40, 8), 10, 30, title="Fibra"),
         work(2, box(85, 0, 40, 8), 60, 70, title="Gas")]


@pytest.fixture
def panel(qgis_iface, tmp_path):
    path = tmp_path / "project.gpkg"
    with Store.open(path) as store:
        store.write_works(WORKS)
    project_io.set_store_path(path)
    widget = ConflictsPanel(qgis_iface)
    yield widget
    QgsProject.instance().removeEntry(project_io.SCOPE, "store")
    QgsProject.instance().removeMapLayers([layer.id() for layer in QgsProject.instance().mapLayers().values()
                                           if layer.customProperty(CONFLICTS_LAYER_PROPERTY, False)])


def test_the_conflicts_are_drawn_on_the_map_in_one_layer_kept_up_to_date(panel):
    panel.detect(wait=True)
    layers = [lyr for lyr in QgsProject.instance().mapLayers().values()
              if lyr.customProperty(CONFLICTS_LAYER_PROPERTY, False)]
    assert len(layers) == 1 and layers[0].featureCount() == 2
    assert sorted(f["kind"] for f in layers[0].getFeatures()) == ["clash", "opportunity"]
    assert "Clash" in [item.label() for item in layers[0].renderer().legendSymbolItems()]
    panel.distance.setValue(0)  # the opportunity needs the distance: only the clash is left
    panel.detect(wait=True)
    again = [lyr for lyr in QgsProject.instance().mapLayers().values()
             if lyr.customProperty(CONFLICTS_LAYER_PROPERTY, False)]
    assert again == layers and [f["kind"] for f in layers[0].getFeatures()] == ["clash"]


def test_detection_lists_the_conflicts_of_the_store_works(panel):
    panel.detect(wait=True)
    assert panel.table.rowCount() == 2
    kinds = [panel.table.item(r, COLUMNS.index("kind")).text() for r in range(2)]
    assert kinds == ["Clash", "Opportunity"]  # the clash first: an opportunity is good news, not a problem
    assert "3 works: 1 clashes, 1 opportunities" in panel.summary.text()


def test_the_decision_columns_come_right_after_the_kind_in_the_narrow_dock(panel):
    panel.detect(wait=True)
    headers = [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]
    assert headers[:3] == ["Kind", "Status", "Note"]
    assert panel.table.cellWidget(0, 1) is not None  # the status chooser
    assert panel.table.item(0, COLUMNS.index("work")).text() and panel.table.item(0, COLUMNS.index("with")).text()


def test_the_table_names_each_work_by_title_and_organisation(panel):
    panel.detect(wait=True)
    names = {panel.table.item(r, COLUMNS.index(c)).text() for r in range(panel.table.rowCount())
             for c in ("work", "with")}
    assert all(name.endswith(")") and "(" in name for name in names), names
    assert any(name.endswith("(Publiacqua)") for name in names), names


def test_a_status_and_a_note_chosen_in_the_table_are_kept_in_the_store_and_survive_a_rerun(panel):
    panel.detect(wait=True)
    clash = conflict_id(ConflictKind.CLASH, uid(0), uid(1))
    row = next(r for r in range(panel.table.rowCount())
               if panel.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == clash)
    combo = panel.table.cellWidget(row, COLUMNS.index("status"))
    combo.setCurrentIndex(combo.findData("accepted"))
    panel.table.item(row, COLUMNS.index("note")).setText("Turni concordati")
    with Store.open(project_io.store_path()) as store:
        decision = load_decisions(store)[clash]
    assert (decision.status, decision.note) == ("accepted", "Turni concordati")
    panel.detect(wait=True)
    panel.open_only.setChecked(True)
    assert panel.table.rowCount() == 1  # the accepted clash is hidden, the opportunity is open
    panel.open_only.setChecked(False)
    assert panel.outcome.decisions[clash].note == "Turni concordati"


def test_a_conflict_no_longer_found_shows_among_the_gone_ones(panel):
    panel.detect(wait=True)
    with Store.open(project_io.store_path()) as store:
        store.write_works([work(1, box(30, 0, 40, 8), 40, 50, title="Fibra")])
    panel.detect(wait=True)
    panel.show_gone.setChecked(True)
    texts = [panel.table.item(r, COLUMNS.index("dates")).text() for r in range(panel.table.rowCount())]
    assert any(t.startswith("no longer found since") for t in texts)


def test_detection_runs_as_a_background_task(panel):
    panel.detect()
    deadline = time.monotonic() + 30
    while panel.task is not None and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.01)
    assert panel.outcome is not None and len(panel.outcome.conflicts) == 2
    assert panel.detect_button.isEnabled()


def test_places_from_osm_are_read_in_a_background_task(panel, shared_data):
    assert panel.load_osm(path=str(shared_data / "prato" / "prato.osm.pbf")) == []
    assert panel.osm_task is not None and not panel.osm_button.isEnabled()
    deadline = time.monotonic() + 60
    while panel.osm_task is not None and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.01)
    assert panel.osm_button.isEnabled() and panel.sensitive_combo.currentLayer() is not None
    assert "sensitive places" in panel.summary.text()
    added = [panel.sensitive_combo.currentLayer(), panel.parking_combo.currentLayer()]
    assert all(layer.featureCount() > 0 for layer in added)
    QgsProject.instance().removeMapLayers([layer.id() for layer in QgsProject.instance().mapLayers().values()
                                           if layer.name().startswith("OSM")])


def test_places_from_osm_are_added_and_chosen(panel, shared_data):
    added = panel.load_osm(path=str(shared_data / "prato" / "prato.osm.pbf"), wait=True)
    assert len(added) == 3
    assert panel.sensitive_combo.currentLayer() is added[0]
    panel.detect(wait=True)  # with every school and bus stop of Prato: runs, and finds none near these works
    assert all(c.kind in ("clash", "opportunity") for c in panel.outcome.conflicts)
    QgsProject.instance().removeMapLayers([layer.id() for layer in added])


def test_the_partners_works_in_the_shared_layers_copies_are_checked_too(panel):
    from situation_room_plugin.core.sources import Source
    from situation_room_plugin.qgis_io import feed_cache

    gas = work(7, box(2, 2, 10, 4), 5, 9, title="Toscana Energia, allaccio", owner="toscana_energia",
               source="toscana_energia")
    also_in_store = WORKS[2]  # a partner's work already imported into the store counts once
    with Store.open(project_io.store_path()) as store:
        copy = feed_cache.NewCopy(store, Source("toscana_energia", "Cantieri gas", "toscana_energia", "wfs",
                                                "https://gis.example.it/ows", layer="cantieri"))
        copy.add_works([gas, also_in_store])
        copy.replace([])
    panel.detect(wait=True)
    with_gas = conflict_id(ConflictKind.CLASH, uid(0), uid(7))
    assert with_gas in {c.conflict_id for c in panel.outcome.conflicts}
    assert "4 works: 2 clashes" in panel.summary.text()
    panel.shared_check.setChecked(False)
    panel.detect(wait=True)
    assert with_gas not in {c.conflict_id for c in panel.outcome.conflicts}
    assert "3 works: 1 clashes" in panel.summary.text()


def test_an_edit_saved_detects_again_the_conflicts_shown(panel):
    panel.works_edited()
    assert panel.task is None and panel.outcome is None  # nothing shown yet: nothing to follow
    panel.detect(wait=True)
    with Store.open(project_io.store_path()) as store:
        store.delete_works([store.read_works().works[0].uid])
    panel.works_edited()
    deadline = time.monotonic() + 30
    while panel.task is not None and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.01)
    assert panel.outcome.works == 2
