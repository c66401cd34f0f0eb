"""The 联农带农 map: lines from each enterprise, park and cooperative to the villages it is
linked to (width by households, colour by link type), villages coloured by coverage, parks'
villages without a 带动协议 ringed, and one enterprise's villages highlighted.

The base map never changes with the page's choices (a changed base script makes the browser
rebuild the map); everything that does is in `layers()`, swapped into the shown map.
"""
from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from .. import config
from ..analysis import linkage
from ..data.dataset import Dataset
from ..geo.display import WGS84_DISPLAY, Display
from . import common
from .elements import Legend, LineLayer

# One colour per link type, none of them a hue that means something else on this map: the
# coverage classes are red, orange and green (config.COVERAGE_COLORS) and the 带动主体 badges
# dark red and purple, so the link types are blues, pinks, brown, grey and teal (a green line
# for 购销 read as 已联结).
LINK_TYPE_COLORS = dict(zip(config.LINK_TYPES, (
    "#0072B2", "#56B4E9", "#CC79A7", "#8c510a", "#7f7f7f", "#e7298a", "#01665e")))
# Line width: 1 px for the smallest link, up to 1 + LINE_EXTRA_PX at LINE_FULL_HOUSEHOLDS or
# more (square root: area-like, so a link of 4x the households looks twice as heavy).
LINE_FULL_HOUSEHOLDS = 200
LINE_EXTRA_PX = 5
LINE_STYLE = {"opacity": 0.55, "interactive": True}
SOURCE_COLORS = {"企业": "#b2182b", "产业园": "#5a3d8a"}
SOURCE_BADGES = {"企业": "企", "产业园": "园"}
# Cooperatives are 带动主体 too, drawn without a badge of their own (see sources_layer).
COOPERATIVE_ENTRY = "合作社：在所在村，连线从该村出发"
UNSIGNED_COLOR = "#d7191c"
UNSIGNED_STYLE = {"color": UNSIGNED_COLOR, "weight": 3, "fillOpacity": 0, "dashArray": "4 3"}
SELECTED_COLOR = "#111111"
SELECTED_STYLE = {"color": SELECTED_COLOR, "weight": 3, "fillOpacity": 0}
BADGE_PX = 18


def line_width(households) -> np.ndarray:
    share = np.minimum(np.asarray(households, dtype=float) / LINE_FULL_HOUSEHOLDS, 1.0)
    return np.round(1 + LINE_EXTRA_PX * np.sqrt(share), 1)


def base_map() -> folium.Map:
    """The city's counties: what stays while the page's choices change."""
    return common.base_map()


def lines_layer(lines: pd.DataFrame, display: Display = WGS84_DISPLAY, *, name: str = "联农带农关系",
                class_name: str = "fupin-links", style: dict | None = None) -> LineLayer:
    """One LineLayer of linkage.link_lines rows: nodes are the distinct sources and villages."""
    sources = lines[["source_type", "source_id", "source_name", "slon", "slat"]].drop_duplicates(
        ["source_type", "source_id"])
    villages = lines[["village_code", "village_name", "vlon", "vlat"]].drop_duplicates("village_code")
    source_index = {key: i for i, key in enumerate(zip(sources["source_type"].tolist(), sources["source_id"].tolist()))}
    village_index = {code: len(sources) + i for i, code in enumerate(villages["village_code"].tolist())}
    xs, ys = display.xy(np.concatenate([sources["slon"].to_numpy(float), villages["vlon"].to_numpy(float)]),
                        np.concatenate([sources["slat"].to_numpy(float), villages["vlat"].to_numpy(float)]))
    names = sources["source_name"].tolist() + villages["village_name"].tolist()
    starts = [source_index[k] for k in zip(lines["source_type"].tolist(), lines["source_id"].tolist())]
    ends = [village_index[c] for c in lines["village_code"].tolist()]
    tips = [[f"{t}（{kind}）", f"带动农户 {h} 户，其中贫困户 {p} 户"]
            for kind, t, h, p in zip(lines["source_type"].tolist(), lines["link_type"].tolist(),
                                    lines["households"].tolist(), lines["poor_households"].tolist())]
    return LineLayer(xs.tolist(), ys.tolist(), names, starts, ends,
                     [LINK_TYPE_COLORS[t] for t in lines["link_type"].tolist()],
                     line_width(lines["households"]).tolist(), tips, name=name,
                     style=style or LINE_STYLE, class_name=class_name)


def link_legend(lines: pd.DataFrame) -> Legend:
    used = set(lines["link_type"])
    return Legend("联结方式（线宽：带动农户）",
                  [(t, c) for t, c in LINK_TYPE_COLORS.items() if t in used], position="topright")


def coverage_layer(dataset: Dataset, display: Display = WGS84_DISPLAY,
                   coverage: pd.DataFrame | None = None, name: str = "联农带农覆盖") -> list:
    """Villages coloured by coverage class, with tooltips, and the legend."""
    if coverage is None:
        coverage = linkage.village_coverage(dataset)
    villages = dataset.villages
    # short tooltips (class and share of poor households reached; the legend explains both): at
    # 20,000 villages every byte here is 20 kB sent
    tips = [[n, f"{cls} {s:.0%}"]
            for n, cls, s in zip(villages["name"].tolist(), coverage["coverage"].tolist(), coverage["share"].tolist())]
    colors = [config.COVERAGE_COLORS[c] for c in coverage["coverage"].tolist()]
    layer = common.points(villages, "code", colors, tips, display=display, name=name,
                          style=common.VILLAGE_STYLE, radius=config.VILLAGE_RADIUS, class_name="fupin-coverage")
    bar = f"{config.WEAK_LINK_SHARE:.0%}"
    explained = {linkage.NOT_LINKED: "无联结记录", linkage.WEAK: f"被带动贫困户 <{bar}",
                 linkage.LINKED: f"被带动贫困户 ≥{bar}"}
    entries = [(f"{cls}（{explained[cls]}）", config.COVERAGE_COLORS[cls]) for cls in config.COVERAGE_CLASSES]
    return [layer, Legend("联农带农覆盖", entries, position="bottomright")]


def sources_layer(dataset: Dataset, display: Display = WGS84_DISPLAY) -> list:
    """Enterprises and parks as lettered badges (one layer each). Cooperatives are not drawn:
    each stands inside its own village, where a badge would hide the village's colour; their
    links show as short lines and in the village tooltips."""
    reach = linkage.enterprise_reach(dataset)
    out = []
    if len(dataset.parks):
        parks = dataset.parks
        tips = [[f"{n}（{lv}级）", f"主导产业：{p}"] for n, lv, p in
                zip(parks["name"].tolist(), parks["level"].tolist(), parks["product"].tolist())]
        out.append(common.points(parks, "id", [SOURCE_COLORS["产业园"]] * len(parks), tips, display=display,
                                 name="产业园", style={}, badge="园", badge_size=BADGE_PX,
                                 class_name="fupin-link-parks"))
    if len(reach):
        tips = [[f"{e.name}（{e.level}级）", f"带动村 {e.villages} 个、贫困户 {e.poor_households} 户",
                 f"折算户数 {e.equivalent}" + (" · 扶贫龙头企业" if e.is_leading else "")] for e in reach.itertuples()]
        out.append(common.points(reach, "id", [SOURCE_COLORS["企业"]] * len(reach), tips, display=display,
                                 name="龙头企业", style={}, badge="企", badge_size=BADGE_PX,
                                 class_name="fupin-link-enterprises"))
    out.append(Legend("带动主体", [(f"{SOURCE_BADGES[k]}：{k}", SOURCE_COLORS[k]) for k in ("企业", "产业园")]
                      + [(COOPERATIVE_ENTRY, None)], position="topright"))
    return out


def unsigned_layer(dataset: Dataset, display: Display = WGS84_DISPLAY) -> list:
    """Rings around the villages inside a park's scope without a signed 带动协议 (item 1)."""
    scope = linkage.park_scope(dataset)
    missing = scope[~scope["agreement_signed"]].drop_duplicates("village_code")
    if missing.empty:
        return []
    tips = [[n, f"在「{p}」范围内，未签带动协议"] for n, p in
            zip(missing["village_name"].tolist(), missing["park_name"].tolist())]
    return [common.points(missing, "village_code", [UNSIGNED_COLOR] * len(missing), tips, display=display,
                          name="未签带动协议", style=UNSIGNED_STYLE, radius=config.VILLAGE_RADIUS + 5,
                          class_name="fupin-unsigned"),
            Legend("产业园", [("范围内未签带动协议的村（虚线圈）", UNSIGNED_COLOR)], position="bottomleft")]


def selected_layer(dataset: Dataset, lines: pd.DataFrame, source: tuple[str, str] | None,
                   display: Display = WGS84_DISPLAY) -> list:
    """One 带动主体's lines drawn heavy and its villages ringed."""
    if source is None:
        return []
    mine = lines[(lines["source_type"] == source[0]) & (lines["source_id"] == source[1])]
    if mine.empty:
        return []
    villages = mine.drop_duplicates("village_code")
    tips = [[n, f"{t} · 带动贫困户 {p} 户"] for n, t, p in
            zip(villages["village_name"].tolist(), villages["link_type"].tolist(),
                villages["poor_households"].tolist())]
    frame = villages.rename(columns={"vlon": "lon", "vlat": "lat"})
    return [lines_layer(mine, display, name="选中主体的联结", class_name="fupin-selected-links",
                        style={"opacity": 0.95, "interactive": True}),
            common.points(frame, "village_code", [SELECTED_COLOR] * len(frame), tips, display=display,
                          name="选中主体带动的村", style=SELECTED_STYLE, radius=config.VILLAGE_RADIUS + 4,
                          class_name="fupin-selected-villages")]


def layers(dataset: Dataset, *, lines: pd.DataFrame | None = None, selected: tuple[str, str] | None = None,
           display: Display = WGS84_DISPLAY) -> list[folium.FeatureGroup]:
    """The groups of the 联农带农 map, bottom first: coverage, lines, sources, unsigned rings,
    the selected 带动主体."""
    if lines is None:
        lines = linkage.link_lines(dataset)
    parts = {
        "联农带农覆盖": coverage_layer(dataset, display),
        "联农带农关系": [lines_layer(lines, display), link_legend(lines)] if len(lines) else [],
        "带动主体": sources_layer(dataset, display),
        "未签带动协议": unsigned_layer(dataset, display),
        "选中的带动主体": selected_layer(dataset, lines, selected, display),
    }
    groups = []
    for name, elements in parts.items():
        if elements:
            group = folium.FeatureGroup(name=name, control=False)
            for element in elements:
                element.add_to(group)
            groups.append(group)
    return groups


def linkage_map(dataset: Dataset, **options) -> folium.Map:
    """The whole 联农带农 map as one (for export, tests and benchmarks)."""
    m = base_map()
    for group in layers(dataset, **options):
        group.add_to(m)
    return m


def source_at(dataset: Dataset, lat: float, lng: float, display: Display = WGS84_DISPLAY,
              tolerance_deg: float = 1e-4) -> tuple[str, str] | None:
    """The (source_type, source_id) of the badge drawn at a clicked position, if any."""
    lng, lat = display.to_store(lng, lat)
    sources = linkage.source_positions(dataset)
    distance = (sources["lon"] - lng).abs() + (sources["lat"] - lat).abs()
    if distance.empty or distance.min() > tolerance_deg:
        return None
    row = sources.loc[distance.idxmin()]
    return str(row["source_type"]), str(row["source_id"])

