"""Basemaps: our offline vector layers (default) and three online tile services.

Data are stored in WGS-84. 高德 tiles are drawn in GCJ-02, so with that basemap every overlay
is shifted to GCJ-02 (`Basemap.crs`, applied in one place: industry_map.Display). 天地图's
CGCS2000 and OpenStreetMap differ from WGS-84 by far less than a pixel here.
"""
from __future__ import annotations

from dataclasses import dataclass

from .coords import CoordSystem

TIANDITU_TOKEN_ENV = "FUPIN_TIANDITU_TOKEN"


@dataclass(frozen=True)
class TileSource:
    url: str
    attribution: str
    subdomains: str = ""
    max_native_zoom: int = 18


@dataclass(frozen=True)
class Basemap:
    key: str
    label: str
    crs: CoordSystem
    tiles: tuple[TileSource, ...] = ()
    needs_token: bool = False

    @property
    def online(self) -> bool:
        return bool(self.tiles)

    def tile_urls(self, token: str | None = None) -> list[str]:
        return [t.url.replace("{tk}", token or "") for t in self.tiles]


_TIANDITU = "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}"  # noqa: E501

BASEMAPS: dict[str, Basemap] = {
    b.key: b
    for b in (
        Basemap("offline", "离线矢量底图（默认）", CoordSystem.WGS84),
        Basemap(
            "tianditu", "天地图（需密钥）", CoordSystem.WGS84,
            tiles=(
                TileSource(_TIANDITU.replace("{layer}", "vec"), "天地图", "01234567"),
                TileSource(_TIANDITU.replace("{layer}", "cva"), "天地图", "01234567"),
            ),
            needs_token=True,
        ),
        Basemap(
            "amap", "高德地图", CoordSystem.GCJ02,
            tiles=(TileSource("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                              "高德地图", "1234"),),
        ),
        Basemap(
            "osm", "OpenStreetMap", CoordSystem.WGS84,
            tiles=(TileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                              "© OpenStreetMap 贡献者", max_native_zoom=19),),
        ),
    )
}
DEFAULT_BASEMAP = "offline"
