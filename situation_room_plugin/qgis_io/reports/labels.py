"""What the reports call the works' fields and values, and how they write dates, numbers and yes/no, in the
user's language (Italian dates dd/mm/yyyy)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from situation_room_plugin.core.works import FIELDS, ClosedDirection, FieldKind, TrafficImpact, WorkType
from situation_room_plugin.toolbelt.i18n import tr, user_locale
from situation_room_plugin.toolbelt.labels import conflict_kind_labels, decision_status_labels, work_status_labels


def field_labels() -> dict[str, str]:
    """A label for every field of the works schema (core/works.py FIELDS): the sheet lists them all."""
    labels = {
        "uid": tr("Identifier"), "title": tr("Title"), "description": tr("Description"),
        "owner": tr("Organisation"), "work_type": tr("Type of work"), "status": tr("Status"),
        "start_date": tr("Start"), "end_date": tr("End"), "daily_hours": tr("Working hours"),
        "night_work": tr("Night work"), "traffic_impact": tr("Traffic"), "closed_direction": tr("Direction closed"),
        "excavation": tr("Excavation"), "permit_ref": tr("Permit"), "contact": tr("Contact"),
        "earliest_start": tr("Earliest start"), "latest_end": tr("Latest end"), "created_at": tr("Created"),
        "updated_at": tr("Updated"), "revision": tr("Revision"), "updated_by": tr("Updated by"),
        "source": tr("Source"),
    }
    return {spec.name: labels.get(spec.name, spec.name) for spec in FIELDS}


def work_type_labels() -> dict[str, str]:
    return {
        WorkType.EXCAVATION.value: tr("Excavation"),
        WorkType.NETWORK_MAINTENANCE.value: tr("Network maintenance"),
        WorkType.NEW_CONNECTION.value: tr("New connection"),
        WorkType.RESURFACING.value: tr("Resurfacing"),
        WorkType.ROAD_CONSTRUCTION.value: tr("Road construction"),
        WorkType.EVENT.value: tr("Event"),
        WorkType.OTHER.value: tr("Other"),
    }


def traffic_impact_labels() -> dict[str, str]:
    return {
        TrafficImpact.ALL_LANES_CLOSED.value: tr("Road closed"),
        TrafficImpact.SOME_LANES_CLOSED.value: tr("Some lanes closed"),
        TrafficImpact.ALTERNATING_ONE_WAY.value: tr("Alternating one-way"),
        TrafficImpact.ALL_LANES_OPEN.value: tr("All lanes open"),
        TrafficImpact.UNKNOWN.value: tr("Unknown"),
    }


def closed_direction_labels() -> dict[str, str]:
    return {
        ClosedDirection.BOTH.value: tr("Both directions"),
        ClosedDirection.FORWARD.value: tr("Digitised direction"),
        ClosedDirection.BACKWARD.value: tr("Against the digitised direction"),
    }


def choice_labels() -> dict[str, dict[str, str]]:
    """The labels of the values of each choice field of the schema."""
    return {"work_type": work_type_labels(), "status": work_status_labels(),
            "traffic_impact": traffic_impact_labels(), "closed_direction": closed_direction_labels()}


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
        return choice_labels().get(name, {}).get(value, str(value))
    if spec is not None and spec.kind == FieldKind.BOOL:
        return yes_no(bool(value))
    if isinstance(value, datetime):
        return time_text(value)
    if isinstance(value, date):
        return day_text(value)
    return str(value)
