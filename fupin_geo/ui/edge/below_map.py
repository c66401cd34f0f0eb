"""Works around streamlit 1.67.0 and streamlit-folium 0.27.4: a map held back by the content below it.

Streamlit's front end loads each element type's code on demand and, on a tab's first page,
shows the map only together with the other new elements of the run, once their code has
loaded. Tables and charts below a map (their code is the largest) so held the map back: on
季度对比 by about 3 s, on 总览, 基础设施 and 湛柳协作 by about 1 s (bench/README.md, "Map
pages as a tab's first page"). There, until the browser reports the map drawn, a page shows a
line of text where that content goes and an invisible reporter (map_drawn/index.html); the
report reruns the page, and from then on, in this tab, every page is drawn in one run.
Widgets and tables beside or above a map (短板排查's sliders and suggested sites) wait the
same way: the page asks `drawn()` and hands the answer to its panels.

What the reporter reads, checked against the pinned versions by
tests/unit/test_edge_contracts.py: the map frames' title (Streamlit titles a component's frame
with its name, streamlit_folium.st_folium), st_folium's `window.map` and
`__GLOBAL_DATA__.last_feature_group`, and Leaflet's `map._loaded`.

Only pages (pages/*.py) call it: a panel that needs to know is handed `drawn()`'s answer.
Lazy containers (st.tabs / st.expander with on_change="rerun") would keep tables off the
first run too, but behind a click on every visit, not only until a tab's first map is drawn.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

# Set for the rest of the session once a map has been reported drawn: the map's own element
# code is loaded then, so a later page's map no longer waits for the content below it.
MAP_DRAWN = "_below_map_map_drawn"
# The reporter's own value (a widget key: Streamlit drops it in runs that do not draw it).
_REPORT = "_below_map_report"

_reporter = components.declare_component("map_drawn", path=str(Path(__file__).parent / "map_drawn"))


def drawn() -> bool:
    """Has this tab drawn a map (reported in this run or before)? Draws nothing."""
    if st.session_state.get(MAP_DRAWN) or st.session_state.get(_REPORT):
        st.session_state[MAP_DRAWN] = True
    return bool(st.session_state.get(MAP_DRAWN))


def ready(waiting: str | None = None) -> bool:
    """May the page draw what lies below its map in this run?

    False until this tab has drawn a map: then `waiting` (if any) is shown as a caption in
    that content's place, and an invisible reporter waits for the map. Call it once per run,
    after the page's map; elsewhere on the page use `drawn()`."""
    if drawn():
        return True
    if waiting:
        st.caption(waiting)
    _reporter(key=_REPORT, default=False)
    return False
