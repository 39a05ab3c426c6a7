"""A throwaway PostgreSQL 15 + PostGIS cluster on 127.0.0.1, from Debian's packages: made with initdb in a
folder of its own, started and stopped with pg_ctl, as the `postgres` user when run as root (PostgreSQL
refuses to run as root). Local trust authentication on 127.0.0.1 only: it is a development and test cluster.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
#: What `make platform PLATFORM=postgis` installs when missing.
DEBIAN_PACKAGES = ("postgresql-15", "postgresql-15-postgis-3")


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL 15 or PostGIS is not installed, or the cluster would not start (the message says which)."""


def missing_packages() -> list[str]:
    """What is missing of PostgreSQL 15 and PostGIS 3 (the Debian package names)."""
    missing = []
    if not (BIN / "initdb").exists():
        missing.append("postgresql-15")
    if not POSTGIS_CONTROL.exists():
        missing.append("postgresql-15-postgis-3")
    return missing


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    """A running cluster: its folder, port and database name."""

    folder: Path
    port: int
    database: str = "situation_room"
    user: str = "postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def dsn(self) -> str:
        """A QGIS postgres provider connection string (without table)."""
        return f"dbname='{self.database}' host=127.0.0.1 port={self.port} user='{self.user}' sslmode=disable"

    def _psql(self, database: str) -> list[str]:
        return [str(BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", str(self.port), "-U", self.user, "-d", database]

    def psql(self, sql: str, *, check: bool = True) -> subprocess.CompletedProcess:
        """Run SQL with psql (stops at the first error when `check`); the output is unaligned, tuples only."""
        command = self._psql(self.database)
        result = subprocess.run(command, input=sql, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise subprocess.CalledProcessError(result.returncode, command, result.stdout, result.stderr)
        return result

    def psql_admin(self, sql: str) -> subprocess.CompletedProcess:
        """One statement on the maintenance database `postgres` (to create the platform's database)."""
        return subprocess.run([*self._psql("postgres"), "-c", sql], capture_output=True, text=True, check=True,
                              timeout=60)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(_as_server_user([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                                            "stop"]), capture_output=True, timeout=60)


def start_cluster(port: int, folder: Path | None = None, database: str = "situation_room") -> Cluster:
    """initdb (when the folder holds no cluster yet), start on 127.0.0.1:`port`, create `database` when missing
    (the schema script, schema.postgis_sql, adds the PostGIS extension).
    Without `folder`, a new one under the system's temporary folder (the `postgres` user must reach it)."""
    missing = missing_packages()
    if missing:
        raise PostgresUnavailableError(
            f"PostgreSQL 15 with PostGIS is not installed: apt-get install {' '.join(missing)}")
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="situation-room-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = Cluster(folder, port, database)
    log = folder / "postgresql.log"
    if not (cluster.data / "PG_VERSION").exists():
        _run([str(BIN / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8"], "initdb")
    # a cluster of this folder left running (its start script was killed) is stopped, to start on `port`
    cluster.stop()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
    _run([str(BIN / "pg_ctl"), "-D", str(cluster.data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
         "pg_ctl start", log)
    exists = cluster.psql_admin(f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if exists.stdout.strip() != "1":
        cluster.psql_admin(f'CREATE DATABASE "{database}"')
    return cluster


def _run(command: list[str], what: str, log: Path | None = None) -> None:
    result = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        tail = log.read_text()[-2000:] if log is not None and log.exists() else ""
        why = result.stderr.strip() or result.stdout.strip()
        raise PostgresUnavailableError(f"{what} failed: {why} {tail}".strip())
