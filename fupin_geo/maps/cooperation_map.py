"""The 湛柳协作 map: both cities' counties, the pairings and the flows between them as arcs.

The base map never changes with the page's filters (a changed base script makes the browser
rebuild the map): it always fits both cities, and the page zooms to one city with `center`
and `zoom`. Arcs come as layers the page swaps in.

The land under it is 广东 and 广西 whole and their neighbours (geodata.provinces), so the
land between the two cities is drawn as land. County names are placed for every zoom step so
that none overlaps another (label_placement).
"""
from __future__ import annotations

import functools
import math

import folium

from .. import config
from ..analysis.cooperation import Arc
from ..data import geodata
from . import label_placement, static_geojson
from .common import CONTEXT_STYLE, COUNTY_STYLE, feature_collection
from .elements import ArcLayer, GeoJsonLayer, Legend, OfflineMap
from .elements.placed_labels import PlacedLabels

PAIRED_STYLE = dict(COUNTY_STYLE, fillColor="#f3dfc1")
# 广东 and 广西 as the land the two cities lie in, with their shared border drawn; the land
# around them paler, so the two provinces read as the subject.
PAIR_PROVINCE_STYLE = dict(CONTEXT_STYLE, color="#a89f8d", weight=1.0)
NEIGHBOUR_STYLE = dict(CONTEXT_STYLE, fillColor="#eeebe4")
# Both cities (湛江 at 20–22°N, 柳州 at 24–26°N) fit one map only from zoom 6.
MIN_ZOOM = 6
# The map snaps to quarter zooms (OfflineMap's zoom_snap), so names are placed for each.
LABEL_ZOOM_STEP = 0.25
CITIES = {"both": "两市", config.ZHANJIANG: "湛江市", config.LIUZHOU: "柳州市"}


def both_bounds() -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = geodata.cities().total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def _both_cities_counties():
    counties = geodata.counties()
    return counties[counties["city_adcode"].isin([config.ZHANJIANG, config.LIUZHOU])]


@functools.cache
def _province_layers() -> tuple[tuple[dict, str], tuple[dict, str]]:
    """广东 and 广西, and their neighbours, each as a FeatureCollection and its published URL."""
    provinces = geodata.provinces()
    layers = []
    for frame, kind in ((provinces[~provinces["clipped"]], "pair"), (provinces[provinces["clipped"]], "around")):
        collection = feature_collection(frame, lambda r: {"name": r.name})
        layers.append((collection, static_geojson.publish(collection, f"provinces-{kind}")))
    return layers[0], layers[1]


def label_items() -> list[tuple[float, float, str]]:
    """(lon, lat, short name) of each county of both cities, at the point its arcs end."""
    counties = _both_cities_counties()
    centres = counties.geometry.representative_point()
    return list(zip(centres.x.tolist(), centres.y.tolist(), counties["short_name"].tolist()))


@functools.cache
def label_steps() -> tuple[tuple[float, tuple[label_placement.Placement, ...]], ...]:
    """Where each county's name goes at each zoom step from MIN_ZOOM up."""
    steps = label_placement.place_by_zoom(label_items(), MIN_ZOOM, config.MAX_ZOOM, LABEL_ZOOM_STEP)
    return tuple((zoom, tuple(placed)) for zoom, placed in steps)


# A few sets of pairings at most are ever shown (one per quarter's data): kept with their files.
@functools.lru_cache(maxsize=8)
def _county_layers(paired: frozenset[str]) -> tuple[tuple[dict, str | None], tuple[dict, str | None]]:
    """Both cities' counties, unpaired and paired, each as a FeatureCollection and the URL of
    its published file (static_geojson): the map fetches them instead of carrying ~170 KB of
    polygons in a script that st_folium sends again with every rerun."""
    counties = _both_cities_counties()
    is_paired = counties["adcode"].isin(paired)
    layers = []
    for frame, kind in ((counties[~is_paired], "plain"), (counties[is_paired], "paired")):
        collection = feature_collection(frame, lambda r: {"code": r.adcode})
        url = static_geojson.publish(collection, f"counties-zhanliu-{kind}") if collection["features"] else None
        layers.append((collection, url))
    return layers[0], layers[1]


def base_map(paired: set[str] | frozenset[str] = frozenset()) -> folium.Map:
    """Both cities' counties (paired ones tinted) with their names, on 广东 and 广西 and the land
    around them; fits both cities."""
    m = OfflineMap(bounds=both_bounds(), min_zoom=MIN_ZOOM)
    (pair, pair_url), (around, around_url) = _province_layers()
    GeoJsonLayer(around, source_url=around_url, name="周边省区", style=NEIGHBOUR_STYLE,
                 interactive=False, control=False, class_name="fupin-provinces").add_to(m)
    GeoJsonLayer(pair, source_url=pair_url, name="广东、广西", style=PAIR_PROVINCE_STYLE,
                 interactive=False, control=False, class_name="fupin-provinces").add_to(m)
    plain, tinted = _county_layers(frozenset(paired))
    for (collection, url), style, name in ((plain, COUNTY_STYLE, "县（市、区）"), (tinted, PAIRED_STYLE, "结对县区")):
        if collection["features"]:
            GeoJsonLayer(collection, source_url=url, name=name, style=style,
                         interactive=False, control=False, class_name="fupin-county-lines").add_to(m)
    PlacedLabels(label_items(), label_steps(), name="县区名称").add_to(m)
    Legend("湛柳协作", [("结对关系", config.PAIRING_COLOR),
                     *((f"{kind}（{unit}）", config.FLOW_COLORS[kind]) for kind, unit in config.FLOW_UNITS.items())]
           ).add_to(m)
    return m


def arc_group(arcs: list[Arc], name: str, class_name: str) -> folium.FeatureGroup | None:
    """A layer of arcs, to pass to ui.show_map as one of its `layers` (None when empty)."""
    if not arcs:
        return None
    group = folium.FeatureGroup(name=name, control=False)
    ArcLayer([(a.from_lon, a.from_lat) for a in arcs], [(a.to_lon, a.to_lat) for a in arcs],
             [a.color for a in arcs], [a.weight for a in arcs], [a.bend for a in arcs],
             [a.tip for a in arcs], name=name, class_name=class_name).add_to(group)
    return group


def focus(city: str, height_px: int = config.MAP_HEIGHT) -> tuple[tuple[float, float], float]:
    """Centre (lat, lon) and zoom that show one city (or both) on a map `height_px` high."""
    if city in (config.ZHANJIANG, config.LIUZHOU):
        minx, miny, maxx, maxy = geodata.city_outline(city).bounds
    else:
        minx, miny, maxx, maxy = both_bounds()
    # Web Mercator: the zoom at which the latitude span fills 85 % of the height.
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    span = (y(maxy) - y(miny)) / (2 * math.pi)
    zoom = math.log2(0.85 * height_px / 256 / span) if span > 0 else config.MAX_ZOOM
    zoom = min(max(math.floor(zoom * 4) / 4, MIN_ZOOM), config.MAX_ZOOM)
    return ((miny + maxy) / 2, (minx + maxx) / 2), zoom
