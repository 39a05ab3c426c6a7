"""HTTP through QGIS's network stack (so the user's proxy, SSL exceptions and authcfg apply), with a timeout,
retries with exponential backoff on transient failures, a size limit and conditional requests.

Every failure becomes a TransportError carrying a Problem that says what happened in words a technician can
act on (the server's status, refused credentials, a timeout, an unreachable host, a body too large).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from qgis.core import QgsApplication, QgsBlockingNetworkRequest, QgsFeedback
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.progress import CancelledError

LOG = logging.getLogger(__name__)

_E = QNetworkReply.NetworkError
#: Network failures worth another try: the server or the path to it may be back in a moment.
TRANSIENT_ERRORS = frozenset({
    _E.ConnectionRefusedError, _E.RemoteHostClosedError, _E.TimeoutError, _E.TemporaryNetworkFailureError,
    _E.NetworkSessionFailedError, _E.ProxyConnectionClosedError, _E.ProxyTimeoutError, _E.UnknownNetworkError,
    _E.ServiceUnavailableError, _E.InternalServerError, _E.UnknownServerError,
})
TRANSIENT_STATUS = frozenset({500, 502, 503, 504, 429})
AUTH_ERRORS = frozenset({_E.AuthenticationRequiredError, _E.ProxyAuthenticationRequiredError})


@dataclass(frozen=True)
class HttpOptions:
    """How patient to be with a server. Defaults suit a municipal WFS or a utility's GeoJSON file."""

    timeout_s: float = 30.0
    retries: int = 3
    backoff_s: float = 0.5
    max_mb: float = 200.0


@dataclass
class Response:
    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


class TransportError(SituationRoomError):
    """A request that failed for good; `problem` says why, `transient` whether trying later may help."""

    def __init__(self, problem: Problem, transient: bool = False) -> None:
        super().__init__(problem)
        self.transient = transient


def auth_config_exists(authcfg: str) -> bool:
    manager = QgsApplication.authManager()
    return bool(authcfg) and authcfg in manager.configIds()


def get(
    url: str,
    *,
    label: str,
    authcfg: str = "",
    etag: str = "",
    last_modified: str = "",
    options: HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
) -> Response:
    """GET `url`; a 304 answer to a conditional request is a Response with `not_modified`.

    Raises TransportError when the answer is not usable after the retries the failure deserves, and
    CancelledError when `feedback` is cancelled (before or while the request runs, or between tries).
    """
    options = options or HttpOptions()
    if authcfg and not auth_config_exists(authcfg):
        raise TransportError(Problem(label, "authcfg", "auth_config_missing", Severity.ERROR, {"authcfg": authcfg}))
    attempt = 0
    while True:
        attempt += 1
        if feedback is not None and feedback.isCanceled():
            raise CancelledError
        try:
            response = _get_once(url, label, authcfg, etag, last_modified, options, feedback, attempt)
        except TransportError as error:
            if not error.transient or attempt > options.retries:
                raise
            delay = options.backoff_s * 2 ** (attempt - 1)
            LOG.info("%s: %s; trying again in %.1f s", label, error.problem.message, delay)
            time.sleep(delay)
            continue
        response.attempts = attempt
        return response


def _get_once(
    url: str,
    label: str,
    authcfg: str,
    etag: str,
    last_modified: str,
    options: HttpOptions,
    feedback: QgsFeedback | None,
    attempt: int,
) -> Response:
    request = QNetworkRequest(QUrl(url))
    request.setAttribute(QNetworkRequest.Attribute.CacheLoadControlAttribute,
                         QNetworkRequest.CacheLoadControl.AlwaysNetwork)
    request.setAttribute(QNetworkRequest.Attribute.FollowRedirectsAttribute, True)
    request.setRawHeader(b"Accept", b"application/geo+json, application/json;q=0.9, */*;q=0.1")
    if etag:
        request.setRawHeader(b"If-None-Match", etag.encode())
    if last_modified:
        request.setRawHeader(b"If-Modified-Since", last_modified.encode())
    blocking = QgsBlockingNetworkRequest()
    blocking.setAuthCfg(authcfg)
    limit = int(options.max_mb * 1024 * 1024)
    state: dict[str, Any] = {"too_large": False, "timed_out": False}

    # The request runs in QGIS's network thread: the watchdogs stop it from there through a feedback.
    stopper = QgsFeedback()

    def progress(received: int, total: int) -> None:
        if received > limit or total > limit:
            state["too_large"] = True
            stopper.cancel()

    def on_timeout() -> None:
        state["timed_out"] = True
        stopper.cancel()

    if feedback is not None:
        feedback.canceled.connect(stopper.cancel)
    blocking.downloadProgress.connect(progress, Qt.ConnectionType.DirectConnection)
    timer = threading.Timer(options.timeout_s, on_timeout)
    timer.daemon = True
    timer.start()
    try:
        blocking.get(request, True, stopper)
    finally:
        timer.cancel()
        if feedback is not None:
            feedback.canceled.disconnect(stopper.cancel)
    reply = blocking.reply()
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    status = int(status) if status is not None else 0
    params = {"url": _safe(url), "status": status, "attempts": attempt, "authcfg": authcfg}
    if state["too_large"]:
        raise TransportError(Problem(label, "", "too_large", Severity.ERROR,
                                     {**params, "limit": f"{options.max_mb:g}"}))
    if state["timed_out"]:
        raise TransportError(Problem(label, "", "timeout", Severity.ERROR,
                                     {**params, "seconds": f"{options.timeout_s:g}"}), transient=True)
    error = reply.error()
    if feedback is not None and feedback.isCanceled():
        raise CancelledError
    # QGIS's network cache answers a 304 with its stored copy as a 200: either way, ours is current.
    from_cache = bool(reply.attribute(QNetworkRequest.Attribute.SourceIsFromCacheAttribute))
    if status == 304 or (status == 200 and from_cache and (etag or last_modified)):
        return Response(url, 304, b"", _headers(reply))
    if status in (401, 407) or error in AUTH_ERRORS:
        code = "auth_failed" if authcfg else "auth_required"
        raise TransportError(Problem(label, "authcfg", code, Severity.ERROR, {**params, "status": status or 401}))
    if status >= 400:
        reason = reply.attribute(QNetworkRequest.Attribute.HttpReasonPhraseAttribute) or ""
        raise TransportError(Problem(label, "", "http_error", Severity.ERROR, {**params, "value": str(reason)}),
                             transient=status in TRANSIENT_STATUS)
    if error != _E.NoError or status == 0:
        message = blocking.errorMessage() or reply.errorString() or str(error)
        if status and error == _E.RemoteHostClosedError:
            message = f"the connection closed before the whole answer arrived ({len(bytes(reply.content()))} bytes)"
        if error == _E.OperationCanceledError:  # QGIS's own network timeout
            raise TransportError(Problem(label, "", "timeout", Severity.ERROR,
                                         {**params, "seconds": f"{options.timeout_s:g}"}), transient=True)
        raise TransportError(Problem(label, "", "network_error", Severity.ERROR, {**params, "value": message}),
                             transient=error in TRANSIENT_ERRORS)
    body = bytes(reply.content())
    headers = _headers(reply)
    expected = headers.get("content-length", "")
    if expected.isdigit() and int(expected) != len(body) and "content-encoding" not in headers:
        raise TransportError(Problem(label, "", "network_error", Severity.ERROR, {
            **params, "value": f"the connection closed after {len(body)} of {expected} bytes"}), transient=True)
    if len(body) > limit:
        raise TransportError(Problem(label, "", "too_large", Severity.ERROR,
                                     {**params, "limit": f"{options.max_mb:g}"}))
    return Response(url, status, body, headers)


def _headers(reply: Any) -> dict[str, str]:
    return {bytes(name).decode("latin-1").lower(): bytes(reply.rawHeader(name)).decode("latin-1")
            for name in reply.rawHeaderList()}


def _safe(url: str) -> str:
    """A URL fit for a message: no user information, no query string secrets."""
    qurl = QUrl(url)
    options = QUrl.UrlFormattingOption.RemoveUserInfo
    if qurl.hasQuery() and any(w in qurl.query().lower() for w in ("key", "token", "pass")):
        options |= QUrl.UrlFormattingOption.RemoveQuery
    return qurl.toString(options)
