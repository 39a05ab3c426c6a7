"""`make platform` as a user runs it: platform/start.py in the foreground makes the database and the users,
prints the WFS address and the passwords, serves until Ctrl-C, and stops what it started."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import requests
from situation_room_platform.server import free_port

from tests.conftest import ROOT


def test_start_serves_the_platform_until_ctrl_c_and_keeps_the_data(tmp_path):
    port = free_port()
    command = [sys.executable, str(ROOT / "platform" / "start.py"), "--dir", str(tmp_path), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("Ctrl-C" in line for line in lines):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
        output = "".join(lines)
        assert f"WFS: http://127.0.0.1:{port}/ows/?SERVICE=WFS" in output, output
        password = re.search(r"^\s+publiacqua\s+(\S+)$", output, re.M).group(1)
        url = f"http://127.0.0.1:{port}/ows/"
        capabilities = {"SERVICE": "WFS", "REQUEST": "GetCapabilities"}
        assert requests.get(url, params=capabilities, timeout=60).status_code == 401
        answer = requests.get(url, params=capabilities, auth=("publiacqua", password), timeout=60)
        assert answer.status_code == 200 and "<Name>works</Name>" in answer.text
        assert password not in (tmp_path / "gpkg" / "acl.json").read_text()
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0 and "stopped" in rest, rest
    try:
        requests.get(f"http://127.0.0.1:{port}/ows/", timeout=5)
        stopped = False
    except requests.ConnectionError:
        stopped = True
    assert stopped, "qgis_mapserver still answers after Ctrl-C"
    assert (tmp_path / "gpkg" / "platform.gpkg").is_file()


def test_start_refuses_an_access_file_that_is_not_there_naming_it(tmp_path):
    missing = tmp_path / "nowhere.json"
    result = subprocess.run([sys.executable, str(ROOT / "platform" / "start.py"), "--dir", str(tmp_path),
                             "--acl", str(missing)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"{missing}: no such access file" in result.stderr and "situation_room_acl.users add" in result.stderr
    assert not missing.exists() and not (tmp_path / "gpkg" / "platform.gpkg").exists()
