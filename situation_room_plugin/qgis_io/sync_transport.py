"""The sync's HTTP through QGIS's network stack (QgsBlockingNetworkRequest: the user's proxy, SSL settings and an
authcfg of QGIS's authentication database, never credentials of its own), and the WFS-T conversation with the
platform: a Transaction posted, records read back by uid, pages of changes pulled.

Unlike `transport.get`, nothing here retries or raises on a bad answer: a push must learn what happened from
the server (settle.py), so a timeout, a reset connection or an HTTP 500 comes back as an `HttpAnswer` with
no status or that status, for the caller to settle by reading the works back.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from qgis.core import QgsBlockingNetworkRequest, QgsFeedback
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.sync import oapif, wfst
from situation_room_plugin.core.sync.outbox import Op, OpTable, SyncError
from situation_room_plugin.qgis_io.transport import TransportError, auth_config_exists, redacted

#: Seconds a request may take before it is given up (its answer then unknown: the caller settles it).
DEFAULT_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class HttpAnswer:
    """What came back: the HTTP status (None when nothing did), the body, and the network's error in words."""

    status: int | None
    body: bytes | None
    error: str = ""


def _request(method: str, url: str, authcfg: str, timeout_s: float, body: bytes = b"",
             content_type: str = "text/xml", headers: Mapping[str, str] | None = None) -> HttpAnswer:
    request = QNetworkRequest(QUrl(url))
    for name, value in (headers or {}).items():
        request.setRawHeader(name.encode("latin-1"), value.encode("latin-1"))
    request.setAttribute(QNetworkRequest.Attribute.CacheLoadControlAttribute,
                         QNetworkRequest.CacheLoadControl.AlwaysNetwork)
    blocking = QgsBlockingNetworkRequest()
    blocking.setAuthCfg(authcfg)
    stopper = QgsFeedback()
    timer = threading.Timer(timeout_s, stopper.cancel)
    timer.daemon = True
    timer.start()
    try:
        if method in ("POST", "PUT"):
            request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, content_type)
            if method == "POST":
                blocking.post(request, body, True, stopper)
            else:
                blocking.put(request, body, stopper)
        elif method == "DELETE":
            blocking.deleteResource(request, stopper)
        else:
            blocking.get(request, True, stopper)
    finally:
        timer.cancel()
    reply = blocking.reply()
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    if stopper.isCanceled():
        return HttpAnswer(None, None, f"no answer in {timeout_s:g} s")
    if status is None or int(status) == 0:
        return HttpAnswer(None, None, blocking.errorMessage() or reply.errorString() or "no answer")
    return HttpAnswer(int(status), bytes(reply.content()), "" if int(status) < 400 else reply.errorString())


def with_params(url: str, params: Mapping[str, str]) -> str:
    """`url` with these query parameters (replacing those of the same name, case-insensitively)."""
    parts = urlsplit(url)
    names = {name.upper() for name in params}
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.upper() not in names]
    return urlunsplit(parts._replace(query=urlencode([*kept, *params.items()])))


@dataclass
class WfsPlatform:
    """The platform's WFS-T: its address (the source's url), the authcfg, the WFS version and the layer."""

    url: str
    authcfg: str = ""
    version: str = "1.1.0"
    type_name: str = "works"
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        if self.authcfg and not auth_config_exists(self.authcfg):
            raise TransportError(Problem(redacted(self.url), "authcfg", "auth_config_missing", Severity.ERROR,
                                         {"authcfg": self.authcfg}))

    decisions_type_name: str = "conflict_decisions"
    #: The platform kit's WFS-T also has the layer of the decisions on conflicts.
    handles_decisions: bool = True

    @property
    def target(self) -> wfst.Target:
        names = {OpTable.WORKS: self.type_name, OpTable.DECISIONS: self.decisions_type_name}
        return wfst.Target(self.version or "1.1.0", type_names=names)

    def transaction(self, ops: Sequence[Op], bases: Mapping[str, Any] | None = None
                    ) -> tuple[wfst.Answer, HttpAnswer]:
        """Post the Transaction of `ops`; the answer read (never raises: an unclear one is settled). `bases` are
        not needed: an Update names only the fields it changes."""
        target = self.target
        url = with_params(self.url, {"SERVICE": "WFS", "VERSION": target.version, "REQUEST": "Transaction"})
        answer = _request("POST", url, self.authcfg, self.timeout_s, wfst.transaction(ops, target))
        if answer.status is None:
            return wfst.Answer(wfst.AnswerKind.NO_ANSWER, None, text=answer.error or "no answer"), answer
        return wfst.parse_answer(answer.body, answer.status), answer

    def features(self, params: Mapping[str, str]) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
        """The features of one GetFeature (GML); TransportError naming the server's words when it fails."""
        url = with_params(self.url, params)
        answer = _request("GET", url, self.authcfg, self.timeout_s)
        label = redacted(self.url)
        if answer.status is None or answer.status >= 400:
            code = "auth_failed" if answer.status in (401, 403) else "network_error"
            raise TransportError(Problem(label, "", code, Severity.ERROR, {
                "url": label, "status": answer.status or 0, "authcfg": self.authcfg,
                "value": answer.error or (answer.body or b"")[:200].decode("utf-8", "replace")}),
                transient=answer.status is None or answer.status >= 500)
        try:
            return wfst.parse_features(answer.body or b"")
        except ValueError as error:
            raise TransportError(Problem(label, "", "network_error", Severity.ERROR,
                                         {"url": label, "status": answer.status, "value": str(error)})) from error

    def records(self, type_name: str) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
        """Every record of one of the platform's layers (GML in EPSG:6707)."""
        target = self.target
        return self.features({"SERVICE": "WFS", "VERSION": target.version, "REQUEST": "GetFeature",
                              "TYPENAME": type_name, "SRSNAME": target.srs})

    def post(self, body: bytes) -> tuple[wfst.Answer, HttpAnswer]:
        """Post a Transaction document, its non-ASCII characters as character references (the same XML: QGIS
        3.22's qgis_mapserver waits forever for the rest of a body with multi-byte UTF-8 characters in it)."""
        url = with_params(self.url, {"SERVICE": "WFS", "VERSION": self.target.version, "REQUEST": "Transaction"})
        body = body.decode("utf-8").encode("ascii", "xmlcharrefreplace")
        answer = _request("POST", url, self.authcfg, self.timeout_s, body)
        if answer.status is None:
            return wfst.Answer(wfst.AnswerKind.NO_ANSWER, None, text=answer.error or "no answer"), answer
        return wfst.parse_answer(answer.body, answer.status), answer

    def read_back(self, uids: Sequence[str], table: OpTable = OpTable.WORKS
                  ) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
        """The server's records of these uids (or conflict ids), tombstones included."""
        found = []
        for params in wfst.by_uids(uids, self.target, table):
            found += self.features(params)
        return found

    def pull_page(self, after_seq: int, page_size: int, table: OpTable = OpTable.WORKS
                  ) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
        return self.features(wfst.pull_page_expression(after_seq, page_size, self.target, table))


@dataclass
class OapifPlatform:
    """A platform speaking OGC API Features Part 4 (POST, PUT, DELETE on /collections/{id}/items): `url` the
    landing page, `collection` the works. Each op is one request; its answer only says landed or refused when
    it is plain (oapif.read_reply), and the sync reads every work back by uid anyway. A delete is a tombstone
    written by PUT (pygeoapi's providers remove the item on DELETE: the other clients would never see it go)."""

    url: str
    collection: str = "works"
    authcfg: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    crs: str = oapif.PROJECT_CRS

    def _items(self) -> str:
        return f"{self.url.rstrip('/')}/collections/{quote(self.collection, safe='')}/items"

    def transaction(self, ops: Sequence[Op], bases: Mapping[str, Any] | None = None
                    ) -> tuple[wfst.Answer, HttpAnswer | None]:
        bases = bases or {}
        refusals, texts, last = {}, [], None
        for op in ops:
            try:
                request = oapif.request_for(op, self.collection, bases.get(op.uid), self.crs, delete_by_put=True)
            except SyncError as error:
                refusals[op.op_id] = str(error)
                continue
            url = self.url.rstrip("/") + request.path
            last = _request(request.method, url, self.authcfg, self.timeout_s, request.body or b"",
                            request.headers.get("Content-Type", "application/geo+json"),
                            {k: v for k, v in request.headers.items() if k != "Content-Type"})
            reply = oapif.read_reply(op, last.status, last.body)
            texts.append(reply.text)
            if reply.verdict is oapif.ReplyVerdict.REFUSED:
                refusals[op.op_id] = reply.text
        return wfst.Answer(wfst.AnswerKind.SUMMARY, 200, messages=refusals, text="; ".join(texts[-3:])), last

    def read_back(self, uids: Sequence[str], table: OpTable = OpTable.WORKS
                  ) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
        found = []
        crs = oapif._CRS_URIS[self.crs]
        for uid in dict.fromkeys(uids):
            answer = _request("GET", f"{self._items()}/{quote(uid, safe='')}?f=json&crs={quote(crs, safe='')}",
                              self.authcfg, self.timeout_s)
            if answer.status == 404:
                continue
            if answer.status is None or answer.status >= 400:
                raise TransportError(Problem(redacted(self.url), "", "network_error", Severity.ERROR, {
                    "url": redacted(self.url), "status": answer.status or 0, "value": answer.error}),
                    transient=True)
            feature = json.loads(answer.body or b"{}")
            found.append(({**feature.get("properties", {}), "uid": feature.get("id") or uid},
                          oapif.feature_geometry(feature, self.crs)))
        return found

    def pull_page(self, after_seq: int, page_size: int, table: OpTable = OpTable.WORKS
                  ) -> list[tuple[dict[str, Any], BaseGeometry | None]]:
        crs = oapif._CRS_URIS[self.crs]
        query = urlencode({"f": "json", "filter": f"server_seq > {int(after_seq)}", "sortby": "+server_seq",
                           "limit": str(page_size), "crs": crs})
        answer = _request("GET", f"{self._items()}?{query}", self.authcfg, self.timeout_s)
        if answer.status is None or answer.status >= 400:
            raise TransportError(Problem(redacted(self.url), "", "network_error", Severity.ERROR, {
                "url": redacted(self.url), "status": answer.status or 0,
                "value": (answer.body or b"")[:200].decode("utf-8", "replace")}), transient=True)
        features = json.loads(answer.body or b"{}").get("features", [])
        return [({**f.get("properties", {}), "uid": f.get("id")}, oapif.feature_geometry(f, self.crs))
                for f in features]
