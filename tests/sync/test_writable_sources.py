"""A project's source says whether it is a platform the room writes to: `"writable": true`, only for a works
source of WFS or OGC API Features; anything else is refused naming the source and the key."""

from __future__ import annotations

import json

import pytest

from situation_room_plugin.core.sources import sources_from_json, sources_to_json

PLATFORM = {"id": "piattaforma", "title": "Piattaforma", "owner": "comune", "kind": "wfs",
            "url": "https://sit.comune.prato.it/ows/?SERVICE=WFS", "layer": "works", "writable": True}


def test_a_writable_wfs_source_round_trips_and_a_read_only_one_does_not_say_so():
    [source], problems = sources_from_json(json.dumps([PLATFORM]))
    assert problems == [] and source.writable
    assert json.loads(sources_to_json([source]))["sources"][0]["writable"] is True
    [plain], _ = sources_from_json(json.dumps([{**PLATFORM, "writable": False}]))
    assert not plain.writable and "writable" not in json.loads(sources_to_json([plain]))["sources"][0]


@pytest.mark.parametrize(("change", "code"), [({"kind": "geojson_url"}, "sync_not_writable"),
                                              ({"role": "roads"}, "sync_not_writable"),
                                              ({"writable": "yes"}, "bad_bool")])
def test_a_source_that_cannot_be_written_to_is_refused_by_name(change, code):
    sources, problems = sources_from_json(json.dumps([{**PLATFORM, **change}]))
    assert sources == []
    assert [(p.field, p.code) for p in problems if p.severity.value == "error"] == [("writable", code)]
    assert "piattaforma" in problems[0].record


def test_an_ogc_api_features_platform_may_be_writable():
    [source], problems = sources_from_json(json.dumps([{**PLATFORM, "kind": "ogcapi_features",
                                                         "url": "https://sit.comune.prato.it/ogcapi"}]))
    assert problems == [] and source.writable
