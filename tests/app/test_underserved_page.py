"""The 短板排查 page through AppTest."""
from __future__ import annotations


import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config, ui
from fupin_geo.analysis import ranking
from fupin_geo.data import geodata
from fupin_geo.data.store import Store
from fupin_geo.geo.display import fit_view
from fupin_geo.ui.panels import ranking as panel
from tests import mapscript
from tests.app import tab
from tests.fakes import FakeFolium

PAGE = "pages/underserved.py"
COMPONENT = "streamlit_folium.st_folium"


def open_page() -> AppTest:
    at = tab.app_test(90).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ranked_table(at: AppTest):
    found = [d.value for d in at.dataframe if "原因" in d.value.columns]
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def q4(seeded_db_url):
    return Store(seeded_db_url).load()


def groups_script(call) -> str:
    groups = call["feature_group_to_add"] or []
    return "".join(mapscript.render(g) for g in (groups if isinstance(groups, list) else [groups]))


def test_page_ranks_every_village_with_a_reason(app_env, q4, monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = open_page()
    assert at.title[0].value == "短板排查" and "演示数据" in at.warning[0].value
    table = ranked_table(at)
    assert len(table) == len(q4.villages)
    assert table["排名"].tolist() == list(range(1, len(q4.villages) + 1))
    assert table["短板得分"].is_monotonic_decreasing
    assert table["原因"].str.len().min() > 0
    call = fake.calls[-1]
    assert call["returned_objects"] == ["last_object_clicked", "last_clicked"]
    script = groups_script(call)
    assert len(mapscript.features(script, "fupin-scores")) == len(q4.villages)
    top = [f["properties"]["code"] for f in mapscript.features(script, "fupin-top")]
    names = dict(zip(q4.villages["code"], q4.villages["name"]))
    assert [names[c] for c in top] == table["村名"].head(config.RANK_TOP_DEFAULT).tolist()
    # the suggestions are there from the start, k = SITES_DEFAULT
    assert len(mapscript.features(script, "fupin-suggested")) > 0
    assert [d.value for d in at.dataframe if "新覆盖贫困户" in d.value.columns][0].shape[0] == config.SITES_DEFAULT


def test_county_filter_and_top_n(app_env, q4):
    at = open_page()
    at.pills(key=panel.RNK_COUNTIES).select("440823").run()
    assert not at.exception
    table = ranked_table(at)
    assert set(table["县（市、区）"]) == {"遂溪县"} and len(table) == (q4.villages["county_code"] == "440823").sum()
    assert table["排名"].iloc[0] == 1


def test_the_map_moves_to_the_chosen_county_and_stays_there(app_env, q4, monkeypatch):
    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = open_page()
    at.pills(key=panel.RNK_COUNTIES).select("440823").run()
    assert not at.exception
    lat, lon = fake.calls[-1]["center"]
    minx, miny, maxx, maxy = geodata.counties(config.ZHANJIANG).set_index("adcode").loc["440823"].geometry.bounds
    assert minx < lon < maxx and miny < lat < maxy
    assert fake.calls[-1]["zoom"] > fit_view(tuple(geodata.city_outline(config.ZHANJIANG).bounds))[2]
    moved = fake.calls[-1]["center"], fake.calls[-1]["zoom"]
    at.number_input(key=panel.RNK_TOP).set_value(10).run()  # the same scope: the map stays
    assert (fake.calls[-1]["center"], fake.calls[-1]["zoom"]) == moved


def test_a_weight_slider_changes_the_order(app_env):
    at = open_page()
    before = ranked_table(at)["村名"].head(10).tolist()
    at.slider(key=panel.weight_key("infrastructure")).set_value(5).run()
    at.slider(key=panel.weight_key("linkage")).set_value(0).run()
    at.slider(key=panel.weight_key("coop")).set_value(0).run()
    assert not at.exception
    after = ranked_table(at)["村名"].head(10).tolist()
    assert after != before
    at.button[0].click().run()  # 恢复默认权重
    assert ranked_table(at)["村名"].head(10).tolist() == before


def test_a_click_places_a_candidate_site_and_lists_the_villages_it_reaches(app_env, q4, monkeypatch):
    top = ranking.rank(q4).head(config.RANK_TOP_DEFAULT)
    first = top.iloc[0]
    fake = FakeFolium(map_at=(first["lat"], first["lon"]))
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = open_page()
    assert at.session_state[panel.RNK_SITE] == (first["lon"], first["lat"])
    reached = [d.value for d in at.dataframe if "直线距离（公里）" in d.value.columns]
    assert len(reached) == 1
    assert reached[0]["村名"].iloc[0] == first["name"] and reached[0]["直线距离（公里）"].iloc[0] == 0.0
    # by hand: every top village within 5 km of the first, straight line
    from fupin_geo.geo import distances
    near = [c for c, lon, lat in zip(top["code"], top["lon"], top["lat"])
            if distances.distance_km(first["lon"], first["lat"], lon, lat) <= config.SITE_RADIUS_KM]
    assert len(reached[0]) == len(near)
    script = groups_script(fake.calls[-1])
    assert {f["properties"]["code"] for f in mapscript.features(script, "fupin-reached")} == set(near)
    text = "\n".join(m.value for m in at.markdown)
    assert f"**{len(near)}** 个短板村" in text


def test_downloads_are_offered(app_env):
    at = open_page()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 Excel（.xlsx）", "下载 CSV"]
