"""The 产业地图's panel: filters, search, layers and basemap, kept in the URL; the map's
click and fly-to; the village detail."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ... import config
from ...analysis import filters
from ...maps import industry_view as view_state
from ...analysis.filters import VillageFilter
from ...maps.industry_view import ViewState
from ...data import geodata
from ...data.dataset import Dataset
from ...geo import basemaps
from ...geo.display import Display
from ...maps import industry_map
from .. import session
from ..mapview import new_clicked_village
from ..text import md
from ..widgets import COUNTY_FILTER_LABEL, county_filter
from .industry_detail import basemap_choice, counts_row, village_detail  # noqa: F401  (the page's)
from .industry_keys import (FLY_ZOOM, IND_BASEMAP, IND_CATEGORIES, IND_CLICKED, IND_COUNTIES, IND_FILTER,
                            IND_FLY, IND_GAP, IND_INIT, IND_LAYERS, IND_MEASURE, IND_PRODUCTS, IND_TARGET,
                            IND_TARGET_FILTER, IND_TOWNS, IND_VIEW, IND_VILLAGE)
from .industry_search import search_box, select_village

def _known_values(dataset: Dataset) -> dict[str, set[str]]:
    return {"counties": set(dataset.villages["county_code"]), "towns": set(dataset.villages["town_code"]),
            "categories": set(config.PRODUCT_CATEGORIES), "products": set(dataset.products["product"])}


def _seed_from_url(dataset: Dataset) -> None:
    """On the page's first run in this session, put the link's view into the widgets. The
    counties: a link's on the session's first visit (and from then on every page's), else
    those chosen on the other pages."""
    params = st.query_params.to_dict()
    state = view_state.from_query(params, _known_values(dataset))
    if view_state.COUNTY_PARAM not in params or st.session_state.get(IND_INIT):
        state = replace(state, counties=tuple(c for c in session.counties() if c in _known_values(dataset)["counties"]))
    session.choose_counties(state.counties)
    st.session_state.update({
        IND_COUNTIES: list(state.counties), IND_TOWNS: list(state.towns),
        IND_CATEGORIES: list(state.categories), IND_PRODUCTS: list(state.products),
        IND_BASEMAP: state.basemap, IND_MEASURE: state.measure, IND_GAP: state.gap, IND_VILLAGE: state.village,
        IND_LAYERS: list(state.layers),
        IND_VIEW: state.view, IND_FILTER: state.village_filter, IND_INIT: True, IND_FLY: None,
        # a link's extent holds until the filters change; without one the map fits them
        # (and without either the base map's own extent, the city, is already right)
        IND_TARGET: state.view,
        IND_TARGET_FILTER: state.village_filter if state.view or state.village_filter.is_empty else None,
    })
    if state.problems:
        st.toast(f"链接中有无法识别的参数，已忽略：{md('、'.join(state.problems))}", icon=":material/link_off:")


def _keep_valid(key: str, options: list[str]) -> None:
    """Drop selections that the other filters have made impossible (e.g. a town of a county
    no longer chosen), so the widget never holds a value it does not offer."""
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]


# Under the map, with the line about the link: beside it, presentation mode (no filters
# shown) would show it alone.
FILTERS_NOTE = ("筛选作用于地图各图层、统计数字和村庄列表：产业园按主导产业、龙头企业按行业、合作社按所在村，"
                "水产养殖只按县区和类别；详见筛选框旁的问号。")


def industry_controls(dataset: Dataset, search_at, beside) -> ViewState:
    """Filters, search, layers and basemap; returns the view they describe. The county pills
    go where the page is (above the map), the search box into `search_at` and the rest into
    `beside` (containers beside the map: the map has to come first on a projector's screen)."""
    # Streamlit forgets the state of widgets not drawn in a run (e.g. while another page was
    # shown): seed them again then, rather than draw a map without layers.
    drawn_always = (IND_COUNTIES, IND_BASEMAP, IND_LAYERS)
    if not st.session_state.get(IND_INIT) or any(k not in st.session_state for k in drawn_always):
        _seed_from_url(dataset)
    current = VillageFilter(*(tuple(st.session_state.get(k, [])) for k in
                              (IND_COUNTIES, IND_TOWNS, IND_CATEGORIES, IND_PRODUCTS)))
    choices = filters.options(dataset, current)
    for key, option_key in ((IND_COUNTIES, "counties"), (IND_TOWNS, "towns"),
                            (IND_CATEGORIES, "categories"), (IND_PRODUCTS, "products")):
        _keep_valid(key, choices[option_key])
    # The layers are one widget: each element of a rerun costs the browser's main thread,
    # which a filter change waits on (bench/README.md, 产业地图 in a browser).
    applies = {label: f"作用于：{text}。" for label, text in filters.APPLIES_TO.items()}
    county_filter(choices["counties"], key=IND_COUNTIES, help=applies[COUNTY_FILTER_LABEL])
    with search_at:
        search_box(dataset)
    with beside:
        st.multiselect("镇（街道）", choices["towns"], key=IND_TOWNS, placeholder="全部镇街",
                       format_func=geodata.town_name, help=applies["镇（街道）"])
        st.multiselect("产业类别", choices["categories"], key=IND_CATEGORIES, placeholder="全部类别",
                       help=applies["产业类别"])
        st.multiselect("产品", choices["products"], key=IND_PRODUCTS, placeholder="全部产品",
                       help=applies["产品"])
        chosen = st.pills("图层", list(view_state.LAYERS), selection_mode="multi", key=IND_LAYERS,
                          format_func=view_state.LAYERS.get, help="点击图层名称显示或隐藏该图层，可多选。")
        layers = tuple(k for k in view_state.LAYERS if k in (chosen or ()))  # in the map's own order
        st.selectbox("底图", list(basemaps.BASEMAPS), key=IND_BASEMAP,
                     format_func=lambda k: basemaps.BASEMAPS[k].label)
        if "choropleth" in layers:
            st.selectbox("县区着色指标", list(view_state.MEASURES), key=IND_MEASURE,
                         format_func=view_state.MEASURES.get)
        if "gaps" in layers:
            st.selectbox("基础设施短板指标", list(view_state.GAPS), key=IND_GAP,
                         format_func=view_state.GAPS.get)
    state = ViewState(
        counties=tuple(st.session_state[IND_COUNTIES]), towns=tuple(st.session_state[IND_TOWNS]),
        categories=tuple(st.session_state[IND_CATEGORIES]), products=tuple(st.session_state[IND_PRODUCTS]),
        layers=layers, basemap=st.session_state[IND_BASEMAP], measure=st.session_state[IND_MEASURE],
        gap=st.session_state.get(IND_GAP, view_state.DEFAULT_GAP),
        village=st.session_state.get(IND_VILLAGE),
        # the link's extent holds until the filters change; then the map fits what they show
        view=st.session_state[IND_VIEW] if current == st.session_state[IND_FILTER] else None,
    )
    _write_url(state)
    return state


def _write_url(state: ViewState) -> None:
    """Put the view into the URL (the browser adds the live extent, see ui.edge.view_sync)."""
    wanted = replace(state, view=None).to_query()
    known = {k: v for k, v in st.query_params.to_dict().items() if k != "view"}
    if known != wanted:
        st.query_params.from_dict(wanted | ({"view": view_state.format_view(*state.view)} if state.view else {}))


def map_move(full: Dataset, shown: Dataset, state: ViewState, display: Display) -> dict:
    """Where the map should be, as show_map's `center`, `zoom` and `again`.

    The map goes to a searched village (`again`: even when it was the last one searched, the
    user may have panned away), fits the villages the filters show when they change, and
    otherwise stays where it is (the same target is sent again, which moves nothing). The
    target is kept in WGS-84 and drawn through `display`, so a basemap change keeps it."""
    code = st.session_state.pop(IND_FLY, None)
    current = state.village_filter
    again = False
    row = full.villages[full.villages["code"] == code] if code else full.villages.iloc[:0]
    if not row.empty:
        target, again = (float(row["lat"].iloc[0]), float(row["lon"].iloc[0]), FLY_ZOOM), True
    elif current != st.session_state.get(IND_TARGET_FILTER):
        target = industry_map.focus_view(shown.villages)
    else:
        target = st.session_state.get(IND_TARGET)
    st.session_state[IND_TARGET], st.session_state[IND_TARGET_FILTER] = target, current
    if target is None:
        return {"center": None, "zoom": None, "again": False}
    return {"center": display.point(target[0], target[1]), "zoom": target[2], "again": again}


def handle_click(dataset: Dataset, result: dict, display: Display) -> None:
    clicked = new_clicked_village(dataset, result, IND_CLICKED, display)
    if clicked and clicked != st.session_state.get(IND_VILLAGE):
        select_village(clicked, fly=False)
        st.rerun()


