"""The 基础设施 page through AppTest: cards, the gap map's layers, tables and downloads."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fupin_geo import config, ui
from fupin_geo.analysis import infrastructure
from fupin_geo.data.store import Store
from fupin_geo.ui.panels import infrastructure as panel
from tests import mapscript
from tests.app import grid, tab
from tests.app.kpi import cards
from tests.fakes import FakeFolium

PAGE = "pages/infrastructure.py"
COMPONENT = "streamlit_folium.st_folium"


def open_page(monkeypatch) -> tuple[AppTest, FakeFolium]:
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = tab.app_test(90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, fake


def layer_page(call: dict) -> str:
    groups = call["feature_group_to_add"] or []
    return mapscript.render(*(groups if isinstance(groups, list) else [groups]))


def gap_codes(call: dict, key: str) -> set[str]:
    return {f["properties"]["code"] for f in mapscript.features(layer_page(call), f"fupin-gap-{key}")}


def expected_below(url: str, quarter: str, key: str) -> set[str]:
    values = infrastructure.village_values(Store(url).load(quarter))
    return set(values.loc[values[f"{key}_below"], "code"])


def test_page_renders_cards_map_and_tables(app_env, monkeypatch):
    at, fake = open_page(monkeypatch)
    assert at.title[0].value == "基础设施与人居环境"
    assert "演示数据" in at.warning[0].value
    shown = cards(at, "infrastructure")
    assert [c.label for c in shown] == ["全市卫生户厕", *(i.label for i in config.INFRA_INDICATORS)]
    summaries = infrastructure.city_summaries(Store(app_env).load())
    assert [c.value for c in shown[1:]] == [f"{s.value:.1%}" for s in summaries]
    # the gap to each target as a gap: green once met, red below it; the target on hover;
    # a 规划参考 target (the plan sets no number) neither met nor missed: a grey badge
    assert any(s.indicator.reference and not s.met for s in summaries)  # else the grey is not tested
    for card, summary in zip(shown[1:], summaries):
        if summary.indicator.reference:
            assert (card.colour, card.gap) == ("gray-badge", "规划参考"), card
            continue
        assert card.colour == ("green-badge" if summary.met else "red-badge")
        assert card.gap == ("达标" if summary.met else f"差 {summary.gap:.1f} 点")
        assert f"目标 {'≥' if summary.indicator.target < 1 else ''}{summary.indicator.target:.0%}" in card.help
        assert summary.indicator.basis in card.help
        assert card.help.startswith("口径：218 个省定贫困村（")
    assert shown[0].help.startswith("口径：全市农村（全市指标），非仅贫困村。")
    # the 218's share of 干净整洁村 is measured against the plan's 60 % for reference only
    assert "规划参考" in {c.label: c for c in shown}["干净整洁村"].help
    # the default layer: villages short of toilets; the base map carries no layer of ours
    assert gap_codes(fake.calls[-1], "toilet") == expected_below(app_env, "2019Q4", "toilet")
    base = fake.calls[-1]["fig"].get_root().render()
    assert "fupin-gap" not in base
    assert len(at.dataframe) == 2  # the county table and the below-target list
    assert len(at.dataframe[0].value) == 9
    # the county table: a 规划参考 column is never coloured, the plan's own ones are
    painted = grid.colours(at.dataframe[0])
    for indicator in config.INFRA_INDICATORS:
        column = set(painted[indicator.label].dropna())
        if indicator.reference:
            assert not column, indicator.label
        else:
            assert column and column <= {"green", "red"}, indicator.label
    assert len(at.get("download_button")) == 2


def test_quarter_change_changes_cards_and_gap_layer_but_not_the_base_map(app_env, monkeypatch):
    at, fake = open_page(monkeypatch)
    q4_values = [c.value for c in cards(at, "infrastructure")]
    q4_base = fake.calls[-1]["fig"].get_root().render()
    at.sidebar.selectbox(key=ui.session.QUARTER_WIDGET).select("2019Q1").run()
    assert not at.exception
    assert "2019Q1" in at.caption[0].value
    q1_values = [c.value for c in cards(at, "infrastructure")]
    assert q1_values != q4_values
    summaries = infrastructure.city_summaries(Store(app_env).load("2019Q1"))
    assert q1_values[1:] == [f"{s.value:.1%}" for s in summaries]
    assert gap_codes(fake.calls[-1], "toilet") == expected_below(app_env, "2019Q1", "toilet")
    strip = lambda page: __import__("re").sub(r"_[0-9a-f]{32}", "", page)  # noqa: E731
    assert strip(fake.calls[-1]["fig"].get_root().render()) == strip(q4_base)


def test_choosing_layers_and_county_choropleth(app_env, monkeypatch):
    at, fake = open_page(monkeypatch)
    at.multiselect(key=panel.GAPS_KEY).set_value(["ecommerce", "road"]).run()
    at.selectbox(key=panel.COUNTY_KEY).select("clean_village").run()
    assert not at.exception
    call = fake.calls[-1]
    assert gap_codes(call, "ecommerce") == expected_below(app_env, "2019Q4", "ecommerce")
    assert gap_codes(call, "road") == expected_below(app_env, "2019Q4", "road")
    assert not gap_codes(call, "toilet")
    counties = mapscript.features(layer_page(call), "fupin-infra-county")
    assert len(counties) == 9


def test_below_target_list_filters_by_indicator_and_county(app_env, monkeypatch):
    at, _ = open_page(monkeypatch)
    at.selectbox(key=panel.TABLE_INDICATOR_KEY).select("cold_storage").run()
    at.pills(key=panel.TABLE_COUNTIES_KEY).set_value(["440825"]).run()
    assert not at.exception
    table = at.dataframe[1].value
    dataset = Store(app_env).load()
    values = infrastructure.village_values(dataset)
    expected = values[values["cold_storage_below"] & (values["county_code"] == "440825")]
    assert sorted(table["村代码"]) == sorted(expected["code"])
    assert set(table["县（市、区）"]) == {"徐闻县"}
    assert f"共 {len(expected)} 个村未达标" in " ".join(c.value for c in at.caption)
