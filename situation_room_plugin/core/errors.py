"""The root of the plugin's own errors: each carries a `Problem`, whose message the dock and Processing show
as it is (translated on the QGIS side from the problem's code)."""

from __future__ import annotations

from situation_room_plugin.core.problems import Problem, Severity


class SituationRoomError(Exception):
    """A failure the user can act on, described by a Problem (its record, field, code and parameters).

    `str(error)` is the English message; the QGIS side shows `problem_message(error.problem)` instead.
    Subclasses name where it happened (StoreError, TransportError, ...); code that only shows the message
    catches this class.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem) if problem.record else problem.message)
        self.problem = problem

    @classmethod
    def of(cls, code: str, record: str = "", field: str = "", **params: object) -> SituationRoomError:
        """The error of a problem template: ``StoreError.of("store_newer", path=..., ...)``."""
        return cls(Problem(record, field, code, Severity.ERROR, dict(params)))
