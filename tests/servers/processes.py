"""Start and stop the test servers as child processes on 127.0.0.1, each on a free port it reports."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    log: Path

    def url(self, path: str = "") -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                answer.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} in {timeout} s: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def feed_server(root: Path, workdir: Path) -> Iterator[Server]:
    port_file = workdir / "feed_server.port"
    log = workdir / "feed_server.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(HERE / "feed_server.py"), str(root), str(port_file)],
                                   stdout=out, stderr=subprocess.STDOUT)
    server = None
    try:
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        server = Server(process, f"http://127.0.0.1:{port_file.read_text()}", log)
        yield server
    finally:
        (server.stop() if server else process.kill())


@contextlib.contextmanager
def qgis_server(project: Path, workdir: Path) -> Iterator[Server]:
    """QGIS Server's development server (qgis_mapserver) publishing `project`."""
    port = free_port()
    log = workdir / "qgis_mapserver.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QGIS_SERVER_LOG_LEVEL": "2",
           "QGIS_CUSTOM_CONFIG_PATH": str(workdir / "server-profile"), "QGIS_SERVER_PARALLEL_RENDERING": "0"}
    with log.open("w") as out:
        process = subprocess.Popen(["qgis_mapserver", "-p", str(project), f"127.0.0.1:{port}"], stdout=out,
                                   stderr=subprocess.STDOUT, env=env)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_up(server.url("ows/?SERVICE=WFS&REQUEST=GetCapabilities"), process, log)
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def pygeoapi_server(config: Path, openapi: Path, workdir: Path, port: int) -> Iterator[Server]:
    """pygeoapi (OGC API Features) from PyPI, served by Flask's server in its own process on `port` (the one
    its configuration names)."""
    log = workdir / "pygeoapi.log"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    code = ("import sys; from pygeoapi.flask_app import APP; "
            f"APP.run(host='127.0.0.1', port={port}, debug=False, use_reloader=False)")
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT, env=env)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_up(server.url("collections?f=json"), process, log)
        yield server
    finally:
        server.stop()
