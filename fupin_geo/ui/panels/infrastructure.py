"""The 基础设施 page's panel: indicator cards, the gap map's controls, the county table and
the below-target list with its downloads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ... import config
from ...analysis import infrastructure
from ...analysis.indicators import Kpi
from ...data import geodata, table_export
from ...data.dataset import Dataset
from .. import tables
from ..widgets import Figure, county_filter, figure_cards

GAPS_KEY = "infra_gaps"
COUNTY_KEY = "infra_county_indicator"
TABLE_INDICATOR_KEY = "infra_table_indicator"
TABLE_COUNTIES_KEY = "infra_table_counties"
ALL = "__all__"
NO_CHOROPLETH = "__none__"
# The list's indicator box: its longest choice (全部指标（每村列出所有短板）) with room to spare.
INDICATOR_WIDTH_PX = 420
MET_BACKGROUND, MISSED_BACKGROUND = tables.MET_BACKGROUND, tables.MISSED_BACKGROUND


def indicator_cards(summaries: list[infrastructure.Summary], city_toilets: Kpi | None, per_row: int = 5) -> None:
    """One card per indicator: the city's value, the target, and the gap (red) or 达标 (green)."""
    cards = []
    if city_toilets is not None:
        kpi = city_toilets
        cards.append(Figure(kpi.target.label, kpi.formatted(), gap=kpi.gap_text(), met=bool(kpi.met),
                            help=f"口径：{kpi.target.scope}，非仅贫困村。{kpi.target.description}"
                                 f"（工作方案{kpi.target.plan_item}）。{kpi.goal_text()}。"))
    for summary in summaries:
        indicator = summary.indicator
        goal = f"目标 {'≥' if indicator.target < 1 else ''}{indicator.target:.0%}"
        if summary.value is None:
            value, gap = "无数据", None
        else:
            value = f"{summary.value:.1%}"
            gap = "达标" if summary.met else f"差 {summary.gap:.1f} 点"
            if indicator.reference:  # the plan sets no number: neither met nor missed
                gap = config.REFERENCE_BADGE
        cards.append(Figure(indicator.label, value, gap=gap, met=bool(summary.met), reference=indicator.reference,
                            help=f"口径：{config.POVERTY_VILLAGES_SCOPE}（有数据的村 {summary.villages} 个，未达标 "
                                 f"{summary.below} 个）。{goal}。依据：{indicator.basis}。"))
    figure_cards(cards, "infrastructure", per_row)


def map_controls() -> tuple[list[str], str | None]:
    """The gap layers to draw and the indicator of the county choropleth (None: none)."""
    labels = {i.key: i.label for i in config.INFRA_INDICATORS}
    gaps = st.multiselect("短板图层（未达标的村）", list(labels), default=[config.INFRA_INDICATORS[0].key],
                          key=GAPS_KEY, format_func=labels.get, placeholder="不显示村级短板")
    county = st.selectbox("县区着色：与目标的差距", [NO_CHOROPLETH, *labels], key=COUNTY_KEY,
                          format_func=lambda k: "不着色" if k == NO_CHOROPLETH else labels[k])
    return gaps, None if county == NO_CHOROPLETH else county


def _shade(table: pd.DataFrame, columns: dict[str, float], percent: list[str]):
    """The table styled: each cell of `columns` green when it meets its target, red when not;
    the `percent` columns as percentages."""
    def colour(value, target):
        if value is None or pd.isna(value):
            return ""
        met = value >= target - infrastructure.TOLERANCE
        return f"background-color: {MET_BACKGROUND if met else MISSED_BACKGROUND}"

    styler = table.style
    for column, target in columns.items():
        styler = styler.map(lambda v, t=target: colour(v, t), subset=[column])
    return styler.format({c: "{:.1%}" for c in percent}, na_rep="无数据")


def county_table(dataset: Dataset) -> None:
    table = infrastructure.county_table(dataset)
    # a 规划参考 column is left white: the plan sets no number to miss
    targets = {i.label: i.target for i in config.INFRA_INDICATORS if not i.reference}
    percent = [i.label for i in config.INFRA_INDICATORS]
    st.dataframe(_shade(table, targets, percent), hide_index=True, width="stretch")
    st.caption("绿色：达到目标；红色：未达到；规划参考指标（工作方案未定量）不着色。卫生户厕按户数加权，农业保险按贫困户数加权，其余为有该项的村所占比例。")


def below_target_list(dataset: Dataset) -> None:
    """The villages below target, filterable by indicator and county, with downloads."""
    labels = {ALL: "全部指标（每村列出所有短板）", **{i.key: i.label for i in config.INFRA_INDICATORS}}
    key = st.selectbox("指标", list(labels), key=TABLE_INDICATOR_KEY, format_func=labels.get, width=INDICATOR_WIDTH_PX)
    selection = county_filter(sorted(dataset.villages["county_code"].unique()), key=TABLE_COUNTIES_KEY)
    chosen = None if key == ALL else key
    table = infrastructure.below_target_table(dataset, chosen, selection)
    st.caption(f"共 {len(table)} 个村未达标。点击列名排序。")
    tables.show(table, wide=["短板"])
    name = f"未达标村_{labels[key] if chosen else '全部指标'}_{dataset.quarter}"
    notes = [f"数据季度：{dataset.quarter}", f"指标：{labels[key]}",
             f"县区：{'、'.join(map(geodata.county_name, selection.counties)) or '全部'}"]
    if dataset.demo_records:
        notes.append(f"本表基于演示数据（来源「{config.DEMO_SOURCE}」），不是真实数据。")
    first, second = st.columns(2)
    first.download_button("下载 Excel（.xlsx）", data=lambda: table_export.to_xlsx_bytes(table, "未达标村", notes),
                          file_name=f"{name}.xlsx", on_click="ignore", icon=":material/download:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    second.download_button("下载 CSV", data=lambda: table_export.to_csv_bytes(table), file_name=f"{name}.csv",
                           on_click="ignore", icon=":material/download:", mime="text/csv")
