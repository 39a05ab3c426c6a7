"""The platform through QGIS Server 3.22's WFS-T, as the sync client uses it (on a GeoPackage and on PostGIS):
inserts carry the uid, updates are filtered by uid and base revision and raise it by one, deletes are
tombstones; the access control lets an organisation edit only its own works, the Comune's users every work."""

from __future__ import annotations

import base64
import re
import uuid

import pytest
import requests
from situation_room_platform import server

from tests.platform.conftest import COMUNE, ESTRACOM, PUBLIACQUA, write_access_file
from tests.platform.wfst import changes_after, delete_by_id, features, insert, transaction, update


def ows(platform: server.Platform) -> str:
    return f"{platform.url}/ows/"


def new_work(platform: server.Platform, owner: str = "publiacqua", auth=PUBLIACQUA, **values) -> str:
    uid = str(uuid.uuid4())
    answer = transaction(ows(platform), insert("works", {"uid": uid, "title": "Rete idrica", "owner": owner,
                                                         "last_op_id": f"op-{uid}", **values}), auth=auth)
    assert answer.status == 200 and answer.total("Inserted") == 1, answer.text
    return uid


def work(platform: server.Platform, uid: str) -> dict:
    return features(ows(platform), "works", COMUNE)[uid]


def test_an_insert_keeps_the_clients_uid_and_the_server_stamps_it(platform):
    uid = str(uuid.uuid4())
    answer = transaction(ows(platform), insert("works", {"uid": uid, "title": "Rete idrica", "owner": "publiacqua",
                                                         "last_op_id": f"op-{uid}"}), auth=PUBLIACQUA)
    assert answer.total("Inserted") == 1
    new_id = re.search(r'<ogc:FeatureId fid="([^"]+)"/>', answer.text).group(1)  # InsertResults
    record = work(platform, uid)
    assert record["_id"] == new_id and new_id.startswith("works.")
    assert record["owner"] == "publiacqua" and record["revision"] == 1 and record["last_op_id"] == f"op-{uid}"
    assert record["server_seq"] >= 1 and record["deleted"] is False
    assert isinstance(record["updated_at"], str) and record["updated_at"].startswith("20")
    # the GeoPackage's UTC text comes back without its Z (PostGIS's timestamptz keeps it)
    assert record["updated_at"].endswith("Z") == (platform.kind == "postgis")
    lon, lat = record["_geometry"]["coordinates"][0][0][0]
    assert 11.0 < lon < 11.1 and 43.8 < lat < 43.9  # the square in Prato


def test_a_second_insert_of_a_uid_is_refused(platform):
    uid = new_work(platform)
    answer = transaction(ows(platform), insert("works", {"uid": uid, "title": "Doppio", "owner": "publiacqua"}),
                         auth=PUBLIACQUA)
    assert answer.total("Inserted") == 0 and answer.messages == ["Insert features failed on layer 'works'"]
    assert work(platform, uid)["title"] == "Rete idrica"


def test_an_update_on_the_base_revision_passes_once_and_a_stale_one_updates_nothing(platform):
    uid = new_work(platform)
    seq = work(platform, uid)["server_seq"]
    change = update("works", "uid", uid, 1, {"title": "Rete idrica, via Roma", "revision": 2, "last_op_id": "op-2"})
    first = transaction(ows(platform), change, auth=PUBLIACQUA)
    assert first.total("Updated") == 1 and not first.messages, first.text
    again = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Perso", "revision": 2}),
                        auth=PUBLIACQUA)
    assert again.status == 200 and again.total("Updated") == 0 and not again.messages, again.text
    record = work(platform, uid)
    assert (record["title"], record["revision"], record["last_op_id"]) == ("Rete idrica, via Roma", 2, "op-2")
    assert record["server_seq"] > seq


def test_an_update_that_does_not_raise_the_revision_by_one_is_refused_by_the_trigger(platform):
    uid = new_work(platform)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Salto", "revision": 5}),
                         auth=PUBLIACQUA)
    assert answer.total("Updated") == 0
    assert any("revision" in message for message in answer.messages), answer.text
    assert work(platform, uid)["revision"] == 1


@pytest.mark.parametrize("who", [PUBLIACQUA, COMUNE], ids=["the owner", "the Comune"])
def test_no_one_changes_the_owner_of_a_work(platform, who):
    uid = new_work(platform)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"owner": "estracom", "revision": 2}),
                         auth=who)
    assert answer.total("Updated") == 0
    assert any("owner" in message for message in answer.messages), answer.text
    assert work(platform, uid)["owner"] == "publiacqua"


def test_an_unknown_property_is_skipped_and_the_rest_of_the_update_applied(platform):
    uid = new_work(platform)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"no_such_field": "x", "title": "Nuovo",
                                                                        "revision": 2}), auth=PUBLIACQUA)
    assert answer.total("Updated") == 1 and not answer.messages, answer.text
    assert work(platform, uid)["title"] == "Nuovo"


def test_publiacqua_cannot_edit_estracoms_work_but_the_comune_can(platform):
    uid = new_work(platform, owner="estracom", auth=ESTRACOM)
    refused = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Di Publiacqua", "revision": 2}),
                          auth=PUBLIACQUA)
    assert refused.total("Updated") == 0 and any("permission" in m for m in refused.messages), refused.text
    assert work(platform, uid)["title"] == "Rete idrica"
    allowed = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Dal Comune", "revision": 2}),
                          auth=COMUNE)
    assert allowed.total("Updated") == 1, allowed.text
    assert work(platform, uid)["title"] == "Dal Comune"


def test_an_organisation_inserts_only_works_of_its_own(platform):
    uid = str(uuid.uuid4())
    answer = transaction(ows(platform), insert("works", {"uid": uid, "title": "Finta", "owner": "estracom"}),
                         auth=PUBLIACQUA)
    assert answer.total("Inserted") == 0 and answer.messages
    assert uid not in features(ows(platform), "works", COMUNE)


@pytest.mark.parametrize("auth", [None, ("anna", "wrong"), ("nobody", "acqua-2026")],
                         ids=["no credentials", "wrong password", "unknown user"])
def test_without_valid_credentials_nothing_is_edited_or_read(platform, auth):
    uid = new_work(platform)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Anonimo", "revision": 2}),
                         auth=auth)
    assert answer.status == 401
    assert work(platform, uid)["title"] == "Rete idrica"
    read = requests.get(ows(platform), params={"SERVICE": "WFS", "REQUEST": "GetCapabilities"}, auth=auth,
                        timeout=60)
    assert read.status_code == 401 and read.headers["WWW-Authenticate"].startswith("Basic")


def test_the_authorization_header_is_read_however_the_client_spells_it(platform):
    token = base64.b64encode(":".join(PUBLIACQUA).encode()).decode()
    for name in ("Authorization", "authorization", "AUTHORIZATION"):
        answer = requests.get(ows(platform), params={"SERVICE": "WFS", "REQUEST": "GetCapabilities"},
                              headers={name: f"Basic {token}"}, timeout=60)
        assert answer.status_code == 200, name


def test_anonymous_reading_when_allowed_is_still_no_editing(platform, access_file):
    uid = new_work(platform)
    write_access_file(access_file, anonymous_read=True)  # the plugin reads the file again when it changes
    try:
        assert uid in features(ows(platform), "works", None)
        answer = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Anonimo", "revision": 2}),
                             auth=None)
        # a layer the user may not edit at all: 403 and a Security exception, no TransactionResponse
        assert answer.status == 403 and "No permissions to do WFS changes" in answer.text, answer.text
    finally:
        write_access_file(access_file)
    assert work(platform, uid)["title"] == "Rete idrica"


def test_an_unreadable_access_file_refuses_every_request_saying_so(platform, access_file):
    access_file.write_text("{not json", encoding="utf-8")
    try:
        answer = requests.get(ows(platform), params={"SERVICE": "WFS", "REQUEST": "GetCapabilities"},
                              auth=PUBLIACQUA, timeout=60)
    finally:
        write_access_file(access_file)
    assert answer.status_code == 500 and "access file cannot be read" in answer.text, answer.text
    assert "cannot read the access file" in platform.log.read_text()  # the log names the file and the problem


def test_a_work_is_deleted_by_a_tombstone_and_a_real_delete_is_refused(platform):
    uid = new_work(platform)
    fid = work(platform, uid)["_id"]
    refused = transaction(ows(platform), delete_by_id("works", fid), auth=COMUNE)
    assert refused.total("Deleted") == 0 and refused.messages, refused.text
    tombstone = transaction(ows(platform), update("works", "uid", uid, 1, {"deleted": 1, "revision": 2}),
                            auth=PUBLIACQUA)
    assert tombstone.total("Updated") == 1, tombstone.text
    record = work(platform, uid)
    assert record["deleted"] is True and record["revision"] == 2


def test_the_actions_of_a_request_run_updates_first_then_inserts_each_committed_on_its_own(platform):
    uid, other = str(uuid.uuid4()), new_work(platform)
    answer = transaction(
        ows(platform),
        insert("works", {"uid": uid, "title": "Nuovo", "owner": "publiacqua"}),
        update("works", "uid", uid, 1, {"title": "Aggiornato", "revision": 2}),  # before its insert: nothing
        update("works", "uid", other, 1, {"title": "Salto", "revision": 7}),  # refused by the trigger
        auth=PUBLIACQUA)
    assert answer.total("Inserted") == 1 and answer.total("Updated") == 0, answer.text
    records = features(ows(platform), "works", COMUNE)
    assert records[uid]["title"] == "Nuovo" and records[uid]["revision"] == 1
    assert records[other]["revision"] == 1


def test_the_first_update_of_a_request_stays_when_a_later_one_fails(platform):
    first, second = new_work(platform), new_work(platform)
    answer = transaction(ows(platform),
                         update("works", "uid", first, 1, {"title": "Fatto", "revision": 2}),
                         update("works", "uid", second, 1, {"title": "Salto", "revision": 9}),
                         auth=PUBLIACQUA)
    records = features(ows(platform), "works", COMUNE)
    assert records[first]["title"] == "Fatto" and records[second]["revision"] == 1, answer.text
    assert answer.total("Updated") == 1, answer.text


def test_wfs_1_0_transactions_pass_too_with_only_a_status(platform):
    uid = new_work(platform)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Uno zero", "revision": 2}),
                         auth=PUBLIACQUA, version="1.0.0")
    assert answer.status == 200 and "<SUCCESS/>" in answer.text, answer.text
    assert work(platform, uid)["title"] == "Uno zero"


def test_decisions_are_edited_by_their_owner_and_results_only_by_the_comune(platform):
    conflict = f"clash:{uuid.uuid4()}"
    decision = {"conflict_id": conflict, "kind": "clash", "uid_a": "a", "uid_b": "b", "status": "acknowledged",
                "note": "Sentiti", "owner": "publiacqua"}
    assert transaction(ows(platform), insert("conflict_decisions", decision, geometry=False),
                       auth=PUBLIACQUA).total("Inserted") == 1
    result = {"conflict_id": conflict, "kind": "clash", "uid_a": "a", "uid_b": "b", "severity": 40,
              "owner": "publiacqua"}
    refused = transaction(ows(platform), insert("published_conflicts", result), auth=PUBLIACQUA)
    assert refused.status == 403 and "No permissions to do WFS changes" in refused.text, refused.text
    allowed = transaction(ows(platform), insert("published_conflicts", {**result, "owner": "comune"}), auth=COMUNE)
    assert allowed.total("Inserted") == 1, allowed.text
    assert features(ows(platform), "conflict_decisions", COMUNE)[conflict]["note"] == "Sentiti"
    assert features(ows(platform), "published_conflicts", PUBLIACQUA)[conflict]["severity"] == 40


def test_a_second_update_of_the_same_record_in_one_request_matches_nothing(platform):
    uid = new_work(platform)
    answer = transaction(ows(platform),
                         update("works", "uid", uid, 1, {"title": "Primo", "revision": 2}),
                         update("works", "uid", uid, 2, {"title": "Secondo", "revision": 3}),
                         auth=PUBLIACQUA)
    assert answer.total("Updated") == 1 and not answer.messages, answer.text
    record = work(platform, uid)
    assert (record["title"], record["revision"]) == ("Primo", 2)


def test_a_value_that_does_not_fit_its_column_refuses_the_whole_update(platform):
    uid = new_work(platform)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"title": "Mai", "revision": "due"}),
                         auth=PUBLIACQUA)
    assert answer.status == 200 and answer.total("Updated") == 0, answer.text
    assert answer.messages == ["Property conversion error on layer 'works'"]
    record = work(platform, uid)
    assert (record["title"], record["revision"]) == ("Rete idrica", 1)


def test_an_organisation_cannot_take_another_ones_work_by_naming_itself_its_owner(platform):
    uid = new_work(platform, owner="estracom", auth=ESTRACOM)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"owner": "publiacqua", "title": "Mio",
                                                                        "revision": 2}), auth=PUBLIACQUA)
    assert answer.total("Updated") == 0
    assert answer.messages == ["Feature modify permission denied on layer 'works'"], answer.text
    assert work(platform, uid)["owner"] == "estracom"


def test_the_capabilities_announce_the_works_area_of_use_around_prato(platform):
    answer = requests.get(ows(platform), params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetCapabilities"},
                          auth=PUBLIACQUA, timeout=60)
    corners = re.search(r"<Name>works</Name>.*?<ows:LowerCorner>(\S+) (\S+)</ows:LowerCorner>\s*"
                        r"<ows:UpperCorner>(\S+) (\S+)</ows:UpperCorner>", answer.text, re.S)
    west, south, east, north = (float(v) for v in corners.groups())
    assert west < 11.09 < east and south < 43.88 < north  # Prato
    assert east - west < 15  # Italy's zone, not the world


def test_a_client_pulls_every_change_after_the_last_sequence_number_it_saw_in_order(platform):
    kept, changed, tombstoned = new_work(platform), new_work(platform), new_work(platform)
    seen = max(record["server_seq"] for record in features(ows(platform), "works", COMUNE).values())
    transaction(ows(platform), update("works", "uid", tombstoned, 1, {"deleted": 1, "revision": 2}), auth=PUBLIACQUA)
    added = new_work(platform)
    transaction(ows(platform), update("works", "uid", changed, 1, {"title": "Cambiato", "revision": 2}),
                auth=PUBLIACQUA)
    changes = changes_after(ows(platform), "works", seen, COMUNE)
    assert [record["uid"] for record in changes] == [tombstoned, added, changed]
    assert changes[0]["deleted"] is True and changes[2]["title"] == "Cambiato"
    assert kept not in {record["uid"] for record in changes}
    assert changes_after(ows(platform), "works", changes[-1]["server_seq"], COMUNE) == []
    newest_first = changes_after(ows(platform), "works", seen, COMUNE, order="DESC")  # SORTBY is in effect
    assert [record["uid"] for record in newest_first] == [changed, added, tombstoned]


def test_the_uid_of_a_work_cannot_change(platform):
    uid = new_work(platform)
    answer = transaction(ows(platform), update("works", "uid", uid, 1, {"uid": str(uuid.uuid4()), "revision": 2}),
                         auth=PUBLIACQUA)
    assert answer.total("Updated") == 0 and any("key of a record" in m for m in answer.messages), answer.text
    assert work(platform, uid)["revision"] == 1


def test_sortby_is_ignored_with_an_ogc_filter(platform):
    if platform.kind != "gpkg":
        pytest.skip("PostGIS answers in heap order, which may happen to be any order: pinned on the GeoPackage")
    seen = max((record["server_seq"] for record in features(ows(platform), "works", COMUNE).values()), default=0)
    older, newer = new_work(platform), new_work(platform)
    condition = ("<Filter><PropertyIsGreaterThan><PropertyName>server_seq</PropertyName>"
                 f"<Literal>{seen}</Literal></PropertyIsGreaterThan></Filter>")
    answer = requests.get(ows(platform), params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature",
                                                 "TYPENAME": "works", "OUTPUTFORMAT": "GeoJSON",
                                                 "FILTER": condition, "SORTBY": "server_seq DESC"},
                          auth=COMUNE, timeout=60)
    assert [feature["properties"]["uid"] for feature in answer.json()["features"]] == [older, newer]
