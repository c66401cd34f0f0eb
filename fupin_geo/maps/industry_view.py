"""The 产业地图's view as URL query parameters, so a copied link opens the same view.

Parsing is forgiving: an unknown value is dropped and reported, never an error, because
links get truncated and edited by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Mapping

from .. import config
from ..geo import basemaps
from ..analysis import url_params
from ..analysis.filters import VillageFilter

# Layers of the 产业地图 and their labels, in drawing order (bottom first).
LAYERS: dict[str, str] = {
    "choropleth": "县区着色",
    "aquaculture": "水产养殖",
    "villages": "贫困村",
    "linkage": "联农带农覆盖",
    "gaps": "基础设施短板",
    "towns": "一镇一业",
    "parks": "产业园",
    "enterprises": "龙头企业",
    "cooperatives": "合作社",
    "processing": "加工企业",
}
DEFAULT_LAYERS = ("aquaculture", "villages", "parks", "enterprises")

MEASURES: dict[str, str] = {
    "villages": "贫困村数",
    "poor_households": "贫困户数",
    "industry_villages": "有产业的村数",
}
DEFAULT_MEASURE = "villages"
# The indicator of the 基础设施短板 layer (config.INFRA_INDICATORS).
GAPS: dict[str, str] = {i.key: i.label for i in config.INFRA_INDICATORS}
DEFAULT_GAP = config.INFRA_INDICATORS[0].key

COUNTY_PARAM = "county"
_LIST_PARAMS = {"counties": COUNTY_PARAM, "towns": "town", "categories": "cat", "products": "product",
                "layers": "layers"}


@dataclass(frozen=True)
class ViewState:
    counties: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: str = basemaps.DEFAULT_BASEMAP
    measure: str = DEFAULT_MEASURE
    gap: str = DEFAULT_GAP
    # map extent: centre and zoom; None = fit the city
    view: tuple[float, float, float] | None = None
    village: str | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def village_filter(self) -> VillageFilter:
        """The villages this view shows."""
        return VillageFilter(self.counties, self.towns, self.categories, self.products)

    def to_query(self) -> dict[str, str]:
        """Only what differs from the default view, so links stay short."""
        query: dict[str, str] = {}
        default = ViewState()
        for name, param in _LIST_PARAMS.items():
            value = getattr(self, name)
            if value != getattr(default, name):
                query[param] = ",".join(value)
        if self.basemap != default.basemap:
            query["basemap"] = self.basemap
        if self.measure != default.measure:
            query["measure"] = self.measure
        if self.gap != default.gap:
            query["gap"] = self.gap
        if self.view is not None:
            query["view"] = format_view(*self.view)
        if self.village:
            query["village"] = self.village
        return query


def format_view(lat: float, lon: float, zoom: float) -> str:
    return f"{lat:.5f},{lon:.5f},{zoom:g}"


def from_query(params: Mapping, known: Mapping[str, set[str]] | None = None) -> ViewState:
    """The view a link describes. `known` lists the valid codes/names per list parameter
    (counties, towns, categories, products); values outside it are dropped and reported.
    Every value goes through its parser in url_params."""
    known = dict(known or {})
    list_parsers = {"counties": url_params.counties, "towns": url_params.towns,
                    "categories": url_params.names, "products": url_params.names}
    values: dict = {}
    problems: list[str] = []
    for name, param in _LIST_PARAMS.items():
        if param not in params:
            continue
        if name == "layers":
            kept, bad = url_params.layers(params[param], LAYERS)
            # "layers=" is a view without layers; a link whose every layer is unknown is not
            kept = kept if kept or not bad else DEFAULT_LAYERS
        else:
            kept, bad = list_parsers[name](params[param], known.get(name))
        problems += url_params.shown_all(param, bad)
        values[name] = kept
    for name, param, choices in (("basemap", "basemap", basemaps.BASEMAPS), ("measure", "measure", MEASURES),
                                 ("gap", "gap", GAPS)):
        if param in params:
            value = url_params.choice(params[param], choices)
            if value is None:
                problems.append(url_params.shown(param, params[param]))
            else:
                values[name] = value
    if "view" in params:
        extent = url_params.extent(params["view"], config.MIN_ZOOM, config.MAX_ZOOM)
        if extent is None:
            problems.append(url_params.shown("view", params["view"]))
        else:
            values["view"] = extent
    if "village" in params:
        code = url_params.village(params["village"])
        if code is None:
            problems.append(url_params.shown("village", params["village"]))
        else:
            values["village"] = code
    return ViewState(**values, problems=tuple(problems))


FIELDS = [f.name for f in fields(ViewState)]
