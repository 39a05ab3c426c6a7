#!/usr/bin/env python3
"""A plain HTTP server for GeoJSON and WZDx feeds that can fail on purpose, run as its own process.

    feed_server.py ROOT PORT_FILE

Serves the files of ROOT. The first path segments choose a behaviour, the rest names the file:
  /files/NAME                 the file, with ETag and Last-Modified; If-None-Match / If-Modified-Since -> 304
  /status/CODE/NAME           answers HTTP CODE
  /flaky/N/NAME               503 to the first N requests for NAME, then the file
  /slow/SECONDS/NAME          waits, then the file
  /stall/SECONDS/NAME         the headers and half the file, then nothing for SECONDS, then the rest
  /trickle/PIECES/SECONDS/NAME  the file in PIECES pieces, SECONDS apart
  /charset/CHARSET/NAME       the file, its Content-Type declaring charset=CHARSET
  /truncated/NAME             announces the whole length, sends half the body and closes
  /cut/NAME                   no length announced, half the body, closes
  /auth/NAME                  the file for HTTP Basic user 'tecnico' password 'giusta', else 401
  /big/MB                     MB megabytes of JSON-looking text
  /hits/NAME                  how many requests NAME had (text)
  /ows/NAME?REQUEST=R         the file NAME.r.xml (lower case), for canned OGC services; with STARTINDEX=S,
                              NAME.r.S.json or NAME.r.S.xml when there is one (canned pages)
  /auth/ows/NAME?REQUEST=R    the same behind HTTP Basic authentication
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import http.server
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(sys.argv[1])
HITS: dict[str, int] = {}
LOCK = threading.Lock()
GOOD_AUTH = "Basic " + base64.b64encode(b"tecnico:giusta").decode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = self.path.split("?")[0].strip("/").split("/")
        mode, rest = parts[0], parts[1:]
        name = rest[-1] if rest else ""
        if mode == "auth" and rest[:1] == ["ows"]:  # a canned OGC service behind Basic authentication
            if self.headers.get("Authorization") != GOOD_AUTH:
                return self.send(401, b"", "text/plain", {"WWW-Authenticate": 'Basic realm="ows"'})
            mode = "ows"
        if mode == "ows":  # a canned OGC service: NAME.<request>.xml answers REQUEST=<request>
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            lowered = {k.lower(): v for k, v in query.items()}
            request = lowered.get("request", [""])[0].lower()
            start = lowered.get("startindex", [""])[0]
            pages = [f"{name}.{request}.{start}.{ext}" for ext in ("json", "xml") if start]
            name = next((page for page in pages if (ROOT / page).is_file()), f"{name}.{request}.xml")
        if mode != "hits":
            with LOCK:
                HITS[name] = HITS.get(name, 0) + 1
                hits = HITS[name]
        if mode == "hits":
            return self.send(200, str(HITS.get(name, 0)).encode(), "text/plain")
        if mode == "status":
            return self.send(int(rest[0]), b"server says no", "text/plain")
        if mode == "flaky" and hits <= int(rest[0]):
            return self.send(503, b"busy", "text/plain")
        if mode == "slow":
            time.sleep(float(rest[0]))
        if mode == "auth" and self.headers.get("Authorization") != GOOD_AUTH:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="feeds"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if mode == "big":
            size = int(float(rest[0]) * 1024 * 1024)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b" " * 65536
            for _ in range(size // len(chunk)):
                try:
                    self.wfile.write(chunk)
                except OSError:
                    return None
            return None
        path = ROOT / name
        if not path.is_file():
            return self.send(404, b"no such feed", "text/plain")
        body = path.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        modified = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if mode in ("stall", "trickle"):
            return self.send_slowly(body, mode, rest)
        if mode == "charset":
            return self.send(200, body, f"application/geo+json; charset={rest[0]}")
        if mode in ("truncated", "cut"):
            self.send_response(200)
            self.send_header("Content-Type", "application/geo+json")
            if mode == "truncated":
                self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        kind = "text/xml" if name.endswith(".xml") else "application/geo+json"
        return self.send(200, body, kind, {"ETag": etag, "Last-Modified": modified})

    def send_slowly(self, body: bytes, mode: str, rest: list[str]) -> None:
        if mode == "stall":
            pieces, pause = [body[: len(body) // 2], body[len(body) // 2:]], float(rest[0])
        else:
            count, pause = int(rest[0]), float(rest[1])
            step = -(-len(body) // count)
            pieces = [body[i:i + step] for i in range(0, len(body), step)]
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for index, piece in enumerate(pieces):
                if index:
                    time.sleep(pause)
                self.wfile.write(piece)
                self.wfile.flush()
        except OSError:  # the client gave up
            self.close_connection = True

    def send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    Path(sys.argv[2]).write_text(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
