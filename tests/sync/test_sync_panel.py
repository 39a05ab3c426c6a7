"""The dock's Sync tab against the real platform: the changes waiting, a push, the last sync said, a conflict
reviewed in its dialog (base, mine, theirs) and resolved; the works waiting outlined on the map."""

from __future__ import annotations

from qgis.core import QgsProject

from situation_room_plugin.gui.sync_panel import PENDING_LAYER_PROPERTY, ConflictDialog, SyncPanel
from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.toolbelt.settings import Settings
from situation_room_plugin.workflows import sync as workflow
from tests.sync.helpers import add, edit, new_work, server_works, works


def pending_layers():
    return [lyr for lyr in QgsProject.instance().mapLayers().values()
            if lyr.customProperty(PENDING_LAYER_PROPERTY, False)]


def test_the_tab_sends_the_changes_waiting_and_a_conflict_is_resolved_in_its_dialog(
        qgis_iface, qgis_new_project, platform, sources, tmp_path):
    settings = Settings.load()
    settings.organisation = "publiacqua"
    settings.save()
    store, other = tmp_path / "publiacqua.gpkg", tmp_path / "comune.gpkg"
    work = new_work(1, title="Rete idrica via Roma")
    add(store, [work], "anna", "publiacqua")
    project = QgsProject.instance()
    project_io.set_store_path(store, project)
    feeds.write_registry([sources["publiacqua"]], project)
    panel = SyncPanel(qgis_iface)
    try:
        assert panel.source_combo.count() == 1 and panel.pending_table.rowCount() == 1
        assert panel.pending_table.item(0, 0).text() == "Rete idrica via Roma"
        assert len(pending_layers()) == 1 and pending_layers()[0].featureCount() == 1
        panel.run(workflow.Direction.PUSH.value, wait=True)
        assert work.uid in server_works(platform.wfs_url)
        assert panel.pending_table.rowCount() == 0 and pending_layers()[0].featureCount() == 0
        assert "1 sent" in panel.status.text()
        # the Comune changes the title on the platform while Publiacqua changes it here: a conflict
        workflow.sync(other, sources["comune"], workflow.Direction.PULL.value)
        edit(other, work.uid, "marco", title="Rete idrica via Roma (Comune)")
        workflow.sync(other, sources["comune"], workflow.Direction.PUSH.value, organisation="comune")
        edit(store, work.uid, "anna", title="Rete idrica via Roma, lotto 2")
        panel.run(workflow.Direction.BOTH.value, wait=True)
        assert panel.conflicts_table.rowCount() == 1
        dialog = panel.review(0)
        assert isinstance(dialog, ConflictDialog)
        assert [dialog.table.item(0, c).text() for c in range(1, 4)] == [
            "Rete idrica via Roma", "Rete idrica via Roma, lotto 2", "Rete idrica via Roma (Comune)"]
        dialog.theirs.setChecked(True)
        dialog.accept()
        assert panel.conflicts_table.rowCount() == 0
        assert works(store)[work.uid].title == "Rete idrica via Roma (Comune)"
    finally:
        QgsProject.instance().removeMapLayers([lyr.id() for lyr in pending_layers()])
        settings.organisation = ""
        settings.save()
