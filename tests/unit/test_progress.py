"""The one progress/cancel contract: every engine stops when its progress callback raises CancelledError,
and none hands back a partial result as if it were whole."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from situation_room_plugin.core.detours import DetourEngine, criticality
from situation_room_plugin.core.progress import CancelledError, checking, scaled
from situation_room_plugin.core.roads import build_graph
from tests.unit.road_helpers import grid, street_footprint
from tests.unit.test_detours import work


def cancel_after(calls: int):
    """A progress callback that cancels at its `calls`-th call, and the fractions it was given."""
    seen: list[float] = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if len(seen) >= calls:
            raise CancelledError

    return progress, seen


def test_a_cancelled_timeline_raises_instead_of_returning_the_days_it_had():
    graph = build_graph(grid())
    closing = work(street_footprint((130, 200), (160, 200)), uid="a", start_date=date(2026, 3, 1),
                   end_date=date(2026, 3, 20))
    progress, seen = cancel_after(3)
    with pytest.raises(CancelledError):
        DetourEngine(graph).timeline([closing], date(2026, 3, 1), date(2026, 3, 31), progress=progress)
    assert len(seen) == 3 and max(seen) < 0.8


def test_a_cancelled_criticality_raises_and_leaves_the_graph_as_it_was():
    graph = build_graph(grid(25))
    whole = criticality(build_graph(grid(25)))
    progress, seen = cancel_after(2)
    with pytest.raises(CancelledError):
        criticality(graph, progress)
    assert 0 < seen[-1] < 1
    again = criticality(graph)  # the closed streets' weights were restored before the cancel
    np.testing.assert_array_equal(again.no_alternative, whole.no_alternative)
    np.testing.assert_allclose(again.extra_m, whole.extra_m, equal_nan=True)


def test_scaled_maps_a_step_into_its_share_of_the_whole():
    seen: list[float] = []
    step = scaled(seen.append, 0.2, 0.6)
    for fraction in (0.0, 0.5, 1.0, 1.5):
        step(fraction)
    assert seen == pytest.approx([0.2, 0.4, 0.6, 0.6])


def test_checking_shows_percent_and_raises_once_the_caller_cancels():
    shown: list[float] = []
    cancelled = [False]
    progress = checking(lambda: cancelled[0], shown.append)
    progress(0.25)
    cancelled[0] = True
    with pytest.raises(CancelledError):
        progress(0.5)
    assert shown == [25.0, 50.0]
