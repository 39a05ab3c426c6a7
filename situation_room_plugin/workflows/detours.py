"""Detours from end to end, once the road graph and the works are read: a day's closures (detours, cut-off
streets, bus lines to reroute) and the impact timeline of a period. `situation_room:detour_analysis`,
`situation_room:impact_timeline` and the dock's Detours tab run these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from situation_room_plugin.core.detours import DayImpact, DaySummary, DetourEngine, Interaction
from situation_room_plugin.core.progress import Progress, advance
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.transit import BusImpact, BusNetwork, bus_trips_counter
from situation_room_plugin.core.works import Work


@dataclass
class DayDetours:
    day: date
    impact: DayImpact
    routes: list[BusImpact] = field(default_factory=list)  # empty without a bus network

    @property
    def no_detour(self) -> int:
        return sum(1 for d in self.impact.detours if d.detour is None)


def day_detours(graph: RoadGraph, works: Sequence[Work], day: date, bus: BusNetwork | None = None,
                progress: Progress | None = None) -> DayDetours:
    """What the works on the street on `day` do to the network, every closure of the day together."""
    impact = DetourEngine(graph).day(works, day)
    advance(progress, 0.8)
    routes = bus.impact(day, impact.closures.values()) if bus is not None else []
    advance(progress, 1.0)
    return DayDetours(day, impact, routes)


@dataclass
class Timeline:
    days: list[DaySummary]
    interactions: list[Interaction]


#: The longest period a timeline covers (ten years): longer is a mistake in the dates.
MAX_TIMELINE_DAYS = 3660


def impact_timeline(graph: RoadGraph, works: Sequence[Work], start: date, end: date,
                    bus: BusNetwork | None = None, progress: Progress | None = None) -> Timeline:
    """Day by day from `start` to `end` (inclusive), and the pairs of works that must not be on the street
    together. The caller checks the dates (end after start, at most MAX_TIMELINE_DAYS)."""
    days, interactions = DetourEngine(graph).timeline(
        works, start, end, bus_trips_counter(bus) if bus is not None else None, progress)
    return Timeline(days, interactions)
