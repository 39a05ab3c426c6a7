"""WFS-T 1.1.0 and 1.0.0 messages for QGIS Server: the Transaction that pushes outbox ops, the reading of its
answer, and the GetFeature requests that read works back by uid and pull what changed since a cursor.

What QGIS Server does with a Transaction shapes these messages: each action is committed on its own; all the
Updates of a request run first, then the Deletes, then the Inserts; unknown property names are skipped
without a word; and the answer only has totals (totalInserted/Updated/Deleted in 1.1's TransactionSummary,
SUCCESS/FAILED/PARTIAL in 1.0), the failed actions by their handle, and the fids of the inserted features.
So: one Update per work, filtered by uid AND base revision, that also sets revision + 1 and last_op_id (an
Update that matches nothing is not an error: it shows as a total short of what was sent); a delete is that
Update setting deleted = 1 (a tombstone); every action's handle is its op id; and a request never holds an
Insert and an Update of the same uid (the Update would run before the Insert). Anything short of a clear
answer is settled by reading the works back (settle.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, Optional

import shapely
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.sync.outbox import Op, OpKind, OpTable
from situation_room_plugin.core.works import PROJECT_CRS

WFS = "http://www.opengis.net/wfs"
OGC = "http://www.opengis.net/ogc"
GML = "http://www.opengis.net/gml"
QGS = "http://www.qgis.org/gml"  # QGIS Server's namespace of feature types
VERSIONS = ("1.1.0", "1.0.0")

#: Actions in one Transaction: a few hundred keep a request small (a footprint is a few kB of GML) and its
#: per-action commits short.
MAX_ACTIONS = 200

#: Works read back in one GetFeature: its Filter goes in the URL, some 150 characters a uid.
UIDS_PER_REQUEST = 50

for _prefix, _uri in (("wfs", WFS), ("ogc", OGC), ("gml", GML), ("qgs", QGS)):
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Target:
    """Where the ops go: the WFS version, the feature type of each table and its key column."""

    version: str = "1.1.0"
    type_names: Mapping[OpTable, str] = field(default_factory=lambda: {OpTable.WORKS: "works",
                                                                      OpTable.DECISIONS: "decisions"})
    keys: Mapping[OpTable, str] = field(default_factory=lambda: {OpTable.WORKS: "uid",
                                                                OpTable.DECISIONS: "conflict_id"})
    #: QGIS Server calls the geometry of every feature type "geometry".
    geometry_name: str = "geometry"
    srs: str = PROJECT_CRS

    def __post_init__(self) -> None:
        if self.version not in VERSIONS:
            raise ValueError(f"WFS version {self.version} is not one of {', '.join(VERSIONS)} (QGIS Server's)")


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def format_value(value: Any) -> str | None:
    """A value as WFS text (None stays None: the field is left out of an Insert, set NULL by an Update).

    Date-times are written to the millisecond, but QGIS Server 3.22 keeps whole seconds of them (measured on a
    GeoPackage layer, whatever the spelling): the base copy of a work is the one read back or pulled, not
    the one sent."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "1" if value else "0"  # QGIS Server reads it into integer and boolean columns alike
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


# ---------------------------------------------------------------------------------------------------------
# GML


def gml_geometry(geometry: BaseGeometry, version: str = "1.1.0", srs: str = PROJECT_CRS) -> ET.Element:
    """A polygonal footprint as a GML MultiPolygon: GML 3.1.1 (exterior, posList) for WFS 1.1.0, GML 2
    (outerBoundaryIs, coordinates) for 1.0.0; both read by QGIS Server."""
    polygons = list(shapely.get_parts(geometry))
    if polygons and all(p.geom_type == "LineString" for p in polygons):
        return gml_lines(polygons, version, srs)
    if not polygons or any(p.geom_type != "Polygon" for p in polygons):
        raise ValueError(f"a footprint must be a polygon or a multipolygon, not a {geometry.geom_type}")
    gml3 = version != "1.0.0"
    multi = ET.Element(_tag(GML, "MultiPolygon"), {"srsName": srs})
    for polygon in polygons:
        member = ET.SubElement(ET.SubElement(multi, _tag(GML, "polygonMember")), _tag(GML, "Polygon"))
        rings = [("exterior" if gml3 else "outerBoundaryIs", polygon.exterior)]
        rings += [("interior" if gml3 else "innerBoundaryIs", ring) for ring in polygon.interiors]
        for role, ring in rings:
            linear = ET.SubElement(ET.SubElement(member, _tag(GML, role)), _tag(GML, "LinearRing"))
            coords = shapely.get_coordinates(ring)
            if gml3:
                pos = ET.SubElement(linear, _tag(GML, "posList"), {"srsDimension": "2"})
                pos.text = " ".join(f"{x!r} {y!r}" for x, y in coords.tolist())
            else:
                pos = ET.SubElement(linear, _tag(GML, "coordinates"), {"decimal": ".", "cs": ",", "ts": " "})
                pos.text = " ".join(f"{x!r},{y!r}" for x, y in coords.tolist())
    return multi


def gml_lines(lines: Sequence[BaseGeometry], version: str = "1.1.0", srs: str = PROJECT_CRS) -> ET.Element:
    """Lines (a published detour) as a GML MultiLineString, posList for WFS 1.1.0, coordinates for 1.0.0."""
    multi = ET.Element(_tag(GML, "MultiLineString"), {"srsName": srs})
    for line in lines:
        member = ET.SubElement(ET.SubElement(multi, _tag(GML, "lineStringMember")), _tag(GML, "LineString"))
        coords = shapely.get_coordinates(line).tolist()
        if version != "1.0.0":
            pos = ET.SubElement(member, _tag(GML, "posList"), {"srsDimension": "2"})
            pos.text = " ".join(f"{x!r} {y!r}" for x, y in coords)
        else:
            pos = ET.SubElement(member, _tag(GML, "coordinates"), {"decimal": ".", "cs": ",", "ts": " "})
            pos.text = " ".join(f"{x!r},{y!r}" for x, y in coords)
    return multi


def geometry_from_gml(element: ET.Element) -> BaseGeometry:
    """The MultiPolygon of a GML MultiPolygon or Polygon as `gml_geometry` writes it (posList or coordinates)."""
    polygons = []
    members = [element] if _local(element.tag) == "Polygon" else element.iter(_tag(GML, "Polygon"))
    for polygon in members:
        rings = []
        for ring in polygon.iter(_tag(GML, "LinearRing")):
            text = _child_text(ring, "posList") or _child_text(ring, "coordinates")
            numbers = [float(n) for n in re.split(r"[\s,]+", text.strip())]
            rings.append(list(zip(numbers[0::2], numbers[1::2])))
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polygons)


def _child_text(element: ET.Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return child.text or ""
    return ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------------------------------------------------
# Transaction


def _property(parent: ET.Element, name: str, value: Any, target: Target) -> None:
    prop = ET.SubElement(parent, _tag(WFS, "Property"))
    ET.SubElement(prop, _tag(WFS, "Name")).text = name
    if isinstance(value, BaseGeometry):
        ET.SubElement(prop, _tag(WFS, "Value")).append(gml_geometry(value, target.version, target.srs))
        return
    text = format_value(value)
    if text is not None:  # no Value: NULL
        ET.SubElement(prop, _tag(WFS, "Value")).text = text


def _equal(parent: ET.Element, name: str, value: Any) -> None:
    test = ET.SubElement(parent, _tag(OGC, "PropertyIsEqualTo"))
    ET.SubElement(test, _tag(OGC, "PropertyName")).text = name
    ET.SubElement(test, _tag(OGC, "Literal")).text = format_value(value)


def _insert(parent: ET.Element, op: Op, target: Target) -> None:
    action = ET.SubElement(parent, _tag(WFS, "Insert"), {"handle": op.op_id})
    feature = ET.SubElement(action, _tag(QGS, target.type_names[op.table]))
    values = {target.keys[op.table]: op.uid, **op.fields, "revision": 1, "last_op_id": op.op_id, "deleted": False}
    for name, value in values.items():
        text = format_value(value)
        if text is not None:
            ET.SubElement(feature, _tag(QGS, name)).text = text
    if op.geometry is not None and op.geometry.new is not None:
        ET.SubElement(feature, _tag(QGS, target.geometry_name)).append(
            gml_geometry(op.geometry.new, target.version, target.srs))


def _update(parent: ET.Element, op: Op, target: Target) -> None:
    action = ET.SubElement(parent, _tag(WFS, "Update"), {"typeName": target.type_names[op.table],
                                                         "handle": op.op_id})
    if op.kind is OpKind.DELETE:
        _property(action, "deleted", True, target)
    else:
        for name, value in op.fields.items():
            _property(action, name, value, target)
        if op.geometry is not None:
            _property(action, target.geometry_name, op.geometry.new, target)
        if op.restore:
            _property(action, "deleted", False, target)
    _property(action, "revision", op.base_revision + 1, target)
    _property(action, "last_op_id", op.op_id, target)
    both = ET.SubElement(ET.SubElement(action, _tag(OGC, "Filter")), _tag(OGC, "And"))
    _equal(both, target.keys[op.table], op.uid)
    _equal(both, "revision", op.base_revision)


def transaction(ops: Sequence[Op], target: Target = Target()) -> bytes:
    """The Transaction of a batch of ops (see `batches`): an Insert for each create, an Update for each
    update and delete (a tombstone), each with the op id as its handle."""
    uids = [(op.table, op.uid) for op in ops]
    if len(set(uids)) != len(uids):
        raise ValueError("a Transaction holds one op per record (QGIS Server runs its Updates before its Inserts)")
    root = ET.Element(_tag(WFS, "Transaction"), {"service": "WFS", "version": target.version})
    for op in ops:
        (_insert if op.kind is OpKind.CREATE else _update)(root, op, target)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def batches(ops: Iterable[Op], max_actions: int = MAX_ACTIONS) -> list[list[Op]]:
    """The ops in requests of at most `max_actions`, with at most one op of a record in each (a record's later
    op in a later request, in order)."""
    if max_actions < 1:
        raise ValueError("a request holds at least one action")
    result: list[list[Op]] = []
    last: dict[tuple[OpTable, str], int] = {}
    for op in ops:
        key = (op.table, op.uid)
        index = last.get(key, -1) + 1
        while index < len(result) and len(result[index]) >= max_actions:
            index += 1
        if index == len(result):
            result.append([])
        result[index].append(op)
        last[key] = index
    return result


# ---------------------------------------------------------------------------------------------------------
# Answers


class AnswerKind(str, Enum):
    SUMMARY = "summary"  # WFS 1.1 TransactionResponse
    STATUS = "status"  # WFS 1.0 WFS_TransactionResponse
    EXCEPTION = "exception"  # ServiceExceptionReport / ExceptionReport
    NO_ANSWER = "no_answer"  # timeout, connection reset: nothing came back
    GARBAGE = "garbage"  # something else (an HTML error page, a cut-off document)


@dataclass(frozen=True)
class Answer:
    """What a Transaction's answer says (or does not)."""

    kind: AnswerKind
    http_status: int | None = None
    inserted: int | None = None
    updated: int | None = None
    deleted: int | None = None
    #: 1.0's SUCCESS, FAILED or PARTIAL (QGIS Server says ERROR for FAILED).
    status: str = ""
    #: The server's messages about failed actions, by their locator (the op id given as handle).
    messages: Mapping[str, str] = field(default_factory=dict)
    #: The fids of the inserted features, by handle (op id).
    fids: Mapping[str, str] = field(default_factory=dict)
    #: The answer in a few words, for the op's last answer.
    text: str = ""


def _refuse_dtd(body: bytes) -> bool:
    return b"<!DOCTYPE" in body[:4096].upper() or b"<!ENTITY" in body[:65536].upper()


def parse_answer(body: bytes | None, http_status: int | None = 200) -> Answer:
    """The reading of a Transaction's answer; never raises (an unreadable answer is GARBAGE, to settle)."""
    if body is None or (not body.strip() and http_status is None):
        return Answer(AnswerKind.NO_ANSWER, http_status, text="no answer")
    head = f"HTTP {http_status}" if http_status is not None else "no HTTP status"
    if _refuse_dtd(body):
        return Answer(AnswerKind.GARBAGE, http_status, text=f"{head}: a document with a DTD")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        snippet = body[:80].decode("utf-8", "replace").strip()
        return Answer(AnswerKind.GARBAGE, http_status, text=f"{head}: not XML ({error}): {snippet}")
    name = _local(root.tag)
    if name in ("ServiceExceptionReport", "ExceptionReport"):
        texts = [" ".join((e.text or "").split()) for e in root.iter()
                 if _local(e.tag) in ("ServiceException", "ExceptionText")]
        return Answer(AnswerKind.EXCEPTION, http_status, text=f"{head}: " + "; ".join(t for t in texts if t))
    if name == "TransactionResponse":
        return _summary(root, http_status, head)
    if name == "WFS_TransactionResponse":
        return _status(root, http_status, head)
    return Answer(AnswerKind.GARBAGE, http_status, text=f"{head}: an unexpected <{name}> document")


def _total(root: ET.Element, name: str) -> int | None:
    for element in root.iter():
        if _local(element.tag) == name:
            try:
                return int((element.text or "").strip())
            except ValueError:
                return None
    return None


def _fids(root: ET.Element, result_name: str) -> dict[str, str]:
    fids = {}
    for element in root.iter():
        if _local(element.tag) == result_name:
            for child in element.iter():
                if _local(child.tag) == "FeatureId" and child.get("fid"):
                    handle = element.get("handle") or child.get("fid", "")
                    fids[handle] = child.get("fid", "")
    return fids


def _summary(root: ET.Element, http_status: int | None, head: str) -> Answer:
    messages = {}
    for element in root.iter():
        if _local(element.tag) == "Action":
            texts = [e.text or "" for e in element.iter() if _local(e.tag) == "Message"]
            messages[element.get("locator", "")] = " ".join(" ".join(texts).split())
    inserted, updated, deleted = (_total(root, n) for n in ("totalInserted", "totalUpdated", "totalDeleted"))
    counts = ", ".join(f"{n} {v}" for n, v in (("inserted", inserted), ("updated", updated),
                                               ("deleted", deleted)) if v is not None)
    text = f"{head}: {counts or 'no totals'}" + "".join(f"; {k}: {v}" for k, v in messages.items())
    return Answer(AnswerKind.SUMMARY, http_status, inserted, updated, deleted, messages=messages,
                  fids=_fids(root, "Feature"), text=text)


def _status(root: ET.Element, http_status: int | None, head: str) -> Answer:
    status, messages = "", {}
    for result in root.iter():
        if _local(result.tag) != "TransactionResult":
            continue
        for element in result.iter():
            local = _local(element.tag)
            if local in ("SUCCESS", "FAILED", "PARTIAL", "ERROR"):  # QGIS Server writes ERROR for FAILED
                status = local
        locator = _child_text(result, "Locator").strip() or result.get("handle", "")
        message = " ".join(_child_text(result, "Message").split())
        if message or status != "SUCCESS":
            messages[locator] = message
    fids = _fids(root, "InsertResult")
    return Answer(AnswerKind.STATUS, http_status, inserted=len(fids) if status == "SUCCESS" else None,
                  status=status, messages=messages, fids=fids,
                  text=f"{head}: {status or 'no status'}" + "".join(f"; {v}" for v in messages.values() if v))


def expected(ops: Iterable[Op]) -> tuple[int, int]:
    """(inserts, updates) a batch should report when every op landed (deletes are Updates: tombstones)."""
    ops = list(ops)
    inserts = sum(op.kind is OpKind.CREATE for op in ops)
    return inserts, len(ops) - inserts


def is_clear(answer: Answer, ops: Sequence[Op]) -> bool:
    """Whether the answer shows that every op of the batch landed, with nothing to read back: a 1.1 summary
    whose totals are exactly those expected and no failed action, or a 1.0 SUCCESS of inserts only (1.0 says
    nothing of how many features an Update changed, and one that matched none is a SUCCESS too)."""
    if answer.http_status not in (None, 200) or answer.messages:
        return False
    inserts, updates = expected(ops)
    if answer.kind is AnswerKind.SUMMARY:
        return (answer.inserted or 0) == inserts and (answer.updated or 0) == updates and not answer.deleted
    if answer.kind is AnswerKind.STATUS:
        return answer.status == "SUCCESS" and updates == 0 and len(answer.fids) == inserts
    return False


# ---------------------------------------------------------------------------------------------------------
# Reading back and pulling


def _filter_text(filter_element: ET.Element) -> str:
    return ET.tostring(filter_element, encoding="unicode")


def _filter() -> ET.Element:
    return ET.Element(_tag(OGC, "Filter"))


def by_uids(uids: Iterable[str], target: Target = Target(), table: OpTable = OpTable.WORKS,
            per_request: int = UIDS_PER_REQUEST) -> list[dict[str, str]]:
    """The GetFeature parameters (KVP) that read these records back, tombstones included: a Filter of an Or of
    PropertyIsEqualTo on the key (1.1 has no PropertyIsIn), `per_request` records a request."""
    unique = list(dict.fromkeys(uids))
    requests = []
    for start in range(0, len(unique), per_request):
        chunk = unique[start:start + per_request]
        root = _filter()
        parent = ET.SubElement(root, _tag(OGC, "Or")) if len(chunk) > 1 else root
        for uid in chunk:
            _equal(parent, target.keys[table], uid)
        requests.append(_get_feature(target, table, _filter_text(root)))
    return requests


def _get_feature(target: Target, table: OpTable, filter_text: str) -> dict[str, str]:
    return {"SERVICE": "WFS", "VERSION": target.version, "REQUEST": "GetFeature",
            "TYPENAME": target.type_names[table], "SRSNAME": target.srs, "FILTER": filter_text}


def pull_page(after_seq: int, page_size: int, target: Target = Target(), table: OpTable = OpTable.WORKS,
              start_index: int = 0) -> dict[str, str]:
    """The GetFeature parameters of one page of a pull: the records with server_seq above `after_seq`, in
    server_seq order, at most `page_size` (MAXFEATURES). The next page starts after the last server_seq of
    this one (see pull.py), not at an offset: QGIS Server 3.22 also pages with STARTINDEX (`start_index`,
    checked in-process), but a record written during the pull moves to the end of the order, and the offsets
    of the pages after it would skip another record."""
    if page_size < 1 or start_index < 0:
        raise ValueError("a page holds at least one record, from an offset of zero or more")
    root = _filter()
    test = ET.SubElement(root, _tag(OGC, "PropertyIsGreaterThan"))
    ET.SubElement(test, _tag(OGC, "PropertyName")).text = "server_seq"
    ET.SubElement(test, _tag(OGC, "Literal")).text = str(after_seq)
    params = {**_get_feature(target, table, _filter_text(root)), "SORTBY": "server_seq ASC",
              "MAXFEATURES": str(page_size)}
    if start_index:
        params["STARTINDEX"] = str(start_index)
    return params


def pull_page_expression(after_seq: int, page_size: int, target: Target = Target(),
                         table: OpTable = OpTable.WORKS) -> dict[str, str]:
    """`pull_page` as QGIS Server 3.22 sorts it: SORTBY is ignored with an OGC FILTER but applied with
    EXP_FILTER (a QGIS expression, platform/README.md), before MAXFEATURES cuts the page."""
    if page_size < 1:
        raise ValueError("a page holds at least one record")
    return {"SERVICE": "WFS", "VERSION": target.version, "REQUEST": "GetFeature",
            "TYPENAME": target.type_names[table], "SRSNAME": target.srs,
            "EXP_FILTER": f"server_seq > {int(after_seq)}", "SORTBY": "server_seq ASC",
            "MAXFEATURES": str(page_size)}


Feature = tuple[dict[str, Any], Optional[BaseGeometry]]


def parse_features(body: bytes, geometry_name: str = "geometry") -> list[Feature]:
    """The features of a GetFeature answer in GML (2 or 3, as QGIS Server writes them): each one's properties
    as text (None for xsi:nil or an absent value) and its geometry; ValueError with the server's words for an
    exception report or a document that is not a FeatureCollection."""
    if _refuse_dtd(body):
        raise ValueError("the answer is a document with a DTD")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise ValueError(f"the answer is not XML ({error}): {body[:80].decode('utf-8', 'replace')}") from error
    if _local(root.tag) in ("ServiceExceptionReport", "ExceptionReport"):
        texts = [" ".join((e.text or "").split()) for e in root.iter() if _local(e.tag) in ("ServiceException",
                                                                                            "ExceptionText")]
        raise ValueError("; ".join(t for t in texts if t) or "an exception report")
    if _local(root.tag) != "FeatureCollection":
        raise ValueError(f"the answer is an unexpected <{_local(root.tag)}> document")
    nil = "{http://www.w3.org/2001/XMLSchema-instance}nil"
    out = []
    for member in root:
        if _local(member.tag) not in ("featureMember", "featureMembers"):
            continue
        for feature in member:
            record: dict[str, Any] = {"_fid": feature.get(_tag(GML, "id")) or feature.get("fid") or ""}
            geometry = None
            for child in feature:
                name = _local(child.tag)
                if name == geometry_name:
                    shapes = list(child)
                    geometry = geometry_from_gml(shapes[0]) if shapes and _local(shapes[0].tag) in (
                        "MultiPolygon", "MultiSurface", "Polygon") else None
                elif name != "boundedBy":
                    record[name] = None if child.get(nil) == "true" else (child.text or "")
            out.append((record, geometry))
    return out
