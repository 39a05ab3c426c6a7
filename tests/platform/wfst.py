"""WFS-T requests as the sync client will send them to the platform (requests posting Transaction XML), and
the counts and messages of QGIS Server's answers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional
from xml.sax.saxutils import escape

import requests

NAMESPACES = ('xmlns:wfs="http://www.opengis.net/wfs" xmlns:ogc="http://www.opengis.net/ogc" '
              'xmlns:gml="http://www.opengis.net/gml" xmlns:qgs="http://www.qgis.org/gml"')

#: A small square in Prato (EPSG:6707, easting northing) as GML 2 (what WFS 1.0 and 1.1 both read).
SQUARE = ('<gml:MultiPolygon srsName="EPSG:6707"><gml:polygonMember><gml:Polygon><gml:outerBoundaryIs>'
          '<gml:LinearRing><gml:coordinates>664000,4858000 664012,4858000 664012,4858008 664000,4858008 '
          '664000,4858000</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>'
          '</gml:polygonMember></gml:MultiPolygon>')


@dataclass
class Answer:
    status: int
    text: str

    def total(self, what: str) -> Optional[int]:
        """totalInserted / totalUpdated / totalDeleted (WFS 1.1), None when the answer has none."""
        found = re.search(rf"<total{what}>(\d+)</total{what}>", self.text)
        return int(found.group(1)) if found else None

    @property
    def messages(self) -> list[str]:
        return re.findall(r"<Message>(.*?)</Message>", self.text, re.S)


def insert(typename: str, values: Mapping[str, Any], geometry: bool = True) -> str:
    props = "".join(f"<qgs:{k}>{escape(str(v))}</qgs:{k}>" for k, v in values.items())
    geom = f"<qgs:geometry>{SQUARE}</qgs:geometry>" if geometry else ""
    return f"<wfs:Insert><qgs:{typename}>{geom}{props}</qgs:{typename}></wfs:Insert>"


def equal(name: str, value: Any) -> str:
    return (f"<ogc:PropertyIsEqualTo><ogc:PropertyName>{name}</ogc:PropertyName>"
            f"<ogc:Literal>{escape(str(value))}</ogc:Literal></ogc:PropertyIsEqualTo>")


def update(typename: str, key: str, uid: str, base_revision: Optional[int], values: Mapping[str, Any]) -> str:
    """An Update of the record `key` = uid (and revision = base_revision when given) setting `values`."""
    props = "".join(f"<wfs:Property><wfs:Name>{k}</wfs:Name><wfs:Value>{escape(str(v))}</wfs:Value></wfs:Property>"
                    for k, v in values.items())
    condition = equal(key, uid)
    if base_revision is not None:
        condition = f"<ogc:And>{condition}{equal('revision', base_revision)}</ogc:And>"
    return f'<wfs:Update typeName="{typename}">{props}<ogc:Filter>{condition}</ogc:Filter></wfs:Update>'


def delete_by_id(typename: str, fid: str) -> str:
    return f'<wfs:Delete typeName="{typename}"><ogc:Filter><ogc:FeatureId fid="{fid}"/></ogc:Filter></wfs:Delete>'


def transaction(url: str, *actions: str, auth: Optional[tuple[str, str]], version: str = "1.1.0") -> Answer:
    body = f'<wfs:Transaction service="WFS" version="{version}" {NAMESPACES}>{"".join(actions)}</wfs:Transaction>'
    answer = requests.post(url, params={"SERVICE": "WFS", "VERSION": version, "REQUEST": "Transaction"},
                           data=body.encode("utf-8"), auth=auth, headers={"Content-Type": "text/xml"}, timeout=60)
    return Answer(answer.status_code, answer.text)


def features(url: str, typename: str, auth: Optional[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Every record of a layer as GeoJSON properties (with the feature id as `_id`), by key (uid or
    conflict_id)."""
    answer = requests.get(url, params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature",
                                       "TYPENAME": typename, "OUTPUTFORMAT": "GeoJSON"}, auth=auth, timeout=60)
    answer.raise_for_status()
    out = {}
    for feature in answer.json()["features"]:
        properties = {**feature["properties"], "_id": feature["id"], "_geometry": feature.get("geometry")}
        out[properties.get("uid") or properties.get("conflict_id")] = properties
    return out


def changes_after(url: str, typename: str, server_seq: int, auth: Optional[tuple[str, str]],
                  order: str = "ASC") -> list[dict[str, Any]]:
    """The records changed after `server_seq` (inserted, updated, tombstoned), in the order of their changes.
    QGIS Server 3.22 ignores SORTBY when the request has an OGC FILTER; with EXP_FILTER (a QGIS expression) it
    sorts."""
    answer = requests.get(url, params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature",
                                       "TYPENAME": typename, "OUTPUTFORMAT": "GeoJSON",
                                       "EXP_FILTER": f"server_seq > {int(server_seq)}",
                                       "SORTBY": f"server_seq {order}"}, auth=auth, timeout=60)
    answer.raise_for_status()
    return [feature["properties"] for feature in answer.json()["features"]]
