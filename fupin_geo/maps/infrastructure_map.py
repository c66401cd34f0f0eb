"""Maps of the 基础设施 page and the quarter comparison: gap layers, the county choropleth of
a gap, and the villages that changed between two quarters.

The base map (common.base_map) never depends on the indicator or the quarter; everything that
does is a FeatureGroup given to ui.show_map(layers=…), so switching redraws no iframe. Each
layer is one element sent as data (PointLayer / GeoJsonLayer), with its legend inside the group.
"""
from __future__ import annotations

import html

import folium
import pandas as pd

from .. import config
from ..analysis import infrastructure, trends
from ..data import geodata
from ..data.dataset import Dataset
from ..geo.display import WGS84_DISPLAY, Display
from . import common
from .elements import GeoJsonLayer, Legend

CONTEXT_COLOR = "#bdbdbd"
CONTEXT_STYLE = {"color": "#ffffff", "weight": 0.8, "fillOpacity": 0.8}
GAP_STYLE = {"color": "#ffffff", "weight": 1.2, "fillOpacity": 0.95}
# Gap to target in percentage points, as classes (upper bounds) of a red sequence (ColorBrewer
# Reds): a met target is green, and a county without data grey, so no colour means two things.
GAP_CLASSES: tuple[tuple[float, str, str], ...] = (
    (5.0, "#fcbba1", "差距 ≤5 个百分点"),
    (15.0, "#fb6a4a", "差距 5–15 个百分点"),
    (30.0, "#de2d26", "差距 15–30 个百分点"),
    (float("inf"), "#a50f15", "差距 >30 个百分点"),
)
MET_COLOR = "#a1d99b"
NO_DATA_COLOR = "#f0f0f0"
CHANGE_COLORS = {"新达标": "#1a9850", "退步": "#d73027", "仍未达标": "#fdae61", "保持达标": "#d9d9d9",
                 "无数据": "#ffffff"}
# Each further gap layer is drawn a ring smaller, so villages short of several stay readable.
RING_STEP = 2.5


def base_map() -> folium.Map:
    """The city with its counties: the same for every indicator and quarter."""
    return common.base_map()


def _tip_head(frame: pd.DataFrame) -> list[str]:
    counties = {c: geodata.county_name(c) for c in frame["county_code"].unique()}
    return [f"{n} · {counties[c]}" for n, c in zip(frame["name"].tolist(), frame["county_code"].tolist())]


def _state_text(indicator: config.InfraIndicator, value: float) -> str:
    if pd.isna(value):
        return "无数据"
    if indicator.kind == "rate":
        return f"{value:.1%}（目标 {indicator.target:.0%}）"
    return "有" if value >= 0.5 else "没有"


def context_layer(dataset: Dataset, display: Display = WGS84_DISPLAY) -> folium.FeatureGroup:
    """Every poverty village as a small grey dot, under the gap layers."""
    group = folium.FeatureGroup(name="全部贫困村", control=False)
    villages = dataset.villages
    common.points(villages, "code", [CONTEXT_COLOR] * len(villages), [[t] for t in _tip_head(villages)],
                  display=display, name="全部贫困村", style=CONTEXT_STYLE, radius=3,
                  class_name="fupin-infra-context").add_to(group)
    return group


def gap_elements(dataset: Dataset, key: str, display: Display = WGS84_DISPLAY, radius: float | None = None,
                 values: pd.DataFrame | None = None) -> list:
    """The villages below target on one indicator (one PointLayer) and its legend."""
    indicator = config.INFRA_BY_KEY[key]
    if values is None:
        values = infrastructure.village_values(dataset)
    below = values[values[f"{key}_below"]]
    tips = [[head, f"{indicator.label}：{_state_text(indicator, v)}"]
            for head, v in zip(_tip_head(below), below[key].tolist())]
    layer = common.points(below, "code", [indicator.color] * len(below), tips, display=display,
                          name=f"短板：{indicator.label}", style=GAP_STYLE,
                          radius=radius or config.VILLAGE_RADIUS, class_name=f"fupin-gap-{key}")
    return [layer, Legend(f"短板：{indicator.label}", [(f"未达标 {len(below)} 村", indicator.color)])]


def gap_layers(dataset: Dataset, keys: list[str], display: Display = WGS84_DISPLAY) -> list[folium.FeatureGroup]:
    """One switchable group per indicator, each with its legend; the first chosen is drawn
    largest, each next one a ring smaller on top of it."""
    values = infrastructure.village_values(dataset)
    groups = []
    for position, key in enumerate(keys):
        group = folium.FeatureGroup(name=f"短板：{config.INFRA_BY_KEY[key].label}", control=False)
        radius = config.VILLAGE_RADIUS + RING_STEP * (len(keys) - 1 - position)
        for element in gap_elements(dataset, key, display, radius=radius, values=values):
            element.add_to(group)
        groups.append(group)
    return groups


def gap_color(gap: float | None) -> str:
    if gap is None or pd.isna(gap):
        return NO_DATA_COLOR
    if gap <= 0:
        return MET_COLOR
    return next(color for upper, color, _ in GAP_CLASSES if gap <= upper)


def county_gap_layer(dataset: Dataset, key: str, display: Display = WGS84_DISPLAY) -> folium.FeatureGroup:
    """The counties coloured by their gap to target on one indicator, with the legend."""
    indicator = config.INFRA_BY_KEY[key]
    gaps = infrastructure.county_gaps(dataset, key).set_index("county_code")
    counties = geodata.counties(config.ZHANJIANG)

    def properties(row):
        county = gaps.loc[row.adcode]
        value = "无数据" if county["value"] is None or pd.isna(county["value"]) else f"{county['value']:.1%}"
        lines = [row.name, f"{indicator.label}：{value}（目标 {indicator.target:.0%}）",
                 f"未达标村 {int(county['below'])} / {int(county['villages'])}"]
        return {"code": row.adcode, "color": gap_color(county["gap"]),
                "tip": "<br>".join(html.escape(line) for line in lines)}

    group = folium.FeatureGroup(name=f"县区差距：{indicator.label}", control=False)
    GeoJsonLayer(common.feature_collection(counties, properties, display), name=f"县区差距：{indicator.label}",
                 style=dict(common.COUNTY_STYLE, fillOpacity=0.85), class_name="fupin-infra-county").add_to(group)
    entries = [("已达标", MET_COLOR), *[(label, color) for _, color, label in GAP_CLASSES], ("无数据", NO_DATA_COLOR)]
    Legend(f"县区差距：{indicator.label}", entries, position="bottomleft").add_to(group)
    return group


def change_layer(before: Dataset, after: Dataset, key: str,
                 display: Display = WGS84_DISPLAY) -> folium.FeatureGroup:
    """The villages of `after` coloured by how they moved on one indicator since `before`."""
    kinds = trends.village_change_kind(before, after, key)
    villages = after.villages
    moved = [kinds.get(code, "无数据") for code in villages["code"].tolist()]
    label = trends.STATE_LABELS[key]
    tips = [[head, f"{label}：{kind}（{before.quarter}→{after.quarter}）"]
            for head, kind in zip(_tip_head(villages), moved)]
    group = folium.FeatureGroup(name=f"变化：{label}", control=False)
    common.points(villages, "code", [CHANGE_COLORS[k] for k in moved], tips, display=display,
                  name=f"变化：{label}", style=GAP_STYLE, radius=config.VILLAGE_RADIUS,
                  class_name="fupin-change").add_to(group)
    counts = pd.Series(moved).value_counts()
    Legend(f"{label}：{before.quarter}→{after.quarter}",
           [(f"{kind} {int(counts.get(kind, 0))} 村", color) for kind, color in CHANGE_COLORS.items()
            if counts.get(kind, 0)]).add_to(group)
    return group
