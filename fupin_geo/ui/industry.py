"""The 产业地图's panel: filters, search, layers and basemap, kept in the URL; the map's
click and fly-to; the village detail."""
from __future__ import annotations

import os
from dataclasses import replace

import pandas as pd
import streamlit as st

from .. import config
from ..analysis import filters, view_state
from ..analysis.filters import VillageFilter
from ..analysis.profile import VillageProfile
from ..analysis.search import SearchIndex
from ..analysis.view_state import ViewState
from ..data import geodata
from ..data.store import Dataset
from ..geo import basemaps
from ..geo.display import Display
from ..maps import industry_map
from . import (COUNTY_FILTER_LABEL, Figure, _dataset, county_filter, current_dataset, data_version, figure_cards,
               md, new_clicked_village, village_card)

# Session-state keys of the page's widgets; the URL is read into them on the page's first run.
IND = "industry"
IND_INIT, IND_VIEW, IND_FILTER = f"{IND}_init", f"{IND}_view", f"{IND}_initial_filter"
IND_COUNTIES, IND_TOWNS, IND_CATEGORIES, IND_PRODUCTS = (
    f"{IND}_counties", f"{IND}_towns", f"{IND}_categories", f"{IND}_products")
IND_BASEMAP, IND_MEASURE, IND_VILLAGE, IND_SEARCH, IND_FLY = (
    f"{IND}_basemap", f"{IND}_measure", f"{IND}_village", f"{IND}_search", f"{IND}_fly")
IND_PICK, IND_CLICKED, IND_ROUND, IND_AGAIN = (
    f"{IND}_pick", f"{IND}_clicked", f"{IND}_search_round", f"{IND}_again")
# Where the map was last sent (lat, lon, zoom; WGS-84) and the filter it was sent for.
IND_TARGET, IND_TARGET_FILTER = f"{IND}_target", f"{IND}_target_filter"
IND_GAP, IND_LAYERS, IND_TABLE_OPEN = f"{IND}_gap", f"{IND}_layers", f"{IND}_table_open"
FLY_ZOOM = 12  # close enough to tell neighbouring villages apart, with the town around
# The basemap and measure boxes: about a third of a 1,440 px wide page, the width they had
# as a row of three columns; their longest choices still fit.
CHOICE_WIDTH_PX = 420


@st.cache_resource(show_spinner=False, max_entries=config.CACHED_DATASETS)
def _search_index(url: str, quarter: str, version: int) -> SearchIndex:
    return SearchIndex.build(_dataset(url, quarter, version).villages)


def search_index(dataset: Dataset) -> SearchIndex:
    return _search_index(config.database_url(), dataset.quarter, data_version())


def _known_values(dataset: Dataset) -> dict[str, set[str]]:
    return {"counties": set(dataset.villages["county_code"]), "towns": set(dataset.villages["town_code"]),
            "categories": set(config.PRODUCT_CATEGORIES), "products": set(dataset.products["product"])}


def _seed_from_url(dataset: Dataset) -> None:
    """On the page's first run in this session, put the link's view into the widgets."""
    state = view_state.from_query(st.query_params.to_dict(), _known_values(dataset))
    st.session_state.update({
        IND_COUNTIES: list(state.counties), IND_TOWNS: list(state.towns),
        IND_CATEGORIES: list(state.categories), IND_PRODUCTS: list(state.products),
        IND_BASEMAP: state.basemap, IND_MEASURE: state.measure, IND_GAP: state.gap, IND_VILLAGE: state.village,
        IND_LAYERS: list(state.layers),
        IND_VIEW: state.view, IND_FILTER: _filter_of(state), IND_INIT: True, IND_FLY: None,
        # a link's extent holds until the filters change; without one the map fits them
        # (and without either the base map's own extent, the city, is already right)
        IND_TARGET: state.view,
        IND_TARGET_FILTER: _filter_of(state) if state.view or _filter_of(state).is_empty else None,
    })
    if state.problems:
        st.toast(f"链接中有无法识别的参数，已忽略：{md('、'.join(state.problems))}", icon=":material/link_off:")


def _filter_of(state: ViewState) -> VillageFilter:
    return VillageFilter(state.counties, state.towns, state.categories, state.products)


def _keep_valid(key: str, options: list[str]) -> None:
    """Drop selections that the other filters have made impossible (e.g. a town of a county
    no longer chosen), so the widget never holds a value it does not offer."""
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]


def industry_controls(dataset: Dataset) -> ViewState:
    """Filters, search, layers and basemap; returns the view they describe."""
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
    # Rows are horizontal containers and the layers one widget: each element of a rerun costs
    # the browser's main thread, which a filter change waits on (bench/README.md, 30 Nov).
    applies = {label: f"作用于：{text}。" for label, text in filters.APPLIES_TO.items()}
    county_filter(choices["counties"], key=IND_COUNTIES, help=applies[COUNTY_FILTER_LABEL])
    filter_row = st.container(horizontal=True)
    filter_row.multiselect("镇（街道）", choices["towns"], key=IND_TOWNS, placeholder="全部镇街",
                       format_func=geodata.town_name, help=applies["镇（街道）"])
    filter_row.multiselect("产业类别", choices["categories"], key=IND_CATEGORIES, placeholder="全部类别",
                      help=applies["产业类别"])
    filter_row.multiselect("产品", choices["products"], key=IND_PRODUCTS, placeholder="全部产品",
                       help=applies["产品"])
    st.caption("筛选作用于地图各图层、统计数字和村庄列表：产业园按主导产业、龙头企业按行业、合作社按所在村，"
               "水产养殖只按县区和类别；详见筛选框旁的问号。")
    _search_box(dataset)
    chosen = st.pills("图层", list(view_state.LAYERS), selection_mode="multi", key=IND_LAYERS,
                      format_func=view_state.LAYERS.get, help="点击图层名称显示或隐藏该图层，可多选。")
    layers = tuple(k for k in view_state.LAYERS if k in (chosen or ()))  # in the map's own order
    basemap_row = st.container(horizontal=True)
    basemap_row.selectbox("底图", list(basemaps.BASEMAPS), key=IND_BASEMAP, width=CHOICE_WIDTH_PX,
                          format_func=lambda k: basemaps.BASEMAPS[k].label)
    if "choropleth" in layers:
        basemap_row.selectbox("县区着色指标", list(view_state.MEASURES), key=IND_MEASURE, width=CHOICE_WIDTH_PX,
                              format_func=view_state.MEASURES.get)
    if "gaps" in layers:
        basemap_row.selectbox("基础设施短板指标", list(view_state.GAPS), key=IND_GAP, width=CHOICE_WIDTH_PX,
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
    """Put the view into the URL (the browser adds the live extent, see maps.elements.ViewSync)."""
    wanted = replace(state, view=None).to_query()
    known = {k: v for k, v in st.query_params.to_dict().items() if k != "view"}
    if known != wanted:
        st.query_params.from_dict(wanted | ({"view": view_state.format_view(*state.view)} if state.view else {}))


def _pick_key(search_round: int) -> str:
    """Each search gets a results box of its own. One box reused for every search keeps its
    widget id, so the browser sends back the choice it showed for an earlier list; that
    counted as a change and ran its callback after the new search had reset the box."""
    return f"{IND_PICK}_{search_round}"


def _on_search() -> None:
    # a new round: the next list of results is a new box that starts at its first entry
    st.session_state[IND_ROUND] = st.session_state.get(IND_ROUND, 0) + 1
    query = st.session_state.get(IND_SEARCH, "")
    dataset = current_dataset()
    found = search_index(dataset).search(query)
    if found:
        _select_village(found[0], fly=True)


def _on_pick(search_round: int) -> None:
    """A choice in the results of search `search_round`; one from an older list (sent by the
    browser in the same rerun as a new search) is ignored, so the new search wins."""
    code = st.session_state.get(_pick_key(search_round))
    if code and search_round == st.session_state.get(IND_ROUND, 0):
        _select_village(code, fly=True)


def _select_village(code: str, fly: bool) -> None:
    st.session_state[IND_VILLAGE] = code
    if fly:
        st.session_state[IND_FLY] = code


def _search_box(dataset: Dataset) -> None:
    query_column, result_column = st.columns([1, 1])
    query = query_column.text_input("搜索贫困村", key=IND_SEARCH, on_change=_on_search,
                                    placeholder="村名、拼音（如 sandun）或代码，回车定位")
    if not query:
        return
    names = dict(zip(dataset.villages["code"].tolist(), dataset.villages["name"].tolist()))
    found = search_index(dataset).search(query)
    if not found:
        result_column.warning(f"没有找到“{md(query)}”。可输入村名、拼音或12位代码。", icon=":material/search_off:")
    elif len(found) > 1:
        # only a choice made here selects (on_change): a later map click must not be undone
        search_round = st.session_state.get(IND_ROUND, 0)
        result_column.selectbox(f"找到 {len(found)} 个村", found, key=_pick_key(search_round),
                                on_change=_on_pick, args=(search_round,),
                                format_func=lambda c: f"{names[c]}（{geodata.county_name(c[:6])}）")
    else:
        result_column.success(f"已定位：{md(names[found[0]])}", icon=":material/my_location:")
    chosen = st.session_state.get(IND_VILLAGE)
    if chosen in found:
        # pressing Enter on an unchanged query does nothing in Streamlit: this flies back
        result_column.button("回到该村", key=IND_AGAIN, icon=":material/center_focus_strong:",
                             on_click=_select_village, args=(chosen, True))


def basemap_choice(state: ViewState) -> tuple[basemaps.Basemap, str | None]:
    """The basemap to draw, falling back to the offline one when 天地图 has no key."""
    basemap = basemaps.BASEMAPS[state.basemap]
    token = tianditu_token() if basemap.needs_token else None
    if basemap.needs_token and not token:
        st.warning("未配置天地图密钥，已改用离线底图。请在 .streamlit/secrets.toml 中写入 "
                   "`tianditu_token = \"你的密钥\"`，或设置环境变量 FUPIN_TIANDITU_TOKEN。",
                   icon=":material/key_off:")
        return basemaps.BASEMAPS[basemaps.DEFAULT_BASEMAP], None
    if basemap.online:
        st.info(f"已选在线底图「{basemap.label}」：地图瓦片从互联网加载，内网环境下可能无法显示。",
                icon=":material/public:")
    return basemap, token


def tianditu_token() -> str | None:
    try:
        secret = st.secrets.get("tianditu_token")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        secret = None
    return secret or os.environ.get(basemaps.TIANDITU_TOKEN_ENV) or None


def map_move(full: Dataset, shown: Dataset, state: ViewState, display: Display) -> dict:
    """Where the map should be, as show_map's `center`, `zoom` and `again`.

    The map goes to a searched village (`again`: even when it was the last one searched, the
    user may have panned away), fits the villages the filters show when they change, and
    otherwise stays where it is (the same target is sent again, which moves nothing). The
    target is kept in WGS-84 and drawn through `display`, so a basemap change keeps it."""
    code = st.session_state.pop(IND_FLY, None)
    current = _filter_of(state)
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
        _select_village(clicked, fly=False)
        st.rerun()


def counts_row(counts: dict[str, int]) -> None:
    figure_cards([Figure(label, f"{value:,}") for label, value in counts.items()], "counts",
                 per_row=len(counts), border=False)


def village_detail(profile: VillageProfile, history) -> None:
    """The card plus linkage, indicators and the quarters' history."""
    village_card(profile)
    if profile.parks:
        st.markdown("**所在产业园范围**：" + md("；".join(profile.parks)))
    if not profile.links.empty:
        st.markdown("**联农带农**")
        st.dataframe(profile.links, hide_index=True, width="stretch")
    st.markdown("**指标**")
    st.dataframe(pd.DataFrame({"指标": list(profile.indicators), "数值": list(profile.indicators.values())}),
                 hide_index=True, width="stretch")
    if len(history) > 1:
        st.markdown("**各季度变化**")
        shares = history.drop(columns=["一村一品数"])
        st.line_chart(shares, height=200, y_label="比例", x_label="季度")

