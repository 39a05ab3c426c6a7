"""How long work reports how far it got: `progress(fraction)` with a fraction from 0 to 1; False means stop."""

from __future__ import annotations

from collections.abc import Callable

#: Called with the fraction done (0 to 1); returns False when the caller wants the work to stop.
Progress = Callable[[float], bool]
