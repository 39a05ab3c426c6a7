"""A fault-injecting HTTP proxy on 127.0.0.1 in front of qgis_mapserver: each Transaction (POST) takes the next
fault of a queue — an HTTP 500 before or after the server saw it, a connection reset or a silence after the
server committed, the same request delivered twice, the server killed while it works — and everything else
passes through unchanged."""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

import requests

PASS = "pass"
ERROR_BEFORE = "500_before"  # answered 500, never forwarded
ERROR_AFTER = "500_after"  # forwarded (the server commits), answered 500
RESET_AFTER = "reset_after"  # forwarded, then the connection is reset with no answer
SILENT_AFTER = "silent_after"  # forwarded, then no answer until the client gives up
TWICE = "twice"  # forwarded twice (a retrying middlebox), the second answer returned
KILL_DURING = "kill_during"  # forwarded, and the server killed while it works on it


class FaultProxy:
    def __init__(self, upstream: str, on_kill: Optional[Callable[[], None]] = None, kill_after_s: float = 0.3,
                 silence_s: float = 5.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.faults: deque[str] = deque()
        self.seen: list[str] = []
        self.on_kill, self.kill_after_s, self.silence_s = on_kill, kill_after_s, silence_s
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _forward(self, body: Optional[bytes]) -> requests.Response:
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
                return requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers,
                                        timeout=120)

            def _answer(self, status: int, body: bytes, content_type: str = "text/xml") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _reset(self) -> None:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.connection.close()
                self.close_connection = True

            def do_GET(self) -> None:
                answer = self._forward(None)
                self._answer(answer.status_code, answer.content, answer.headers.get("Content-Type", "text/xml"))

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                fault = proxy.faults.popleft() if proxy.faults else PASS
                proxy.seen.append(fault)
                if fault == ERROR_BEFORE:
                    return self._answer(500, b"Internal Server Error", "text/plain")
                if fault == KILL_DURING:
                    killer = threading.Timer(proxy.kill_after_s, proxy.on_kill)
                    killer.start()
                    try:
                        self._forward(body)
                    except requests.RequestException:
                        pass
                    killer.join()
                    return self._reset()
                answer = self._forward(body)
                if fault == TWICE:
                    answer = self._forward(body)
                if fault == ERROR_AFTER:
                    return self._answer(500, b"<html>Internal Server Error</html>", "text/html")
                if fault == RESET_AFTER:
                    return self._reset()
                if fault == SILENT_AFTER:
                    time.sleep(proxy.silence_s)
                    return self._reset()
                self._answer(answer.status_code, answer.content, answer.headers.get("Content-Type", "text/xml"))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
