"""What the sync tests share: works placed in Prato, the stores' works by uid, and the platform read back by an
independent client (requests over HTTP Basic, GeoJSON), to compare with what the stores hold."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import requests
import shapely

from situation_room_plugin.core.works import Work
from situation_room_plugin.qgis_io.store import Store
from tests.platform.conftest import COMUNE


def square(i: int, size: float = 12.0) -> shapely.MultiPolygon:
    x, y = 664000 + (i % 100) * 30.0, 4858000 + (i // 100) * 30.0
    return shapely.MultiPolygon([shapely.box(x, y, x + size, y + size)])


def new_work(i: int, owner: str = "publiacqua", **values: Any) -> Work:
    base = {"uid": str(uuid.uuid4()), "title": f"Rete idrica {i}", "owner": owner, "work_type": "excavation",
            "status": "planned", "start_date": date(2026, 3, 2), "end_date": date(2026, 3, 20),
            "geometry": square(i)}
    base.update(values)
    return Work(**base)


def works(path: Path) -> dict[str, Work]:
    with Store.open(path) as store:
        return {w.uid: w for w in store.read_works().works}


def edit(path: Path, uid: str, user: str, **values: Any) -> None:
    """An edit by the store's edit path (revision + 1, time and user), as the form or Processing make it."""
    with Store.open(path) as store:
        work = {w.uid: w for w in store.read_works().works}[uid]
        report = store.add_works([dataclasses.replace(work, **values)], user=user)
        assert report.updated == [uid], report


def add(path: Path, new: list[Work], user: str, organisation: str) -> None:
    with Store.open(path) as store:
        report = store.add_works(new, user=user, organisation=organisation)
        assert len(report.added) == len(new), report


def delete(path: Path, uid: str) -> None:
    with Store.open(path) as store:
        assert store.delete_works([uid]) == 1


def server_works(wfs_url: str, auth: tuple[str, str] = COMUNE) -> dict[str, dict[str, Any]]:
    """Every record of the platform's works (tombstones included) read with requests, by uid."""
    url = wfs_url.split("?")[0]
    answer = requests.get(url, params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature",
                                       "TYPENAME": "works", "OUTPUTFORMAT": "GeoJSON"}, auth=auth, timeout=120)
    answer.raise_for_status()
    return {f["properties"]["uid"]: f["properties"] for f in answer.json()["features"]}


def outbox(path: Path) -> list[tuple[str, str, str]]:
    """(uid, kind, state) of every outbox row."""
    with Store.open(path) as store, store.reading() as conn:
        return conn.execute("SELECT uid, kind, state FROM sync_outbox ORDER BY seq").fetchall()


def assert_converged(wfs_url: str, *stores: Path) -> dict[str, dict[str, Any]]:
    """Every store holds exactly the server's live works, field for field, with empty outboxes."""
    on_server = server_works(wfs_url)
    live = {uid: r for uid, r in on_server.items() if not r["deleted"]}
    for path in stores:
        here = works(path)
        assert set(here) == set(live), (path.name, set(here) ^ set(live))
        for uid, work in here.items():
            record = live[uid]
            for name in ("title", "status", "end_date", "start_date", "owner", "description"):
                assert str(getattr(work, name)) == str(record[name]), (path.name, uid, name)
            assert work.revision == record["revision"], (path.name, uid)
        assert outbox(path) == [], path.name
    return on_server
