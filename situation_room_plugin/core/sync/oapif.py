"""OGC API Features Part 4 (Create, Replace, Delete) requests for pushing outbox ops to a server such as
pygeoapi, and how their answers map onto the outbox.

A create is a POST of the work as a GeoJSON Feature carrying its uid (also its id); an update is a PUT of
the whole work at /items/{uid} (Part 4's replace: the server copy with the op's changes applied), with
revision + 1 and last_op_id, so that the server's revision trigger refuses a copy that moved on; a delete
is a DELETE (the server keeps a tombstone). As with WFS-T, an unclear answer (no answer, a 5xx, a
duplicate-insert 409 or 500, a 404 or 412 on a replace, and any answer to a PUT: pygeoapi says 204 to a PUT of
an item it does not have) is settled by reading the work back (settle.py).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any
from urllib.parse import quote

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.sync.outbox import Op, OpKind, SyncError, applied
from situation_room_plugin.core.utm import from_utm32, to_utm32
from situation_room_plugin.core.works import FIELD_NAMES, PROJECT_CRS, Work

CRS84 = "OGC:CRS84"
_CRS_URIS = {PROJECT_CRS: "http://www.opengis.net/def/crs/EPSG/0/6707",
             CRS84: "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def json_value(value: Any) -> Any:
    """A work's value as JSON: dates as YYYY-MM-DD, date-times as ISO 8601 UTC to the millisecond."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _transform(geometry: BaseGeometry, point: Any) -> BaseGeometry:
    def each(coords: np.ndarray) -> np.ndarray:
        out = [point(x, y) for x, y in coords.tolist()]
        if any(p is None for p in out):
            raise ValueError("a footprint outside the projection's range")
        return np.array(out, dtype=float)

    return shapely.transform(geometry, each)


def work_feature(work: Work, last_op_id: str = "", deleted: bool = False, crs: str = PROJECT_CRS
                 ) -> dict[str, Any]:
    """A work as a GeoJSON Feature (id: its uid) with the server's columns: in EPSG:6707 (the request says so
    in Content-Crs) or in CRS84 (RFC 7946's longitude/latitude) for a server that only takes that."""
    properties = {name: json_value(getattr(work, name)) for name in FIELD_NAMES}
    properties.update(last_op_id=last_op_id, deleted=deleted)
    geometry = work.geometry
    if geometry is not None and crs == CRS84:
        geometry = _transform(geometry, from_utm32)
    return {"type": "Feature", "id": work.uid, "geometry": mapping(geometry) if geometry is not None else None,
            "properties": properties}


def feature_geometry(feature: Mapping[str, Any], crs: str = PROJECT_CRS) -> BaseGeometry | None:
    """The footprint of a Feature read back, in EPSG:6707."""
    data = feature.get("geometry")
    if not data:
        return None
    geometry = shape(data)
    return _transform(geometry, to_utm32) if crs == CRS84 else geometry


def _headers(crs: str) -> dict[str, str]:
    return {"Content-Type": "application/geo+json", "Content-Crs": f"<{_CRS_URIS[crs]}>"}


def request_for(op: Op, collection: str, base: Work | None = None, crs: str = PROJECT_CRS,
                delete_by_put: bool = False) -> Request:
    """The request that pushes `op`; an update needs `base`, the server copy at the op's base revision
    (a PUT replaces the whole work).

    A delete is a DELETE, for a server that keeps a tombstone itself; `delete_by_put` writes the tombstone
    with a PUT instead (deleted = true, revision + 1, last_op_id: it needs `base` too), for a server that
    would remove the item (pygeoapi's providers do): the other clients' pulls would never see it go."""
    items = f"/collections/{quote(collection, safe='')}/items"
    if op.kind is OpKind.DELETE and not delete_by_put:
        return Request("DELETE", f"{items}/{quote(op.uid, safe='')}")
    if op.kind is OpKind.DELETE:
        if base is None or base.revision != op.base_revision:
            raise SyncError.of("sync_no_base", record=f"uid {op.uid}", value=op.op_id)
        feature = work_feature(dataclasses.replace(base, revision=op.base_revision + 1), op.op_id, True, crs)
        return Request("PUT", f"{items}/{quote(op.uid, safe='')}", json.dumps(feature, ensure_ascii=False).encode(),
                       _headers(crs))
    if op.kind is OpKind.CREATE:
        work = applied(None, op)
        revision = 1
    else:
        if base is None or base.revision != op.base_revision:
            raise SyncError.of("sync_no_base", record=f"uid {op.uid}", value=op.op_id)
        work = applied(base, op)
        revision = op.base_revision + 1
    assert work is not None  # not a delete
    feature = work_feature(dataclasses.replace(work, revision=revision), op.op_id, False, crs)
    body = json.dumps(feature, ensure_ascii=False).encode("utf-8")
    if op.kind is OpKind.CREATE:
        return Request("POST", items, body, _headers(crs))
    return Request("PUT", f"{items}/{quote(op.uid, safe='')}", body, _headers(crs))


class ReplyVerdict(str, Enum):
    LANDED = "landed"
    UNCLEAR = "unclear"  # read the work back (settle.py)
    REFUSED = "refused"


@dataclass(frozen=True)
class Reply:
    verdict: ReplyVerdict
    text: str


_DUPLICATE_WORDS = ("unique", "duplicate", "already exists", "constraint")


def read_reply(op: Op, status: int | None, body: bytes | None = None, trust_replace: bool = False) -> Reply:
    """What the server's answer to the request of `op` says: landed (201 to a POST, 200 or 204 to a DELETE),
    refused (400, 401, 403, 405, 422: the server's message is kept), or unclear (no answer, a 5xx, a duplicate
    409, a 404 or 412 of the work, anything else).

    A 200 or 204 to a PUT is unclear too unless `trust_replace`: pygeoapi 0.21 (TinyDB provider, measured)
    answers 204 to a PUT of an item it does not have, and writes nothing; a PUT is settled by reading back."""
    text = _message(status, body)
    if status is None:
        return Reply(ReplyVerdict.UNCLEAR, text)
    landed = {OpKind.CREATE: (200, 201), OpKind.DELETE: (200, 204),
              OpKind.UPDATE: (200, 204) if trust_replace else ()}[op.kind]
    if status in landed:
        return Reply(ReplyVerdict.LANDED, text)
    if status in (400, 401, 403, 405, 422) and not any(w in text.lower() for w in _DUPLICATE_WORDS):
        return Reply(ReplyVerdict.REFUSED, text)
    return Reply(ReplyVerdict.UNCLEAR, text)


def _message(status: int | None, body: bytes | None) -> str:
    head = f"HTTP {status}" if status is not None else "no answer"
    if not body:
        return head
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return f"{head}: {body[:200].decode('utf-8', 'replace').strip()}"
    if isinstance(data, dict):
        for key in ("description", "detail", "message", "title"):
            if isinstance(data.get(key), str):
                return f"{head}: {data[key]}"
    return head
