"""Fixtures of the sync tests: the platform (QGIS Server over a GeoPackage, and over PostGIS when PostgreSQL 15
with PostGIS is installed) started on 127.0.0.1 for the module, an authcfg per user in the test profile's
authentication database, and a writable source of the platform for each user."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from situation_room_plugin.core.sources import Source
from tests.platform.conftest import USERS, cluster, postgres, postgres_folder, server, write_access_file  # noqa: F401
from tests.qgis.conftest import provider  # noqa: F401 - the provider fixture, for processing.run
from tests.qgis.feeds_helpers import basic_authcfg


@pytest.fixture(scope="module")
def sync_access_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_access_file(tmp_path_factory.mktemp("sync-acl") / "acl.json")


def start(kind: str, qgis_app: Any, folder: Path, access_file: Path, port: int | None = None,
          pg_folder: Path | None = None):
    """The platform's context manager for `kind` and its cluster's folder (a new one unless given; skips when
    PostGIS is wanted and missing)."""
    if kind == "postgis":
        if postgres.missing_packages():
            pytest.skip(f"PostgreSQL 15 with PostGIS is not installed ({' '.join(postgres.missing_packages())})")
        pg_folder = pg_folder or postgres_folder()
    return server.running(folder, access_file, kind, port=port, pg_folder=pg_folder), pg_folder


@pytest.fixture(scope="module", params=["gpkg", "postgis"])
def platform(request: pytest.FixtureRequest, qgis_app: Any, tmp_path_factory: pytest.TempPathFactory,
             sync_access_file: Path) -> Iterator[server.Platform]:
    running, pg_folder = start(request.param, qgis_app, tmp_path_factory.mktemp(f"sync-{request.param}"),
                               sync_access_file)
    try:
        with running as started:
            yield started
    except postgres.PostgresUnavailableError as error:
        pytest.skip(f"PostgreSQL could not be started here: {error}")
    finally:
        if pg_folder is not None:
            shutil.rmtree(pg_folder, ignore_errors=True)


@pytest.fixture(scope="session")
def authcfgs(qgis_app: Any) -> dict[str, str]:
    """An authcfg (Basic) per organisation of the test access file: publiacqua, estracom, comune."""
    return {organisation: basic_authcfg(name, password) for name, organisation, password in USERS}


def platform_source(url: str, authcfg: str) -> Source:
    return Source(id="platform", title="Piattaforma", owner="comune", kind="wfs", url=url, layer="works",
                  authcfg=authcfg, version="1.1.0", writable=True, timeout_s=30)


@pytest.fixture
def sources(platform: server.Platform, authcfgs: dict[str, str]) -> dict[str, Source]:
    """The platform as a writable source, for each organisation's user."""
    return {org: platform_source(platform.wfs_url, cfg) for org, cfg in authcfgs.items()}


def as_version(source: Source, version: str) -> Source:
    return replace(source, version=version)
