"""The 产业地图 page through Streamlit's AppTest: filters, layers, search, clicks, basemaps and
the URL, checked on the widgets, the metrics, the table and what st_folium is given."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest
from streamlit_folium import generate_js_hash

from fupin_geo import config, ui
from fupin_geo.analysis import filters, indicators
from fupin_geo.analysis.filters import VillageFilter
from fupin_geo.analysis.search import SearchIndex
from fupin_geo.maps.industry_view import DEFAULT_LAYERS, LAYERS
from fupin_geo.data import geodata
from fupin_geo.data.store import Store
from fupin_geo.geo import basemaps, coords
from fupin_geo.maps import industry_map
from fupin_geo.ui.panels import industry as panel
from fupin_geo.ui.panels import industry_keys as keys
from tests import mapscript
from tests.app.kpi import card_values
from tests.fakes import FakeFolium

APP = config.REPO_DIR / "app.py"
PAGE = "pages/industry_map.py"
COMPONENT = "streamlit_folium.st_folium"
SUIXI = "440823"
SANDUN = "440881108209"  # 三墩村 (always in the demo data: the public example)
LIANJIANG = "440881"
LISTING = "村庄列表（当前筛选下的村）"  # the village list's expander


def open_page(query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def loaded(app_env):
    return Store(app_env).load()


@pytest.fixture
def fake_map(monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    return fake


# --- reading the page -----------------------------------------------------------------------------
def widget(elements, label: str):
    (found,) = [e for e in elements if e.label == label]
    return found


def map_args(at: AppTest) -> dict:
    found = [e for e in at.get("component_instance") if e.proto.component_name == COMPONENT]
    assert len(found) == 1
    return json.loads(found[0].proto.json_args)


def features(args: dict, class_name: str) -> list[dict]:
    return mapscript.features(args["script"] + (args.get("feature_group") or ""), class_name)


def base_key(at: AppTest) -> str:
    """The key st_folium gives the map's component (what decides a rebuild in the browser)."""
    return generate_js_hash(map_args(at)["script"], "industry_map", False)


def legends(args: dict) -> list[str]:
    return [json.loads(t) for t in re.findall(r'setAttribute\("data-legend", ("[^"]*")\)', args["feature_group"] or "")]


def village_table(at: AppTest):
    """The village list, opened first if it is closed (as a click on its expander does)."""
    if not at.session_state[keys.IND_TABLE_OPEN]:
        at.session_state[keys.IND_TABLE_OPEN] = True
        at.run()
    (table,) = [d.value for d in at.dataframe if "代码" in d.value.columns and "村名" in d.value.columns]
    return table


def listing_label(at: AppTest) -> str:
    (listing,) = [e.label for e in at.expander if e.label.startswith("村庄列表")]
    return listing


def counties(at: AppTest):
    """The county filter: a pill per county (values are county codes)."""
    return at.pills(key=panel.IND_COUNTIES)


def layers(at: AppTest):
    """The one widget that switches the layers (values are view_state.LAYERS keys)."""
    return at.pills(key=panel.IND_LAYERS)


def shown_layers(at: AppTest) -> list[str]:
    """The labels of the layers switched on, in the widget's order."""
    return [label for key, label in LAYERS.items() if key in layers(at).value]


def cards(at: AppTest) -> list[str]:
    return [m.value[5:] for m in at.markdown if m.value.startswith("#### ")]


def url(at: AppTest) -> dict[str, str]:
    """The page's query parameters after the run (single values as str)."""
    return {k: v if isinstance(v, str) else ",".join(v) for k, v in at.query_params.items()}


def metrics(at: AppTest) -> dict[str, str]:
    return card_values(at, "counts")


def expected_metrics(dataset) -> dict[str, str]:
    return {label: f"{value:,}" for label, value in indicators.industry_counts(dataset).items()}


# --- the page as it opens -----------------------------------------------------------------------------
def test_the_filters_note_is_under_the_map_with_the_links_line(app_env):
    """Not beside the map, where presentation mode (which hides the filters) left it alone."""
    at = open_page()
    [note] = [c.value for c in at.caption if panel.FILTERS_NOTE in c.value]
    assert "地址栏中的链接" in note


def test_renders_with_the_demo_warning_counts_and_every_village(app_env, loaded):
    at = open_page()
    assert at.title[0].value == "产业地图"
    assert len(at.warning) == 1 and "演示数据" in at.warning[0].value
    # the count of demo records is one click away, in the banner's popover
    assert f"**{loaded.demo_records:,}** 条记录" in "".join(m.value for m in at.get_by_key(ui.DEMO_BANNER).markdown)
    assert not at.error
    assert len(metrics(at)) == 7
    assert metrics(at) == expected_metrics(loaded)
    assert metrics(at)["贫困村"] == "218"
    args = map_args(at)
    assert sorted(f["properties"]["code"] for f in features(args, "fupin-villages")) == sorted(loaded.villages["code"])
    assert listing_label(at) == LISTING
    assert not [d for d in at.dataframe if "村名" in d.value.columns]  # the list is closed until asked for
    assert len(village_table(at)) == 218
    # the default layers, each with its legend; nothing online
    assert shown_layers(at) == [LAYERS[k] for k in DEFAULT_LAYERS]
    assert legends(args) == ["水产养殖", "一村一品类别", "现代农业产业园", "龙头企业"]
    assert not re.search(r"https?://", args["script"] + args["feature_group"])
    assert url(at) == {}
    assert at.info and "点击地图" in at.info[-1].value  # no card yet


# --- filters -----------------------------------------------------------------------------------------
def test_county_and_product_filters_change_counts_table_and_map(app_env, loaded):
    at = open_page()
    assert "遂溪县" in counties(at).options and len(counties(at).options) == 9
    counties(at).select(SUIXI).run()
    suixi = filters.apply(loaded, VillageFilter(counties=(SUIXI,)))
    assert metrics(at) == expected_metrics(suixi)
    widget(at.multiselect, "产品").select("火龙果").run()
    assert not at.exception
    expected = filters.apply(loaded, VillageFilter(counties=(SUIXI,), products=("火龙果",)))
    assert 0 < len(expected.villages) < len(suixi.villages)
    assert metrics(at) == expected_metrics(expected)
    assert metrics(at)["贫困村"] == str(len(expected.villages))
    table = village_table(at)
    assert len(table) == len(expected.villages) and sorted(table["代码"]) == sorted(expected.villages["code"])
    assert listing_label(at) == LISTING
    drawn = features(map_args(at), "fupin-villages")
    assert sorted(f["properties"]["code"] for f in drawn) == sorted(expected.villages["code"])
    assert len(features(map_args(at), "fupin-parks")) == len(expected.parks) == 1
    # the towns on offer are 遂溪's, and only those with poverty villages
    names = geodata.towns().set_index("code")["name"]
    suixi_towns = sorted(set(loaded.villages.loc[loaded.villages["county_code"] == SUIXI, "town_code"]))
    assert widget(at.multiselect, "镇（街道）").options == [names.get(t, t) for t in suixi_towns]
    assert url(at) == {"county": SUIXI, "product": "火龙果"}


def test_the_village_list_opens_on_request_and_follows_the_filters(app_env, loaded):
    at = open_page()
    assert not at.session_state[keys.IND_TABLE_OPEN]
    assert not [d for d in at.dataframe if "村名" in d.value.columns]
    assert [b.label for b in at.get("download_button")][:2] == ["村庄列表（Excel）", "村庄列表（CSV）"]  # still at hand
    assert len(village_table(at)) == len(loaded.villages)  # opened
    # (AppTest sends the expander's own state back as closed; the browser test sees it stay open)
    counties(at).select(SUIXI).run()
    table = village_table(at)
    assert sorted(table["代码"]) == sorted(loaded.villages.loc[loaded.villages["county_code"] == SUIXI, "code"])
    assert listing_label(at) == LISTING
    at.session_state[keys.IND_TABLE_OPEN] = False
    at.run()
    assert not [d for d in at.dataframe if "村名" in d.value.columns]


def test_products_follow_the_chosen_category(app_env, loaded):
    at = open_page()
    widget(at.multiselect, "产品").select("对虾").run()
    widget(at.multiselect, "产业类别").select("种植").run()
    assert not at.exception
    products = widget(at.multiselect, "产品")
    planting = sorted(set(loaded.products.loc[loaded.products["category"] == "种植", "product"]))
    assert products.options == planting and products.value == []  # 对虾 is no 种植 product: dropped
    expected = filters.apply(loaded, VillageFilter(categories=("种植",)))
    assert metrics(at) == expected_metrics(expected)


# --- layers --------------------------------------------------------------------------------------------
def test_unchecking_a_layer_removes_its_features_and_legend(app_env, loaded):
    at = open_page()
    before = map_args(at)
    assert len(features(before, "fupin-parks")) == len(loaded.parks)
    assert "现代农业产业园" in legends(before)
    layers(at).unselect("parks").run()
    assert not at.exception
    after = map_args(at)
    assert features(after, "fupin-parks") == [] and features(after, "fupin-park-scope") == []
    assert "现代农业产业园" not in legends(after) and "fupin-parks" not in after["feature_group"]
    assert legends(after) == ["水产养殖", "一村一品类别", "龙头企业"]
    assert len(features(after, "fupin-villages")) == len(loaded.villages)
    assert url(at) == {"layers": "aquaculture,villages,enterprises"}
    # and a layer that is off by default comes with its own legend
    layers(at).select("cooperatives").run()
    assert len(features(map_args(at), "fupin-cooperatives")) == len(loaded.cooperatives)
    assert "合作社" in legends(map_args(at))


def test_choropleth_offers_a_measure(app_env, loaded):
    at = open_page()
    assert "县区着色指标" not in [s.label for s in at.selectbox]
    layers(at).select("choropleth").run()
    widget(at.selectbox, "县区着色指标").select("poor_households").run()
    assert not at.exception
    assert "县区：贫困户数" in legends(map_args(at))
    assert url(at)["measure"] == "poor_households"


# --- search and clicks ------------------------------------------------------------------------------
def test_pinyin_search_opens_the_card_and_flies_there(app_env, loaded, fake_map):
    at = open_page()
    assert fake_map.calls and fake_map.calls[-1]["center"] is None and fake_map.calls[-1]["zoom"] is None
    widget(at.text_input, "搜索贫困村").input("sandun").run()
    assert not at.exception
    assert cards(at) == ["三墩村"]
    village = loaded.villages.set_index("code").loc[SANDUN]
    assert fake_map.calls[-1]["center"] == pytest.approx((village["lat"], village["lon"]), abs=2e-5)
    assert fake_map.calls[-1]["zoom"] == pytest.approx(panel.FLY_ZOOM, abs=0.01)
    assert any("三墩村" in s.value for s in at.success)
    assert url(at)["village"] == SANDUN
    # the selected village gets a ring in the layers handed to the map
    rings = [g for g in fake_map.calls[-1]["feature_group_to_add"] if g.layer_name == "选中的村"]
    assert len(rings) == 1


def test_the_map_flies_once_and_a_later_rerun_leaves_it_alone(app_env, loaded, fake_map):
    at = open_page()
    widget(at.text_input, "搜索贫困村").input("sandun").run()
    assert fake_map.calls[-1]["center"] is not None
    flown = fake_map.calls[-1]["center"], fake_map.calls[-1]["zoom"]
    # a rerun that changes nothing sends the same place again: st_folium then moves nothing
    layers(at).unselect("parks").run()
    assert (fake_map.calls[-1]["center"], fake_map.calls[-1]["zoom"]) == flown
    # a filter change moves the map to its villages: it must not fly back to 三墩
    counties(at).select("440882").run()
    assert not at.exception
    leizhou = loaded.villages[loaded.villages["county_code"] == "440882"]
    lat, lon, zoom = industry_map.focus_view(leizhou)
    assert fake_map.calls[-1]["center"] == pytest.approx((lat, lon), abs=2e-5)
    assert fake_map.calls[-1]["zoom"] == pytest.approx(zoom, abs=0.01)


def test_searching_the_same_village_again_moves_the_map_again(app_env, loaded, fake_map):
    """st_folium moves a shown map only when centre or zoom differ from the last ones it
    got: the same village searched twice (the user panned away between) must differ."""
    at = open_page()
    box = widget(at.text_input, "搜索贫困村")
    box.input("sandun").run()
    first = fake_map.calls[-1]["center"], fake_map.calls[-1]["zoom"]
    widget(at.text_input, "搜索贫困村").input("").run()
    widget(at.text_input, "搜索贫困村").input("三墩").run()
    assert not at.exception and cards(at) == ["三墩村"]
    second = fake_map.calls[-1]["center"], fake_map.calls[-1]["zoom"]
    assert second[0] is not None and second != first
    village = loaded.villages.set_index("code").loc[SANDUN]
    assert second[0] == pytest.approx((village["lat"], village["lon"]), abs=2e-5)
    # and the button beside the result flies there once more
    at.button(key=keys.IND_AGAIN).click().run()
    third = fake_map.calls[-1]["center"], fake_map.calls[-1]["zoom"]
    assert third != second and third[0] == pytest.approx(second[0], abs=2e-5)


def test_the_base_map_never_changes_with_filters_layers_or_quarter(app_env, loaded):
    """st_folium's component key is a hash of the base map's script: if it changes, the
    browser throws the map away and builds a new one."""
    at = open_page()
    keys = [base_key(at)]
    counties(at).select(SUIXI).run()
    keys.append(base_key(at))
    widget(at.multiselect, "产品").select("火龙果").run()
    keys.append(base_key(at))
    layers(at).unselect("parks").run()
    keys.append(base_key(at))
    at.sidebar.selectbox(key=ui.session.QUARTER_WIDGET).select("2019Q1").run()
    keys.append(base_key(at))
    widget(at.text_input, "搜索贫困村").input("sandun").run()
    keys.append(base_key(at))
    assert not at.exception
    assert len(set(keys)) == 1, keys
    # only a basemap change builds a new map
    widget(at.selectbox, "底图").select("amap").run()
    assert base_key(at) != keys[0]


def test_searches_in_a_row_never_lose_the_results_box(app_env, loaded, fake_map):
    """tang, li, sandun: the browser sends the results box's last shown choice with each new
    search (a box reused across searches keeps its widget id); that used to run the box's
    callback after the search had reset it: KeyError "industry_pick"."""
    at = open_page()
    for query in ("tang", "li"):
        widget(at.text_input, "搜索贫困村").input(query).run()
        assert not at.exception, [e.value for e in at.exception]
        (box,) = [s for s in at.selectbox if s.label.startswith("找到")]
        assert box.value == SearchIndex.build(loaded.villages).search(query)[0]  # a new list starts at its first
    # the next search arrives together with the stale choice of the previous list
    stale = box.options[1]
    widget(at.text_input, "搜索贫困村").input("sandun")
    box.select(stale)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert cards(at) == ["三墩村"] and url(at)["village"] == SANDUN
    assert not [s for s in at.selectbox if s.label.startswith("找到")]
    # and a choice in a list still selects that village
    widget(at.text_input, "搜索贫困村").input("li").run()
    (box,) = [s for s in at.selectbox if s.label.startswith("找到")]
    second = SearchIndex.build(loaded.villages).search("li")[1]
    box.select(second).run()
    assert not at.exception and url(at)["village"] == second


def test_a_search_without_a_match_says_so(app_env):
    at = open_page()
    widget(at.text_input, "搜索贫困村").input("zzzz").run()
    assert not at.exception and not cards(at)
    assert any("没有找到" in w.value for w in at.warning)


def test_a_click_on_a_village_opens_its_card(app_env, loaded, fake_map):
    village = loaded.villages.iloc[57]
    fake_map.click_object(village["lat"], village["lon"])
    at = open_page()
    assert cards(at) == [village["name"]]
    assert url(at) == {"village": village["code"]}
    assert f"代码 {village['code']}" in " ".join(c.value for c in at.caption)


def test_a_search_after_a_click_shows_the_searched_village(app_env, loaded, fake_map):
    """st_folium keeps returning its last click; it must not undo a later search."""
    clicked = loaded.villages.iloc[10]
    assert clicked["code"] != SANDUN
    fake_map.click_object(clicked["lat"], clicked["lon"])
    at = open_page()
    assert cards(at) == [clicked["name"]]
    widget(at.text_input, "搜索贫困村").input("sandun").run()
    assert not at.exception
    assert cards(at) == ["三墩村"] and url(at)["village"] == SANDUN


def results_box(at: AppTest):
    (box,) = [s for s in at.selectbox if s.label.startswith("找到 ")]
    return box


def test_a_search_with_several_results_lets_one_choose(app_env, loaded, fake_map):
    at = open_page()
    widget(at.text_input, "搜索贫困村").input("gu").run()
    found = SearchIndex.build(loaded.villages).search("gu")
    assert len(found) > 1
    box = results_box(at)
    assert box.label == f"找到 {len(found)} 个村" and box.value == found[0]
    names = loaded.villages.set_index("code")["name"]
    assert cards(at) == [names[found[0]]]
    box.select(found[1]).run()
    assert not at.exception
    assert cards(at) == [names[found[1]]] and url(at)["village"] == found[1]
    second = loaded.villages.set_index("code").loc[found[1]]
    assert fake_map.calls[-1]["center"] == pytest.approx((second["lat"], second["lon"]))


LEIZHOU = "440882"


def only_match_in(loaded, county: str):
    """A village of `county` that a search for its name finds alone."""
    index = SearchIndex.build(loaded.villages)
    for village in loaded.villages[loaded.villages["county_code"] == county].itertuples():
        if index.search(village.name) == [village.code]:
            return village
    raise AssertionError(f"no village of {county} is found alone by its name")


def test_a_search_outside_the_chosen_county_says_so_and_does_not_fly(app_env, loaded, fake_map):
    target = only_match_in(loaded, SUIXI)
    at = open_page()
    counties(at).select(LEIZHOU).run()
    moved = fake_map.calls[-1]["center"], fake_map.calls[-1]["zoom"]
    widget(at.text_input, "搜索贫困村").input(target.name).run()
    assert not at.exception
    (message,) = [w.value for w in at.warning if "不在当前筛选范围内" in w.value]
    assert target.name in message and "遂溪县" in message and "雷州市" in message
    assert not cards(at) and "village" not in url(at)  # no card, no ring for a point the map lacks
    assert (fake_map.calls[-1]["center"], fake_map.calls[-1]["zoom"]) == moved
    assert counties(at).value == [LEIZHOU]
    # the way out: clear the filters and show it
    at.button(key=keys.IND_SHOW_OUTSIDE).click().run()
    assert not at.exception
    assert counties(at).value == [] and cards(at) == [target.name] and url(at)["village"] == target.code
    assert fake_map.calls[-1]["center"] == pytest.approx((target.lat, target.lon), abs=2e-5)
    assert not [w for w in at.warning if "不在当前筛选范围内" in w.value]


def test_a_search_prefers_the_villages_the_filters_show(app_env, loaded, fake_map):
    index = SearchIndex.build(loaded.villages)
    query = next(q for q in ("li", "gu", "xi", "ma") if (found := index.search(q))
                 and found[0][:6] != LEIZHOU and any(c[:6] == LEIZHOU for c in found))
    found = index.search(query)
    first_inside = next(c for c in found if c[:6] == LEIZHOU)
    at = open_page()
    counties(at).select(LEIZHOU).run()
    widget(at.text_input, "搜索贫困村").input(query).run()
    assert not at.exception
    box = results_box(at)
    assert box.value == first_inside and url(at)["village"] == first_inside
    outside = [c for c in box.options if "筛选范围外" in c]
    assert len(outside) == sum(c[:6] != LEIZHOU for c in found) and "个在筛选范围外" in box.label


def test_a_click_while_a_search_lists_several_villages(app_env, loaded, fake_map):
    """The list of results must neither undo a map click nor fight it (rerun forever)."""
    at = open_page(timeout=20)
    widget(at.text_input, "搜索贫困村").input("gu").run()
    assert len(results_box(at).options) > 1
    listed = set(SearchIndex.build(loaded.villages).search("gu"))
    clicked = loaded.villages[~loaded.villages["code"].isin(listed)].iloc[100]
    fake_map.click_object(clicked["lat"], clicked["lon"])
    at.run()
    assert not at.exception
    assert cards(at) == [clicked["name"]] and url(at)["village"] == clicked["code"]
    # a new search still wins over the old click
    widget(at.text_input, "搜索贫困村").input("sandun").run()
    assert cards(at) == ["三墩村"]


def test_a_click_on_the_shifted_amap_position_opens_that_village(app_env, loaded, fake_map):
    village = loaded.villages.set_index("code").loc[SANDUN]
    lon, lat = coords.wgs84_to_gcj02(float(village["lon"]), float(village["lat"]))
    fake_map.click_object(lat, lon)
    at = open_page({"basemap": "amap"})
    assert cards(at) == ["三墩村"]
    # and a click on the stored (unshifted) position, 500 m off, opens nothing
    fake_map.click_object(village["lat"], village["lon"])
    at = open_page({"basemap": "amap"})
    assert cards(at) == []


# --- the URL -------------------------------------------------------------------------------------------
def test_a_link_reproduces_the_widgets_the_map_and_the_card(app_env, loaded):
    at = open_page({"county": LIANJIANG, "layers": "villages,parks", "basemap": "amap", "village": SANDUN,
                    "view": "21.20000,110.10000,11"})
    assert not at.toast
    assert counties(at).value == [LIANJIANG]
    assert shown_layers(at) == ["贫困村", "产业园"]
    assert widget(at.selectbox, "底图").value == "amap"
    assert cards(at) == ["三墩村"]
    assert any("在线底图" in i.value for i in at.info)
    args = map_args(at)
    assert "autonavi.com" in args["script"]
    # the link's view is WGS-84: on 高德 the map is sent to its GCJ-02 position
    assert list(args["center"]) == pytest.approx(coords.wgs84_to_gcj02(110.1, 21.2)[::-1], abs=2e-5)
    assert args["zoom"] == pytest.approx(11, abs=0.01)
    assert "21.2," not in args["script"]
    drawn = {f["properties"]["code"]: f["geometry"]["coordinates"] for f in features(args, "fupin-villages")}
    lianjiang = loaded.villages[loaded.villages["county_code"] == LIANJIANG]
    assert sorted(drawn) == sorted(lianjiang["code"])
    for village in lianjiang.itertuples():
        assert drawn[village.code] == pytest.approx(list(coords.wgs84_to_gcj02(village.lon, village.lat)), abs=6e-6)
    assert legends(args) == ["一村一品类别", "现代农业产业园"]
    assert url(at)["view"] == "21.20000,110.10000,11"
    # the URL follows the widgets; the link's extent holds until the filters change
    widget(at.multiselect, "产品").select("红橙").run()
    assert url(at) == {"county": LIANJIANG, "product": "红橙", "layers": "villages,parks", "basemap": "amap",
                       "village": SANDUN}
    shown = loaded.villages[loaded.villages["code"].isin(filters.apply(
        loaded, filters.VillageFilter(counties=(LIANJIANG,), products=("红橙",))).villages["code"])]
    lat, lon, _ = industry_map.focus_view(shown)
    assert list(map_args(at)["center"]) == pytest.approx(coords.wgs84_to_gcj02(lon, lat)[::-1], abs=2e-5)


def test_the_map_keeps_its_extent_in_the_url(app_env, loaded):
    """The page adds the URL sync (ui.edge.view_sync) to its base map once, bound to the map
    st_folium draws, and converting the centre back to WGS-84 on 高德 (GCJ-02)."""
    for basemap, converts in (("offline", False), ("amap", True)):
        script = map_args(open_page({"basemap": basemap}))["script"]
        assert script.count("__fupinView = {") == 1 and "})(map_div);" in script
        assert ("toGcj" in script) == converts


def test_an_invalid_parameter_is_reported_and_ignored(app_env, loaded):
    at = open_page({"county": "999999", "layers": "villages,roads"})
    assert len(at.toast) == 1
    assert "999999" in at.toast[0].value and "roads" in at.toast[0].value
    assert counties(at).value == []
    assert metrics(at)["贫困村"] == "218"
    assert shown_layers(at) == ["贫困村"]
    assert url(at) == {"layers": "villages"}


def test_hostile_parameters_show_the_default_view_and_name_what_was_ignored(app_env, loaded):
    at = open_page({"county": "٤٤٠٨٢٣", "village": "9" * 5_000, "layers": "{{7*7}}", "view": "²,110,11"})
    (toast,) = at.toast
    text = toast.value.replace("\\", "")  # as shown: md() escapes the punctuation
    assert "已忽略" in text
    for param in ("county=٤٤٠٨٢٣", "village=999", "layers={{7*7}}", "view=²,110,11"):
        assert param in text
    assert "9" * (60 + 1) not in text  # a long value is named by its start, not repeated whole
    assert counties(at).value == [] and shown_layers(at) == [LAYERS[k] for k in DEFAULT_LAYERS]
    assert metrics(at)["贫困村"] == "218"
    assert url(at) == {}


def test_navigating_away_and_back_keeps_a_usable_map(app_env, loaded):
    at = open_page()
    at.switch_page("pages/overview.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert shown_layers(at) == [LAYERS[k] for k in DEFAULT_LAYERS]
    assert len(features(map_args(at), "fupin-villages")) == len(loaded.villages)


# --- basemaps --------------------------------------------------------------------------------------------
def test_tianditu_without_a_token_warns_and_falls_back_to_offline(app_env, monkeypatch):
    monkeypatch.delenv(basemaps.TIANDITU_TOKEN_ENV, raising=False)
    at = open_page()
    widget(at.selectbox, "底图").select("tianditu").run()
    assert not at.exception
    warnings = [w.value for w in at.warning if "天地图" in w.value]
    assert len(warnings) == 1 and "未配置天地图密钥" in warnings[0] and "离线底图" in warnings[0]
    script = map_args(at)["script"]
    assert "tianditu" not in script and "tileLayer" not in script
    assert not re.search(r"https?://", script)
    assert url(at) == {"basemap": "tianditu"}  # the choice stays, for when a key is set


def test_tianditu_with_a_token_draws_its_tiles(app_env, monkeypatch):
    monkeypatch.setenv(basemaps.TIANDITU_TOKEN_ENV, "tok-123")
    at = open_page({"basemap": "tianditu"})
    assert not [w for w in at.warning if "天地图" in w.value]
    script = map_args(at)["script"]
    assert script.count("tianditu.gov.cn") == 2 and script.count("tk=tok-123") == 2
