"""The 总览 page through Streamlit's AppTest: the script runs in-process against the test DB."""
from __future__ import annotations

import json
import re

import folium
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import UnknownElement
from streamlit_folium import generate_js_hash

from fupin_geo import config, ui
from fupin_geo.analysis import indicators, profile
from fupin_geo.data import geodata
from fupin_geo.data.store import Store
from tests import mapscript
from tests.app import grid, tab
from tests.app.kpi import kpi_cards
from tests.fakes import FakeFolium

APP = config.REPO_DIR / "app.py"
COMPONENT = "streamlit_folium.st_folium"
SELECTED = "overview_selected"


def run_app() -> AppTest:
    at = tab.app_test().run()  # all of the page (a tab's first visit: tests/app/test_below_map.py)
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_element(at: AppTest) -> UnknownElement:
    found = [e for e in at.get("component_instance") if e.proto.component_name == COMPONENT]
    assert len(found) == 1
    assert isinstance(found[0], UnknownElement)
    return found[0]


def page_text(at: AppTest) -> str:
    """Markdown and captions as read by a person (markdown escapes removed)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def expected_kpis(url: str, quarter: str | None = None) -> list[indicators.Kpi]:
    """The KPIs of `quarter` (default: the latest), counting the reports made by then."""
    store = Store(url)
    dataset = store.load(quarter)
    return indicators.compute_kpis(dataset, indicators.reported_by(store.quarters(), dataset.quarter))


@pytest.fixture
def loaded(app_env):
    """The dataset the page should show by default (the latest quarter of the test DB)."""
    return Store(app_env).load()


def assert_card_of(at: AppTest, dataset, code: str):
    card = profile.village_profile(dataset, code)
    text = page_text(at)
    assert f"#### {card.name}" in text
    assert card.county in text and card.town in text and code in text
    for product in card.products:
        assert product in text
    assert f"{card.poor_households} 户" in text
    # and no other village's card
    assert len([m for m in at.markdown if m.value.startswith("#### ")]) == 1


# --- the page as it opens --------------------------------------------------------------------------
def test_page_renders_with_demo_warning(app_env, loaded):
    at = run_app()
    assert at.title[0].value == "湛江市产业扶贫总览"
    assert len(at.warning) == 1 and "演示数据" in at.warning[0].value
    # the count of demo records is one click away, in the banner's popover
    assert f"**{loaded.demo_records:,}** 条记录" in "".join(m.value for m in at.get_by_key(ui.DEMO_BANNER).markdown)
    assert not at.error
    assert f"数据季度：{loaded.quarter}" in at.caption[0].value
    assert "省定贫困村 218 个" in at.caption[0].value


def test_ten_kpi_cards_equal_the_computed_kpis(app_env):
    at = run_app()
    expected = expected_kpis(app_env)
    cards = kpi_cards(at)
    assert len(cards) == 10
    assert [c.label for c in cards] == [k.target.label for k in expected]
    assert [c.value for c in cards] == [k.formatted() for k in expected]
    # values a person can check: the shares are percentages, the reports a count
    assert cards[-1].value == "4 次"
    # red below the goal with the gap as a gap, green once met; the plan's wording and goal on hover
    for card, kpi in zip(cards, expected):
        assert card.colour == ("green-badge" if kpi.met else "red-badge")
        assert card.help.startswith(f"口径：{kpi.target.scope}。{kpi.target.description}")
        assert kpi.target.plan_item in card.help and kpi.goal_text() in card.help
        if kpi.met:
            assert card.gap == "达标"
        elif kpi.target.unit == "%":
            assert card.gap == f"差 {(kpi.target.goal - kpi.value) * 100:.1f} 点"
        # the badge is short enough not to be cut at 1280 px: no goal, no minus sign
        assert "目标" not in card.gap and "-" not in card.gap


def test_cards_show_the_change_since_last_quarter_apart_from_the_gap(app_env):
    at = run_app()
    now, before = expected_kpis(app_env, "2019Q4"), expected_kpis(app_env, "2019Q3")
    seen = set()
    for card, kpi, old in zip(kpi_cards(at), now, before):
        points = round((kpi.value - old.value) * (100 if kpi.target.unit == "%" else 1), 1)
        if points == 0:
            assert (card.change, card.change_icon) == ("较上季 持平", "arrow_forward"), card.label
        else:
            unit = "点" if kpi.target.unit == "%" else f"{kpi.target.unit}"
            digits = 1 if kpi.target.unit == "%" else 0
            assert card.change == f"较上季 {points:+.{digits}f} {unit}", card.label
            assert card.change_icon == ("arrow_upward" if points > 0 else "arrow_downward")
        seen.add(card.change_icon)
    assert "arrow_upward" in seen  # every demo target rises (flat and falls: tests/unit/test_indicators.py)
    # the reports: four by Q4, three by Q3
    assert kpi_cards(at)[-1].change == "较上季 +1 次"


def test_first_quarter_cards_have_no_change(app_env):
    at = run_app()
    at.sidebar.selectbox(key=ui.session.QUARTER_WIDGET).select("2019Q1").run()
    assert not at.exception
    cards = kpi_cards(at)
    assert cards and all(card.change is None for card in cards)
    assert cards[-1].value == "1 次"  # one report made by the first quarter


def test_city_figure_help_says_what_it_is_not_one_of_one(app_env):
    at = run_app()
    card = {c.label: c for c in kpi_cards(at)}
    assert "1 / 1" not in card["全市卫生户厕"].help and "全市指标" in card["全市卫生户厕"].help
    kpi = {k.target.key: k for k in expected_kpis(app_env)}["coop_household"]
    assert f"当前 {kpi.numerator:,.0f} / {kpi.denominator:,.0f}（户）" in card["贫困户入社率"].help


def test_clean_villages_card_is_the_citys_figure_and_says_so(app_env, loaded):
    # the plan's 60 % is about every rural village: the 全市指标 row, not the 218's own share
    at = run_app()
    card = {c.label: c for c in kpi_cards(at)}
    city = loaded.city_stats.set_index("indicator")
    shown = card["全市干净整洁村"]
    assert shown.value == f"{city.loc['clean_village_rate_city', 'value']:.1%}"
    assert shown.value != f"{loaded.villages['clean_village'].mean():.1%}"
    assert shown.help.startswith("口径：全市农村（全市指标）。")
    assert card["全市卫生户厕"].help.startswith("口径：全市农村（全市指标）。")
    assert card["贫困村卫生户厕"].help.startswith("口径：218 个省定贫困村的农户。")
    assert card["有特色产业的村"].help.startswith("口径：218 个省定贫困村。")
    # invented like every demo 全市指标 value, and labelled so
    assert city.loc["clean_village_rate_city", "source"] == config.DEMO_SOURCE
    assert "演示数据" in at.warning[0].value


def test_map_is_st_folium_with_local_assets_and_every_village(app_env, loaded):
    at = run_app()
    args = json.loads(map_element(at).proto.json_args)
    assert args["js_links"] and args["css_links"]
    for link in args["js_links"] + args["css_links"]:
        assert link.startswith(config.VENDOR_URL + "/"), link
    assert not re.search(r"https?://", args["script"] + args["html"] + args["header"] + args["feature_group"])
    # the villages come as a layer beside the base map (which never changes, see ui.show_map)
    assert not mapscript.point_features(args["script"])
    points = mapscript.point_features(args["feature_group"])
    assert len(points) == 218
    assert sorted(p["properties"]["code"] for p in points) == sorted(loaded.villages["code"])
    assert mapscript.features(args["feature_group"], "fupin-villages") == points
    for name in geodata.counties(config.ZHANJIANG)["name"]:
        assert name in args["script"]
    # pans and zooms must not rerun the page: only clicks come back
    assert args["returned_objects"] == ["last_object_clicked"]


def county_element(at: AppTest):
    assert len(at.dataframe) == 1
    return at.dataframe[0]


def test_county_table_has_every_target_of_the_cards(app_env, loaded):
    at = run_app()
    element = county_element(at)
    table = element.value
    # one row per county, then the whole city
    counties = geodata.counties(config.ZHANJIANG)["name"]
    assert sorted(table["县（市、区）"][:-1]) == sorted(counties)
    assert table["县（市、区）"].iloc[-1] == "全市"
    assert table["贫困村"][:-1].sum() == table["贫困村"].iloc[-1] == len(loaded.villages)
    # every target of the KPI cards is a column, its plan wording on hover
    labels = [card.label for card in kpi_cards(at)]
    assert len(labels) == 10 and set(labels) <= set(table.columns)
    settings = grid.column_config(element)
    for target in config.TARGETS:
        assert target.description in settings[target.label]["help"]
    assert "产业扶贫合作社" in settings["有扶贫合作社的村"]["help"]


def test_county_cells_are_red_where_the_county_is_below_the_target(app_env, loaded):
    at = run_app()
    element = county_element(at)
    text, colour = grid.shown(element), grid.colours(element)
    row = {name: i for i, name in enumerate(element.value["县（市、区）"])}
    villages = loaded.villages.assign(county=[geodata.county_name(c) for c in loaded.villages["county_code"]])
    with_product = villages["code"].isin(set(loaded.products["village_code"]))
    seen = set()
    for county, group in villages.groupby("county"):
        # 一村一品: every village of the county has a product, or the cell is red
        share = with_product[group.index].mean()
        assert colour.at[row[county], "有特色产业的村"] == ("green" if share == 1 else "red"), county
        assert text.at[row[county], "有特色产业的村"] == f"{share:.1%}"
        # 入社率: poor households in a cooperative over all poor households of the county
        members = group["poor_households_in_coop"].sum() / group["poor_households"].sum()
        assert colour.at[row[county], "贫困户入社率"] == ("green" if members >= 1 else "red"), county
        assert text.at[row[county], "贫困户入社率"] == f"{members:.1%}"
        # training and long-term projects likewise
        trained = group["trained_labourers"].sum() / group["poor_labourers"].sum()
        assert colour.at[row[county], "贫困劳动力培训"] == ("green" if trained >= 1 else "red")
        seen |= {colour.at[row[county], "有特色产业的村"], colour.at[row[county], "贫困户入社率"]}
        # a figure the ledger only has for the whole city: no county cell, no colour
        assert text.at[row[county], "全市卫生户厕"] == "—" and colour.at[row[county], "全市卫生户厕"] is None
        assert text.at[row[county], "季度汇报"] == "—"
        # counts with thousands separators
        assert text.at[row[county], "贫困户"] == f"{group['poor_households'].sum():,}"
    assert seen == {"red", "green"}  # the demo has both: the test sees each colour
    # the 全市 row is the cards: same values, same colours
    cards = {card.label: card for card in kpi_cards(at)}
    city = len(row) - 1
    for kpi in expected_kpis(app_env):
        label = kpi.target.label
        assert text.at[city, label] == cards[label].value.removesuffix(" 次"), label
        assert colour.at[city, label] == ("green" if kpi.met else "red"), label
    # names and counts are not coloured
    assert colour[["县（市、区）", "贫困村", "贫困户"]].isna().all().all()


# --- choosing a village --------------------------------------------------------------------------
def test_choosing_a_village_in_the_search_box_shows_its_card(app_env, loaded):
    at = run_app()
    assert at.info and "点击地图" in at.info[0].value  # no card yet
    # a village with two products and a cooperative, so the card has something to show
    counts = loaded.products.groupby("village_code").size()
    code = next(c for c in counts[counts >= 2].index if c in set(loaded.cooperatives["village_code"]))
    at.selectbox(key=SELECTED).select(code).run()
    assert not at.exception
    assert_card_of(at, loaded, code)
    assert not at.info


def test_quarter_selectbox_switches_the_data(app_env):
    at = run_app()
    quarter_box = at.sidebar.selectbox(key=ui.session.QUARTER_WIDGET)
    assert quarter_box.options == list(config.PLAN_QUARTERS) and quarter_box.value == "2019Q4"
    q4 = json.loads(map_element(at).proto.json_args)
    quarter_box.select("2019Q1").run()
    assert not at.exception
    assert "数据季度：2019Q1" in at.caption[0].value
    assert [c.value for c in kpi_cards(at)] == [k.formatted() for k in expected_kpis(app_env, "2019Q1")]
    assert [c.value for c in kpi_cards(at)] != [k.formatted() for k in expected_kpis(app_env, "2019Q4")]
    q1 = json.loads(map_element(at).proto.json_args)
    # the villages' layer changes; the base map, hence st_folium's key, stays (no rebuild)
    assert q1["feature_group"] != q4["feature_group"]
    assert (generate_js_hash(q1["script"], "overview_map", False)
            == generate_js_hash(q4["script"], "overview_map", False))


def test_a_click_on_the_map_shows_that_villages_card(app_env, loaded, monkeypatch):
    village = loaded.villages.iloc[41]
    fake = FakeFolium(object_at=(village["lat"], village["lon"]))
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = run_app()
    assert fake.calls, "the page did not call fupin_geo.ui.mapview.st_folium: monkeypatching has no effect"
    assert at.session_state[SELECTED] == village["code"]
    assert at.selectbox(key=SELECTED).value == village["code"]
    assert_card_of(at, loaded, village["code"])
    # the last run draws a ring around the clicked village
    groups = fake.calls[-1]["feature_group_to_add"]
    groups = groups if isinstance(groups, list) else [groups]
    assert groups and all(isinstance(g, folium.FeatureGroup) for g in groups)
    rings = [c.location for g in groups for c in g._children.values() if isinstance(c, folium.CircleMarker)]
    assert [village["lat"], village["lon"]] in rings


def test_a_click_away_from_villages_selects_nothing(app_env, monkeypatch):
    fake = FakeFolium(object_at=(25.0, 100.0))
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = run_app()
    assert fake.calls
    assert at.session_state[SELECTED] is None
    assert not [m for m in at.markdown if m.value.startswith("#### ")]
    assert at.info


def test_search_box_still_works_after_a_map_click(app_env, loaded, monkeypatch):
    """st_folium keeps returning the last click on every rerun; choosing another village in
    the search box afterwards must show that village, not snap back to the clicked one."""
    clicked, searched = loaded.villages.iloc[3], loaded.villages.iloc[150]
    monkeypatch.setattr(ui.mapview, "st_folium", FakeFolium(object_at=(clicked["lat"], clicked["lon"])))
    at = run_app()
    assert at.session_state[SELECTED] == clicked["code"]
    at.selectbox(key=SELECTED).select(searched["code"]).run()
    assert not at.exception
    assert at.session_state[SELECTED] == searched["code"]
    assert_card_of(at, loaded, searched["code"])


# --- a database that cannot be opened ------------------------------------------------------------
@pytest.fixture
def blocked_sqlite_url(tmp_path) -> str:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    return f"sqlite:///{blocker / 'fupin.sqlite'}"


@pytest.mark.parametrize("kind", ["sqlite under a file", "server without driver or listener"])
def test_unreachable_database_shows_one_clear_error(monkeypatch, blocked_sqlite_url, kind):
    url = blocked_sqlite_url if kind.startswith("sqlite") else "postgresql://u:pw-secret@127.0.0.1:9/none"
    monkeypatch.setenv(config.DB_URL_ENV, url)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    message = re.sub(r"\\(.)", r"\1", at.error[0].value)  # as read: markdown escapes removed
    assert message.startswith("无法打开数据库") and "FUPIN_DB_URL" in message
    assert "pw-secret" not in message
    assert not kpi_cards(at) and not at.get("component_instance")


def test_a_new_click_after_a_search_selects_the_new_village(app_env, loaded, monkeypatch):
    first, searched, second = (loaded.villages.iloc[i] for i in (10, 90, 200))
    fake = FakeFolium(object_at=(first["lat"], first["lon"]))
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = run_app()
    at.selectbox(key=SELECTED).select(searched["code"]).run()
    fake.click_object(second["lat"], second["lon"])
    at.run()
    assert not at.exception
    assert at.session_state[SELECTED] == second["code"]
    assert_card_of(at, loaded, second["code"])
