"""Time on the map, layer by layer: the dates of works, conflicts and a day's results as the temporal properties
that QGIS's Temporal Controller plays (gui/temporal.py moves the controller itself).

QGIS 3.22 compares a date field with the controller's date-times as text ("2026-03-20" >= "2026-03-20T00:00:00"
is false), so a work would vanish on its last day with the start/end *fields* mode. The layer's range is
therefore given as expressions, turned into date-times: from the start day's midnight to the midnight after
the end day, end excluded: a work ending on the 20th shows all day on the 20th and not on the 21st.
"""

from __future__ import annotations

from datetime import date, timedelta

from qgis.core import (
    Qgis,
    QgsDateTimeRange,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime


def start_expression(field: str) -> str:
    """A feature's first day at midnight; no date: shown from always."""
    return f"coalesce(to_datetime(\"{field}\"), make_datetime(1900,1,1,0,0,0))"


def end_expression(field: str) -> str:
    """The midnight after a feature's last day; no date: shown until forever."""
    return f"coalesce(to_datetime(\"{field}\") + to_interval('1 day'), make_datetime(9999,1,1,0,0,0))"


def set_works_temporal(layer: QgsVectorLayer) -> bool:
    """Give a works layer (the store's or a feed copy) its dates for the Temporal Controller, the whole end
    day included. False (and nothing set) when the layer has no start_date/end_date fields."""
    return set_dates_temporal(layer, "start_date", "end_date")


def set_dates_temporal(layer: QgsVectorLayer, start_field: str, end_field: str) -> bool:
    """Each feature shown from its `start_field` day to the end of its `end_field` day (date fields); False
    (and nothing set) when the layer lacks either field."""
    names = layer.fields().names()
    if start_field not in names or end_field not in names:
        return False
    properties = layer.temporalProperties()
    properties.setMode(Qgis.VectorTemporalMode.FeatureDateTimeStartAndEndFromExpressions)
    properties.setStartExpression(start_expression(start_field))
    properties.setEndExpression(end_expression(end_field))
    properties.setLimitMode(Qgis.VectorTemporalLimitMode.IncludeBeginExcludeEnd)
    properties.setIsActive(True)
    return True


def set_layer_day(layer: QgsVectorLayer, day: date | QDate) -> None:
    """A layer that holds one day's result (a day's detours, cut-off roads, bus lines): shown by the Temporal
    Controller on that day only, so the map never mixes another day's works with these."""
    properties = layer.temporalProperties()
    properties.setMode(Qgis.VectorTemporalMode.FixedTemporalRange)
    # A second inside the day at each end: QGIS 3.22's overlap test ignores exclusive ends, and the previous
    # day's frame [day-1 00:00, day 00:00) would show a range starting at midnight.
    start = _midnight(_as_date(day))
    properties.setFixedTemporalRange(QgsDateTimeRange(start.addSecs(1), start.addSecs(86_399), True, True))
    properties.setIsActive(True)


def day_range(day: date) -> QgsDateTimeRange:
    """[day 00:00, next day 00:00): one day, as the Temporal Controller's frames are."""
    return QgsDateTimeRange(_midnight(day), _midnight(day + timedelta(days=1)), True, False)


def _midnight(day: date) -> QDateTime:
    return QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0))


def _as_date(day: date | QDate) -> date:
    return day.toPyDate() if isinstance(day, QDate) else day
