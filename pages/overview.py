"""总览: KPIs against the plan, the city map with every poverty village, the county table.

On a tab's first page (most often this one) the KPI cards and the map come first and the
rest after the map is drawn (fupin_geo/ui/edge/below_map.py)."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.analysis import indicators, profile
from fupin_geo.maps import common
from fupin_geo.ui import tables
from fupin_geo.ui.edge import below_map
from fupin_geo.ui.panels import downloads
from fupin_geo.ui.panels import measures as measures_panel

ui.ensure_app_navigation()

SELECTED = "overview_selected"
CLICKED = "overview_clicked"

dataset = ui.current_dataset()
st.title("湛江市产业扶贫总览")
st.caption(f"数据季度：{ui.md(dataset.quarter)} · 省定贫困村 {len(dataset.villages)} 个")
ui.demo_banner(dataset)

# The map comes first, under the banner: at 1280×720 (a meeting room's projector) most of it is
# in the first screen, at 1920×1080 all of it. The village card and the KPI cards are beside it.
map_column, card_column = st.columns([3, 2], gap="medium")
with map_column:
    # the base is the same for every quarter: villages come as a layer (see ui.show_map)
    result = ui.show_map(common.base_map(), key="overview_map",
                         layers=[common.overview_layer(dataset),
                                 common.selection_highlight(dataset, st.session_state.get(SELECTED))])
    clicked = ui.new_clicked_village(dataset, result, CLICKED)
    if clicked:
        st.session_state[SELECTED] = clicked
        st.rerun()
    st.caption("贫困村分布与一村一品：点击村点查看村情卡片。")
    # after the map on a tab's first map page
    complete = below_map.ready("查找贫困村、下载和分县情况表正在加载……")
with card_column:
    if complete:
        names = dict(zip(dataset.villages["code"], dataset.villages["name"]))
        st.selectbox("查找贫困村", options=sorted(names, key=names.get), key=SELECTED, index=None,
                     format_func=lambda code: f"{names[code]}（{code}）", placeholder="输入村名或点击地图")
    chosen = profile.village_profile(dataset, st.session_state.get(SELECTED) or "")
    if chosen:
        ui.village_card(chosen)
    else:
        st.info("点击地图上的村点，或在上方输入村名，查看村情卡片。", icon=":material/touch_app:")
    ui.kpi_cards(ui.quarter_kpis(dataset), per_row=2, previous=ui.previous_kpis(dataset))
    if complete:
        measures_panel.link_from_kpis()

if complete:
    downloads.quarter_workbook(dataset, key="overview_quarter_xlsx")
    st.subheader("分县情况：各项指标（红色为未达标）")
    tables.county_targets(indicators.county_targets(dataset, indicators.reported_by(ui.quarters(), dataset.quarter)))
