"""The demo's headless workflow: an explicit list of steps, each one Situation Room algorithm run by
qgis_process.bin with the plugin installed in the demo's own profile, each printing its figures.

refresh sources -> add to the store -> sensitive places -> detect conflicts -> detours and bus impact of the
busiest day -> impact timeline of the next 60 days -> reports (PDF, HTML) -> exports (WZDx, CIFS) -> publish the results
on the platform.
"""

from __future__ import annotations

import json
import os
import site
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tools.demo.seed import busiest_day

QGIS_PROCESS = "qgis_process.bin"  # Debian's qgis_process wrapper adds a flag 3.22 rejects
#: Days of the timeline and of the reports, from the demo's today.
HORIZON_DAYS = 60


class StepError(RuntimeError):
    """A step failed: its name and what qgis_process said."""


@dataclass
class Demo:
    """Where everything of one demo run is, and the day it is run for."""

    folder: Path
    profile: Path
    project: Path
    store: Path
    roads: Path
    pbf: Path
    gtfs: Path
    protected: Path
    today: date
    gtfs_note: str = ""
    #: The master password's file of the profile's authentication database (tools/demo/auth.py).
    auth_master: Path | None = None
    #: What each step found, by step key (what a second run must find again).
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def out(self) -> Path:
        return self.folder / "out"

    @property
    def last_day(self) -> date:
        return self.today + timedelta(days=HORIZON_DAYS - 1)

    def layer(self, path: Path, table: str | None = None) -> str:
        return f"{path}|layername={table or first_table(path)}"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    run: Callable[[Demo], dict[str, Any]]


def qgis_env(profile: Path, auth_master: Path | None = None) -> dict[str, str]:
    """qgis_process in the demo's profile, with this Python's packages (shapely 2) on PYTHONPATH and the master
    password of the profile's authentication database read from its file (QGIS 3.22 reads the file named by
    QGIS_AUTH_PASSWORD_FILE when it opens the database: no prompt, headless)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(profile)
    if auth_master is not None:
        env["QGIS_AUTH_PASSWORD_FILE"] = str(auth_master)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join([*site.getsitepackages(), env.get("PYTHONPATH", "")]).strip(os.pathsep)
    return env


def qgis_process(demo: Demo, algorithm: str, *params: str, timeout: float = 900) -> dict[str, Any]:
    """The results of one algorithm run by qgis_process.bin; StepError with its messages when it fails."""
    command = [QGIS_PROCESS, "run", algorithm, "--json", "--", *params]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env=qgis_env(demo.profile, demo.auth_master))
    if done.returncode != 0 or "{" not in done.stdout:
        raise StepError(f"{algorithm} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    return json.loads(done.stdout[done.stdout.index("{"):]).get("results", {})


def first_table(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name").fetchone()
    finally:
        conn.close()
    if row is None:
        raise StepError(f"{path}: no table")
    return row[0]


def rows(path: Path, sql: str, table: str | None = None) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql.format(table=table or first_table(path))).fetchall()
    finally:
        conn.close()


# -- the steps --------------------------------------------------------------------------------------------

def refresh(demo: Demo) -> dict[str, Any]:
    results = qgis_process(demo, "situation_room:refresh_sources", f"PROJECT={demo.project}",
                           f"REPORT={demo.out / 'refresh_problems.gpkg'}")
    per_source = dict(rows(demo.store, "SELECT source_id, work_count FROM feed_snapshots ORDER BY source_id",
                           "feed_snapshots"))
    return {"sources refreshed": results["REFRESHED_COUNT"], "failed": results["FAILED_COUNT"],
            "works per source": per_source}


def add_to_store(demo: Demo) -> dict[str, Any]:
    results = qgis_process(demo, "situation_room:add_works_to_store", f"INPUT={demo.layer(demo.store, 'feed_works')}",
                           f"STORE={demo.store}", f"REPORT={demo.out / 'add_problems.gpkg'}")
    stored = rows(demo.store, "SELECT count(*), count(DISTINCT uid) FROM works", "works")[0]
    return {"works in the store": stored[0], "distinct uids": stored[1], "refused": results["REFUSED_COUNT"],
            "_changes": {"added": results["ADDED_COUNT"], "updated": results["UPDATED_COUNT"],
                         "unchanged": results["UNCHANGED_COUNT"]}}


def places(demo: Demo) -> dict[str, Any]:
    results = qgis_process(demo, "situation_room:osm_places", f"INPUT={demo.pbf}",
                           f"SENSITIVE_POINTS={demo.out / 'sensitive_points.gpkg'}",
                           f"SENSITIVE_AREAS={demo.out / 'sensitive_areas.gpkg'}",
                           f"PARKING={demo.out / 'parking.gpkg'}")
    return {"sensitive points": results.get("SENSITIVE_POINTS_COUNT"),
            "sensitive areas": results.get("SENSITIVE_AREAS_COUNT")}


def conflicts(demo: Demo) -> dict[str, Any]:
    out = demo.out / "conflicts.gpkg"
    qgis_process(demo, "situation_room:detect_conflicts", f"WORKS={demo.layer(demo.store, 'works')}",
                 f"PROTECTED={demo.protected}", f"SENSITIVE={demo.out / 'sensitive_points.gpkg'}",
                 f"SENSITIVE={demo.out / 'sensitive_areas.gpkg'}", f"ROADS={demo.roads}", f"STORE={demo.store}",
                 f"OUTPUT={out}")
    by_kind = dict(rows(out, "SELECT kind, count(*) FROM {table} GROUP BY kind ORDER BY kind"))
    decisions = rows(demo.store, "SELECT count(*) FROM conflict_decisions", "conflict_decisions")[0][0]
    return {"conflicts by kind": by_kind, "decisions kept in the store": decisions}


def works_in_store(demo: Demo) -> list[Any]:
    from situation_room_plugin.core.works import Work
    found = rows(demo.store, "SELECT start_date, end_date, traffic_impact, status FROM {table}", "works")
    return [Work(start_date=date.fromisoformat(s[:10]), end_date=date.fromisoformat(e[:10]), traffic_impact=t,
                 status=st) for s, e, t, st in found]


def detours(demo: Demo) -> dict[str, Any]:
    day = busiest_day(works_in_store(demo), demo.today, demo.last_day)
    results = qgis_process(demo, "situation_room:detour_analysis", f"ROADS={demo.roads}",
                           f"WORKS={demo.layer(demo.store, 'works')}", f"DATE={day.isoformat()}",
                           f"GTFS={demo.gtfs}", f"OUTPUT_DETOURS={demo.out / 'detours.gpkg'}",
                           f"OUTPUT_CUTOFF={demo.out / 'cutoff.gpkg'}", f"OUTPUT_BUS={demo.out / 'bus.gpkg'}")
    extra = rows(demo.out / "detours.gpkg", "SELECT coalesce(round(sum(extra_m)), 0) FROM {table}")[0][0]
    trips = rows(demo.out / "bus.gpkg", "SELECT coalesce(sum(trips_affected), 0) FROM {table}")[0][0] \
        if results["BUS_ROUTE_COUNT"] else 0
    return {"busiest day": day.isoformat(), "detours": results["DETOUR_COUNT"],
            "no way round": results["NO_DETOUR_COUNT"], "extra metres": extra,
            "road pieces cut off": results["CUTOFF_COUNT"], "bus routes to reroute": results["BUS_ROUTE_COUNT"],
            "bus trips affected": trips}


def timeline(demo: Demo) -> dict[str, Any]:
    out = demo.out / "timeline.gpkg"
    results = qgis_process(demo, "situation_room:impact_timeline", f"ROADS={demo.roads}",
                           f"WORKS={demo.layer(demo.store, 'works')}", f"START_DATE={demo.today.isoformat()}",
                           f"END_DATE={demo.last_day.isoformat()}", f"GTFS={demo.gtfs}", f"OUTPUT={out}",
                           f"OUTPUT_INTERACTIONS={demo.out / 'interactions.gpkg'}")
    days_closed, worst = rows(out, "SELECT sum(closures > 0), max(closures) FROM {table}")[0]
    trips = rows(out, "SELECT coalesce(sum(bus_trips_affected), 0) FROM {table}")[0][0]
    return {"days": results["DAY_COUNT"], "days with closures": days_closed, "most closures in a day": worst,
            "bus trips affected (all days)": trips, "interacting pairs": results["INTERACTION_COUNT"]}


def reports(demo: Demo) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for kind in ("pdf", "html"):
        path = demo.out / f"rapporto_coordinamento.{kind}"
        # ROADS (not the busiest day's DETOURS layer): the report computes every day's detours of the period
        # itself, a superset of that day's; given both, its map would show the detours twice in its legend.
        results = qgis_process(demo, "situation_room:report", f"WORKS={demo.layer(demo.store, 'works')}",
                               f"CONFLICTS={demo.out / 'conflicts.gpkg'}",
                               f"START_DATE={demo.today.isoformat()}", f"END_DATE={demo.last_day.isoformat()}",
                               f"FORMAT={kind}", f"ROADS={demo.roads}", f"GTFS={demo.gtfs}", f"OUTPUT={path}")
        figures[kind] = {"works": results["WORK_COUNT"], "conflicts": results["CONFLICT_COUNT"],
                         "pages": results.get("PAGE_COUNT")}
    return figures


def exports(demo: Demo) -> dict[str, Any]:
    figures = {}
    for name, algorithm, path in (("WZDx", "export_wzdx", demo.out / "wzdx.geojson"),
                                  ("CIFS", "export_cifs", demo.out / "cifs.xml")):
        results = qgis_process(demo, f"situation_room:{algorithm}", f"WORKS={demo.layer(demo.store, 'works')}",
                               f"ROADS={demo.roads}", f"OUTPUT={path}")
        figures[name] = {"exported": results["EXPORTED_COUNT"], "left out": results["SKIPPED_COUNT"]}
    return figures


def sync(demo: Demo) -> dict[str, Any]:
    """The Comune publishes the conflicts and the busiest day's detours on the platform, where every
    organisation reads them; run again on the same results, nothing is new. No push: the store's works came
    from the feeds (the platform's among them), there is nothing of the room's own to send back."""
    day = demo.figures.get("detours", {}).get("busiest day") or \
        busiest_day(works_in_store(demo), demo.today, demo.last_day).isoformat()
    results = qgis_process(demo, "situation_room:publish_results", f"PROJECT={demo.project}", "SOURCE=platform",
                           f"CONFLICTS={demo.out / 'conflicts.gpkg'}", f"DETOURS={demo.out / 'detours.gpkg'}",
                           f"DATE={day}", f"REPORT={demo.out / 'publish_problems.gpkg'}")
    kinds = (("conflicts", "CONFLICTS"), ("detours", "DETOURS"))
    changes = {f"{kind} {count.lower()}": results[f"{prefix}_{count}"] for kind, prefix in kinds
               for count in ("INSERTED", "UPDATED", "UNCHANGED", "WITHDRAWN")}
    return {"published on the platform": {kind: results[f"{prefix}_INSERTED"] + results[f"{prefix}_UPDATED"]
                                          + results[f"{prefix}_UNCHANGED"] for kind, prefix in kinds},
            "refused": results["REFUSED"], "_changes": changes}


STEPS: tuple[Step, ...] = (
    Step("refresh", "Refresh the shared layers (platform WFS, Toscana Energia GeoJSON, Estracom WZDx)", refresh),
    Step("store", "Add the works to the project's store (upsert by uid)", add_to_store),
    Step("places", "Schools, hospitals and bus stops from OpenStreetMap", places),
    Step("conflicts", "Detect conflicts", conflicts),
    Step("detours", "Detours and bus impact of the busiest day", detours),
    Step("timeline", f"Impact timeline of the next {HORIZON_DAYS} days", timeline),
    Step("reports", "Coordination report (PDF and HTML)", reports),
    Step("exports", "Exports (WZDx 4.2, Waze CIFS)", exports),
    Step("sync", "Publish the conflicts and detours on the platform", sync),
)
#: What the desktop mode runs before QGIS opens (the rest is the dock's to do).
DESKTOP_STEPS = tuple(step for step in STEPS if step.key in ("refresh", "store", "places", "conflicts"))


def run(demo: Demo, steps: tuple[Step, ...] = STEPS, say: Callable[[str], None] = print) -> dict[str, Any]:
    demo.out.mkdir(parents=True, exist_ok=True)
    for number, step in enumerate(steps, 1):
        say(f"[{number}/{len(steps)}] {step.title}")
        found = step.run(demo)
        demo.figures[step.key] = {k: v for k, v in found.items() if not k.startswith("_")}
        for name, value in found.items():
            if name == "_note":
                say(f"      {value}")
            elif name == "_changes":
                say("      this run: " + ", ".join(f"{k} {v}" for k, v in value.items()))
            else:
                say(f"      {name}: {format_value(value)}")
    return demo.figures


def format_value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {format_value(v)}" for k, v in value.items()) or "none"
    return str(value)
