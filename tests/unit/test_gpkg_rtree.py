"""The R-tree filled at once holds what SQLite's own inserts would, and SQLite searches and edits it as its own."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from situation_room_plugin.qgis_io.gpkg_rtree import bulk_load

QUERY = "SELECT id FROM r WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id"


def two_trees(count: int, seed: int = 1, page_size: int = 4096):
    """The same random entries put in an R-tree by SQL inserts and by bulk_load (boxes around the world, some
    points, coordinates that 32-bit floats cannot hold)."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-2e6, 2e6, count), rng.uniform(-6e6, 6e6, count)
    width = np.where(rng.random(count) < 0.1, 0.0, rng.uniform(0, 800, count))
    boxes = np.c_[x, x + width, y, y + 2 * width]
    ids = rng.permutation(10 * count + 1)[:count] + 1
    trees = []
    for _ in range(2):
        conn = sqlite3.connect(":memory:")
        conn.execute(f"PRAGMA page_size = {page_size}")
        conn.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
        trees.append(conn)
    trees[0].executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", zip(ids.tolist(), *boxes.T.tolist()))
    bulk_load(trees[1], "r", ids, boxes)
    return trees, rng


@pytest.mark.parametrize("count", [0, 1, 51, 52, 2_601, 2_602, 20_000])
def test_bulk_loaded_tree_holds_and_finds_what_sql_inserts_would(count):
    (by_sql, bulk), rng = two_trees(count)
    assert bulk.execute("SELECT rtreecheck('r')").fetchone() == ("ok",)
    assert bulk.execute("SELECT * FROM r ORDER BY id").fetchall() == by_sql.execute(
        "SELECT * FROM r ORDER BY id").fetchall()  # the same 32-bit bounds, rounded outwards alike
    for _ in range(100):
        cx, cy, half = rng.uniform(-2e6, 2e6), rng.uniform(-6e6, 6e6), rng.uniform(0, 2e5)
        window = (cx - half, cx + half, cy - half, cy + half)
        assert bulk.execute(QUERY, window).fetchall() == by_sql.execute(QUERY, window).fetchall()


def test_sqlite_edits_a_bulk_loaded_tree_as_its_own():
    (by_sql, bulk), _ = two_trees(5_000, seed=2)
    for conn in (by_sql, bulk):
        conn.execute("DELETE FROM r WHERE id % 3 = 0")  # nodes left under-full are dissolved and reinserted
        conn.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)",
                         [(10**9 + i, i, i + 5, -i, -i + 5) for i in range(500)])
        conn.execute("UPDATE r SET minx = minx - 10 WHERE id % 7 = 0")
    assert bulk.execute("SELECT rtreecheck('r')").fetchone() == ("ok",)
    assert bulk.execute("SELECT * FROM r ORDER BY id").fetchall() == by_sql.execute(
        "SELECT * FROM r ORDER BY id").fetchall()
    window = (-1e5, 1e5, -1e5, 1e5)
    assert bulk.execute(QUERY, window).fetchall() == by_sql.execute(QUERY, window).fetchall()


def test_smaller_pages_make_smaller_nodes():
    (by_sql, bulk), _ = two_trees(3_000, page_size=1024)  # 39 cells a node instead of 51
    assert bulk.execute("SELECT rtreecheck('r')").fetchone() == ("ok",)
    sizes = {size for (size,) in bulk.execute("SELECT DISTINCT length(data) FROM r_node")}
    assert sizes == {1024 - 64}
    assert bulk.execute("SELECT count(*) FROM r").fetchone() == by_sql.execute("SELECT count(*) FROM r").fetchone()


def test_what_sql_would_refuse_is_refused_and_nothing_written():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
    with pytest.raises(ValueError, match="minimum above its maximum"):
        bulk_load(conn, "r", np.array([1, 2]), np.array([[0, 1, 0, 1], [5, 4, 0, 1]]))
    with pytest.raises(ValueError, match="not finite"):
        bulk_load(conn, "r", np.array([1]), np.array([[0, np.nan, 0, 1]]))
    with pytest.raises(ValueError, match="the same id twice"):
        bulk_load(conn, "r", np.array([1, 1]), np.array([[0, 1, 0, 1], [0, 1, 0, 1]]))
    assert conn.execute("SELECT rtreecheck('r')").fetchone() == ("ok",)
    conn.execute("INSERT INTO r VALUES (1, 0, 1, 0, 1)")
    with pytest.raises(ValueError, match="not empty"):
        bulk_load(conn, "r", np.array([2]), np.array([[0, 1, 0, 1]]))
    assert conn.execute("SELECT id FROM r").fetchall() == [(1,)]
