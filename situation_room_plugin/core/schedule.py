"""Schedule suggestion: for a work that may move within its window (earliest_start .. latest_end), every
start date ranked by the clashes it would have, best first, each with the reason in words.

The score of a start date is the sum of the severities of its clashes (the same severity as detection
gives) plus any extra terms a caller plugs in (`ScheduleTerm`: a callable from the candidate's start and
end dates to a `Penalty`), e.g. the detour engine's closure interactions when a road graph is at hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely

from situation_room_plugin.core.conflicts import (
    ConflictOptions,
    WorkArrays,
    clash_severity,
    disjoint_hours,
)
from situation_room_plugin.core.detours import DetourEngine, PairCost
from situation_room_plugin.core.problems import QT_TRANSLATE_NOOP, format_message
from situation_room_plugin.core.works import INACTIVE_STATUSES, Work

#: Translation context of the reason and error templates.
CONTEXT = "Conflicts"

NO_CLASH = QT_TRANSLATE_NOOP("Conflicts", "No clash with other works.")
ONE_CLASH = QT_TRANSLATE_NOOP("Conflicts", "Clashes with 1 work: {works}.")
CLASHES = QT_TRANSLATE_NOOP("Conflicts", "Clashes with {count} works: {works}.")
CLASH_ITEM = QT_TRANSLATE_NOOP("Conflicts", "«{title}» ({owner}, {days} days together)")
MORE_CLASHES = QT_TRANSLATE_NOOP("Conflicts", "and {count} more")
AS_PLANNED = QT_TRANSLATE_NOOP("Conflicts", "The planned start.")
LATER = QT_TRANSLATE_NOOP("Conflicts", "{days} days after the planned start.")
EARLIER = QT_TRANSLATE_NOOP("Conflicts", "{days} days before the planned start.")
UNKNOWN_WORK = QT_TRANSLATE_NOOP("Conflicts", "No work with uid {uid} in the works layer.")
NO_FOOTPRINT = QT_TRANSLATE_NOOP("Conflicts", "The work {uid} has no footprint.")
NO_WINDOW = QT_TRANSLATE_NOOP(
    "Conflicts",
    "The work {uid} has no window to move in (earliest_start and latest_end are empty): "
    "only its planned dates are assessed."
)

CLOSURE_INTERACTIONS = QT_TRANSLATE_NOOP("Conflicts", "Closed at the same time as {works}.")
LONGER_DETOURS = QT_TRANSLATE_NOOP(
    "Conflicts", "«{title}» ({owner}, {days} days): detours take {seconds} s longer than apart"
)
NO_DETOUR = QT_TRANSLATE_NOOP("Conflicts", "«{title}» ({owner}, {days} days): no detour left")

#: Points of score per second that two simultaneous closures add to each other's detours (two minutes,
#: a kilometre more at 30 km/h: 100 points, the cap, like the worst clash); a pair of closures that leaves
#: no detour at all scores NO_DETOUR_POINTS. Both scale with the days together as clashes do (half for
#: one day, full from 30).
POINTS_PER_EXTRA_S = 100.0 / 120.0
NO_DETOUR_POINTS = 150.0

#: How many clashing works a reason names before saying "and N more".
NAMED_IN_REASON = 3


def identity(context: str, text: str) -> str:
    return text


@dataclass(frozen=True)
class ReasonPart:
    """One sentence of a reason: a template (marked for translation in context CONTEXT) and its values.
    A value that is a list of ReasonParts is written as their sentences joined by commas."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)


def describe(parts: Sequence[ReasonPart], translate: Callable[[str, str], str] = identity) -> str:
    """A reason in words; pass QCoreApplication.translate to have it in the user's language."""

    def render(part: ReasonPart) -> str:
        params = {
            key: ", ".join(render(p) for p in value) if isinstance(value, list) else value
            for key, value in part.params.items()
        }
        return format_message(translate(CONTEXT, part.template), params, "")

    return " ".join(render(part) for part in parts)


@dataclass(frozen=True)
class Penalty:
    """What an extra term adds to a candidate's score, and the sentence saying why (None: nothing to say)."""

    score: float
    reason: ReasonPart | None = None


#: An extra scoring term: (candidate start, candidate end) -> Penalty. Called once per candidate date.
ScheduleTerm = Callable[[date, date], Penalty]


class ScheduleError(Exception):
    """The suggestion cannot be made; `part` says why (translatable)."""

    def __init__(self, part: ReasonPart) -> None:
        super().__init__(describe([part]))
        self.part = part


@dataclass(frozen=True)
class Suggestion:
    start: date
    end: date
    clashes: int
    score: float
    reason: tuple[ReasonPart, ...]
    #: The works it would clash with, worst first.
    clash_uids: tuple[str, ...] = ()

    def describe(self, translate: Callable[[str, str], str] = identity) -> str:
        return describe(self.reason, translate)


@dataclass(frozen=True)
class Schedule:
    """The candidates of one work, best first; `window_given` is False when the work has no window."""

    uid: str
    suggestions: list[Suggestion]
    window_given: bool


def suggest_schedule(
    works: Iterable[Work],
    uid: str,
    options: ConflictOptions | None = None,
    importance: Mapping[str, float] | None = None,
    terms: Sequence[ScheduleTerm] = (),
) -> Schedule:
    """Rank every start date of work `uid` within its window (the whole work must fit in it).

    Best first: lowest score, then fewest clashes, then closest to the planned start, then earliest.
    `importance` maps work uids to road importance (see conflicts.road_importance).
    """
    options = options or ConflictOptions()
    all_works = list(works)
    target = next((w for w in all_works if w.uid == uid), None)
    if target is None:
        raise ScheduleError(ReasonPart(UNKNOWN_WORK, {"uid": uid}))
    if target.geometry is None or target.geometry.is_empty:
        raise ScheduleError(ReasonPart(NO_FOOTPRINT, {"uid": uid}))
    others = [
        w for w in all_works
        if w.uid != uid and (options.include_inactive or w.status not in INACTIVE_STATUSES)
    ]
    arrays = WorkArrays.from_works([target, *others], include_inactive=True)
    if importance is not None:
        arrays.importance = np.asarray([importance.get(w.uid, arrays.importance[0]) for w in arrays.works])

    window_given = target.earliest_start is not None or target.latest_end is not None
    first = (target.earliest_start or target.start_date).toordinal()
    last = (target.latest_end or target.end_date).toordinal()
    duration = target.duration_days
    starts = np.arange(first, max(first, last - duration + 1) + 1, dtype=np.int64)
    planned = target.start_date.toordinal()

    # Neighbours: envelope within distance -> dates within the window -> exact distance.
    d = options.distance_m
    bounds = shapely.bounds(arrays.geoms)
    tx0, ty0, tx1, ty1 = bounds[0]
    near = (
        (bounds[:, 0] <= tx1 + d) & (bounds[:, 2] >= tx0 - d) & (bounds[:, 1] <= ty1 + d) & (bounds[:, 3] >= ty0 - d)
    )
    near &= (arrays.start <= starts[-1] + duration - 1) & (arrays.end >= starts[0])
    near[0] = False
    neighbours = np.flatnonzero(near)
    neighbours = neighbours[shapely.dwithin(arrays.geoms[neighbours], arrays.geoms[0], d)]

    # Every candidate against every neighbour at once: a (candidates x neighbours) matrix.
    cand_end = starts + duration - 1
    overlap = (
        np.minimum(cand_end[:, None], arrays.end[neighbours][None, :])
        - np.maximum(starts[:, None], arrays.start[neighbours][None, :])
        + 1
    )
    clash = overlap > 0
    apart = np.zeros(len(neighbours), dtype=bool)
    if not arrays.all_day[0]:
        both = ~arrays.all_day[neighbours]
        apart[both] = disjoint_hours(arrays.hours[neighbours[both]], np.repeat(arrays.hours[:1], both.sum(), 0))
    severity = clash_severity(
        np.full(len(neighbours), arrays.impact[0]),
        arrays.impact[neighbours],
        np.maximum(arrays.importance[0], arrays.importance[neighbours]),
        np.maximum(overlap, 1),
        apart,
        options.disjoint_hours_factor,
    )
    severity = np.where(clash, severity, 0.0)
    scores = severity.sum(axis=1)
    counts = clash.sum(axis=1)

    suggestions = []
    for row, start in enumerate(starts.tolist()):
        start_day, end_day = date.fromordinal(start), date.fromordinal(start + duration - 1)
        hit = np.flatnonzero(clash[row])
        hit = hit[np.argsort(-severity[row, hit], kind="stable")]
        parts = [_clash_part(arrays, neighbours[hit], overlap[row, hit])]
        shift = start - planned
        parts.append(ReasonPart(AS_PLANNED) if shift == 0 else
                     ReasonPart(LATER if shift > 0 else EARLIER, {"days": abs(shift)}))
        score = float(scores[row])
        for term in terms:
            penalty = term(start_day, end_day)
            score += penalty.score
            if penalty.reason is not None:
                parts.append(penalty.reason)
        suggestions.append(Suggestion(
            start=start_day,
            end=end_day,
            clashes=int(counts[row]),
            score=round(score, 1),
            reason=tuple(parts),
            clash_uids=tuple(arrays.works[i].uid for i in neighbours[hit]),
        ))
    suggestions.sort(key=lambda s: (s.score, s.clashes, abs(s.start.toordinal() - planned), s.start))
    return Schedule(uid, suggestions, window_given)


def _clash_part(arrays: WorkArrays, hit: np.ndarray, days: np.ndarray) -> ReasonPart:
    if not len(hit):
        return ReasonPart(NO_CLASH)
    items: list[ReasonPart] = [
        ReasonPart(CLASH_ITEM, {"title": arrays.works[i].title, "owner": arrays.works[i].owner, "days": int(n)})
        for i, n in zip(hit[:NAMED_IN_REASON].tolist(), days[:NAMED_IN_REASON].tolist())
    ]
    if len(hit) > NAMED_IN_REASON:
        items.append(ReasonPart(MORE_CLASHES, {"count": len(hit) - NAMED_IN_REASON}))
    if len(hit) == 1:
        return ReasonPart(ONE_CLASH, {"works": items})
    return ReasonPart(CLASHES, {"count": len(hit), "works": items})


#: For a partner's uid: what the two closures cost together and apart, or None when neither makes the
#: other's detours worse. The detour engine's `DetourEngine.pair_cost(closure_of_the_work,
#: closure_of_the_partner)` answers this.
Interaction = Callable[[str], "PairCost | None"]


def closure_interaction_term(partners: Sequence[Work], interaction: Interaction) -> ScheduleTerm:
    """A ScheduleTerm for closures: for a candidate, each partner work active on some of the same days
    whose closure interacts with the work's (longer detours together than apart, or none left) adds its
    points. `partners` are the other works that close a road; `interaction` is asked once per partner
    (whatever the candidate date: the answer depends on the two closures, not on the day)."""
    answers: dict[str, tuple[float | None, float] | None] = {}

    def term(start: date, end: date) -> Penalty:
        score, items = 0.0, []
        for partner in partners:
            days = (min(end, partner.end_date) - max(start, partner.start_date)).days + 1
            if days <= 0:
                continue
            if partner.uid not in answers:
                answers[partner.uid] = interaction(partner.uid)
            answer = answers[partner.uid]
            if answer is None:
                continue
            scale = 0.5 + 0.5 * min(days, 30) / 30
            params = {"title": partner.title, "owner": partner.owner, "days": days}
            if answer.together_s is None:
                score += NO_DETOUR_POINTS * scale
                items.append(ReasonPart(NO_DETOUR, params))
            elif answer.together_s > answer.apart_s:
                extra_s = answer.together_s - answer.apart_s
                score += min(100.0, extra_s * POINTS_PER_EXTRA_S) * scale
                items.append(ReasonPart(LONGER_DETOURS, {**params, "seconds": round(extra_s)}))
        if not items:
            return Penalty(0.0)
        return Penalty(round(score, 1), ReasonPart(CLOSURE_INTERACTIONS, {"works": items}))

    return term


def closure_terms(engine: DetourEngine, works: Sequence[Work], uid: str) -> list[ScheduleTerm]:
    """The closure-interaction term of work `uid` on the detour engine's road graph: none when the work
    closes or slows no road. Partners are the other works that close or slow a road."""
    closures = engine.closures(works)
    own = closures.get(uid)
    if own is None or not own.touched_arcs:
        return []
    partners = [w for w in works if w.uid != uid and w.uid in closures and closures[w.uid].touched_arcs]
    return [closure_interaction_term(partners, lambda other: engine.pair_cost(own, closures[other]))]


def window_days(work: Work) -> tuple[date, date]:
    """The window a work may move in (its planned dates where earliest_start/latest_end are empty)."""
    return work.earliest_start or work.start_date, work.latest_end or work.end_date

