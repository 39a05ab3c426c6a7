"""What the interface calls the domain's values, in the user's language: one place for every label of an
enum that the dock, the forms, the legends and the reports show."""

from __future__ import annotations

from situation_room_plugin.core.alerts import AlertKind
from situation_room_plugin.core.conflicts import ConflictKind
from situation_room_plugin.core.decisions import DecisionStatus
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.works import ClosedDirection, Status, TrafficImpact, WorkType
from situation_room_plugin.toolbelt.i18n import tr


def work_status_labels() -> dict[str, str]:
    """A work's status (draft … cancelled)."""
    return {
        Status.DRAFT.value: tr("Draft"),
        Status.PLANNED.value: tr("Planned"),
        Status.AUTHORIZED.value: tr("Authorized"),
        Status.IN_PROGRESS.value: tr("In progress"),
        Status.COMPLETED.value: tr("Completed"),
        Status.CANCELLED.value: tr("Cancelled"),
    }


def conflict_kind_labels() -> dict[str, str]:
    return {
        ConflictKind.CLASH.value: tr("Clash"),
        ConflictKind.OPPORTUNITY.value: tr("Opportunity"),
        ConflictKind.MORATORIUM.value: tr("Moratorium"),
        ConflictKind.SENSITIVE.value: tr("Sensitive place"),
        ConflictKind.PARKING.value: tr("Parking"),
    }


def place_kind_labels() -> dict[str, str]:
    """The kinds of the places a conflict names after the place (OpenStreetMap's amenities, bus stops, the
    protected streets): core.conflicts writes them as `name (kind)`."""
    return {
        "school": tr("school"), "kindergarten": tr("kindergarten"), "childcare": tr("childcare"),
        "college": tr("college"), "university": tr("university"), "hospital": tr("hospital"),
        "clinic": tr("clinic"), "nursing_home": tr("nursing home"), "bus_stop": tr("bus stop"),
        "event": tr("event"), "parking": tr("parking"), "protected": tr("protected street"),
    }


def decision_status_labels() -> dict[str, str]:
    """The room's decision on a conflict."""
    return {
        DecisionStatus.OPEN.value: tr("Open"),
        DecisionStatus.ACKNOWLEDGED.value: tr("Acknowledged"),
        DecisionStatus.RESOLVED.value: tr("Resolved"),
        DecisionStatus.ACCEPTED.value: tr("Accepted"),
    }


def alert_kind_labels() -> dict[str, str]:
    """What an alert is about (the Alerts tab, the message bar line)."""
    return {
        AlertKind.OVERDUE.value: tr("Past its end date"),
        AlertKind.NO_PERMIT.value: tr("No permit"),
        AlertKind.NEW_CONFLICT.value: tr("New conflict"),
        AlertKind.WORSE_CONFLICT.value: tr("Worse conflict"),
        AlertKind.STALE_FEED.value: tr("Old offline copy"),
    }


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
        ClosedDirection.FORWARD.value: tr("Along the road's drawing direction"),
        ClosedDirection.BACKWARD.value: tr("Against the road's drawing direction"),
    }


def choice_labels(field_name: str) -> dict[str, str]:
    """The labels of an enumerated works field's values ({} for a field that is not one)."""
    return {
        "work_type": work_type_labels, "status": work_status_labels, "traffic_impact": traffic_impact_labels,
        "closed_direction": closed_direction_labels,
    }.get(field_name, dict)()


def work_field_labels() -> dict[str, str]:
    """What the form, the tables and the reports call each field of the works schema."""
    return {
        "uid": tr("Identifier (uid)"),
        "title": tr("Title"),
        "description": tr("Description"),
        "owner": tr("Organisation"),
        "work_type": tr("Type of work"),
        "status": tr("Status"),
        "start_date": tr("Start date"),
        "end_date": tr("End date"),
        "daily_hours": tr("Working hours (e.g. 08:00-17:00)"),
        "night_work": tr("Night work"),
        "traffic_impact": tr("Traffic impact"),
        "closed_direction": tr("Closed direction"),
        "excavation": tr("Opens the ground"),
        "permit_ref": tr("Permit reference"),
        "contact": tr("Contact"),
        "earliest_start": tr("Earliest possible start"),
        "latest_end": tr("Latest possible end"),
        "created_at": tr("Created"),
        "updated_at": tr("Last changed"),
        "revision": tr("Revision"),
        "updated_by": tr("Changed by"),
        "source": tr("Source"),
    }


def owner_name(code: str, owners: OwnerRegistry) -> str:
    """An organisation's name from its code (the code itself when the registry does not know it)."""
    found = owners.get(code) if code else None
    return found.name if found is not None else (code or "")
