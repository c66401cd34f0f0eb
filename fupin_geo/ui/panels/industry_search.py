"""The 产业地图's village search: a box, its results and the village they choose."""
from __future__ import annotations

import streamlit as st

from ...memo import per_dataset
from ...analysis.search import SearchIndex
from ...data import geodata
from ...data.dataset import Dataset
from ..session import current_dataset
from ..text import md
from .industry_keys import IND_AGAIN, IND_FLY, IND_PICK, IND_ROUND, IND_SEARCH, IND_VILLAGE


@per_dataset
def search_index(dataset: Dataset) -> SearchIndex:
    return SearchIndex.build(dataset.villages)


def pick_key(search_round: int) -> str:
    """Each search gets a results box of its own. One box reused for every search keeps its
    widget id, so the browser sends back the choice it showed for an earlier list; that
    counted as a change and ran its callback after the new search had reset the box."""
    return f"{IND_PICK}_{search_round}"


def on_search() -> None:
    # a new round: the next list of results is a new box that starts at its first entry
    st.session_state[IND_ROUND] = st.session_state.get(IND_ROUND, 0) + 1
    query = st.session_state.get(IND_SEARCH, "")
    dataset = current_dataset()
    found = search_index(dataset).search(query)
    if found:
        select_village(found[0], fly=True)


def on_pick(search_round: int) -> None:
    """A choice in the results of search `search_round`; one from an older list (sent by the
    browser in the same rerun as a new search) is ignored, so the new search wins."""
    code = st.session_state.get(pick_key(search_round))
    if code and search_round == st.session_state.get(IND_ROUND, 0):
        select_village(code, fly=True)


def select_village(code: str, fly: bool) -> None:
    st.session_state[IND_VILLAGE] = code
    if fly:
        st.session_state[IND_FLY] = code


def search_box(dataset: Dataset) -> None:
    query_column = result_column = st.container()  # beside the map: too narrow for two columns
    query = query_column.text_input("搜索贫困村", key=IND_SEARCH, on_change=on_search,
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
        result_column.selectbox(f"找到 {len(found)} 个村", found, key=pick_key(search_round),
                                on_change=on_pick, args=(search_round,),
                                format_func=lambda c: f"{names[c]}（{geodata.county_name(c[:6])}）")
    else:
        result_column.success(f"已定位：{md(names[found[0]])}", icon=":material/my_location:")
    chosen = st.session_state.get(IND_VILLAGE)
    if chosen in found:
        # pressing Enter on an unchanged query does nothing in Streamlit: this flies back
        result_column.button("回到该村", key=IND_AGAIN, icon=":material/center_focus_strong:",
                             on_click=select_village, args=(chosen, True))
