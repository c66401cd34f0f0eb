"""The 短板排查 page's panel: scope and weights, the ranked table and its downloads, and
"where to act" (a candidate site placed by a click, and the k suggested sites)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ... import config
from ...analysis import ranking
from ...analysis.filters import VillageFilter
from ...data import geodata
from ...data.dataset import Dataset
from .. import tables
from ..widgets import county_filter

RNK = "ranking"
RNK_COUNTIES, RNK_TOWNS, RNK_TOP = f"{RNK}_counties", f"{RNK}_towns", f"{RNK}_top"
RNK_RADIUS, RNK_K, RNK_SITE, RNK_CLICKED = f"{RNK}_radius", f"{RNK}_k", f"{RNK}_site", f"{RNK}_clicked"
MAP_RETURNS = ("last_object_clicked", "last_clicked")
TOP_RANGE = (5, 50)
# 原因 wide enough to leave 贫困户 in view at 1280 px; rows of five lines (up to four shortfalls)
REASON_PX, REASON_ROW_PX = 340, 100
# What stands in for the sliders until a tab's first map is drawn (ui/edge/below_map.py)
WEIGHTS_WAITING = "权重滑块正在加载……"
SITES_WAITING = "覆盖半径和点位个数正在加载……"

WEIGHT_HELP = {
    "linkage": "1 − 被企业、产业园或合作社带动的贫困户比例（未联结为 1）。",
    "coop": "未加入合作社的贫困户比例（工作方案第9项：全部入社）。",
    "industry": "没有一村一品特色产业为 1（第2项）。",
    "distance": f"到最近产业园、扶贫龙头企业、加工企业的直线距离，各除以 {config.DISTANCE_FULL_KM:g} 公里"
                "（封顶为 1）后取平均。",
    "infrastructure": f"户厕普及率差距（每低 {config.TOILET_GAP_FULL:.0%} 记满分）与未达干净整洁村标准，"
                      "两项平均（第25项）。",
}


def weight_key(part: str) -> str:
    return f"{RNK}_weight_{part}"


@dataclass(frozen=True)
class RankingView:
    scope: VillageFilter
    weights: dict
    top: int


def ranked(dataset: Dataset, view: RankingView) -> pd.DataFrame:
    with st.spinner("正在计算短板得分……"):  # shown only when the parts are computed, not found
        parts = ranking.village_parts(dataset)
    return ranking.rank(dataset, view.weights, view.scope, parts=parts)


def _reset_weights() -> None:
    for part, value in config.RANK_WEIGHTS.items():
        st.session_state[weight_key(part)] = value


def controls(dataset: Dataset, beside, map_drawn: bool) -> RankingView:
    """The county pills where the page is (above the map); towns, top N and weights in
    `beside` (a container beside the map: the map comes first on a projector's screen), the
    weight sliders only once `map_drawn` (ui/edge/below_map.py)."""
    towns = geodata.towns().set_index("code")["name"]
    villages = dataset.villages
    counties = county_filter(sorted(villages["county_code"].unique()), key=RNK_COUNTIES).counties
    with beside:
        return _beside_controls(villages, counties, towns, map_drawn)


def _beside_controls(villages, counties, towns, map_drawn: bool) -> RankingView:
    town_column, top_column = st.columns([3, 2])
    if counties:
        villages = villages[villages["county_code"].isin(counties)]
    options = sorted(villages["town_code"].unique())
    if any(t not in options for t in st.session_state.get(RNK_TOWNS, [])):
        st.session_state[RNK_TOWNS] = [t for t in st.session_state[RNK_TOWNS] if t in options]
    chosen_towns = town_column.multiselect("镇（街道）", options, key=RNK_TOWNS, placeholder="全部镇街",
                                      format_func=lambda code: towns.get(code, code))
    top = top_column.number_input("圈出前几名", min_value=TOP_RANGE[0], max_value=TOP_RANGE[1],
                             value=config.RANK_TOP_DEFAULT, step=5, key=RNK_TOP,
                             help="地图上圈出并标注名次的村数，也是“在哪里设点”所说的短板村。")
    with st.expander("权重：拖动滑块，排名、地图和表格随之变化", expanded=False):
        if map_drawn:  # sliders, even in a closed expander, would hold back a tab's first map
            columns = st.columns(len(config.RANK_WEIGHTS))
            for column, (part, default) in zip(columns, config.RANK_WEIGHTS.items()):
                column.slider(config.RANK_PART_LABELS[part], 0, config.WEIGHT_MAX, value=default,
                              key=weight_key(part), help=f"{WEIGHT_HELP[part]}默认权重 {default}。")
            st.button("恢复默认权重", on_click=_reset_weights)
        else:
            st.caption(WEIGHTS_WAITING)
        st.caption("短板得分 = 100 × Σ(权重 × 分项) ÷ Σ权重，每个分项在 0 到 1 之间（1 为最差）。默认权重："
                   + "，".join(f"{config.RANK_PART_LABELS[p]} {w}" for p, w in config.RANK_WEIGHTS.items())
                   + "。联农带农和入社是工作方案按户考核的指标，权重最高；距离和基础设施短期内难以改变，权重最低。")
    # before the sliders were ever drawn, the defaults they start from
    weights = {part: st.session_state.get(weight_key(part), default) for part, default in config.RANK_WEIGHTS.items()}
    return RankingView(VillageFilter(counties, tuple(chosen_towns)), weights, int(top))


def ranking_table(ranked_villages: pd.DataFrame, top: int) -> None:
    columns = ["排名", "村名", "县（市、区）", "镇（街道）", "短板得分", "原因", "贫困户"]
    table = ranking.export_table(ranked_villages)[columns]
    tables.show(table, wide=["原因"], row_height=REASON_ROW_PX, height=min(REASON_ROW_PX * len(table) + 40, 560),
                column_config={"原因": st.column_config.Column(width=REASON_PX)})
    st.caption(f"共 {len(table)} 个村；地图上圈出前 {min(top, len(table))} 名。距离均为直线距离。")


def downloads(ranked_villages: pd.DataFrame, weights: dict, dataset: Dataset) -> None:
    note = ranking.export_note(weights, dataset.quarter, bool(dataset.demo_records))
    name = f"短板排查_{dataset.quarter}"
    left, right, _ = st.columns([1, 1, 3])
    left.download_button("下载 Excel（.xlsx）", on_click="ignore", file_name=f"{name}.xlsx",
                         data=lambda: ranking.to_xlsx(ranking.export_table(ranked_villages), note=note),
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         icon=":material/download:")
    right.download_button("下载 CSV", on_click="ignore", file_name=f"{name}.csv", mime="text/csv",
                          data=lambda: ranking.to_csv(ranking.export_table(ranked_villages)),
                          icon=":material/download:")


# --- where to act ------------------------------------------------------------------------------
def site_controls(map_drawn: bool) -> tuple[float, int]:
    """The coverage radius (km) and the number of sites to suggest (the defaults until `map_drawn`)."""
    if not map_drawn:  # beside the map, they would hold it back on a tab's first map page
        st.caption(SITES_WAITING)
        return float(config.SITE_RADIUS_KM), int(config.SITES_DEFAULT)
    low, high = config.SITE_RADIUS_RANGE_KM
    left, right = st.columns(2)
    radius = left.slider("覆盖半径（公里，直线距离）", low, high, value=config.SITE_RADIUS_KM, step=0.5, key=RNK_RADIUS)
    k = right.number_input("建议点位个数", min_value=1, max_value=config.SITES_MAX, value=config.SITES_DEFAULT,
                           key=RNK_K)
    return float(radius), int(k)


def candidate_site() -> tuple[float, float] | None:
    """The placed candidate site as (lon, lat) WGS-84, or None."""
    site = st.session_state.get(RNK_SITE)
    return tuple(site) if site else None


def handle_click(result: dict) -> None:
    """A new click anywhere on the map places the candidate site there."""
    click = result.get("last_clicked")
    if not click or click == st.session_state.get(RNK_CLICKED):
        return
    st.session_state[RNK_CLICKED] = click
    st.session_state[RNK_SITE] = (round(float(click["lng"]), config.COORD_DECIMALS),
                                  round(float(click["lat"]), config.COORD_DECIMALS))
    st.rerun()


def _clear_site() -> None:
    st.session_state[RNK_SITE] = None


def candidate_panel(site: tuple[float, float] | None, reached: pd.DataFrame, radius: float) -> None:
    st.markdown("**候选点**")
    if site is None:
        st.info("在地图上点击任意位置，放置一个候选合作社或加工点，这里列出它覆盖的短板村。",
                icon=":material/add_location_alt:")
        return
    st.markdown(f"位置：东经 {site[0]:.4f}°，北纬 {site[1]:.4f}°。半径 {radius:g} 公里（直线距离）内有 "
                f"**{len(reached)}** 个短板村，"
                f"贫困户 **{int(reached['poor_households'].sum()) if len(reached) else 0}** 户。")
    if len(reached):
        tables.show(pd.DataFrame({
            "排名": reached["rank"].tolist(), "村名": reached["name"].tolist(),
            "直线距离（公里）": reached["km"].round(1).tolist(), "贫困户": reached["poor_households"].tolist(),
            "短板得分": reached["score"].tolist(),
        }))
    st.button("清除候选点", on_click=_clear_site, icon=":material/close:")


def suggestions_panel(suggested: list[dict], targets: pd.DataFrame, k: int, radius: float, map_drawn: bool) -> None:
    st.markdown(f"**建议的 {k} 个点位**")
    st.caption(
        "选法（贪心最大覆盖）：候选位置是范围内每个贫困村和每个镇（街道）贫困村的中心。第一轮选半径内短板村贫困户最多的位置；"
        "之后每一轮只计尚未被覆盖的短板村（已放置的候选点覆盖的也不再计），再选新增贫困户最多的位置。"
        "这样选出的组合至少达到最优组合的约 63%。")
    if not suggested:
        st.info("没有能再覆盖短板村的位置（可加大半径或增加圈出的名次）。", icon=":material/info:")
        return
    names = dict(zip(targets["code"].tolist(), targets["name"].tolist()))
    if not map_drawn:  # beside the map, a table would hold it back on a tab's first map page
        st.caption("点位表正在加载……")
    else:
        tables.show(pd.DataFrame({
            "点位": [f"建议{i}" for i in range(1, len(suggested) + 1)],
            "位置": [f"{s['name']}（{'村' if s['kind'] == '村' else '镇中心'}）" for s in suggested],
            "新覆盖短板村": [len(s["codes"]) for s in suggested],
            "新覆盖贫困户": [int(s["gain"]) for s in suggested],
            "覆盖的村": ["、".join(names[c] for c in s["codes"]) for s in suggested],
        }), wide=["覆盖的村"])
    if len(suggested) < k:
        st.caption(f"只找到 {len(suggested)} 个能新增覆盖的点位。")
    total = sum(s["gain"] for s in suggested)
    st.markdown(f"合计新覆盖贫困户 **{int(total)}** 户（短板村共 {int(targets['poor_households'].sum())} 户）。")
