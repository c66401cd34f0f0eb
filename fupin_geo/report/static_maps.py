"""Maps for print and slides, drawn offline from geodata/ and the data with matplotlib.

Each function returns PNG bytes. Only `matplotlib.figure.Figure` is used (never pyplot), so
maps can be drawn from Streamlit's threads at the same time.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import config
from ..analysis import cooperation
from ..analysis.industries import village_categories
from ..data import geodata
from ..data.dataset import Dataset
from ..maps import label_placement
from . import fonts, style

# 10 × 7.5 in: the map area of a 16:9 slide and of a landscape A4 page, at STATIC_MAP_DPI.
FIGSIZE = (10.0, 7.5)
MARGIN_DEG = 0.08
# Charts hold no fine lines or small names: 150 dpi prints sharp and saves time and bytes.
CHART_DPI = 150
# The two cities together are three times as tall as wide.
COOPERATION_FIGSIZE = (6.0, 7.5)  # a little land and sea around the county or city shown


def _figure(size: tuple[float, float] = FIGSIZE) -> tuple[Figure, object]:
    fonts.register()
    figure = Figure(figsize=size, layout="constrained")
    axes = figure.add_subplot()
    axes.set_facecolor(config.SEA_COLOR)
    axes.set_xticks([])
    axes.set_yticks([])
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=config.STATIC_MAP_DPI)
    return buffer.getvalue()


def _frame(axes, bounds) -> None:
    minx, miny, maxx, maxy = bounds
    axes.set_xlim(minx - MARGIN_DEG, maxx + MARGIN_DEG)
    axes.set_ylim(miny - MARGIN_DEG, maxy + MARGIN_DEG)
    # degrees of longitude are shorter than of latitude here: keep shapes true
    axes.set_aspect(1 / np.cos(np.radians((miny + maxy) / 2)))
    axes.set_xlabel("")  # geopandas labels the axes with the CRS; a map needs no axes
    axes.set_ylabel("")


def _basemap(axes, county: str | None) -> tuple[float, float, float, float]:
    """Land, the city's counties (the chosen one outlined) and their names; returns the bounds."""
    geodata.land().plot(ax=axes, color=config.CONTEXT_LAND_COLOR, edgecolor="#c9c2b3", linewidth=0.4)
    counties = geodata.counties(config.ZHANJIANG)
    counties.plot(ax=axes, color=config.LAND_COLOR, edgecolor=config.COUNTY_LINE_COLOR, linewidth=0.8)
    shown = counties[counties["adcode"] == county] if county else counties
    if county:
        shown.boundary.plot(ax=axes, color="#b3261e", linewidth=2)
    bounds = tuple(shown.total_bounds)
    for name, point in zip(counties["name"], counties.geometry.representative_point()):
        if bounds[0] <= point.x <= bounds[2] and bounds[1] <= point.y <= bounds[3]:
            axes.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=11,
                          color="#3d342b", alpha=0.75)
    _frame(axes, bounds)
    return bounds


def _villages(dataset: Dataset, county: str | None) -> pd.DataFrame:
    villages = dataset.villages
    return villages[villages["county_code"] == county] if county else villages


def _legend(axes, entries: list[tuple[str, str, int]], title: str) -> None:
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=color,
                      markeredgecolor="white", label=f"{label}（{count}）") for label, color, count in entries]
    axes.legend(handles=handles, title=title, loc="lower left", fontsize=11, title_fontsize=12,
                framealpha=0.9)


def _points(axes, villages: pd.DataFrame, colors: list[str]) -> None:
    size = 28 if len(villages) > 60 else 60
    axes.scatter(villages["lon"], villages["lat"], c=colors, s=size, edgecolors="white", linewidths=0.6, zorder=3)


def industry_map(dataset: Dataset, county: str | None = None) -> bytes:
    """Villages coloured by the category of their 一村一品."""
    figure, axes = _figure()
    _basemap(axes, county)
    villages = _villages(dataset, county)
    categories = village_categories(dataset).reindex(villages["code"])["category"].tolist()
    colors = [config.PRODUCT_CATEGORIES.get(c, config.NO_INDUSTRY_COLOR) for c in categories]
    _points(axes, villages, colors)
    counts = pd.Series(categories).value_counts()
    palette = {**config.PRODUCT_CATEGORIES, config.NO_INDUSTRY_LABEL: config.NO_INDUSTRY_COLOR}
    _legend(axes, [(k, palette[k], int(counts[k])) for k in palette if k in counts], "一村一品类别")
    return _png(figure)


LINKED, UNLINKED = ("已有联农带农", "#009E73"), ("尚无联农带农", "#D55E00")


def linkage_map(dataset: Dataset, county: str | None = None) -> bytes:
    """Villages with at least one linkage (enterprise, park or cooperative) and those without."""
    figure, axes = _figure()
    _basemap(axes, county)
    villages = _villages(dataset, county)
    linked = villages["code"].isin(dataset.linkages["village_code"]).tolist()
    _points(axes, villages, [LINKED[1] if v else UNLINKED[1] for v in linked])
    _legend(axes, [(*LINKED, sum(linked)), (*UNLINKED, len(linked) - sum(linked))], "联农带农覆盖")
    return _png(figure)


# Infrastructure: each village by what it still lacks (item 25 of the plan).
GAPS = {
    "户厕与村容均达标": "#009E73",
    "户厕未达标": "#E69F00",
    "未达干净整洁村": "#56B4E9",
    "两项均未达标": "#D55E00",
}


def infrastructure_gaps(villages: pd.DataFrame) -> list[str]:
    """The GAPS label of each village: toilets below the 100 % target, not a 干净整洁村."""
    toilets_short = (villages["toilet_rate"] < config.TOILET_TARGET_VILLAGES - 1e-9).tolist()
    not_clean = (~villages["clean_village"].astype(bool)).tolist()
    labels = list(GAPS)
    return [labels[3 if t and c else 1 if t else 2 if c else 0] for t, c in zip(toilets_short, not_clean)]


def infrastructure_map(dataset: Dataset, county: str | None = None) -> bytes:
    figure, axes = _figure()
    _basemap(axes, county)
    villages = _villages(dataset, county)
    gaps = infrastructure_gaps(villages)
    _points(axes, villages, [GAPS[g] for g in gaps])
    counts = pd.Series(gaps).value_counts()
    _legend(axes, [(k, c, int(counts.get(k, 0))) for k, c in GAPS.items()], "基础设施短板")
    return _png(figure)


def _curve(arc: cooperation.Arc, steps: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """The same quadratic curve the web map's ArcLayer draws."""
    cx = (arc.from_lon + arc.to_lon) / 2 - (arc.to_lat - arc.from_lat) * arc.bend
    cy = (arc.from_lat + arc.to_lat) / 2 + (arc.to_lon - arc.from_lon) * arc.bend
    t = np.linspace(0, 1, steps)
    u = 1 - t
    return (u * u * arc.from_lon + 2 * u * t * cx + t * t * arc.to_lon,
            u * u * arc.from_lat + 2 * u * t * cy + t * t * arc.to_lat)


def cooperation_map(dataset: Dataset, year: int | None = None) -> bytes:
    """Both cities, paired counties tinted, the pairings and the flows as arcs."""
    return _png(cooperation_figure(dataset, year))


def cooperation_figure(dataset: Dataset, year: int | None = None) -> Figure:
    figure, axes = _figure(COOPERATION_FIGSIZE)
    # 广东 and 广西 whole and the land around them: the land between the two cities is land
    provinces = geodata.provinces()
    provinces.plot(ax=axes, color=config.CONTEXT_LAND_COLOR, edgecolor="#a89f8d", linewidth=0.6)
    counties = geodata.counties()
    counties = counties[counties["city_adcode"].isin([config.ZHANJIANG, config.LIUZHOU])]
    paired = set(dataset.pairings["zj_county_code"]) | set(dataset.pairings["lz_county_code"])
    colors = ["#f3dfc1" if c in paired else config.LAND_COLOR for c in counties["adcode"]]
    counties.plot(ax=axes, color=colors, edgecolor=config.COUNTY_LINE_COLOR, linewidth=0.6)
    for arc in cooperation.pairing_arcs(dataset) + cooperation.flow_arcs(dataset, year):
        xs, ys = _curve(arc)
        # pixels on screen ~ points at 72 dpi; a little thinner keeps labels legible
        axes.plot(xs, ys, color=arc.color, linewidth=arc.weight * 0.45, alpha=0.8, solid_capstyle="round", zorder=3)
        axes.plot(xs[-1], ys[-1], "o", color=arc.color, markeredgecolor="white", markersize=6, zorder=4)
    handles = [Line2D([], [], color=config.PAIRING_COLOR, linewidth=2.5, label="结对关系")]
    handles += [Line2D([], [], color=config.FLOW_COLORS[k], linewidth=4, label=f"{k}（{u}）")
                for k, u in config.FLOW_UNITS.items()]
    # beside the map, in the room its tall shape leaves: on it, it hid 雷州 and 麻章
    axes.legend(handles=handles, loc="lower left", bbox_to_anchor=(1.02, 0.0), fontsize=11, framealpha=0.9,
                title="线宽按数量；\n圆点为终点", title_fontsize=10)
    minx, miny, maxx, maxy = geodata.cities().total_bounds
    _frame(axes, (minx, miny, maxx, maxy))
    _county_names(figure, axes, counties, paired)
    return figure


# Names of paired counties larger, beside their arcs' ends; the others small.
PAIRED_NAME_PT, OTHER_NAME_PT = 13, 8


def _county_names(figure: Figure, axes, counties, paired: set[str]) -> None:
    """Each county's name placed as on the web map (maps.label_placement): beside its point,
    or moved out with a leader line where names would overlap (柳州's and 湛江's districts)."""
    figure.draw_without_rendering()  # the final layout, so data → pixel positions hold
    points = counties.geometry.representative_point()
    to_px = axes.transData.transform(np.column_stack([points.x, points.y]))
    height_px = figure.bbox.height
    px_per_pt = figure.dpi / 72  # savefig scales the whole figure to its dpi alike
    sizes = []  # each name's drawn extent, measured, with a point of room around it
    for code, name in zip(counties["adcode"], counties["short_name"]):
        big = code in paired
        probe = axes.text(0, 0, name, fontsize=PAIRED_NAME_PT if big else OTHER_NAME_PT,
                          fontweight="bold" if big else "normal")
        extent = probe.get_window_extent()
        probe.remove()
        sizes.append((extent.width + 2 * px_per_pt, extent.height + 2 * px_per_pt))
    # matplotlib's pixels run upwards; the placement's downwards
    xy = [(float(x), float(height_px - y)) for x, y in to_px]
    placed = label_placement.place_boxes(xy, sizes, scale=px_per_pt)
    for (code, name, point), p, (w, h) in zip(zip(counties["adcode"], counties["short_name"], points), placed, sizes):
        big = code in paired
        centre = ((p.dx + w / 2) / px_per_pt, -(p.dy + h / 2) / px_per_pt)  # in points, upwards
        note = axes.annotate(
            name, (point.x, point.y), xytext=centre, textcoords="offset points", ha="center", va="center",
            fontsize=PAIRED_NAME_PT if big else OTHER_NAME_PT, color="#3d342b",
            fontweight="bold" if big else "normal", zorder=5,
            arrowprops=dict(arrowstyle="-", color=style.TABLE_HEAD, linewidth=0.6, shrinkA=0, shrinkB=0)
            if p.leader else None)
        note.set_in_layout(False)  # placed for this layout: it must not change it


def bar_chart(categories: list[str], series: dict[str, list[float]], unit: str, *,
              horizontal: bool = False, goals: list[float] | None = None) -> bytes:
    """A bar chart (for the PDF; the deck uses native charts in the same colours, style.py),
    optional goal marks."""
    fonts.register()
    figure = Figure(figsize=(10.0, 5.0), layout="constrained")
    axes = figure.add_subplot()
    positions = np.arange(len(categories))
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        offset = positions - 0.4 + width * (i + 0.5)
        draw = axes.barh if horizontal else axes.bar
        draw(offset, values, width, label=name, color=style.series_color(i))
    if goals is not None:
        marker = dict(marker="|" if horizontal else "_", markersize=24, markeredgewidth=3, color=style.GOAL,
                      linestyle="", label="目标")
        axes.plot(goals, positions, **marker) if horizontal else axes.plot(positions, goals, **marker)
    (axes.set_yticks if horizontal else axes.set_xticks)(positions, categories, fontsize=11)
    (axes.set_xlabel if horizontal else axes.set_ylabel)(unit, fontsize=11)
    if horizontal:
        axes.invert_yaxis()
    axes.legend(fontsize=10, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(series) + 1, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI)
    return buffer.getvalue()
