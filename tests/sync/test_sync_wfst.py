"""Two Situation Rooms (two project stores) and one platform (QGIS Server WFS-T over a GeoPackage, and over
PostGIS): offline edits on both sides converge through situation_room's sync, conflicts are kept and
resolved, and the server is read back by an independent client to check that nothing is lost or doubled."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from situation_room_plugin.workflows import sync as sy
from tests.sync.helpers import add, assert_converged, delete, edit, new_work, outbox, square, works


def test_two_stores_converge_after_offline_edits_on_both_sides(platform, sources, tmp_path):
    a, b = tmp_path / "publiacqua.gpkg", tmp_path / "comune.gpkg"
    created = [new_work(i) for i in range(4)]
    add(a, created, "anna", "publiacqua")
    assert [kind for _, kind, _ in outbox(a)] == ["create"] * 4  # the triggers wrote the outbox
    first = sy.sync(a, sources["publiacqua"])
    assert first.sent == 4 and first.refused == first.failed == 0
    pulled = sy.sync(b, sources["comune"], "pull")
    assert pulled.received >= 4 and set(works(b)) >= {w.uid for w in created}
    w1, w2, w3, w4 = (w.uid for w in created)
    # offline: different fields of w1, a delete of w2, the same field of w3 on both sides, w4 only here
    edit(a, w1, "anna", end_date=date(2026, 4, 30))
    edit(b, w1, "carla", title="Rete idrica 0, via Roma")
    delete(a, w2)
    edit(a, w3, "anna", title="Titolo di Publiacqua")
    edit(b, w3, "carla", title="Titolo del Comune")
    edit(b, w4, "carla", status="in_progress")
    ra = sy.sync(a, sources["publiacqua"])
    assert ra.sent == 3 and ra.conflicts == 0
    rb = sy.sync(b, sources["comune"])
    assert rb.conflicts == 1 and rb.merged == 1  # w3 in conflict; w1 merged and pushed
    [case] = sy.open_conflicts(b)
    assert case.uid == w3 and [(f.field, f.mine, f.theirs) for f in case.fields] == [
        ("title", "Titolo del Comune", "Titolo di Publiacqua")]
    assert works(b)[w3].title == "Titolo del Comune"  # the user's version stays here until resolved
    sy.resolve(b, case, "mine")
    sy.sync(b, sources["comune"])
    sy.sync(a, sources["publiacqua"])
    on_server = assert_converged(platform.wfs_url, a, b)
    assert on_server[w1]["title"] == "Rete idrica 0, via Roma" and on_server[w1]["end_date"] == "2026-04-30"
    assert on_server[w2]["deleted"] is True and w2 not in works(b)
    assert on_server[w3]["title"] == "Titolo del Comune" and on_server[w4]["status"] == "in_progress"
    assert sy.open_conflicts(a) == [] and sy.pending_changes(a) == []


def test_an_edit_against_a_delete_is_a_conflict_either_way_and_keep_mine_wins(platform, sources, tmp_path):
    a, b = tmp_path / "publiacqua.gpkg", tmp_path / "comune.gpkg"
    kept, dropped = new_work(30), new_work(31)
    add(a, [kept, dropped], "anna", "publiacqua")
    sy.sync(a, sources["publiacqua"])
    sy.sync(b, sources["comune"], "pull")
    delete(a, kept.uid)  # deleted there, edited here: kept by the Comune
    edit(b, kept.uid, "carla", status="authorized")
    edit(a, dropped.uid, "anna", title="Rete idrica 31, rinviato")  # edited there, deleted here: the delete wins
    delete(b, dropped.uid)
    sy.sync(a, sources["publiacqua"])
    report = sy.sync(b, sources["comune"])
    assert report.conflicts == 2
    cases = {c.uid: c for c in sy.open_conflicts(b)}
    assert cases[kept.uid].kind == "edited_here_deleted_there"
    assert cases[dropped.uid].kind == "deleted_here_edited_there"
    assert sy.resolve(b, kept.uid, "mine").status == "authorized"
    assert sy.resolve(b, dropped.uid, "mine") is None
    sy.sync(b, sources["comune"])
    sy.sync(a, sources["publiacqua"])
    on_server = assert_converged(platform.wfs_url, a, b)
    assert on_server[kept.uid]["deleted"] is False and on_server[kept.uid]["status"] == "authorized"
    assert on_server[dropped.uid]["deleted"] is True


def test_wfs_1_0_pushes_and_pulls_the_same_way(platform, sources, tmp_path):
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    old = {org: replace(source, version="1.0.0") for org, source in sources.items()}
    created = [new_work(40 + i) for i in range(3)]
    add(a, created, "anna", "publiacqua")
    assert sy.sync(a, old["publiacqua"]).sent == 3
    sy.sync(b, old["comune"])
    edit(b, created[0].uid, "carla", title="Aggiornato con WFS 1.0")
    assert sy.sync(b, old["comune"]).sent == 1
    sy.sync(a, old["publiacqua"])
    assert works(a)[created[0].uid].title == "Aggiornato con WFS 1.0"
    assert_converged(platform.wfs_url, a, b)


def test_a_moved_footprint_reaches_the_server_and_the_other_store(platform, sources, tmp_path):
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    work = new_work(50)
    add(a, [work], "anna", "publiacqua")
    sy.sync(a, sources["publiacqua"])
    sy.sync(b, sources["comune"])
    moved = square(51, size=20.0)
    edit(a, work.uid, "anna", geometry=moved, title="Rete idrica 50, allargato")
    report = sy.sync(a, sources["publiacqua"])
    assert (report.sent, report.refused) == (1, 0), report.problems
    sy.sync(b, sources["comune"])
    assert works(b)[work.uid].geometry.equals(moved) and works(b)[work.uid].title == "Rete idrica 50, allargato"
    assert_converged(platform.wfs_url, a, b)


def test_a_pull_pages_by_server_seq_and_misses_nothing_written_between_pages(platform, sources, tmp_path):
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    created = [new_work(70 + i) for i in range(7)]
    add(a, created, "anna", "publiacqua")
    sy.sync(a, sources["publiacqua"])
    first = sy.sync(b, sources["comune"], "pull", page_size=2)
    assert {w.uid for w in created} <= set(works(b))
    edit(a, created[3].uid, "anna", title="Cambiato dopo la prima lettura")
    sy.sync(a, sources["publiacqua"])
    again = sy.sync(b, sources["comune"], "pull", page_size=2)
    assert again.cursor > first.cursor and again.received == 1  # the safety window's re-reads are known copies
    assert works(b)[created[3].uid].title == "Cambiato dopo la prima lettura"
    assert sy.last_sync(b)["cursor"] == again.cursor
