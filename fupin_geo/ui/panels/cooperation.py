"""The 湛柳协作 page's panel: city focus, year and flow kinds (kept in the URL, so a saved
view or a copied link opens the same view), the two-city map, tables and charts."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ... import config
from ...analysis import cooperation, url_params
from ...data.dataset import Dataset
from ...maps import cooperation_map
from .. import tables
from ..mapview import show_map
from ..text import md, source_addresses
from ..widgets import Figure, figure_cards

COOP = "coop"
COOP_INIT, COOP_CITY, COOP_YEAR, COOP_KINDS = f"{COOP}_init", f"{COOP}_city", f"{COOP}_year", f"{COOP}_kinds"
# Session-state keys that make the page read its URL again (presentation mode clears them).
RESET_KEYS = (COOP_INIT,)
ALL_YEARS = "全部"


@dataclass(frozen=True)
class CoopView:
    city: str  # "both" or a city adcode
    year: int | None
    kinds: tuple[str, ...]


def _seed_from_url(years: list[int]) -> None:
    params = st.query_params.to_dict()
    year = url_params.year(params.get("year"), years)
    kinds, refused = url_params.names(params.get("flows"), config.FLOW_UNITS)
    if "flows" not in params or (refused and not kinds):  # "flows=" is none; only unknown ones: the default
        kinds = tuple(config.FLOW_UNITS)
    st.session_state.update({
        COOP_CITY: url_params.choice(params.get("city"), cooperation_map.CITIES) or "both",
        COOP_YEAR: ALL_YEARS if year is None else year,
        COOP_KINDS: list(kinds),
        COOP_INIT: True,
    })


def controls(dataset: Dataset) -> CoopView:
    years = cooperation.years(dataset)
    if not st.session_state.get(COOP_INIT) or any(k not in st.session_state for k in (COOP_CITY, COOP_YEAR)):
        _seed_from_url(years)
    st.segmented_control("地图范围", list(cooperation_map.CITIES), key=COOP_CITY,
                         format_func=cooperation_map.CITIES.get, selection_mode="single")
    st.selectbox("年份", [ALL_YEARS, *years], key=COOP_YEAR)
    st.multiselect("往来类型", list(config.FLOW_UNITS), key=COOP_KINDS, placeholder="不显示往来")
    year = st.session_state[COOP_YEAR]
    view = CoopView(st.session_state[COOP_CITY] or "both", None if year == ALL_YEARS else int(year),
                    tuple(st.session_state[COOP_KINDS]))
    _write_url(view)
    return view


def _write_url(view: CoopView) -> None:
    wanted = {}
    if view.city != "both":
        wanted["city"] = view.city
    if view.year is not None:
        wanted["year"] = str(view.year)
    if view.kinds != tuple(config.FLOW_UNITS):
        wanted["flows"] = ",".join(view.kinds)
    current = st.query_params.to_dict()
    if {k: current.get(k) for k in ("city", "year", "flows") if k in current} != wanted:
        for key in ("city", "year", "flows"):
            if key in st.query_params and key not in wanted:
                del st.query_params[key]
        st.query_params.update(wanted)


def headline(dataset: Dataset, per_row: int = 3) -> None:
    """The summary figures; three to a row at most: six long labels in one row are cut off on
    a 1280-pixel screen."""
    numbers = list(cooperation.summary(dataset).items())
    figure_cards([Figure(label, f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}")
                  for label, value in numbers], "cooperation", per_row)


def two_city_map(dataset: Dataset, view: CoopView) -> None:
    paired = frozenset(dataset.pairings["zj_county_code"]) | frozenset(dataset.pairings["lz_county_code"])
    flows = cooperation.flow_arcs(dataset, view.year, view.kinds)
    layers = [cooperation_map.arc_group(cooperation.pairing_arcs(dataset), "结对关系", "fupin-pairings"),
              cooperation_map.arc_group(flows, "往来", "fupin-flows")]
    center, zoom = cooperation_map.focus(view.city)
    show_map(cooperation_map.base_map(paired), key="cooperation_map", layers=layers, center=center, zoom=zoom)
    st.caption("线宽按数量（各类往来分别比较）；圆点为往来的终点。结对关系为公开信息；"
               "往来为程序生成的演示数据（2018 年消费扶贫合计取公开数字）；"
               "协作项目中注明来源的为公开资料，其余为演示数据。")


def pairing_list(dataset: Dataset) -> None:
    st.subheader("结对关系")
    if dataset.pairings.empty:
        st.info("数据中还没有结对关系。", icon=":material/info:")
        return
    for row in cooperation.pairings_table(dataset).itertuples():
        st.markdown(f"**{md(row.湛江县区)}** ↔ **{md(row.柳州县区)}**")
    source = dataset.pairings["source"].iloc[0]
    st.caption(f"来源：{md(source)}")
    source_addresses(source)


def tables_and_charts(dataset: Dataset) -> None:
    if dataset.cooperation_projects.empty and dataset.cooperation_flows.empty:
        st.info("数据中还没有协作项目或往来记录。可在数据管理中按模板导入。", icon=":material/info:")
        return
    left, right = st.columns(2, gap="medium")
    with left:
        st.subheader("按结对县区")
        tables.show_short(cooperation.by_pairing(dataset))
        st.subheader("按年份")
        per_year = cooperation.by_year(dataset)
        tables.show_short(per_year.astype({"年份": str}))  # a year, or 年份不详
        flows = [c for c in per_year.columns if c.endswith("（万元）") and not c.startswith("项目")]
        st.bar_chart(per_year.assign(年份=per_year["年份"].astype(str)).set_index("年份")[flows],
                     stack=False, y_label="万元")
    with right:
        st.subheader("按工作领域（合作备忘录）")
        areas = cooperation.by_work_area(dataset)
        tables.show_short(areas)
        # horizontal bars swap the axes: y_label names the value axis, here the horizontal one
        st.bar_chart(areas.set_index("工作领域")["金额（万元）"], horizontal=True, y_label="万元")
    st.subheader("协作项目")
    tables.show(cooperation.project_table(dataset), wide=["项目名称"])
