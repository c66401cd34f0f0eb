"""WGS-84 / GCJ-02 / BD-09 coordinate conversions (vectorised with numpy).

* WGS-84 (EPSG:4326): GPS, OpenStreetMap, GeoJSON (RFC 7946) and everything
  this app stores and draws.
* GCJ-02 ("火星坐标"): the obfuscated datum required for maps published in
  mainland China (高德/Amap, 腾讯, Google China tiles).  It is WGS-84 plus a
  smooth, non-linear offset of a few hundred metres (about 500-600 m in 湛江).
* BD-09: 百度 (Baidu) maps, GCJ-02 plus a second rotation/offset.

WGS-84 -> GCJ-02 and GCJ-02 -> BD-09 are closed formulas.  Their inverses have
no closed form; here they are solved by fixed-point iteration until the
residual is below ``_INVERSE_TOL_DEG`` (about 1e-9 degree, i.e. sub-millimetre),
not by the common one-step approximation (error up to ~1-2 m).

Every function accepts scalars or array-likes (broadcast together) and returns
a ``(lon, lat)`` pair of floats (scalar input) or numpy arrays.  Points outside
China's bounding box (the usual 72.004-137.8347 E, 0.8293-55.8271 N test) are
returned unchanged by every conversion, because GCJ-02 (and BD-09 on top of
it) is only defined inside China.
"""

from __future__ import annotations

from enum import Enum
from typing import Callable

import numpy as np
import shapely

__all__ = [
    "CRS_NAMES",
    "CoordSystem",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "out_of_china",
    "transform_geometry",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

# Semi-major axis (m) of the Krasovsky 1940 ellipsoid, which the GCJ-02 algorithm uses.
KRASOVSKY_A = 6378245.0
# First eccentricity squared of the Krasovsky 1940 ellipsoid (same origin).
KRASOVSKY_EE = 0.00669342162296594323
# Baidu's "x_pi" constant: pi * 3000 / 180, the angular scale of BD-09's extra wobble.
BD_X_PI = np.pi * 3000.0 / 180.0
# Constant BD-09 shift (degrees) applied after the rotation (from Baidu's published formula).
BD_DLON = 0.0065
BD_DLAT = 0.006
# Bounding box used by all common implementations to decide "inside China" (degrees).
CHINA_LON_MIN, CHINA_LON_MAX = 72.004, 137.8347
CHINA_LAT_MIN, CHINA_LAT_MAX = 0.8293, 55.8271
# Stop the inverse iterations when the residual is below this (degrees; ~0.1 mm).
_INVERSE_TOL_DEG = 1e-9
# Upper bound for inverse iterations (convergence needs ~5-10 in practice).
_INVERSE_MAX_ITER = 30


class CoordSystem(str, Enum):
    """The three coordinate systems used by Chinese web maps."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


CRS_NAMES: tuple[str, ...] = tuple(c.value for c in CoordSystem)


def _as_arrays(lon, lat):
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    scalar = lon_a.ndim == 0 and lat_a.ndim == 0
    lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    return lon_a, lat_a, scalar


def _result(lon, lat, scalar):
    if scalar:
        return float(lon), float(lat)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def out_of_china(lon, lat):
    """True where the point lies outside China's bounding box (no GCJ-02 offset)."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    return (
        (lon_a < CHINA_LON_MIN)
        | (lon_a > CHINA_LON_MAX)
        | (lat_a < CHINA_LAT_MIN)
        | (lat_a > CHINA_LAT_MAX)
    )


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lon, lat):
    """GCJ-02 minus WGS-84 (degrees) at a WGS-84 position; zero outside China."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - KRASOVSKY_EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (KRASOVSKY_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def _wgs_to_gcj(lon, lat):
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def _gcj_to_wgs(lon, lat):
    # Solve wgs + offset(wgs) = gcj by fixed-point iteration (the offset varies slowly).
    outside = out_of_china(lon, lat)
    wlon, wlat = lon.copy(), lat.copy()
    for _ in range(_INVERSE_MAX_ITER):
        glon, glat = _wgs_to_gcj(wlon, wlat)
        elon, elat = glon - lon, glat - lat
        wlon, wlat = wlon - elon, wlat - elat
        if np.all(np.abs(elon) < _INVERSE_TOL_DEG) and np.all(np.abs(elat) < _INVERSE_TOL_DEG):
            break
    return np.where(outside, lon, wlon), np.where(outside, lat, wlat)


def _gcj_to_bd_raw(lon, lat):
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * BD_X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * BD_X_PI)
    return z * np.cos(theta) + BD_DLON, z * np.sin(theta) + BD_DLAT


def _gcj_to_bd(lon, lat):
    outside = out_of_china(lon, lat)
    blon, blat = _gcj_to_bd_raw(lon, lat)
    return np.where(outside, lon, blon), np.where(outside, lat, blat)


def _bd_to_gcj_approx(lon, lat):
    x, y = lon - BD_DLON, lat - BD_DLAT
    z = np.hypot(x, y) - 0.00002 * np.sin(y * BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * BD_X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _bd_to_gcj(lon, lat):
    # Baidu's published inverse is itself approximate (~1e-7 deg); refine it the same way.
    outside = out_of_china(lon, lat)
    glon, glat = _bd_to_gcj_approx(lon, lat)
    for _ in range(_INVERSE_MAX_ITER):
        blon, blat = _gcj_to_bd_raw(glon, glat)
        elon, elat = blon - lon, blat - lat
        glon, glat = glon - elon, glat - elat
        if np.all(np.abs(elon) < _INVERSE_TOL_DEG) and np.all(np.abs(elat) < _INVERSE_TOL_DEG):
            break
    return np.where(outside, lon, glon), np.where(outside, lat, glat)


def wgs84_to_gcj02(lon, lat):
    """WGS-84 -> GCJ-02 (unchanged outside China)."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_wgs_to_gcj(lon_a, lat_a), scalar)


def gcj02_to_wgs84(lon, lat):
    """GCJ-02 -> WGS-84, iterative inverse (error < 0.01 m; unchanged outside China)."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj_to_wgs(lon_a, lat_a), scalar)


def gcj02_to_bd09(lon, lat):
    """GCJ-02 -> BD-09 (Baidu)."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj_to_bd(lon_a, lat_a), scalar)


def bd09_to_gcj02(lon, lat):
    """BD-09 (Baidu) -> GCJ-02, iteratively refined inverse."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_bd_to_gcj(lon_a, lat_a), scalar)


def wgs84_to_bd09(lon, lat):
    """WGS-84 -> BD-09 (via GCJ-02)."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj_to_bd(*_wgs_to_gcj(lon_a, lat_a)), scalar)


def bd09_to_wgs84(lon, lat):
    """BD-09 -> WGS-84 (via GCJ-02)."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj_to_wgs(*_bd_to_gcj(lon_a, lat_a)), scalar)


def _identity(lon, lat):
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(lon_a.copy(), lat_a.copy(), scalar)


_CONVERTERS: dict[tuple[str, str], Callable] = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "gcj02"): bd09_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
}


def _system_name(system: str | CoordSystem) -> str:
    name = system.value if isinstance(system, CoordSystem) else str(system).strip().lower()
    name = name.replace("-", "").replace("_", "")
    if name not in CRS_NAMES:
        raise ValueError(f"未知坐标系 {system!r}，可选：{', '.join(CRS_NAMES)}")
    return name


def convert(lon, lat, src: str | CoordSystem, dst: str | CoordSystem):
    """Convert ``(lon, lat)`` from ``src`` to ``dst`` (each one of ``CRS_NAMES``)."""
    src_name, dst_name = _system_name(src), _system_name(dst)
    if src_name == dst_name:
        return _identity(lon, lat)
    return _CONVERTERS[(src_name, dst_name)](lon, lat)


def transform_geometry(geom, func: Callable):
    """Apply a ``func(lon, lat) -> (lon, lat)`` pair function to every vertex of a
    shapely geometry (or array of geometries); returns new geometries."""

    def _apply(x: np.ndarray, y: np.ndarray):
        lon, lat = func(x, y)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    return shapely.transform(geom, _apply, interleaved=False)
