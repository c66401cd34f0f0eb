"""The 短板排查 map: villages coloured by their underserved score, the top N ringed with their
rank as a label, a candidate site the planner placed with the villages it reaches, and the
suggested sites with theirs.

The base map is common.base_map() and never changes; all of this is `layers()`, swapped in.
"""
from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from .. import config
from ..data import geodata
from ..geo.display import WGS84_DISPLAY, Display, fit_view
from . import common, industry_map
from .elements import Labels, Legend

# Five classes of a sequential palette (ColorBrewer YlOrRd): the darker, the more underserved.
# The classes are quintiles of the scores shown: fixed classes of 0..100 left a county whose
# scores all lie below 20 (遂溪) in the palest class, every village alike.
SCORE_COLORS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
SCORE_DECIMALS = 1  # as the table and tooltips show a score
# The map shares its row with "在哪里设点": about 470 px wide at 1280×720 with the sidebar open
# (config.MAP_FIT_WIDTH_PX, the 产业地图's, cut 遂溪's western villages off there).
FIT_WIDTH_PX = 460
TOP_STYLE = {"color": "#08306b", "weight": 2.5, "fillOpacity": 0}
CANDIDATE_COLOR = "#6a3d9a"
SUGGESTED_COLOR = "#1f78b4"
REACHED_STYLE = {"weight": 3, "fillOpacity": 0}
CIRCLE_STYLE = {"weight": 2, "fill": True, "fillOpacity": 0.06, "dashArray": "6 4", "interactive": False}


def score_breaks(scores) -> list[float]:
    """Upper bounds of the classes of the shown scores: quintiles (each a score shown), rounded as
    scores are shown, without repeats (fewer classes when the scores take few values); the last is the
    highest score."""
    values = np.round(np.asarray(scores, dtype=float), SCORE_DECIMALS)
    if values.size == 0:
        return []
    quantiles = np.quantile(values, np.linspace(0, 1, len(SCORE_COLORS) + 1)[1:], method="inverted_cdf")
    return sorted({float(np.round(q, SCORE_DECIMALS)) for q in quantiles})


def score_color(score: float, breaks: list[float]) -> str:
    """The colour of a score's class; with fewer classes than colours, the darkest ones (the
    top class is always the darkest: the most underserved of those shown)."""
    colors = SCORE_COLORS[len(SCORE_COLORS) - len(breaks):]
    score = round(float(score), SCORE_DECIMALS)
    return next((c for upper, c in zip(breaks, colors) if score <= upper), colors[-1])


def score_legend(breaks: list[float], lowest: float) -> Legend:
    """The classes with their bounds, lowest first, from the lowest score shown: "8.2–12.3",
    "12.3–15.6" … (a score on a bound belongs to the lower class)."""
    colors = SCORE_COLORS[len(SCORE_COLORS) - len(breaks):]
    lower = [round(float(lowest), SCORE_DECIMALS), *breaks[:-1]]
    entries = [(f"{lo:.{SCORE_DECIMALS}f}–{hi:.{SCORE_DECIMALS}f}", c) for lo, hi, c in zip(lower, breaks, colors)]
    return Legend("短板得分（所示村按五分位分级，越深越需帮扶）", entries, position="bottomright")


def base_map() -> folium.Map:
    return common.base_map()


def focus_view(ranked: pd.DataFrame) -> tuple[float, float, float]:
    """(lat, lon, zoom), WGS-84: the ranked villages (the chosen counties and towns) in view."""
    return fit_view(industry_map.focus_bounds(ranked), width_px=FIT_WIDTH_PX)


def _group(name: str, elements: list) -> folium.FeatureGroup | None:
    elements = [e for e in elements if e is not None]
    if not elements:
        return None
    group = folium.FeatureGroup(name=name, control=False)
    for element in elements:
        element.add_to(group)
    return group


def score_layer(ranked: pd.DataFrame, display: Display = WGS84_DISPLAY) -> folium.FeatureGroup | None:
    """Every ranked village coloured by its score; the tooltip gives rank, score and reason
    (one clause a line)."""
    if ranked.empty:
        return None
    counties = {c: geodata.county_name(c) for c in ranked["county_code"].unique()}
    tips = [[f"第 {r} 名 {n} · {counties[c]}", f"短板得分 {s:.1f}", *reason.split("；")]
            for r, n, c, s, reason in zip(ranked["rank"].tolist(), ranked["name"].tolist(),
                                          ranked["county_code"].tolist(), ranked["score"].tolist(),
                                          ranked["reason"].tolist())]
    breaks = score_breaks(ranked["score"])
    layer = common.points(ranked, "code", [score_color(s, breaks) for s in ranked["score"].tolist()], tips,
                          display=display,
                          name="短板得分", style=common.VILLAGE_STYLE | {"color": "#555555", "weight": 1},
                          radius=config.VILLAGE_RADIUS, class_name="fupin-scores")
    return _group("短板得分", [layer, score_legend(breaks, ranked["score"].min())])


def top_layer(top: pd.DataFrame, display: Display = WGS84_DISPLAY) -> folium.FeatureGroup | None:
    """The top villages ringed, with their rank as a label beside them."""
    if top.empty:
        return None
    tips = [[f"第 {r} 名 {n}", f"短板得分 {s:.1f}"] for r, n, s in
            zip(top["rank"].tolist(), top["name"].tolist(), top["score"].tolist())]
    rings = common.points(top, "code", [TOP_STYLE["color"]] * len(top), tips, display=display, name="排名靠前的村",
                          style=TOP_STYLE, radius=config.VILLAGE_RADIUS + 5, class_name="fupin-top")
    xs, ys = display.xy(top["lon"], top["lat"])
    labels = Labels(list(zip(xs.tolist(), ys.tolist(), [str(r) for r in top["rank"].tolist()])),
                    name="排名", class_name="fupin-rank-label")
    legend = Legend("排名", [(f"前 {len(top)} 名（圈出并标注名次）", TOP_STYLE["color"])], position="bottomleft")
    return _group("排名靠前的村", [rings, labels, legend])


def _site(lon: float, lat: float, radius_km: float, color: str, label: str, tip: str,
          display: Display) -> list:
    (x,), (y,) = display.xy([lon], [lat])
    circle = folium.Circle([float(y), float(x)], radius=radius_km * 1000, color=color, fill_color=color,
                           **{k: v for k, v in CIRCLE_STYLE.items()})
    marker = folium.CircleMarker([float(y), float(x)], radius=7, color="#ffffff", weight=2, fill=True,
                                 fill_color=color, fill_opacity=1, interactive=False)
    labels = Labels([(float(x), float(y), label)], name=tip, class_name="fupin-site-label")
    return [circle, marker, labels]


def candidate_layer(lon: float | None, lat: float | None, radius_km: float, reached: pd.DataFrame,
                    display: Display = WGS84_DISPLAY) -> folium.FeatureGroup | None:
    """The planner's candidate site, its radius, and the villages it reaches ringed."""
    if lon is None or lat is None:
        return None
    elements = _site(lon, lat, radius_km, CANDIDATE_COLOR, "候选点", "候选点", display)
    if len(reached):
        tips = [[n, f"距候选点 {km:.1f} 公里（直线距离）", f"贫困户 {p} 户"] for n, km, p in
                zip(reached["name"].tolist(), reached["km"].tolist(), reached["poor_households"].tolist())]
        elements.append(common.points(reached, "code", [CANDIDATE_COLOR] * len(reached), tips, display=display,
                                      name="候选点覆盖的村", style=REACHED_STYLE | {"color": CANDIDATE_COLOR},
                                      radius=config.VILLAGE_RADIUS + 9, class_name="fupin-reached"))
    elements.append(Legend("候选点", [(f"半径 {radius_km:g} 公里（直线距离）内的短板村", CANDIDATE_COLOR)],
                           position="topright"))
    return _group("候选点", elements)


def suggestion_layer(suggested: list[dict], targets: pd.DataFrame, radius_km: float,
                     display: Display = WGS84_DISPLAY) -> folium.FeatureGroup | None:
    """The suggested sites numbered 1..k with their radius and the villages each adds."""
    if not suggested:
        return None
    elements = []
    by_code = targets.set_index("code")
    for number, site in enumerate(suggested, start=1):
        elements += _site(site["lon"], site["lat"], radius_km, SUGGESTED_COLOR, f"建议{number}",
                          f"建议点位 {number}", display)
    codes = [c for site in suggested for c in site["codes"]]
    if codes:
        reached = by_code.loc[codes].reset_index()
        site_of = {c: n for n, site in enumerate(suggested, start=1) for c in site["codes"]}
        tips = [[n, f"由建议点位 {site_of[c]} 覆盖", f"贫困户 {p} 户"] for n, c, p in
                zip(reached["name"].tolist(), reached["code"].tolist(), reached["poor_households"].tolist())]
        elements.append(common.points(reached, "code", [SUGGESTED_COLOR] * len(reached), tips, display=display,
                                      name="建议点位覆盖的村", style=REACHED_STYLE | {"color": SUGGESTED_COLOR},
                                      radius=config.VILLAGE_RADIUS + 7, class_name="fupin-suggested"))
    elements.append(Legend("建议点位", [(f"建议点位及其 {radius_km:g} 公里内新覆盖的短板村", SUGGESTED_COLOR)],
                           position="topright"))
    return _group("建议点位", elements)
