"""短板排查: the villages that need help most, why, exportable; and where a new cooperative or
processing site would reach the most poor households."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.analysis import ranking
from fupin_geo.maps import ranking_map
from fupin_geo.ui.edge import below_map
from fupin_geo.ui.panels import ranking as panel

ui.ensure_app_navigation()

dataset = ui.current_dataset()
# widgets and tables beside the map wait for it on a tab's first map page
map_drawn = below_map.drawn()
st.title("短板排查")
ui.demo_banner(dataset)
# The map comes first, under the county pills (a projector's first screen): the other
# controls and the site finder are beside it.
pills_at = st.container()
map_column, act_column = st.columns([3, 2], gap="medium")
with pills_at:
    view = panel.controls(dataset, act_column.container(), map_drawn)
ranked = panel.ranked(dataset, view)
if ranked.empty:
    st.info("所选范围内没有贫困村。", icon=":material/info:")
    st.stop()
top = ranked.head(view.top)

with act_column:
    st.subheader("在哪里设点")
    radius, k = panel.site_controls(map_drawn)
    site = panel.candidate_site()
    reached = ranking.reached(top, *site, radius) if site else top.iloc[:0]
    panel.candidate_panel(site, reached, radius)
    suggested = ranking.suggest_sites(ranking.candidate_sites(dataset, view.scope), top, k, radius,
                                      reached_already=reached["code"].tolist())
    panel.suggestions_panel(suggested, top, k, radius, map_drawn)
with map_column:
    layers = [ranking_map.score_layer(ranked), ranking_map.top_layer(top),
              ranking_map.suggestion_layer(suggested, top, radius),
              ranking_map.candidate_layer(*(site or (None, None)), radius, reached)]
    lat, lon, zoom = ranking_map.focus_view(ranked)  # moves only when the scope changes
    result = ui.show_map(ranking_map.base_map(), key="ranking_map", layers=layers, center=(lat, lon), zoom=zoom,
                         returned_objects=panel.MAP_RETURNS)
    panel.handle_click(result)
    st.caption(f"短板得分与前 {len(top)} 名：颜色越深短板越突出，圈中数字为名次。"
               "点击地图放置候选点。距离均为直线距离。")

st.subheader("短板村排名")
if below_map.ready("排名表正在加载……"):  # after the map on a tab's first map page
    panel.ranking_table(ranked, view.top)
    panel.downloads(ranked, view.weights, dataset)
