"""The official WZDx 4.2 examples and a JSON Schema validator over the local copy of the schemas."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

SCHEMA_BASE = "https://raw.githubusercontent.com/usdot-jpo-ode/wzdx/main/schemas/4.2/"

#: Where an example is moved to put it in Prato (the examples are in Iowa): lon, lat of its first point.
PRATO_LONLAT = (11.0960, 43.8800)


def _geometry(kind: str, depth: int) -> dict[str, Any]:
    position: dict[str, Any] = {"type": "array", "minItems": 2, "items": {"type": "number"}}
    coordinates = position
    for _ in range(depth):
        coordinates = {"type": "array", "items": coordinates}
    return {"type": "object", "required": ["type", "coordinates"],
            "properties": {"type": {"enum": [kind]}, "coordinates": coordinates}}


#: The WZDx schemas refer to geojson.org's geometry schemas, which are not in ../shared/data and cannot be
#: fetched offline: these stand-ins check what those do for the three geometry types WZDx allows.
GEOJSON_STAND_INS = {
    "https://geojson.org/schema/Point.json": _geometry("Point", 0),
    "https://geojson.org/schema/LineString.json": {**_geometry("LineString", 1)},
    "https://geojson.org/schema/MultiPoint.json": _geometry("MultiPoint", 1),
}
GEOJSON_STAND_INS["https://geojson.org/schema/LineString.json"]["properties"]["coordinates"]["minItems"] = 2


def examples(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "feeds" / "wzdx-examples" / "WorkZoneFeed").glob("*.geojson"))


def schema_validator(data_dir: Path) -> Any:
    import jsonschema

    folder = data_dir / "feeds" / "schemas" / "wzdx-4.2"
    store = {SCHEMA_BASE + p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    store.update(GEOJSON_STAND_INS)
    root = store[SCHEMA_BASE + "WorkZoneFeed.json"]
    resolver = jsonschema.RefResolver(SCHEMA_BASE, root, store=store)
    return jsonschema.Draft7Validator(root, resolver=resolver)


def moved_to_prato(feed: dict[str, Any]) -> dict[str, Any]:
    """The same feed with every geometry shifted so that the first point lies in Prato's centre."""
    moved = copy.deepcopy(feed)
    first = moved["features"][0]["geometry"]["coordinates"][0]
    dx, dy = PRATO_LONLAT[0] - first[0], PRATO_LONLAT[1] - first[1]
    for feature in moved["features"]:
        feature["geometry"]["coordinates"] = [[x + dx, y + dy] for x, y in feature["geometry"]["coordinates"]]
    moved.pop("bbox", None)
    return moved
