"""CAP's GTFS re-dated for the demo. The timetable in ../shared/data is of spring 2016: on the demo's dates
(around today) none of its services runs, and the detour engine rightly finds no bus (it warns that the
network runs from ... to ...). The engine has no weekday mapping of its own, so the demo makes one, in the
open: each demo day runs the services of the same weekday of one reference week of the 2016 timetable
(calendar_dates.txt rewritten; every other file copied as it is). Public holidays are not mapped: a demo
Sunday is a 2016 Sunday, a demo holiday on a weekday a 2016 weekday.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from situation_room_plugin.core.transit import read_gtfs


@dataclass(frozen=True)
class Redated:
    path: Path
    #: The Monday of the 2016 week whose days the demo's days run.
    reference_monday: date
    period: tuple[date, date]
    first: date
    last: date


def reference_week(service_days: dict[date, set[str]]) -> date:
    """The first Monday of the timetable from which every day of the week has services (the busiest such week
    would favour a special week; the first plain one is the honest choice)."""
    days = sorted(service_days)
    for day in days:
        if day.weekday() == 0 and all(service_days.get(day + timedelta(i)) for i in range(7)):
            return day
    raise ValueError("the GTFS has no full week of service to map the demo's days onto")


def redate(source: Path, target: Path, first: date, last: date) -> Redated:
    """A copy of the GTFS zip `source` at `target` whose services run on `first`..`last` as on the same weekday
    of its reference week."""
    feed = read_gtfs(source)
    period = feed.service_period()
    if period is None:
        raise ValueError(f"{source}: no service days")
    services = sorted({t.service_id for t in feed.trips})
    service_days: dict[date, set[str]] = {}
    day = period[0]
    while day <= period[1]:
        service_days[day] = {s for s in services if feed.runs_on(s, day)}
        day += timedelta(days=1)
    monday = reference_week(service_days)
    rows = []
    day = first
    while day <= last:
        reference = monday + timedelta(days=day.weekday())
        rows += [(s, day.strftime("%Y%m%d"), "1") for s in sorted(service_days[reference])]
        day += timedelta(days=1)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in ("calendar.txt", "calendar_dates.txt"):
                continue
            new.writestr(_fixed(info.filename), old.read(info))
        new.writestr(_fixed("calendar_dates.txt"), _csv(("service_id", "date", "exception_type"), rows))
    partial.replace(target)
    return Redated(target, monday, period, first, last)


def _fixed(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed time, so that the same days give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2016, 4, 7, 11, 24, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _csv(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
