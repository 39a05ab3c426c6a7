"""The works that affect traffic as a WZDx 4.2 Work Zone Feed (a GeoJSON FeatureCollection of work-zone road
events), valid against the official schemas and read back by `core.wzdx` into the same works.

One road event per run of road a work takes (see `core.exports.common`): the first, the longest, has the work's
uid as its `id` (a re-export is stable); the others, when a footprint takes separate runs, have `<uid>/2`,
`<uid>/3`... and name the first as `first-in-sequence`, as the WZDx examples link the parts of one work zone.
Each owner (ente) of an exported work is one data source, whose id is the owner's code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from situation_room_plugin.core.exports.common import (
    DEFAULT_OPTIONS,
    ExportOptions,
    Located,
    Selection,
    compass,
    rome_zone,
    select,
    utc_text,
    work_period,
)
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.works import ClosedDirection, Status, TrafficImpact, Work, WorkType

VERSION = "4.2"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"

#: work_type -> WZDx types_of_work[].type_name: the inverse of what `core.wzdx.TYPE_OF_WORK` reads (a new
#: connection is dug below the road; an event is no work on the road and has none).
TYPE_NAMES: dict[str, str] = {
    WorkType.EXCAVATION.value: "below-road-work",
    WorkType.NEW_CONNECTION.value: "below-road-work",
    WorkType.NETWORK_MAINTENANCE.value: "maintenance",
    WorkType.RESURFACING.value: "surface-work",
    WorkType.ROAD_CONSTRUCTION.value: "roadway-creation",
    WorkType.OTHER.value: "roadside-work",
}

#: How each lane is when the road's lanes are known: a closure closes them all, alternating one-way traffic
#: alternates them; which lanes a partial closure takes is not known, so it lists none.
LANE_STATUS: dict[str, str] = {
    TrafficImpact.ALL_LANES_CLOSED.value: "closed",
    TrafficImpact.ALTERNATING_ONE_WAY.value: "alternating-flow",
}


def wzdx_feed(
    works: Iterable[Work],
    owners: OwnerRegistry,
    graph: RoadGraph | None = None,
    lanes: Mapping[int, Any] | None = None,
    now: datetime | None = None,
    options: ExportOptions = DEFAULT_OPTIONS,
) -> tuple[dict[str, Any], Selection]:
    """The WZDx 4.2 feed of the works that affect traffic, and the selection (what was exported, what was left
    out and why). With a road `graph` the events follow the roads the footprints close (`lanes`: a road
    feature id -> its OSM lanes); without, the footprints' centrelines."""
    selection = select(works, graph, lanes, options)
    return wzdx_document(selection, owners, now, options), selection


def wzdx_document(selection: Selection, owners: OwnerRegistry, now: datetime | None = None,
                  options: ExportOptions = DEFAULT_OPTIONS) -> dict[str, Any]:
    """The feed of works already selected and located."""
    now = now or datetime.now(timezone.utc)
    moment = utc_text(now, now)
    zone = rome_zone()
    sources = []
    for code in dict.fromkeys(located.work.owner for located in selection.located):
        owner = owners.get(code)
        sources.append({"data_source_id": code, "organization_name": owner.name if owner else code,
                        "update_date": moment})
    features = [event for located in selection.located for event in road_events(located, now, zone)]
    info: dict[str, Any] = {"publisher": options.publisher, "version": VERSION, "license": LICENSE,
                            "update_date": moment, "data_sources": sources}
    if not sources:  # the schema wants one data source, even in a feed with no event
        info["data_sources"] = [{"data_source_id": "situation_room", "organization_name": options.publisher}]
    return {"feed_info": info, "type": "FeatureCollection", "features": features}


def road_events(located: Located, now: datetime, zone: Any = None) -> list[dict[str, Any]]:
    """The road events of one work: one per run of road, the first with the work's uid as id (`now`: the
    creation time of a work that has none)."""
    work = located.work
    start, end = work_period(work, zone)
    events = []
    for index, part in enumerate(located.parts):
        one_way = work.closed_direction != ClosedDirection.BOTH.value and located.on_roads
        core: dict[str, Any] = {
            "event_type": "work-zone",
            "data_source_id": work.owner,
            "road_names": list(part.road_names),
            # WZDx's directions are compass headings; a closure of both directions has none ("undefined").
            "direction": compass(part.lonlat) if one_way else "undefined",
            "name": work.title,
            "creation_date": utc_text(work.created_at, now),
            "update_date": utc_text(work.updated_at or work.created_at, now),
        }
        if work.description:
            core["description"] = work.description
        if index:
            core["related_road_events"] = [{"type": "first-in-sequence", "id": work.uid}]
        elif len(located.parts) > 1:
            core["related_road_events"] = [{"type": "next-in-sequence", "id": f"{work.uid}/2"}]
        if 0 < index < len(located.parts) - 1:
            core["related_road_events"].append({"type": "next-in-sequence", "id": f"{work.uid}/{index + 2}"})
        properties: dict[str, Any] = {
            "core_details": core,
            "start_date": start,
            "end_date": end,
            "is_start_date_verified": work.status == Status.IN_PROGRESS.value,
            "is_end_date_verified": False,
            "is_start_position_verified": False,
            "is_end_position_verified": False,
            "location_method": "other",
            "vehicle_impact": work.traffic_impact,
        }
        type_name = TYPE_NAMES.get(work.work_type)
        if type_name:
            properties["types_of_work"] = [{"type_name": type_name, "is_architectural_change":
                                            work.work_type == WorkType.ROAD_CONSTRUCTION.value}]
        status = LANE_STATUS.get(work.traffic_impact)
        if part.lanes and status:
            properties["lanes"] = [{"order": n, "status": status, "type": "general"}
                                   for n in range(1, part.lanes + 1)]
        coordinates = [list(xy) for xy in part.lonlat]
        if len(coordinates) < 2:  # a LineString has two positions at least
            coordinates = coordinates * 2
        events.append({
            "id": work.uid if index == 0 else f"{work.uid}/{index + 1}",
            "type": "Feature",
            "properties": properties,
            "geometry": {"type": "LineString", "coordinates": coordinates},
        })
    return events
