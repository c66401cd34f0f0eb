"""工作措施: the plan's 27 measures with their status per quarter, the KPI each is measured
by, and a 科室 filter so that each 科室 sees its own list."""
import streamlit as st

from fupin_geo import ui
from fupin_geo.analysis import measures
from fupin_geo.ui.panels import measures as panel

ui.ensure_app_navigation()

dataset = ui.current_dataset()
st.title("工作措施进展")
st.caption(f"数据季度：{dataset.quarter} · 《湛江市农业农村局2019年扎实推进产业精准扶贫工作方案》"
           "（湛农通〔2019〕287号）产业扶贫第1–27项")
ui.demo_banner(dataset)

unit = panel.unit_filter()
table = measures.tracker(dataset, ui.quarters(), unit)
panel.status_counts(table)
st.subheader(f"{unit or '全部科室'}：{len(table)} 项措施")
panel.tracker_table(table)

st.subheader("各季度进展")
panel.history_table(measures.status_history(ui.all_datasets(), unit))
