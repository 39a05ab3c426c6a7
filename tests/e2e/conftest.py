"""The plugin as users get it: the zip built by tools/package.py, installed into an empty QGIS profile."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"


def qgis_env(profile: Path, **extra: str) -> dict[str, str]:
    """Environment for QGIS programs run by the tests: the isolated profile, and the venv's packages
    (shapely 2) on PYTHONPATH because Debian's system Python has only shapely 1.8."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(profile)
    env["SR_PROBE_DIR"] = str(ROOT / "tests" / "e2e")  # the desktop probes' probe_kit.py
    env["PYTHONPATH"] = os.pathsep.join([*site.getsitepackages(), env.get("PYTHONPATH", "")]).strip(os.pathsep)
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def plugin_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "situation_room_plugin.zip"
    subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), "--out", str(out)], check=True)
    return out


@pytest.fixture
def installed_profile(tmp_path: Path, plugin_zip: Path) -> Path:
    """An empty profile folder with the plugin installed and enabled, as `make install` does."""
    profile = tmp_path / "qgis-profile"
    subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), "--install", str(plugin_zip)],
                   check=True, env={**os.environ, "QGIS_CUSTOM_CONFIG_PATH": str(profile)})
    return profile
