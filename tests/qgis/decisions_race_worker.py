"""One process of the decisions race (tests/qgis/test_decisions_race.py): detection runs, feed refreshes,
decisions taken, or a long writer holding the store, over and over on one store for a bounded time.

Run as ``python -m tests.qgis.decisions_race_worker ROLE STORE FEED SECONDS GO_FILE [CONFLICT_ID ...]`` from
the repository's root. It starts QGIS, prints READY, waits for GO_FILE to exist, works for SECONDS, then
prints REPORT and a JSON object: what it did and, for a decision taker, the last status and note it wrote to each
conflict. A store found busy (StoreError `store_locked`) is retried after a pause, a bounded number of times;
any other error ends the process with its traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import sys
import time
from pathlib import Path

STATUSES = ("acknowledged", "resolved", "accepted", "open")
#: The lines this worker prints among QGIS's own: ready to start, and its report (JSON follows).
READY, REPORT = "race: ready", "race: report "
#: How many times in a row one operation is retried on a busy store before the worker gives up (and fails).
MAX_RETRIES = 200
#: How long the long writer holds the store's write lock, and how long it lets go between two holds (s).
HOLD_S, RELEASE_S = 1.5, 1.5


class Retrier:
    """Runs an operation, retrying it when the store is busy (store_locked), counting the retries."""

    def __init__(self) -> None:
        self.locked = 0

    def __call__(self, operation):
        from situation_room_plugin.qgis_io.store import StoreError

        for _ in range(MAX_RETRIES):
            try:
                return operation()
            except StoreError as error:
                if error.problem.code != "store_locked":
                    raise
                self.locked += 1
                time.sleep(random.uniform(0.02, 0.1))
        raise RuntimeError(f"the store stayed busy through {MAX_RETRIES} tries")


def feed_features(variant: int) -> list[dict]:
    """The partner's feed: eight works side by side (neighbours clash), or only the first four of them, so
    that from one refresh to the next the conflicts of the last four go and come back."""
    from tests.qgis.feeds_helpers import publiacqua_feature

    return [publiacqua_feature(i) for i in range(8 if variant == 0 else 4)]


def write_feed(path: Path, variant: int) -> None:
    from tests.qgis.feeds_helpers import write_collection

    partial = path.with_suffix(".part")
    write_collection(partial, feed_features(variant))
    partial.replace(path)  # the refresh reads a whole file, never one half written


def feed_source(path: Path):
    from tests.qgis.feeds_helpers import publiacqua_source

    return publiacqua_source(str(path), kind="geojson_file")


def detect_once(store: Path) -> int:
    from situation_room_plugin.qgis_io.conflict_layers import Places
    from situation_room_plugin.workflows.conflicts import detect_conflicts, store_works

    found = store_works(store)
    run = detect_conflicts(found.works, Places(), store=store, excluded_uids=found.excluded_uids)
    return len(run.conflicts)


def refresh_once(store: Path, feed: Path) -> None:
    from qgis.core import QgsCoordinateTransformContext

    from situation_room_plugin.workflows.feeds import refresh_sources

    run = refresh_sources(store, [feed_source(feed)], QgsCoordinateTransformContext())
    if run.failed:
        raise RuntimeError(f"the refresh failed: {[str(p) for p in run.problems]}")


def hold_once(store: Path) -> None:
    from situation_room_plugin.qgis_io.store import Store

    with Store.open(store) as opened, opened.transaction() as conn:
        conn.execute("UPDATE owners SET name = name")  # a long write: a big copy, a slow disk
        time.sleep(HOLD_S)


def decide_once(store: Path, timeout: float | None, conflict_id: str, status: str, note: str, who: str) -> None:
    from situation_room_plugin.qgis_io.decisions import set_decision
    from situation_room_plugin.qgis_io.store import Store

    with Store.open(store, timeout=timeout) as opened:
        set_decision(opened, conflict_id, status, note, updated_by=who)


def main(argv: list[str]) -> int:
    role, store, feed, seconds, go = argv[0], Path(argv[1]), Path(argv[2]), float(argv[3]), Path(argv[4])
    conflict_ids = argv[5:]
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    print(READY, flush=True)
    while not go.exists():
        time.sleep(0.02)
    retry = Retrier()
    rng = random.Random(role)
    report: dict = {"role": role, "operations": 0}
    last: dict[str, list[str]] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if role == "detect":
            retry(lambda: detect_once(store))
        elif role == "refresh":
            write_feed(feed, report["operations"] % 2)
            retry(lambda: refresh_once(store, feed))
        elif role == "hold":
            retry(lambda: hold_once(store))
            time.sleep(RELEASE_S)
        else:  # a decision taker; `decide_fast` gives up waiting for a busy store at once and tries again
            timeout = 0.2 if role == "decide_fast" else None
            conflict_id = conflict_ids[report["operations"] % len(conflict_ids)]
            status = rng.choice(STATUSES)
            note = f"{role} n.{report['operations']}: {status}, sentito l'ente — città di Prato"
            retry(functools.partial(decide_once, store, timeout, conflict_id, status, note, role))
            last[conflict_id] = [status, note]  # written: set_decision returned
        report["operations"] += 1
        time.sleep(rng.uniform(0.005, 0.03))  # room for the others on a small machine
    report["locked_retries"] = retry.locked
    report["last"] = last
    print(REPORT + json.dumps(report), flush=True)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
