"""湛柳协作: the Zhanjiang–Liuzhou pairings on a two-city map, the flows between them, and
the projects by the memorandum's work areas."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.ui.edge import below_map
from fupin_geo.ui.panels import cooperation as panel

ui.ensure_app_navigation()

dataset = ui.current_dataset()
st.title("湛柳协作")
st.caption(f"湛江市与柳州市东西部扶贫协作（携手奔小康）· 数据季度：{dataset.quarter}")
ui.demo_banner(dataset)

# The map comes first, under the banner (a projector's first screen): its controls and the
# figures are beside it.
map_column, side_column = st.columns([5, 2], gap="medium")
with side_column:
    view = panel.controls(dataset)
with map_column:
    panel.two_city_map(dataset, view)
with side_column:
    panel.headline(dataset, per_row=1)
    panel.pairing_list(dataset)

if below_map.ready("协作项目表和图表正在加载……"):  # after the map on a tab's first map page
    panel.tables_and_charts(dataset)
