"""基础设施: the plan's 人居环境 and 生产条件 targets per village and county, gap layers on
the map, and the villages below target (exportable)."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.analysis import indicators, infrastructure
from fupin_geo.maps import infrastructure_map
from fupin_geo.ui.edge import below_map
from fupin_geo.ui.panels import infrastructure as panel

ui.ensure_app_navigation()

dataset = ui.current_dataset()
st.title("基础设施与人居环境")
st.caption(f"数据季度：{dataset.quarter} · 省定贫困村 {len(dataset.villages)} 个 · "
           "目标来自工作方案第12、19、24–26项；标“规划参考”的为工作方案未定量的参考目标")
ui.demo_banner(dataset)

# The map comes first, under the banner (a projector's first screen): its layer choices and
# the indicator cards are beside it.
map_column, side_column = st.columns([3, 2], gap="medium")
with side_column:
    gaps, county_indicator = panel.map_controls()
    kpis = {k.target.key: k for k in indicators.compute_kpis(dataset, ui.quarters())}
    panel.indicator_cards(infrastructure.city_summaries(dataset), kpis.get("toilet_city"), per_row=2)
with map_column:
    layers = [infrastructure_map.county_gap_layer(dataset, county_indicator) if county_indicator else None,
              infrastructure_map.context_layer(dataset),
              *infrastructure_map.gap_layers(dataset, gaps)]
    ui.show_map(infrastructure_map.base_map(), key="infra_map", layers=layers)
    st.caption("短板地图：灰点为全部贫困村；彩色点为所选指标未达标的村（多选时依次缩小成同心圆）。"
               "县区着色为与目标的差距。")

st.subheader("分县情况")
if below_map.ready("分县情况表和未达标村清单正在加载……"):  # after the map on a tab's first map page
    panel.county_table(dataset)
    st.subheader("未达标村清单")
    panel.below_target_list(dataset)
