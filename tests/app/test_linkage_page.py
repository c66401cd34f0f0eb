"""The 联农带农 page through AppTest."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config, ui
from fupin_geo.analysis import linkage
from fupin_geo.data.store import Store
from fupin_geo.ui.panels import linkage as panel
from tests import mapscript
from tests.app import tab
from tests.app.kpi import card_values
from tests.fakes import FakeFolium

PAGE = "pages/linkage.py"
COMPONENT = "streamlit_folium.st_folium"


def open_page() -> AppTest:
    at = tab.app_test(90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_args(at: AppTest) -> dict:
    found = [e for e in at.get("component_instance") if e.proto.component_name == COMPONENT]
    assert len(found) == 1
    return json.loads(found[0].proto.json_args)


@pytest.fixture(scope="module")
def q4(seeded_db_url):
    return Store(seeded_db_url).load()


def groups_script(call) -> str:
    groups = call["feature_group_to_add"] or []
    return "".join(mapscript.render(g) for g in (groups if isinstance(groups, list) else [groups]))


def test_page_shows_the_demo_banner_counts_and_tables(app_env, q4):
    at = open_page()
    assert at.title[0].value == "联农带农"
    assert "演示数据" in at.warning[0].value
    metrics = card_values(at, "linkage")
    coverage = linkage.village_coverage(q4)["coverage"].value_counts()
    for cls in config.COVERAGE_CLASSES:
        assert metrics[f"{cls}的村"] == str(int(coverage.get(cls, 0)))
    assert metrics["联农带农关系（条）"] == f"{len(q4.linkages):,}"
    reach = linkage.enterprise_reach(q4)
    assert metrics["扶贫龙头企业"] == f"{int(reach['is_leading'].sum())} / {len(reach)}"
    tables = [d.value for d in at.dataframe]
    county, enterprises, parks, coops = tables
    assert county["贫困村"].sum() == len(q4.villages)
    assert len(enterprises) == len(q4.enterprises) and set(enterprises["扶贫龙头企业"]) <= {"是", "否"}
    assert len(parks) == len(q4.parks) and len(coops) == len(q4.villages)


def test_map_sends_every_link_as_one_line_layer_with_local_assets(app_env, q4, monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    open_page()
    call = fake.calls[-1]
    assert call["returned_objects"] == ["last_object_clicked"]
    base = call["fig"].get_root().render()
    assert "L.polyline" not in base  # the lines are layers, never the base
    script = groups_script(call)
    assert len(mapscript.lines(script, "fupin-links")) == len(q4.linkages)
    assert len(mapscript.features(script, "fupin-coverage")) == len(q4.villages)


def test_base_map_is_the_same_whatever_is_chosen(app_env, q4):
    at = open_page()
    before = map_args(at)["script"]
    at.selectbox(key=panel.LNK_SOURCE).select("E03").run()
    assert not at.exception
    assert map_args(at)["script"] == before


def test_choosing_an_enterprise_shows_its_villages(app_env, q4, monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = open_page()
    at.selectbox(key=panel.LNK_SOURCE).select("E05").run()
    assert not at.exception
    mine = q4.linkages[(q4.linkages["source_type"] == "企业") & (q4.linkages["source_id"] == "E05")]
    script = groups_script(fake.calls[-1])
    selected = mapscript.features(script, "fupin-selected-villages")
    assert {f["properties"]["code"] for f in selected} == set(mine["village_code"])
    name = q4.enterprises.set_index("id").loc["E05", "name"]
    assert any(m.value == f"#### {ui.md(name)}" for m in at.markdown)
    villages = [d.value for d in at.dataframe][0]
    assert len(villages) == len(mine)


def test_a_click_on_an_enterprise_badge_chooses_it(app_env, q4, monkeypatch):
    row = q4.enterprises.iloc[6]
    monkeypatch.setattr(ui.mapview, "st_folium", FakeFolium(object_at=(row["lat"], row["lon"])))
    at = open_page()
    assert at.session_state[panel.LNK_SOURCE] == row["id"]


def test_county_filter_limits_the_villages(app_env, q4, monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = open_page()
    at.pills(key=panel.LNK_COUNTIES).select("440825").run()
    assert not at.exception
    suixi = set(q4.villages.loc[q4.villages["county_code"] == "440825", "code"])
    script = groups_script(fake.calls[-1])
    assert {f["properties"]["code"] for f in mapscript.features(script, "fupin-coverage")} == suixi
    assert [d.value for d in at.dataframe][0]["县（市、区）"].tolist() == ["徐闻县"]


HOSTILE = "<img src=x onerror=alert(1)>{{7*7}}![x](http://a.b/x.png)\n" + "长" * 5000


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """Demo data with a hostile village, enterprise and park name, a link to an enterprise
    that does not exist, and a village with no poor households."""
    from fupin_geo.data import demo

    dataset = demo.build_demo()[-1]
    scope = dataset.park_villages
    unsigned = scope.loc[~scope["agreement_signed"], "village_code"].iloc[0]
    dataset.villages.loc[dataset.villages["code"] == unsigned, "name"] = HOSTILE
    dataset.villages.loc[dataset.villages.index[5], "poor_households"] = 0
    dataset.enterprises.loc[dataset.enterprises.index[0], "name"] = HOSTILE
    dataset.parks.loc[dataset.parks.index[0], "name"] = HOSTILE
    ghost = dataset.linkages.iloc[[0]].assign(source_id="E-GONE")
    dataset.linkages = __import__("pandas").concat([dataset.linkages, ghost], ignore_index=True)
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'fupin.sqlite'}"
    Store(url).save(dataset)
    return url, dataset


@pytest.mark.parametrize("page", [PAGE, "pages/underserved.py"])
def test_hostile_names_and_broken_rows_are_shown_as_text(hostile_db, monkeypatch, page):
    url, dataset = hostile_db
    monkeypatch.setenv(config.DB_URL_ENV, url)
    at = tab.app_test(90).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    if page == PAGE:
        at.selectbox(key=panel.LNK_SOURCE).select(dataset.enterprises.iloc[0]["id"]).run()
        assert not at.exception
        # markdown gets the name escaped: no image, no HTML, no template
        shown = [m.value for m in [*at.markdown, *at.warning] if "img" in m.value]
        assert shown and all("\\<img" in v and "\\!\\[x\\]" in v for v in shown)
    args = [json.loads(e.proto.json_args) for e in at.get("component_instance")
            if e.proto.component_name == COMPONENT][0]
    assert "<img src=x" not in args["script"] and "{{7*7}}" not in args["script"]
