"""Any QGIS line layer as the arrays the road-graph builder takes, and the graph itself, built or taken from
the project GeoPackage's cache."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from qgis.core import (
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsGeometry,
    QgsProject,
)

from situation_room_plugin.core.errors import SituationRoomError
from situation_room_plugin.core.progress import Progress, advance
from situation_room_plugin.core.roads import ROAD_ATTRIBUTES, RoadGraph, RoadLines, RoadOptions, build_graph
from situation_room_plugin.qgis_io import graph_cache
from situation_room_plugin.qgis_io.layers import geometries_to_shapely, project_crs, to_python

LOG = logging.getLogger(__name__)



class RoadLayerError(SituationRoomError):
    """The road layer cannot be used (no CRS, no lines); the message says why."""


def field_map_for(source: QgsFeatureSource, field_map: Mapping[str, str] | None = None) -> dict[str, int]:
    """The index in the layer of each attribute the builder reads (matched case-insensitively; the
    OSM names unless `field_map` says otherwise). Attributes without a field are left out."""
    wanted = {name: (field_map or {}).get(name, name) for name in ROAD_ATTRIBUTES}
    names = {f.name().lower(): i for i, f in enumerate(source.fields())}
    return {name: names[field.lower()] for name, field in wanted.items() if field and field.lower() in names}


def read_road_lines(
    source: QgsFeatureSource,
    field_map: Mapping[str, str] | None = None,
    transform_context: QgsCoordinateTransformContext | None = None,
    progress: Progress | None = None,
) -> RoadLines:
    """The lines of a layer in EPSG:6707 with the attributes the graph builder reads, by feature id."""
    if not source.sourceCrs().isValid():
        raise RoadLayerError.of("roads_no_crs")
    indices = field_map_for(source, field_map)
    context = transform_context or QgsProject.instance().transformContext()
    transform = QgsCoordinateTransform(source.sourceCrs(), project_crs(), context)
    request = QgsFeatureRequest().setSubsetOfAttributes(sorted(set(indices.values())))
    total = max(source.featureCount(), 1)
    geometries: list[QgsGeometry | None] = []
    fids: list[int] = []
    columns: dict[str, list] = {name: [] for name in indices}
    for done, feature in enumerate(source.getFeatures(request)):
        geometry = QgsGeometry(feature.geometry()) if feature.hasGeometry() else None
        if geometry is not None and not transform.isShortCircuited():
            try:
                geometry.transform(transform)
            except Exception:  # noqa: BLE001 - QgsCsException: a line that cannot be projected is left out
                geometry = None
        geometries.append(geometry)
        fids.append(feature.id())
        attributes = feature.attributes()
        for name, index in indices.items():
            columns[name].append(to_python(attributes[index]))
        if done % 2000 == 0:
            advance(progress, done / total)
    shapes = geometries_to_shapely(geometries)
    return RoadLines(shapes, np.asarray(fids, dtype=np.int64), columns)


def road_graph(
    source: QgsFeatureSource,
    options: RoadOptions | None = None,
    store_path: str | Path | None = None,
    field_map: Mapping[str, str] | None = None,
    transform_context: QgsCoordinateTransformContext | None = None,
    progress: Progress | None = None,
) -> tuple[RoadGraph, bool, str]:
    """The road graph of a layer, whether it came from the cache of the project's store, and its cache key.

    The cache key is a digest of the lines read and the options: an edited road layer gets a new graph.
    """
    options = options or RoadOptions()
    lines = read_road_lines(source, field_map, transform_context, progress)
    key = f"{lines.fingerprint()}-{options.fingerprint()}"
    if store_path:
        cached = graph_cache.load(store_path, key)
        if cached is not None:
            return cached, True, key
    graph = build_graph(lines, options)
    if store_path:
        try:
            graph_cache.save(store_path, key, graph)
        except Exception as error:  # noqa: BLE001 - a cache that cannot be written costs time, not results
            LOG.warning("the road graph could not be cached in %s: %s", store_path, error)
    return graph, False, key


def remember(store_path: str | Path | None, key: str, graph: RoadGraph) -> None:
    """Cache the graph again, with what was derived from it since (its street detour table)."""
    if not store_path:
        return
    try:
        graph_cache.save(store_path, key, graph)
    except Exception as error:  # noqa: BLE001 - a cache that cannot be written costs time, not results
        LOG.warning("the road graph could not be cached in %s: %s", store_path, error)
