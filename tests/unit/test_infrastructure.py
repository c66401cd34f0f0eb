"""基础设施 indicators on hand-made villages: every figure below is worked out by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from fupin_geo import config
from fupin_geo.analysis import indicators, infrastructure
from fupin_geo.analysis.filters import VillageFilter


def infra_row(code: str, **values) -> dict:
    row = dict(village_code=code, yishiyiyi_projects=0, land_consolidation_projects=0, road_hardened=False,
               ecommerce_point=False, cold_storage=False, insured_poor_households=0)
    return row | values


def code(i: int) -> str:
    return f"4408821012{i:02d}"


def summary(dataset, key):
    return {s.indicator.key: s for s in infrastructure.city_summaries(dataset)}[key]


# --- 干净整洁村: ≥60 % of villages -------------------------------------------------------------
@pytest.mark.parametrize("clean, met", [(3, True), (2, False), (5, True)])
def test_clean_village_share_meets_at_exactly_sixty_percent(make_dataset, clean, met):
    dataset = make_dataset([dict(clean_village=i < clean) for i in range(5)])
    result = summary(dataset, "clean_village")
    assert result.value == pytest.approx(clean / 5)
    assert result.met is met
    assert result.below == 5 - clean
    assert result.gap == pytest.approx(0.0 if met else 60 - clean * 20)


def test_clean_villages_of_the_218_are_a_reference_beside_the_plans_citywide_kpi(make_dataset):
    # three of five poverty villages clean (60 %), the city at 40 %: two figures, two populations
    dataset = make_dataset([dict(clean_village=i < 3) for i in range(5)],
                           city_stats=[dict(indicator="clean_village_rate_city", value=0.4)])
    kpi = {k.target.key: k for k in indicators.compute_kpis(dataset, [])}["clean_village_city"]
    assert kpi.value == pytest.approx(0.4) and bool(kpi.met) is False
    assert summary(dataset, "clean_village").value == pytest.approx(0.6)
    indicator = config.INFRA_BY_KEY["clean_village"]
    assert indicator.reference and indicator.same_as is None and "规划参考" in indicator.basis


def test_reference_targets_are_the_ones_marked_so():
    marked = {i.key for i in config.INFRA_INDICATORS if "规划参考" in i.basis}
    assert {i.key for i in config.INFRA_INDICATORS if i.reference} == marked
    assert marked == {"clean_village", "farmland", "yishiyiyi", "road", "ecommerce", "cold_storage", "insurance"}


# --- 无害化卫生户厕: 100 % per poverty village, ≥98.5 % citywide ------------------------------
def test_toilets_weighted_by_households(make_dataset):
    # 100 households at 100 %, 300 at 90 %: (100 + 270) / 400 = 92.5 %
    dataset = make_dataset([dict(households=100, toilet_rate=1.0), dict(households=300, toilet_rate=0.9)])
    result = summary(dataset, "toilet")
    assert result.value == pytest.approx(0.925)
    assert result.below == 1 and result.met is False
    assert result.gap == pytest.approx(7.5)


def test_a_village_at_exactly_one_hundred_percent_is_not_a_gap(make_dataset):
    dataset = make_dataset([dict(toilet_rate=1.0), dict(toilet_rate=0.999)])
    values = infrastructure.village_values(dataset)
    assert values["toilet_below"].tolist() == [False, True]


def test_villages_without_households_have_no_toilet_rate(make_dataset):
    dataset = make_dataset([dict(households=0, toilet_rate=0.5), dict(households=0, toilet_rate=0.7)])
    result = summary(dataset, "toilet")
    assert result.value is None and result.met is None and result.gap is None


@pytest.mark.parametrize("rate, met", [(0.985, True), (0.9849, False), (0.99, True)])
def test_city_toilet_target_is_met_at_exactly_98_5_percent(make_dataset, rate, met):
    dataset = make_dataset([{}], city_stats=[dict(indicator="toilet_rate_city", value=rate)])
    kpi = {k.target.key: k for k in indicators.compute_kpis(dataset, [])}["toilet_city"]
    assert bool(kpi.met) is met


def test_household_weighted_rate_of_exactly_98_5_percent_is_met(make_dataset):
    # 197 of 200 households: exactly 98.5 %, reached through a division
    dataset = make_dataset([dict(households=100, toilet_rate=1.0), dict(households=100, toilet_rate=0.97)])
    values = infrastructure.village_values(dataset)
    assert infrastructure.summarise(values, "toilet").value == pytest.approx(0.985)
    city_like = config.InfraIndicator("t", "t", 0.985, "test", kind="rate")
    assert infrastructure.summarise(values, "toilet").value >= city_like.target - infrastructure.TOLERANCE


# --- insurance: per poor household; 0 poor households means no rate ------------------------------
def test_insurance_coverage_and_zero_poor_households(make_dataset):
    dataset = make_dataset(
        [dict(poor_households=10), dict(poor_households=30), dict(poor_households=0)],
        village_infrastructure=[infra_row(code(0), insured_poor_households=10),
                                infra_row(code(1), insured_poor_households=15),
                                infra_row(code(2), insured_poor_households=0)])
    values = infrastructure.village_values(dataset)
    assert values["insurance"].tolist()[:2] == [1.0, 0.5]
    assert pd.isna(values["insurance"].iloc[2]) and not values["insurance_below"].iloc[2]
    result = summary(dataset, "insurance")
    assert result.value == pytest.approx(25 / 40)
    assert result.villages == 2 and result.below == 1


# --- flags from the infrastructure rows ------------------------------------------------------------
def test_flags_count_only_villages_with_data(make_dataset):
    dataset = make_dataset(
        [{}, {}, {}],
        village_infrastructure=[infra_row(code(0), road_hardened=True, yishiyiyi_projects=2),
                                infra_row(code(1), ecommerce_point=True)])
    road = summary(dataset, "road")
    assert road.villages == 2 and road.value == pytest.approx(0.5) and road.below == 1
    assert summary(dataset, "yishiyiyi").value == pytest.approx(0.5)
    values = infrastructure.village_values(dataset)
    assert values["road_below"].tolist() == [False, True, False]  # the third has no data


def test_farmland_counts_irrigation_or_land_consolidation(make_dataset):
    dataset = make_dataset(
        [dict(irrigation_project=True), {}, {}],
        village_infrastructure=[infra_row(code(1), land_consolidation_projects=1)])
    assert infrastructure.village_values(dataset)["farmland"].tolist() == [1.0, 1.0, 0.0]
    assert summary(dataset, "farmland").value == pytest.approx(2 / 3)


def test_model_village_target_is_every_village(make_dataset):
    dataset = make_dataset([dict(model_village=True), dict(model_village=True)])
    assert summary(dataset, "model_village").met is True
    dataset = make_dataset([dict(model_village=True), dict(model_village=False)])
    assert summary(dataset, "model_village").met is False


# --- per county and the list of villages below target ---------------------------------------------
def test_county_gaps_cover_all_nine_counties(make_dataset):
    dataset = make_dataset([dict(clean_village=True), dict(clean_village=False),
                            dict(county_code="440825", town_code="440825100", clean_village=True)])
    gaps = infrastructure.county_gaps(dataset, "clean_village").set_index("county_code")
    assert len(gaps) == 9
    assert gaps.loc["440882", "value"] == pytest.approx(0.5)
    assert gaps.loc["440882", "gap"] == pytest.approx(10.0)
    assert gaps.loc["440825", "met"] == True  # noqa: E712
    assert gaps.loc["440802", "villages"] == 0 and pd.isna(gaps.loc["440802", "value"])


def test_below_target_table_for_one_indicator(make_dataset):
    dataset = make_dataset([dict(toilet_rate=0.8, name="甲村"), dict(toilet_rate=1.0, name="乙村"),
                            dict(toilet_rate=0.95, name="丙村")])
    table = infrastructure.below_target_table(dataset, "toilet")
    assert table["村名"].tolist() == ["甲村", "丙村"]  # the largest gap first
    assert table["差距（百分点）"].tolist() == [20.0, 5.0]
    assert table["无害化卫生户厕现状"].tolist() == ["80.0%", "95.0%"]
    assert table["村代码"].tolist() == [code(0), code(2)]


def test_below_target_table_of_all_indicators_names_each_gap(make_dataset):
    dataset = make_dataset(
        [dict(toilet_rate=1.0, clean_village=True, model_village=True, irrigation_project=True)],
        village_infrastructure=[infra_row(code(0), yishiyiyi_projects=1, road_hardened=True, ecommerce_point=True,
                                          cold_storage=False, insured_poor_households=10)])
    table = infrastructure.below_target_table(dataset)
    assert table["短板"].tolist() == ["冷库或冷链设施"] and table["短板数"].tolist() == [1]


def test_below_target_table_filters_by_county(make_dataset):
    dataset = make_dataset([dict(toilet_rate=0.5), dict(county_code="440825", town_code="440825100", toilet_rate=0.5)])
    table = infrastructure.below_target_table(dataset, "toilet", VillageFilter(counties=("440825",)))
    assert table["县（市、区）"].tolist() == ["徐闻县"]
