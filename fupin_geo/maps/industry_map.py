"""The 产业地图: the whole industrial picture of the poverty villages on one map.

`industry_map` draws the layers a ViewState asks for, each with its own legend, over the
chosen basemap; every coordinate goes through one Display so that a GCJ-02 basemap gets
shifted overlays.
"""
from __future__ import annotations

import html

import folium
import numpy as np
import pandas as pd
import shapely

from .. import config
from ..analysis import indicators, industries
from ..memo import per_dataset
from .industry_view import LAYERS, MEASURES, ViewState
from ..data import geodata
from ..data.dataset import Dataset
from ..geo.basemaps import BASEMAPS, Basemap
from ..geo.display import Display, fit_view
from . import common, infrastructure_map, linkage_map
from .elements import GeoJsonLayer, Labels, Legend, PointLayer

# One colour scheme per meaning on this map: villages are filled by industry
# (config.PRODUCT_CATEGORIES, black for none), so nothing else may take those hues. A park's
# or enterprise's level is a shade of grey, darker and larger the higher the level (the
# levels had red, orange and blue, and 省级 and 市级 read as 畜牧 and 水产); cooperatives
# are brown, processing enterprises purple; aquaculture areas are dark blues (水产's family,
# kept away from 乡村旅游's light blue). tests/unit/test_map_colours.py measures the distances.
LEVEL_COLORS = {"国家": "#4d4d4d", "省": "#6e6e6e", "市": "#909090"}
LEVEL_BADGE_PX = {"国家": 24, "省": 20, "市": 16}
AQUACULTURE_COLORS = {"深水网箱": "#08306b", "池塘": "#253494", "工厂化": "#225ea8"}
COOPERATIVE_COLOR = "#8c510a"
PROCESSING_COLOR = "#762a83"
# Five classes of a sequential palette (ColorBrewer Oranges): readable on screen and projector.
CHOROPLETH_COLORS = ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603")
# A park's scope drawn as the area within ~2 km of the villages it covers.
PARK_SCOPE_BUFFER_DEG = 0.02
# Margin around the filtered villages when the map fits them (~5 km).
FOCUS_MARGIN_DEG = 0.05

NO_INDUSTRY_STYLE = {"color": "#d7191c", "weight": 3, "fillColor": config.NO_INDUSTRY_COLOR,
                     "fillOpacity": 1.0}
PARK_SCOPE_STYLE = {"weight": 1.5, "dashArray": "5 4", "fillOpacity": 0.12}
AQUACULTURE_STYLE = {"color": "#08306b", "weight": 1, "fillOpacity": 0.45}
BADGE_STYLE: dict = {}
BADGE_PX = 20
# The level in the legend: its badge's size in words (the legend's swatches are all one size).
LEVEL_SIZE_WORDS = {"国家": "大", "省": "中", "市": "小"}
# Nearly every village has a cooperative: smaller badges keep them from hiding the villages.
COOPERATIVE_BADGE_PX = 13


def focus_bounds(villages: pd.DataFrame) -> tuple[float, float, float, float]:
    """The extent to show: the given villages with a margin, or the whole city if none."""
    if villages.empty:
        return tuple(geodata.city_outline(config.ZHANJIANG).bounds)
    m = FOCUS_MARGIN_DEG
    return (villages["lon"].min() - m, villages["lat"].min() - m,
            villages["lon"].max() + m, villages["lat"].max() + m)


def focus_view(villages: pd.DataFrame) -> tuple[float, float, float]:
    """(lat, lon, zoom), WGS-84, that shows `focus_bounds(villages)` on the page's map."""
    return fit_view(focus_bounds(villages))


def county_measure(dataset: Dataset, measure: str) -> pd.Series:
    """The chosen measure per 湛江 county (all 9, zero where nothing matches)."""
    villages = dataset.villages
    if measure == "villages":
        values = villages.groupby("county_code").size()
    elif measure == "poor_households":
        values = villages.groupby("county_code")["poor_households"].sum()
    elif measure == "industry_villages":
        values = villages[indicators.villages_with(dataset, dataset.products)].groupby("county_code").size()
    else:
        raise ValueError(f"unknown measure {measure}")
    counties = geodata.counties(config.ZHANJIANG)["adcode"]
    return values.reindex(counties, fill_value=0).astype(int)


def class_breaks(values: pd.Series, classes: int = len(CHOROPLETH_COLORS)) -> list[int]:
    """Upper bounds of equal-width classes from 0 to the maximum (whole numbers)."""
    top = max(int(values.max()), 1)
    return sorted({int(np.ceil(top * (i + 1) / classes)) for i in range(classes)})


def _class_color(value: int, breaks: list[int]) -> str:
    index = next(i for i, upper in enumerate(breaks) if value <= upper)
    return CHOROPLETH_COLORS[index]


def _choropleth(dataset: Dataset, view: ViewState, display: Display, online: bool) -> list:
    counties = geodata.counties(config.ZHANJIANG)
    values = county_measure(dataset, view.measure)
    breaks = class_breaks(values)
    label = MEASURES[view.measure]

    def properties(row):
        return {"code": row.adcode, "color": _class_color(values[row.adcode], breaks),
                "tip": f"<b>{html.escape(row.name)}</b><br>{label}：{values[row.adcode]}"}

    style = dict(common.COUNTY_STYLE, fillOpacity=0.55 if online else 0.9)
    lower = [0] + [b + 1 for b in breaks[:-1]]
    entries = [(f"{lo}–{hi}", c) for lo, hi, c in zip(lower, breaks, CHOROPLETH_COLORS)]
    return [GeoJsonLayer(common.feature_collection(counties, properties, display), name=LAYERS["choropleth"],
                         style=style, class_name="fupin-choropleth"),
            Legend(f"县区：{label}", entries, position="bottomleft")]


def _village_layers(dataset: Dataset, display: Display) -> list:
    categories = industries.village_categories(dataset)
    lacking = dataset.villages[(categories["category"] == config.NO_INDUSTRY_LABEL).to_numpy()]
    elements = [common.village_layer(dataset, name=LAYERS["villages"], display=display)]
    if len(lacking):
        tips = [[n, config.NO_INDUSTRY_LABEL] for n in lacking["name"].tolist()]
        elements.append(common.points(lacking, "code", [config.NO_INDUSTRY_COLOR] * len(lacking), tips,
                                    display=display, name=config.NO_INDUSTRY_LABEL, style=NO_INDUSTRY_STYLE,
                                    radius=config.VILLAGE_RADIUS + 1, class_name="fupin-no-industry"))
    elements.append(common.category_legend(dataset))
    return elements


def _town_labels(dataset: Dataset, display: Display, full: Dataset) -> list:
    """A label per 一镇一业 town of `dataset`, at the centre of its villages in `full` (a
    filter on products may leave a town its industry but none of its villages)."""
    industries = dataset.town_industries.set_index("town_code")["industry"]
    villages = full.villages[indicators.member(full.villages["town_code"], set(industries.index.tolist()))]
    centres = villages.groupby("town_code")[["lon", "lat"]].mean()
    names = geodata.towns().set_index("code")["name"]
    xs, ys = display.xy(centres["lon"], centres["lat"])
    items = [(x, y, f"{names.get(t, t)}·{industries[t]}") for x, y, t in zip(xs, ys, centres.index)]
    return [Labels(items, name=LAYERS["towns"], class_name="fupin-town-label"),
            Legend("一镇一业", [("镇名·主导产业", "#5a3d8a")], position="bottomleft")]


def _badges(frame: pd.DataFrame, *, key: str, badge: str, colors: list[str], tips: list[list[str]],
            display: Display, class_name: str, size: int = BADGE_PX) -> PointLayer:
    return common.points(frame, "id", colors, tips, display=display, name=LAYERS[key], style=BADGE_STYLE,
                       badge=badge, badge_size=size, class_name=class_name)


def _level_badges(frame: pd.DataFrame, *, key: str, badge: str, tips: list[list[str]], display: Display,
                  class_name: str) -> list[PointLayer]:
    """One layer of badges per level (a layer has one badge size), the lowest level first
    so that the higher ones are drawn above it."""
    layers = []
    for level in reversed(list(LEVEL_COLORS)):
        mine = (frame["level"] == level).to_numpy()
        if mine.any():
            layers.append(_badges(frame[mine], key=key, badge=badge, colors=[LEVEL_COLORS[level]] * int(mine.sum()),
                                  tips=[t for t, m in zip(tips, mine) if m], display=display,
                                  class_name=class_name, size=LEVEL_BADGE_PX[level]))
    return layers


def _level_legend(title: str) -> Legend:
    return Legend(title, [(f"{level}级（{LEVEL_SIZE_WORDS[level]}）", c) for level, c in LEVEL_COLORS.items()],
                  position="topright")


@per_dataset
def _park_scopes(dataset: Dataset, display: Display) -> tuple[dict, list[list[str]]]:
    """Each park's scope area (a GeoJSON FeatureCollection) and its tooltip lines."""
    scope = dataset.park_villages.merge(dataset.villages[["code", "lon", "lat"]],
                                        left_on="village_code", right_on="code")
    areas, area_props, tips = [], [], []
    for park in dataset.parks.itertuples():
        mine = scope[scope["park_id"] == park.id]
        signed = int(mine["agreement_signed"].sum())
        lines = [f"{park.name}（{park.level}级）", f"主导产业：{park.product} · {park.year}年",
                 f"牵头企业：{_or_dash(park.lead_enterprises)}", *_origin(park),
                 f"范围内贫困村 {len(mine)} 个，已签带动协议 {signed} 个"]
        tips.append(lines)
        # the scope area is a GeoJSON polygon: its tooltip is HTML, escaped line by line
        tip = "<br>".join(html.escape(line) for line in lines)
        points = shapely.multipoints(np.column_stack([[park.lon, *mine["lon"]], [park.lat, *mine["lat"]]]))
        areas.append(display.geometry(points.convex_hull.buffer(PARK_SCOPE_BUFFER_DEG)))
        area_props.append({"code": park.id, "color": LEVEL_COLORS[park.level], "tip": tip})
    features = [{"type": "Feature", "geometry": shapely.geometry.mapping(shapely.set_precision(a, 1e-5)),
                 "properties": p} for a, p in zip(areas, area_props)]
    return {"type": "FeatureCollection", "features": features}, tips


def _or_dash(value) -> str:
    """A text for a tooltip; a missing value (None, NaN, empty) shows as "—", never "nan"."""
    return "—" if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip() \
        else str(value)


def _parks(dataset: Dataset, display: Display) -> list:
    parks = dataset.parks
    areas, tips = _park_scopes(dataset, display)
    return [
        GeoJsonLayer(areas, name="产业园范围",
                     style=PARK_SCOPE_STYLE | {"color": "#555"}, class_name="fupin-park-scope"),
        *_level_badges(parks, key="parks", badge="园", tips=tips, display=display, class_name="fupin-parks"),
        _level_legend("现代农业产业园"),
    ]


def _origin(record) -> list[str]:
    """A tooltip line saying where a park's or enterprise's record comes from and how exact
    its position is: public facts are drawn beside invented ones."""
    if record.source == config.DEMO_SOURCE:
        return ["演示数据（程序生成）"]
    quality = record.position_quality if isinstance(record.position_quality, str) else "未说明"
    return [f"公开资料 · 位置{quality}"]


def _enterprise_tips(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [f"{e.name}（{e.level}级）", f"行业：{e.industry}",
         f"带动贫困村 {int(e.villages)} 个、贫困户 {int(e.poor_households)} 户"]
        + (["达到扶贫龙头企业标准"] if e.is_leading else []) + _origin(e)
        for e in frame.itertuples()
    ]


@per_dataset
def _enterprise_tips_by_id(full: Dataset) -> dict[str, list[str]]:
    """Every enterprise's tooltip lines, with its reach in the whole quarter `full`."""
    reach = indicators.leading_enterprises(full).set_index("id")
    frame = full.enterprises.join(reach[["villages", "poor_households", "is_leading"]], on="id")
    frame = frame.fillna({"villages": 0, "poor_households": 0, "is_leading": False})
    return dict(zip(frame["id"].tolist(), _enterprise_tips(frame)))


def _enterprises(dataset: Dataset, full: Dataset, display: Display, processing: bool) -> list:
    """The enterprises of `dataset` (filtered), their reach counted in `full` (the quarter)."""
    frame = dataset.enterprises
    tips_by_id = _enterprise_tips_by_id(full)
    if processing:
        frame = frame[frame["is_processing"]]
        tips = [tips_by_id[i] for i in frame["id"].tolist()]
        return [_badges(frame, key="processing", badge="加", colors=[PROCESSING_COLOR] * len(frame),
                        tips=tips, display=display, class_name="fupin-processing"),
                Legend("农产品加工", [("加工企业", PROCESSING_COLOR)], position="topright")]
    return [*_level_badges(frame, key="enterprises", badge="企", tips=[tips_by_id[i] for i in frame["id"].tolist()],
                           display=display, class_name="fupin-enterprises"),
            _level_legend("龙头企业")]


def _cooperatives(dataset: Dataset, display: Display) -> list:
    coops = dataset.cooperatives
    tips = [[name, f"成员 {m} 户，其中贫困户 {p} 户"] for name, m, p in
            zip(coops["name"].tolist(), coops["members"].tolist(), coops["poor_members"].tolist())]
    return [_badges(coops, key="cooperatives", badge="社", colors=[COOPERATIVE_COLOR] * len(coops),
                    tips=tips, display=display, class_name="fupin-cooperatives", size=COOPERATIVE_BADGE_PX),
            Legend("合作社", [("产业扶贫合作社", COOPERATIVE_COLOR)], position="topright")]


def _aquaculture(dataset: Dataset, display: Display) -> list:
    sites = dataset.aquaculture.assign(geometry=lambda f: shapely.from_wkt(f["geometry_wkt"]))

    def properties(row):
        sketch = "（示意范围）" if row.position_quality == "示意范围" else ""
        return {"code": row.id, "color": AQUACULTURE_COLORS[row.kind],
                "tip": f"<b>{html.escape(row.name)}</b><br>{html.escape(row.kind)} · {row.area_mu:,.0f} 亩{sketch}"
                       f"<br>{html.escape(_origin(row)[0])}"}

    used = [k for k in AQUACULTURE_COLORS if k in set(sites["kind"])]
    return [GeoJsonLayer(common.feature_collection(sites, properties, display), name=LAYERS["aquaculture"],
                         style=AQUACULTURE_STYLE, class_name="fupin-aquaculture", badge="渔"),
            Legend("水产养殖", [(k, AQUACULTURE_COLORS[k]) for k in used])]


def base_map(*, basemap: Basemap = BASEMAPS["offline"], token: str | None = None) -> folium.Map:
    """What stays while layers, filters and quarters change: common.base_map (the whole
    city). It depends on the basemap alone, so st_folium keeps one map in the browser (its
    key hashes this script); `layers()` are swapped in and out of it and the page moves it
    with a centre and zoom (`focus_view`), never with a fitBounds in here."""
    return common.base_map(basemap=basemap, token=token)


def layers(dataset: Dataset, view: ViewState, *, full: Dataset | None = None,
           basemap: Basemap = BASEMAPS["offline"]) -> list[folium.FeatureGroup]:
    """One group per layer the view asks for, each holding its own legend."""
    display = Display(basemap.crs)

    builders = {
        "choropleth": lambda: _choropleth(dataset, view, display, basemap.online),
        "aquaculture": lambda: _aquaculture(dataset, display),
        "villages": lambda: _village_layers(dataset, display),
        "linkage": lambda: linkage_map.coverage_layer(dataset, display, name=LAYERS["linkage"]),
        "gaps": lambda: infrastructure_map.gap_elements(dataset, view.gap, display,
                                                        radius=config.VILLAGE_RADIUS + 3),
        "towns": lambda: _town_labels(dataset, display, full or dataset),
        "parks": lambda: _parks(dataset, display),
        "enterprises": lambda: _enterprises(dataset, full or dataset, display, processing=False),
        "cooperatives": lambda: _cooperatives(dataset, display),
        "processing": lambda: _enterprises(dataset, full or dataset, display, processing=True),
    }
    groups = []
    for key in LAYERS:
        if key in view.layers:
            group = folium.FeatureGroup(name=LAYERS[key], control=False)
            for element in builders[key]():
                element.add_to(group)
            groups.append(group)
    return groups


def industry_map(dataset: Dataset, view: ViewState, *, full: Dataset | None = None,
                 basemap: Basemap = BASEMAPS["offline"], token: str | None = None) -> folium.Map:
    """The whole 产业地图 as one map (for export and tests): base plus every chosen layer."""
    m = common.base_map(focus=focus_bounds(dataset.villages), view=view.view, basemap=basemap, token=token)
    for group in layers(dataset, view, full=full, basemap=basemap):
        group.add_to(m)
    return m
