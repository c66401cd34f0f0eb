"""Every table the pages show: numbers in one format (4,858 · 67.7% · 1,234.5 · —), and the
text columns that carry the answer wide and wrapped, or the whole table static."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config, ui
from fupin_geo.analysis import profile
from fupin_geo.data.store import Store
from fupin_geo.ui import tables
from tests.app import grid, tab
from tests.fakes import FakeFolium

PAGES = ["pages/overview.py", "pages/linkage.py", "pages/underserved.py", "pages/infrastructure.py",
         "pages/measures.py", "pages/quarters.py", "pages/cooperation.py"]
COUNT = re.compile(r"-?\d{1,3}(,\d{3})*")
PERCENT = re.compile(r"-?\d+\.\d%")
AMOUNT = re.compile(r"-?\d{1,3}(,\d{3})*\.\d")


def open_page(page: str, monkeypatch) -> AppTest:
    monkeypatch.setattr(ui.mapview, "st_folium", FakeFolium())
    at = tab.app_test(120).run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def elements(at: AppTest) -> list:
    return list(at.dataframe) + list(at.table)


def check_numbers(element) -> int:
    """Every numeric cell in one of the shared formats; returns how many were checked."""
    value, text = element.value, grid.shown(element)
    checked = 0
    for column in value.columns:
        series = value[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        for cell in text[column]:
            if cell == tables.MISSING:
                continue
            if column in tables.PLAIN_COLUMNS:
                assert re.fullmatch(r"\d+", cell), (column, cell)
            elif pd.api.types.is_integer_dtype(series):
                assert COUNT.fullmatch(cell), (column, cell)
            else:
                assert PERCENT.fullmatch(cell) or AMOUNT.fullmatch(cell) or COUNT.fullmatch(cell), (column, cell)
            checked += 1
    return checked


@pytest.mark.parametrize("page", PAGES)
def test_every_table_formats_its_numbers_alike(app_env, monkeypatch, page):
    at = open_page(page, monkeypatch)
    found = elements(at)
    assert found, page
    assert sum(check_numbers(element) for element in found) > 0
    # thousands separators where a number reaches them: 贫困户 of a county, the city's households
    if page == "pages/overview.py":
        assert any("," in cell for cell in grid.shown(found[0])["贫困户"])


def test_shares_have_one_decimal_everywhere(app_env, monkeypatch):
    """The 入社比例 of 联农带农 and the infrastructure shares: 70.0% beside 67.7%, not 70% beside 67.7%."""
    at = open_page("pages/linkage.py", monkeypatch)
    (coops,) = [d for d in at.dataframe if "入社比例" in d.value.columns]
    assert all(PERCENT.fullmatch(cell) for cell in grid.shown(coops)["入社比例"])
    at = open_page("pages/infrastructure.py", monkeypatch)
    county = grid.shown(at.dataframe[0])
    assert all(PERCENT.fullmatch(cell) for cell in county["干净整洁村"])


def wrapped_large(element, columns, widths=("large",), least_px=300) -> None:
    settings = grid.column_config(element)
    for column in columns:
        width = settings[column]["width"]
        assert width in widths or (isinstance(width, int) and width >= least_px), column
    # st.dataframe wraps cell text only in rows taller than 4rem (64 px)
    assert element.proto.row_height > 64


def test_reasons_and_measure_hints_are_wide_and_wrapped(app_env, monkeypatch):
    at = open_page("pages/underserved.py", monkeypatch)
    (ranked,) = [d for d in at.dataframe if "原因" in d.value.columns]
    wrapped_large(ranked, ["原因"])
    at = open_page("pages/measures.py", monkeypatch)
    tracker = at.dataframe[0]
    wrapped_large(tracker, ["考核指标"], least_px=240)
    wrapped_large(tracker, [c for c in ("牵头科室", "配合单位", "提示") if c in tracker.value.columns],
                  widths=("medium", "large"), least_px=140)
    assert {"考核指标", "提示"} <= set(tracker.value.columns)


def test_short_cooperation_tables_are_static_and_whole(app_env, monkeypatch):
    at = open_page("pages/cooperation.py", monkeypatch)
    static = [t.value for t in at.table]
    assert any("消费扶贫（万元）" in t.columns for t in static)
    assert not [d for d in at.dataframe if "消费扶贫（万元）" in d.value.columns]


def test_village_cards_linkage_lines_are_whole(app_env, monkeypatch):
    dataset = Store(app_env).load()
    code = dataset.linkages["village_code"].value_counts().index[0]
    chosen = profile.village_profile(dataset, code)
    monkeypatch.setattr(ui.mapview, "st_folium", FakeFolium())
    at = AppTest.from_file(str(config.REPO_DIR / "app.py"), default_timeout=120)
    at.query_params["village"] = code
    at.switch_page("pages/industry_map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # the card's links as wrapped lines, every figure whole, in the narrow card column
    shown = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))
    for link in chosen.links.itertuples(index=False):
        assert (f"- {link.带动主体}（{link.类型}）· {link.联结方式} · 带动农户 {link.带动农户:,} 户，"
                f"其中贫困户 {link.其中贫困户:,} 户") in shown
    (shares,) = [t for t in at.table if "指标" in t.value.columns]
    assert shares.value.set_index("指标").loc["贫困户入社", "数值"].endswith("%")
