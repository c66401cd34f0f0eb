"""季度对比: which targets are red now, what changed since the previous quarter (on the map
and as lists), and every KPI's trend over the quarters."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.analysis import trends
from fupin_geo.maps import infrastructure_map
from fupin_geo.ui.edge import below_map
from fupin_geo.ui.panels import infrastructure as infra_panel
from fupin_geo.ui.panels import measures as measures_panel
from fupin_geo.ui.panels import trends as panel

ui.ensure_app_navigation()

dataset = ui.current_dataset()
datasets = {d.quarter: d for d in ui.all_datasets()}
st.title("季度对比")
st.caption(f"当前季度：{dataset.quarter} · 红色为未达工作方案目标")
ui.demo_banner(dataset)

# The map comes first, under the banner (a projector's first screen): the quarters it compares
# and this quarter's KPI cards are beside it.
map_column, side_column = st.columns([3, 2], gap="medium")
with side_column:
    before, after = panel.quarter_pair(list(datasets), dataset.quarter)
    key = panel.change_indicator() if before != after else None
    st.subheader(f"{dataset.quarter} 指标")
    ui.kpi_cards(ui.quarter_kpis(dataset), per_row=2, previous=ui.previous_kpis(dataset))
    measures_panel.link_from_kpis()
    with st.expander("各县区基础设施指标（红色为未达标）"):
        if below_map.drawn():  # its table would hold back the map on a tab's first map page
            infra_panel.county_table(dataset)
        else:
            st.caption("表格正在加载……")
with map_column:
    if before == after:
        st.info("请选择两个不同的季度进行对比。", icon=":material/compare_arrows:")
    else:
        layer = infrastructure_map.change_layer(datasets[before], datasets[after], key)
        ui.show_map(infrastructure_map.base_map(), key="quarters_map", layers=[layer])
        st.caption("两个季度之间的变化：地图标出所选指标新达标和退步的村。")
if below_map.ready("变化清单和趋势图正在加载……"):  # after the map on a tab's first map page
    if before != after:
        st.subheader("两个季度之间的变化")
        panel.change_lists(trends.changes(datasets[before], datasets[after]))
    st.subheader("各项指标的季度趋势")
    panel.trend_charts(list(datasets.values()))
