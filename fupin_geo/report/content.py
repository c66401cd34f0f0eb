"""What a briefing says, as a list of sections; the deck (pptx.py) and the PDF (pdf.py) each
render the same list, so they never disagree.

A section is a cover, a table, a chart, a map (PNG) or a few lines of text, with a title and
whether it shows demo data (then every page of it says so). Each section is one page in both
formats: a long table is cut into pages here (tables.split), once for both.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Callable

import pandas as pd

from .. import config
from ..analysis import cooperation, filters, indicators
from ..data import geodata
from ..data.dataset import Dataset
from . import static_maps, tables

DEMO_NOTICE = "演示数据：本页数字为程序生成的演示数据，不是湛江市农业农村局的真实数据。"


@dataclass
class Section:
    title: str
    kind: str  # "cover" | "table" | "chart" | "map" | "text"
    demo: bool = False
    subtitle: str = ""
    table: pd.DataFrame | None = None
    # chart: categories, series name -> values, unit; optional goals per category
    categories: list[str] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)
    unit: str = ""
    goals: list[float] | None = None
    image: bytes | None = None  # PNG
    lines: list[str] = field(default_factory=list)
    note: str = ""
    layout: tables.Layout | None = None  # table: its texts, widths and rows on this page

    def table_layout(self) -> tables.Layout:
        return self.layout if self.layout is not None else tables.layout(self.table)


@dataclass
class Briefing:
    title: str
    scope: str  # "全市" or the county's name
    quarter: str
    date: datetime.date
    sections: list[Section]

    @property
    def demo(self) -> bool:
        return any(s.demo for s in self.sections)


# A hook for sections other modules add (e.g. the top underserved villages, once the ranking
# exists): each is called with (dataset, county code or None) and returns a Section or None.
# Registered sections go after the maps, before the 湛柳 summary.
EXTRA_SECTIONS: list[Callable[[Dataset, str | None], Section | None]] = []


def _is_demo(*frames: pd.DataFrame) -> bool:
    return any((frame["source"] == config.DEMO_SOURCE).any() for frame in frames if len(frame))


def county_code(name_or_code: str | None) -> str | None:
    """A 湛江 county's code from its name, short name or code; None for the whole city.
    KeyError when it is none of the city's counties."""
    if name_or_code in (None, "", "全市", "湛江市"):
        return None
    counties = geodata.counties(config.ZHANJIANG)
    text = str(name_or_code).strip()
    for column in ("adcode", "name", "short_name"):
        match = counties[counties[column] == text]
        if len(match):
            return str(match["adcode"].iloc[0])
    raise KeyError(text)


def _kpi_sections(dataset: Dataset, quarters: list[str], scope: str, demo: bool) -> list[Section]:
    kpis = indicators.compute_kpis(dataset, quarters)
    table = pd.DataFrame({
        "指标": [k.target.label for k in kpis],
        "当前": [k.formatted() for k in kpis],
        "目标": [k.goal_text().removeprefix("目标 ") for k in kpis],
        "达标": ["是" if k.met else ("无数据" if k.met is None else "否") for k in kpis],
        "工作方案": [k.target.plan_item for k in kpis],
    })
    shares = [k for k in kpis if k.target.unit == "%"]
    chart = Section(
        f"{scope}指标完成情况", "chart", demo=demo, subtitle="完成率与工作方案目标（%）",
        categories=[k.target.label for k in shares],
        series={"当前完成率": [round((k.value or 0.0) * 100, 1) for k in shares]},
        goals=[round(k.target.goal * 100, 1) for k in shares], unit="%")
    return [Section(f"{scope}指标对照工作方案目标", "table", demo=demo, table=table,
                    note="目标见湛农通〔2019〕287号工作方案；“全市卫生户厕”为全市统计。"), chart]


def _county_section(dataset: Dataset, demo: bool) -> Section:
    table = indicators.county_table(dataset)
    for column in ("干净整洁村占比", "卫生户厕普及率"):
        table[column] = [("—" if pd.isna(v) else f"{v:.1%}") for v in table[column]]
    return Section("分县情况", "table", demo=demo, table=table)


def _map_sections(dataset: Dataset, county: str | None, scope: str, demo: bool) -> list[Section]:
    return [
        Section(f"{scope}贫困村一村一品分布", "map", demo=demo, image=static_maps.industry_map(dataset, county)),
        Section(f"{scope}联农带农覆盖", "map", demo=demo, image=static_maps.linkage_map(dataset, county),
                note="有企业、产业园或合作社带动记录的村为“已有联农带农”。"),
        Section(f"{scope}基础设施短板", "map", demo=demo, image=static_maps.infrastructure_map(dataset, county),
                note="户厕：无害化卫生户厕普及率未达100%；村容：未达干净整洁村标准（工作方案第25项）。"),
    ]


def _cooperation_sections(dataset: Dataset, county: str | None) -> list[Section]:
    coop = cooperation.for_county(dataset, county)
    if coop.pairings.empty:
        return []
    demo = _is_demo(coop.cooperation_projects, coop.cooperation_flows)
    counties = cooperation.pairings_table(coop)[["湛江县区", "柳州县区"]]
    pairs = "、".join(f"{a}—{b}" for a, b in counties.itertuples(index=False))
    numbers = cooperation.summary(coop)
    lines = [f"结对县区：{pairs}（公开信息）"] + [f"{k}：{tables.cell_text(v)}" for k, v in numbers.items()
                                              if k != "结对县区"]
    per_year = cooperation.by_year(coop)
    money = [c for c in per_year.columns if c.endswith("（万元）")]
    return [
        Section("湛柳协作结对与往来", "map", demo=demo, image=static_maps.cooperation_map(coop),
                note=f"结对关系来源：{coop.pairings['source'].iloc[0]}"),
        Section("湛柳协作概况", "text", demo=demo, lines=lines),
        Section("湛柳协作按年份", "chart", demo=demo, subtitle="项目金额与往来（万元）",
                categories=[str(y) for y in per_year["年份"]],
                series={c.removesuffix("（万元）"): per_year[c].tolist() for c in money}, unit="万元"),
        Section("湛柳协作按结对县区", "table", demo=demo, table=cooperation.by_pairing(coop)),
    ]


def build(dataset: Dataset, quarters: list[str], county: str | None = None,
          today: datetime.date | None = None,
          progress: Callable[[float, str], None] | None = None) -> Briefing:
    """The briefing of the city (county None) or of one 湛江 county for `dataset`'s quarter.
    `progress(share, text)` is told how far the build has come."""
    tell = progress or (lambda share, text: None)
    scope = geodata.county_name(county) if county else "全市"
    shown = filters.apply(dataset, filters.VillageFilter(counties=(county,))) if county else dataset
    demo = _is_demo(shown.villages, shown.products, shown.linkages)
    today = today or datetime.date.today()
    sections = [Section(f"湛江市产业扶贫工作简报（{scope}）", "cover", demo=demo,
                        subtitle=f"数据季度：{dataset.quarter} · 生成日期：{today:%Y年%m月%d日}")]
    tell(0.1, "指标")
    sections += _kpi_sections(shown, quarters, scope, demo)
    if not county:
        sections.append(_county_section(dataset, demo))
    tell(0.25, "地图")
    sections += _map_sections(shown, county, scope, demo)
    for extra in EXTRA_SECTIONS:
        section = extra(shown, county)
        if section is not None:
            sections.append(section)
    tell(0.7, "湛柳协作")
    sections += _cooperation_sections(dataset, county)
    tell(0.85, "排版")
    return Briefing(f"湛江市产业扶贫工作简报（{scope}）", scope, dataset.quarter, today, paginate(sections))


def paginate(sections: list[Section]) -> list[Section]:
    """Each table section as the pages it takes (titled 1/2, 2/2 … when more than one), the
    rows spread evenly over them; other sections as they are."""
    paged = []
    for section in sections:
        if section.kind != "table" or section.table is None:
            paged.append(section)
            continue
        layout, parts = tables.split(section.table)
        for number, rows in enumerate(parts, start=1):
            title = section.title if len(parts) == 1 else f"{section.title}（{number}/{len(parts)}）"
            paged.append(replace(section, title=title, table=section.table.iloc[rows.start:rows.stop],
                                 layout=layout.page(rows)))
    return paged
