"""The day-by-day impact chart of a report as an SVG bar chart: the print layout shows it as a picture, the
HTML inlines it."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from situation_room_plugin.qgis_io.reports.labels import day_text
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.workflows.reports import DayRow

WIDTH, HEIGHT = 1000, 520
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 50, 90
#: Works on the street, road closures, conflicts in force: one bar each a day.
SERIES_COLOURS = ("#4c6ef5", "#343a40", "#e03131")


def _ticks(top: int) -> list[int]:
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step))


def impact_chart_svg(days: Sequence[DayRow]) -> str:
    """Per day three bars: works on the street, road closures, conflicts in force; a legend on top and the
    dates below (every n-th when the period is long)."""
    series = [[d.works for d in days], [d.closures for d in days], [d.conflicts for d in days]]
    names = (tr("Works on the street"), tr("Road closures"), tr("Conflicts"))
    top = max([1] + [v for s in series for v in s])
    ticks = _ticks(top)
    top = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bar = slot * 0.8 / 3
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
           f'height="{HEIGHT}" font-family="sans-serif" font-size="14">',
           f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="white"/>']
    for t in ticks:
        y = TOP + plot_h - plot_h * t / top
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#dee2e6"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 5:.1f}" text-anchor="end" fill="#495057">{t}</text>')
    for i in range(len(days)):
        x0 = LEFT + slot * i + slot * 0.1
        for k, values in enumerate(series):
            h = plot_h * values[i] / top
            if h > 0:
                out.append(f'<rect x="{x0 + k * bar:.2f}" y="{TOP + plot_h - h:.2f}" width="{max(bar, 0.5):.2f}" '
                           f'height="{h:.2f}" fill="{SERIES_COLOURS[k]}"/>')
    every = max(1, -(-len(days) // 20))
    for i, day in enumerate(days):
        if i % every:
            continue
        x = LEFT + slot * (i + 0.5)
        y = TOP + plot_h + 14
        out.append(f'<text x="{x:.1f}" y="{y}" text-anchor="end" fill="#495057" '
                   f'transform="rotate(-45 {x:.1f} {y})">{escape(day_text(day.day))}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#495057"/>')
    x = LEFT
    for colour, name in zip(SERIES_COLOURS, names):
        out.append(f'<rect x="{x}" y="14" width="16" height="16" fill="{colour}"/>')
        out.append(f'<text x="{x + 22}" y="27" fill="#212529">{escape(name)}</text>')
        x += 34 + 9 * len(name)
    out.append("</svg>")
    return "\n".join(out)
