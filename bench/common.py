"""Helpers shared by the bench modules: timing, peak memory, and a headless QGIS with Processing."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

_APP: Any = None


def footprints_along(roads: Any, n: int, rng: Any) -> Any:
    """n realistic work footprints on the given road lines: a stretch of a road picked by length (5-400 m,
    40 m typical) buffered 1.5-4 m either side. Returns (footprints, index of the road of each)."""
    import numpy as np
    import shapely

    lengths = shapely.length(roads)
    pick = rng.choice(len(roads), size=n, p=lengths / lengths.sum())
    along = rng.random(n) * lengths[pick]
    stretch = np.clip(rng.lognormal(np.log(40), 0.7, n), 5, 400)
    centres = shapely.line_interpolate_point(roads[pick], along)
    pieces = shapely.intersection(roads[pick], shapely.buffer(centres, stretch / 2, quad_segs=4))
    return shapely.buffer(pieces, rng.uniform(1.5, 4, n), cap_style="flat", quad_segs=2)


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """The best wall time of `repeat` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def qgis_app() -> Any:
    """A headless QgsApplication with Processing and the native algorithms, started once."""
    global _APP  # one application per process
    if _APP is None:
        import sys

        from qgis.analysis import QgsNativeAlgorithms
        from qgis.core import QgsApplication

        _APP = QgsApplication([], False)
        _APP.initQgis()
        sys.path.append("/usr/share/qgis/python/plugins")
        from processing.core.Processing import Processing

        Processing.initialize()
        if QgsApplication.processingRegistry().providerById("native") is None:
            QgsApplication.processingRegistry().addProvider(QgsNativeAlgorithms())
    return _APP
