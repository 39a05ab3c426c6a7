"""The tables of the reports, once: what each column is called and shows (in the user's language) and what its
CSV holds (ISO dates, numbers as numbers, no formulas: qgis_io/csv_output.py)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from situation_room_plugin.qgis_io.csv_output import spreadsheet_safe
from situation_room_plugin.qgis_io.reports.labels import (
    decision_text,
    field_labels,
    field_text,
    kind_text,
    number_text,
    period_text,
)
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.labels import place_kind_labels
from situation_room_plugin.workflows.reports import ConflictRow, NetworkImpact, Report, WorkSheet


@dataclass
class Table:
    """`name`: the CSV's suffix (`<output>_<name>.csv`); `rows`: what a reader sees; `raw`: the CSV's values."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    raw: list[list[Any]] = field(default_factory=list)
    numeric: tuple[int, ...] = ()  # the columns aligned right
    empty: str = ""  # what the table says when it has no row
    csv_headers: list[str] = field(default_factory=list)  # when they differ (a Dates column is From and To)

    def add(self, shown: Sequence[str], raw: Sequence[Any]) -> None:
        self.rows.append(list(shown))
        self.raw.append(list(raw))

    def shown_rows(self, empty_column: int = 0) -> list[list[str]]:
        """The rows, or one row saying there is none (in `empty_column`, the widest)."""
        if self.rows:
            return self.rows
        row = [""] * len(self.headers)
        row[empty_column] = self.empty
        return [row]

    def html(self) -> str:
        head = "".join(f"<th>{escape(h)}</th>" for h in self.headers)
        body = []
        for row in self.shown_rows():
            cells = "".join(f'<td class="num">{escape(c)}</td>' if i in self.numeric and self.rows
                            else f"<td>{escape(c)}</td>" for i, c in enumerate(row))
            body.append(f"<tr>{cells}</tr>")
        return (f'<table class="{escape(self.name)}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 3)
    return spreadsheet_safe(value)


def _place_title(title: str) -> str:
    """A place's `name (kind)`, or `kind` for a place without a name (as core.conflicts writes them), with its
    kind in the user's language."""
    labels = place_kind_labels()
    if title in labels:
        return labels[title]
    name, _, kind = title.rpartition(" (")
    label = labels.get(kind[:-1]) if name and kind.endswith(")") else None
    return f"{name} ({label})" if label else title


def _works_text(c: ConflictRow, name: Any) -> tuple[str, str]:
    """The two works (or the work and the place) and their organisations."""
    second = c.title_b or c.uid_b
    if c.owner_b == "" and c.title_b:  # a place, not a work
        second = _place_title(c.title_b)
    owners = name(c.owner_a) if not c.owner_b or c.owner_b == c.owner_a else f"{name(c.owner_a)} / {name(c.owner_b)}"
    return f"{c.title_a or c.uid_a} ↔ {second}", owners


def conflicts_table(conflicts: Sequence[ConflictRow], name: Any) -> Table:
    table = Table("conflicts", tr("Conflicts"), [tr("Kind"), tr("Works"), tr("Organisations"), tr("Dates"),
                                                 tr("Severity"), tr("Decision"), tr("Note")], numeric=(4,),
                  empty=tr("No conflict in this period."))
    for c in conflicts:
        works, owners = _works_text(c, name)
        dates = period_text(c.overlap_start, c.overlap_end)
        if not dates and c.gap_days is not None:  # a dig-once opportunity: how far apart the two are
            dates = tr("{days} days apart").format(days=c.gap_days)
        table.add([kind_text(c.kind), works, owners, dates,
                   number_text(c.severity), decision_text(c.status), c.note],
                  [kind_text(c.kind), works, owners, c.overlap_start, c.overlap_end, c.severity,
                   decision_text(c.status), c.note])
    return _split_dates(table, 3)


def _split_dates(table: Table, column: int) -> Table:
    """The CSV of a table with a Dates column has two, from and to (the raw rows hold both already)."""
    table.csv_headers = [*table.headers[:column], tr("From"), tr("To"), *table.headers[column + 1:]]
    return table


def write_csv(table: Table, path: Path) -> Path:
    headers = table.csv_headers or table.headers
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([spreadsheet_safe(h) for h in headers])
        for row in table.raw:
            writer.writerow([_csv_value(v) for v in row])
    return path


def owners_table(report: Report) -> Table:
    table = Table("organisations", tr("Summary per organisation"),
                  [tr("Organisation"), tr("Works"), tr("Road closures"), tr("Days on the street"), tr("Conflicts"),
                   tr("Open conflicts")], numeric=(1, 2, 3, 4, 5), empty=tr("No work in this period."))
    for o in report.owners:
        values = [o.works, o.closures, o.work_days, o.conflicts, o.open_conflicts]
        table.add([o.name] + [number_text(v) for v in values], [o.name, *values])
    return table


def works_table(report: Report) -> Table:
    labels = field_labels()
    table = Table("works", tr("Works"), [labels["title"], labels["owner"], labels["work_type"], labels["status"],
                                         tr("Dates"), labels["traffic_impact"]],
                  empty=tr("No work in this period."))
    for w in report.works:
        shown = [w.title, report.owner_name(w.owner), field_text("work_type", w.work_type),
                 field_text("status", w.status), period_text(w.start_date, w.end_date),
                 field_text("traffic_impact", w.traffic_impact)]
        table.add(shown, [*shown[:4], w.start_date, w.end_date, shown[5]])
    return _split_dates(table, 4)


def detours_table(network: NetworkImpact, name: Any) -> Table:
    table = Table("detours", tr("Detours"), [tr("Work"), tr("Organisation"), tr("Dates"), tr("Blocked stretches"),
                                             tr("Without a way round"), tr("Longest detour (m)"),
                                             tr("Extra time (s)"), tr("Road cut off (m)")],
                  numeric=(3, 4, 5, 6, 7), empty=tr("No work closes a road in this period.") if network.computed
                  else tr("No detours: give the road network (or a detours layer) to compute them."))
    for d in network.detours:
        table.add([d.title, name(d.owner), period_text(d.date_from, d.date_to), number_text(d.stretches),
                   number_text(d.no_detour), number_text(d.extra_m), number_text(d.extra_s),
                   number_text(d.cutoff_m)],
                  [d.title, name(d.owner), d.date_from, d.date_to, d.stretches, d.no_detour, d.extra_m, d.extra_s,
                   d.cutoff_m])
    return _split_dates(table, 2)


def cutoff_table(network: NetworkImpact) -> Table:
    table = Table("cutoff", tr("Streets cut off"), [tr("Street"), tr("Works responsible"), tr("Dates"),
                                                    tr("Length (m)")], numeric=(3,),
                  empty=tr("No street is cut off.") if network.computed
                  else tr("Not computed: give the road network."))
    for c in network.cutoff:
        street = c.name or tr("(unnamed road)")
        table.add([street, c.works, period_text(c.date_from, c.date_to), number_text(c.length_m)],
                  [street, c.works, c.date_from, c.date_to, c.length_m])
    return _split_dates(table, 2)


def bus_table(network: NetworkImpact) -> Table:
    if not network.computed:
        empty = tr("Not computed: give the road network and the bus network (GTFS).")
    elif not network.with_bus:
        empty = tr("Not computed: give the bus network (GTFS).")
    else:
        empty = tr("No bus route drives along a closed road.")
    table = Table("bus", tr("Bus routes affected"), [tr("Route"), tr("Name"), tr("Dates"), tr("Trips (first day)"),
                                                     tr("Stops skipped"), tr("Extra metres")],
                  numeric=(3, 4, 5), empty=empty)
    for b in network.bus:
        extra = number_text(b.extra_m) if b.extra_m is not None else tr("no way round")
        table.add([b.route, b.long_name, period_text(b.date_from, b.date_to), number_text(b.trips_affected),
                   number_text(b.stops_skipped), extra],
                  [b.route, b.long_name, b.date_from, b.date_to, b.trips_affected, b.stops_skipped, b.extra_m])
    return _split_dates(table, 2)


def days_table(report: Report) -> Table:
    headers = [tr("Date"), tr("Works on the street"), tr("Road closures"), tr("Conflicts")]
    with_roads = report.network.computed
    with_bus = report.network.with_bus
    if with_roads:
        headers.append(tr("Extra metres of detours"))
    if with_bus:
        headers.append(tr("Bus trips affected"))
    table = Table("days", tr("Impact day by day"), headers, numeric=tuple(range(1, len(headers))))
    for d in report.days:
        raw: list[Any] = [d.day, d.works, d.closures, d.conflicts]
        if with_roads:
            raw.append(d.extra_m)
        if with_bus:
            raw.append(d.bus_trips)
        table.add([period_text(d.day, d.day)] + [number_text(v) for v in raw[1:]], raw)
    return table


def report_tables(report: Report) -> list[Table]:
    """Every table of a report, in the order of the report."""
    name = report.owner_name
    return [owners_table(report), works_table(report), conflicts_table(report.conflicts, name),
            detours_table(report.network, name), cutoff_table(report.network), bus_table(report.network),
            days_table(report)]


def sheet_fields_table(sheet: WorkSheet) -> Table:
    table = Table("work", tr("The work"), [tr("Field"), tr("Value")])
    for key, label in field_labels().items():
        value = getattr(sheet.work, key)
        table.add([label, field_text(key, value, sheet.owner_name)], [label, value])
    return table


def sheet_tables(sheet: WorkSheet) -> list[Table]:
    name = sheet.owner_name
    return [sheet_fields_table(sheet), conflicts_table(sheet.conflicts, name), detours_table(sheet.network, name),
            cutoff_table(sheet.network), bus_table(sheet.network)]


#: The columns the site sheet prints of each table (its page is narrow; the CSVs keep every column): the
#: work's own title and organisation are the sheet's, not repeated.
SHEET_COLUMNS = {"conflicts": (0, 1, 3, 4, 5), "detours": (2, 3, 4, 5, 6, 7), "cutoff": (0, 2, 3),
                 "bus": (0, 2, 3, 5)}
#: The rows each of them has room for on the sheet; past it, the last row says how many more the CSV has.
SHEET_ROWS = {"conflicts": 4, "detours": 2, "cutoff": 2, "bus": 2}


def compact(table: Table, columns: Sequence[int], rows: int | None = None, csv_name: str = "") -> Table:
    """The table with only `columns` and at most `rows` rows (for print: its CSV is the whole table)."""
    out = Table(f"sheet_{table.name}", table.title, [table.headers[i] for i in columns],
                numeric=tuple(k for k, i in enumerate(columns) if i in table.numeric), empty=table.empty)
    shown = table.rows if rows is None or len(table.rows) <= rows else table.rows[:rows - 1]
    for row in shown:
        out.add([row[i] for i in columns], [])
    if len(shown) < len(table.rows):
        more = [""] * len(columns)
        widest = max(range(len(columns)), key=lambda k: len(out.rows[0][k]) if out.rows else 0)
        more[widest] = tr(
            "… {count} more rows in {file}").format(count=len(table.rows) - len(shown), file=csv_name)
        out.add(more, [])
    return out


def write_csvs(tables: Sequence[Table], output: Path) -> list[Path]:
    """A CSV for every table next to `output`: report.pdf → report_conflicts.csv, report_detours.csv…"""
    return [write_csv(t, output.with_name(f"{output.stem}_{t.name}.csv")) for t in tables]
