"""The 联农带农 page's panel: county filter, headline counts, the chosen enterprise, and the
four tables (counties, enterprises, parks, cooperatives)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ... import config
from ...analysis import linkage
from ...analysis.filters import VillageFilter
from ...data.dataset import Dataset
from ...maps import linkage_map
from .. import tables as ui_tables
from ..text import md
from ..widgets import Figure, figure_cards
from ..widgets import county_filter as ui_county_filter

LNK = "linkage"
LNK_COUNTIES, LNK_SOURCE, LNK_CLICKED = f"{LNK}_counties", f"{LNK}_source", f"{LNK}_clicked"
# a clicked enterprise, put into the picker on the next run (a widget's value cannot change
# after the widget is drawn in the same run)
LNK_PENDING = f"{LNK}_pending"


def lines_of(full: Dataset, shown: Dataset) -> pd.DataFrame:
    """The linkage lines into the shown villages (sources anywhere in the city)."""
    lines = linkage.link_lines(full)
    if len(shown.villages) == len(full.villages):
        return lines
    return lines[lines["village_code"].isin(set(shown.villages["code"].tolist()))]


def county_filter(dataset: Dataset) -> VillageFilter:
    return ui_county_filter(sorted(dataset.villages["county_code"].unique()), key=LNK_COUNTIES)


def headline(shown: Dataset, lines: pd.DataFrame, reach: pd.DataFrame, per_row: int = 4) -> None:
    coverage = linkage.village_coverage(shown)["coverage"].value_counts()
    coops = linkage.cooperative_coverage(shown)
    scope = linkage.park_scope(shown)
    unsigned = scope[~scope["agreement_signed"]]["village_code"].nunique()
    shares = f"被带动贫困户不足 {config.WEAK_LINK_SHARE:.0%} 为弱联结"
    values = [
        ("联农带农关系（条）", f"{len(lines):,}", "企业、产业园、合作社与贫困村之间的联结记录"),
        *[(f"{cls}的村", f"{int(coverage.get(cls, 0))}", shares) for cls in config.COVERAGE_CLASSES],
        ("扶贫龙头企业", f"{int(reach['is_leading'].sum())} / {len(reach)}",
         f"带动贫困村超过 {config.LEADING_MIN_VILLAGES} 个"
         f"或贫困户超过 {config.LEADING_MIN_POOR_HOUSEHOLDS} 户（工作方案第3项）"),
        ("园区内未签协议的村", f"{unsigned}", "产业园范围内贫困村须全部签订带动协议（第1项）"),
        ("无扶贫合作社的村", f"{int((~coops['has_poverty_coop']).sum())}",
         "每个贫困村建立1个以上产业扶贫合作社（第8项）"),
    ]
    figure_cards([Figure(label, value, help=help_text) for label, value, help_text in values], "linkage", per_row)


def enterprises_in_view(full: Dataset, shown: Dataset, lines: pd.DataFrame) -> pd.DataFrame:
    """enterprise_reach of the whole quarter, restricted to enterprises located in or linked
    to what the filter shows."""
    reach = linkage.enterprise_reach(full)
    if len(shown.villages) == len(full.villages):
        return reach
    linked = set(lines.loc[lines["source_type"] == "企业", "source_id"].tolist())
    return reach[reach["id"].isin(linked) | reach["id"].isin(set(shown.enterprises["id"].tolist()))]


def selected_source() -> tuple[str, str] | None:
    chosen = st.session_state.get(LNK_SOURCE)
    return ("企业", chosen) if chosen else None


def handle_click(full: Dataset, result: dict) -> None:
    """A click on an enterprise badge chooses that enterprise (once per click)."""
    click = result.get("last_object_clicked")
    if not click or click == st.session_state.get(LNK_CLICKED):
        return
    st.session_state[LNK_CLICKED] = click
    found = linkage_map.source_at(full, click["lat"], click["lng"])
    if found and found[0] == "企业" and found[1] != st.session_state.get(LNK_SOURCE):
        st.session_state[LNK_PENDING] = found[1]
        st.rerun()


def enterprise_picker(reach: pd.DataFrame, lines: pd.DataFrame) -> None:
    names = dict(zip(reach["id"].tolist(), reach["name"].tolist()))
    if LNK_PENDING in st.session_state:
        st.session_state[LNK_SOURCE] = st.session_state.pop(LNK_PENDING)
    if st.session_state.get(LNK_SOURCE) not in names:
        st.session_state[LNK_SOURCE] = None
    st.selectbox("查看企业带动的村", list(names), key=LNK_SOURCE, index=None, format_func=names.get,
                 placeholder="选择企业，或点击地图上的「企」")
    chosen = st.session_state.get(LNK_SOURCE)
    if not chosen:
        st.info("选择一家企业（或点击地图上的企业标记），地图上加粗显示它的联结并圈出它带动的村。",
                icon=":material/touch_app:")
        return
    row = reach[reach["id"] == chosen].iloc[0]
    verdict = "达到" if row["is_leading"] else "未达到"
    st.markdown(f"#### {md(row['name'])}")
    st.markdown(
        f"带动贫困村 **{row['villages']}** 个，带动农户 **{row['households']}** 户，其中贫困户 "
        f"**{row['poor_households']}** 户；折算户数 **{row['equivalent']}**（1户贫困户按 "
        f"{config.POOR_HOUSEHOLD_WEIGHT} 户普通农户计）。{verdict}扶贫龙头企业标准。")
    mine = lines[(lines["source_type"] == "企业") & (lines["source_id"] == chosen)]
    ui_tables.show(pd.DataFrame({
        "村名": mine["village_name"].tolist(), "联结方式": mine["link_type"].tolist(),
        "带动农户": mine["households"].tolist(), "其中贫困户": mine["poor_households"].tolist(),
    }))


def tables(shown: Dataset, reach: pd.DataFrame) -> None:
    counties, enterprises, parks, coops = st.tabs(["分县汇总", "龙头企业", "产业园带动协议", "合作社"])
    with counties:
        ui_tables.show(linkage.county_summary(shown))
        st.caption(f"弱联结：有联结记录，但被带动的贫困户不足该村贫困户的 {config.WEAK_LINK_SHARE:.0%}；"
                   "被带动贫困户按各联结记录相加，同一户被两个主体带动时计两次。")
    with enterprises:
        ui_tables.show(linkage.enterprise_table(reach))
        st.caption(f"扶贫龙头企业：带动贫困村超过 {config.LEADING_MIN_VILLAGES} 个，或带动贫困户超过 "
                   f"{config.LEADING_MIN_POOR_HOUSEHOLDS} 户（工作方案第3项）。折算户数 = 普通农户 + "
                   f"{config.POOR_HOUSEHOLD_WEIGHT} × 贫困户。")
    with parks:
        ui_tables.show(linkage.park_table(shown), wide=["未签协议的村"])
        scope = linkage.park_scope(shown)
        missing = scope[~scope["agreement_signed"]]
        if len(missing):
            st.warning(f"{len(missing)} 个产业园范围内的贫困村尚未签订带动协议（地图上以红色虚线圈出）："
                       + md("、".join(f"{v}（{p}）" for v, p in zip(missing["village_name"], missing["park_name"]))),
                       icon=":material/assignment_late:")
        else:
            st.success("产业园范围内的贫困村均已签订带动协议。", icon=":material/task_alt:")
    with coops:
        table = linkage.cooperative_table(shown)
        ui_tables.show(table, percent=["入社比例"])
        lacking = table[table["有产业扶贫合作社"] == "否"]
        if len(lacking):
            st.warning(f"{len(lacking)} 个贫困村还没有产业扶贫合作社（工作方案第8项）："
                       + md("、".join(lacking["村名"])), icon=":material/group_off:")
