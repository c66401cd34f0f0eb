"""Where overlays are drawn: stored WGS-84 positions shifted to the basemap's system.

The one place that knows about the shift: map builders pass every coordinate through a
Display, and clicks come back through `to_store`.
"""
from __future__ import annotations

from dataclasses import dataclass

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

    def to_store(self, lon: float, lat: float) -> tuple[float, float]:
        """A position on the map (e.g. a click) back in WGS-84."""
        if not self.shifted:
            return lon, lat
        back = convert(lon, lat, self.crs, CoordSystem.WGS84)
        return float(back[0]), float(back[1])


WGS84_DISPLAY = Display()
