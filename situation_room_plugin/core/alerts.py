"""Alerts: what the coordination room should look at now — works past their end date and not completed,
works starting soon without a permit reference, conflicts that a detection run found new or worse, and
shared layers whose offline copy is older than their refresh interval.

Pure rules over plain data (works, decisions, snapshots, sources, today): no Qt, no store. Each alert
carries a message template code and its parameters; the templates are written here in English and marked
with QT_TRANSLATE_NOOP in the "Alerts" context, so the QGIS side shows them in the user's language
(`toolbelt.i18n.alert_message`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Optional

from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.conflicts import WORK_PAIR_KINDS, ConflictKind
from situation_room_plugin.core.decisions import Decision
from situation_room_plugin.core.problems import format_message
from situation_room_plugin.core.sources import Source, refreshes_automatically
from situation_room_plugin.core.works import INACTIVE_STATUSES, Work, is_blank

CONTEXT = "Alerts"

#: Days ahead the permit alert looks by default (the user's setting overrides it).
DEFAULT_DAYS_AHEAD = 7


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    return text


class AlertKind(str, Enum):
    OVERDUE = "overdue"  # past its end date and not completed
    NO_PERMIT = "no_permit"  # starts within the days ahead without a permit reference
    NEW_CONFLICT = "new_conflict"  # first found by the last detection run
    WORSE_CONFLICT = "worse_conflict"  # found again by the last run, with a higher severity
    STALE_FEED = "stale_feed"  # a shared layer's offline copy older than its refresh interval


class AlertSeverity(str, Enum):
    """How pressing an alert is: a warning asks for action, information is good to know."""

    WARNING = "warning"
    INFO = "info"


TEMPLATES: dict[str, str] = {
    "overdue": QT_TRANSLATE_NOOP("Alerts", "Past its end date ({end_date}, {days} days ago) and not completed."),
    "no_permit": QT_TRANSLATE_NOOP("Alerts", "Starts on {start_date} (in {days} days) without a permit reference."),
    "new_clash": QT_TRANSLATE_NOOP("Alerts", "New clash with «{other}» ({other_owner}), severity {severity}."),
    "new_opportunity": QT_TRANSLATE_NOOP("Alerts", "New dig-once opportunity with «{other}» ({other_owner})."),
    "new_moratorium": QT_TRANSLATE_NOOP("Alerts", "New: digs the protected street {other}, severity {severity}."),
    "new_sensitive": QT_TRANSLATE_NOOP("Alerts", "New: works by the sensitive place {other}, severity {severity}."),
    "new_parking": QT_TRANSLATE_NOOP("Alerts", "New: takes parking of {other}, severity {severity}."),
    "worse_conflict": QT_TRANSLATE_NOOP(
        "Alerts", "Conflict with «{other}» worse since the previous run: severity {previous} → {severity}."
    ),
    "stale_feed": QT_TRANSLATE_NOOP(
        "Alerts", "The offline copy is {hours} hours old, older than its refresh interval ({minutes} minutes)."
    ),
    "no_copy": QT_TRANSLATE_NOOP("Alerts", "No offline copy yet (refresh interval {minutes} minutes)."),
}


@dataclass(frozen=True)
class Alert:
    """One alert. `subject` is what it is about: a work's uid, a conflict's id, a source's id; `day` the
    date it concerns (the end date of an overdue work, the start of a work or conflict, the day of a feed's
    copy); `work_uid` and `geometry` the work to show on the map (None: nothing to zoom to)."""

    kind: str
    severity: str  # AlertSeverity
    subject: str
    title: str
    owner: str
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    day: Optional[date] = None
    work_uid: str = ""
    geometry: Optional[BaseGeometry] = field(default=None, compare=False, hash=False, repr=False)

    @property
    def message(self) -> str:
        """The English message (the QGIS side translates the template first)."""
        return format_message(TEMPLATES[self.code], self.params, "")

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two alerts the same one (shown once a session): its kind, subject and day, and for a
        worse conflict its severity (a conflict that gets worse again is a new alert)."""
        return (self.kind, self.subject, self.day.isoformat() if self.day else "",
                str(self.params.get("severity", "")) if self.kind == AlertKind.WORSE_CONFLICT.value else "")


_SEVERITY_ORDER = {AlertSeverity.WARNING.value: 0, AlertSeverity.INFO.value: 1}
_KIND_ORDER = {kind.value: i for i, kind in enumerate(AlertKind)}


def ordered(alerts: Iterable[Alert]) -> list[Alert]:
    """Warnings first, then by kind (AlertKind's order), then the earliest day, then the title."""
    return sorted(alerts, key=lambda a: (_SEVERITY_ORDER.get(a.severity, 9), _KIND_ORDER.get(a.kind, 9),
                                         a.day or date.max, a.title, a.subject))


# -- works --------------------------------------------------------------------------------------------------


def overdue_works(works: Iterable[Work], today: date) -> list[Alert]:
    """Works whose end date has passed (a work ending today is not overdue) that are neither completed nor
    cancelled."""
    return [
        Alert(AlertKind.OVERDUE.value, AlertSeverity.WARNING.value, w.uid, w.title, w.owner, "overdue",
              {"end_date": w.end_date.isoformat(), "days": (today - w.end_date).days}, w.end_date, w.uid, w.geometry)
        for w in works
        if w.status not in INACTIVE_STATUSES and w.end_date < today
    ]


def works_without_permit(works: Iterable[Work], today: date, days_ahead: int = DEFAULT_DAYS_AHEAD) -> list[Alert]:
    """Works starting from today to `days_ahead` days later (inclusive) whose permit reference is empty or
    only spaces, unless completed or cancelled."""
    last = today + timedelta(days=max(0, days_ahead))
    return [
        Alert(AlertKind.NO_PERMIT.value, AlertSeverity.WARNING.value, w.uid, w.title, w.owner, "no_permit",
              {"start_date": w.start_date.isoformat(), "days": (w.start_date - today).days}, w.start_date, w.uid,
              w.geometry)
        for w in works
        if w.status not in INACTIVE_STATUSES and today <= w.start_date <= last and is_blank(w.permit_ref)
    ]


# -- conflicts ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRecord:
    """What the alerts need of one conflict as one run left it: its works (titles and owners when known),
    its severity (None: not known), whether it is gone, the day it concerns and where it is."""

    conflict_id: str
    kind: str
    uid_a: str
    uid_b: str
    severity: Optional[float] = None
    gone: bool = False
    title_a: str = ""
    title_b: str = ""
    owner_a: str = ""
    owner_b: str = ""
    day: Optional[date] = None
    geometry: Optional[BaseGeometry] = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class ConflictTrack:
    """The severities a conflict had at the runs that found it, as the store keeps them beside its decision:
    at the last run that found it (`run_at`), at the run before that found it (None: unknown, or first
    found by the last one), and the moment of the run that found it first (None: before severities were
    kept)."""

    severity: Optional[float] = None
    previous_severity: Optional[float] = None
    run_at: Optional[datetime] = None
    first_run_at: Optional[datetime] = None


def shown_severity(severity: Optional[float]) -> Optional[int]:
    """A severity as the interface shows it (a whole number): what "worse" compares."""
    return None if severity is None else round(float(severity))


def conflict_alerts(before: Mapping[str, ConflictRecord], after: Mapping[str, ConflictRecord]) -> list[Alert]:
    """The conflicts a run made new or worse, from the conflicts as they were before the run and after it.

    New: found by the run and not known before it (a conflict known before, even gone, is not new). Worse:
    found before and by the run, with a severity the interface shows higher. Gone conflicts are never
    alerts; a conflict found again with the same severity is not one either.
    """
    alerts = []
    for cid, now in after.items():
        if now.gone:
            continue
        was = before.get(cid)
        pair = now.kind in {k.value for k in WORK_PAIR_KINDS}
        owner = " / ".join(dict.fromkeys(o for o in (now.owner_a, now.owner_b if pair else "") if o))
        params = {"other": now.title_b or now.uid_b, "other_owner": now.owner_b,
                  "severity": shown_severity(now.severity) if now.severity is not None else "?"}
        opportunity = now.kind == ConflictKind.OPPORTUNITY.value
        severity = AlertSeverity.INFO.value if opportunity else AlertSeverity.WARNING.value
        if was is None:
            alerts.append(Alert(AlertKind.NEW_CONFLICT.value, severity, cid, now.title_a or now.uid_a, owner,
                                f"new_{now.kind}" if f"new_{now.kind}" in TEMPLATES else "new_clash", params,
                                now.day, now.uid_a, now.geometry))
            continue
        old, new = shown_severity(was.severity), shown_severity(now.severity)
        if old is not None and new is not None and new > old:
            alerts.append(Alert(AlertKind.WORSE_CONFLICT.value, severity, cid, now.title_a or now.uid_a, owner,
                                "worse_conflict", {**params, "previous": old}, now.day, now.uid_a, now.geometry))
    return alerts


def last_run(
    decisions: Mapping[str, Decision], tracks: Mapping[str, ConflictTrack]
) -> tuple[dict[str, ConflictRecord], dict[str, ConflictRecord]]:
    """The conflicts before and after the store's last detection run (the latest `run_at`), rebuilt from
    the decisions and the severities kept beside them: after it, every conflict that run found; before it,
    those of them known already, with the severity they had then. Conflicts of older runs are in neither."""
    runs = [t.run_at for t in tracks.values() if t.run_at is not None]
    if not runs:
        return {}, {}
    latest = max(runs)
    before: dict[str, ConflictRecord] = {}
    after: dict[str, ConflictRecord] = {}
    for cid, track in tracks.items():
        decision = decisions.get(cid)
        if decision is None or track.run_at != latest:
            continue
        record = ConflictRecord(cid, decision.kind, decision.uid_a, decision.uid_b, track.severity, decision.is_gone)
        after[cid] = record
        if track.first_run_at != latest:
            before[cid] = ConflictRecord(cid, decision.kind, decision.uid_a, decision.uid_b,
                                         track.previous_severity)
    return before, after


def described(records: Mapping[str, ConflictRecord], works: Mapping[str, Work]) -> dict[str, ConflictRecord]:
    """Conflict records completed from the works they involve: titles, owners, the day they concern (the
    later start of two works, the start of a work by a place) and a footprint to zoom to. What a record
    already says is kept."""
    out = {}
    for cid, record in records.items():
        a, b = works.get(record.uid_a), works.get(record.uid_b)
        starts = [w.start_date for w in (a, b) if w is not None]
        geometry = record.geometry if record.geometry is not None else (a.geometry if a is not None else None)
        out[cid] = ConflictRecord(
            cid, record.kind, record.uid_a, record.uid_b, record.severity, record.gone,
            record.title_a or (a.title if a else ""), record.title_b or (b.title if b else ""),
            record.owner_a or (a.owner if a else ""), record.owner_b or (b.owner if b else ""),
            record.day or (max(starts) if starts else None), geometry,
        )
    return out


# -- shared layers ------------------------------------------------------------------------------------------


def stale_feeds(sources: Sequence[Source], copies: Mapping[str, Optional[datetime]], now: datetime) -> list[Alert]:
    """Sources whose offline copy was last checked more than their `refresh_minutes` ago (a copy exactly
    that old is not stale yet: its refresh is due), or that have no copy at all. Sources refreshed by hand
    only (`refresh_minutes` 0) and GTFS are never stale. `copies`: source id -> checked_at."""
    alerts = []
    for source in sources:
        if not refreshes_automatically(source):
            continue
        checked = copies.get(source.id)
        minutes = source.refresh_minutes
        if checked is None:
            alerts.append(Alert(AlertKind.STALE_FEED.value, AlertSeverity.INFO.value, source.id, source.title,
                                source.owner, "no_copy", {"minutes": minutes}, None))
            continue
        age = now - checked
        if age > timedelta(minutes=minutes):
            alerts.append(Alert(AlertKind.STALE_FEED.value, AlertSeverity.INFO.value, source.id, source.title,
                                source.owner, "stale_feed",
                                {"hours": f"{age.total_seconds() / 3600:.1f}", "minutes": minutes}, checked.date()))
    return alerts
