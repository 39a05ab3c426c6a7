"""Alerts: each rule at its boundaries, and the store keeping what a run made new or worse."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from situation_room_plugin.core import alerts
from situation_room_plugin.core.alerts import ConflictRecord, ConflictTrack
from situation_room_plugin.core.decisions import Decision
from situation_room_plugin.core.sources import Source
from tests.unit.works_builder import box, day, uid, work

TODAY = day(10)


def uids(found):
    return [a.subject for a in found]


# -- overdue ------------------------------------------------------------------------------------------------


def test_a_work_past_its_end_date_and_not_completed_is_overdue():
    (alert,) = alerts.overdue_works([work(0, box(0, 0), 0, 7, title="Rete idrica")], TODAY)
    assert (alert.kind, alert.subject, alert.title, alert.owner, alert.day) == (
        "overdue", uid(0), "Rete idrica", "publiacqua", day(7))
    assert alert.params["days"] == 3 and alert.geometry is not None
    assert alert.message == f"Past its end date ({day(7).isoformat()}, 3 days ago) and not completed."


def test_a_work_ending_today_is_not_overdue_one_that_ended_yesterday_is():
    works = [work(0, box(0, 0), 0, 10), work(1, box(0, 0), 0, 9)]
    assert uids(alerts.overdue_works(works, TODAY)) == [uid(1)]


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_completed_and_cancelled_works_are_never_overdue(status):
    assert alerts.overdue_works([work(0, box(0, 0), 0, 3, status=status)], TODAY) == []


@pytest.mark.parametrize("status", ["draft", "planned", "authorized", "in_progress"])
def test_works_of_every_other_status_are_overdue_once_past_their_end(status):
    assert len(alerts.overdue_works([work(0, box(0, 0), 0, 3, status=status)], TODAY)) == 1


# -- permits ------------------------------------------------------------------------------------------------


def test_a_work_starting_in_exactly_n_days_without_a_permit_is_an_alert_one_day_later_is_not():
    works = [work(0, box(0, 0), 17, 20), work(1, box(0, 0), 18, 20)]
    (alert,) = alerts.works_without_permit(works, TODAY, days_ahead=7)
    assert (alert.subject, alert.day, alert.params["days"]) == (uid(0), day(17), 7)


def test_a_work_starting_today_without_a_permit_is_an_alert_one_already_started_is_not():
    works = [work(0, box(0, 0), 10, 20), work(1, box(0, 0), 9, 20)]
    assert uids(alerts.works_without_permit(works, TODAY, 7)) == [uid(0)]


def test_a_permit_reference_of_only_spaces_counts_as_missing():
    works = [work(0, box(0, 0), 12, 20, permit_ref="   "), work(1, box(0, 0), 12, 20, permit_ref="PG/2026/118"),
             work(2, box(0, 0), 12, 20, permit_ref="")]
    assert uids(alerts.works_without_permit(works, TODAY, 7)) == [uid(0), uid(2)]


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_completed_and_cancelled_works_need_no_permit(status):
    assert alerts.works_without_permit([work(0, box(0, 0), 12, 20, status=status)], TODAY, 7) == []


def test_zero_days_ahead_looks_at_today_only():
    works = [work(0, box(0, 0), 10, 20), work(1, box(0, 0), 11, 20)]
    assert uids(alerts.works_without_permit(works, TODAY, 0)) == [uid(0)]


# -- conflicts ----------------------------------------------------------------------------------------------


def rec(cid: str, severity: float | None, gone: bool = False, kind: str = "clash") -> ConflictRecord:
    return ConflictRecord(cid, kind, uid(0), uid(1), severity, gone, title_a="Rete idrica", title_b="Fibra",
                          owner_a="publiacqua", owner_b="estracom", day=day(12))


def test_a_conflict_first_found_by_the_run_is_new():
    (alert,) = alerts.conflict_alerts({}, {"c1": rec("c1", 42.4)})
    assert (alert.kind, alert.subject, alert.title, alert.owner, alert.day) == (
        "new_conflict", "c1", "Rete idrica", "publiacqua / estracom", day(12))
    assert alert.message == "New clash with «Fibra» (estracom), severity 42."


def test_a_conflict_found_again_with_the_same_severity_is_not_an_alert():
    assert alerts.conflict_alerts({"c1": rec("c1", 42.0)}, {"c1": rec("c1", 42.0)}) == []


def test_a_conflict_whose_severity_grew_is_worse_and_one_whose_severity_fell_is_not():
    (alert,) = alerts.conflict_alerts({"c1": rec("c1", 30.0), "c2": rec("c2", 60.0)},
                                      {"c1": rec("c1", 55.0), "c2": rec("c2", 40.0)})
    assert (alert.kind, alert.subject, alert.params["previous"], alert.params["severity"]) == (
        "worse_conflict", "c1", 30, 55)


def test_worse_compares_severities_as_the_table_shows_them():
    assert alerts.conflict_alerts({"c1": rec("c1", 41.6)}, {"c1": rec("c1", 42.4)}) == []  # both show 42


def test_gone_conflicts_are_never_alerts():
    assert alerts.conflict_alerts({}, {"c1": rec("c1", 50.0, gone=True)}) == []
    assert alerts.conflict_alerts({"c1": rec("c1", 10.0)}, {"c1": rec("c1", 50.0, gone=True)}) == []


def test_a_conflict_known_before_even_gone_is_not_new_when_it_comes_back():
    assert alerts.conflict_alerts({"c1": rec("c1", 42.0, gone=True)}, {"c1": rec("c1", 42.0)}) == []


def test_a_severity_unknown_before_the_run_does_not_make_a_conflict_worse():
    assert alerts.conflict_alerts({"c1": rec("c1", None)}, {"c1": rec("c1", 80.0)}) == []


def test_a_new_opportunity_is_information_a_new_clash_a_warning():
    found = alerts.conflict_alerts({}, {"c1": rec("c1", 20.0, kind="opportunity"), "c2": rec("c2", 20.0)})
    assert {a.subject: a.severity for a in found} == {"c1": "info", "c2": "warning"}


MOMENT = datetime(2026, 3, 12, 9, 0, tzinfo=timezone.utc)
EARLIER = MOMENT - timedelta(days=2)


def decision(cid: str, gone: bool = False) -> Decision:
    return Decision(cid, "clash", uid(0), uid(1), gone_since=TODAY if gone else None)


def test_the_last_run_is_rebuilt_from_the_severities_kept_beside_the_decisions():
    decisions = {c: decision(c, gone=(c == "gone")) for c in ("new", "same", "worse", "older", "gone", "old")}
    tracks = {
        "new": ConflictTrack(40.0, None, MOMENT, MOMENT),
        "same": ConflictTrack(40.0, 40.0, MOMENT, EARLIER),
        "worse": ConflictTrack(70.0, 40.0, MOMENT, EARLIER),
        "older": ConflictTrack(90.0, None, EARLIER, EARLIER),  # found by an earlier run only
        "gone": ConflictTrack(50.0, 10.0, MOMENT, EARLIER),
        "old": ConflictTrack(50.0, None, MOMENT, None),  # known before severities were kept
    }
    before, after = alerts.last_run(decisions, tracks)
    assert set(after) == {"new", "same", "worse", "gone", "old"} and set(before) == {"same", "worse", "gone", "old"}
    found = {a.subject: a.kind for a in alerts.conflict_alerts(before, after)}
    assert found == {"new": "new_conflict", "worse": "worse_conflict"}


def test_no_run_kept_means_no_conflict_alert():
    assert alerts.last_run({"c1": decision("c1")}, {"c1": ConflictTrack()}) == ({}, {})


def test_conflicts_are_described_from_their_works():
    works = {w.uid: w for w in [work(0, box(0, 0), 3, 9, title="Rete idrica"),
                                work(1, box(5, 0), 6, 12, title="Fibra", owner="estracom")]}
    (record,) = alerts.described({"c1": ConflictRecord("c1", "clash", uid(0), uid(1), 30.0)}, works).values()
    assert (record.title_a, record.title_b, record.owner_b, record.day) == ("Rete idrica", "Fibra", "estracom", day(6))
    assert record.geometry is not None


# -- shared layers ------------------------------------------------------------------------------------------

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=timezone.utc)


def source(sid: str, minutes: int = 60, kind: str = "wfs") -> Source:
    return Source(sid, f"Cantieri {sid}", "publiacqua", kind, "https://gis.example.it/ows", refresh_minutes=minutes)


def test_a_copy_exactly_refresh_minutes_old_is_not_stale_a_second_more_is():
    sources = [source("exact"), source("older")]
    copies = {"exact": NOW - timedelta(minutes=60), "older": NOW - timedelta(minutes=60, seconds=1)}
    (alert,) = alerts.stale_feeds(sources, copies, NOW)
    assert (alert.subject, alert.kind, alert.title, alert.day) == ("older", "stale_feed", "Cantieri older",
                                                                    NOW.date())
    assert alert.message == "The offline copy is 1.0 hours old, older than its refresh interval (60 minutes)."


def test_a_source_without_a_copy_is_an_alert_one_refreshed_by_hand_only_or_gtfs_never():
    sources = [source("none"), source("manual", minutes=0), source("bus", kind="gtfs")]
    copies = {"manual": NOW - timedelta(days=30), "bus": NOW - timedelta(days=30)}
    (alert,) = alerts.stale_feeds(sources, copies, NOW)
    assert (alert.subject, alert.code) == ("none", "no_copy")


# -- the whole -----------------------------------------------------------------------------------------------


def test_alerts_are_ordered_warnings_first_then_by_kind_then_day():
    works = [work(0, box(0, 0), 0, 8), work(1, box(0, 0), 0, 5), work(2, box(0, 0), 12, 20)]
    found = [*alerts.stale_feeds([source("none")], {}, NOW), *alerts.works_without_permit(works, TODAY, 7),
             *alerts.overdue_works(works, TODAY)]
    assert [(a.kind, a.subject) for a in alerts.ordered(found)] == [
        ("overdue", uid(1)), ("overdue", uid(0)), ("no_permit", uid(2)), ("stale_feed", "none")]


def test_the_same_alert_has_the_same_key_and_a_conflict_worse_again_a_new_one():
    first = alerts.overdue_works([work(0, box(0, 0), 0, 7)], TODAY)[0]
    again = alerts.overdue_works([work(0, box(0, 0), 0, 7)], TODAY + timedelta(days=1))[0]
    assert first.key == again.key
    worse = alerts.conflict_alerts({"c1": rec("c1", 30.0)}, {"c1": rec("c1", 50.0)})[0]
    worse_again = alerts.conflict_alerts({"c1": rec("c1", 50.0)}, {"c1": rec("c1", 70.0)})[0]
    assert worse.key != worse_again.key


def test_every_alert_code_has_a_template():
    assert {"overdue", "no_permit", "worse_conflict", "stale_feed", "no_copy"} <= set(alerts.TEMPLATES)
    assert all(f"new_{kind}" in alerts.TEMPLATES for kind in ("clash", "opportunity", "moratorium", "sensitive",
                                                               "parking"))


# -- the store keeps what a run made new or worse -----------------------------------------------------------


def detection_run(store, works, moment):
    from situation_room_plugin.core import conflicts as cf
    from situation_room_plugin.qgis_io.decisions import load_decisions, record_run, record_severities

    detection = cf.detect(works)
    found = detection.conflicts(with_geometry=False)
    with store.transaction():
        known = set(load_decisions(store))
        record_run(store, found, detection.checked, [w.uid for w in works], moment.date())
        record_severities(store, {c.conflict_id: c.severity for c in found}, known, moment)
    return {c.conflict_id: c for c in found}


def store_alerts(store):
    from situation_room_plugin.qgis_io.decisions import load_decisions, load_tracks

    return alerts.conflict_alerts(*alerts.last_run(load_decisions(store), load_tracks(store)))


def test_a_run_s_new_then_worse_conflicts_are_told_from_the_store(tmp_path):
    from situation_room_plugin.qgis_io.store import Store

    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    with Store.open(tmp_path / "p.gpkg") as store:
        found = detection_run(store, works, EARLIER)
        (clash,) = [cid for cid, c in found.items() if c.kind == "clash"]
        assert [(a.kind, a.subject) for a in store_alerts(store)] == [("new_conflict", clash)]
        detection_run(store, works, EARLIER + timedelta(hours=1))  # the same day, the same severity
        assert store_alerts(store) == []
        longer = [works[0], work(1, box(5, 0), 0, 15, traffic_impact="all-lanes-closed")]  # more days together
        again = detection_run(store, longer, MOMENT)
        assert again[clash].severity > found[clash].severity
        assert [(a.kind, a.subject) for a in store_alerts(store)] == [("worse_conflict", clash)]


def test_conflicts_known_before_severities_were_kept_are_not_new_after_the_upgrade(tmp_path, monkeypatch):
    from situation_room_plugin.core import conflicts as cf
    from situation_room_plugin.qgis_io import schema
    from situation_room_plugin.qgis_io.decisions import load_tracks, record_run
    from situation_room_plugin.qgis_io.store import Store

    works = [work(0, box(0, 0), 0, 9), work(1, box(5, 0), 5, 15)]
    path = tmp_path / "old.gpkg"
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:4])
        with Store.open(path) as store:
            detection = cf.detect(works)
            record_run(store, detection.conflicts(with_geometry=False), detection.checked, [w.uid for w in works],
                       EARLIER.date())
    with Store.open(path, create=False) as store:
        assert load_tracks(store) == {}  # read as it is: no severities yet
        detection_run(store, works, MOMENT)  # the first write upgrades it
        assert store_alerts(store) == []
