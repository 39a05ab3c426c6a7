"""The decisions race (issue 10): conflict detection, a partner's feed refresh and the room's decisions, each
in its own QGIS process, on one store at once for a minute, with a long writer holding the store now and
then. No decision is lost: each conflict ends with the last status and note written to it.

SITUATION_ROOM_RACE_SECONDS shortens the race for a quick local run (CI runs the full 60 s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import QgsCoordinateTransformContext

from situation_room_plugin.qgis_io.conflict_layers import Places
from situation_room_plugin.qgis_io.decisions import load_decisions
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.workflows.conflicts import detect_conflicts, store_works
from situation_room_plugin.workflows.feeds import refresh_sources
from tests.conftest import ROOT
from tests.qgis.decisions_race_worker import READY, REPORT, feed_source, write_feed
from tests.unit.works_builder import work

SECONDS = float(os.environ.get("SITUATION_ROOM_RACE_SECONDS", "60"))
ROLES = ("detect", "refresh", "hold", "decide", "decide_fast")


def prepare(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A store whose own works lie on the partner's feed works (a clash each), the feed copied once and
    the conflicts detected once: their ids."""
    store, feed = tmp_path / "race.gpkg", tmp_path / "publiacqua.geojson"
    write_feed(feed, 0)
    Store.open(store).close()
    assert not refresh_sources(store, [feed_source(feed)], QgsCoordinateTransformContext()).failed
    with Store.open(store) as opened:
        shared = opened.read_shared_works().works
        own = [work(100 + i, w.geometry, 0, 9, owner="estracom") for i, w in enumerate(shared[::2])]
        assert opened.write_works(own).written == 4
    run = detect_conflicts(store_works(store).works, Places(), store=store)
    ids = sorted(c.conflict_id for c in run.conflicts)
    assert len(ids) >= 10  # the feed's neighbours, and each own work with the feed work under it
    return store, feed, ids


def start(role: str, store: Path, feed: Path, go: Path, ids: list[str], logs: Path) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QGIS_CUSTOM_CONFIG_PATH": str(logs / f"profile-{role}")}
    env.pop("SITUATION_ROOM_RACE_SECONDS", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.qgis.decisions_race_worker", role, str(store), str(feed), str(SECONDS),
         str(go), *ids],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=(logs / f"{role}.log").open("w"), text=True)


@pytest.mark.slow
def test_detection_refresh_and_decisions_in_parallel_processes_lose_no_decision(tmp_path):
    store, feed, ids = prepare(tmp_path)
    go = tmp_path / "go"
    logs = tmp_path / "logs"
    logs.mkdir()
    takers = {"decide": ids[0::2], "decide_fast": ids[1::2]}  # each conflict has one taker: its last write is known
    processes = {role: start(role, store, feed, go, takers.get(role, []), logs) for role in ROLES}
    try:
        for role, process in processes.items():  # QGIS may print its own lines first
            while (line := process.stdout.readline()) and line.strip() != READY:
                pass
            assert line, f"{role} stopped before it was ready:\n{(logs / f'{role}.log').read_text()[-4000:]}"
        go.touch()
        reports = {}
        for role, process in processes.items():
            out, _ = process.communicate(timeout=SECONDS + 120)
            log = (logs / f"{role}.log").read_text()
            assert process.returncode == 0, f"{role} crashed:\n{log[-4000:]}"
            (line,) = [x for x in out.splitlines() if x.startswith(REPORT)]
            reports[role] = json.loads(line[len(REPORT):])
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()

    (tmp_path / "reports.json").write_text(json.dumps(reports, indent=1))  # what each did, to look at
    # everybody worked, at the same time
    assert reports["detect"]["operations"] >= 3 and reports["refresh"]["operations"] >= 3
    assert reports["hold"]["operations"] >= 1
    for role in takers:
        assert reports[role]["operations"] >= 10 and reports[role]["last"], role
    # the store was busy: the impatient taker met store_locked and tried again until its decision went in;
    # the patient ones waited, saying so
    assert reports["decide_fast"]["locked_retries"] >= 1
    busy = sum((logs / f"{role}.log").read_text().count("is busy: another QGIS or process is writing")
               for role in ROLES)
    assert busy >= 1

    def kept() -> dict[str, tuple[str, str]]:
        with Store.open(store, create=False) as opened:
            decisions = load_decisions(opened)
        assert set(ids) <= set(decisions)  # no decision row lost
        return {cid: (decisions[cid].status, decisions[cid].note) for cid in ids}

    written = {cid: tuple(value) for role in takers for cid, value in reports[role]["last"].items()}
    assert {cid: kept()[cid] for cid in written} == written
    # once the whole feed is back and detected again, the conflicts that went and came back keep them too
    write_feed(feed, 0)
    assert not refresh_sources(store, [feed_source(feed)], QgsCoordinateTransformContext()).failed
    again = detect_conflicts(store_works(store).works, Places(), store=store)
    assert {c.conflict_id for c in again.conflicts} == set(ids)
    assert {cid: kept()[cid] for cid in written} == written
    assert all(not again.decisions[cid].is_gone for cid in ids)
