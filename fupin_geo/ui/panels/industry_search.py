"""The 产业地图's village search: a box, its results and the village they choose.

A search looks through every village of the quarter. Those the filters show come first and
are chosen; one the filters leave out is not flown to (the map has no point for it): the box
says where it is and offers to clear the filters."""
from __future__ import annotations

import streamlit as st

from ...memo import per_dataset
from ...analysis import filters
from ...analysis.filters import VillageFilter
from ...analysis.search import SearchIndex
from ...data import geodata
from ...data.dataset import Dataset
from .. import session
from ..session import current_dataset
from ..text import md
from .industry_keys import (FILTER_KEYS, IND_AGAIN, IND_FLY, IND_OUTSIDE, IND_PICK, IND_ROUND, IND_SEARCH,
                            IND_SHOW_OUTSIDE, IND_VILLAGE)


@per_dataset
def search_index(dataset: Dataset) -> SearchIndex:
    return SearchIndex.build(dataset.villages)


def pick_key(search_round: int) -> str:
    """Each search gets a results box of its own. One box reused for every search keeps its
    widget id, so the browser sends back the choice it showed for an earlier list; that
    counted as a change and ran its callback after the new search had reset the box."""
    return f"{IND_PICK}_{search_round}"


def current_filter() -> VillageFilter:
    return VillageFilter(*(tuple(st.session_state.get(k) or ()) for k in FILTER_KEYS))


def found_villages(dataset: Dataset, query: str, f: VillageFilter) -> tuple[list[str], set[str]]:
    """The villages a query finds, those the filter shows first, and the set of those shown."""
    found = search_index(dataset).search(query)
    if f.is_empty:
        return found, set(found)
    shown = dataset.villages.loc[filters.matching_villages(dataset, f).to_numpy(), "code"]
    inside = set(found) & set(shown.tolist())
    return sorted(found, key=lambda code: code not in inside), inside


def _choose(code: str, inside: bool) -> None:
    """A result chosen: flown to if the filters show it, else kept aside for the message."""
    st.session_state[IND_OUTSIDE] = None if inside else code
    if inside:
        select_village(code, fly=True)


def on_search() -> None:
    # a new round: the next list of results is a new box that starts at its first entry
    st.session_state[IND_ROUND] = st.session_state.get(IND_ROUND, 0) + 1
    st.session_state[IND_OUTSIDE] = None
    found, inside = found_villages(current_dataset(), st.session_state.get(IND_SEARCH, ""), current_filter())
    if found:
        _choose(found[0], found[0] in inside)


def on_pick(search_round: int) -> None:
    """A choice in the results of search `search_round`; one from an older list (sent by the
    browser in the same rerun as a new search) is ignored, so the new search wins."""
    code = st.session_state.get(pick_key(search_round))
    if code and search_round == st.session_state.get(IND_ROUND, 0):
        _, inside = found_villages(current_dataset(), st.session_state.get(IND_SEARCH, ""), current_filter())
        _choose(code, code in inside)


def select_village(code: str, fly: bool) -> None:
    st.session_state[IND_VILLAGE] = code
    if fly:
        st.session_state[IND_FLY] = code


def show_outside(code: str) -> None:
    """Callback: clear every filter (on every page, for the counties) and fly to the village."""
    for key in FILTER_KEYS:
        st.session_state[key] = []
    session.choose_counties(())
    st.session_state[IND_OUTSIDE] = None
    select_village(code, fly=True)


def _scope(f: VillageFilter) -> str:
    """The filter in words, for the message about a village it leaves out."""
    parts = []
    if f.counties:
        parts.append("县区：" + "、".join(geodata.county_name(c) for c in f.counties))
    if f.towns:
        parts.append("镇街：" + "、".join(geodata.town_name(t) for t in f.towns))
    if f.categories or f.products:
        parts.append("产业：" + "、".join([*f.categories, *f.products]))
    return "；".join(parts)


def search_box(dataset: Dataset) -> None:
    query_column = result_column = st.container()  # beside the map: too narrow for two columns
    query = query_column.text_input("搜索贫困村", key=IND_SEARCH, on_change=on_search,
                                    placeholder="村名、拼音（如 sandun）或代码，回车定位")
    if not query:
        return
    names = dict(zip(dataset.villages["code"].tolist(), dataset.villages["name"].tolist()))
    f = current_filter()
    found, inside = found_villages(dataset, query, f)

    def label(code: str) -> str:
        return f"{names[code]}（{geodata.county_name(code[:6])}）" + ("" if code in inside else "·筛选范围外")

    if not found:
        result_column.warning(f"没有找到“{md(query)}”。可输入村名、拼音或12位代码。", icon=":material/search_off:")
    elif len(found) > 1:
        # only a choice made here selects (on_change): a later map click must not be undone
        search_round = st.session_state.get(IND_ROUND, 0)
        result_column.selectbox(f"找到 {len(found)} 个村" + (f"（{len(found) - len(inside)} 个在筛选范围外）"
                                                           if len(inside) < len(found) else ""),
                                found, key=pick_key(search_round), on_change=on_pick, args=(search_round,),
                                format_func=label)
    elif found[0] in inside:
        result_column.success(f"已定位：{md(names[found[0]])}", icon=":material/my_location:")
    outside = st.session_state.get(IND_OUTSIDE)
    if outside in found and outside not in inside:
        result_column.warning(f"{md(names[outside])}在{md(geodata.county_name(outside[:6]))}，不在当前筛选范围内"
                              f"（{md(_scope(f))}），地图上没有它的村点。", icon=":material/filter_alt_off:")
        result_column.button("清除筛选，显示该村", key=IND_SHOW_OUTSIDE, icon=":material/filter_alt_off:",
                             on_click=show_outside, args=(outside,))
    chosen = st.session_state.get(IND_VILLAGE)
    if chosen in found:
        # pressing Enter on an unchanged query does nothing in Streamlit: this flies back
        result_column.button("回到该村", key=IND_AGAIN, icon=":material/center_focus_strong:",
                             on_click=select_village, args=(chosen, True))
