"""`make demo`: the Situation Room working on Prato in one command.

python -m tools.demo.run [--dir tools/demo/.run] [--port 8766] [--headless | --desktop]

Seeds the sample works (tools/demo/seed.py) from ../shared/data/prato, writes the partners' feeds, starts the
platform (QGIS Server over GeoPackage, WFS-T) on 127.0.0.1, writes the demo's QGIS project, then: with a
display, opens QGIS on it with the plugin and the dock on today; without one, runs the workflow headless with
qgis_process (tools/demo/pipeline.py) and prints where the reports are. The platform is stopped on exit.
DEMO_TODAY=YYYY-MM-DD runs it for another day (the tests do).

The demo folder is kept from one run to the next: run again the same day, it reuses the platform's data and the
project's store (the works are the same, the store's add is an upsert by uid), so nothing is duplicated and the
results are the same. When the sample changes (another day), the platform, store and outputs are made anew.
"""

from __future__ import annotations

import argparse
import configparser
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT, ROOT / "platform", ROOT / "platform" / "server_plugins"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from tools.demo import auth, feeds, pipeline, prato, seed  # noqa: E402
from tools.demo.gtfs import redate  # noqa: E402

DEFAULT_DIR = ROOT / "tools" / "demo" / ".run"
DEFAULT_PORT = 8766
GTFS_NAME = "cap_prato_gtfs_2016.zip"


def demo_today() -> date:
    text = os.environ.get("DEMO_TODAY", "").strip()
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"DEMO_TODAY={text}: not a date (give it as YYYY-MM-DD)") from None


def install_plugin(profile: Path) -> None:
    """The plugin as users get it (tools/package.py's zip) installed and enabled in the demo's own profile."""
    package = ROOT / "tools" / "package.py"
    zip_path = profile.parent / "situation_room_plugin.zip"
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run([sys.executable, str(package), "--out", str(zip_path)], **quiet)
    subprocess.run([sys.executable, str(package), "--install", str(zip_path)], **quiet,
                   env={**os.environ, "QGIS_CUSTOM_CONFIG_PATH": str(profile)})
    italian(profile / "profiles" / "default" / "QGIS" / "QGIS3.ini")


def italian(ini: Path) -> None:
    """QGIS (and so the plugin and its reports) in Italian in the demo's profile: the Comune's language."""
    config = configparser.ConfigParser(interpolation=None)
    config.optionxform = str  # type: ignore[assignment,method-assign] - QGIS's keys are case-sensitive
    config.read(ini, encoding="utf-8")
    if not config.has_section("locale"):
        config.add_section("locale")
    config.set("locale", "overrideFlag", "true")
    config.set("locale", "userLocale", "it_IT")
    config.set("locale", "globalLocale", "it_IT")
    with ini.open("w", encoding="utf-8") as out:
        config.write(out, space_around_delimiters=False)


def fingerprint(sample: seed.Seed) -> str:
    """A digest of the sample works (what they are, where, when): equal digests, equal demo data."""
    digest = hashlib.sha1()
    for work in sorted(sample.works, key=lambda w: w.uid):
        digest.update(repr(sorted((k, str(v)) for k, v in work.attributes().items())).encode())
        digest.update(work.geometry.wkb)
    return digest.hexdigest()


def fresh_folder(folder: Path, digest: str) -> bool:
    """Keep the demo folder when it holds this very sample, else empty it (its profile aside). True when kept."""
    marker = folder / "sample.sha1"
    if marker.exists() and marker.read_text().strip() == digest:
        return True
    for name in ("platform", "store.gpkg", "out", "feeds", "demo.qgs"):
        target = folder / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(digest + "\n")
    return False


def access_file(folder: Path) -> Path:
    """The platform's users: anonymous reading on (the demo's WFS is read without credentials, on 127.0.0.1
    only), one user per organisation whose passwords are kept in users.txt (readable by this user only)."""
    from situation_room_acl.users import AccessConfig

    from situation_room_plugin.core.owners import PRATO_OWNERS

    path = folder / "acl.json"
    if path.exists():
        return path
    config = AccessConfig(comune="comune", anonymous_read=True)
    lines = []
    for owner in PRATO_OWNERS:
        password = secrets.token_urlsafe(9)
        config.add(owner.code, owner.code, password)
        lines.append(f"{owner.code} {password}")
    config.save(path)
    users = folder / "users.txt"
    users.write_text("\n".join(lines) + "\n")
    users.chmod(0o600)
    return path


@dataclass
class Prepared:
    """What the demo runs on: its files (`demo`), the sample, whether the folder of this sample was kept, the
    feeds written (geojson, wzdx, protected)."""

    demo: pipeline.Demo
    sample: seed.Seed
    kept: bool
    feeds: dict[str, Path]


def prepare(folder: Path, today: date, data: Path | None = None) -> Prepared:
    """The sample, the feeds and the re-dated timetable in `folder` (kept or made anew, see fresh_folder)."""
    source = prato.prato_folder(data)
    roads = source / "prato_roads.gpkg"
    graph = prato.road_graph(prato.read_roads(roads))
    sample = seed.generate(graph, prato.read_schools(source / "prato.osm.pbf"), today)
    kept = fresh_folder(folder, fingerprint(sample))
    written = feeds.write_feeds(folder / "feeds", sample, graph)
    redated = redate(source / GTFS_NAME, folder / "feeds" / "cap_gtfs_ridatato.zip", today - timedelta(days=7),
                     today + timedelta(days=pipeline.HORIZON_DAYS + 7))
    note = (f"CAP's GTFS runs from {redated.period[0]} to {redated.period[1]}: the demo re-dates it by weekday, "
            f"each day running the services of the same weekday of the week of {redated.reference_monday} "
            f"(holidays not mapped)")
    demo = pipeline.Demo(folder=folder, profile=folder / "profile", project=folder / "demo.qgs",
                         store=folder / "store.gpkg", roads=roads, pbf=source / "prato.osm.pbf",
                         gtfs=redated.path, protected=written["protected"], today=today, gtfs_note=note,
                         auth_master=auth.master_file(folder))
    return Prepared(demo, sample, kept, written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("DEMO_DIR") or DEFAULT_DIR))
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_PORT") or DEFAULT_PORT))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--headless", action="store_true", help="run the workflow with qgis_process")
    mode.add_argument("--desktop", action="store_true", help="open QGIS on the demo's project")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr] - each step as it happens
    # a kill (SIGTERM) leaves like Ctrl-C does: through the `with` that stops the platform
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    desktop = args.desktop or (not args.headless and bool(os.environ.get("DISPLAY")))
    folder = args.dir.resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from situation_room_plugin.toolbelt.i18n import install_translator

    translator = install_translator("it")  # the project's legends in Italian, as QGIS shows the demo (kept:
    # a QTranslator that is garbage collected is uninstalled)
    try:
        return run(folder, demo_today(), args.port, desktop)
    except (pipeline.StepError, FileNotFoundError, ValueError) as error:
        print(f"demo stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("demo interrupted; the platform is stopped", file=sys.stderr)
        return 130
    finally:
        del translator
        app.exitQgis()


def run(folder: Path, today: date, port: int, desktop: bool) -> int:
    from situation_room_platform import schema, server

    from tools.demo.project import build_project

    print(f"Situation Room demo for {today.isoformat()} in {folder}")
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise ValueError(f"127.0.0.1:{port} is already in use (another demo or platform?): "
                             f"give the demo another port, e.g. make demo DEMO_PORT={port + 1}")
    prepared = prepare(folder, today)
    demo, sample, written = prepared.demo, prepared.sample, prepared.feeds
    print(f"  sample data (\"{seed.SAMPLE_SOURCE}\"): {len(sample.works)} works of "
          f"{len({w.owner for w in sample.works})} organisations on real Prato streets; "
          + ("the demo folder of this sample is reused" if prepared.kept else "demo folder made anew"))
    print(f"  {demo.gtfs_note}")
    install_plugin(demo.profile)
    platform_dir = folder / "platform"
    platform_dir.mkdir(parents=True, exist_ok=True)
    database = platform_dir / server.GEOPACKAGE
    if not database.exists():
        schema.create_geopackage(database)
    seeded = feeds.seed_platform(database, sample.owned_by(feeds.PLATFORM_OWNERS))
    print(f"  platform database {database}: {seeded} works seeded"
          + (" (all already there)" if not seeded else ""))
    acl = access_file(platform_dir)
    # The Comune's demo user in the profile's authentication database: the platform source is writable with it
    authcfg = auth.comune_authcfg(demo.profile, demo.auth_master, platform_dir / "users.txt")
    with server.running(platform_dir, acl, "gpkg", port) as platform:
        print(f"  platform WFS-T: {platform.wfs_url} (log {platform.log}), written as the Comune's user "
              f"(authcfg {authcfg})")
        demo_sources = feeds.sources(platform.url, written["geojson"], written["wzdx"], authcfg)
        build_project(demo.project, demo.store, demo_sources, demo.roads, demo.protected, today,
                      pipeline.HORIZON_DAYS)
        print(f"  project {demo.project}: {len(demo_sources)} sources registered")
        if desktop:
            # the works in the store and their conflicts before QGIS opens: the map and the dock show them
            pipeline.run(demo, pipeline.DESKTOP_STEPS)
            build_project(demo.project, demo.store, demo_sources, demo.roads, demo.protected, today,
                          pipeline.HORIZON_DAYS, conflicts=demo.out / "conflicts.gpkg")
            code = open_desktop(demo)
            print("Platform stopped.")
            return code
        figures = pipeline.run(demo)
        (demo.out / "figures.json").write_text(json.dumps(figures, indent=1, sort_keys=True, default=str) + "\n")
    print("Platform stopped.")
    print("Reports:")
    for name in ("rapporto_coordinamento.pdf", "rapporto_coordinamento.html", "wzdx.geojson", "cifs.xml"):
        print(f"  {demo.out / name}")
    return 0


def open_desktop(demo: pipeline.Demo) -> int:
    """QGIS on the demo's project, with the plugin and the dock on today, until it is closed."""
    env = pipeline.qgis_env(demo.profile, demo.auth_master)
    env.pop("QT_QPA_PLATFORM", None)
    env["SITUATION_ROOM_DEMO_TODAY"] = demo.today.isoformat()
    code = Path(__file__).with_name("desktop.py")
    print("  QGIS is opening; the platform runs until QGIS is closed.")
    done = subprocess.run(["qgis", "--nologo", "--noversioncheck", "--lang", "it", "--project", str(demo.project),
                           "--code", str(code)], env=env)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
