"""What the interface calls the domain's values, in the user's language: one place for every label of an
enum that the dock, the forms, the legends and the reports show."""

from __future__ import annotations

from situation_room_plugin.core.alerts import AlertKind
from situation_room_plugin.core.conflicts import ConflictKind
from situation_room_plugin.core.decisions import DecisionStatus
from situation_room_plugin.core.works import Status
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
