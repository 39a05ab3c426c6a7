#!/usr/bin/env python3
"""Copy the README's screenshots from what the end-to-end tests saved (tests/artifacts/, after `make test`) into
resources/screenshots/, small: JPEG, at most 1100 px wide. Run it after the desktop tests and commit the result."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
OUT = ROOT / "resources" / "screenshots"

#: (artifact, screenshot name): the technician's day in Italian, the map, detours, the report.
SHOTS = (
    ("desktop_day_it/day_drawing.png", "draw_work_it.jpg"),
    ("desktop_day_it/day_form.png", "works_form_it.jpg"),
    ("desktop_day_en/day_clash_map.png", "clash_en.jpg"),
    ("desktop_day_it/day_alerts.png", "alerts_it.jpg"),
    ("desktop_map_it/map_25000.png", "city_map_it.jpg"),
    ("desktop_detours/detours.png", "detours_en.jpg"),
    ("report_it/rapporto_page1.png", "report_it.jpg"),
    ("report_it/scheda.png", "work_sheet_it.jpg"),
)
MAX_WIDTH = 1100


def main() -> int:
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtGui import QGuiApplication, QImage

    app = QGuiApplication.instance() or QGuiApplication(["screenshots", "-platform", "offscreen"])  # noqa: F841
    OUT.mkdir(parents=True, exist_ok=True)
    missing = []
    for source, name in SHOTS:
        image = QImage(str(ARTIFACTS / source))
        if image.isNull():
            missing.append(source)
            continue
        if image.width() > MAX_WIDTH:
            image = image.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
        image.save(str(OUT / name), "JPG", 82)
        print(f"{OUT / name}: {(OUT / name).stat().st_size // 1024} KB")
    if missing:
        print("not found (run the desktop and report tests first):", ", ".join(missing), file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
