"""OGC API Features Part 4 requests of outbox ops (POST a new work with its uid, PUT the whole work, DELETE)
and how the server's answers map onto the outbox."""

from __future__ import annotations

import dataclasses
import json

import pytest

from situation_room_plugin.core.sync import oapif
from situation_room_plugin.core.sync import outbox as ob
from situation_room_plugin.core.sync.oapif import CRS84, ReplyVerdict
from situation_room_plugin.core.sync.outbox import SyncError
from tests.unit.works_builder import box, work


def server_work():
    return work(1, box(0, 0), 0, 10, revision=6)


def test_a_create_is_a_post_of_the_work_with_its_uid_revision_one_and_op_id():
    new = work(2, box(30, 0), 0, 3)
    op = ob.create_op(new)
    request = oapif.request_for(op, "works")
    assert (request.method, request.path) == ("POST", "/collections/works/items")
    assert request.headers["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/6707>"
    feature = json.loads(request.body)
    assert feature["id"] == new.uid and feature["properties"]["uid"] == new.uid
    props = feature["properties"]
    assert (props["revision"], props["last_op_id"], props["deleted"]) == (1, op.op_id, False)
    assert props["start_date"] == new.start_date.isoformat() and props["excavation"] is True
    assert oapif.feature_geometry(feature).equals_exact(new.geometry, 1e-9)


def test_an_update_is_a_put_of_the_whole_work_with_the_change_and_revision_plus_one():
    base = server_work()
    op = ob.update_op(base, dataclasses.replace(base, status="authorized"))
    request = oapif.request_for(op, "works", base)
    assert (request.method, request.path) == ("PUT", f"/collections/works/items/{base.uid}")
    props = json.loads(request.body)["properties"]
    assert props["status"] == "authorized" and props["title"] == base.title
    assert props["revision"] == 7 and props["last_op_id"] == op.op_id


def test_an_update_needs_the_server_copy_it_was_made_against():
    base = server_work()
    op = ob.update_op(base, dataclasses.replace(base, status="authorized"))
    with pytest.raises(SyncError, match=op.op_id):
        oapif.request_for(op, "works", dataclasses.replace(base, revision=9))


def test_a_delete_is_a_delete_of_the_item():
    request = oapif.request_for(ob.delete_op(server_work()), "lavori in corso")
    assert request.method == "DELETE" and request.path.startswith("/collections/lavori%20in%20corso/items/")


def test_a_footprint_sent_in_crs84_comes_back_to_the_same_metres():
    new = work(2, box(30, 0), 0, 3)
    feature = json.loads(oapif.request_for(ob.create_op(new), "works", crs=CRS84).body)
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    assert 11.0 < lon < 11.2 and 43.8 < lat < 43.95  # Prato
    assert ob.same_geometry(oapif.feature_geometry(feature, CRS84), new.geometry, 0.001)


@pytest.mark.parametrize(("kind", "status", "body", "verdict"), [
    ("create", 201, b"", ReplyVerdict.LANDED),
    ("update", 204, b"", ReplyVerdict.UNCLEAR),  # pygeoapi says 204 to a PUT of an item it does not have
    ("create", 500, b'{"code": "NoApplicableCode", "description": "generic error (check logs)"}',
     ReplyVerdict.UNCLEAR),  # pygeoapi 0.21's answer to a second POST of one uid
    ("delete", 200, b"", ReplyVerdict.LANDED),
    ("create", 409, b'{"code": "Conflict", "description": "item already exists"}', ReplyVerdict.UNCLEAR),
    ("create", 500, b'{"description": "UNIQUE constraint failed: works.uid"}', ReplyVerdict.UNCLEAR),
    ("create", 400, b'{"description": "UNIQUE constraint failed: works.uid"}', ReplyVerdict.UNCLEAR),
    ("update", 404, b"", ReplyVerdict.UNCLEAR),
    ("update", 412, b"", ReplyVerdict.UNCLEAR),
    ("delete", None, None, ReplyVerdict.UNCLEAR),
    ("update", 403, b'{"description": "not your work"}', ReplyVerdict.REFUSED),
    ("create", 422, b'{"detail": "end_date before start_date"}', ReplyVerdict.REFUSED),
])
def test_how_answers_map(kind, status, body, verdict):
    base = server_work()
    op = {"create": ob.create_op(work(2, box(30, 0), 0, 3)),
          "update": ob.update_op(base, dataclasses.replace(base, title="x")), "delete": ob.delete_op(base)}[kind]
    reply = oapif.read_reply(op, status, body)
    assert reply.verdict is verdict


def test_a_refusal_keeps_the_servers_description():
    op = ob.delete_op(server_work())
    assert oapif.read_reply(op, 403, b'{"description": "not your work"}').text == "HTTP 403: not your work"
    assert oapif.read_reply(op, 502, b"<html>Bad Gateway</html>").text == "HTTP 502: <html>Bad Gateway</html>"


def test_a_replace_is_trusted_only_when_the_server_is_known_to_check_the_item():
    base = server_work()
    op = ob.update_op(base, dataclasses.replace(base, title="x"))
    assert oapif.read_reply(op, 204, b"", trust_replace=True).verdict is ReplyVerdict.LANDED


def test_a_delete_can_be_a_put_of_the_tombstone_for_a_server_that_would_remove_the_item():
    base = server_work()
    op = ob.delete_op(base)
    request = oapif.request_for(op, "works", base, delete_by_put=True)
    assert (request.method, request.path) == ("PUT", f"/collections/works/items/{base.uid}")
    props = json.loads(request.body)["properties"]
    assert (props["deleted"], props["revision"], props["last_op_id"]) == (True, 7, op.op_id)
    with pytest.raises(SyncError):
        oapif.request_for(op, "works", None, delete_by_put=True)
