"""Start the Situation Room platform on 127.0.0.1 until Ctrl-C: `make platform` (GeoPackage) or
`make platform PLATFORM=postgis` (a local PostgreSQL 15 + PostGIS cluster). Prints the WFS address.

python3 platform/start.py [--platform gpkg|postgis] [--dir platform/.run] [--port 8765] [--acl FILE]
Without --acl (or SITUATION_ROOM_ACL), the folder's acl.json is used; when it is missing, one is made with a user
per organisation of Prato, whose passwords are printed once.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE / "server_plugins"), str(HERE.parent)]

from qgis.core import QgsApplication  # noqa: E402 - after the paths
from situation_room_acl.users import AccessConfig  # noqa: E402
from situation_room_platform import server  # noqa: E402

from situation_room_plugin.core.owners import PRATO_OWNERS  # noqa: E402


def demo_access_file(path: Path) -> None:
    """An access file with one user per organisation of Prato (named as its code), passwords printed once."""
    config = AccessConfig(comune="comune")
    print(f"New access file {path}, one user per organisation (passwords shown only now):")
    for owner in PRATO_OWNERS:
        password = secrets.token_urlsafe(9)
        config.add(owner.code, owner.code, password)
        print(f"  {owner.code:16} {password}")
    config.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--platform", choices=server.KINDS, default="gpkg")
    parser.add_argument("--dir", type=Path, default=HERE / ".run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--acl", type=Path, default=os.environ.get("SITUATION_ROOM_ACL"))
    args = parser.parse_args(argv)
    folder = args.dir.resolve() / args.platform
    folder.mkdir(parents=True, exist_ok=True)
    if args.acl is not None and not args.acl.is_file():
        print(f"{args.acl}: no such access file (make one with: PYTHONPATH=platform/server_plugins "
              f"python3 -m situation_room_acl.users add {args.acl} USER ORGANISATION)", file=sys.stderr)
        return 2
    acl = args.acl or folder / "acl.json"
    if not acl.exists():
        demo_access_file(acl)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    try:
        with server.running(folder, acl, args.platform, args.port, args.pg_port) as platform:
            where = platform.geopackage or platform.cluster.dsn
            print(f"Situation Room platform ({args.platform}: {where})\n  WFS: {platform.wfs_url}\n"
                  f"  users: {acl}\n  log: {platform.log}\nCtrl-C stops it.", flush=True)
            while not stop and platform.process.poll() is None:
                try:
                    platform.process.wait(1)
                except server.subprocess.TimeoutExpired:
                    pass
                except KeyboardInterrupt:
                    break
            if platform.process.poll() not in (None, 0):
                print(f"qgis_mapserver stopped: see {platform.log}", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        pass
    finally:
        app.exitQgis()
    print("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
