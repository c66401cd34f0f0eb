"""The 湛柳协作 page through AppTest: map with arcs, city zoom and year in the URL, tables,
the demo notice, and hostile names shown as text."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.analysis import cooperation
from fupin_geo.data.store import Store
from fupin_geo.maps import cooperation_map
from tests.app import grid, tab
from tests.app.kpi import cards

PAGE = "pages/cooperation.py"
COMPONENT = "streamlit_folium.st_folium"
HOSTILE = "![x](http://a.b/x.png)<img src=x onerror=alert(1)>{{7*7}}"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = tab.app_test(120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_args(at: AppTest) -> dict:
    (found,) = [e for e in at.get("component_instance") if e.proto.component_name == COMPONENT]
    return json.loads(found.proto.json_args)


def arcs(args: dict, class_name: str) -> int:
    """How many arcs of `class_name` the shown map's layers carry (decoded from the data
    each ArcLayer sends, not counted in our own Python)."""
    count = 0
    for chunk in (args.get("feature_group") or "").split("var arc_layer_")[1:]:
        data = json.JSONDecoder().raw_decode(chunk, chunk.index("})(") + 3)[0]
        if f'"className":"{class_name}"' in chunk:
            count += len(data["x1"])
    return count


def test_map_shows_both_cities_pairings_and_flows(app_env):
    at = open_page()
    args = map_args(at)
    assert "fupin-county-lines" in args["script"]
    assert arcs(args, "fupin-pairings") == 3  # 吴川↔三江, 遂溪↔融安, 廉江↔融水
    assert arcs(args, "fupin-flows") == 9  # 3 pairings × 3 kinds, summed over the years
    center, zoom = cooperation_map.focus("both")
    assert args["center"] == pytest.approx(list(center)) and args["zoom"] == pytest.approx(zoom, abs=0.01)
    assert any("演示数据" in w.value for w in at.warning)
    shown = cards(at, "cooperation")
    assert [c.label for c in shown][:3] == ["结对县区", "协作项目", "项目金额（万元）"]
    assert shown[0].value == "3"
    # the published projects are not called demo data (docs/demo-data.md)
    (note,) = [c.value for c in at.caption if "线宽按数量" in c.value]
    assert "注明来源的为公开资料" in note and "项目与往来数量为演示数据" not in note


def test_city_zoom_and_year_change_the_view_not_the_base(app_env):
    at = open_page()
    base = map_args(at)["script"]
    at.segmented_control(key="coop_city").set_value(config.LIUZHOU).run()
    at.selectbox(key="coop_year").set_value(2018).run()
    args = map_args(at)
    assert args["script"] == base  # the browser keeps its map; only the view and layers change
    center, zoom = cooperation_map.focus(config.LIUZHOU)
    assert args["center"] == pytest.approx(list(center)) and args["zoom"] == pytest.approx(zoom, abs=0.01)
    assert 24.0 < center[0] < 26.0  # 柳州, not 湛江
    assert "2018年" in args["feature_group"] and "各年合计" not in args["feature_group"]
    assert at.query_params["city"] == config.LIUZHOU and at.query_params["year"] == "2018"


def test_link_opens_the_view_and_kinds_can_be_dropped(app_env):
    at = open_page({"city": config.ZHANJIANG, "year": "2019", "flows": "劳务协作"})
    assert at.segmented_control(key="coop_city").value == config.ZHANJIANG
    assert at.selectbox(key="coop_year").value == 2019
    assert arcs(map_args(at), "fupin-flows") == 3
    bad = open_page({"city": "<img>", "year": "abc"})
    assert bad.segmented_control(key="coop_city").value == "both"
    assert bad.selectbox(key="coop_year").value == "全部"


def test_tables_by_pairing_year_and_work_area(app_env):
    at = open_page()
    frames = [d.value for d in at.table]  # short tables: shown whole, no column cut off
    by_pairing = next(f for f in frames if "结对县区" in f.columns and "项目数" in f.columns)
    assert sorted(by_pairing["结对县区"]) == ["吴川市—三江侗族自治县", "廉江市—融水苗族自治县", "遂溪县—融安县"]
    by_area = next(f for f in frames if "工作领域" in f.columns and "项目数" in f.columns)
    assert by_area["工作领域"].tolist() == list(config.COOPERATION_WORK_AREAS)
    store = Store(app_env).load()
    assert by_area["项目数"].sum() == len(store.cooperation_projects)


def test_head_counts_have_no_decimals_and_amounts_one(app_env):
    at = open_page()
    store = Store(app_env).load()
    flows = store.cooperation_flows
    (element,) = [t for t in at.table if "结对县区" in t.value.columns]
    shown = grid.shown(element).set_index("结对县区")
    pairs = [cooperation.pair_label(a, b) for a, b in zip(flows["zj_county_code"], flows["lz_county_code"])]
    labour = flows.assign(pair=pairs)[flows["kind"] == "劳务协作"].groupby("pair")["amount"].sum()
    assert len(labour)
    for pair, people in labour.items():
        assert shown.at[pair, "劳务协作（人）"] == f"{people:,.0f}"  # 1,875: a head count, not 1,875.0
    assert all(re.fullmatch(r"[\d,]+\.\d", text) for text in shown["消费扶贫（万元）"])
    assert all(re.fullmatch(r"[\d,]+", text) for text in shown["劳务协作（人）"])
    # the summary card too
    assert cards(at, "cooperation")
    labour_card = {c.label: c.value for c in cards(at, "cooperation")}["劳务协作（人）"]
    assert labour_card == f"{flows[flows['kind'] == '劳务协作']['amount'].sum():,.0f}"
    # the project list: years as years, amounts with separators
    (projects,) = [d for d in at.dataframe if "项目名称" in d.value.columns]
    text = grid.shown(projects)
    assert set(text["年份"]) - {"—"} <= {str(y) for y in range(2010, 2031)}
    assert grid.column_config(projects)["项目名称"]["width"] == "large"


@pytest.fixture
def hostile_db(tmp_path, monkeypatch, demo_datasets):
    """The demo data with a hostile project name and an empty flows table."""
    url = f"sqlite:///{tmp_path / 'hostile.sqlite'}"
    latest = demo_datasets[-1]
    frames = latest.frames()
    projects = frames["cooperation_projects"].copy()
    projects.loc[0, "name"] = HOSTILE + "\n" + "长" * 5000
    frames["cooperation_projects"] = projects
    frames["cooperation_flows"] = frames["cooperation_flows"].iloc[0:0]
    from fupin_geo.data.dataset import Dataset

    Store(url).save(Dataset.from_frames(latest.quarter, frames))
    monkeypatch.setenv(config.DB_URL_ENV, url)
    return url


def test_hostile_names_stay_text_and_missing_flows_are_fine(hostile_db):
    at = open_page()
    table = next(d.value for d in at.dataframe if "项目名称" in d.value.columns)
    assert table["项目名称"].str.startswith(HOSTILE).any()  # shown as a value, not markup
    assert all(HOSTILE not in m.value for m in at.markdown)
    assert arcs(map_args(at), "fupin-flows") == 0 and arcs(map_args(at), "fupin-pairings") == 3


@pytest.mark.parametrize("year", ["²", "9" * 5_000, "٢٠١٩", "２０１９", "-1", "1e3", "{{7*7}}"],
                         ids=["superscript", "5000-digits", "arabic-indic", "full-width", "minus", "exponent",
                              "template"])
@pytest.mark.parametrize("present", [False, True], ids=["page", "slideshow"])
def test_a_hostile_year_shows_all_years(app_env, year, present):
    """A link or a saved view (the slideshow opens it with present=1) with a year the page
    cannot use: the page opens with its default, every year, and leaves it out of the URL."""
    at = open_page({"year": year, "city": "²", "flows": "9" * 5_000} | ({"present": "1"} if present else {}))
    assert at.selectbox(key="coop_year").value == "全部"
    assert at.segmented_control(key="coop_city").value == "both"
    assert "year" not in at.query_params and "city" not in at.query_params
    assert "各年合计" in map_args(at)["feature_group"]


def test_charts_name_the_amount_axis_in_wan_yuan(app_env):
    """万元 sits on each chart's value axis, not on its year or work-area axis (horizontal
    bars swap the axes, so the value axis is the horizontal one there)."""
    at = open_page()
    charts = [json.loads(c.proto.spec)["encoding"] for c in at.get("vega_lite_chart")]
    assert len(charts) == 2
    for encoding in charts:
        (value,) = [e for e in (encoding["x"], encoding["y"]) if e["type"] == "quantitative"]
        (category,) = [e for e in (encoding["x"], encoding["y"]) if e["type"] != "quantitative"]
        assert value["title"] == "万元"
        assert category["title"] != "万元"
    horizontal = next(e for e in charts if e["y"]["type"] != "quantitative")
    assert horizontal["x"]["title"] == "万元" and horizontal["y"]["field"] == "工作领域"
