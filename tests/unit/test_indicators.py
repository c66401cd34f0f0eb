"""indicators: each KPI on a data set small enough to work out by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from fupin_geo import config
from fupin_geo.analysis import indicators
from fupin_geo.data import geodata

QUARTERS = list(config.PLAN_QUARTERS)


def kpis(dataset, reported=QUARTERS) -> dict[str, indicators.Kpi]:
    return {k.target.key: k for k in indicators.compute_kpis(dataset, list(reported))}


def met(kpi) -> bool | None:
    """Kpi.met as a plain bool (it may be numpy's), keeping None apart."""
    return None if kpi.met is None else bool(kpi.met)


def product(code, name="菠萝", category="种植"):
    return dict(village_code=code, product=name, category=category)


def coop(code, number, poverty=True):
    return dict(id=f"C{number}", name=f"合作社{number}", village_code=code, lon=110.1, lat=20.9,
                members=10, poor_members=5, is_poverty_coop=poverty)


def link(source_id, code, poor, households=None, link_type="订单", source_type="企业"):
    return dict(source_type=source_type, source_id=source_id, village_code=code, link_type=link_type,
                households=poor if households is None else households, poor_households=poor)


def enterprise(eid):
    return dict(id=eid, name=f"企业{eid}", level="市", industry="菠萝", county_code="440825",
                lon=110.2, lat=20.4, is_processing=False)


def codes(n):
    return [f"4408821012{i:02d}" for i in range(n)]


# --- one KPI at a time -------------------------------------------------------------------------
def test_every_target_of_the_plan_has_one_kpi_in_order(make_dataset):
    result = indicators.compute_kpis(make_dataset([{}]), QUARTERS)
    assert [k.target.key for k in result] == [t.key for t in config.TARGETS]
    assert len(result) == 10


def test_industry_counts_villages_with_at_least_one_product(make_dataset):
    c = codes(4)
    # village 0 has two products, village 1 one, villages 2 and 3 none: 2 of 4
    dataset = make_dataset([{}] * 4, products=[product(c[0]), product(c[0], "良姜"), product(c[1])])
    kpi = kpis(dataset)["industry"]
    assert (kpi.numerator, kpi.denominator, kpi.value) == (2, 4, 0.5)
    assert met(kpi) is False and kpi.formatted() == "50.0%"


def test_coop_village_counts_only_poverty_cooperatives(make_dataset):
    c = codes(4)
    dataset = make_dataset([{}] * 4, cooperatives=[coop(c[0], 1), coop(c[0], 2), coop(c[1], 3, poverty=False)])
    kpi = kpis(dataset)["coop_village"]
    assert (kpi.numerator, kpi.denominator) == (1, 4)


def test_household_shares_are_sums_not_means_of_village_shares(make_dataset):
    dataset = make_dataset([
        dict(poor_households=10, poor_households_in_coop=10, labour_households=10,
             labour_households_in_project=0, poor_labourers=4, trained_labourers=4),
        dict(poor_households=90, poor_households_in_coop=0, labour_households=30,
             labour_households_in_project=30, poor_labourers=96, trained_labourers=0),
    ])
    result = kpis(dataset)
    assert result["coop_household"].value == pytest.approx(10 / 100)  # a mean would say 50 %
    assert result["labour_project"].value == pytest.approx(30 / 40)
    assert result["training"].value == pytest.approx(4 / 100)


def test_toilet_rate_of_the_villages_is_weighted_by_households(make_dataset):
    dataset = make_dataset([dict(households=100, toilet_rate=1.0), dict(households=300, toilet_rate=0.5)])
    kpi = kpis(dataset)["toilet_villages"]
    assert kpi.value == pytest.approx((100 * 1.0 + 300 * 0.5) / 400)  # 62.5 %, not the mean 75 %
    assert kpi.formatted() == "62.5%"


def city_clean(value: float) -> list[dict]:
    return [dict(indicator="clean_village_rate_city", value=value)]


@pytest.mark.parametrize("share, reached", [(0.6, True), (0.5999, False), (0.75, True)])
def test_clean_villages_are_the_citys_share_against_sixty_percent(make_dataset, share, reached):
    # the plan's "60%以上农村" counts every rural village: the 全市指标 row, whatever the 218 do
    every_poverty_village_clean = make_dataset([{"clean_village": True}] * 3, city_stats=city_clean(share))
    kpi = kpis(every_poverty_village_clean)["clean_village_city"]
    assert kpi.value == pytest.approx(share) and met(kpi) is reached  # exactly the target counts
    assert kpi.goal_text() == "目标 ≥60%" and kpi.target.scope == config.CITY_SCOPE


def test_clean_villages_without_the_city_row_have_no_data(make_dataset):
    # no city-wide figure: nothing is made up from the poverty villages' own share
    kpi = kpis(make_dataset([{"clean_village": True}] * 3))["clean_village_city"]
    assert kpi.value is None and kpi.met is None and kpi.formatted() == "无数据"


def test_each_kpi_says_whom_it_counts():
    scopes = {t.key: t.scope for t in config.TARGETS}
    assert {k for k, s in scopes.items() if s == config.CITY_SCOPE} == {"toilet_city", "clean_village_city"}
    assert {k for k, s in scopes.items() if "省定贫困村" in s} == {
        "industry", "coop_village", "coop_household", "park_agreement", "labour_project", "toilet_villages",
        "training"}
    assert config.CITY_SCOPE.startswith("全市农村") and config.POVERTY_VILLAGES_SCOPE == "218 个省定贫困村"
    # a city-wide target is read from a 全市指标 row the ledger can hold
    assert {t.city_stat for t in config.TARGETS if t.scope == config.CITY_SCOPE} <= set(config.CITY_INDICATORS)


def test_park_agreement_needs_every_agreement_of_a_village_in_scope(make_dataset):
    c = codes(4)
    dataset = make_dataset([{}] * 4, park_villages=[
        dict(park_id="P1", village_code=c[0], agreement_signed=True),
        dict(park_id="P1", village_code=c[1], agreement_signed=True),
        dict(park_id="P2", village_code=c[1], agreement_signed=False),  # c1: one park unsigned
        dict(park_id="P2", village_code=c[2], agreement_signed=False),
    ])  # c3 is in no park's scope and does not count
    kpi = kpis(dataset)["park_agreement"]
    assert (kpi.numerator, kpi.denominator) == (1, 3)


def test_city_toilet_rate_comes_from_city_stats(make_dataset):
    with_stat = make_dataset([{}], city_stats=[dict(indicator="toilet_rate_city", value=0.985)])
    kpi = kpis(with_stat)["toilet_city"]
    assert kpi.value == pytest.approx(0.985) and met(kpi) is True  # 98.5 % meets "≥98.5 %"
    assert kpi.goal_text() == "目标 ≥98.5%"
    below = make_dataset([{}], city_stats=[dict(indicator="toilet_rate_city", value=0.9849)])
    assert met(kpis(below)["toilet_city"]) is False
    missing = kpis(make_dataset([{}]))["toilet_city"]
    assert missing.value is None and missing.met is None and missing.formatted() == "无数据"


def test_reports_count_plan_quarters_only(make_dataset):
    kpi = kpis(make_dataset([{}]), reported=["2019Q1", "2019Q2", "2020Q1"])["reports"]
    assert kpi.value == 2 and met(kpi) is False
    assert kpi.formatted() == "2 次" and kpi.goal_text() == "目标 4 次"
    assert met(kpis(make_dataset([{}]))["reports"]) is True


def test_a_full_target_reads_100_percent(make_dataset):
    kpi = kpis(make_dataset([{}], products=[product(codes(1)[0])]))["industry"]
    assert kpi.value == 1.0 and met(kpi) is True
    assert kpi.formatted() == "100.0%" and kpi.goal_text() == "目标 100%"


def test_no_villages_means_no_data_not_zero(make_dataset):
    result = kpis(make_dataset([]))
    for key in ("industry", "coop_village", "coop_household", "toilet_villages", "clean_village_city"):
        assert result[key].value is None and result[key].formatted() == "无数据"


# --- 扶贫龙头企业 (plan item 3) ---------------------------------------------------------------
def test_leading_enterprise_rule_more_than_10_villages_or_100_poor_households(make_dataset):
    c = codes(12)
    links = (
        [link("E11V", code, 1) for code in c[:11]]  # 11 villages: leading
        + [link("E10V", code, 1) for code in c[:10]]  # exactly 10: not enough
        + [link("E101", c[0], 101)]  # 101 poor households: leading
        + [link("E100", c[0], 60), link("E100", c[1], 40)]  # exactly 100: not enough
        # 11 links but to 10 distinct villages (two link types in one village): not leading
        + [link("EDUP", code, 1) for code in c[:10]] + [link("EDUP", c[0], 1, link_type="务工")]
        # a cooperative with the same id reaching many villages does not make E000 leading
        + [link("E000", code, 20, source_type="合作社") for code in c]
    )
    ids = ["E11V", "E10V", "E101", "E100", "EDUP", "E000", "ENONE"]
    dataset = make_dataset([{}] * 12, enterprises=[enterprise(e) for e in ids], linkages=links)
    table = indicators.leading_enterprises(dataset).set_index("id")
    assert table["is_leading"].to_dict() == {
        "E11V": True, "E10V": False, "E101": True, "E100": False, "EDUP": False, "E000": False,
        "ENONE": False,
    }
    assert table.loc["EDUP", "villages"] == 10
    assert table.loc["E100", "poor_households"] == 100
    assert table.loc["ENONE", "villages"] == 0 and table.loc["ENONE", "assessed_households"] == 0


def test_a_poor_household_counts_as_two_in_the_linkage_assessment(make_dataset):
    c = codes(2)
    dataset = make_dataset([{}] * 2, enterprises=[enterprise("E1")],
                           linkages=[link("E1", c[0], poor=20, households=50),
                                     link("E1", c[1], poor=5, households=5)])
    row = indicators.leading_enterprises(dataset).set_index("id").loc["E1"]
    assert row["households"] == 55 and row["poor_households"] == 25
    # 30 ordinary households + 25 poor households × 2
    assert row["assessed_households"] == 30 + 2 * 25


def test_demo_enterprises_follow_the_rule(dataset):
    table = indicators.leading_enterprises(dataset)
    expected = (table["villages"] > 10) | (table["poor_households"] > 100)
    assert (table["is_leading"] == expected).all()
    assert 0 < table["is_leading"].sum() < len(table)


# --- the county table --------------------------------------------------------------------------
def test_county_table_sums_equal_the_village_totals(dataset):
    table = indicators.county_table(dataset)
    villages = dataset.villages
    assert len(table) == 9
    assert set(table["县（市、区）"]) == set(geodata.counties(config.ZHANJIANG)["name"])
    assert table["贫困村"].sum() == len(villages) == 218
    assert table["贫困户"].sum() == villages["poor_households"].sum()
    assert table["有产业的村"].sum() == villages["code"].isin(dataset.products["village_code"]).sum()
    poverty_coops = dataset.cooperatives[dataset.cooperatives["is_poverty_coop"]]
    assert table["有扶贫合作社的村"].sum() == villages["code"].isin(poverty_coops["village_code"]).sum()
    assert table["贫困村"].is_monotonic_decreasing
    assert table["县（市、区）"].iloc[0] == "雷州市"


def test_county_table_counts_only_poverty_cooperatives_like_the_kpi(make_dataset):
    three = codes(3)
    dataset = make_dataset([{}, {}, {}], cooperatives=[coop(three[0], 1), coop(three[1], 2, poverty=False),
                                                       coop(three[1], 3, poverty=False)])
    table = indicators.county_table(dataset).set_index("县（市、区）")
    assert table.loc["雷州市", "有扶贫合作社的村"] == 1  # not 2: 合作社2/3 are no 产业扶贫合作社
    kpi = next(k for k in indicators.compute_kpis(dataset, QUARTERS) if k.target.key == "coop_village")
    assert kpi.numerator == 1
    assert "产业扶贫合作社" in indicators.COUNTY_TABLE_HELP["有扶贫合作社的村"]


def test_county_table_shares_by_hand(make_dataset):
    dataset = make_dataset(
        [dict(county_code="440825", households=100, toilet_rate=1.0, clean_village=True, poor_households=7),
         dict(county_code="440825", households=300, toilet_rate=0.5, clean_village=False, poor_households=3),
         dict(county_code="440823", households=50, toilet_rate=0.8, clean_village=True)],
        products=[product(codes(3)[1])],
    )
    table = indicators.county_table(dataset).set_index("县（市、区）")
    xuwen = table.loc["徐闻县"]
    assert (xuwen["贫困村"], xuwen["贫困户"], xuwen["有产业的村"]) == (2, 10, 1)
    assert xuwen["干净整洁村占比"] == 0.5
    assert xuwen["卫生户厕普及率"] == pytest.approx(0.625)
    assert table.loc["遂溪县", "卫生户厕普及率"] == pytest.approx(0.8)
    # a county without poverty villages shows zeros and no share (not 0 %)
    chikan = table.loc["赤坎区"]
    assert chikan["贫困村"] == 0 and chikan["贫困户"] == 0
    assert chikan.isna()["干净整洁村占比"] and chikan.isna()["卫生户厕普及率"]


# --- every target per county (总览's county × target table) ------------------------------------
def test_county_targets_by_hand(make_dataset):
    c = codes(3)
    dataset = make_dataset(
        [dict(county_code="440825", poor_households=10, poor_households_in_coop=10),
         dict(county_code="440825", poor_households=30, poor_households_in_coop=10),
         dict(county_code="440823", poor_households=5, poor_households_in_coop=5)],
        products=[product(c[0]), product(c[1]), product(c[2])],
    )
    targets = indicators.county_targets(dataset, QUARTERS)
    values = targets.values().set_index("县（市、区）")
    met = targets.met().set_index("县（市、区）")
    assert list(values.index[-1:]) == [indicators.CITY_ROW] and len(values) == 10
    assert values.loc["徐闻县", "贫困户入社率"] == pytest.approx(20 / 40)  # a sum, not a mean of 100 % and 33 %
    assert met.loc["徐闻县", "贫困户入社率"] is False and met.loc["遂溪县", "贫困户入社率"] is True
    assert met.loc["徐闻县", "有特色产业的村"] is True
    # a county without poverty villages: no figure, neither met nor missed
    assert pd.isna(values.loc["赤坎区", "有特色产业的村"]) and met.loc["赤坎区", "有特色产业的村"] is None
    # 全市指标 and the reports have no county figure, only the city's
    assert values.drop(indicators.CITY_ROW)[["全市卫生户厕", "季度汇报"]].isna().all().all()
    assert values.loc[indicators.CITY_ROW, "季度汇报"] == 4


def test_county_targets_sum_to_the_kpis(dataset):
    """Each county's numerator and denominator add up to the card's: one computation."""
    targets = indicators.county_targets(dataset, QUARTERS)
    *counties, city = targets.kpis
    assert [city[t.key] for t in config.TARGETS] == indicators.compute_kpis(dataset, QUARTERS)
    for key in indicators.VILLAGE_TARGETS:
        assert sum(row[key].numerator for row in counties) == pytest.approx(city[key].numerator)
        assert sum(row[key].denominator for row in counties) == pytest.approx(city[key].denominator)
    met = targets.met()
    assert {True, False} <= set(met["产业园带动协议"][:-1])  # the demo has counties on both sides



# --- the cards' gap and change -------------------------------------------------------------------
def kpi_of(key, value):
    target = next(t for t in config.TARGETS if t.key == key)
    return indicators.Kpi(target, value, 0, 0)


def test_gap_is_a_gap_not_a_fall():
    assert kpi_of("park_agreement", 0.875).gap_text() == "差 12.5 点"
    assert kpi_of("park_agreement", 1.0).gap_text() == "达标"
    assert kpi_of("toilet_city", 0.99).gap_text() == "达标"  # the goal is 98.5 %
    assert kpi_of("reports", 3.0).gap_text() == "差 1 次"
    assert kpi_of("industry", None).gap_text() is None


def test_change_since_last_quarter_has_its_own_direction():
    assert kpi_of("industry", 0.95).change_since(kpi_of("industry", 0.93)) == ("较上季 +2.0 点", "up")
    assert kpi_of("industry", 0.90).change_since(kpi_of("industry", 0.925)) == ("较上季 -2.5 点", "down")
    # unchanged to a tenth of a point: 持平, not "+0.0"
    assert kpi_of("park_agreement", 0.8790).change_since(kpi_of("park_agreement", 0.8791)) == ("较上季 持平", "flat")
    assert kpi_of("reports", 4.0).change_since(kpi_of("reports", 3.0)) == ("较上季 +1 次", "up")
    assert kpi_of("industry", 0.9).change_since(None) is None
    assert kpi_of("industry", 0.9).change_since(kpi_of("industry", None)) is None


def test_quarters_before_and_up_to_a_quarter():
    quarters = ["2019Q1", "2019Q2", "2019Q3", "2019Q4", "2020Q1"]
    assert indicators.previous_quarter(quarters, "2019Q1") is None
    assert indicators.previous_quarter(quarters, "2020Q1") == "2019Q4"
    assert indicators.reported_by(quarters, "2019Q2") == ["2019Q1", "2019Q2"]


def test_city_figure_is_not_described_as_one_of_one(dataset):
    city = {k.target.key: k for k in indicators.compute_kpis(dataset, QUARTERS)}
    assert "1 / 1" not in city["toilet_city"].counts_text() and "全市指标" in city["toilet_city"].counts_text()
    assert city["training"].counts_text().endswith("（人）")
