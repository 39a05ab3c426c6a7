"""Problems found in input records: a stable code, the record and field it concerns, and a message.

Message templates are written once, here, in English. `QT_TRANSLATE_NOOP` is a local no-op that marks
them for pylupdate5, so that the QGIS side can show them in the user's language without core importing Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

CONTEXT = "Problems"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    return text


class Severity(str, Enum):
    """An error rejects the record; a warning keeps it (repaired or defaulted) and says what was done."""

    ERROR = "error"
    WARNING = "warning"


TEMPLATES: dict[str, str] = {
    "missing_value": QT_TRANSLATE_NOOP("Problems", "Field '{field}' is mandatory and is empty."),
    "bad_date": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has '{value}', which is not a date (expected YYYY-MM-DD)."
    ),
    "bad_datetime": QT_TRANSLATE_NOOP(
        "Problems", "Field '{field}' has '{value}', which is not a date and time (expected ISO 8601)."
    ),
    "end_before_start": QT_TRANSLATE_NOOP("Problems", "End date {end_date} is before start date {start_date}."),
    "window_too_narrow": QT_TRANSLATE_NOOP(
        "Problems",
        "The window {earliest_start} to {latest_end} cannot hold the work from {start_date} to {end_date}."
    ),
    "unknown_owner": QT_TRANSLATE_NOOP(
        "Problems", "Owner '{value}' is not in the organisation registry (known: {allowed})."
    ),
    "unknown_value": QT_TRANSLATE_NOOP("Problems", "Field '{field}' has '{value}', which is not one of: {allowed}."),
    "bad_bool": QT_TRANSLATE_NOOP("Problems", "Field '{field}' has '{value}', which is not yes/no."),
    "bad_integer": QT_TRANSLATE_NOOP("Problems", "Field '{field}' has '{value}', which is not a whole number."),
    "bad_uid": QT_TRANSLATE_NOOP("Problems", "Field 'uid' has '{value}', which is not a UUID."),
    "uid_assigned": QT_TRANSLATE_NOOP("Problems", "The record had no uid: {value} was assigned."),
    "duplicate_uid": QT_TRANSLATE_NOOP("Problems", "uid {value} is used by another record too ({other})."),
    "bad_hours": QT_TRANSLATE_NOOP(
        "Problems", "Field 'daily_hours' has '{value}', which is not a time range like 08:00-17:00."
    ),
    "missing_geometry": QT_TRANSLATE_NOOP("Problems", "The record has no footprint geometry."),
    "empty_geometry": QT_TRANSLATE_NOOP("Problems", "The footprint geometry is empty."),
    "not_polygon": QT_TRANSLATE_NOOP(
        "Problems", "The footprint is a {value}; a work's footprint must be a polygon or multipolygon."
    ),
    "geometry_repaired": QT_TRANSLATE_NOOP(
        "Problems", "The footprint was invalid ({value}) and was repaired with make_valid."
    ),
    "geometry_unrepairable": QT_TRANSLATE_NOOP(
        "Problems", "The footprint was invalid ({value}) and no polygon is left after repairing it."
    ),
    "outside_area": QT_TRANSLATE_NOOP(
        "Problems",
        "The footprint lies at {value}, outside the area of use of {crs} (Italy): "
        "are latitude and longitude swapped, or is the layer's CRS wrong?"
    ),
    "geometry_unreadable": QT_TRANSLATE_NOOP("Problems", "The footprint geometry cannot be read: {value}."),
    "no_crs": QT_TRANSLATE_NOOP("Problems", "The layer has no valid coordinate reference system."),
}


@dataclass(frozen=True)
class Problem:
    """One problem of one record: `record` names it (uid, id or title), `field` the attribute or 'geometry'."""

    record: str
    field: str
    code: str
    severity: Severity = Severity.ERROR
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return format_message(TEMPLATES[self.code], self.params, self.field)

    def __str__(self) -> str:
        return f"{self.record}: {self.message}"


def format_message(template: str, params: dict[str, Any], field_name: str) -> str:
    """Fill a template; a template is always filled, even if a caller forgot a parameter."""
    values = {"field": field_name, **{k: ("" if v is None else v) for k, v in params.items()}}

    class _Default(dict):
        def __missing__(self, key: str) -> str:
            return "?"

    return template.format_map(_Default(values))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
