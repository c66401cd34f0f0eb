"""The 工作措施 page's panel: the 科室 filter, status counts, the tracker with traffic
lights, and each measure's status over the quarters. Also the link from 总览's KPI cards."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ...analysis import measures as tracker_analysis
from ...analysis import url_params
from ...data import measures as plan
from .. import tables

UNIT_KEY = "measures_unit"
ALL_UNITS = "__all__"
PAGE = "pages/measures.py"
ROW_PX = 35  # st.dataframe's row height
# Widths (px) of the tracker's columns, wrapped in rows of six lines (measure 25 has four
# figures in 考核指标): at 1280 px (820 px of table) everything up to 提示 is in view, the
# answer never cut to "目标 …"; 进展说明 and the plan's wording follow to the right.
COLUMN_PX = {"序号": 44, "措施": 120, "状态": 60, "牵头科室": 140, "配合单位": 140, "考核指标": 250,
             "指标达标": 64, "提示": 140, "进展说明": 200, "工作方案原文": 400}
WRAPPED_ROW_PX = 116


def link_from_kpis() -> None:
    """Under 总览's KPI cards: where each KPI's measures and their 科室 are tracked."""
    st.page_link(PAGE, label="查看各指标对应的工作措施、牵头科室和进展", icon=":material/checklist:")


def unit_filter() -> str | None:
    """The 科室 whose measures to show (those it leads, alone or jointly); None for all. Kept
    in the URL (?unit=…) so that a 科室 can bookmark its own list."""
    units = plan.units()
    if UNIT_KEY not in st.session_state:
        st.session_state[UNIT_KEY] = url_params.choice(st.query_params.get("unit"), units) or ALL_UNITS
    unit = st.selectbox("科室", [ALL_UNITS, *units], key=UNIT_KEY,
                        format_func=lambda u: "全部科室" if u == ALL_UNITS else u,
                        help="工作方案每项措施括号内列出的科室都是牵头科室（方案第1项：“牵头科室，下同”）；"
                             "列出两个科室的措施由两个科室共同牵头，两个科室都能在这里找到它。")
    if unit == ALL_UNITS:
        st.query_params.pop("unit", None)
        return None
    st.query_params["unit"] = unit
    return unit


def status_counts(table: pd.DataFrame) -> None:
    counts = tracker_analysis.status_counts(table)
    for column, (status, count) in zip(st.columns(len(counts)), counts.items()):
        column.metric(status, f"{count} 项", border=True)


def _light(status: str) -> str:
    colour = tracker_analysis.LIGHTS.get(status)
    return f"background-color: {colour}; color: white; font-weight: bold" if colour else ""


def tracker_table(table: pd.DataFrame) -> None:
    """The measures with their status as a coloured cell (traffic light)."""
    if table.empty:
        st.info("该科室在工作方案中没有列名的措施。", icon=":material/info:")
        return
    tables.show(table, style=lambda styler: styler.map(_light, subset=["状态"]),
                row_height=WRAPPED_ROW_PX, height=_rows_height(len(table), wrapped=True),
                column_config={c: st.column_config.Column(width=px) for c, px in COLUMN_PX.items()
                               if c in table.columns})
    st.caption("状态颜色：灰＝未启动，蓝＝推进中，绿＝已完成，红＝滞后。考核指标为本季度全市数值与工作方案目标；"
               "标“规划参考”的为工作方案未定量的参考值，不计达标与否。")


def history_table(history: pd.DataFrame) -> None:
    quarters = [c for c in history.columns if c not in ("序号", "措施")]
    tables.show(history, style=lambda styler: styler.map(_light, subset=quarters), height=_rows_height(len(history)))


def _rows_height(rows: int, wrapped: bool = False) -> int:
    """Tall enough to show every measure without an inner scroll bar (27 at most)."""
    return (WRAPPED_ROW_PX if wrapped else ROW_PX) * rows + ROW_PX + 3
