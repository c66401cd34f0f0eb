"""Where overlays are drawn: stored WGS-84 positions shifted to the basemap's system.

The one place that knows about the shift: map builders pass every coordinate through a
Display, and clicks come back through `to_store`.
"""
from __future__ import annotations

from dataclasses import dataclass

import math

import numpy as np

from .. import config
from .coords import CoordSystem, convert, transform_geometry


@dataclass(frozen=True)
class Display:
    crs: CoordSystem = CoordSystem.WGS84

    @property
    def shifted(self) -> bool:
        return self.crs != CoordSystem.WGS84

    def xy(self, lons, lats) -> tuple[np.ndarray, np.ndarray]:
        lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        if self.shifted and lons.size:
            lons, lats = convert(lons, lats, CoordSystem.WGS84, self.crs)
        return np.round(lons, config.COORD_DECIMALS), np.round(lats, config.COORD_DECIMALS)

    def geometry(self, geometry):
        if not self.shifted:
            return geometry
        return transform_geometry(geometry, lambda x, y: convert(x, y, CoordSystem.WGS84, self.crs))

    def bounds(self, bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        (minx, maxx), (miny, maxy) = self.xy([bounds[0], bounds[2]], [bounds[1], bounds[3]])
        return float(minx), float(miny), float(maxx), float(maxy)

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        """A WGS-84 (lat, lon) as drawn on this display, (lat, lon) order as Leaflet wants."""
        (x,), (y,) = self.xy([lon], [lat])
        return float(y), float(x)

    def to_store(self, lon: float, lat: float) -> tuple[float, float]:
        """A position on the map (e.g. a click) back in WGS-84."""
        if not self.shifted:
            return lon, lat
        back = convert(lon, lat, self.crs, CoordSystem.WGS84)
        return float(back[0]), float(back[1])


WGS84_DISPLAY = Display()


def _mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, as a fraction of the world's height (0 at the top)."""
    rad = math.radians(lat)
    return (1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2


def _mercator_lat(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def fit_view(bounds: tuple[float, float, float, float], width_px: int = config.MAP_FIT_WIDTH_PX,
             height_px: int = config.MAP_HEIGHT, *, min_zoom: float = config.MIN_ZOOM,
             max_zoom: float = config.MAX_ZOOM, snap: float = config.ZOOM_SNAP) -> tuple[float, float, float]:
    """The (lat, lon, zoom) that shows `bounds` (minx, miny, maxx, maxy) whole in a map of
    the given size: Leaflet's own fitBounds (Web Mercator, 256 px tiles, zoom snapped down),
    so a map can be moved there with a centre and a zoom instead of a fitBounds in its script.
    """
    minx, miny, maxx, maxy = bounds
    left, right = (minx + 180) / 360, (maxx + 180) / 360
    top, bottom = _mercator_y(maxy), _mercator_y(miny)
    dx, dy = max(right - left, 1e-12), max(bottom - top, 1e-12)
    zoom = math.log2(min(width_px / (dx * 256), height_px / (dy * 256)))
    zoom = min(max(math.floor(zoom / snap) * snap, min_zoom), max_zoom)
    lon = (left + right) / 2 * 360 - 180
    return round(_mercator_lat((top + bottom) / 2), 6), round(lon, 6), zoom
