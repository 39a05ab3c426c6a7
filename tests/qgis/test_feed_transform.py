"""Feed geometries moved to EPSG:6707 in one call agree with QGIS moving them one by one."""

from __future__ import annotations

import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

from situation_room_plugin.core.mapping import FeedRecord
from situation_room_plugin.qgis_io import sources as feeds


def one_by_one(geometry, crs):
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem(crs), QgsCoordinateReferenceSystem("EPSG:6707"),
                                       QgsProject.instance())
    moved = QgsGeometry.fromWkt(geometry.wkt)
    moved.transform(transform)
    return shapely.from_wkt(moved.asWkt(6))


def test_geometries_moved_together_land_where_qgis_puts_each_one(qgis_new_project):
    shapes = [shapely.box(11.09, 43.88, 11.0902, 43.8802), shapely.LineString([(11.1, 43.87), (11.11, 43.875)]),
              shapely.Point(11.05, 43.9), None,
              shapely.MultiPolygon([shapely.box(11.0, 43.8, 11.001, 43.801), shapely.box(11.2, 43.9, 11.201, 43.901)])]
    records = [FeedRecord(str(i), {}, g) for i, g in enumerate(shapes)]
    moved, problems = feeds.to_project_crs(records, "EPSG:4326", QgsProject.instance().transformContext(), "t")
    assert problems == []
    for original, record in zip(shapes, moved):
        if original is None:
            assert record.geometry is None
            continue
        assert record.geometry.geom_type == original.geom_type
        assert shapely.equals_exact(record.geometry, one_by_one(original, "EPSG:4326"), tolerance=0.001)


def test_a_3d_feed_is_moved_too(qgis_new_project):
    records = [FeedRecord("1", {}, shapely.Point(11.05, 43.9, 40.0))]
    moved, _ = feeds.to_project_crs(records, "EPSG:4326", QgsProject.instance().transformContext(), "t")
    x, y = moved[0].geometry.x, moved[0].geometry.y
    assert 660_000 < x < 675_000 and 4_855_000 < y < 4_870_000
