"""Straight-line distances in kilometres, measured in a projected metric CRS (never degrees).

Positions are stored as WGS-84 lon/lat; here they are projected once to config.METRIC_CRS
(CGCS2000 / 3-degree Gauss-Krüger zone 37, metres) and measured with shapely's STRtree, so
"the nearest site to each of 20,000 villages" or "every village within 5 km of each of
20,000 candidates" costs one tree query, not a double loop.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer

from .. import config

METRES_PER_KM = 1000.0


@lru_cache(maxsize=4)
def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs(config.STORE_CRS, crs, always_xy=True)


def project(lons, lats, crs: str = config.METRIC_CRS) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 lon/lat to metres (x, y) in `crs`."""
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if not lons.size:
        return lons.copy(), lats.copy()
    return _transformer(crs).transform(lons, lats)


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Straight-line distance between two WGS-84 positions, in km."""
    (x1, x2), (y1, y2) = project([lon1, lon2], [lat1, lat2])
    return float(np.hypot(x2 - x1, y2 - y1) / METRES_PER_KM)


def _points(lons, lats) -> np.ndarray:
    x, y = project(lons, lats)
    return shapely.points(x, y)


def nearest_km(lons, lats, site_lons, site_lats) -> np.ndarray:
    """For each position, the distance in km to the nearest site; inf where there is none."""
    return nearest_km_each(lons, lats, [(site_lons, site_lats)])[0]


def nearest_km_each(lons, lats, site_sets) -> list[np.ndarray]:
    """nearest_km to each of several sets of sites ((lons, lats) pairs), projecting the
    positions once."""
    lons = np.asarray(lons, dtype=float)
    points = _points(lons, lats) if lons.size else None
    found = []
    for site_lons, site_lats in site_sets:
        out = np.full(lons.shape, np.inf)
        if lons.size and np.asarray(site_lons).size:
            tree = shapely.STRtree(_points(site_lons, site_lats))
            (index, _), distance = tree.query_nearest(points, return_distance=True, all_matches=False)
            out[index] = distance / METRES_PER_KM
        found.append(out)
    return found


def pairs_within(lons, lats, target_lons, target_lats, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with target j within `radius_km` of position i (inclusive), as two index
    arrays sorted by i."""
    lons = np.asarray(lons, dtype=float)
    if not lons.size or not np.asarray(target_lons).size:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    tree = shapely.STRtree(_points(target_lons, target_lats))
    sources, targets = tree.query(_points(lons, lats), predicate="dwithin",
                                  distance=radius_km * METRES_PER_KM)
    return sources.astype(np.intp), targets.astype(np.intp)
