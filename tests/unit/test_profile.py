"""profile: a village's card as plain values."""
from __future__ import annotations

from fupin_geo import config, geodata, profile


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
