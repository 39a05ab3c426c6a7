"""Printable reports: the coordination report of a period and a work's site sheet, as QGIS print layouts
(PDF), self-contained HTML and a CSV for every table."""
