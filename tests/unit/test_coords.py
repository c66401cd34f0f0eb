"""fupin_geo.coords: WGS-84 / GCJ-02 / BD-09 conversions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from fupin_geo.geo import coords
from fupin_geo.geo.coords import (
    CRS_NAMES,
    CoordSystem,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    transform_geometry,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

EARTH_RADIUS_M = 6371008.8


def distance_m(lon1, lat1, lon2, lat2):
    """Haversine distance in metres (arrays welcome)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))


# Source: wandergis/coordtransform (JavaScript, MIT), test/app.js and README "result"
# block, input (116.404, 39.915).  Its gcj02towgs84 is the one-step approximation.
COORDTRANSFORM_INPUT = (116.404, 39.915)
COORDTRANSFORM_WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
COORDTRANSFORM_GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)
COORDTRANSFORM_BD09_TO_GCJ02 = (116.39762729119315, 39.90865673957631)
COORDTRANSFORM_GCJ02_TO_WGS84_APPROX = (116.39775550083061, 39.91359571849836)

# Source: googollee/eviltransform (MIT), python/test.py TESTS:
# (wgs lat, wgs lon, gcj lat, gcj lon) for Shanghai, Shenzhen, Beijing.
EVILTRANSFORM_PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]


def test_wgs84_to_gcj02_matches_coordtransform():
    lon, lat = wgs84_to_gcj02(*COORDTRANSFORM_INPUT)
    assert lon == pytest.approx(COORDTRANSFORM_WGS84_TO_GCJ02[0], abs=1e-9)
    assert lat == pytest.approx(COORDTRANSFORM_WGS84_TO_GCJ02[1], abs=1e-9)


def test_gcj02_to_bd09_matches_coordtransform():
    lon, lat = gcj02_to_bd09(*COORDTRANSFORM_INPUT)
    assert lon == pytest.approx(COORDTRANSFORM_GCJ02_TO_BD09[0], abs=1e-9)
    assert lat == pytest.approx(COORDTRANSFORM_GCJ02_TO_BD09[1], abs=1e-9)


def test_bd09_to_gcj02_close_to_coordtransform():
    # coordtransform uses Baidu's approximate inverse; ours is refined, so allow ~5 cm.
    lon, lat = bd09_to_gcj02(*COORDTRANSFORM_INPUT)
    assert distance_m(lon, lat, *COORDTRANSFORM_BD09_TO_GCJ02) < 0.05


def test_gcj02_to_wgs84_better_than_one_step():
    lon, lat = gcj02_to_wgs84(*COORDTRANSFORM_INPUT)
    # within the ~1-2 m error of the one-step approximation ...
    assert distance_m(lon, lat, *COORDTRANSFORM_GCJ02_TO_WGS84_APPROX) < 2.0
    # ... but an exact inverse: going forward again lands on the input.
    back = wgs84_to_gcj02(lon, lat)
    assert distance_m(*back, *COORDTRANSFORM_INPUT) < 0.001


@pytest.mark.parametrize("wgs_lat, wgs_lon, gcj_lat, gcj_lon", EVILTRANSFORM_PAIRS)
def test_eviltransform_pairs(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert lon == pytest.approx(gcj_lon, abs=1e-6)
    assert lat == pytest.approx(gcj_lat, abs=1e-6)
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert distance_m(lon, lat, wgs_lon, wgs_lat) < 0.01


def _grid(lon_min, lon_max, lat_min, lat_max, n=60):
    lon, lat = np.meshgrid(np.linspace(lon_min, lon_max, n), np.linspace(lat_min, lat_max, n))
    return lon.ravel(), lat.ravel()


GRIDS = {
    "zhanjiang": _grid(109.5, 111.0, 20.1, 22.0),
    "liuzhou": _grid(108.3, 110.2, 23.9, 26.1),
}


@pytest.mark.parametrize("region", sorted(GRIDS))
def test_wgs_gcj_round_trip_below_1cm(region):
    lon, lat = GRIDS[region]
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert distance_m(lon, lat, back_lon, back_lat).max() < 0.01
    # and the other way round (inverse first)
    fwd_lon, fwd_lat = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert distance_m(lon, lat, fwd_lon, fwd_lat).max() < 0.01


@pytest.mark.parametrize("region", sorted(GRIDS))
def test_bd09_round_trip(region):
    lon, lat = GRIDS[region]
    b_lon, b_lat = gcj02_to_bd09(*bd09_to_gcj02(lon, lat))
    assert distance_m(lon, lat, b_lon, b_lat).max() < 0.01
    w_lon, w_lat = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert distance_m(lon, lat, w_lon, w_lat).max() < 0.01


def test_shift_in_zhanjiang_is_500_to_600_m():
    lon, lat = GRIDS["zhanjiang"]
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    shift = distance_m(lon, lat, g_lon, g_lat)
    assert 450 < shift.min() and shift.max() < 650
    # 湛江 city centre (霞山)
    assert 500 < distance_m(110.36, 21.27, *wgs84_to_gcj02(110.36, 21.27)) < 600


@pytest.mark.parametrize(
    "func",
    [wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84],
)
@pytest.mark.parametrize("point", [(2.3522, 48.8566), (-74.006, 40.7128), (151.2, -33.87), (0.0, 0.0)])
def test_outside_china_passthrough(func, point):
    assert func(*point) == point


def test_scalar_returns_floats():
    lon, lat = wgs84_to_gcj02(110.36, 21.27)
    assert isinstance(lon, float) and isinstance(lat, float)


def test_array_input_matches_scalar_and_keeps_shape():
    lon = np.array([[110.36, 109.41], [2.35, 110.0]])
    lat = np.array([[21.27, 24.33], [48.86, 20.9]])
    out_lon, out_lat = wgs84_to_gcj02(lon, lat)
    assert out_lon.shape == lon.shape and out_lat.shape == lat.shape
    for idx in np.ndindex(lon.shape):
        assert (out_lon[idx], out_lat[idx]) == pytest.approx(wgs84_to_gcj02(lon[idx], lat[idx]))
    assert (out_lon[1, 0], out_lat[1, 0]) == (2.35, 48.86)  # mixed in/out of China
    # lists and broadcasting
    lons, lats = gcj02_to_wgs84([110.36, 110.37], 21.27)
    assert lons.shape == (2,) and lats.shape == (2,)


def test_inputs_not_mutated():
    lon = np.array([110.36, 109.41])
    lat = np.array([21.27, 24.33])
    gcj02_to_wgs84(lon, lat)
    bd09_to_wgs84(lon, lat)
    assert lon.tolist() == [110.36, 109.41] and lat.tolist() == [21.27, 24.33]


def test_transform_geometry():
    poly = shapely.Polygon([(110.0, 21.0), (110.1, 21.0), (110.1, 21.1), (110.0, 21.0)])
    moved = transform_geometry(poly, wgs84_to_gcj02)
    assert moved.geom_type == "Polygon" and moved.is_valid
    coords_in = np.asarray(poly.exterior.coords)
    coords_out = np.asarray(moved.exterior.coords)
    expected = np.column_stack(wgs84_to_gcj02(coords_in[:, 0], coords_in[:, 1]))
    np.testing.assert_allclose(coords_out, expected)
    back = transform_geometry(moved, gcj02_to_wgs84)
    np.testing.assert_allclose(np.asarray(back.exterior.coords), coords_in, atol=1e-8)
    # single point and arrays of geometries
    point = transform_geometry(shapely.Point(110.36, 21.27), wgs84_to_gcj02)
    assert (point.x, point.y) == pytest.approx(wgs84_to_gcj02(110.36, 21.27))
    arr = transform_geometry(np.array([poly, shapely.Point(1, 1)]), wgs84_to_gcj02)
    assert arr[1].equals(shapely.Point(1, 1))


def test_crs_names_and_convert():
    assert CRS_NAMES == ("wgs84", "gcj02", "bd09")
    assert [c.value for c in CoordSystem] == list(CRS_NAMES)
    p = (110.36, 21.27)
    assert convert(*p, "wgs84", "gcj02") == wgs84_to_gcj02(*p)
    assert convert(*p, CoordSystem.GCJ02, CoordSystem.BD09) == gcj02_to_bd09(*p)
    assert convert(*p, "BD-09", "WGS84") == bd09_to_wgs84(*p)
    assert convert(*p, "gcj02", "gcj02") == p
    with pytest.raises(ValueError):
        convert(*p, "wgs84", "epsg3857")


def test_constants_are_krasovsky():
    assert coords.KRASOVSKY_A == 6378245.0
    assert math.isclose(coords.KRASOVSKY_EE, 0.00669342162296594323)
