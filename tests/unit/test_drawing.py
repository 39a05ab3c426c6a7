"""Drawing a work: a line with a width becomes its footprint; the width comes from the street's lanes."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from situation_room_plugin.core.drawing import (
    LANE_WIDTH_M,
    footprint_from_line,
    footprint_from_ring,
    lanes_count,
    width_from_lanes,
)


@pytest.mark.parametrize(("lanes", "oneway", "expected"), [
    ("2", None, 2), ("2;3", None, 3), ("1.5", None, 2), (4, None, 4), (None, "yes", 1), (None, "-1", 1),
    (None, None, 2), ("", "no", 2), ("many", None, 2), ("0", "yes", 1), ("99", None, 2),
])
def test_lanes_from_osm_tags(lanes, oneway, expected):
    assert lanes_count(lanes, oneway) == expected


def test_default_width_is_the_carriageway():
    assert width_from_lanes("2") == 2 * LANE_WIDTH_M
    assert width_from_lanes(None, "yes") == LANE_WIDTH_M


def test_line_with_width_becomes_a_band_square_at_its_ends():
    footprint = footprint_from_line([(0, 0), (100, 0)], 7.0)
    assert footprint.geom_type == "MultiPolygon"
    assert footprint.area == pytest.approx(700.0)
    assert footprint.bounds == pytest.approx((0.0, -3.5, 100.0, 3.5))
    assert not footprint.contains(Point(101, 0))  # it stops where the line stops


def test_a_bend_keeps_the_width_on_both_legs():
    footprint = footprint_from_line([(0, 0), (50, 0), (50, 50)], 4.0)
    assert footprint.contains(Point(25, 1.9)) and footprint.contains(Point(48.1, 25))
    assert not footprint.contains(Point(25, 2.5))
    assert footprint.is_valid


def test_repeated_clicks_are_one_point():
    assert footprint_from_line([(0, 0), (0, 0), (10, 0), (10, 0.001)], 2.0).area == pytest.approx(20.0)
    with pytest.raises(ValueError, match="two distinct points"):
        footprint_from_line([(5, 5), (5, 5)], 3.5)


@pytest.mark.parametrize("width", [0.0, 0.1, -3, 100])
def test_width_out_of_range_is_refused(width):
    with pytest.raises(ValueError, match="width"):
        footprint_from_line([(0, 0), (10, 0)], width)


def test_polygon_from_clicks_and_a_crossing_ring_repaired():
    assert footprint_from_ring([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]).area == pytest.approx(100.0)
    bowtie = footprint_from_ring([(0, 0), (10, 10), (10, 0), (0, 10)])
    assert bowtie.is_valid and len(bowtie.geoms) == 2 and bowtie.area == pytest.approx(50.0)
    with pytest.raises(ValueError):
        footprint_from_ring([(0, 0), (10, 0)])
    with pytest.raises(ValueError, match="area"):
        footprint_from_ring([(0, 0), (5, 0), (10, 0)])
