"""Trends and the changes between two quarters, on hand-made quarters."""
from __future__ import annotations

import pytest

from fupin_geo import config
from fupin_geo.analysis import trends

A, B = "440882101200", "440882101201"


def product(code, name, category="种植"):
    return dict(village_code=code, product=name, category=category)


def link(code, source_id="E1", link_type="务工", poor=3):
    return dict(source_type="企业", source_id=source_id, village_code=code, link_type=link_type,
                households=poor + 2, poor_households=poor)


ENTERPRISE = dict(id="E1", name="某某农业有限公司", level="市", industry="芒果", county_code="440882",
                  lon=110.1, lat=20.9, is_processing=False)


@pytest.fixture
def two_quarters(make_dataset):
    before = make_dataset([dict(clean_village=False, toilet_rate=0.9), dict(clean_village=True)],
                          quarter="2019Q1", products=[product(A, "芒果")], enterprises=[ENTERPRISE],
                          linkages=[link(A)])
    after = make_dataset([dict(clean_village=True, toilet_rate=1.0), dict(clean_village=False)],
                         quarter="2019Q2", products=[product(A, "芒果"), product(B, "番薯")],
                         enterprises=[ENTERPRISE], linkages=[link(A), link(B, link_type="订单", poor=7)])
    return before, after


def test_villages_that_met_and_fell_back(two_quarters):
    changes = trends.changes(*two_quarters)
    met = set(zip(changes.met["村代码"], changes.met["指标"]))
    assert met == {(A, "干净整洁村"), (A, "无害化卫生户厕"), (B, "有特色产业（一村一品）")}
    fell = set(zip(changes.fell_back["村代码"], changes.fell_back["指标"]))
    assert fell == {(B, "干净整洁村")}
    # villages, not village × indicator pairs: A reached two targets and counts once
    assert changes.counts() == {"新达标": 2, "退步": 1, "新增产业": 1, "新增联农带农": 1}
    assert changes.pair_counts() == {"新达标": 3, "退步": 1}
    per_village = trends.by_village(changes.met).set_index("村代码")
    assert len(per_village) == 2 and per_village.loc[A, "项数"] == 2
    assert set(per_village.loc[A, "指标"].split("、")) == {"干净整洁村", "无害化卫生户厕"}


def test_new_industries_and_linkages(two_quarters):
    changes = trends.changes(*two_quarters)
    assert changes.new_industries[["村代码", "产品"]].values.tolist() == [[B, "番薯"]]
    row = changes.new_linkages.iloc[0]
    assert (row["村代码"], row["带动主体"], row["联结方式"], row["带动贫困户"]) == (B, "某某农业有限公司", "订单", 7)


def test_change_kind_per_village(two_quarters):
    kinds = trends.village_change_kind(*two_quarters, "clean_village")
    assert kinds.to_dict() == {A: "新达标", B: "退步"}
    # no infrastructure rows in either quarter: no data, not "still below"
    assert set(trends.village_change_kind(*two_quarters, "road")) == {"无数据"}


def test_kpi_series_has_every_kpi_per_quarter(two_quarters, demo_datasets):
    series = trends.kpi_series(list(two_quarters))
    # the plan's 干净整洁村 is the city's (全市指标, none here); the 218's share is its own line,
    # with its reference basis
    city = series[series["key"] == "clean_village_city"]
    assert city["value"].isna().all() and city["goal"].tolist() == [60.0, 60.0]
    clean = series[series["key"] == "clean_village"]
    assert clean["value"].tolist() == [50.0, 50.0]
    assert set(clean["basis"]) == {config.INFRA_BY_KEY["clean_village"].basis}
    reports = series[series["key"] == "reports"]
    assert reports["value"].tolist() == [1.0, 2.0] and reports["unit"].tolist() == ["次", "次"]
    assert "toilet" not in set(series["key"])
    toilets = series[(series["key"] == "toilet_villages")]  # 90 % and 90 % -> 90; 100 % and 90 % -> 95
    assert toilets["value"].tolist() == pytest.approx([90.0, 95.0])
    roads = series[series["key"] == "road"]
    assert roads["value"].isna().all() and roads["goal"].tolist() == [100.0, 100.0]
    demo = trends.kpi_series(demo_datasets)
    assert demo.groupby("quarter").size().nunique() == 1  # every KPI in every quarter
