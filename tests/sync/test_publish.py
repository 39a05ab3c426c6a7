"""The Comune publishes its latest conflicts and detours on the platform, where every organisation reads them:
new rows inserted, changed ones updated, those gone from the results withdrawn; no one else may publish."""

from __future__ import annotations

from datetime import date

import shapely

from situation_room_plugin.workflows import sync as sy
from tests.platform.conftest import PUBLIACQUA
from tests.sync.helpers import square


def conflict(i: int, severity: float, status: str = "open") -> tuple[dict, shapely.MultiPolygon]:
    return ({"conflict_id": f"clash:{i:04d}:{i + 1:04d}", "kind": "clash", "uid_a": f"a{i}", "uid_b": f"b{i}",
             "owner_a": "publiacqua", "owner_b": "estracom", "severity": severity, "overlap_start": date(2026, 3, 2),
             "overlap_end": date(2026, 3, 9), "gap_days": 0, "distance_m": 0.0, "status": status, "note": "",
             "title_a": "Rete idrica", "title_b": "Fibra", "spaces_lost": 0.0}, square(i))


def detour(i: int) -> tuple[dict, shapely.MultiLineString]:
    x = 664000 + i * 40.0
    line = shapely.MultiLineString([[(x, 4858000), (x + 30, 4858000), (x + 30, 4858020)]])
    return ({"uid": f"detour-{i}", "day": date(2026, 3, 3), "work_uid": f"a{i}", "base_m": 120.0, "detour_m": 340.5,
             "extra_m": 220.5, "extra_s": 31.0, "ratio": 2.84, "status": "ok", "cutoff_m": 0.0, "title": "Via Roma",
             "owner": "publiacqua"}, line)


def published(platform, layer):
    import requests

    answer = requests.get(platform.wfs_url.split("?")[0], params={
        "SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": layer, "OUTPUTFORMAT": "GeoJSON"},
        auth=PUBLIACQUA, timeout=60)  # read by another organisation
    answer.raise_for_status()
    return {f["properties"].get("conflict_id") or f["properties"]["uid"]: f for f in answer.json()["features"]}


def test_the_comune_publishes_updates_and_withdraws_results_that_everyone_reads(platform, sources):
    first = sy.publish_results(sources["comune"], "conflicts", [conflict(1, 0.8), conflict(2, 0.4)])
    assert (first.written, first.refused) == (2, 0), first.problems
    again = sy.publish_results(sources["comune"], "conflicts", [conflict(1, 0.9, "acknowledged")])
    assert (again.written, again.withdrawn, again.unchanged) == (1, 1, 0), again.problems
    rows = published(platform, "published_conflicts")
    one, two = rows["clash:0001:0002"]["properties"], rows["clash:0002:0003"]["properties"]
    assert (one["severity"], one["status"], one["revision"]) == (0.9, "acknowledged", 2)
    assert two["deleted"] is True
    same = sy.publish_results(sources["comune"], "conflicts", [conflict(1, 0.9, "acknowledged")])
    assert (same.written, same.unchanged, same.withdrawn) == (0, 1, 0)
    lines = sy.publish_results(sources["comune"], "detours", [detour(1), detour(2)])
    assert lines.written == 2, lines.problems
    route = published(platform, "published_detours")["detour-1"]
    assert route["properties"]["work_owner"] == "publiacqua" and route["geometry"]["type"] == "MultiLineString"


def test_another_organisation_cannot_publish_results(platform, sources):
    report = sy.publish_results(sources["publiacqua"], "conflicts", [conflict(7, 0.5)], organisation="publiacqua")
    assert report.written == report.withdrawn == 0 and report.refused >= 1  # nor withdraw the Comune's
    assert all("No permissions" in p.params["value"] for p in report.problems)
    rows = published(platform, "published_conflicts")
    assert "clash:0007:0008" not in rows
    assert all(f["properties"]["owner"] == "comune" for f in rows.values())
