"""The HTML edition of a report: one self-contained file (the style inlined, the map as a PNG drawn from the
print layout's own map item, the chart as inline SVG, the tables as HTML tables)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice
from qgis.PyQt.QtGui import QImage

from situation_room_plugin.qgis_io.reports.tables import Table
from situation_room_plugin.toolbelt.i18n import tr, user_locale
from situation_room_plugin.toolbelt.resources import RESOURCES_DIR

CSS = RESOURCES_DIR / "report" / "report.css"


def png_data_uri(image: QImage) -> str:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode("ascii")


def report_html(title: str, subtitle: str, generated: str, map_image: QImage | None, attribution: str,
                tables: Sequence[Table], chart_title: str = "", chart_svg: str = "") -> str:
    """The whole document; `tables` in order, each under its title."""
    style = CSS.read_text(encoding="utf-8") if CSS.exists() else ""
    lang = user_locale() if user_locale().isalpha() else "en"  # "C" under a bare test or server locale
    parts = [f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">',
             f"<title>{escape(title)}</title>\n<style>\n{style}</style>\n</head>\n<body>",
             f"<h1>{escape(title)}</h1>", f'<p class="meta">{escape(subtitle)}<br>{escape(generated)}</p>']
    if map_image is not None:
        caption = tr("Map of the works by organisation and of the conflicts")
        alt = tr("Map")  # outside the f-string: pylupdate5 does not look inside one
        if attribution:
            caption += f" — {attribution}"
        parts.append(f'<figure><img alt="{escape(alt)}" src="{png_data_uri(map_image)}">'
                     f"<figcaption>{escape(caption)}</figcaption></figure>")
    for table in tables:
        parts.append(f"<h2>{escape(table.title)}</h2>")
        parts.append(table.html())
    if chart_svg:
        parts.append(f"<h2>{escape(chart_title)}</h2>")
        parts.append(f'<div class="chart">{chart_svg}</div>')
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)
