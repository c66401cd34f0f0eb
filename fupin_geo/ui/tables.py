"""How every table of the pages shows numbers and text: thousands separators, one decimal for
a percentage or an amount, "—" where there is no value, red/green cells against a target, and
the columns that carry the answer wide and wrapped rather than cut off."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from .. import config
from ..analysis import indicators

MISSING = "—"
PERCENT, COUNT, AMOUNT, PLAIN = "{:.1%}", "{:,.0f}", "{:,.1f}", "{:.0f}"
# Columns of numbers that are names, not quantities: no thousands separator (2019, not 2,019).
PLAIN_COLUMNS = frozenset({"年份", "序号", "排名", "顺序", "版本"})
# The red and green of the KPI cards' badges, as cell backgrounds (light enough for black text).
MET_BACKGROUND, MISSED_BACKGROUND = "#d9f0d3", "#fddbc7"
# st.dataframe wraps the text of its cells only when a row is taller than 4rem (64 px, its
# front end's rule); 3 lines of 14 px text fit in 72.
WRAPPED_ROW_PX = 72


def number_formats(frame: pd.DataFrame, percent: Iterable[str] = (), counts: Iterable[str] = ()) -> dict[str, str]:
    """The format of each numeric column: shares (0..1) in `percent` as 67.7%, whole numbers
    (and the columns in `counts`, which may hold gaps) as 4,858, other numbers as 1,234.5."""
    percent, counts = set(percent), set(counts)
    formats = {}
    for column in frame.columns:
        series = frame[column]
        if column in percent:
            formats[column] = PERCENT
        elif column in PLAIN_COLUMNS and pd.api.types.is_numeric_dtype(series):
            formats[column] = PLAIN
        elif column in counts:
            formats[column] = COUNT
        elif pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        elif pd.api.types.is_integer_dtype(series):
            formats[column] = COUNT
        else:
            formats[column] = AMOUNT
    return formats


def styled(frame: pd.DataFrame, percent: Iterable[str] = (), colours: pd.DataFrame | None = None,
           counts: Iterable[str] = ()) -> Styler:
    """`frame` with the shared number formats; `colours` (same shape: True met, False missed,
    None neither) shades the cells green or red."""
    styler = frame.style.format(number_formats(frame, percent, counts), na_rep=MISSING)
    if colours is not None:
        def shade(_: pd.DataFrame) -> pd.DataFrame:
            return colours.map(lambda met: "" if met is None or pd.isna(met) else
                               f"background-color: {MET_BACKGROUND if met else MISSED_BACKGROUND}")
        styler = styler.apply(shade, axis=None)
    return styler


def show(frame: pd.DataFrame | Styler, *, percent: Iterable[str] = (), wide: Iterable[str] = (),
         wrapped: Iterable[str] = (), help: dict[str, str] | None = None, colours: pd.DataFrame | None = None,
         style: Callable[[Styler], Styler] | None = None, column_config: dict | None = None,
         **options) -> None:
    """A table as every page shows it (st.dataframe, no index, full width).

    `wide`: text columns that carry the answer (a reason, a hint): large and wrapped, rows
    tall enough for three lines; `wrapped`: shorter text columns, medium and wrapped. `help`:
    a header's hover text. `style`: more styling on top of the formats (e.g. traffic lights)."""
    styler = frame if isinstance(frame, Styler) else styled(frame, percent, colours)
    if style is not None:
        styler = style(styler)
    wide, wrapped, help = list(wide), list(wrapped), help or {}
    widths = {**{name: "medium" for name in wrapped}, **{name: "large" for name in wide}}
    config = {name: st.column_config.Column(help=help.get(name), width=widths.get(name))
              for name in {*widths, *help}}
    config |= column_config or {}
    if widths:
        options.setdefault("row_height", WRAPPED_ROW_PX)
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    st.dataframe(styler, column_config=config, placeholder=MISSING, **options)


def show_short(frame: pd.DataFrame, *, percent: Iterable[str] = ()) -> None:
    """A table of a few rows as a static table: every header and cell shown whole (wrapped),
    nothing cut off in a narrow column; numbers formatted as in show()."""
    st.table(styled(frame, percent), hide_index=True)


# The county × target table's headers: short enough that all ten targets and the counties fit
# the 820 px a page has at 1280 px with the sidebar open (the card's full name and the plan's
# wording are in each header's help).
TARGET_HEADERS = {
    "industry": "一村一品", "coop_village": "合作社村", "coop_household": "入社率", "park_agreement": "园区协议",
    "labour_project": "长效项目", "toilet_villages": "村户厕", "toilet_city": "全市户厕",
    "clean_village_city": "全市整洁", "training": "培训", "reports": "汇报",
}
TARGET_COLUMN_PX, COUNTY_COLUMN_PX, COUNT_COLUMN_PX = 68, 64, 56


def county_targets(targets: indicators.CountyTargets) -> None:
    """总览's county × target table: every target of the KPI cards, each cell green where the
    county meets it and red where not, as on the cards; blank where a target has no county
    figure (a 全市指标 or the quarterly reports: only the 全市 row has it)."""
    values, met = targets.values(), targets.met()
    percent = [t.label for t in config.TARGETS if t.unit == "%"]
    counted = [t.label for t in config.TARGETS if t.unit != "%"]
    colours = met.map(lambda v: v if isinstance(v, bool) else None)
    colours[list(targets.counties.columns)] = None
    headers = {t.label: st.column_config.Column(
        TARGET_HEADERS.get(t.key, t.label), width=TARGET_COLUMN_PX,
        help=f"{t.label}：{indicators.target_help(t)}") for t in config.TARGETS}
    show(styled(values, percent, colours, counts=counted), column_order=["县（市、区）", "贫困村", *headers],
         column_config={"县（市、区）": st.column_config.Column("县区", pinned=True, width=COUNTY_COLUMN_PX),
                        "贫困村": st.column_config.Column(width=COUNT_COLUMN_PX), **headers})
    st.caption("绿色：达到工作方案目标；红色：未达到；“—”：该县区无此项（全市指标和季度汇报只有全市数值）。"
               "数值与上方指标卡同一口径；表头悬停可看指标全称和工作方案原文。")
