"""Adding works to the store from any layer: the same layer twice adds nothing twice (name-based uids)."""

from __future__ import annotations

import processing
import pytest

from situation_room_plugin.qgis_io.store import Store
from tests.conftest import ROOT

MIXED = ROOT / "tests" / "qgis" / "algorithm_cases" / "data" / "works_validate_mixed.geojson"


def run(store):
    return processing.run("situation_room:add_works_to_store", {"INPUT": str(MIXED), "STORE": str(store)})


def test_the_same_layer_added_twice_is_the_same_works(provider, tmp_path):
    store = tmp_path / "store.gpkg"
    first = run(store)
    assert (first["ADDED_COUNT"], first["UNCHANGED_COUNT"]) == (2, 0)
    second = run(store)
    assert (second["ADDED_COUNT"], second["UPDATED_COUNT"], second["UNCHANGED_COUNT"]) == (0, 0, 2)
    with Store.open(store, create=False) as opened:
        works = opened.read_works().works
    assert len(works) == 2 and {w.revision for w in works} == {1}


def test_validation_gives_the_same_uid_at_every_run(provider):
    uids = [sorted(f["uid"] for f in processing.run("situation_room:validate_works", {
        "INPUT": str(MIXED), "OUTPUT": "memory:"})["OUTPUT"].getFeatures()) for _ in range(2)]
    assert uids[0] == uids[1] and len(uids[0]) == 2


def test_without_a_store_it_says_how_to_get_one(provider):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="has no store"):
        processing.run("situation_room:add_works_to_store", {"INPUT": str(MIXED)})
