"""Map builders: each returns a folium.Map and never displays it."""
from __future__ import annotations

import functools

import folium
import pandas as pd
import shapely

from .. import config
from ..analysis.industries import village_categories
from ..analysis.profile import exit_text
from ..memo import per_dataset
from ..data import geodata
from ..data.dataset import Dataset
from ..geo.basemaps import BASEMAPS, DEFAULT_BASEMAP, Basemap
from ..geo.display import WGS84_DISPLAY, Display
from . import static_geojson
from .elements import GeoJsonLayer, Labels, Legend, OfflineMap, PointLayer
from .elements.point_layer import Points

COUNTY_STYLE = {"color": config.COUNTY_LINE_COLOR, "weight": 1.2, "fillColor": config.LAND_COLOR,
                "fillOpacity": 1.0}
CONTEXT_STYLE = {"color": "#c9c2b3", "weight": 0.6, "fillColor": config.CONTEXT_LAND_COLOR,
                 "fillOpacity": 1.0}
VILLAGE_STYLE = {"color": "#ffffff", "weight": 1.2, "fillOpacity": 0.95}
SELECTED_STYLE = {"color": "#b3261e", "weight": 3, "fill": False}
# County names go in a pane of their own above Leaflet's marker pane (600) and below its
# tooltips (650): the 企/园/社 badges of the layers, markers added after the base, covered
# 赤坎/霞山/坡头/吴川. The names take no clicks, so a badge under one is still clicked.
LABEL_PANE = "fupin-county-names"
LABEL_PANE_Z = 640


def feature_collection(frame: pd.DataFrame, properties, display: Display = WGS84_DISPLAY) -> dict:
    """A FeatureCollection from a GeoDataFrame; `properties(row)` gives each feature's."""
    features = [
        {"type": "Feature", "geometry": shapely.geometry.mapping(display.geometry(row.geometry)),
         "properties": properties(row)}
        for row in frame.itertuples()
    ]
    return {"type": "FeatureCollection", "features": features}


def category_color(category: str) -> str:
    return config.PRODUCT_CATEGORIES.get(category, config.NO_INDUSTRY_COLOR)


@per_dataset
def village_tips(dataset: Dataset) -> list[list[str]]:
    """Each village's tooltip lines (plain text): "name · county", then its products, then
    its 出列 where the ledger records one."""
    villages = dataset.villages
    categories = village_categories(dataset)
    counties = {code: geodata.county_name(code) for code in villages["county_code"].unique()}
    exits = [exit_text(q) for q in villages["exit_quarter"].tolist()]
    return [
        [f"{n} · {counties[c]}", p or config.NO_INDUSTRY_LABEL, *([e] if e else [])]
        for n, c, p, e in zip(villages["name"].tolist(), villages["county_code"].tolist(),
                              categories["products"].tolist(), exits)
    ]


def point_data(frame: pd.DataFrame, codes: str, colors: list[str], tips: list[list[str]],
               display: Display = WGS84_DISPLAY) -> Points:
    """The frame's lon/lat (shifted for the display), codes, colours and tips, checked."""
    xs, ys = display.xy(frame["lon"], frame["lat"])
    return Points.of(xs.tolist(), ys.tolist(), frame[codes].tolist(), colors, tips)


def points(frame: pd.DataFrame, codes: str, colors: list[str], tips: list[list[str]], *,
           display: Display = WGS84_DISPLAY, **options) -> PointLayer:
    """A PointLayer of the frame's lon/lat, shifted for the display."""
    return PointLayer.from_points(point_data(frame, codes, colors, tips, display), **options)


@per_dataset
def village_points(dataset: Dataset, display: Display = WGS84_DISPLAY) -> Points:
    """Every village, coloured by its category, with its tooltip."""
    colors = [category_color(c) for c in village_categories(dataset)["category"].tolist()]
    return point_data(dataset.villages, "code", colors, village_tips(dataset), display)


def village_layer(dataset: Dataset, name: str = "贫困村", display: Display = WGS84_DISPLAY) -> PointLayer:
    return PointLayer.from_points(village_points(dataset, display), name=name, style=VILLAGE_STYLE,
                                  radius=config.VILLAGE_RADIUS, class_name="fupin-villages")


def category_legend(dataset: Dataset) -> Legend:
    used = set(village_categories(dataset)["category"])
    entries = [(label, color) for label, color in config.PRODUCT_CATEGORIES.items() if label in used]
    if config.NO_INDUSTRY_LABEL in used:
        entries.append((config.NO_INDUSTRY_LABEL, config.NO_INDUSTRY_COLOR))
    return Legend("一村一品类别", entries)


# The geography never changes while the app runs: every rerun of every page drew the same
# land and counties again (~40 ms a run on the demo). Read-only: GeoJsonLayer only dumps them.
@functools.cache
def land_features() -> dict:
    return feature_collection(geodata.land(), lambda r: {})


@functools.cache
def _county_features(city: str, display: Display) -> dict:
    return feature_collection(geodata.counties(city), lambda r: {"code": r.adcode}, display)


# Published once per process (a file under static/, see static_geojson): the maps fetch them.
@functools.cache
def land_url() -> str:
    return static_geojson.publish(land_features(), "land")


@functools.cache
def county_url(city: str, display: Display) -> str:
    return static_geojson.publish(_county_features(city, display), f"counties-{city}")


def base_map(city: str = config.ZHANJIANG, *, focus: tuple[float, float, float, float] | None = None,
             view: tuple[float, float, float] | None = None, basemap: Basemap = BASEMAPS[DEFAULT_BASEMAP],
             token: str | None = None) -> folium.Map:
    """The basemap every page draws on: our offline vector layers (sea as background,
    neighbouring land, the city's counties and their names) or an online service's tiles
    under county lines. Fits `focus` (WGS-84 bounds; default the city) unless `view`
    (lat, lon, zoom in WGS-84) is given.

    A map shown with `ui.show_map` must not depend on filters, layers or the quarter (see
    there): pages call this without `focus`/`view` and move the map with centre and zoom."""
    display = Display(basemap.crs)
    counties = geodata.counties(city)
    if view is not None:
        view = (*display.point(view[0], view[1]), view[2])
    m = OfflineMap(bounds=display.bounds(focus or tuple(geodata.city_outline(city).bounds)), view=view)
    if basemap.online:
        for tiles, url in zip(basemap.tiles, basemap.tile_urls(token)):
            folium.TileLayer(url, attr=tiles.attribution, subdomains=tiles.subdomains or "abc",
                             max_native_zoom=tiles.max_native_zoom, max_zoom=config.MAX_ZOOM,
                             name=basemap.label, control=False).add_to(m)
    else:
        GeoJsonLayer(land_features(), source_url=land_url(), name="周边陆地",
                     style=CONTEXT_STYLE, interactive=False, control=False).add_to(m)
    GeoJsonLayer(_county_features(city, display), source_url=county_url(city, display),
                 name="县（市、区）", style=dict(COUNTY_STYLE, fill=not basemap.online),
                 interactive=False, control=False, class_name="fupin-county-lines").add_to(m)
    centres = counties.geometry.representative_point()
    xs, ys = display.xy(centres.x, centres.y)
    folium.map.CustomPane(LABEL_PANE, z_index=LABEL_PANE_Z, pointer_events=False).add_to(m)
    Labels(list(zip(xs, ys, counties["name"])), name="县区名称", pane=LABEL_PANE).add_to(m)
    return m


def overview_map(dataset: Dataset) -> folium.Map:
    """The 总览 map as one map (for export and tests): the base plus `overview_layer`."""
    m = base_map()
    overview_layer(dataset).add_to(m)
    return m


def overview_layer(dataset: Dataset) -> folium.FeatureGroup:
    """The 总览's villages coloured by industry, with their legend: one group, sent apart
    from the base map so a quarter change swaps it without rebuilding the map."""
    group = folium.FeatureGroup(name="贫困村", control=False)
    village_layer(dataset).add_to(group)
    category_legend(dataset).add_to(group)
    return group


def selection_highlight(dataset: Dataset, code: str | None,
                        display: Display = WGS84_DISPLAY) -> folium.FeatureGroup | None:
    """A ring around the selected village, added to a shown map without redrawing it."""
    row = dataset.villages[dataset.villages["code"] == code]
    if code is None or row.empty:
        return None
    (lon,), (lat,) = display.xy(row["lon"], row["lat"])
    group = folium.FeatureGroup(name="选中的村")
    folium.CircleMarker([float(lat), float(lon)],
                        radius=config.VILLAGE_RADIUS + 5, interactive=False, **SELECTED_STYLE).add_to(group)
    return group


def village_at(dataset: Dataset, lat: float, lng: float, tolerance_deg: float = 1e-4,
               display: Display = WGS84_DISPLAY) -> str | None:
    """The code of the village drawn at (lat, lng), as reported by a click; None if none.

    Clicks report the marker's own position (see maps.elements.PointLayer), so the match is exact up to
    float noise and the basemap shift; the tolerance (~10 m) only absorbs that.
    """
    lng, lat = display.to_store(lng, lat)
    villages = dataset.villages
    distance = (villages["lon"] - lng).abs() + (villages["lat"] - lat).abs()
    if distance.empty or distance.min() > tolerance_deg:
        return None
    return str(villages.loc[distance.idxmin(), "code"])
