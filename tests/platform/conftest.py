"""Fixtures of the platform kit's tests: platform/ on the import path, an access file with a user of Publiacqua,
of Estracom and of the Comune, and a throwaway PostgreSQL + PostGIS cluster (skipped, saying why, when
PostgreSQL 15 or PostGIS is not installed)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

for _path in (ROOT / "platform", ROOT / "platform" / "server_plugins"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from situation_room_acl.users import AccessConfig  # noqa: E402 - platform/ is on the path from here
from situation_room_platform import postgres, server  # noqa: E402
from situation_room_platform.server import free_port  # noqa: E402

#: (user, organisation, password) of the test access file.
USERS = (("anna", "publiacqua", "acqua-2026"), ("bruno", "estracom", "fibra-2026"), ("carla", "comune", "prato-2026"))
PUBLIACQUA, ESTRACOM, COMUNE = ((name, password) for name, _, password in USERS)


def write_access_file(path: Path, anonymous_read: bool = False) -> Path:
    config = AccessConfig(comune="comune", anonymous_read=anonymous_read)
    for name, organisation, password in USERS:
        config.add(name, organisation, password)
    config.save(path)
    return path


@pytest.fixture(scope="session")
def access_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_access_file(tmp_path_factory.mktemp("acl") / "acl.json")


def postgres_folder() -> Path:
    """A folder the `postgres` user can reach (pytest's temporary folders are private to the user running it)."""
    return Path(tempfile.mkdtemp(prefix="situation-room-test-pg-"))


@pytest.fixture(scope="session")
def cluster() -> Iterator[postgres.Cluster]:
    missing = postgres.missing_packages()
    if missing:
        pytest.skip(f"PostgreSQL 15 with PostGIS is not installed (apt-get install {' '.join(missing)})")
    folder = postgres_folder()
    try:
        started = postgres.start_cluster(free_port(), folder)
    except postgres.PostgresUnavailableError as error:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not be started here: {error}")
    try:
        yield started
    finally:
        started.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", params=["gpkg", "postgis"])
def platform(request: pytest.FixtureRequest, qgis_app: Any, tmp_path_factory: pytest.TempPathFactory,
             access_file: Path) -> Iterator[server.Platform]:
    """The platform running on 127.0.0.1, on a GeoPackage and on PostGIS (one server each for the session)."""
    kind = request.param
    pg_folder = None
    if kind == "postgis":
        if postgres.missing_packages():
            pytest.skip(f"PostgreSQL 15 with PostGIS is not installed ({' '.join(postgres.missing_packages())})")
        pg_folder = postgres_folder()
    try:
        with server.running(tmp_path_factory.mktemp(f"platform-{kind}"), access_file, kind,
                            pg_folder=pg_folder) as started:
            yield started
    except postgres.PostgresUnavailableError as error:
        pytest.skip(f"PostgreSQL could not be started here: {error}")
    finally:
        if pg_folder is not None:
            shutil.rmtree(pg_folder, ignore_errors=True)
