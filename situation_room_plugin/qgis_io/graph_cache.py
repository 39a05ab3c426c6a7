"""The road-graph cache in the project GeoPackage: graphs keyed by a digest of their road lines and
options, so that the analyses of a project reuse the graph they built (the table is created by the
store migration `0003_road_graph_cache`)."""

from __future__ import annotations

import logging
from pathlib import Path

from situation_room_plugin.core.roads import RoadGraph
from situation_room_plugin.qgis_io.schema import GRAPH_CACHE_TABLE
from situation_room_plugin.qgis_io.store import Store, StoreError

LOG = logging.getLogger(__name__)

#: How many graphs a store keeps (the most recent ones): a road layer edited often must not fill the file.
KEEP = 3


def load(store_path: str | Path, key: str) -> RoadGraph | None:
    """The cached graph with this key, or None (also when the store cannot give it now: a cache miss costs
    time, not results)."""
    if not Path(store_path).exists():
        return None
    with Store.open(store_path, create=False) as store:
        try:
            with store.reading() as conn:
                row = conn.execute(f"SELECT graph FROM {GRAPH_CACHE_TABLE} WHERE key = ?", (key,)).fetchone()
        except StoreError as error:
            if error.problem.code not in ("store_locked", "store_outdated"):
                raise
            LOG.info("no cached road graph: %s", error)
            return None
        if row is None:
            return None
        try:  # the graph was used: kept among the most recent (best effort)
            with store.transaction() as conn:
                conn.execute(f"UPDATE {GRAPH_CACHE_TABLE} SET used_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                             "WHERE key = ?", (key,))
        except StoreError as error:
            if error.problem.code != "store_locked":
                raise
            LOG.info("the cached road graph's use could not be recorded: %s", error)
    return RoadGraph.from_bytes(row[0])


def save(store_path: str | Path, key: str, graph: RoadGraph) -> None:
    """Keep a graph under a key (replacing one with the same key), and only the KEEP most recent."""
    blob = graph.to_bytes()
    with Store.open(store_path) as store, store.transaction() as conn:
        conn.execute(f"DELETE FROM {GRAPH_CACHE_TABLE} WHERE key = ?", (key,))
        conn.execute(
            f"INSERT INTO {GRAPH_CACHE_TABLE} (key, nodes, edges, graph) VALUES (?, ?, ?, ?)",
            (key, graph.node_count, graph.edge_count, blob),
        )
        conn.execute(
            f"DELETE FROM {GRAPH_CACHE_TABLE} WHERE key NOT IN "
            f"(SELECT key FROM {GRAPH_CACHE_TABLE} ORDER BY used_at DESC, fid DESC LIMIT {KEEP})"
        )


def cached_keys(store_path: str | Path) -> list[str]:
    with Store.open(store_path, create=False) as store, store.reading() as conn:
        return [k for (k,) in conn.execute(f"SELECT key FROM {GRAPH_CACHE_TABLE} ORDER BY used_at DESC, fid DESC")]
