"""产业地图: villages by 一村一品, towns' 一镇一业, parks, enterprises, cooperatives and
aquaculture as layers, with filters, search, basemaps and a shareable URL."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.analysis import filters, indicators, profile, tables
from fupin_geo.geo.display import Display
from fupin_geo.maps import common, industry_map
from fupin_geo.ui.edge.view_sync import ViewSync
from fupin_geo.ui import tables as ui_tables
from fupin_geo.ui.panels import downloads
from fupin_geo.ui.panels import industry as panel
from fupin_geo.ui.panels import industry_keys as keys

ui.ensure_app_navigation()

full = ui.current_dataset()
st.title("产业地图")
ui.demo_banner(full)
# The map comes first, under the county pills: at 1280×720 (a meeting room's projector) most
# of it is in the first screen. Search, village card and the other controls are beside it.
pills_at = st.container()
map_column, card_column = st.columns([5, 2], gap="medium")
search_at, card_at, controls_at = card_column.container(), card_column.container(), card_column.container()
with pills_at:
    view = panel.industry_controls(full, search_at, controls_at)
shown = filters.apply(full, filters.VillageFilter(view.counties, view.towns, view.categories, view.products))

with map_column:
    basemap, token = panel.basemap_choice(view)
    display = Display(basemap.crs)
    city_map = industry_map.base_map(basemap=basemap, token=token)  # never depends on filters
    ViewSync(crs=basemap.crs).add_to(city_map)  # pans and zooms reach the link without a rerun
    groups = industry_map.layers(shown, view, full=full, basemap=basemap)
    highlight = common.selection_highlight(full, view.village, display)
    result = ui.show_map(city_map, key="industry_map", layers=[*groups, highlight],
                         **panel.map_move(full, shown, view, display))
    panel.handle_click(shown, result, display)
    st.caption(f"{panel.FILTERS_NOTE}地址栏中的链接包含当前的筛选、图层、底图和地图范围，可直接复制发给同事。")
    panel.counts_row(indicators.industry_counts(shown), per_row=3)
with card_at:
    chosen = profile.village_profile(full, view.village or "")
    if chosen:
        panel.village_detail(chosen, profile.village_history(ui.all_datasets(), chosen.code))
    else:
        st.info("点击地图上的村点，或在上方搜索村名，查看村情卡片。", icon=":material/touch_app:")

village_table = tables.village_table(shown)
with downloads.row():
    downloads.table_downloads(village_table, "村庄列表", full.quarter, key="industry_villages")
    downloads.quarter_workbook(full, key="industry_quarter_xlsx")
# Closed until asked for, and then drawn only while open: the table's first drawing held the
# map back by about a second, and every filter change redrew it (bench/README.md, 产业地图 in a browser).
# Its label stays the same: Streamlit takes an expander with another label for a new one and
# closes it (the count is in the 贫困村 figure above).
listing = st.expander("村庄列表（当前筛选下的村）", key=keys.IND_TABLE_OPEN, on_change="rerun",
                      icon=":material/table_rows:")
if listing.open:
    with listing:
        ui_tables.show(village_table)
