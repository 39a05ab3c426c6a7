"""Time on the map: the works layers' dates for QGIS's Temporal Controller, and one call (show_day) with which
any tab moves the map to the day it analyses.

QGIS 3.22 compares a date field with the controller's date-times as text ("2026-03-20" >= "2026-03-20T00:00:00"
is false), so a work would vanish on its last day with the start/end *fields* mode. The layer's range is
therefore given as expressions, turned into date-times: from the start day's midnight to the midnight after
the end day, end excluded: a work ending on the 20th shows all day on the 20th and not on the 21st.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from qgis.core import (
    Qgis,
    QgsDateTimeRange,
    QgsInterval,
    QgsTemporalNavigationObject,
    QgsUnitTypes,
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


def show_day(iface: Any, day: date | QDate) -> QgsDateTimeRange:
    """Move the map to `day`: the desktop's Temporal Controller (switched on, in animation mode with one-day
    frames, if it was off) shows that day's frame; a canvas without one gets the day's range directly.
    Returns the range shown. The Detours tab calls it when its date changes; other tabs should too."""
    day = _as_date(day)
    wanted = day_range(day)
    canvas = iface.mapCanvas() if iface is not None else None
    if canvas is None:
        return wanted
    controller = canvas.temporalController()
    if not isinstance(controller, QgsTemporalNavigationObject):
        canvas.setTemporalRange(wanted)
        return wanted
    if controller.navigationMode() != QgsTemporalNavigationObject.NavigationMode.Animated:
        controller.setNavigationMode(QgsTemporalNavigationObject.NavigationMode.Animated)
    frame = QgsInterval(1, QgsUnitTypes.TemporalUnit.TemporalDays)
    controller.setFrameDuration(frame)
    extent = controller.temporalExtents()
    begin, end = extent.begin(), extent.end()
    # The animation's frames count from the extent's start: keep it on a midnight, and make it hold the day.
    if not begin.isValid() or begin > wanted.begin() or begin.time() != QTime(0, 0):
        start_day = min(day, begin.date().toPyDate()) if begin.isValid() else day
        begin = _midnight(start_day)
    if not end.isValid() or end < wanted.end():
        end = wanted.end()
    controller.setTemporalExtents(QgsDateTimeRange(begin, end, True, False))
    controller.setCurrentFrameNumber(begin.date().daysTo(wanted.begin().date()))
    return controller.dateTimeRangeForFrameNumber(controller.currentFrameNumber())
