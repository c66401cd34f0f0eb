"""联农带农: who is linked to whom, which enterprises meet the 扶贫龙头企业 bar, which park
villages lack a 带动协议, and which villages lack a cooperative."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.analysis import filters
from fupin_geo.maps import linkage_map
from fupin_geo.ui.edge import below_map
from fupin_geo.ui.panels import linkage as panel

ui.ensure_app_navigation()

full = ui.current_dataset()
st.title("联农带农")
ui.demo_banner(full)
shown = filters.apply(full, panel.county_filter(full))
lines = panel.lines_of(full, shown)
reach = panel.enterprises_in_view(full, shown, lines)

# The map comes first, under the county pills (a projector's first screen): figures beside it.
map_column, side_column = st.columns([3, 2], gap="medium")
with side_column:
    panel.enterprise_picker(reach, lines)
    panel.headline(shown, lines, reach, per_row=2)
with map_column:
    groups = linkage_map.layers(shown, lines=lines, selected=panel.selected_source())
    result = ui.show_map(linkage_map.base_map(), key="linkage_map", layers=groups)
    panel.handle_click(full, result)
    st.caption("线条：带动主体（企业、产业园、合作社）→ 贫困村，颜色表示联结方式，线宽表示带动农户数；"
               "村点颜色表示联农带农覆盖程度。鼠标移到线或点上查看详情。")

if below_map.ready("明细表正在加载……"):  # after the map on a tab's first map page
    panel.tables(shown, reach)
