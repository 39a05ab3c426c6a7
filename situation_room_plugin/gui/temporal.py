"""Time on the map, for the desktop: one call (show_day) with which any tab moves QGIS's Temporal Controller to
the day it analyses (the layers' own dates are set by qgis_io/temporal.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from qgis.core import (
    QgsDateTimeRange,
    QgsInterval,
    QgsProject,
    QgsTemporalNavigationObject,
    QgsTemporalUtils,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QDate, QTime

from situation_room_plugin.qgis_io.temporal import _as_date, _midnight, day_range

__all__ = ["show_day"]


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
    if not extent.begin().isValid() or not extent.end().isValid():
        # first time: the whole span of the project's dated layers, so that the controller plays every day
        extent = QgsTemporalUtils.calculateTemporalRangeForProject(QgsProject.instance())
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
