#!/usr/bin/env python3
"""Build the installable plugin zip, or install it into a QGIS profile.

--out ZIP       one top folder situation_room_plugin/ with the code, metadata.txt, the compiled .qm files
                and resources/ (with resources/styles/*.qml, the map styles written from the plugin's own
                code by a QGIS started for it): what QGIS's "Install from ZIP" accepts.
--install ZIP   unpack into the default profile of $QGIS_CUSTOM_CONFIG_PATH (or the user's QGIS3 folder)
                and enable it in that profile's QGIS3.ini.
"""

from __future__ import annotations

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "situation_room_plugin"
SKIP_DIRS = {"__pycache__", ".pytest_cache"}


def build(out: Path) -> Path:
    subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "release"], check=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((ROOT / PLUGIN).rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_dir() or SKIP_DIRS & set(rel.parts) or path.suffix == ".pyc":
                continue
            zf.write(path, rel.as_posix())
        zf.write(ROOT / "metadata.txt", f"{PLUGIN}/metadata.txt")
        for name in ("LICENSE", "README.md"):
            if (ROOT / name).exists():
                zf.write(ROOT / name, f"{PLUGIN}/{name}")
        for path in sorted((ROOT / "resources").rglob("*")):
            if path.is_file() and "screenshots" not in path.parts:  # the README's pictures stay in the repository
                zf.write(path, f"{PLUGIN}/{path.relative_to(ROOT).as_posix()}")
        with tempfile.TemporaryDirectory() as styles:
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
            subprocess.run([sys.executable, str(Path(__file__)), "--write-styles", styles], check=True, env=env)
            for path in sorted(Path(styles).glob("*.qml")):
                zf.write(path, f"{PLUGIN}/resources/styles/{path.name}")
    tmp.replace(out)
    return out


def write_styles(folder: Path) -> None:
    """The plugin's styles as QML files in `folder` (run in its own process: it starts a QGIS)."""
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from situation_room_plugin.qgis_io.style_files import write_style_files

    for path in write_style_files(folder):
        print(path)
    app.exitQgis()


def profile_dir() -> Path:
    custom = os.environ.get("QGIS_CUSTOM_CONFIG_PATH")
    base = Path(custom) if custom else Path.home() / ".local" / "share" / "QGIS" / "QGIS3"
    return base / "profiles" / "default"


def install(zip_path: Path) -> Path:
    plugins = profile_dir() / "python" / "plugins"
    target = plugins / PLUGIN
    if target.exists():
        shutil.rmtree(target)
    plugins.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(plugins)
    enable(profile_dir() / "QGIS" / "QGIS3.ini")
    return target


def enable(ini: Path) -> None:
    """Mark the plugin enabled in a profile's settings, as the plugin manager does."""
    config = configparser.RawConfigParser()
    config.optionxform = str  # keep the keys' case: QGIS reads them case-sensitively
    if ini.exists():
        config.read(ini, encoding="utf-8")
    if not config.has_section("PythonPlugins"):
        config.add_section("PythonPlugins")
    config.set("PythonPlugins", PLUGIN, "true")
    ini.parent.mkdir(parents=True, exist_ok=True)
    with ini.open("w", encoding="utf-8") as fh:
        config.write(fh, space_around_delimiters=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path)
    group.add_argument("--install", type=Path)
    group.add_argument("--write-styles", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_styles:
        write_styles(args.write_styles)
    elif args.out:
        print(build(args.out))
    else:
        print(install(args.install))
    return 0


if __name__ == "__main__":
    sys.exit(main())
