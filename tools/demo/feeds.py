"""The partners' feeds of the demo, each in its own format, so that the field mappings are seen at work:

- the platform's `works` table (served by QGIS Server as a WFS): the works of the Comune, Publiacqua, Alia,
  CAP and Consiag, written straight into the platform's database as its server-side data;
- Toscana Energia's GeoJSON file with Italian field names, values and dd/mm/yyyy dates (its mapping below);
- Estracom's WZDx 4.2 feed (made with the plugin's own WZDx writer);
- the Comune's protected streets (resurfaced last spring) as a GeoJSON file with `protected_until`;
- the sources registry that reads the first three into the project's store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from situation_room_plugin.core.exports.wzdx import wzdx_feed
from situation_room_plugin.core.owners import OwnerRegistry
from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.core.sources import FieldMapping, Role, Source, SourceKind
from situation_room_plugin.core.utm import from_utm32
from situation_room_plugin.core.works import FIELD_NAMES, Work
from situation_room_plugin.qgis_io import gpkg
from situation_room_plugin.qgis_io.schema import SRS_ID
from tools.demo.seed import Protected, Seed

#: Whose works each feed carries (the platform carries everyone else's).
GEOJSON_OWNER = "toscana_energia"
WZDX_OWNER = "estracom"
PLATFORM_OWNERS = ("comune", "publiacqua", "alia", "cap", "consiag")

#: Toscana Energia's own names for the works fields and values, and the mapping that reads them.
ITALIAN_FIELDS = {"uid": "codice", "title": "titolo", "description": "descrizione", "work_type": "tipo_lavoro",
                  "status": "stato", "start_date": "data_inizio", "end_date": "data_fine",
                  "daily_hours": "orario", "traffic_impact": "viabilita", "excavation": "scavo",
                  "earliest_start": "inizio_possibile", "latest_end": "fine_entro", "contact": "referente",
                  "source": "fonte"}
ITALIAN_VALUES = {
    "work_type": {"excavation": "Scavo", "network_maintenance": "Manutenzione rete",
                  "new_connection": "Nuovo allaccio", "other": "Altro"},
    "status": {"planned": "Programmato", "authorized": "Autorizzato", "draft": "Bozza"},
    "traffic_impact": {"all-lanes-closed": "Strada chiusa", "some-lanes-closed": "Restringimento",
                       "alternating-one-way": "Senso unico alternato", "all-lanes-open": "Nessuna"},
}
DATE_FORMAT = "%d/%m/%Y"
_DATES = ("start_date", "end_date", "earliest_start", "latest_end")


def geojson_mapping() -> FieldMapping:
    values = {field: {italian: value for value, italian in table.items()} for field, table in ITALIAN_VALUES.items()}
    return FieldMapping(fields={italian: name for name, italian in ITALIAN_FIELDS.items()}, values=values,
                        date_formats={name: [DATE_FORMAT] for name in _DATES}, defaults={"owner": GEOJSON_OWNER})


def lonlat(geometry: BaseGeometry) -> BaseGeometry:
    """A geometry in EPSG:6707 as longitude/latitude (EPSG:4326), rounded to 7 decimals (1 cm)."""
    def move(xy: Any) -> Any:
        out = xy.copy()
        for i, (x, y) in enumerate(xy):
            lon, lat = from_utm32(float(x), float(y))
            out[i] = (round(lon, 7), round(lat, 7))
        return out

    return shapely.transform(geometry, move)


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return path


def write_geojson_feed(path: Path, works: Sequence[Work]) -> Path:
    features = []
    for work in works:
        properties: dict[str, Any] = {}
        for name, italian in ITALIAN_FIELDS.items():
            value = getattr(work, name)
            if name in _DATES:
                value = value.strftime(DATE_FORMAT) if value else None
            elif name in ITALIAN_VALUES:
                value = ITALIAN_VALUES[name][value]
            elif name == "excavation":
                value = "sì" if value else "no"
            properties[italian] = value
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(lonlat(work.geometry))})
    return write_json(path, {"type": "FeatureCollection", "name": "cantieri_toscana_energia", "features": features})


def write_wzdx_feed(path: Path, works: Sequence[Work], graph: RoadGraph, today: Any) -> Path:
    now = datetime.combine(today, time(6, 0), tzinfo=timezone.utc)  # the same feed on every run of a day
    feed, _ = wzdx_feed(works, OwnerRegistry(), graph, now=now)
    return write_json(path, feed)


def write_protected(path: Path, protected: Sequence[Protected]) -> Path:
    features = [{"type": "Feature", "properties": {"name": p.name, "street": p.street,
                                                   "resurfaced": p.resurfaced.isoformat(),
                                                   "protected_until": p.protected_until.isoformat()},
                 "geometry": mapping(lonlat(p.geometry))} for p in protected]
    return write_json(path, {"type": "FeatureCollection", "name": "strade_protette", "features": features})


def seed_platform(geopackage: Path, works: Sequence[Work]) -> int:
    """The works written into the platform's `works` table as the server's own data (the triggers stamp
    revision, server_seq and updated_at); a uid already there is left as it is. How many were written."""
    conn = sqlite3.connect(str(geopackage), isolation_level=None)
    try:
        gpkg.register_functions(conn)
        have = {row[0] for row in conn.execute("SELECT uid FROM works")}
        names = [name for name in FIELD_NAMES if name not in ("created_at", "updated_at")]
        columns = ", ".join(f'"{name}"' for name in (*names, "geom"))
        marks = ", ".join("?" for _ in range(len(names) + 1))
        written = 0
        conn.execute("BEGIN")
        for work in works:
            if work.uid in have:
                continue
            values = [gpkg.sql_value(getattr(work, name)) for name in names]
            conn.execute(f"INSERT INTO works ({columns}) VALUES ({marks})",
                         [*values, gpkg.encode(work.geometry, SRS_ID)])
            written += 1
        conn.execute("COMMIT")
        return written
    finally:
        conn.close()


def sources(platform_url: str, geojson: Path, wzdx: Path, authcfg: str = "") -> list[Source]:
    """The project's sources: the platform's WFS (writable, as the Comune's demo user of `authcfg`, when one is
    given), Toscana Energia's GeoJSON, Estracom's WZDx feed."""
    return [
        Source("platform", "Piattaforma Situation Room (WFS)", "comune", SourceKind.WFS.value,
               f"{platform_url}/ows/", layer="works", version="1.1.0", role=Role.WORKS.value, authcfg=authcfg,
               writable=bool(authcfg)),
        Source("toscana_energia", "Cantieri Toscana Energia (GeoJSON)", GEOJSON_OWNER,
               SourceKind.GEOJSON_FILE.value, str(geojson), mapping=geojson_mapping(), crs="EPSG:4326"),
        Source("estracom", "Cantieri Estracom (WZDx)", WZDX_OWNER, SourceKind.WZDX.value, str(wzdx)),
    ]


def write_feeds(folder: Path, seed: Seed, graph: RoadGraph) -> dict[str, Path]:
    """Toscana Energia's GeoJSON, Estracom's WZDx and the protected streets in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "geojson": write_geojson_feed(folder / "cantieri_toscana_energia.geojson", seed.owned_by([GEOJSON_OWNER])),
        "wzdx": write_wzdx_feed(folder / "estracom_wzdx.geojson", seed.owned_by([WZDX_OWNER]), graph, seed.today),
        "protected": write_protected(folder / "strade_protette.geojson", seed.protected),
    }
