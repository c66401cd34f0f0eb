"""profile: a village's card as plain values."""
from __future__ import annotations

import math

import pytest

from fupin_geo import config
from fupin_geo.analysis import profile
from fupin_geo.data import geodata


def a_real_town(county_code: str) -> tuple[str, str]:
    towns = geodata.towns(config.ZHANJIANG)
    row = towns[towns["county_code"] == county_code].iloc[0]
    return row["code"], row["name"]


def test_card_of_a_hand_made_village(make_dataset):
    town_code, town = a_real_town("440825")
    code = "440825101201"
    dataset = make_dataset(
        [dict(code=code, name="五里村", county_code="440825", town_code=town_code, households=420,
              poor_households=37, poor_people=101, poor_households_in_coop=30),
         dict(code="440825101202", name="邻村", county_code="440825", town_code=town_code)],
        quarter="2019Q2",
        products=[dict(village_code=code, product="菠萝", category="种植"),
                  dict(village_code=code, product="良姜", category="种植"),
                  dict(village_code="440825101202", product="对虾", category="水产")],
        cooperatives=[dict(id="C1", name="五里菠萝合作社", village_code=code, lon=110.2, lat=20.4,
                           members=50, poor_members=30, is_poverty_coop=True)],
    )
    card = profile.village_profile(dataset, code)
    assert card.name == "五里村" and card.code == code
    assert card.county == "徐闻县" and card.town == town
    assert set(card.products) == {"菠萝（种植）", "良姜（种植）"}  # not the neighbour's 对虾
    assert card.cooperatives == ["五里菠萝合作社"]
    assert (card.households, card.poor_households, card.poor_people, card.poor_households_in_coop) == (
        420, 37, 101, 30)
    assert card.position_quality == "近似" and card.source == config.DEMO_SOURCE
    assert card.quarter == "2019Q2"


def test_village_without_products_or_cooperatives(make_dataset):
    dataset = make_dataset([{}])
    card = profile.village_profile(dataset, "440882101200")
    assert card.products == [] and card.cooperatives == []


def test_unknown_village_has_no_card(dataset):
    assert profile.village_profile(dataset, "000000000000") is None
    assert profile.village_profile(dataset, "") is None


def test_town_name_falls_back_to_the_code():
    code, name = a_real_town("440882")
    assert profile.town_name(code) == name
    assert profile.town_name("999999999") == "999999999"


def test_every_demo_village_has_a_card_with_a_real_town(dataset):
    towns = set(geodata.towns(config.ZHANJIANG)["name"])
    counties = set(geodata.counties(config.ZHANJIANG)["name"])
    for code in dataset.villages["code"].iloc[::20]:
        card = profile.village_profile(dataset, code)
        assert card.town in towns and card.county in counties


# --- who is linked, which parks, the indicators, the quarters ---------------------------------------
LINKED = "440825101201"


@pytest.fixture
def linked_dataset(make_dataset):
    town_code, _ = a_real_town("440825")
    other = "440825101202"
    return make_dataset(
        [dict(code=LINKED, name="五里村", county_code="440825", town_code=town_code, poor_households=40,
              poor_households_in_coop=30, labour_households=20, labour_households_in_project=5,
              poor_labourers=8, trained_labourers=8, toilet_rate=0.934, clean_village=True,
              model_village=False, irrigation_project=True),
         dict(code=other, name="邻村", county_code="440825", town_code=town_code, poor_households=0,
              poor_households_in_coop=0, labour_households=0, labour_households_in_project=0,
              poor_labourers=0, trained_labourers=0)],
        enterprises=[dict(id="E1", name="徐闻菠萝公司", level="省", industry="菠萝", county_code="440825",
                          lon=110.1, lat=20.3, is_processing=False)],
        parks=[dict(id="P1", name="徐闻菠萝产业园", level="省", product="菠萝", county_code="440825", lon=110.1,
                    lat=20.3, year=2018, lead_enterprises="徐闻菠萝公司"),
               dict(id="P2", name="徐闻良姜产业园", level="市", product="良姜", county_code="440825", lon=110.2,
                    lat=20.4, year=2019, lead_enterprises="")],
        park_villages=[dict(park_id="P1", village_code=LINKED, agreement_signed=True),
                       dict(park_id="P2", village_code=LINKED, agreement_signed=False),
                       dict(park_id="P1", village_code=other, agreement_signed=True)],
        cooperatives=[dict(id="C1", name="五里菠萝合作社", village_code=LINKED, lon=110.2, lat=20.4,
                           members=50, poor_members=30, is_poverty_coop=True)],
        linkages=[dict(source_type="企业", source_id="E1", village_code=LINKED, link_type="订单",
                       households=30, poor_households=12),
                  dict(source_type="产业园", source_id="P1", village_code=LINKED, link_type="务工",
                       households=10, poor_households=4),
                  dict(source_type="合作社", source_id="C1", village_code=LINKED, link_type="入股",
                       households=50, poor_households=30),
                  dict(source_type="企业", source_id="E9", village_code=LINKED, link_type="购销",
                       households=3, poor_households=1),
                  dict(source_type="企业", source_id="E1", village_code=other, link_type="务工",
                       households=7, poor_households=2)],
    )


def test_links_name_each_subject_and_only_this_village(linked_dataset):
    links = profile.village_profile(linked_dataset, LINKED).links
    assert list(links.columns) == ["带动主体", "类型", "联结方式", "带动农户", "其中贫困户"]
    assert links.values.tolist() == [
        ["徐闻菠萝公司", "企业", "订单", 30, 12],
        ["徐闻菠萝产业园", "产业园", "务工", 10, 4],
        ["五里菠萝合作社", "合作社", "入股", 50, 30],
        ["E9", "企业", "购销", 3, 1],  # a subject not in the data keeps its id
    ]
    assert profile.village_profile(linked_dataset, "440825101202").links["带动农户"].tolist() == [7]


def test_village_without_links_has_an_empty_table(make_dataset):
    card = profile.village_profile(make_dataset([{}]), "440882101200")
    assert card.links.empty and card.parks == []


def test_parks_covering_the_village_with_the_agreement_state(linked_dataset):
    assert profile.village_profile(linked_dataset, LINKED).parks == [
        "徐闻菠萝产业园（已签带动协议）", "徐闻良姜产业园（未签带动协议）"]
    assert profile.village_profile(linked_dataset, "440825101202").parks == ["徐闻菠萝产业园（已签带动协议）"]


def test_indicators_of_the_village(linked_dataset):
    assert profile.village_profile(linked_dataset, LINKED).indicators == {
        "贫困户入社": "75.0%", "参与长效产业项目": "25.0%", "贫困劳动力培训": "100.0%", "无害化卫生户厕": "93.4%",
        "干净整洁村": "是", "新农村示范村": "否", "农田水利项目": "是"}


def test_indicators_without_a_denominator_say_so(linked_dataset):
    indicators = profile.village_profile(linked_dataset, "440825101202").indicators
    assert indicators["贫困户入社"] == indicators["参与长效产业项目"] == indicators["贫困劳动力培训"] == "—"
    assert indicators["干净整洁村"] == "否" and indicators["无害化卫生户厕"] == "90.0%"


def test_village_history_over_the_demo_quarters(demo_datasets):
    code = "440881108209"  # 三墩村, always in the demo
    history = profile.village_history(list(reversed(demo_datasets)), code)
    assert list(history.index) == [d.quarter for d in demo_datasets] == list(config.PLAN_QUARTERS)
    assert list(history.columns) == [*profile.HISTORY_MEASURES, "一村一品数"]
    for dataset in demo_datasets:
        village = dataset.villages.set_index("code").loc[code]
        row = history.loc[dataset.quarter]
        assert row["贫困户入社率"] == pytest.approx(village["poor_households_in_coop"] / village["poor_households"])
        assert row["参与长效产业项目"] == pytest.approx(
            village["labour_households_in_project"] / village["labour_households"])
        assert row["贫困劳动力培训"] == pytest.approx(village["trained_labourers"] / village["poor_labourers"])
        assert row["无害化卫生户厕"] == pytest.approx(village["toilet_rate"])
        assert row["一村一品数"] == int((dataset.products["village_code"] == code).sum())
    shares = history.drop(columns=["一村一品数"])
    assert ((shares >= 0) & (shares <= 1)).all().all()


def test_village_history_skips_quarters_without_the_village_and_empty_denominators(make_dataset):
    q1 = make_dataset([dict(poor_households=10, poor_households_in_coop=5)], quarter="2019Q1")
    q2 = make_dataset([dict(code="440882101299")], quarter="2019Q2")  # the village is not in Q2
    q3 = make_dataset([dict(poor_households=0, poor_households_in_coop=0)], quarter="2019Q3",
                      products=[dict(village_code="440882101200", product="对虾", category="水产")])
    history = profile.village_history([q3, q1, q2], "440882101200")
    assert list(history.index) == ["2019Q1", "2019Q3"]
    assert history.loc["2019Q1", "贫困户入社率"] == 0.5
    assert math.isnan(history.loc["2019Q3", "贫困户入社率"])
    assert history["一村一品数"].tolist() == [0, 1]
    assert profile.village_history([q1, q2], "000000000000").empty
