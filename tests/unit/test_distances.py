"""Straight-line distances in km, in the projected metric CRS."""
from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest

from fupin_geo import config
from fupin_geo.geo import distances


def test_the_metric_crs_is_projected_in_metres_and_covers_zhanjiang():
    crs = pyproj.CRS(config.METRIC_CRS)
    assert crs.is_projected and crs.axis_info[0].unit_name == "metre"
    west, _, east, _ = crs.area_of_use.bounds
    assert west <= 109.6 and east >= 111.0  # 湛江 spans about 109.6–110.9°E


def test_one_degree_of_meridian_at_21_5_degrees():
    """Hand value: the meridian's radius of curvature M = a(1−e²)/(1−e² sin²φ)^1.5 on GRS80
    (a = 6378137 m, e² = 0.00669438) at the mid-latitude φ = 21.5°; one degree is M·π/180
    = 110.724 km."""
    a, e2, phi = 6378137.0, 0.00669438, math.radians(21.5)
    expected_km = a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5 * math.pi / 180 / 1000
    assert expected_km == pytest.approx(110.724, abs=0.001)
    measured = distances.distance_km(110.0, 21.0, 110.0, 22.0)
    assert abs(measured - expected_km) / expected_km < 0.001


def test_an_east_west_pair_matches_the_geodesic():
    """雷州 to 廉江 (about 121.6 km): the projection's scale error is well under 0.1 %."""
    geodesic_km = pyproj.Geod(ellps="GRS80").inv(109.7, 21.2, 110.6, 20.5)[2] / 1000
    assert abs(distances.distance_km(109.7, 21.2, 110.6, 20.5) - geodesic_km) / geodesic_km < 0.001


def test_nearest_site_and_none():
    # two villages, one site 0.1° east of the second: the first is twice as far
    km = distances.nearest_km([110.0, 110.1], [21.0, 21.0], [110.2, 110.4], [21.0, 21.0])
    assert km[1] == pytest.approx(km[0] / 2, rel=1e-3)
    assert km[1] == pytest.approx(10.4, abs=0.1)  # 0.1° of longitude × cos 21° × 111.3 km
    assert np.isinf(distances.nearest_km([110.0], [21.0], [], [])).all()
    assert distances.nearest_km([], [], [110.0], [21.0]).size == 0


def test_pairs_within_a_radius():
    # targets 1.04 km and 10.4 km east of the position
    sources, targets = distances.pairs_within([110.0], [21.0], [110.01, 110.1], [21.0, 21.0], 5)
    assert sources.tolist() == [0] and targets.tolist() == [0]
    sources, targets = distances.pairs_within([110.0], [21.0], [110.01, 110.1], [21.0, 21.0], 11)
    assert sorted(targets.tolist()) == [0, 1]
