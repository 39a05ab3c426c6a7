"""WZDx (Work Zone Data Exchange) feeds as works: work-zone and detour road events of WZDx 4.0-4.2, and
the flat road events of 3.x; any other version is refused with a message saying which ones are read.

Road events become FeedRecords whose properties are already named like the works schema (title, dates,
`vehicle_impact` -> `traffic_impact`, work type, status); their LineString/MultiPoint geometries stay in
WGS 84 with a footprint half-width (`buffer_m`) from the lanes, to be buffered once in EPSG:6707.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import shapely

from situation_room_plugin.core.geojson import (
    FeedError,
    ParsedFeed,
    decode_text,
    feature_records,
    may_hold_nul,
    read_json,
)
from situation_room_plugin.core.mapping import FeedRecord
from situation_room_plugin.core.problems import Problem, Severity
from situation_room_plugin.core.works import Status, TrafficImpact, WorkType, parse_date

SUPPORTED_VERSIONS = ("3.0", "3.1", "4.0", "4.1", "4.2")
LANE_WIDTH_M = 3.5
DEFAULT_LANES = 2

#: WZDx 4.2 `vehicle_impact` -> the schema's `traffic_impact` (merges, splits and shifts are what they do to
#: capacity: some lanes closed, or all open; flagging and temporary signals alternate one lane).
VEHICLE_IMPACT: dict[str, str] = {
    "all-lanes-closed": TrafficImpact.ALL_LANES_CLOSED.value,
    "some-lanes-closed": TrafficImpact.SOME_LANES_CLOSED.value,
    "some-lanes-closed-merge-left": TrafficImpact.SOME_LANES_CLOSED.value,
    "some-lanes-closed-merge-right": TrafficImpact.SOME_LANES_CLOSED.value,
    "some-lanes-closed-split": TrafficImpact.SOME_LANES_CLOSED.value,
    "all-lanes-open": TrafficImpact.ALL_LANES_OPEN.value,
    "all-lanes-open-shift-left": TrafficImpact.ALL_LANES_OPEN.value,
    "all-lanes-open-shift-right": TrafficImpact.ALL_LANES_OPEN.value,
    "alternating-one-way": TrafficImpact.ALTERNATING_ONE_WAY.value,
    "flagging": TrafficImpact.ALTERNATING_ONE_WAY.value,
    "temporary-traffic-signal": TrafficImpact.ALTERNATING_ONE_WAY.value,
    "unknown": TrafficImpact.UNKNOWN.value,
}

#: WZDx `types_of_work[].type_name` -> work_type; the first listed type that maps decides.
TYPE_OF_WORK: dict[str, str] = {
    "below-road-work": WorkType.EXCAVATION.value,
    "surface-work": WorkType.RESURFACING.value,
    "painting": WorkType.RESURFACING.value,
    "minor-road-defect-repair": WorkType.RESURFACING.value,
    "roadway-relocation": WorkType.ROAD_CONSTRUCTION.value,
    "roadway-creation": WorkType.ROAD_CONSTRUCTION.value,
    "maintenance": WorkType.NETWORK_MAINTENANCE.value,
    "overhead-work": WorkType.NETWORK_MAINTENANCE.value,
    "roadside-work": WorkType.OTHER.value,
    "barrier-work": WorkType.OTHER.value,
}

EVENT_STATUS: dict[str, str] = {
    "planned": Status.PLANNED.value,
    "pending": Status.PLANNED.value,
    "active": Status.IN_PROGRESS.value,
    "completed": Status.COMPLETED.value,
    "cancelled": Status.CANCELLED.value,
}
EVENT_TYPES = ("work-zone", "detour")


#: Where feeds put their header: `feed_info` (4.x), `road_event_feed_info` (1.x-3.x and some 4.0 feeds), and the
#: camel-case spellings some producers use.
FEED_INFO_KEYS = ("feed_info", "road_event_feed_info", "feedInfo", "roadEventFeedInfo")


def feed_version(data: dict[str, Any]) -> str:
    """The WZDx version a feed says it follows, as major.minor ("4.2" for 4.2, "v4.2" or 4.2.0; "2.0" for 2 or
    2.0), from the first header that has one; "" when none does."""
    for key in FEED_INFO_KEYS:
        info = data.get(key)
        version = info.get("version") if isinstance(info, dict) else None
        if isinstance(version, bool) or version is None or not str(version).strip():
            continue
        text = str(version).strip().lstrip("vV")
        parts = text.split(".")
        if all(part.isdigit() for part in parts):
            return ".".join([*parts, "0"][:2]) if len(parts) < 3 else ".".join(parts[:2])
        return str(version).strip()
    return ""


def parse_wzdx(content: bytes | str | dict[str, Any], label: str, today: date | None = None) -> ParsedFeed:
    """A WZDx feed's road events as FeedRecords (geometries in WGS 84, footprint widths set).

    `today` sets the status of events whose feed does not give one (planned, in progress, completed).
    Raises FeedError for a document that is not a WZDx feed of a version this reads.
    """
    if isinstance(content, dict):
        data, problems, nul = content, [], True
    else:
        text, problems = decode_text(content, label)
        data, nul = read_json(text, label)[0], may_hold_nul(text)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise FeedError(Problem(label, "", "not_feature_collection", Severity.ERROR, {"value": str(found)[:80]}))
    version = feed_version(data)
    if not version:
        raise FeedError(Problem(label, "feed_info.version", "wzdx_no_version", Severity.ERROR,
                                {"allowed": ", ".join(SUPPORTED_VERSIONS)}))
    if version not in SUPPORTED_VERSIONS:
        raise FeedError(Problem(label, "feed_info.version", "wzdx_unsupported_version", Severity.ERROR,
                                {"value": version, "allowed": ", ".join(SUPPORTED_VERSIONS)}))
    sources = _data_sources(data)
    records = feature_records(data["features"], "EPSG:4326", nul=nul)
    for record, item in zip(records, data["features"]):
        if isinstance(item, dict) and item.get("type") == "Feature":
            _to_works(record, sources, version, today)
    return ParsedFeed(_joined_parts(records), "EPSG:4326", problems, data)


#: How Situation Room exports a work on separate runs of road (core/exports/wzdx.py): its first road event has
#: the work's uid as id, the others `<uid>/2`, `<uid>/3`..., each naming the first as first-in-sequence.
_PART_ID = re.compile(r"(?P<first>.+)/(?P<n>[1-9][0-9]*)")
_LINES = ("LineString", "MultiLineString")


def _joined_parts(records: list[FeedRecord]) -> list[FeedRecord]:
    """The records with the parts of one exported work joined into its first road event's geometry (a
    MultiLineString, buffered into one footprint), so that the work is read back as one work."""
    by_id = {record.fid: record for record in records}
    joined = []
    for record in records:
        first = _first_part(record, by_id)
        if first is None:
            joined.append(record)
        else:
            first.geometry = shapely.multilinestrings([*shapely.get_parts(first.geometry), record.geometry])
    return joined


def _first_part(record: FeedRecord, by_id: dict[str, FeedRecord]) -> FeedRecord | None:
    """The road event a record is a later part of, in the form Situation Room exports them; None if none."""
    match = _PART_ID.fullmatch(record.fid)
    first = by_id.get(match["first"]) if match else None
    if first is None or first is record or record.problems or first.problems:
        return None
    core = record.properties.get("core_details")
    related = core.get("related_road_events") if isinstance(core, dict) else None
    if not isinstance(related, list) or {"type": "first-in-sequence", "id": first.fid} not in related:
        return None
    geometries = (record.geometry, first.geometry)
    if any(g is None or g.geom_type not in _LINES for g in geometries) or record.geometry.geom_type != "LineString":
        return None
    return first


def _data_sources(data: dict[str, Any]) -> dict[str, str]:
    info = next((data[key] for key in FEED_INFO_KEYS if isinstance(data.get(key), dict)), {})
    sources = info.get("data_sources")
    if not isinstance(sources, list):
        return {}
    return {str(s.get("data_source_id")): str(s.get("organization_name") or "") for s in sources if isinstance(s, dict)}


def _to_works(record: FeedRecord, sources: dict[str, str], version: str, today: date | None) -> None:
    """Rewrite a road event's properties in the works schema's names (the original ones are kept too)."""
    props = record.properties
    core = props.get("core_details") if version.startswith("4") else props
    if not isinstance(core, dict):
        record.problems.append(("core_details", "missing_value", Severity.ERROR, {}))
        return
    event_type = core.get("event_type")
    if event_type not in EVENT_TYPES:
        record.problems.append(("event_type", "wzdx_event_type", Severity.ERROR,
                                {"value": str(event_type), "allowed": ", ".join(EVENT_TYPES)}))
        return
    roads = core.get("road_names")
    if not isinstance(roads, list):
        roads = [core["road_name"]] if isinstance(core.get("road_name"), str) else []
    roads = [str(r) for r in roads if str(r).strip()]
    name = core.get("name") or ", ".join(roads)
    direction = core.get("direction")
    # "undefined" is the direction of an event on both directions (as Situation Room exports them): no suffix.
    shown = isinstance(direction, str) and direction not in ("unknown", "undefined")
    title = f"{name} ({direction})" if name and shown else name
    if event_type == "detour":
        title = f"{title} — detour" if title else "detour"
    out: dict[str, Any] = {
        "title": title,
        "description": core.get("description") or "",
        "road_names": ", ".join(roads),
        "start_date": _day(props.get("start_date")),
        "end_date": _day(props.get("end_date")),
        "data_source": sources.get(str(core.get("data_source_id")), ""),
        "event_type": event_type,
    }
    impact = props.get("vehicle_impact")
    if isinstance(impact, str):
        out["traffic_impact"] = VEHICLE_IMPACT.get(impact, impact)
    else:
        out["traffic_impact"] = TrafficImpact.UNKNOWN.value
    out["work_type"] = WorkType.OTHER.value
    for item in props.get("types_of_work") or []:
        if isinstance(item, dict) and item.get("type_name") in TYPE_OF_WORK:
            out["work_type"] = TYPE_OF_WORK[item["type_name"]]
            break
    status = props.get("event_status") or core.get("event_status")
    out["status"] = EVENT_STATUS.get(status, "") if isinstance(status, str) else ""
    if not out["status"]:
        out["status"] = _status_on(today, out["start_date"], out["end_date"])
    if isinstance(core.get("update_date"), str):
        out["updated_at"] = core["update_date"]
    if isinstance(core.get("creation_date"), str):
        out["created_at"] = core["creation_date"]
    source_id = str(core.get("data_source_id") or "")
    record.owner_hints = tuple(hint for hint in (source_id, sources.get(source_id, "")) if hint)
    lanes = props.get("lanes")
    count = len(lanes) if isinstance(lanes, list) and lanes else DEFAULT_LANES
    record.buffer_m = count * LANE_WIDTH_M / 2
    record.properties = {**props, **out}


def _day(value: Any) -> Any:
    """The calendar date of a WZDx timestamp in its own offset (a 00:30+01:00 start is that day in Italy), read
    as every other date is (`parse_date`); a value that is no date is kept, for validation to report."""
    day = parse_date(value) if isinstance(value, str) else None
    return value if day is None else day


def _status_on(today: date | None, start: Any, end: Any) -> str:
    if today is None or not isinstance(start, date) or not isinstance(end, date):
        return Status.PLANNED.value
    if end < today:
        return Status.COMPLETED.value
    return Status.IN_PROGRESS.value if start <= today else Status.PLANNED.value
