"""The 产业地图's view as URL query parameters, so a copied link opens the same view.

Parsing is forgiving: an unknown value is dropped and reported, never an error, because
links get truncated and edited by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Mapping

from .. import config
from ..geo import basemaps

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

_LIST_PARAMS = {"counties": "county", "towns": "town", "categories": "cat", "products": "product",
                "layers": "layers"}
_VIEW = re.compile(r"^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$")


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


def _one(value) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def from_query(params: Mapping, known: Mapping[str, set[str]] | None = None) -> ViewState:
    """The view a link describes. `known` lists the valid codes/names per list parameter
    (counties, towns, categories, products); values outside it are dropped and reported."""
    known = dict(known or {})
    known["layers"] = set(LAYERS)
    values: dict = {}
    problems: list[str] = []
    for name, param in _LIST_PARAMS.items():
        if param not in params:
            continue
        items = tuple(dict.fromkeys(v for v in _one(params[param]).split(",") if v))
        allowed = known.get(name)
        bad = [v for v in items if allowed is not None and v not in allowed]
        problems += [f"{param}={v}" for v in bad]
        values[name] = tuple(v for v in items if v not in bad)
    if "basemap" in params:
        if _one(params["basemap"]) in basemaps.BASEMAPS:
            values["basemap"] = _one(params["basemap"])
        else:
            problems.append(f"basemap={_one(params['basemap'])}")
    if "measure" in params:
        if _one(params["measure"]) in MEASURES:
            values["measure"] = _one(params["measure"])
        else:
            problems.append(f"measure={_one(params['measure'])}")
    if "gap" in params:
        if _one(params["gap"]) in GAPS:
            values["gap"] = _one(params["gap"])
        else:
            problems.append(f"gap={_one(params['gap'])}")
    if "view" in params:
        match = _VIEW.match(_one(params["view"]))
        lat, lon, zoom = (float(g) for g in match.groups()) if match else (0.0, 0.0, 0.0)
        if match and -90 <= lat <= 90 and -180 <= lon <= 180:
            values["view"] = (lat, lon, min(max(zoom, config.MIN_ZOOM), config.MAX_ZOOM))
        else:
            problems.append(f"view={_one(params['view'])}")
    if "village" in params:
        code = _one(params["village"])
        if re.fullmatch(r"\d{12}", code):
            values["village"] = code
        else:
            problems.append(f"village={code}")
    return ViewState(**values, problems=tuple(problems))


FIELDS = [f.name for f in fields(ViewState)]
