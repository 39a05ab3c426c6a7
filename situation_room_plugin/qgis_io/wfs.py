"""WFS layers read over HTTP through `transport` (QGIS's network stack: authcfg, proxy, SSL), page by page.

The capabilities say which GetFeature output formats the server offers: GeoJSON when it has it (QGIS Server's
`application/vnd.geo+json`, GeoServer's `application/json`), decoded by core.geojson like any GeoJSON feed;
else GML 2/3/3.2, read by a streaming parser that refuses DTDs (no entity expansion, no external entities).
Pages are asked with STARTINDEX and MAXFEATURES (COUNT in WFS 2.0) in the CRS asked for explicitly (the
source's, else the layer's default); the records come out in the CRS each page is in, for the caller to move.

When the capabilities cannot be used or a format fails on its first page for a reason other than the
network, `WfsUnusableError` says why and the caller reads the layer with QGIS's own WFS provider instead.
"""

from __future__ import annotations

import functools
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsFeedback
from qgis.PyQt.QtCore import Qt, QThread

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.geojson import WGS84, FeedError, feature_records, read_geojson
from situation_room_plugin.core.mapping import FeedRecord
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.progress import CancelledError
from situation_room_plugin.core.sources import Source
from situation_room_plugin.qgis_io import transport

LOG = logging.getLogger(__name__)

#: Features asked for in one GetFeature request.
PAGE = 10_000
#: GetFeature output formats read as GeoJSON, best first (compared in lower case, spaces around ';' ignored).
GEOJSON_FORMATS = ("application/vnd.geo+json", "application/geo+json", "application/json; subtype=geojson",
                   "application/json", "geojson", "json")
#: The GML output formats, best first (WFS 1.0 names them as elements: GML2, GML3).
GML_FORMATS = ("application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2.1", "text/xml; subtype=gml/3.2",
               "gml32", "text/xml; subtype=gml/3.1.1", "gml3", "text/xml; subtype=gml/2.1.2", "gml2", "text/xml")
_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_GML_NAMESPACES = frozenset({"http://www.opengis.net/gml", "http://www.opengis.net/gml/3.2"})
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_EPSG = re.compile(r"(?:EPSG:{1,2}(?:[\d.]*:)?|epsg\.xml#|/EPSG/[\d.]+/)(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class WfsOptions:
    """How a WFS layer is read: the ways to try, in order ("geojson", "gml": pages over HTTP; "provider":
    QGIS's WFS provider), how many features a GetFeature page asks for, and whether to ask the server first
    how many features the layer has (RESULTTYPE=hits: as long as a page for QGIS Server, so only worth it
    when a progress is shown; None: when `refresh` is given a progress callback)."""

    ways: tuple[str, ...] = ("geojson", "gml", "provider")
    page_size: int = PAGE
    count: bool | None = None


class WfsUnusableError(Exception):
    """This way of reading the layer cannot be used (the reason in words); the caller tries the next."""


class LayerError(SituationRoomError):
    """The layer cannot be read by any way (it is not published, the server refuses it): `problem` says why."""

    def __init__(self, problem: Problem, transient: bool = False) -> None:
        super().__init__(problem)
        self.transient = transient


@dataclass
class Layer:
    """What the capabilities say of one feature type, and how to ask for its features."""

    source: Source
    version: str
    typename: str
    get_url: str
    srs: str
    formats: list[str] = field(default_factory=list)
    #: How many features the layer has (RESULTTYPE=hits, or numberMatched in an answer), 0 when not known.
    hits: int = 0

    def geojson_format(self) -> str:
        return _best(self.formats, GEOJSON_FORMATS)

    def gml_format(self) -> str:
        return _best(self.formats, GML_FORMATS)

    def query(self, **extra: Any) -> str:
        """The GetFeature address of this layer in its CRS, with `extra` parameters."""
        params = {"SERVICE": "WFS", "VERSION": self.version, "REQUEST": "GetFeature",
                  ("TYPENAMES" if self.version.startswith("2") else "TYPENAME"): self.typename,
                  "SRSNAME": self.srs, **{k: str(v) for k, v in extra.items()}}
        return with_query(self.get_url, params)


def _best(offered: list[str], wanted: tuple[str, ...]) -> str:
    plain = {_plain_format(f): f for f in reversed(offered)}
    return next((plain[w] for w in wanted if w in plain), "")


def _plain_format(value: str) -> str:
    return re.sub(r"\s*;\s*", "; ", value.strip().lower())


# ---------------------------------------------------------------------------------------------------------
# XML, without DTDs


def parse_xml(body: bytes, what: str) -> ET.Element:
    """A small XML document (capabilities, schema, exception) as an element tree; WfsUnusableError when it is not
    XML or declares a DTD (entities are never expanded nor fetched)."""
    _refuse_dtd(body, what)
    try:
        return ET.fromstring(body)
    except ET.ParseError as error:
        raise WfsUnusableError(f"{what} is not XML ({error})") from error


def _refuse_dtd(body: bytes, what: str) -> None:
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise WfsUnusableError(f"{what} is UTF-16 XML")
    start = re.search(rb"<(?![?!])", body)  # the root element: a DTD can only come before it
    if b"<!doctype" in (body[:start.start()] if start else body[:4096]).lower():
        raise WfsUnusableError(f"{what} declares a DTD (refused: entities are not expanded)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)


def _exception_text(root: ET.Element) -> str:
    """The text of an OGC exception report (ServiceExceptionReport, ows:ExceptionReport), else ''."""
    if _local(root.tag) not in ("ServiceExceptionReport", "ExceptionReport"):
        return ""
    texts = [" ".join((e.text or "").split()) for e in root.iter()
             if _local(e.tag) in ("ServiceException", "ExceptionText")]
    return "; ".join(t for t in texts if t) or "an exception without text"


# ---------------------------------------------------------------------------------------------------------
# Capabilities


def open_layer(
    source: Source,
    *,
    options: transport.HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
    count: bool = True,
) -> Layer:
    """The layer of a WFS source as its capabilities describe it (and its feature count when `count`).

    TransportError when the server cannot be reached or refuses the credentials; LayerError when it does not
    publish the layer; WfsUnusableError when the capabilities cannot be read (the provider may still cope).
    """
    wanted = source.version or ""
    query = {"SERVICE": "WFS", "REQUEST": "GetCapabilities",
             "ACCEPTVERSIONS": wanted or "2.0.0,1.1.0,1.0.0"}
    if wanted:
        query["VERSION"] = wanted
    body = _get(source, with_query(source.url, query), options, feedback, "GetCapabilities").body
    root = parse_xml(body, "the GetCapabilities answer")
    refused = _exception_text(root)
    if refused:
        raise WfsUnusableError(f"GetCapabilities: the server says {refused}")
    if _local(root.tag) != "WFS_Capabilities":
        raise WfsUnusableError(f"the GetCapabilities answer is a {_local(root.tag)}, not WFS capabilities")
    version = root.get("version", "") or wanted or "1.1.0"
    if version not in ("1.0.0", "1.1.0", "2.0.0", "2.0.2"):
        raise WfsUnusableError(f"WFS version {version} is not read here")
    types = {" ".join((name.text or "").split()): t for t in root.iter() if _local(t.tag) == "FeatureType"
             and (name := _child(t, "Name")) is not None}
    typename = _find_name(source.layer, list(types))
    if not typename:
        published = ", ".join(list(types)[:20]) or "nothing"
        raise LayerError(Problem(source.id, "layer", "layer_unreadable", Severity.ERROR, {
            "layer": source.layer, "url": transport.redacted(source.url),
            "value": f"the service does not publish it (it publishes: {published})"}))
    feature_type = types[typename]
    srs = source.crs or _default_srs(feature_type)
    layer = Layer(source, version, typename, _get_feature_url(root, version) or source.url, _short_srs(srs),
                  _output_formats(root, feature_type, version))
    if count:
        layer.hits = _hits(layer, options, feedback)
    LOG.info("%s: WFS %s, layer %s in %s, %s features, formats %s", source.id, version, typename, layer.srs,
             layer.hits or "?", ", ".join(layer.formats) or "none said")
    return layer


def _find_name(wanted: str, names: list[str]) -> str:
    if wanted in names:
        return wanted
    local = [n for n in names if n.split(":")[-1] == wanted.split(":")[-1]]
    return local[0] if len(local) == 1 else ""


def _default_srs(feature_type: ET.Element) -> str:
    for name in ("DefaultSRS", "DefaultCRS", "SRS"):
        element = _child(feature_type, name)
        if element is not None and (element.text or "").strip():
            return element.text.strip()
    return WGS84


def _short_srs(srs: str) -> str:
    """EPSG codes as EPSG:n, the form for which servers answer in x/y (easting, longitude first) order."""
    match = _EPSG.search(srs.strip())
    return f"EPSG:{match.group(1)}" if match else srs.strip()


def _operation(root: ET.Element, name: str, version: str) -> ET.Element | None:
    if version == "1.0.0":
        return _child(_child(_child(root, "Capability"), "Request"), name)
    metadata = _child(root, "OperationsMetadata")
    return next((op for op in (metadata if metadata is not None else []) if _local(op.tag) == "Operation"
                 and op.get("name") == name), None)


def _get_feature_url(root: ET.Element, version: str) -> str:
    operation = _operation(root, "GetFeature", version)
    if operation is None:
        return ""
    for element in operation.iter():
        if _local(element.tag) == "Get":
            url = element.get(_XLINK_HREF) or element.get("onlineResource") or ""
            if url.strip():
                return url.strip()
    return ""


def _output_formats(root: ET.Element, feature_type: ET.Element, version: str) -> list[str]:
    operation = _operation(root, "GetFeature", version)
    formats: list[str] = []
    if operation is not None and version == "1.0.0":
        result = _child(operation, "ResultFormat")
        formats = [_local(e.tag) for e in (result if result is not None else [])]
    elif operation is not None:
        for parameter in operation:
            if _local(parameter.tag) == "Parameter" and parameter.get("name", "").lower() == "outputformat":
                formats += [(v.text or "").strip() for v in parameter.iter() if _local(v.tag) == "Value"]
    own = _child(feature_type, "OutputFormats")  # WFS 1.1 / 2.0: formats of this feature type only
    if own is not None:
        formats += [(f.text or "").strip() for f in own if _local(f.tag) == "Format"]
    return [f for f in dict.fromkeys(formats) if f]


def _hits(layer: Layer, options: transport.HttpOptions | None, feedback: QgsFeedback | None) -> int:
    """The number of features the server says the layer has, 0 when it does not say (never an error)."""
    try:
        body = _get(layer.source, layer.query(RESULTTYPE="hits"), options, feedback, "GetFeature (hits)").body
        root = parse_xml(body, "the hits answer")
    except (transport.TransportError, WfsUnusableError) as error:
        LOG.info("%s: no feature count: %s", layer.source.id, error)
        return 0
    value = root.get("numberMatched") or root.get("numberOfFeatures") or ""
    return int(value) if value.isdigit() else 0


def with_query(url: str, params: dict[str, str]) -> str:
    """`url` with these query parameters, replacing any of the same name (ignoring case) it already has."""
    parts = urlsplit(url)
    names = {k.upper() for k in params}
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.upper() not in names]
    return urlunsplit(parts._replace(query=urlencode(kept + list(params.items()))))


def _get(
    source: Source, url: str, options: transport.HttpOptions | None, feedback: QgsFeedback | None, what: str
) -> transport.Response:
    if feedback is not None and feedback.isCanceled():
        raise CancelledError
    LOG.debug("%s: %s %s", source.id, what, transport.redacted(url))
    return transport.get(url, label=source.id, authcfg=source.authcfg, options=options, feedback=feedback)


# ---------------------------------------------------------------------------------------------------------
# Pages


@dataclass
class Page:
    """One GetFeature answer's features (FeedRecords in `crs`), numbered from `start`."""

    start: int
    crs: str
    batches: Iterator[list[FeedRecord]]


def pages(
    layer: Layer,
    kind: str,
    *,
    page_size: int = PAGE,
    batch_size: int = 2000,
    options: transport.HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
) -> Iterator[Page]:
    """The layer's features page by page in `kind` ("geojson" or "gml"), each page's batches read from its
    answer as they are taken, the next page downloading meanwhile.

    The first page is read whole before it is given (and, when it is full, its second feature is asked for
    alone, to see that the server pages): any failure there is WfsUnusableError, for the caller to read the
    layer another way. A later page that cannot be read is a LayerError naming it; TransportError from the network;
    CancelledError when `feedback` is cancelled.
    """
    fmt = layer.geojson_format() if kind == "geojson" else layer.gml_format()
    if not fmt and kind == "geojson":
        raise WfsUnusableError("the server offers no GeoJSON output")
    schema = _schema(layer, options, feedback) if kind == "gml" else {}
    downloads = _Downloads(layer, fmt, page_size, options, feedback)

    def fetch(start: int, size: int = 0, ahead: bool = True) -> Page:
        body = downloads.body(start, size, ahead)
        if kind == "geojson":
            return _geojson_page(body, layer, start, batch_size)
        return _gml_page(body, layer, start, batch_size, schema)

    def whole(page: Page) -> tuple[Page, list[FeedRecord]]:
        records = [r for batch in page.batches for r in batch]
        return Page(page.start, page.crs, iter([records[i:i + batch_size]
                                                for i in range(0, len(records), batch_size)])), records

    try:
        try:
            first, records = whole(fetch(0, ahead=False))
            if len(records) >= page_size and (not layer.hits or layer.hits > len(records)):
                # that the server pages, seen before anything is given: its second feature alone
                _probe, second = whole(fetch(1, size=1, ahead=False))
                if second and second[0].fid == records[0].fid:
                    raise WfsUnusableError("the server does not page (STARTINDEX ignored)")
            if records:
                downloads.prefetch(len(records))
        except (FeedError, LayerError) as error:
            raise WfsUnusableError(error.problem.message) from error
        except transport.TransportError as error:
            if error.problem.code != "http_error" or error.transient:
                raise
            raise WfsUnusableError(error.problem.message) from error
        yield first
        read, last = len(records), len(records)
        first_ids = {records[0].fid} if records else set()
        while _more_to_come(layer, read, last):
            page = fetch(read)
            last = 0
            for batch in page.batches:
                if last == 0 and batch and batch[0].fid in first_ids:  # the server started again from the start
                    if read < page_size:
                        return
                    raise _page_error(layer, read, "the server ignores STARTINDEX")
                if last == 0 and batch:
                    first_ids.add(batch[0].fid)
                last += len(batch)
                yield Page(page.start, page.crs, iter([batch]))
            read += last
    finally:
        downloads.close()


class _Downloads:
    """GetFeature pages downloaded one ahead, in a thread of their own (through `transport`, so through
    QGIS's network stack), while the page before is read: a server's time to write a page is not added to
    ours. A page asked for at another start than the one downloaded ahead is downloaded then."""

    def __init__(self, layer: Layer, fmt: str, page_size: int, options: transport.HttpOptions | None,
                 feedback: QgsFeedback | None) -> None:
        self.layer, self.fmt, self.page_size, self.options, self.feedback = layer, fmt, page_size, options, feedback
        self.stop = QgsFeedback()  # stops a download ahead when the read ends or is cancelled
        if feedback is not None:  # direct: the feedback may be cancelled from a thread without an event loop
            feedback.canceled.connect(self._cancel, Qt.ConnectionType.DirectConnection)
        self.ahead: tuple[int, _Download] | None = None

    def url(self, start: int, size: int) -> str:
        name = "COUNT" if self.layer.version.startswith("2") else "MAXFEATURES"
        extra = {"STARTINDEX": start, name: size}
        if self.fmt:
            extra["OUTPUTFORMAT"] = self.fmt
        return self.layer.query(**extra)

    def _download(self, start: int, size: int = 0, stop: QgsFeedback | None = None) -> bytes:
        size = size or self.page_size
        return _get(self.layer.source, self.url(start, size), self.options, stop or self.stop,
                    f"GetFeature from {start}").body

    def body(self, start: int, size: int = 0, ahead: bool = True) -> bytes:
        """The answer for `size` features (a page) from `start`; the next page then starts downloading
        (unless not `ahead`, or the count says there is none)."""
        body = self._take(start) if not size else self._download(start, size)
        if self.feedback is not None and self.feedback.isCanceled():
            raise CancelledError
        if ahead:
            self.prefetch(start + self.page_size)
        return body

    def prefetch(self, start: int) -> None:
        if self.layer.hits and start >= self.layer.hits:
            return
        stop = self.stop  # the one that stops this download, even once another takes its place
        download = _Download(lambda: self._download(start, stop=stop))
        download.start()
        self.ahead = (start, download)

    def _take(self, start: int) -> bytes:
        ahead, self.ahead = self.ahead, None
        if ahead is not None and ahead[0] == start:
            while not ahead[1].wait(100):  # a cancel must not wait for the whole page
                if self.feedback is not None and self.feedback.isCanceled():
                    self.stop.cancel()
            return ahead[1].result()
        if ahead is not None:  # the page downloaded ahead is not the one asked for
            self.stop.cancel()
            ahead[1].wait()
            self.stop = QgsFeedback()
        return self._download(start)

    def close(self) -> None:
        if self.ahead is not None:
            self.stop.cancel()
            self.ahead[1].wait()
            self.ahead = None
        if self.feedback is not None:
            self.feedback.canceled.disconnect(self._cancel)

    def _cancel(self) -> None:
        self.stop.cancel()


class _Download(QThread):
    """One download in a QThread (QGIS's network stack runs its timers and event loop there)."""

    def __init__(self, fetch: Callable[[], bytes]) -> None:
        super().__init__()
        self.fetch = fetch
        self.body = b""
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.body = self.fetch()
        except BaseException as error:  # noqa: BLE001 - raised again in the reading thread by result()
            self.error = error

    def result(self) -> bytes:
        self.wait()
        if self.error is not None:
            raise self.error
        return self.body


def _more_to_come(layer: Layer, read: int, last: int) -> bool:
    """Whether to ask for another page: the count says so, or (without one) the last page was not empty — a
    server may cap a page below what was asked for, so a short page is not the end."""
    if last == 0:
        return False
    if layer.hits:
        return read < layer.hits
    return True


def _page_error(layer: Layer, start: int, reason: str) -> LayerError:
    source = layer.source
    return LayerError(Problem(source.id, "layer", "layer_error", Severity.ERROR, {
        "layer": source.layer, "url": transport.redacted(source.url),
        "value": f"GetFeature from feature {start + 1}: {reason}"}))


# ---------------------------------------------------------------------------------------------------------
# GeoJSON pages


def _geojson_page(body: bytes, layer: Layer, start: int, batch_size: int) -> Page:
    label = layer.source.id
    try:
        document = read_geojson(body, label)
    except FeedError as error:
        _raise_if_exception(body, layer, start)
        raise _page_error(layer, start, error.problem.message) from error
    total = document.members.get("numberMatched", document.members.get("totalFeatures"))  # GeoServer says it
    if not layer.hits and isinstance(total, int) and total > 0:
        layer.hits = total

    def batches() -> Iterator[list[FeedRecord]]:
        taken = start
        try:
            while items := list(islice(document.features, batch_size)):
                yield adopted(feature_records(items, document.crs, taken, nul=document.nul))
                taken += len(items)
        except FeedError as error:
            raise _page_error(layer, start, error.problem.message) from error

    return Page(start, document.crs, batches())


def _raise_if_exception(body: bytes, layer: Layer, start: int) -> None:
    if body.lstrip()[:1] != b"<":
        return
    try:
        root = parse_xml(body[:1_000_000], "the answer")
    except WfsUnusableError:
        return
    text = _exception_text(root)
    if text:
        raise _page_error(layer, start, f"the server says {text}")


@functools.lru_cache(maxsize=1024)
def xml_name(name: str) -> str:
    """An attribute's name as it is in the layer's GML (and so in QGIS's provider): QGIS Server writes spaces
    as '_' and drops what cannot be in an XML name; a name already fit for XML stays as it is."""
    return re.sub(r"[^\w.\-]", "", name.replace(" ", "_"))


_ID_FIELDS = ("gml_id", "id", "fid")


@functools.lru_cache(maxsize=256)
def _names(names: tuple[str, ...]) -> tuple[tuple[str, ...] | None, str | None]:
    """For features with these attribute names: their names as in the GML (None when they are already), and
    the attribute that names a feature (None when there is none)."""
    renamed = tuple(map(xml_name, names))
    return (renamed if renamed != names else None), next((k for k in _ID_FIELDS if k in renamed), None)


def adopted(records: list[FeedRecord]) -> list[FeedRecord]:
    """Records of a WFS named as QGIS's WFS provider names them: attribute names as in the GML, and the id of a
    feature its gml_id, id or fid attribute when the layer has one (else the feature's own WFS id)."""
    for record in records:
        properties = record.properties
        renamed, key = _names(tuple(properties))
        if renamed is not None:
            properties = record.properties = dict(zip(renamed, properties.values()))
        if key is not None and properties[key] not in (None, ""):
            record.fid = str(properties[key])
    return records


# ---------------------------------------------------------------------------------------------------------
# GML pages


_INTEGERS = frozenset({"int", "integer", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                       "unsignedInt", "unsignedLong", "unsignedShort", "negativeInteger", "nonPositiveInteger"})
_REALS = frozenset({"double", "float", "decimal"})


def _schema(layer: Layer, options: transport.HttpOptions | None, feedback: QgsFeedback | None) -> dict[str, str]:
    """Attribute name -> XML Schema type of the layer (DescribeFeatureType), {} when it cannot be read (the
    values then stay text)."""
    query = {"SERVICE": "WFS", "VERSION": layer.version, "REQUEST": "DescribeFeatureType",
             ("TYPENAMES" if layer.version.startswith("2") else "TYPENAME"): layer.typename}
    try:
        root = parse_xml(_get(layer.source, with_query(layer.get_url, query), options, feedback,
                              "DescribeFeatureType").body, "the DescribeFeatureType answer")
    except (transport.TransportError, WfsUnusableError) as error:
        LOG.info("%s: attribute types unknown: %s", layer.source.id, error)
        return {}
    return {e.get("name", ""): e.get("type", "").split(":")[-1] for e in root.iter()
            if _local(e.tag) == "element" and e.get("name") and e.get("type")}


def _typed(text: str, kind: str) -> Any:
    try:
        if kind in _INTEGERS:
            return int(text)
        if kind in _REALS:
            return float(text)
        if kind == "boolean":
            return text.strip().lower() in ("true", "1")
        if kind == "date":
            return date.fromisoformat(text.strip()[:10])
        if kind == "dateTime":
            return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return text
    return text


def _gml_page(body: bytes, layer: Layer, start: int, batch_size: int, schema: dict[str, str]) -> Page:
    """A GML GetFeature answer read as it is parsed: the elements of one feature at a time are held."""
    try:
        _refuse_dtd(body, "the GetFeature answer")
    except WfsUnusableError as error:
        raise _page_error(layer, start, str(error)) from error
    reader = _GmlReader(layer, start, schema)
    parser = ET.XMLPullParser(events=("start", "end"))

    def features() -> Iterator[FeedRecord]:
        chunk = 1 << 20
        try:
            for offset in range(0, len(body), chunk):
                parser.feed(body[offset:offset + chunk])
                yield from reader.read(parser.read_events())
            parser.close()
            yield from reader.read(parser.read_events())
        except ET.ParseError as error:
            raise _page_error(layer, start, f"the GML is not well-formed XML ({error})") from error
        if reader.refused:
            raise _page_error(layer, start, f"the server says {reader.refused}")
        if not reader.collection:
            raise _page_error(layer, start, f"the answer is a {reader.root or 'empty document'}, not features")

    stream = features()
    first = list(islice(stream, 1))  # the page is in the CRS of its first geometry
    crs = reader.crs or layer.srs
    records = chain(first, stream)

    def batches() -> Iterator[list[FeedRecord]]:
        while items := list(islice(records, batch_size)):
            yield adopted(_gml_geometries(items, reader, crs))

    return Page(start, _crs_name(crs), batches())


def _crs_name(srs: str) -> str:
    match = _EPSG.search(srs.strip())
    if match:
        return f"EPSG:{match.group(1)}"
    crs = QgsCoordinateReferenceSystem.fromOgcWmsCrs(srs)
    return crs.authid() if crs.isValid() and crs.authid() else srs


@functools.lru_cache(maxsize=64)
def _swapped(srs: str) -> bool:
    """Whether coordinates in `srs` come northing/latitude first: a URN or http URI names the authority's
    axis order; EPSG:n (and GML 2's epsg.xml#n) is x/y by convention (QGIS Server, GeoServer)."""
    lowered = srs.strip().lower()
    if not (lowered.startswith("urn:") or "/def/crs/" in lowered):
        return False
    crs = QgsCoordinateReferenceSystem.fromOgcWmsCrs(srs)
    return crs.isValid() and crs.hasAxisInverted()


_MEMBERS = frozenset({"featureMember", "member"})


class _GmlReader:
    """Turns the parser's events into FeedRecords (geometry still as its GML element), one feature at a time."""

    def __init__(self, layer: Layer, start: int, schema: dict[str, str]) -> None:
        self.layer = layer
        self.index = start
        self.schema = schema
        self.stack: list[str] = []
        self.root = ""
        self.root_element: ET.Element | None = None
        self.collection = False
        self.refused = ""
        self.crs = ""
        self.geometries: dict[int, tuple[ET.Element, str]] = {}

    def read(self, events: Iterator[tuple[str, ET.Element]]) -> Iterator[FeedRecord]:
        stack = self.stack
        for event, element in events:
            if event == "start":
                name = _local(element.tag)
                if not stack:
                    self.root, self.root_element = name, element
                    self.collection = name == "FeatureCollection"
                stack.append(name)
                continue
            stack.pop()
            if len(stack) == 0 and self.root in ("ServiceExceptionReport", "ExceptionReport"):
                self.refused = _exception_text(element)
            parent = stack[-1] if stack else ""
            if parent in _MEMBERS or parent == "featureMembers":
                if _local(element.tag) == "FeatureCollection":  # WFS 2.0 joins: not read
                    continue
                yield self._record(element)
                element.clear()
            if len(stack) == 1 and self.collection and self.root_element is not None:
                self.root_element.remove(element)  # a member done with: the root holds no features

    def _record(self, element: ET.Element) -> FeedRecord:
        self.index += 1
        fid = next((v for k, v in element.attrib.items() if _local(k) in ("id", "fid")), "") or str(self.index)
        properties: dict[str, Any] = {}
        geometry: tuple[ET.Element, str] | None = None
        for child in element:
            if _namespace(child.tag) in _GML_NAMESPACES:
                continue  # boundedBy, name, description
            name = _local(child.tag)
            if len(child):
                if geometry is None:
                    geometry = (child[0], self._srs_of(child[0]))
                continue
            if child.get(_XSI_NIL) in ("true", "1"):
                properties[name] = None
            else:
                properties[name] = _typed(child.text or "", self.schema.get(name, ""))
        record = FeedRecord(fid, properties, None)
        if geometry is not None:
            self.geometries[id(record)] = geometry
        return record

    def _srs_of(self, geometry: ET.Element) -> str:
        srs = geometry.get("srsName") or next((e.get("srsName") for e in geometry.iter() if e.get("srsName")), "")
        if srs and not self.crs:
            self.crs = srs
        return srs or self.crs or self.layer.srs


def _gml_geometries(records: list[FeedRecord], reader: _GmlReader, crs: str) -> list[FeedRecord]:
    """The records' geometries read from their GML elements (a problem of the record when one cannot be)."""
    page_crs = _crs_name(crs)
    for record in records:
        found = reader.geometries.pop(id(record), None)
        if found is None:
            continue
        element, srs = found
        if _crs_name(srs) != page_crs:
            record.problems.append(("geometry", "geometry_unreadable", Severity.ERROR,
                                    {"value": f"in {srs}, when the page is in {crs}"}))
            continue
        try:
            geometry = _geometry(element, _swapped(srs))
        except (ValueError, IndexError, TypeError, shapely.errors.GEOSException) as error:
            record.problems.append(("geometry", "geometry_unreadable", Severity.ERROR,
                                    {"value": f"GML {_local(element.tag)}: {error}"[:200]}))
            continue
        if not geometry.is_empty and not np.isfinite(shapely.get_coordinates(geometry)).all():
            record.problems.append(("geometry", "geometry_unreadable", Severity.ERROR,
                                    {"value": "not finite coordinates"}))
            continue
        record.geometry = geometry
    return records


def _points(element: ET.Element, swap: bool, dimension: int = 2) -> np.ndarray:
    """The coordinates of every posList, pos, coordinates and coord under `element`, in order, as (n, 2)."""
    parts: list[np.ndarray] = []
    for node in element.iter():
        name = _local(node.tag)
        if name in ("posList", "pos"):
            dim = int(node.get("srsDimension") or node.get("dimension") or element.get("srsDimension") or dimension)
            values = np.array((node.text or "").split(), dtype=float)
            if dim < 2 or len(values) % dim:
                raise ValueError(f"{len(values)} numbers in a {name} of dimension {dim}")
            parts.append(values.reshape(-1, dim)[:, :2])
        elif name == "coordinates":
            decimal, cs, ts = node.get("decimal", "."), node.get("cs", ","), node.get("ts", " ")
            text = (node.text or "").strip()
            tuples = [t for t in (text.split(ts) if ts.strip() else text.split()) if t]
            rows = [[float(v.replace(decimal, ".")) for v in t.split(cs)][:2] for t in tuples]
            parts.append(np.array(rows, dtype=float).reshape(-1, 2))
        elif name == "coord":
            x, y = _child(node, "X"), _child(node, "Y")
            parts.append(np.array([[float(x.text or ""), float(y.text or "")]]))
    if not parts:
        return np.empty((0, 2))
    points = np.concatenate(parts)
    return points[:, ::-1] if swap else points


def _rings(polygon: ET.Element, swap: bool) -> shapely.Polygon:
    shell, holes = None, []
    for boundary in polygon:
        name = _local(boundary.tag)
        if name in ("exterior", "outerBoundaryIs"):
            shell = _points(boundary, swap)
        elif name in ("interior", "innerBoundaryIs"):
            holes.append(_points(boundary, swap))
    if shell is None:
        return shapely.Polygon()
    return shapely.Polygon(shell, holes)


def _members(element: ET.Element) -> Iterator[ET.Element]:
    for member in element:
        name = _local(member.tag)
        if name.endswith("Members"):
            yield from member
        elif name.endswith("Member"):
            yield from member[:1]


def _geometry(element: ET.Element, swap: bool) -> Any:
    """A shapely geometry from a GML 2/3/3.2 geometry element."""
    kind = _local(element.tag)
    if kind == "Point":
        points = _points(element, swap)
        return shapely.Point(points[0]) if len(points) else shapely.Point()
    if kind in ("LineString", "LinearRing", "Curve", "LineStringSegment"):
        return shapely.LineString(_points(element, swap))
    if kind in ("Polygon", "PolygonPatch"):
        return _rings(element, swap)
    if kind in ("Surface", "PolyhedralSurface"):
        patches = [_rings(p, swap) for holder in element if _local(holder.tag) in ("patches", "polygonPatches")
                   for p in holder]
        return patches[0] if len(patches) == 1 else shapely.MultiPolygon(patches)
    if kind in ("Envelope", "Box"):
        points = _points(element, swap)
        return shapely.box(*points.min(axis=0), *points.max(axis=0))
    if kind in ("MultiPoint", "MultiLineString", "MultiCurve", "MultiPolygon", "MultiSurface", "CompositeCurve",
                "CompositeSurface", "MultiGeometry"):
        parts = [_geometry(member, swap) for member in _members(element)]
        if kind == "MultiPoint":
            return shapely.MultiPoint(parts)
        if kind in ("MultiLineString", "MultiCurve", "CompositeCurve") and all(
                p.geom_type == "LineString" for p in parts):
            return shapely.MultiLineString(parts)
        polygons = [g for p in parts for g in (p.geoms if p.geom_type == "MultiPolygon" else [p])]
        if kind in ("MultiPolygon", "MultiSurface", "CompositeSurface") and all(
                p.geom_type == "Polygon" for p in polygons):
            return shapely.MultiPolygon(polygons)
        return shapely.GeometryCollection(parts)
    raise ValueError(f"GML {kind} is not read")
