"""HTTP through QGIS's network stack (so the user's proxy, SSL exceptions and authcfg apply), with an idle
timeout (silence) and an overall limit, retries with exponential backoff on transient failures, a size limit,
conditional requests and the charset the server declares.

Every failure becomes a TransportError carrying a Problem that says what happened in words a technician can
act on (the server's status, refused credentials, a timeout, an unreachable host, a body too large).
"""

from __future__ import annotations

import codecs
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from qgis.core import QgsApplication, QgsBlockingNetworkRequest, QgsFeedback, QgsNetworkAccessManager
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
    """How patient to be with a server. Defaults suit a municipal WFS or a utility's GeoJSON file.

    - `idle_timeout_s`: a try is given up when no byte arrived for that long (waiting for the answer to begin
      counts as silence); it is retried like any transient failure. QGIS's own network timeout (Settings >
      Options > Network, 60 s by default) is also a timeout for silence and may come first.
    - `total_timeout_s`: the overall limit of a request, its retries and the waits between them included;
      a download still running then is refused, not retried.
    - `max_mb`: the largest answer taken (and, for file sources, the largest file read).
    """

    idle_timeout_s: float = 30.0
    total_timeout_s: float = 600.0
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

    @property
    def charset(self) -> str:
        """The charset the Content-Type header declares, lower case ("" when none)."""
        return content_type_charset(self.headers.get("content-type", ""))

    def document(self) -> bytes | str:
        """The body for a text reader: decoded with the declared charset when there is one that is not
        Unicode, else the bytes as they came (see `declared_text`)."""
        return declared_text(self.body, self.charset, self.url)


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
    deadline = time.monotonic() + options.total_timeout_s
    attempt = 0
    while True:
        attempt += 1
        if feedback is not None and feedback.isCanceled():
            raise CancelledError
        try:
            response = _get_once(url, label, authcfg, etag, last_modified, options, feedback, attempt, deadline)
        except TransportError as error:
            if not error.transient or attempt > options.retries:
                raise
            delay = options.backoff_s * 2 ** (attempt - 1)
            if time.monotonic() + delay >= deadline:  # no time left for another try within the overall limit
                raise
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
    deadline: float,
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
    too_large = False

    # The request runs in QGIS's network thread: the watchdogs stop it from there through a feedback.
    stopper = QgsFeedback()
    watch = _Watch(options.idle_timeout_s, deadline, stopper)

    def progress(received: int, total: int) -> None:
        nonlocal too_large
        watch.heard(received)
        if received > limit or total > limit:
            too_large = True
            stopper.cancel()

    if feedback is not None:
        feedback.canceled.connect(stopper.cancel)
    blocking.downloadProgress.connect(progress, Qt.ConnectionType.DirectConnection)
    watchdog = threading.Thread(target=watch.run, name="situation-room-http-watch", daemon=True)
    watchdog.start()
    try:
        blocking.get(request, True, stopper)
    finally:
        watch.done.set()
        watchdog.join()
        if feedback is not None:
            feedback.canceled.disconnect(stopper.cancel)
    reply = blocking.reply()
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    status = int(status) if status is not None else 0
    params = {"url": redacted(url), "status": status, "attempts": attempt, "authcfg": authcfg}
    if feedback is not None and feedback.isCanceled():
        raise CancelledError
    if too_large:
        raise TransportError(Problem(label, "", "too_large", Severity.ERROR,
                                     {**params, "limit": f"{options.max_mb:g}"}))
    if watch.fired == "idle":
        raise TransportError(Problem(label, "", "idle_timeout", Severity.ERROR,
                                     {**params, "seconds": f"{options.idle_timeout_s:g}"}), transient=True)
    if watch.fired == "total":
        raise TransportError(Problem(label, "", "total_timeout", Severity.ERROR,
                                     {**params, "seconds": f"{options.total_timeout_s:g}",
                                      "received": watch.received}))
    error = reply.error()
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
        if error == _E.OperationCanceledError:  # QGIS's own network timeout (a timeout for silence too)
            raise TransportError(Problem(label, "", "timeout", Severity.ERROR,
                                         {**params, "seconds": f"{QgsNetworkAccessManager.timeout() / 1000:g}"}),
                                 transient=True)
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


class _Watch:
    """The two watchdogs of one try, in a thread of their own: silence (no byte for `idle_s`, reset by each
    download progress) and the overall `deadline` (time.monotonic()); the first to pass stops the try."""

    def __init__(self, idle_s: float, deadline: float, stopper: QgsFeedback) -> None:
        self.idle_s, self.deadline, self.stopper = idle_s, deadline, stopper
        self.last = time.monotonic()
        self.received = 0
        self.done = threading.Event()
        #: "idle" or "total" once a watchdog stopped the try.
        self.fired = ""

    def heard(self, received: int) -> None:
        """Bytes arrived (called from QGIS's network thread)."""
        if received != self.received:
            self.received = received
            self.last = time.monotonic()

    def run(self) -> None:
        while True:
            now = time.monotonic()
            silent_until = self.last + self.idle_s
            if now >= self.deadline or now >= silent_until:
                self.fired = "total" if now >= self.deadline else "idle"
                self.stopper.cancel()
                return
            if self.done.wait(min(silent_until, self.deadline) - now):
                return


#: Charset labels that mean Windows-1252 (WHATWG Encoding Standard: what servers saying so really send).
_CP1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                            "windows-1252", "cp1252", "x-cp1252"})


def content_type_charset(content_type: str) -> str:
    """The `charset` parameter of a Content-Type header value, lower case, without quotes ("" when none)."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"\'').lower()
    return ""


def declared_text(body: bytes, charset: str, url: str = "") -> bytes | str:
    """The body decoded with the charset its server declared, when that says more than the bytes do.

    The bytes are handed on as they are (for core's detection: byte order marks, UTF-16/32 by their zero
    bytes, UTF-8, else Windows-1252 with a warning) when no charset is declared, when it is a Unicode one,
    when a byte order mark begins the body, or when the body is valid UTF-8 (JSON is UTF-8 by its standard,
    and a server saying ISO-8859-1 by default is common). Otherwise the declared charset decodes it:
    Windows-1252 for the labels browsers read so, ISO-8859-15 and the others as they are named.
    """
    if not charset or charset.startswith(("utf-", "utf8", "utf16", "utf32", "ucs-", "unicode")):
        return body
    if body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return body
    codec = "cp1252" if charset in _CP1252_LABELS else charset
    try:
        return body.decode(codec)
    except LookupError:
        LOG.info("%s: unknown charset '%s' declared: the text is read as UTF-8 or Windows-1252", redacted(url),
                 charset)
    except UnicodeDecodeError as error:
        LOG.info("%s: the text is not %s as declared (%s): it is read as UTF-8 or Windows-1252", redacted(url),
                 charset, error.reason)
    return body


def redacted(url: str) -> str:
    """A URL fit for a message or a log: no user information (a password), no query string secrets."""
    qurl = QUrl(url)
    options = QUrl.UrlFormattingOption.RemoveUserInfo
    if qurl.hasQuery() and any(w in qurl.query().lower() for w in ("key", "token", "pass")):
        options |= QUrl.UrlFormattingOption.RemoveQuery
    return qurl.toString(options)

