"""What the reports call the works' fields and values, and how they write dates, numbers and yes/no, in the
user's language (Italian dates dd/mm/yyyy)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from situation_room_plugin.core.works import FIELDS, FieldKind
from situation_room_plugin.toolbelt.i18n import tr, user_locale
from situation_room_plugin.toolbelt.labels import (
    choice_labels,
    conflict_kind_labels,
    decision_status_labels,
    work_field_labels,
)


def field_labels() -> dict[str, str]:
    """A label for every field of the works schema: the form's (toolbelt/labels.py), the sheet lists them all."""
    return work_field_labels()


def italian() -> bool:
    return user_locale() == "it"


def day_text(day: date | None) -> str:
    """A date as the user writes it: 10/12/2026 in Italian, 2026-12-10 otherwise."""
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y") if italian() else day.isoformat()


def time_text(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if italian() else moment.strftime("%Y-%m-%d %H:%M")


def period_text(first: date | None, last: date | None) -> str:
    if first is None:
        return ""
    if last is None or last == first:
        return day_text(first)
    return tr("{start} – {end}").format(start=day_text(first), end=day_text(last))


def number_text(value: float | None, decimals: int = 0) -> str:
    """A number with the user's decimal comma or point; empty for None."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    if italian():
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def yes_no(value: bool) -> str:
    return tr("yes") if value else tr("no")


def kind_text(kind: str) -> str:
    return conflict_kind_labels().get(kind, kind)


def decision_text(status: str) -> str:
    return decision_status_labels().get(status, status)


def field_text(name: str, value: Any, owner_name: Any = None) -> str:
    """A work's field as the sheet shows it."""
    spec = next((s for s in FIELDS if s.name == name), None)
    if value is None or value == "":
        return ""
    if name == "owner" and owner_name is not None:
        return owner_name(value)
    if spec is not None and spec.kind == FieldKind.CHOICE:
        return choice_labels(name).get(value, str(value))
    if spec is not None and spec.kind == FieldKind.BOOL:
        return yes_no(bool(value))
    if isinstance(value, datetime):
        return time_text(value)
    if isinstance(value, date):
        return day_text(value)
    return str(value)
