"""Decisions on conflicts (status and note) go through the same outbox: written by the triggers with the
decision, pushed under the user's organisation, pulled by the other rooms, merged; the same decision changed
differently in two rooms is a conflict of its own, resolved like a work's."""

from __future__ import annotations

from situation_room_plugin.core.decisions import Decision
from situation_room_plugin.qgis_io.decisions import load_decisions, save_decisions, set_decision
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.workflows import sync as sy

CONFLICT = "clash:aaaa:bbbb"


def detected(path):
    """The conflict as a detection run records it in a store: open, no note."""
    with Store.open(path) as store:
        save_decisions(store, [Decision(CONFLICT, "clash", "aaaa", "bbbb")])


def decided(path, status, note=None, user=""):
    with Store.open(path) as store:
        set_decision(store, CONFLICT, status, note, updated_by=user)


def decision(path):
    with Store.open(path) as store:
        return load_decisions(store)[CONFLICT]


def test_a_decision_taken_in_one_room_reaches_the_other_and_a_clash_of_decisions_is_kept(platform, sources,
                                                                                           tmp_path):
    a, b = tmp_path / "publiacqua.gpkg", tmp_path / "comune.gpkg"
    detected(a)
    detected(b)
    assert sy.pending_changes(a) == []  # found but not decided: nothing to share
    nothing = sy.sync(a, sources["publiacqua"], organisation="publiacqua")
    assert nothing.sent == 0
    decided(a, "acknowledged", "Sentito il Comune, si sposta di una settimana", "anna")
    assert sy.sync(a, sources["publiacqua"], organisation="publiacqua").sent == 1
    sy.sync(b, sources["comune"], organisation="comune")
    assert (decision(b).status, decision(b).note) == ("acknowledged", "Sentito il Comune, si sposta di una settimana")
    assert sy.pending_changes(b) == []
    decided(a, "resolved", user="anna")  # the status here, the note there: they merge
    decided(b, "acknowledged", "Nota del Comune", "carla")
    changed = sy.sync(a, sources["publiacqua"], organisation="publiacqua")
    if platform.kind == "postgis":
        # QGIS Server 3.22 runs a WFS Update only on a layer that can change geometries, and the platform's
        # conflict_decisions has none on PostGIS: the update is refused, and kept with the server's words
        assert changed.refused == 1 and "No capabilities to do WFS updates" in changed.problems[-1].params["value"]
        assert [p.state for p in sy.pending_changes(a)] == ["refused"]
        return
    merged = sy.sync(b, sources["comune"], organisation="comune")
    assert merged.merged == 1 and merged.conflicts == 0
    sy.sync(a, sources["publiacqua"], organisation="publiacqua")
    assert (decision(a).status, decision(a).note) == (decision(b).status, decision(b).note) == (
        "resolved", "Nota del Comune")
    decided(a, "accepted", user="anna")  # the same field both ways: a conflict of the decision
    decided(b, "open", user="carla")
    sy.sync(a, sources["publiacqua"], organisation="publiacqua")
    clash = sy.sync(b, sources["comune"], organisation="comune")
    assert clash.conflicts == 1
    [case] = sy.open_decision_conflicts(b)
    assert [(f.field, f.mine, f.theirs) for f in case.fields] == [("status", "open", "accepted")]
    sy.resolve(b, CONFLICT, "theirs")
    sy.sync(b, sources["comune"], organisation="comune")
    sy.sync(a, sources["publiacqua"], organisation="publiacqua")
    assert decision(a).status == decision(b).status == "accepted"
    assert sy.open_decision_conflicts(b) == [] and sy.pending_changes(a) == sy.pending_changes(b) == []
