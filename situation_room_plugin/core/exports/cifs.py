"""The works that affect traffic as a Waze CIFS feed (Closure and Incident Feed Specification 2.0): the XML
document of the CIFS XSD and the JSON form Waze reads, with the same incidents.

A full closure is a ROAD_CLOSED incident (subtype ROAD_CLOSED_CONSTRUCTION, or ROAD_CLOSED_EVENT for an
event); a partial one (some lanes closed, alternating one-way) is a HAZARD_ON_ROAD_LANE_CLOSED hazard; a work
whose impact is unknown is a CONSTRUCTION incident. Polylines are "lat lon lat lon ..." as Waze reads them.
A work on several separate runs of road is one incident per run (ids `<uid>`, `<uid>/2`, ...) sharing the
work's uid as their `parent_event`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any
from xml.etree import ElementTree

from situation_room_plugin.core.exports.common import (
    DEFAULT_OPTIONS,
    ExportOptions,
    Located,
    Selection,
    rome_zone,
    select,
    utc_text,
    work_period,
)
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.works import ClosedDirection, TrafficImpact, Work, WorkType, format_hours

#: The order of an incident's elements in the XSD.
ORDER = ("parent_event", "creationtime", "updatetime", "source", "type", "subtype", "description", "location",
         "starttime", "endtime", "schedule")


def incident_kind(work: Work) -> tuple[str, str]:
    """The CIFS type and subtype of a work ('' when the type has no fitting subtype)."""
    impact = work.traffic_impact
    if impact == TrafficImpact.ALL_LANES_CLOSED.value:
        return "ROAD_CLOSED", ("ROAD_CLOSED_EVENT" if work.work_type == WorkType.EVENT.value
                               else "ROAD_CLOSED_CONSTRUCTION")
    if impact in (TrafficImpact.SOME_LANES_CLOSED.value, TrafficImpact.ALTERNATING_ONE_WAY.value):
        return "HAZARD", "HAZARD_ON_ROAD_LANE_CLOSED"
    return "CONSTRUCTION", ""


def cifs_incidents(
    works: Iterable[Work],
    owners: OwnerRegistry,
    graph: RoadGraph | None = None,
    lanes: Mapping[int, Any] | None = None,
    now: datetime | None = None,
    options: ExportOptions = DEFAULT_OPTIONS,
) -> tuple[list[dict[str, Any]], Selection]:
    """The incidents of the works that affect traffic (plain dicts in the XSD's names and order), and the
    selection; `graph` and `lanes` as for `core.exports.wzdx.wzdx_feed`."""
    selection = select(works, graph, lanes, options)
    return incidents_of(selection, owners, now), selection


def incidents_of(selection: Selection, owners: OwnerRegistry, now: datetime | None = None) -> list[dict[str, Any]]:
    """The incidents of works already selected and located (`now`: the creation time of a work without one)."""
    now = now or datetime.now(timezone.utc)
    zone = rome_zone()
    return [incident for located in selection.located for incident in _incidents(located, owners, now, zone)]


def _incidents(located: Located, owners: OwnerRegistry, now: datetime, zone: Any) -> list[dict[str, Any]]:
    work = located.work
    start, end = work_period(work, zone)
    kind, subtype = incident_kind(work)
    owner = owners.get(work.owner)
    description = work.title if not work.description else f"{work.title}: {work.description}"
    out = []
    for index, part in enumerate(located.parts):
        incident: dict[str, Any] = {"id": work.uid if index == 0 else f"{work.uid}/{index + 1}"}
        if len(located.parts) > 1:
            incident["parent_event"] = {"id": work.uid}
        incident["creationtime"] = utc_text(work.created_at, now)
        incident["updatetime"] = utc_text(work.updated_at or work.created_at, now)
        incident["source"] = {"reference": work.owner, "name": owner.name if owner else work.owner}
        incident["type"] = kind
        if subtype:
            incident["subtype"] = subtype
        incident["description"] = description
        street = part.road_names[0]
        incident["location"] = {
            "street": street if len(street) >= 2 else f"{street} ",  # the XSD wants two characters
            "polyline": " ".join(f"{lat:.{7}f} {lon:.{7}f}" for lon, lat in part.lonlat),
            "direction": "BOTH_DIRECTIONS" if work.closed_direction == ClosedDirection.BOTH.value
            else "ONE_DIRECTION",
        }
        if len(part.road_names) > 1:
            incident["location"]["location_description"] = ", ".join(part.road_names)
        incident["starttime"] = start
        incident["endtime"] = end
        if work.hours:
            incident["schedule"] = {"everyday": format_hours(work.hours)}
        out.append(incident)
    return out


def cifs_xml(incidents: Iterable[Mapping[str, Any]], now: datetime | None = None) -> bytes:
    """The CIFS XML document (UTF-8, with its declaration) of the incidents. Without any, it is an empty
    `<incidents>` (no closure now), which the XSD, wanting one incident at least, does not accept."""
    root = ElementTree.Element("incidents", timestamp=utc_text(now, datetime.now(timezone.utc)))
    for incident in incidents:
        element = ElementTree.SubElement(root, "incident", id=incident["id"])
        for name in ORDER:
            value = incident.get(name)
            if value is None:
                continue
            if name == "parent_event":
                ElementTree.SubElement(element, name, id=value["id"])
            elif isinstance(value, dict):
                child = ElementTree.SubElement(element, name)
                for key, text in value.items():
                    ElementTree.SubElement(child, key).text = text
            else:
                ElementTree.SubElement(element, name).text = value
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def cifs_json(incidents: Iterable[Mapping[str, Any]], now: datetime | None = None) -> dict[str, Any]:
    """The CIFS JSON document of the incidents, as Waze reads it: {"incidents": [{"incident": {...}}]}, each
    incident's location fields (street, polyline, direction) beside the others."""
    items = []
    for incident in incidents:
        flat = {key: value for key, value in incident.items() if key != "location"}
        flat.update(incident["location"])
        items.append({"incident": flat})
    return {"timestamp": utc_text(now, datetime.now(timezone.utc)), "incidents": items}
