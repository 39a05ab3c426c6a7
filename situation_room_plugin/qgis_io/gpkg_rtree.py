"""A GeoPackage's spatial index (a SQLite R*Tree virtual table: id, minx, maxx, miny, maxy) filled at once.

SQLite fills an R*Tree an entry at a time, about 14 µs each whatever the order (50,000 footprints: 0.7 s).
`bulk_load` writes the tree's three shadow tables directly, packed Sort-Tile-Recursive, in the format of
SQLite's rtree.c (what GDAL's GeoPackage driver also does since 3.9): the same entries, the same rounding of
coordinates to 32-bit floats, a tree SQLite then reads, searches, updates and checks (`rtreecheck`) as its own.

Node format (big-endian): 2 bytes the depth of the tree (root only), 2 bytes the number of cells, then cells
of 8 bytes (rowid in a leaf, child node number above) and 4 × 4-byte floats (minx, maxx, miny, maxy); every
node blob is as long as the root's. `<name>_rowid` gives each rowid's leaf, `<name>_parent` each node's parent.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np

#: rtree.c's RNDTOWARDS / RNDAWAY: how a double bound that a float cannot hold is widened.
_TOWARDS = 1.0 - 1.0 / 8388608.0
_AWAY = 1.0 + 1.0 / 8388608.0
_CELL = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])  # 24 bytes


def entries(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> tuple[np.ndarray, np.ndarray]:
    """(ids, boxes minx maxx miny maxy) of the rows a query gives as (id, minx, maxx, miny, maxy)."""
    cursor = conn.execute(sql, params)
    ids: list[np.ndarray] = []
    boxes: list[np.ndarray] = []
    # A part at a time: the rows of a large copy as Python tuples would take ten times their arrays.
    while rows := cursor.fetchmany(_PART):
        ids.append(np.array([row[0] for row in rows], dtype=np.int64))
        boxes.append(np.array(rows, dtype=np.float64)[:, 1:])
    if not ids:
        return np.empty(0, dtype=np.int64), np.empty((0, 4))
    return np.concatenate(ids), np.concatenate(boxes)


#: Rows read at a time by `entries`.
_PART = 20_000


def bulk_load(conn: sqlite3.Connection, rtree: str, ids: np.ndarray, boxes: np.ndarray) -> None:
    """Fill the empty R*Tree `rtree` with entries `ids` (distinct integers) and `boxes` (n × 4: minx, maxx,
    miny, maxy, finite, min <= max), as inserting them one by one would, only packed and faster."""
    (node_size,) = conn.execute(f'SELECT length(data) FROM "{rtree}_node" WHERE nodeno = 1').fetchone()
    (count,) = conn.execute(f'SELECT count(*) FROM "{rtree}_rowid"').fetchone()
    if count:
        raise ValueError(f"{rtree}: the R-tree is not empty ({count} entries)")
    ids = np.asarray(ids, dtype=np.int64)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if not len(ids):
        return
    if len(np.unique(ids)) != len(ids):
        raise ValueError(f"{rtree}: the same id twice")
    if not np.isfinite(boxes).all() or (boxes[:, 0] > boxes[:, 1]).any() or (boxes[:, 2] > boxes[:, 3]).any():
        raise ValueError(f"{rtree}: a box that is not finite or has a minimum above its maximum")
    capacity = (node_size - 4) // _CELL.itemsize
    box = np.empty((len(ids), 4), dtype=np.float32)
    box[:, 0::2] = _rounded_down(boxes[:, 0::2])
    box[:, 1::2] = _rounded_up(boxes[:, 1::2])

    # Bottom-up: each level is (the node of each entry, the entries' child ids, their boxes), entries sorted by
    # node; a level's nodes are the entries of the next, until one node (the root) holds them all.
    levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    children, level_boxes = ids, box
    while True:
        order, nodes = _packed(level_boxes, capacity)
        children, level_boxes = children[order], level_boxes[order]
        levels.append((nodes, children, level_boxes))
        node_count = int(nodes[-1]) + 1
        if node_count == 1:
            break
        starts = np.flatnonzero(np.r_[True, nodes[1:] != nodes[:-1]])
        parent_boxes = np.empty((node_count, 4), dtype=np.float32)
        parent_boxes[:, 0::2] = np.minimum.reduceat(level_boxes[:, 0::2], starts)
        parent_boxes[:, 1::2] = np.maximum.reduceat(level_boxes[:, 1::2], starts)
        children, level_boxes = np.arange(node_count, dtype=np.int64), parent_boxes  # node indexes, numbered below

    # Node numbers from the root down: the root is 1, the level below it 2, 3, ... and so on to the leaves.
    counts = [int(nodes[-1]) + 1 for nodes, _, _ in levels]
    first = np.cumsum([1, *counts[::-1]])[:-1][::-1]  # the number of each level's first node
    depth = len(levels) - 1
    blobs: list[tuple[int, bytes]] = []
    parents: list[tuple[int, int]] = []
    for level, (nodes, children, level_boxes) in enumerate(levels):
        numbers = nodes + first[level]
        if level:  # the children are the nodes of the level below: their numbers, and this level their parent
            children = children + first[level - 1]
            parents += zip(children.tolist(), numbers.tolist())
        blobs += _node_blobs(nodes, children, level_boxes, node_size, int(first[level]),
                             depth if level == depth else None)
    conn.execute(f'DELETE FROM "{rtree}_node"')
    conn.execute(f'DELETE FROM "{rtree}_parent"')
    conn.executemany(f'INSERT INTO "{rtree}_node" (nodeno, data) VALUES (?, ?)', blobs)
    conn.executemany(f'INSERT INTO "{rtree}_parent" (nodeno, parentnode) VALUES (?, ?)', parents)
    leaves, leaf_ids = levels[0][0] + first[0], levels[0][1]
    conn.executemany(f'INSERT INTO "{rtree}_rowid" (rowid, nodeno) VALUES (?, ?)',
                     zip(leaf_ids.tolist(), leaves.tolist()))


def _rounded_down(values: np.ndarray) -> np.ndarray:
    """rtree.c's rtreeValueDown: the float nearest the double, or just below when it lands above."""
    low = values.astype(np.float32)
    above = low > values
    low[above] = (values[above] * np.where(values[above] < 0, _AWAY, _TOWARDS)).astype(np.float32)
    return low


def _rounded_up(values: np.ndarray) -> np.ndarray:
    """rtree.c's rtreeValueUp: the float nearest the double, or just above when it lands below."""
    high = values.astype(np.float32)
    below = high < values
    high[below] = (values[below] * np.where(values[below] < 0, _TOWARDS, _AWAY)).astype(np.float32)
    return high


def _packed(boxes: np.ndarray, capacity: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort-Tile-Recursive packing of boxes into nodes of at most `capacity`: the order of the entries and,
    in that order, the node (0, 1, ...) of each. The map is cut into vertical slices by the boxes' centres,
    each slice into nodes from south to north; nodes hold within one entry of each other's count."""
    count = len(boxes)
    node_count = math.ceil(count / capacity)
    if node_count == 1:
        return np.arange(count), np.zeros(count, dtype=np.int64)
    slices = math.ceil(math.sqrt(node_count))
    centre_x = boxes[:, 0].astype(np.float64) + boxes[:, 1]
    centre_y = boxes[:, 2].astype(np.float64) + boxes[:, 3]
    by_x = np.argsort(centre_x, kind="stable")
    slice_of = np.empty(count, dtype=np.int64)
    slice_of[by_x] = np.arange(count) * slices // count
    order = np.lexsort((centre_y, slice_of))
    return order, np.arange(count, dtype=np.int64) * node_count // count


def _node_blobs(
    nodes: np.ndarray, children: np.ndarray, boxes: np.ndarray, node_size: int, first: int, depth: int | None
) -> list[tuple[int, bytes]]:
    """(node number, blob) of a level's nodes; `depth` written in the root's."""
    count = int(nodes[-1]) + 1
    starts = np.searchsorted(nodes, np.arange(count))
    slot = np.arange(len(nodes)) - starts[nodes]
    cells = np.empty(len(nodes), dtype=_CELL)
    cells["id"], cells["box"] = children, boxes
    matrix = np.zeros((count, node_size), dtype=np.uint8)
    # Each node's cells, as a view of its bytes after the 4 of its header (a byte index of every cell's every
    # byte would take 8 bytes a byte: 66 MB for 350,000 entries).
    capacity = (node_size - 4) // _CELL.itemsize
    slots = matrix[:, 4:4 + capacity * _CELL.itemsize].reshape(count, capacity, _CELL.itemsize)
    if not np.shares_memory(slots, matrix):  # (numpy gives a view for this shape; a copy would be lost)
        raise AssertionError("the cells' view of the nodes is a copy")
    slots[nodes, slot] = cells.view(np.uint8).reshape(-1, _CELL.itemsize)
    matrix[:, 2:4] = np.bincount(nodes, minlength=count).astype(">u2").view(np.uint8).reshape(-1, 2)
    if depth is not None:
        matrix[0, 0:2] = np.array([depth], dtype=">u2").view(np.uint8)
    return [(first + i, row.tobytes()) for i, row in enumerate(matrix)]
