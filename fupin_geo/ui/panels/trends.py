"""The 季度对比 page's panel: trend charts of every KPI (Altair, which Streamlit ships, so they
draw offline) and the comparison of two quarters."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ... import config
from ...analysis import trends
from ...data.dataset import Dataset
from .. import tables
from ..widgets import Figure, figure_cards

BEFORE_KEY, AFTER_KEY, CHANGE_KEY = "quarters_before", "quarters_after", "quarters_change_indicator"
CHART_HEIGHT = 150
GOAL_COLOR = "#d73027"
LINE_COLOR = "#2166ac"


def source_line(datasets: list[Dataset]) -> str:
    demo = any(d.demo_records for d in datasets)
    return f"来源：{config.DEMO_SOURCE}（非真实数据）" if demo else "来源：各季度台账"


def kpi_chart(series: pd.DataFrame, key: str, source: str) -> alt.LayerChart:
    """One KPI over the quarters: its values, the target as a dashed line, title, units, source."""
    rows = series[series["key"] == key]
    first = rows.iloc[0]
    unit = "百分比（%）" if first["unit"] == "%" else f"次数（{first['unit']}）"
    goal = f"{first['goal']:g}{'%' if first['unit'] == '%' else first['unit']}"
    title = alt.Title(str(first["label"]),
                      subtitle=[f"单位：{unit} · 目标 {goal}", f"{source} · 依据：{first['basis']}"],
                      anchor="start", fontSize=14, subtitleFontSize=10)
    known = rows["value"].dropna()
    upper = max(float(first["goal"]), float(known.max()) if len(known) else 0.0)
    lowest = float(known.min()) if len(known) else 0.0
    # shares: from 10 points under the lowest value (whole tens) to 100, so that the change shows
    lower = 0.0 if first["unit"] != "%" else max(0.0, (min(lowest, upper) - 10) // 10 * 10)
    upper = upper if first["unit"] == "%" else upper + 1
    base = alt.Chart(rows).encode(
        x=alt.X("quarter:N", title="季度", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=unit, scale=alt.Scale(domain=[lower, upper], nice=False),
                axis=alt.Axis(tickCount=4)),
        tooltip=[alt.Tooltip("quarter:N", title="季度"), alt.Tooltip("value:Q", title="数值", format=".1f")],
    )
    line = base.mark_line(point=True, color=LINE_COLOR)
    target = alt.Chart(rows.head(1)).mark_rule(color=GOAL_COLOR, strokeDash=[5, 4]).encode(y="goal:Q")
    return alt.layer(line, target).properties(title=title, height=CHART_HEIGHT, padding={"top": 8},
                                                autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def trend_charts(datasets: list[Dataset], per_row: int = 3) -> None:
    series = trends.kpi_series(datasets)
    source = source_line(datasets)
    keys = list(dict.fromkeys(series["key"]))
    for start in range(0, len(keys), per_row):
        for column, key in zip(st.columns(per_row), keys[start:start + per_row]):
            # Streamlit's own chart theme clips multi-line titles: Vega-Lite's default lays them out
            column.altair_chart(kpi_chart(series, key, source), width="stretch", theme=None)


def quarter_pair(available: list[str], current: str) -> tuple[str, str]:
    """The two quarters to compare: by default the one before the current, and the current."""
    position = available.index(current) if current in available else len(available) - 1
    left, right = st.columns(2)
    before = left.selectbox("前一季度", available, index=max(0, position - 1), key=BEFORE_KEY)
    after = right.selectbox("后一季度", available, index=position, key=AFTER_KEY)
    return before, after


def change_indicator() -> str:
    return st.selectbox("地图显示哪项指标的变化", list(trends.STATE_LABELS), key=CHANGE_KEY,
                        format_func=trends.STATE_LABELS.get)


def change_lists(changes: trends.Changes) -> None:
    counts, pairs = changes.counts(), changes.pair_counts()
    notes = {key: f"共 {count:,} 个村，{pairs[key]:,} 项指标（一个村可能有多项）" for key, count in counts.items()
             if key in pairs}
    figure_cards([Figure(f"{label}（{changes.before}→{changes.after}）", f"{count:,} {trends.COUNT_UNITS[label]}",
                         help=notes.get(label))
                  for label, count in counts.items()],
                 "changes", per_row=len(counts))
    tabs = st.tabs([f"{label} {count:,} {trends.COUNT_UNITS[label]}" for label, count in counts.items()])
    frames = (trends.by_village(changes.met), trends.by_village(changes.fell_back),
              changes.new_industries, changes.new_linkages)
    empty = ("没有村新达标。", "没有村退步。", "没有新增产业。", "没有新增联农带农关系。")
    for tab, frame, message in zip(tabs, frames, empty):
        with tab:
            if frame.empty:
                st.info(message, icon=":material/info:")
            else:
                tables.show(frame, wide=["指标"] if "项数" in frame.columns else ())
