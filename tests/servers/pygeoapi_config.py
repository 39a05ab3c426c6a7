"""A pygeoapi configuration serving one GeoJSON file as an OGC API Features collection, and its OpenAPI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: {page}, max_items: {page}}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OpenStreetMap}}
logging:
  level: ERROR
metadata:
  identification:
    title: Situation Room test
    description: OGC API Features for tests
    keywords: [test]
    keywords_type: theme
    terms_of_service: https://creativecommons.org/licenses/by/4.0/
    url: http://127.0.0.1
  license: {{name: CC-BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}}
  provider: {{name: Test, url: http://127.0.0.1}}
  contact: {{name: Test, position: Test, address: x, city: Prato, stateorprovince: PO, postalcode: '59100',
             country: Italy, phone: '+39', fax: '+39', email: test@example.org, url: http://127.0.0.1,
             hours: always, instructions: none, role: pointOfContact}}
resources:
  {collection}:
    type: collection
    title: {collection}
    description: Planned works
    keywords: [works]
    links: []
    extents:
      spatial: {{bbox: [10.9, 43.7, 11.3, 44.0], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: GeoJSON
        data: {data}
        id_field: id
"""


def write_config(folder: Path, data: Path, collection: str, port: int, page: int = 50) -> tuple[Path, Path]:
    """The configuration and the OpenAPI document pygeoapi needs to start."""
    config = folder / "pygeoapi.yml"
    config.write_text(CONFIG.format(port=port, page=page, collection=collection, data=data), encoding="utf-8")
    openapi = folder / "openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    code = ("import sys; from pygeoapi.openapi import generate_openapi_document as g; "
            "from pathlib import Path; "
            f"Path({str(openapi)!r}).write_text(g(Path({str(config)!r}), 'yaml'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return config, openapi
