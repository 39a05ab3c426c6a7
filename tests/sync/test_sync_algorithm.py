"""situation_room:sync through processing.run: a project's store synced with its writable source, the counts as
outputs and each refused change in REPORT; a source that is not writable is refused by name."""

from __future__ import annotations

from dataclasses import replace

import processing
import pytest
from qgis.core import QgsProcessingException, QgsProject

from situation_room_plugin.qgis_io import project as project_io
from situation_room_plugin.qgis_io import sources as feeds
from tests.sync.helpers import add, new_work, outbox, server_works


def test_the_algorithm_pushes_pulls_and_counts_naming_the_refused_change(provider, qgis_new_project,
                                                                         platform, sources, tmp_path):
    store = tmp_path / "publiacqua.gpkg"
    mine = [new_work(i) for i in range(3)]
    not_ours = new_work(9, owner="estracom")  # publiacqua may not create Estracom's works
    add(store, [*mine, not_ours], "anna", "publiacqua")
    project = QgsProject.instance()
    project_io.set_store_path(store, project)
    feeds.write_registry([sources["publiacqua"]], project)
    result = processing.run("situation_room:sync", {"SOURCE": "platform", "DIRECTION": 2, "REPORT": "memory:"})
    assert (result["SENT"], result["REFUSED"], result["FAILED"]) == (3, 1, 0)
    assert result["RECEIVED"] == 0 and result["CONFLICTS"] == 0
    rows = [f.attributes() for f in result["REPORT"].getFeatures()]
    assert [(r[0], r[3]) for r in rows] == [(f"uid {not_ours.uid}", "sync_refused")]
    assert "permission" in rows[0][4]
    on_server = server_works(platform.wfs_url)
    assert {w.uid for w in mine} <= set(on_server) and not_ours.uid not in on_server
    assert [(uid, state) for uid, _, state in outbox(store)] == [(not_ours.uid, "refused")]


def test_a_source_that_is_not_writable_is_refused_by_its_id(provider, qgis_new_project, sources, tmp_path):
    store = tmp_path / "store.gpkg"
    add(store, [new_work(1)], "anna", "publiacqua")
    project = QgsProject.instance()
    project_io.set_store_path(store, project)
    feeds.write_registry([replace(sources["publiacqua"], writable=False)], project)
    with pytest.raises(QgsProcessingException, match="No writable source with id platform"):
        processing.run("situation_room:sync", {"SOURCE": "platform", "DIRECTION": 0})
