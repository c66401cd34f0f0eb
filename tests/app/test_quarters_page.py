"""The 季度对比 page through AppTest: KPI cards, the change map and lists, trend charts."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from fupin_geo import ui
from fupin_geo.analysis import indicators, trends
from fupin_geo.data.store import Store
from fupin_geo.ui.panels import trends as panel
from tests import mapscript
from tests.app import tab
from tests.app.kpi import card_values, kpi_cards
from tests.fakes import FakeFolium

PAGE = "pages/quarters.py"


def open_page(monkeypatch) -> tuple[AppTest, FakeFolium]:
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = tab.app_test(90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, fake


def change_colours(call: dict) -> dict[str, str]:
    groups = call["feature_group_to_add"]
    page = mapscript.render(*(groups if isinstance(groups, list) else [groups]))
    return {f["properties"]["code"]: f["properties"]["color"] for f in mapscript.features(page, "fupin-change")}


def test_page_shows_kpis_changes_and_charts(app_env, monkeypatch):
    at, fake = open_page(monkeypatch)
    store = Store(app_env)
    q3, q4 = store.load("2019Q3"), store.load("2019Q4")
    assert [c.value for c in kpi_cards(at)] == [k.formatted() for k in indicators.compute_kpis(q4, store.quarters())]
    assert at.selectbox(key=panel.BEFORE_KEY).value == "2019Q3"
    assert at.selectbox(key=panel.AFTER_KEY).value == "2019Q4"
    changes = trends.changes(q3, q4)
    counts = card_values(at, "changes")
    # villages are counted as villages (a village reaching three targets is one), with the unit
    met_villages = changes.met["村代码"].nunique()
    assert met_villages < len(changes.met) <= met_villages * len(trends.STATE_LABELS)
    assert counts["新达标（2019Q3→2019Q4）"] == f"{met_villages:,} 个村"
    assert counts["退步（2019Q3→2019Q4）"] == f"{changes.fell_back['村代码'].nunique():,} 个村"
    assert counts["新增产业（2019Q3→2019Q4）"] == f"{len(changes.new_industries):,} 项"
    assert at.tabs[0].label == f"新达标 {met_villages:,} 个村"
    assert len(at.tabs[0].dataframe[0].value) == met_villages
    # the map marks how each village moved on the chosen indicator (first: 一村一品)
    kinds = trends.village_change_kind(q3, q4, "industry")
    from fupin_geo.maps.infrastructure_map import CHANGE_COLORS
    assert change_colours(fake.calls[-1]) == {c: CHANGE_COLORS[k] for c, k in kinds.items()}
    charts = at.get("vega_lite_chart")
    series = trends.kpi_series([store.load(q) for q in store.quarters()])
    assert len(charts) == series["key"].nunique()
    spec = json.loads(charts[0].proto.spec)
    assert spec["title"]["text"] == "有特色产业的村"
    assert any("来源：演示数据" in line for line in spec["title"]["subtitle"])
    assert any("单位：百分比（%）" in line for line in spec["title"]["subtitle"])


def test_quarter_change_moves_the_comparison(app_env, monkeypatch):
    at, fake = open_page(monkeypatch)
    before_q4 = change_colours(fake.calls[-1])
    at.sidebar.selectbox(key=ui.session.QUARTER_WIDGET).select("2019Q2").run()
    assert not at.exception
    # the widgets keep the user's choice once made; a fresh session follows the sidebar
    at2 = tab.app_test(90)
    at2.session_state[ui.session.QUARTER_WIDGET] = "2019Q2"
    at2.run()
    at2.switch_page(PAGE).run()
    assert at2.selectbox(key=panel.BEFORE_KEY).value == "2019Q1"
    assert at2.selectbox(key=panel.AFTER_KEY).value == "2019Q2"
    store = Store(app_env)
    q1, q2 = store.load("2019Q1"), store.load("2019Q2")
    reported = indicators.reported_by(store.quarters(), "2019Q2")
    assert [c.value for c in kpi_cards(at)] == [k.formatted() for k in indicators.compute_kpis(q2, reported)]
    assert kpi_cards(at)[-1].value == "2 次"  # the reports made by 2019Q2
    at.selectbox(key=panel.BEFORE_KEY).select("2019Q1").run()
    at.selectbox(key=panel.AFTER_KEY).select("2019Q2").run()
    at.selectbox(key=panel.CHANGE_KEY).select("ecommerce").run()
    assert not at.exception
    kinds = trends.village_change_kind(q1, q2, "ecommerce")
    from fupin_geo.maps.infrastructure_map import CHANGE_COLORS
    after = change_colours(fake.calls[-1])
    assert after == {c: CHANGE_COLORS[k] for c, k in kinds.items()} and after != before_q4


def test_same_quarter_twice_asks_for_two(app_env, monkeypatch):
    at, fake = open_page(monkeypatch)
    calls = len(fake.calls)
    at.selectbox(key=panel.BEFORE_KEY).select("2019Q4").run()
    assert not at.exception
    assert any("两个不同的季度" in i.value for i in at.info)
    assert len(fake.calls) == calls  # no change map
