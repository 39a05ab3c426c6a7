"""What QGIS Server 3.22 and the triggers do on their own, without the access-control plugin (which refuses every
delete before they are asked): a Delete by a non-id filter is refused by QGIS Server, one by feature id reaches
the GeoPackage, whose trigger refuses it."""

from __future__ import annotations

import uuid

from situation_room_platform import server

from tests.platform.wfst import delete_by_id, equal, features, insert, transaction
from tests.servers.processes import qgis_server


def test_deletes_are_refused_by_qgis_server_by_filter_and_by_the_trigger_by_id(qgis_app, tmp_path):
    _, project = server.prepare_geopackage(tmp_path)
    with qgis_server(project, tmp_path) as plain:  # no QGIS_PLUGINPATH: no access control, no credentials
        url = plain.url("ows/")
        uid = str(uuid.uuid4())
        assert transaction(url, insert("works", {"uid": uid, "title": "Rete", "owner": "publiacqua"}),
                           auth=None).total("Inserted") == 1
        by_filter = transaction(url, f'<wfs:Delete typeName="works"><ogc:Filter>{equal("uid", uid)}</ogc:Filter>'
                                     "</wfs:Delete>", auth=None)
        assert by_filter.total("Deleted") == 0
        assert by_filter.messages == ["No feature ids to do WFS deletes on layer 'works'"], by_filter.text
        old = transaction(url, f'<wfs:Delete typeName="works"><ogc:Filter>{equal("uid", uid)}</ogc:Filter>'
                               "</wfs:Delete>", auth=None, version="1.0.0")
        assert "<ERROR/>" in old.text and "<Locator>Delete:works</Locator>" in old.text, old.text
        fid = features(url, "works", None)[uid]["_id"]
        by_id = transaction(url, delete_by_id("works", fid), auth=None)
        assert by_id.total("Deleted") == 0
        assert any("tombstone" in message for message in by_id.messages), by_id.text
        assert uid in features(url, "works", None)
