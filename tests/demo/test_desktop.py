"""`make demo` with a display: QGIS opens on the demo's project with the plugin, the dock open on today, the
works of the three feeds and their conflicts on the map; when QGIS is closed, the platform is stopped.
Run under Xvfb; the screenshot is kept in tests/artifacts/demo/ for a person to look at."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import ROOT

TODAY = "2027-03-10"
pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_qgis_opens_on_the_demo_project_with_the_dock_on_today_and_the_platform_stops_after(prato_data,
                                                                                             tmp_path):
    if shutil.which("xvfb-run") is None or shutil.which("qgis") is None:
        pytest.fail("xvfb-run and qgis are needed: `make setup` installs them")
    shot = ROOT / "tests" / "artifacts" / "demo" / "desktop.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "QT_QPA_PLATFORM"}
    env.update(DEMO_TODAY=TODAY, SITUATION_ROOM_DEMO_SCREENSHOT=str(shot))
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, "-m", "tools.demo.run",
                           "--desktop", "--dir", str(tmp_path), "--port", str(port)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "QGIS is opening" in done.stdout and done.stdout.strip().endswith("Platform stopped.")
    state = json.loads(shot.with_suffix(".json").read_text())
    assert "error" not in state, state
    assert state["plugin"] and state["dock_visible"] and state["day"] == TODAY
    assert {"Cantieri (archivio del progetto)", "Conflitti", "Strade di Prato (OSM)"} <= set(state["layers"])
    conn = sqlite3.connect(tmp_path / "store.gpkg")
    assert conn.execute("SELECT count(*) FROM works").fetchone()[0] == 15
    conn.close()
    with socket.socket() as sock:  # nothing listens on the platform's port any more
        assert sock.connect_ex(("127.0.0.1", port)) != 0
