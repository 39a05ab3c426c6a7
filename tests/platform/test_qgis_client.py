"""The platform as QGIS reads it: the plugin's shared-layer refresh reads the platform's works over WFS with the
credentials in an authcfg (QGIS's authentication database), and without them reads nothing."""

from __future__ import annotations

import uuid
from dataclasses import replace

from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.sources import Source
from situation_room_plugin.qgis_io import sources as feeds
from situation_room_plugin.qgis_io.store import Store
from tests.platform.conftest import PUBLIACQUA
from tests.platform.wfst import insert, transaction
from tests.qgis.feeds_helpers import basic_authcfg, cached_works


def test_the_plugin_reads_the_platforms_works_with_an_authcfg_and_nothing_without(qgis_new_project, platform,
                                                                                   tmp_path):
    uid = str(uuid.uuid4())
    values = {"uid": uid, "title": "Rete idrica, via Roma", "owner": "publiacqua", "work_type": "excavation",
              "status": "planned", "start_date": "2026-03-02", "end_date": "2026-03-20",
              "traffic_impact": "all-lanes-closed", "excavation": 1}
    assert transaction(f"{platform.url}/ows/", insert("works", values), auth=PUBLIACQUA).total("Inserted") == 1
    source = Source(id="platform", title="Piattaforma", owner="comune", kind="wfs", url=f"{platform.url}/ows/",
                    layer="works", version="1.1.0", authcfg=basic_authcfg(*PUBLIACQUA))
    with Store.open(tmp_path / "project.gpkg") as store:
        result = feeds.refresh(source, store, OwnerRegistry())
        works = {work["uid"]: work for work in cached_works(store, "platform")}
    assert result.ok, result.error
    work = works[uid]
    assert (work["title"], work["owner"], work["work_type"], work["start_date"], work["end_date"]) == (
        "Rete idrica, via Roma", "publiacqua", "excavation", "2026-03-02", "2026-03-20")
    assert work["revision"] == 1
    xmin, ymin, xmax, ymax = work["geometry"].bounds
    assert (round(xmin), round(ymin), round(xmax), round(ymax)) == (664_000, 4_858_000, 664_012, 4_858_008)
    with Store.open(tmp_path / "other.gpkg") as store:
        refused = feeds.refresh(replace(source, authcfg=""), store, OwnerRegistry())
    assert not refused.ok
    assert "401" in str(refused.error) and "authcfg" in str(refused.error), refused.error
