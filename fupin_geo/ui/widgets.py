"""The widgets every page shares: the demo banner, the county filter, figure and KPI cards,
the village card."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from .. import config
from ..analysis import indicators
from ..analysis.filters import VillageFilter
from ..analysis.indicators import Kpi
from ..analysis.profile import VillageProfile
from ..data import geodata
from ..data.dataset import Dataset
from . import session
from .text import md, source_addresses

# The banner's row (its key: tests and presentation mode find it by it).
DEMO_BANNER = "demo_banner"


# The one line every page with demo records starts with: what is generated, what is public.
# Short enough for one line beside its popover at 1280 px with the sidebar open.
DEMO_LINE = "**演示数据**：贫困村、户数、产业、指标为程序生成；边界、村名及部分园区企业为公开资料"
DEMO_COUNTS_LABEL = "来源"


def demo_banner(dataset: Dataset) -> None:
    """One line saying which records are generated and which come from public sources, and
    beside it a popover counting both, by kind. A page's map has to fit under it on a 1280×720
    projector: the counts and the explanation stay one click away."""
    counts = indicators.records_by_source(dataset)  # kept: it compares every record's source
    demo_records = sum(n for _, _, n in counts)
    if not demo_records:
        return
    with st.container(horizontal=True, wrap=False, vertical_alignment="center", gap="small", key=DEMO_BANNER):
        st.warning(DEMO_LINE, icon=":material/science:")
        with st.popover(DEMO_COUNTS_LABEL):
            st.markdown(f"本页的演示数据共 **{demo_records:,}** 条记录，由程序生成，不是湛江市农业农村局的真实数据。"
                        "来自公开资料的记录写明来源（网页地址），只有名称、级别和年份，位置为近似。")
            st.markdown("\n".join(f"- {md(label)}：公开资料 {public:,} 条，程序生成 {generated:,} 条"
                                  for label, public, generated in counts))


COUNTY_FILTER_LABEL = "县（市、区）"
COUNTY_FILTER_HELP = "不选即全部县区；点击县区名称选中，再点一次取消，可多选。"


def county_filter(counties: list[str], key: str, help: str = "") -> VillageFilter:
    """The county filter of every page: a pill per county code, shown by name. Its choice is
    the session's (session.counties): a page opens with the counties chosen on the last one.

    The city's nine counties fit on one row, so a click chooses one: no list to open or name
    to type, and the change reaches the server at once (a multiselect waited for a second
    event after the Enter key; bench/README.md, 产业地图 in a browser)."""
    if key not in st.session_state:  # this page's widget, drawn anew: start from the shared choice
        st.session_state[key] = [c for c in session.counties() if c in counties]
    chosen = st.pills(COUNTY_FILTER_LABEL, counties, selection_mode="multi", key=key,
                      format_func=geodata.county_name, help=f"{help}{COUNTY_FILTER_HELP}",
                      on_change=_share_counties, args=(key,))
    return VillageFilter(counties=tuple(chosen or ()))


def _share_counties(key: str) -> None:
    session.choose_counties(st.session_state.get(key))


# Every figure card's container key starts with CARD (presentation mode sizes the cards by
# it): f"{CARD}{group}_{name}", name being the card's place in its row of cards, or for the
# KPI cards (group KPI_CARDS) the target's key.
CARD = "card_"
KPI_CARDS = "kpi"


def card_key(group: str, name) -> str:
    return f"{CARD}{group}_{name}"


@dataclass(frozen=True)
class Figure:
    """One number on a card: its label (`help` on hover), its value and, against a goal, the
    gap to it (a green badge when `met`, red below it; grey for a `reference` goal, which the
    plan does not set); under it, apart, the change since the previous quarter with its own
    arrow (`change`, `trend`: "up", "down" or "flat")."""
    label: str
    value: str
    help: str | None = None
    gap: str | None = None
    met: bool = False
    change: str | None = None
    trend: str = "flat"
    reference: bool = False


# The change since the last quarter: its arrow (the gap's badge has its own icons).
TREND_ICONS = {"up": "arrow_upward", "down": "arrow_downward", "flat": "arrow_forward"}


def figure_cards(figures: list[Figure], group: str, per_row: int, *, border: bool = True,
                 names: list | None = None) -> None:
    """Figures as cards in rows of `per_row`: the label, the value large, the gap as a badge.

    Markdown and a header in a container rather than st.metric: the front end has the code
    for those from the start, while st.metric's loads with the page's first elements, and on
    a tab's first page the map and the cards waited for it (bench/README.md, "Map
    pages as a tab's first page": the cards now come with the shell)."""
    names = list(range(len(figures))) if names is None else names
    for start in range(0, len(figures), per_row):
        row = zip(st.columns(per_row), figures[start:start + per_row], names[start:start + per_row])
        for column, figure, name in row:
            with column.container(border=border, gap="xsmall", height="stretch", key=card_key(group, name)):
                st.markdown(f":gray[{md(figure.label)}]", help=figure.help)
                st.header(md(figure.value), anchor=False)
                if figure.gap:
                    colour, icon = (("gray", "info") if figure.reference else
                                    ("green", "check_circle") if figure.met else ("red", "error"))
                    st.markdown(f":{colour}-badge[:material/{icon}: {md(figure.gap)}]")
                if figure.change:
                    # small grey print: fits a card's width at 1280 px and is not read as met / missed
                    st.caption(f":material/{TREND_ICONS[figure.trend]}: {md(figure.change)}")


def kpi_cards(kpis: list[Kpi], per_row: int = 5, previous: list[Kpi] | None = None) -> None:
    """The plan's KPIs as cards: the target's name (its wording and goal on hover), the value,
    the gap to the goal (red below it, green once met) and, given the KPIs of the quarter
    before (`previous`), the change since then."""
    before = {kpi.target.key: kpi for kpi in previous or ()}
    figures = []
    for kpi in kpis:
        change = kpi.change_since(before.get(kpi.target.key))
        figures.append(Figure(
            kpi.target.label, kpi.formatted(), gap=kpi.gap_text(), met=bool(kpi.met),
            change=None if change is None else change[0], trend="flat" if change is None else change[1],
            help=f"口径：{kpi.target.scope}。{kpi.target.description}（工作方案{kpi.target.plan_item}）。"
                 f"{kpi.goal_text()}；{kpi.counts_text()}。"))
    figure_cards(figures, KPI_CARDS, per_row, names=[kpi.target.key for kpi in kpis])


def village_card(profile: VillageProfile) -> None:
    coops = "、".join(profile.cooperatives) or "暂无"
    with st.container(border=True):
        st.markdown(f"#### {md(profile.name)}")
        st.caption(f"{md(profile.county)} · {md(profile.town)} · 代码 {md(profile.code)}")
        st.markdown(
            f"**一村一品**：{md('、'.join(profile.products) or config.NO_INDUSTRY_LABEL)}  \n"
            f"**贫困户**：{profile.poor_households} 户 · {profile.poor_people} 人  \n"
            f"**总户数**：{profile.households} 户  \n"
            f"**合作社**：{md(coops)}（贫困户入社 {profile.poor_households_in_coop} 户）"
        )
        st.caption(f"位置精度：{md(profile.position_quality)} · 数据来源：{md(profile.source)} · "
                   f"季度：{md(profile.quarter)}")
        source_addresses(profile.source)
