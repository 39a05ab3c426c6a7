"""Start the platform: its database (a GeoPackage, or a PostGIS database in a throwaway local cluster), its
QGIS Server project, and qgis_mapserver on 127.0.0.1 with the access-control plugin. `platform/start.py` (the
`make platform` target) and the tests both start it through `running`.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from situation_room_platform import postgres, project, schema

HERE = Path(__file__).resolve().parent
SERVER_PLUGINS = HERE.parent / "server_plugins"
GEOPACKAGE = "platform.gpkg"
PROJECT = "platform.qgs"
KINDS = ("gpkg", "postgis")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Platform:
    """A running platform: where its files are, its WFS address, its qgis_mapserver and (PostGIS) cluster."""

    kind: str
    folder: Path
    project: Path
    url: str
    process: subprocess.Popen
    log: Path
    cluster: Optional[postgres.Cluster] = None
    geopackage: Optional[Path] = None

    @property
    def wfs_url(self) -> str:
        return f"{self.url}/ows/?SERVICE=WFS"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.cluster is not None:
            self.cluster.stop()


def prepare_geopackage(folder: Path) -> tuple[Path, Path]:
    """The platform GeoPackage in `folder` (made when missing, kept as it is otherwise) and its project."""
    path = folder / GEOPACKAGE
    if not path.exists():
        schema.create_geopackage(path)
    layers = [project.geopackage_layer(path, table) for table in schema.TABLES]
    return path, project.write_project(layers, folder / PROJECT)


def prepare_postgis(folder: Path, pg_port: int, pg_folder: Optional[Path] = None) -> tuple[postgres.Cluster, Path]:
    """The cluster in `pg_folder` (by default `folder`/postgres; the `postgres` user must reach it) started on
    `pg_port`, the platform schema in its database (made when missing), and the project in `folder`."""
    cluster = postgres.start_cluster(pg_port, pg_folder or folder / "postgres")
    try:
        present = cluster.psql(f"SELECT to_regclass('public.{schema.WORKS.name}') IS NOT NULL").stdout.strip()
        if present != "t":
            cluster.psql(schema.postgis_sql())
        layers = [project.postgis_layer(cluster.dsn, table) for table in schema.TABLES]
        return cluster, project.write_project(layers, folder / PROJECT)
    except BaseException:
        cluster.stop()
        raise


def start_mapserver(project_path: Path, folder: Path, port: int, acl: Path) -> tuple[subprocess.Popen, Path]:
    """qgis_mapserver serving `project_path` on 127.0.0.1:`port` with the access-control plugin and `acl`."""
    log = folder / "qgis_mapserver.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QGIS_SERVER_LOG_LEVEL": "1",
           "QGIS_SERVER_LOG_STDERR": "1", "QGIS_PLUGINPATH": str(SERVER_PLUGINS),
           "SITUATION_ROOM_ACL": str(acl.resolve()), "QGIS_CUSTOM_CONFIG_PATH": str(folder / "server-profile"),
           "QGIS_SERVER_PARALLEL_RENDERING": "0", "OGR_SQLITE_PRAGMA": "busy_timeout=10000"}
    with log.open("a") as out:
        process = subprocess.Popen(["qgis_mapserver", "-p", str(project_path), f"127.0.0.1:{port}"], stdout=out,
                                   stderr=subprocess.STDOUT, env=env)
    return process, log


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Until the server answers at all (the access control answers 401 without credentials)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"qgis_mapserver stopped at start: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                answer.read()
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} in {timeout} s: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def running(folder: Path, acl: Path, kind: str = "gpkg", port: Optional[int] = None,
            pg_port: Optional[int] = None, pg_folder: Optional[Path] = None) -> Iterator[Platform]:
    """The platform started from `folder` (made when missing; data kept across runs) with the users of `acl`;
    everything it started is stopped on leaving. Needs a QgsApplication (the project is written with PyQGIS)."""
    if kind not in KINDS:
        raise ValueError(f"{kind}: the platform runs on {' or '.join(KINDS)}")
    if not acl.is_file():
        raise FileNotFoundError(f"{acl}: no access file (python -m situation_room_acl.users add {acl} USER ORG)")
    folder.mkdir(parents=True, exist_ok=True)
    cluster, geopackage = None, None
    if kind == "gpkg":
        geopackage, project_path = prepare_geopackage(folder)
    else:
        cluster, project_path = prepare_postgis(folder, pg_port or free_port(), pg_folder)
    port = port or free_port()
    try:
        process, log = start_mapserver(project_path, folder, port, acl)
    except BaseException:
        if cluster is not None:
            cluster.stop()
        raise
    platform = Platform(kind, folder, project_path, f"http://127.0.0.1:{port}", process, log, cluster, geopackage)
    try:
        wait_until_up(f"{platform.wfs_url}&REQUEST=GetCapabilities", process, log)
        yield platform
    finally:
        platform.stop()
