"""Builders for feed tests: works features in a utility's own field names, placed in Prato."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qgis.core import QgsApplication, QgsAuthMethodConfig

from situation_room_plugin.core.sources import FieldMapping, Source
from situation_room_plugin.qgis_io import feed_cache, gpkg
from situation_room_plugin.qgis_io.store import Store

#: How Publiacqua's planned works might be published: Italian names, dd/mm/yyyy dates, its own words.
PUBLIACQUA_MAPPING = FieldMapping(
    fields={"Oggetto": "title", "Data prevista inizio lavori": "start_date", "Data prevista fine lavori": "end_date",
            "Tipo intervento": "work_type", "Viabilita": "traffic_impact", "Codice": "permit_ref"},
    values={"work_type": {"Scavo": "excavation", "Manutenzione rete": "network_maintenance"},
            "traffic_impact": {"Strada chiusa": "all-lanes-closed", "Senso unico alternato": "alternating-one-way"}},
    date_formats={"start_date": ["%d/%m/%Y"], "end_date": ["%d/%m/%Y"]},
)


def square_lonlat(lon: float, lat: float, size: float = 0.0002) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def publiacqua_feature(i: int, **overrides: Any) -> dict[str, Any]:
    props = {"Codice": f"PA-{i:05d}", "Oggetto": f"Rete idrica, intervento {i}",
             "Data prevista inizio lavori": "02/03/2026", "Data prevista fine lavori": "20/03/2026",
             "Tipo intervento": "Scavo", "Viabilita": "Senso unico alternato"}
    geometry = overrides.pop("geometry", square_lonlat(11.08 + (i % 100) * 0.0004, 43.87 + (i // 100) * 0.0004))
    props.update(overrides)
    return {"type": "Feature", "id": f"PA-{i:05d}", "geometry": geometry, "properties": props}


def write_collection(path: Path, features: list[dict[str, Any]], **extra: Any) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}), encoding="utf-8")
    return path


def publiacqua_source(url: str, kind: str = "geojson_url", **overrides: Any) -> Source:
    values = {"id": "publiacqua", "title": "Cantieri Publiacqua", "owner": "publiacqua", "kind": kind, "url": url,
              "mapping": PUBLIACQUA_MAPPING}
    values.update(overrides)
    return Source(**values)


def basic_authcfg(user: str, password: str) -> str:
    """A Basic authentication entry in the test profile's QGIS authentication database; its id."""
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("situation-room-tests", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName(f"{user} test")
    config.setConfig("username", user)
    config.setConfig("password", password)
    stored = manager.storeAuthenticationConfig(config)
    assert stored if isinstance(stored, bool) else stored[0]
    return config.id()


def cached_works(store: Store, source_id: str) -> list[dict[str, Any]]:
    """A source's works as the refresh left them in the store's cache: their fields, and `geometry`."""
    with store.transaction() as conn:
        cursor = conn.execute(f"SELECT * FROM {feed_cache.WORKS_TABLE} WHERE source_id = ? ORDER BY fid",
                              (source_id,))
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor]
    for row in rows:
        row["geometry"] = gpkg.decode(row.pop("geom"))
    return rows
