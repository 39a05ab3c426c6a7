"""The push through OGC API Features Part 4 against pygeoapi with its PostgreSQL provider, over the platform's
PostGIS schema (its triggers: revision + 1, no real delete): works created, replaced and tombstoned by PUT,
every answer settled by reading the works back by uid; a stale replace is refused by the database and becomes
a conflict, never a lost update. Checked with psycopg2 on the database itself."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from situation_room_plugin.core.sources import Source
from situation_room_plugin.workflows import sync as sy
from tests.platform.conftest import free_port
from tests.servers.processes import pygeoapi_server
from tests.sync.helpers import add, delete, edit, new_work, outbox

CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 500, max_items: 1000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OpenStreetMap}}
logging:
  level: ERROR
metadata:
  identification: {{title: Situation Room platform, description: works, keywords: [works], keywords_type: theme,
                   terms_of_service: https://creativecommons.org/licenses/by/4.0/, url: http://127.0.0.1}}
  license: {{name: CC-BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}}
  provider: {{name: Test, url: http://127.0.0.1}}
  contact: {{name: Test, position: Test, address: x, city: Prato, stateorprovince: PO, postalcode: '59100',
             country: Italy, phone: '+39', fax: '+39', email: test@example.org, url: http://127.0.0.1,
             hours: always, instructions: none, role: pointOfContact}}
resources:
  works:
    type: collection
    title: works
    description: Works of every organisation
    keywords: [works]
    links: []
    extents:
      spatial: {{bbox: [10.9, 43.7, 11.3, 44.0], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: PostgreSQL
        editable: true
        data: {{host: 127.0.0.1, port: {pg_port}, dbname: {database}, user: {user}, password: ''}}
        id_field: uid
        table: works
        geom_field: geom
        storage_crs: http://www.opengis.net/def/crs/EPSG/0/6707
        crs: [http://www.opengis.net/def/crs/EPSG/0/6707, http://www.opengis.net/def/crs/OGC/1.3/CRS84]
"""


@pytest.fixture(scope="module")
def pygeoapi(cluster, tmp_path_factory) -> Iterator[tuple[Any, Any]]:
    from situation_room_platform import schema  # platform/ is on the path (tests.platform.conftest)

    cluster.psql(schema.postgis_sql())
    folder = tmp_path_factory.mktemp("pygeoapi")
    port = free_port()
    config = folder / "pygeoapi.yml"
    config.write_text(CONFIG.format(port=port, pg_port=cluster.port, database=cluster.database, user=cluster.user),
                      encoding="utf-8")
    openapi = folder / "openapi.yml"
    code = ("from pathlib import Path; from pygeoapi.openapi import generate_openapi_document as g; "
            f"Path({str(openapi)!r}).write_text(g(Path({str(config)!r}), 'yaml'))")
    made = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi), **os.environ})
    assert made.returncode == 0, made.stderr[-2000:]
    with pygeoapi_server(config, openapi, Path(folder), port) as started:
        yield started, cluster


def on_database(cluster, uid: str) -> tuple:
    import psycopg2

    with psycopg2.connect(host="127.0.0.1", port=cluster.port, dbname=cluster.database, user=cluster.user) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT title, revision, deleted, last_op_id FROM works WHERE uid = %s", (uid,))
            return cursor.fetchone()


def test_works_are_created_replaced_and_tombstoned_through_ogc_api_features(pygeoapi, tmp_path):
    from situation_room_plugin.qgis_io.sync_transport import OapifPlatform

    server, cluster = pygeoapi
    platform = OapifPlatform(server.base)
    source = Source(id="oapif", title="Piattaforma OGC API", owner="comune", kind="ogcapi_features",
                    url=server.base, layer="works", writable=True)
    store = tmp_path / "publiacqua.gpkg"
    created = [new_work(i) for i in range(3)]
    add(store, created, "anna", "publiacqua")
    first = sy.sync(store, source, "push", platform=platform)
    assert (first.sent, first.refused, first.failed) == (3, 0, 0), first.problems
    edit(store, created[0].uid, "anna", title="Rete idrica 0, via Roma")
    delete(store, created[1].uid)
    second = sy.sync(store, source, "push", platform=platform)
    assert (second.sent, second.refused) == (2, 0), second.problems
    title, revision, deleted, _ = on_database(cluster, created[0].uid)
    assert (title, revision, deleted) == ("Rete idrica 0, via Roma", 2, False)
    assert on_database(cluster, created[1].uid)[1:3] == (2, True)  # a tombstone, not a removed row
    assert on_database(cluster, created[2].uid)[1:3] == (1, False)
    assert outbox(store) == []


def test_a_stale_replace_is_refused_by_the_database_and_becomes_a_conflict(pygeoapi, tmp_path):
    from situation_room_plugin.qgis_io.sync_transport import OapifPlatform

    server, cluster = pygeoapi
    platform = OapifPlatform(server.base)
    source = Source(id="oapif", title="Piattaforma OGC API", owner="comune", kind="ogcapi_features",
                    url=server.base, layer="works", writable=True)
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    work = new_work(9)
    add(a, [work], "anna", "publiacqua")
    sy.sync(a, source, "push", platform=platform)
    sy.sync(b, source, "pull", platform=platform)  # pulled through the OGC API too (filter, sortby)
    edit(a, work.uid, "anna", title="Titolo di Publiacqua")
    edit(b, work.uid, "carla", title="Titolo del Comune")
    assert sy.sync(a, source, "push", platform=platform).sent == 1
    late = sy.sync(b, source, "push", platform=platform)
    assert late.sent == 0 and late.conflicts == 1  # the database refused the replace on the old revision
    assert on_database(cluster, work.uid)[:2] == ("Titolo di Publiacqua", 2)
    [case] = sy.open_conflicts(b)
    assert [(f.field, f.mine, f.theirs) for f in case.fields] == [("title", "Titolo del Comune",
                                                                   "Titolo di Publiacqua")]
    sy.resolve(b, case, "mine")
    assert sy.sync(b, source, "push", platform=platform).sent == 1
    assert on_database(cluster, work.uid)[:2] == ("Titolo del Comune", 3)
