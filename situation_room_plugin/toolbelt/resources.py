"""Where the plugin's icons and styles are: `resources/` inside the installed plugin folder."""

from __future__ import annotations

from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent.parent
# Installed from the zip, resources sit inside the plugin folder; in a source checkout, beside it.
RESOURCES_DIR = next(
    (p for p in (PLUGIN_DIR / "resources", PLUGIN_DIR.parent / "resources") if p.is_dir()),
    PLUGIN_DIR / "resources",
)


def icon_path(name: str) -> Path:
    return RESOURCES_DIR / "icons" / name


def style_path(name: str) -> Path:
    return RESOURCES_DIR / "styles" / name
