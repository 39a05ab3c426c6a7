"""Shared layers in QGIS: the project's source registry, reading each kind of source, the offline copy.

- the registry lives in the QGIS project (an entry holding the sources' JSON) and imports/exports as JSON;
- WFS 1.0/1.1/2.0 are read page by page over HTTP through `wfs` (GeoJSON when the server offers it, else
  GML), QGIS's WFS provider when neither can be used; OGC API Features through QGIS's OAPIF provider; GeoJSON
  and WZDx over HTTP(S) through `transport` (proxy, SSL, authcfg) or from files;
- every feature comes out as a FeedRecord in EPSG:6707, a batch at a time; works sources are mapped and
  validated;
- `refresh` reads, validates and writes a source batch by batch (never holding it whole) and puts its copy
  in the project store atomically; `load` gives a layer, live when the source answers, else from the copy,
  saying how old it is.
"""

from __future__ import annotations

import json
import logging
import struct
import uuid
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np
import shapely
import shapely.errors
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsDataSourceUri,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeedback,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.geojson import CHUNK, FeedError, read_geojson, read_geojson_chunks
from situation_room_plugin.core.mapping import FeedRecord, FeedValidator, validate_feed
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.progress import CancelledError, Progress
from situation_room_plugin.core.sources import Role, Source, SourceKind, sources_from_json, sources_to_json
from situation_room_plugin.core.works import GeometryLimits, ValidationReport, Work
from situation_room_plugin.core.wzdx import parse_wzdx
from situation_room_plugin.qgis_io import feed_cache, layers, transport, wfs
from situation_room_plugin.qgis_io.project import SCOPE
from situation_room_plugin.qgis_io.store import Store
from situation_room_plugin.toolbelt.i18n import tr
from situation_room_plugin.toolbelt.settings import Settings

LOG = logging.getLogger(__name__)
REGISTRY_KEY = "sources"


# ---------------------------------------------------------------------------------------------------------
# The registry in the project


def read_registry(project: QgsProject | None = None) -> tuple[list[Source], list[Problem]]:
    project = project or QgsProject.instance()
    text, found = project.readEntry(SCOPE, REGISTRY_KEY, "")
    if not found or not text:
        return [], []
    return sources_from_json(text)


def write_registry(sources: Sequence[Source], project: QgsProject | None = None) -> None:
    project = project or QgsProject.instance()
    project.writeEntry(SCOPE, REGISTRY_KEY, sources_to_json(sources))


# ---------------------------------------------------------------------------------------------------------
# Reading a source


class SourceUnavailableError(SituationRoomError):
    """The source could not be read at all (network, server, document); `problem` says why."""

    def __init__(self, problem: Problem, transient: bool = False) -> None:
        super().__init__(problem)
        self.transient = transient


#: Features read, validated and written together: a feed is never held whole in memory, and the work on one
#: batch overlaps the provider's download of the next.
BATCH = 2000


@dataclass
class Feed:
    """What a source gave: its features in EPSG:6707, document-level warnings, and the validators.

    `stream_source` leaves the features in `batches`, read from the source as they are taken (a
    SourceUnavailableError may still come from there); `read_source` has them all in `records`.
    """

    records: list[FeedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    batches: Generator[list[FeedRecord], None, None] = field(default_factory=lambda: _no_batches())
    #: How many features the source has, when it says so (0: not known before reading), for progress.
    expected: int = 0
    #: When `expected` is not known: how much of the source was read so far (0 to 1), for progress.
    fraction: Callable[[], float] | None = None


def _no_batches() -> Generator[list[FeedRecord], None, None]:
    yield from ()


def read_source(
    source: Source,
    *,
    etag: str = "",
    last_modified: str = "",
    options: transport.HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
    context: QgsCoordinateTransformContext | None = None,
    today: date | None = None,
    wfs_options: wfs.WfsOptions | None = None,
) -> Feed:
    """Every feature of a source in EPSG:6707 (or `not_modified` when the server says the copy is current)."""
    feed = stream_source(source, etag=etag, last_modified=last_modified, options=options, feedback=feedback,
                         context=context, today=today, wfs_options=wfs_options)
    feed.records = [record for batch in feed.batches for record in batch]
    return feed


def stream_source(
    source: Source,
    *,
    etag: str = "",
    last_modified: str = "",
    options: transport.HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
    context: QgsCoordinateTransformContext | None = None,
    today: date | None = None,
    batch_size: int = BATCH,
    wfs_options: wfs.WfsOptions | None = None,
) -> Feed:
    """`read_source` with the features left in `feed.batches`, read (and moved to EPSG:6707) a batch at a
    time as they are taken: a WFS layer a page at a time, an OGC API layer while QGIS's provider downloads
    it, a GeoJSON file as it is read (1 MB at a time) and a downloaded document as it is decoded, never whole.
    A GeoJSON document cut off gives the features before the cut, then adds its `truncated_json` problem to
    `feed.problems`. (`wfs_options`: how a WFS is read.)"""
    context = context or QgsProject.instance().transformContext()
    label = source.id
    options = http_options(source, options)
    if source.kind in (SourceKind.WFS.value, SourceKind.OGCAPI_FEATURES.value):
        if source.authcfg and not transport.auth_config_exists(source.authcfg):
            raise SourceUnavailableError(Problem(label, "authcfg", "auth_config_missing", Severity.ERROR,
                                            {"authcfg": source.authcfg}))
        if source.kind == SourceKind.WFS.value:
            return _wfs_feed(source, context, feedback, batch_size, options, wfs_options or wfs.WfsOptions())
        return Feed(batches=_provider_batches(source, context, feedback, batch_size))
    if source.kind == SourceKind.GTFS.value:
        raise SourceUnavailableError(Problem(label, "kind", "kind_not_loaded", Severity.ERROR, {"value": source.kind}))
    content: bytes | str | None = None
    response = None
    fraction: Callable[[], float] | None = None
    if source.kind == SourceKind.GEOJSON_FILE.value or source.url.startswith("file:") or "://" not in source.url:
        if source.kind == SourceKind.WZDX.value:
            content = _read_file(source, options.max_mb)
        else:
            _checked_file(source, options.max_mb)  # (a GeoJSON file is read as it is decoded, below)
    else:
        try:
            response = transport.get(source.url, label=label, authcfg=source.authcfg, etag=etag,
                                     last_modified=last_modified, options=options, feedback=feedback)
        except transport.TransportError as error:
            raise SourceUnavailableError(error.problem, error.transient) from error
        if response.not_modified:
            return Feed(etag=response.etag or etag, last_modified=response.last_modified or last_modified,
                        not_modified=True)
        content = response.document()  # decoded here when the server declares a charset (core: bytes or text)
    try:
        if source.kind == SourceKind.WZDX.value:
            parsed = parse_wzdx(content, label, today=today or date.today())
            crs, problems, expected = parsed.crs, parsed.problems, len(parsed.records)
            batches = (parsed.records[i:i + batch_size] for i in range(0, len(parsed.records), batch_size))
        else:  # a GeoJSON document is decoded as it is read: how many features it has is not known yet
            if content is not None:
                document, size = read_geojson(content, label, default_crs=source.crs, keep_cut=True), len(content)
            else:
                document = read_geojson_chunks(_file_chunks(source), label, default_crs=source.crs, keep_cut=True)
                size = _file_size(source)
            crs, problems, expected = document.crs, document.problems, 0
            batches = document.batches(batch_size)
            bytes_read = document.bytes_read
            if bytes_read is not None and size:
                fraction = lambda: min(bytes_read() / size, 1.0)  # noqa: E731 - read as it goes
    except FeedError as error:
        raise SourceUnavailableError(error.problem) from error
    transform = _to_project(source.crs or crs, context, label)
    feed = Feed(problems=problems, expected=expected, batches=_document_batches(batches, transform),
                fraction=fraction)
    if response is not None:
        feed.etag, feed.last_modified = response.etag, response.last_modified
    return feed


def _document_batches(
    batches: Iterator[list[FeedRecord]], transform: QgsCoordinateTransform
) -> Generator[list[FeedRecord], None, None]:
    try:
        for batch in batches:
            yield _moved(batch, transform)
    except FeedError as error:  # the document breaks after its first features
        raise SourceUnavailableError(error.problem) from error


def http_options(source: Source, options: transport.HttpOptions | None = None) -> transport.HttpOptions:
    """How patient to be with a source: its own limits (timeout_s, total_timeout_s, max_mb) where it has them,
    else those of `options` (else the defaults)."""
    options = options or transport.HttpOptions()
    own = {"idle_timeout_s": source.timeout_s, "total_timeout_s": source.total_timeout_s, "max_mb": source.max_mb}
    return replace(options, **{k: v for k, v in own.items() if v is not None})


def _file_path(source: Source) -> Path:
    url = source.url
    return Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)


def _file_chunks(source: Source) -> Callable[[], Iterator[bytes]]:
    """A file's bytes, a chunk at a time, each time they are asked for (a GeoJSON document is read as it is
    decoded, never whole); SourceUnavailableError at once when the file cannot be opened."""
    path = _file_path(source)

    def unreadable(error: OSError) -> SourceUnavailableError:
        return SourceUnavailableError(Problem(source.id, "url", "file_unreadable", Severity.ERROR,
                                              {"value": str(path), "reason": error.strerror or str(error)}))

    try:
        path.open("rb").close()
    except OSError as error:
        raise unreadable(error) from error

    def chunks() -> Iterator[bytes]:
        try:
            with path.open("rb") as file:
                while chunk := file.read(CHUNK):
                    yield chunk
        except OSError as error:
            raise unreadable(error) from error

    return chunks


def _file_size(source: Source) -> int:
    try:
        return _file_path(source).stat().st_size
    except OSError:
        return 0


def _checked_file(source: Source, max_mb: float) -> Path:
    """A file source's path; one larger than `max_mb` is refused, by its size, before it is read."""
    path = _file_path(source)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SourceUnavailableError(Problem(source.id, "url", "file_unreadable", Severity.ERROR,
                                        {"value": str(path), "reason": error.strerror or str(error)})) from error
    if size > max_mb * 1024 * 1024:
        raise SourceUnavailableError(Problem(source.id, "url", "file_too_large", Severity.ERROR, {
            "value": str(path), "size": f"{size / 1024 / 1024:.1f}", "limit": f"{max_mb:g}"}))
    return path


def _read_file(source: Source, max_mb: float) -> bytes:
    """A file source's bytes; one larger than `max_mb` is refused, by its size, before it is read."""
    path = _checked_file(source, max_mb)
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceUnavailableError(Problem(source.id, "url", "file_unreadable", Severity.ERROR,
                                        {"value": str(path), "reason": error.strerror or str(error)})) from error


def to_project_crs(
    records: list[FeedRecord], crs: str, context: QgsCoordinateTransformContext, label: str
) -> tuple[list[FeedRecord], list[Problem]]:
    """Records' geometries moved from `crs` to EPSG:6707 through QGIS (the project's datum transforms)."""
    return _moved(records, _to_project(crs, context, label)), []


def _to_project(crs: str, context: QgsCoordinateTransformContext, label: str) -> QgsCoordinateTransform:
    source_crs = QgsCoordinateReferenceSystem(crs)
    if not source_crs.isValid():
        raise SourceUnavailableError(Problem(label, "crs", "no_crs", Severity.ERROR, {"value": crs}))
    return QgsCoordinateTransform(source_crs, layers.project_crs(), context)


def _moved(records: list[FeedRecord], transform: QgsCoordinateTransform) -> list[FeedRecord]:
    """The records with their geometries moved by `transform` (to EPSG:6707), every vertex in one call; one
    by one only when some vertex cannot be projected, to say which feature it is."""
    if transform.isShortCircuited() or _transform_all_at_once(records, transform):
        return records
    wkbs = shapely.to_wkb(np.fromiter((r.geometry for r in records), dtype=object, count=len(records)))
    moved: list[bytes | None] = []
    for record, wkb in zip(records, wkbs):
        if wkb is None or record.geometry is None or record.geometry.is_empty:
            moved.append(wkb)
            continue
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        try:
            geometry.transform(transform)
        except Exception:  # noqa: BLE001 - QgsCsException: the coordinates cannot be projected
            record.problems.append(("geometry", "outside_area", Severity.ERROR,
                                    {"value": record.geometry.representative_point().wkt, "crs": "EPSG:6707"}))
            moved.append(None)
            continue
        moved.append(bytes(geometry.asWkb()))
    for record, geometry in zip(records, shapely.from_wkb(moved, on_invalid="ignore")):
        record.geometry = geometry
    return records


def _transform_all_at_once(records: list[FeedRecord], transform: QgsCoordinateTransform) -> bool:
    """Move every vertex of every record in one QgsCoordinateTransform call (the vertices strung into one
    line, through QGIS so that the project's datum transformations apply). False, with nothing changed,
    when some vertex cannot be projected: the caller then goes feature by feature to say which."""
    geometries = np.fromiter((r.geometry for r in records), dtype=object, count=len(records))
    coords = shapely.get_coordinates(geometries)
    if len(coords) < 2:
        return False
    header = struct.pack("<BII", 1, 2, len(coords))  # little-endian WKB LineString
    line = QgsGeometry()
    line.fromWkb(header + np.ascontiguousarray(coords, dtype="<f8").tobytes())
    try:
        if line.transform(transform) != Qgis.GeometryOperationResult.Success:
            return False
    except Exception:  # noqa: BLE001 - QgsCsException: some vertex cannot be projected
        return False
    moved = np.frombuffer(bytes(line.asWkb()), dtype="<f8", offset=len(header)).reshape(-1, 2)
    if moved.shape != coords.shape or not np.isfinite(moved).all():
        return False
    try:
        moved_geometries = shapely.set_coordinates(geometries.copy(), moved)
    except (ValueError, shapely.errors.GEOSException):  # e.g. a 3D geometry: the slow path copes
        return False
    for record, geometry in zip(records, moved_geometries.tolist()):
        record.geometry = geometry
    return True


# ---------------------------------------------------------------------------------------------------------
# WFS: GeoJSON or GML pages over HTTP, QGIS's provider when neither can be used


def _wfs_feed(
    source: Source, context: QgsCoordinateTransformContext, feedback: QgsFeedback | None, batch_size: int,
    options: transport.HttpOptions | None, how: wfs.WfsOptions,
) -> Feed:
    """A WFS source's feed: its capabilities read now (a server that cannot be reached, refuses the
    credentials or does not publish the layer is said at once), its pages as the batches are taken."""
    layer = None
    ways = [w for w in how.ways if w in ("geojson", "gml")]
    if ways:
        try:
            layer = wfs.open_layer(source, options=options, feedback=feedback, count=bool(how.count))
        except wfs.LayerError as error:
            raise SourceUnavailableError(error.problem, error.transient) from error
        except transport.TransportError as error:
            if error.problem.code != "http_error" or error.transient or "provider" not in how.ways:
                raise SourceUnavailableError(error.problem, error.transient) from error
            LOG.info("%s: capabilities not read (%s): QGIS's WFS provider reads the layer", source.id,
                     error.problem.message)
        except wfs.WfsUnusableError as why:
            if "provider" not in how.ways:
                raise _unreadable(source, str(why)) from why
            LOG.info("%s: %s: QGIS's WFS provider reads the layer", source.id, why)
    if layer is None:
        if "provider" not in how.ways:
            raise _unreadable(source, "no way of reading it is allowed")
        return Feed(batches=_provider_batches(source, context, feedback, batch_size))
    feed = Feed(expected=layer.hits)
    feed.batches = _wfs_batches(layer, ways, context, feedback, batch_size, options, how, feed)
    return feed


def _unreadable(source: Source, reason: str) -> SourceUnavailableError:
    return SourceUnavailableError(Problem(source.id, "layer", "layer_unreadable", Severity.ERROR,
                                          {"layer": source.layer, "url": transport.redacted(source.url),
                                           "value": reason}))


def _wfs_batches(
    layer: wfs.Layer, ways: list[str], context: QgsCoordinateTransformContext, feedback: QgsFeedback | None,
    batch_size: int, options: transport.HttpOptions | None, how: wfs.WfsOptions, feed: Feed,
) -> Generator[list[FeedRecord], None, None]:
    """The layer's features in EPSG:6707 from its pages in the first of `ways` that reads its first page,
    else through QGIS's provider (when allowed); `feed.expected` follows what the server says of its count."""
    source = layer.source
    reasons = []
    for way in ways:
        pages = wfs.pages(layer, way, page_size=how.page_size, batch_size=batch_size, options=options,
                          feedback=feedback)
        try:
            first = next(pages, None)
        except wfs.WfsUnusableError as why:
            LOG.info("%s: not read as %s: %s", source.id, way, why)
            reasons.append(f"{way}: {why}")
            continue
        except transport.TransportError as error:
            raise SourceUnavailableError(error.problem, error.transient) from error
        LOG.info("%s: read as %s, %d features a page", source.id, way, how.page_size)
        transforms: dict[str, QgsCoordinateTransform] = {}
        try:
            for page in chain([first] if first is not None else [], pages):
                if page.crs not in transforms:
                    transforms[page.crs] = _to_project(page.crs, context, source.id)
                for batch in page.batches:
                    feed.expected = layer.hits
                    yield _moved(batch, transforms[page.crs])
        except transport.TransportError as error:
            raise SourceUnavailableError(error.problem, error.transient) from error
        except wfs.LayerError as error:
            raise SourceUnavailableError(error.problem, True) from error
        finally:
            pages.close()
        return
    if "provider" not in how.ways:
        raise _unreadable(source, "; ".join(reasons))
    LOG.info("%s: QGIS's WFS provider reads the layer (%s)", source.id, "; ".join(reasons))
    yield from _provider_batches(source, context, feedback, batch_size)


def provider_uri(source: Source, page_size: int = 0) -> tuple[str, str]:
    """The QgsVectorLayer data source and provider key of a WFS or OGC API Features source."""
    uri = QgsDataSourceUri()
    uri.setParam("url", source.url)
    uri.setParam("typename", source.layer)
    if source.authcfg:
        uri.setAuthConfigId(source.authcfg)
    if page_size:
        uri.setParam("pageSize", str(page_size))
    if source.kind == SourceKind.WFS.value:
        uri.setParam("version", source.version or "auto")
        uri.setParam("pagingEnabled", "true")
        uri.setParam("restrictToRequestBBOX", "0")
        if source.crs:
            uri.setParam("srsname", source.crs)
        return uri.uri(False), "WFS"
    return uri.uri(False), "OAPIF"


def _provider_batches(
    source: Source, context: QgsCoordinateTransformContext, feedback: QgsFeedback | None, batch_size: int,
    page_size: int = 0,
) -> Iterator[list[FeedRecord]]:
    """A WFS or OAPIF layer's features through QGIS's own provider (`page_size` 0: the server's default), a
    batch at a time while the provider downloads the rest in its own thread."""
    # A refresh must ask the server, not QGIS's network cache nor the features the provider shares between
    # layers of one URI for the whole session: each read gets an address of its own.
    uri, provider = provider_uri(replace(source, url=_with_nonce(source.url)), page_size)
    # The providers tell what goes wrong only in the message log (and some failures, like a GetFeature
    # answer that is not GML, only there): listen to it while the layer opens and while it is read.
    heard: list[str] = []

    def listen(message: str, tag: str, level: Any) -> None:
        retry = message.startswith("Retrying request")  # a retry that then succeeds is no failure
        if tag in (provider, "OAPIF", "WFS") and level in (Qgis.MessageLevel.Warning, Qgis.MessageLevel.Critical) \
                and not retry:
            heard.append(message)

    params = {"layer": source.layer, "url": transport.redacted(source.url)}
    log = QgsApplication.messageLog()
    log.messageReceived.connect(listen)
    try:
        layer = QgsVectorLayer(uri, source.id, provider)
        if not layer.isValid():
            QCoreApplication.processEvents()  # messages the download thread queued
            # An invalid layer's provider must not be touched (QGIS 3.22 may have deleted it): what went
            # wrong is what the provider said in the message log.
            message = "; ".join(dict.fromkeys(heard)) or "no such layer, or the service does not answer"
            status = 401 if "401" in message or "uthenti" in message else 0
            if status and source.authcfg:
                raise SourceUnavailableError(Problem(source.id, "authcfg", "auth_failed", Severity.ERROR,
                                                {"url": transport.redacted(source.url), "status": status,
                                                 "authcfg": source.authcfg}))
            raise SourceUnavailableError(Problem(source.id, "layer", "layer_unreadable", Severity.ERROR,
                                            {**params, "value": _first_line(message)}), transient=True)
        yield from _layer_batches(layer, context, feedback, batch_size)
        QCoreApplication.processEvents()  # messages the download thread queued
    finally:
        log.messageReceived.disconnect(listen)
    errors = [*layer.dataProvider().errors(), *heard]
    if errors:
        raise SourceUnavailableError(Problem(source.id, "layer", "layer_error", Severity.ERROR,
                                             {**params, "value": _first_line("; ".join(dict.fromkeys(errors)))}),
                                     transient=True)


#: Attribute values that layers.to_python gives back as they are (most of them: no call for those).
_PLAIN = frozenset({str, int, float, bool})


def _layer_batches(
    layer: QgsVectorLayer, context: QgsCoordinateTransformContext, feedback: QgsFeedback | None, batch_size: int
) -> Iterator[list[FeedRecord]]:
    """A layer's features as FeedRecords in EPSG:6707, `batch_size` at a time (only the WKB of each geometry
    is kept until its batch is complete)."""
    names = [f.name() for f in layer.fields()]
    id_field = next((n for n in ("gml_id", "id", "fid") if n in names), None)
    transform = QgsCoordinateTransform(layer.crs(), layers.project_crs(), context)
    request = QgsFeatureRequest()
    if feedback is not None:
        request.setFeedback(feedback)
    records: list[FeedRecord] = []
    wkbs: list[bytes | None] = []
    feature = QgsFeature()
    iterator = layer.getFeatures(request)
    while iterator.nextFeature(feature):
        attrs = dict(zip(names, [value if type(value) in _PLAIN else layers.to_python(value)
                                 for value in feature.attributes()]))
        fid = attrs.get(id_field) if id_field else None
        records.append(FeedRecord(str(fid if fid not in (None, "") else feature.id()), attrs, None))
        wkbs.append(bytes(feature.geometry().asWkb()) if feature.hasGeometry() else None)
        if len(records) == batch_size:
            yield _with_geometries(records, wkbs, transform)
            records, wkbs = [], []
    if records:
        yield _with_geometries(records, wkbs, transform)


def _with_geometries(
    records: list[FeedRecord], wkbs: list[bytes | None], transform: QgsCoordinateTransform
) -> list[FeedRecord]:
    for record, geometry in zip(records, shapely.from_wkb(wkbs, on_invalid="ignore").tolist()):
        record.geometry = geometry
    return _moved(records, transform)


def _with_nonce(url: str) -> str:
    return url + ("&" if "?" in url else "?") + f"sr_read={uuid.uuid4().hex[:12]}"


def _first_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 300 else text[:297] + "..."


# ---------------------------------------------------------------------------------------------------------
# Works from a source, refresh into the cache, load as a layer


def feed_works(
    source: Source, feed: Feed, owners: OwnerRegistry, progress: Progress | None = None,
    limits: GeometryLimits | None = None,
) -> ValidationReport:
    """The valid works of a works source and every problem (document warnings first); others: checks only.
    (`limits`: on each footprint; the user's settings when not given.)"""
    if source.role == Role.WORKS.value:
        report = validate_feed(feed.records, source, owners, progress=progress, total=len(feed.records),
                               limits=limits or Settings.load().geometry_limits())
    else:
        feed.records, report = checked_records(feed.records, source.id)
    report.problems[:0] = feed.problems
    return report


def checked_records(records: list[FeedRecord], source_id: str) -> tuple[list[FeedRecord], ValidationReport]:
    """The features of a source of another role than works that had no problem while read, and the
    problems of the others."""
    report = ValidationReport(problems=[
        Problem(r.ref(source_id), f, code, sev, params) for r in records for f, code, sev, params in r.problems
    ])
    report.invalid_records = sum(1 for r in records if r.problems)
    return [r for r in records if not r.problems], report


@dataclass
class RefreshResult:
    """How a refresh went: its problems (`report.problems`, with the count of invalid records) and the
    snapshot of the copy; the works themselves are in the store (`cached_works_layer`)."""

    source: Source
    ok: bool
    not_modified: bool = False
    snapshot: feed_cache.Snapshot | None = None
    report: ValidationReport = field(default_factory=ValidationReport)
    error: Problem | None = None

    @property
    def problems(self) -> list[Problem]:
        return ([self.error] if self.error else []) + self.report.problems


def refresh(
    source: Source,
    store: Store,
    owners: OwnerRegistry,
    *,
    options: transport.HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
    context: QgsCoordinateTransformContext | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    wfs_options: wfs.WfsOptions | None = None,
    limits: GeometryLimits | None = None,
) -> RefreshResult:
    """Read a source and replace its copy in the store; on failure keep the old copy (and say why).
    (`limits`: on each footprint of a works source; the user's settings when not given.)

    The source is read, validated and written a batch at a time, so that a feed is never held whole in
    memory; the new copy takes the place of the old one in one transaction at the end. Cancelled (`feedback`
    or `progress`), it raises CancelledError, the old copy left as it was.
    """
    how = wfs_options or wfs.WfsOptions()
    if how.count is None:  # the features of a WFS are counted first only for a progress to show
        how = replace(how, count=progress is not None)
    with store.transaction() as conn:
        previous = feed_cache.snapshot(conn, source.id)
    # A conditional request only makes sense for the address the copy came from.
    same = previous is not None and previous.url == source.url
    copy = feed_cache.NewCopy(store, source)
    try:
        feed = stream_source(source, etag=previous.etag if same else "",
                             last_modified=previous.last_modified if same else "",
                             options=options, feedback=feedback, context=context,
                             today=(now or datetime.now(timezone.utc)).date(), wfs_options=how)
        if feed.not_modified and previous is not None:
            copy.discard()
            with store.transaction() as conn:
                feed_cache.mark_checked(conn, source.id, now)
                current = feed_cache.snapshot(conn, source.id)
                report = ValidationReport(problems=feed_cache.cached_problems(conn, source.id))
            return RefreshResult(source, True, not_modified=True, snapshot=current, report=report)
        report, read = _read_into(copy, source, feed, owners, progress, limits or Settings.load().geometry_limits())
        if feedback is not None and feedback.isCanceled():  # the provider stops early, without an error
            raise CancelledError
    except SourceUnavailableError as error:
        copy.discard()
        LOG.warning("%s: %s", source.id, error.problem.message)
        return RefreshResult(source, False, snapshot=previous, error=error.problem)
    except BaseException:
        copy.discard()
        raise
    works = source.role == Role.WORKS.value
    # A document cut off is kept for the features before the cut (its problem says where it ends), but without
    # its ETag / Last-Modified: the next refresh downloads it whole again instead of hearing "not modified".
    cut = any(problem.code == "truncated_json" for problem in report.problems)
    etag, last_modified = ("", "") if cut else (feed.etag, feed.last_modified)
    current = copy.replace(report.problems, etag, last_modified, now, feature_count=read if works else None)
    LOG.info("%s: %d features cached, %d works, %d problems", source.id, current.feature_count, current.work_count,
             len(report.problems))
    return RefreshResult(source, True, snapshot=current, report=report)


def _read_into(
    copy: feed_cache.NewCopy, source: Source, feed: Feed, owners: OwnerRegistry, progress: Progress | None,
    limits: GeometryLimits,
) -> tuple[ValidationReport, int]:
    """Every batch of a feed validated (works) or checked (other roles) into the new copy: the problems
    (document warnings first) and how many features were read."""
    return _consume(feed, source, owners, progress, limits, copy.add_works, copy.add_records)


def _consume(
    feed: Feed, source: Source, owners: OwnerRegistry, progress: Progress | None, limits: GeometryLimits,
    add_works: Callable[[list[Work]], None], add_records: Callable[[list[FeedRecord]], None],
) -> tuple[ValidationReport, int]:
    """Every batch of a feed validated (works source: its works to `add_works`) or checked (other roles: the
    features without problems to `add_records`), a batch at a time: the problems (document warnings first,
    then what the document said at its end) and how many features were read."""
    report = ValidationReport(problems=list(feed.problems))
    known = len(feed.problems)  # a document read as it arrives may say more at its end (e.g. that it was cut)
    validator = FeedValidator(source, owners, limits=limits) if source.role == Role.WORKS.value else None
    read = 0
    try:
        for batch in feed.batches:
            read += len(batch)
            if validator is not None:
                part = validator.validate(batch)
                add_works(part.works)
            else:
                kept, part = checked_records(batch, source.id)
                add_records(kept)
            report.problems += part.problems
            report.invalid_records += part.invalid_records
            if progress is not None:  # raises CancelledError to stop (0 while the total is not known)
                progress(min(read / feed.expected, 1.0) if feed.expected else feed.fraction() if feed.fraction
                         else 0.0)
    finally:
        feed.batches.close()  # the provider stops downloading and stops listening to the log
    report.problems += feed.problems[known:]
    return report, read


def import_works(
    source: Source,
    owners: OwnerRegistry,
    add: Callable[[list[Work]], None],
    *,
    options: transport.HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
    context: QgsCoordinateTransformContext | None = None,
    progress: Progress | None = None,
    limits: GeometryLimits | None = None,
) -> tuple[ValidationReport, int]:
    """The valid works of a works source handed to `add` a batch at a time as the source is read (into a
    Processing sink, say), so that neither the feed nor its works are ever all in memory: the problems
    (document warnings first; `works` left empty) and how many features were read. `read_source` then
    `feed_works` give the same works and problems, all at once. SourceUnavailableError when the source
    cannot be read, or breaks on the way (works already given stay given)."""
    if source.role != Role.WORKS.value:
        raise ValueError(f"{source.id}: a source of role {source.role!r} has no works to import")
    feed = stream_source(source, options=options, feedback=feedback, context=context)
    return _consume(feed, source, owners, progress, limits or Settings.load().geometry_limits(), add,
                    lambda _records: None)


@dataclass
class LoadResult:
    source: Source
    layer: QgsVectorLayer | None
    from_cache: bool
    snapshot: feed_cache.Snapshot | None
    problems: list[Problem]


def load(
    source: Source,
    store: Store,
    owners: OwnerRegistry,
    *,
    live: bool = True,
    options: transport.HttpOptions | None = None,
    feedback: QgsFeedback | None = None,
    now: datetime | None = None,
) -> LoadResult:
    """A layer of the source: refreshed when `live` and the source answers, else its cached copy (with a
    warning saying how old it is), else None with the reason."""
    problems: list[Problem] = []
    result = None
    if live:
        result = refresh(source, store, owners, options=options, feedback=feedback, now=now)
        problems += result.problems
    with store.transaction() as conn:
        snap = feed_cache.snapshot(conn, source.id)
        if result is None and snap is not None:
            problems += feed_cache.cached_problems(conn, source.id)
        records = feed_cache.cached_records(conn, source.id) if source.role != Role.WORKS.value else []
    if snap is None:
        problems.append(Problem(source.id, "", "no_cached_copy", Severity.ERROR, {}))
        return LoadResult(source, None, True, None, problems)
    from_cache = result is None or not result.ok
    if from_cache:
        problems.insert(0, Problem(source.id, "", "cached_copy_used", Severity.WARNING,
                                   {"snapshot": snap.snapshot_at.strftime("%Y-%m-%d %H:%M UTC"),
                                    "age": age_text(snap, now)}))
    if source.role == Role.WORKS.value:
        layer = cached_works_layer(store.path, source)
    else:
        layer = records_layer(records, source.title or source.id)
    return LoadResult(source, layer, from_cache, snap, problems)


def age_text(snap: feed_cache.Snapshot, now: datetime | None = None) -> str:
    """How old a copy is, in the user's language ('3 days', '5 hours')."""
    seconds = ((now or datetime.now(timezone.utc)) - snap.snapshot_at).total_seconds()
    if seconds >= 86400:
        return tr("{n} days").format(n=int(seconds // 86400))
    if seconds >= 3600:
        return tr("{n} hours").format(n=int(seconds // 3600))
    if seconds >= 60:
        return tr("{n} minutes").format(n=int(seconds // 60))
    return tr("{n} seconds").format(n=max(int(seconds), 0))


def cached_works_layer(path: Path, source: Source) -> QgsVectorLayer:
    """A source's cached works as a memory layer: a read-only copy, not to be edited in the store.

    (QGIS 3.22's OGR provider counts every row of a GeoPackage table under a subset string, so the
    filtered table is copied into memory rather than shown with a subset.)
    """
    table = QgsVectorLayer(f"{path}|layername={feed_cache.WORKS_TABLE}", source.title or source.id, "ogr")
    table.setSubsetString(feed_cache.works_subset(source.id))
    layer = table.materialize(QgsFeatureRequest())
    layer.setName(source.title or source.id)
    return layer


_VARIANTS = ((bool, QVariant.Type.Bool), (int, QVariant.Type.LongLong), (float, QVariant.Type.Double))


def records_layer(records: Sequence[FeedRecord], name: str) -> QgsVectorLayer:
    """A memory layer (EPSG:6707) of FeedRecords, with a field for every property found, typed by its values."""
    kinds: dict[str, Any] = {}
    for record in records:
        for key, value in record.properties.items():
            if value is None:
                kinds.setdefault(key, None)
                continue
            kind = next((variant for py, variant in _VARIANTS if type(value) is py), QVariant.Type.String)
            if kinds.get(key) not in (None, kind):
                kind = QVariant.Type.String
            kinds[key] = kind
    fields = QgsFields()
    fields.append(QgsField("feature_id", QVariant.Type.String))
    for key, kind in kinds.items():
        if key != "feature_id":
            fields.append(QgsField(key, kind or QVariant.Type.String))
    types = {g.geom_type for r in records if (g := r.geometry) is not None and not g.is_empty}
    wkb = QgsWkbTypes.displayString(_common_type(types))
    layer = QgsVectorLayer(f"{wkb}?crs=EPSG:6707", name, "memory")
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    features = []
    names = [f.name() for f in layer.fields()]
    for record in records:
        feature = QgsFeature(layer.fields())
        values = {"feature_id": record.fid, **record.properties}
        feature.setAttributes([_plain(values.get(n), layer.fields().field(n).type()) for n in names])
        if record.geometry is not None and not record.geometry.is_empty:
            geometry = QgsGeometry()
            geometry.fromWkb(shapely.to_wkb(record.geometry))
            if QgsWkbTypes.isMultiType(layer.wkbType()):
                geometry.convertToMultiType()
            feature.setGeometry(geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def _common_type(types: set[str]) -> QgsWkbTypes.Type:
    families = {t.replace("Multi", "") for t in types}
    if len(families) != 1:
        return QgsWkbTypes.Type.GeometryCollection if types else QgsWkbTypes.Type.NoGeometry
    family = families.pop()
    return {"Point": QgsWkbTypes.Type.MultiPoint, "LineString": QgsWkbTypes.Type.MultiLineString,
            "Polygon": QgsWkbTypes.Type.MultiPolygon}.get(family, QgsWkbTypes.Type.GeometryCollection)


def _plain(value: Any, kind: QVariant.Type) -> Any:
    if value is None:
        return None
    if kind == QVariant.Type.String and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
