"""Gap layers, the county choropleth of a gap and the change layer: what the browser receives."""
from __future__ import annotations

import copy
import json
import re
from dataclasses import replace

import folium
import pytest

from fupin_geo import config
from fupin_geo.analysis import infrastructure, trends
from fupin_geo.maps.industry_view import ViewState, from_query
from fupin_geo.data import geodata
from fupin_geo.maps import industry_map, infrastructure_map
from fupin_geo.maps.elements import Legend
from tests import mapscript

PAYLOAD = "<img src=x onerror=alert(1)>"


def legends(page: str) -> list[str]:
    return [json.loads(t) for t in re.findall(r'setAttribute\("data-legend", ("[^"]*")\)', page)]


def test_base_map_is_the_same_for_every_quarter_and_indicator(demo_datasets):
    # st_folium keys the iframe on the base script: it must not change with what is shown
    first = infrastructure_map.base_map().get_root().render()
    again = infrastructure_map.base_map().get_root().render()
    strip = lambda page: re.sub(r"_[0-9a-f]{32}", "", page)  # noqa: E731 (folium's random ids)
    assert strip(first) == strip(again)
    assert "fupin-gap" not in first and "data-legend" not in first


@pytest.mark.parametrize("key", [i.key for i in config.INFRA_INDICATORS])
def test_gap_layer_draws_exactly_the_villages_below_target(dataset, key):
    (group,) = infrastructure_map.gap_layers(dataset, [key])
    page = mapscript.render(group)
    features = mapscript.features(page, f"fupin-gap-{key}")
    values = infrastructure.village_values(dataset)
    expected = set(values.loc[values[f"{key}_below"], "code"])
    assert {f["properties"]["code"] for f in features} == expected
    assert len(features) == len(expected) > 0
    label = config.INFRA_BY_KEY[key].label
    assert legends(page) == [f"短板：{label}"]
    (legend,) = [c for c in group._children.values() if isinstance(c, Legend)]
    assert legend.entries == [(f"未达标 {len(expected)} 村", config.INFRA_BY_KEY[key].color)]


def test_several_gap_layers_are_rings_of_decreasing_size(dataset):
    groups = infrastructure_map.gap_layers(dataset, ["toilet", "ecommerce", "road"])
    assert [g.layer_name for g in groups] == ["短板：无害化卫生户厕", "短板：电商服务站点", "短板：通村硬化道路"]
    page = mapscript.render(*groups)
    radii = [float(r) for r in re.findall(r"L\.circleMarker\(latlng, Object\.assign\(\{radius: ([\d.]+)\}", page)]
    assert radii == sorted(radii, reverse=True) and len(set(radii)) == 3


def test_gap_tooltip_shows_the_villages_value(make_dataset):
    dataset = make_dataset([dict(toilet_rate=0.874, name=PAYLOAD)])
    page = mapscript.render(*infrastructure_map.gap_layers(dataset, ["toilet"]))
    lines = mapscript.tip_lines(page, "fupin-gap-toilet")
    assert lines == {"440882101200": [f"{PAYLOAD} · 雷州市", "无害化卫生户厕：87.4%（目标 100%）"]}
    assert "<img" not in page


def test_county_choropleth_colours_the_gap(make_dataset):
    # 雷州: 1 of 2 villages clean (50 %, 10 points short); 徐闻: all clean; the rest: no villages
    dataset = make_dataset([dict(clean_village=True), dict(clean_village=False),
                            dict(county_code="440825", town_code="440825100", clean_village=True)])
    group = infrastructure_map.county_gap_layer(dataset, "clean_village")
    page = mapscript.render(group)
    features = {f["properties"]["code"]: f["properties"] for f in mapscript.features(page, "fupin-infra-county")}
    assert len(features) == 9
    assert features["440882"]["color"] == "#fb6a4a"  # 5–15 points
    assert features["440825"]["color"] == infrastructure_map.MET_COLOR
    assert features["440802"]["color"] == infrastructure_map.NO_DATA_COLOR
    assert "未达标村 1 / 2" in features["440882"]["tip"]
    assert legends(page) == ["县区差距：干净整洁村"]


@pytest.mark.parametrize("gap, color", [(None, "#f0f0f0"), (0.0, "#a1d99b"), (5.0, "#fcbba1"),
                                        (5.01, "#fb6a4a"), (30.0, "#de2d26"), (30.5, "#a50f15")])
def test_gap_classes(gap, color):
    assert infrastructure_map.gap_color(gap) == color


def test_change_layer_marks_each_village(demo_datasets):
    before, after = demo_datasets[2], demo_datasets[3]
    group = infrastructure_map.change_layer(before, after, "ecommerce")
    page = mapscript.render(group)
    features = mapscript.features(page, "fupin-change")
    assert len(features) == len(after.villages)
    kinds = trends.village_change_kind(before, after, "ecommerce")
    colours = {f["properties"]["code"]: f["properties"]["color"] for f in features}
    assert {c: infrastructure_map.CHANGE_COLORS[k] for c, k in kinds.items()} == colours
    assert "退步" in set(kinds) and "新达标" in set(kinds)  # the demo has both


def test_industry_map_offers_the_gap_layer(dataset):
    (group,) = industry_map.layers(dataset, ViewState(layers=("gaps",), gap="cold_storage"))
    assert isinstance(group, folium.FeatureGroup) and group.layer_name == "基础设施短板"
    page = mapscript.render(group)
    assert legends(page) == ["短板：冷库或冷链设施"]
    assert mapscript.features(page, "fupin-gap-cold_storage")


def test_gap_indicator_round_trips_through_the_url():
    state = ViewState(layers=("villages", "gaps"), gap="insurance")
    query = state.to_query()
    assert query["gap"] == "insurance"
    assert from_query(query).gap == "insurance"
    bad = from_query({"gap": "![x](http://a.b/x.png)"})
    assert bad.gap == ViewState().gap and bad.problems == ("gap=![x](http://a.b/x.png)",)


def test_hostile_county_name_is_escaped(dataset, monkeypatch):
    counties = geodata.counties(config.ZHANJIANG).copy()
    counties["name"] = PAYLOAD
    monkeypatch.setattr(geodata, "counties", lambda city=config.ZHANJIANG: counties)
    features = mapscript.features(mapscript.render(infrastructure_map.county_gap_layer(dataset, "toilet")),
                                  "fupin-infra-county")
    assert features and all(f["properties"]["tip"].startswith("&lt;img src=x") for f in features)


def test_villages_without_infrastructure_rows_are_not_gaps(dataset):
    empty = replace(copy.copy(dataset), village_infrastructure=dataset.village_infrastructure.iloc[0:0])
    (group,) = infrastructure_map.gap_layers(empty, ["road"])
    assert mapscript.features(mapscript.render(group), "fupin-gap-road") == []
