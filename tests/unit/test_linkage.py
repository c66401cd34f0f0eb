"""联农带农 by the plan's rules, on hand-made data sets whose every figure is known."""
from __future__ import annotations

import pytest

from fupin_geo import config
from fupin_geo.analysis import linkage


def enterprise(eid="E1", **row):
    return {"id": eid, "name": f"企业{eid}", "level": "市", "industry": "菠萝", "county_code": "440882",
            "lon": 110.0, "lat": 20.9, "is_processing": False, **row}


def link(village_code, poor, households=None, source_id="E1", source_type="企业", link_type="订单"):
    return {"source_type": source_type, "source_id": source_id, "village_code": village_code,
            "link_type": link_type, "households": poor if households is None else households,
            "poor_households": poor}


@pytest.mark.parametrize("villages, leading", [(10, False), (11, True)])
def test_more_than_ten_villages_makes_a_leading_enterprise(make_dataset, villages, leading):
    data = make_dataset(villages=[{}] * villages, enterprises=[enterprise()],
                        linkages=[link(f"4408821012{i:02d}", 1) for i in range(villages)])
    row = linkage.enterprise_reach(data).iloc[0]
    assert row["villages"] == villages and row["poor_households"] == villages
    assert bool(row["is_leading"]) is leading


@pytest.mark.parametrize("poor, leading", [(100, False), (101, True)])
def test_more_than_100_poor_households_makes_a_leading_enterprise(make_dataset, poor, leading):
    data = make_dataset(villages=[{"poor_households": 200}], enterprises=[enterprise()],
                        linkages=[link("440882101200", poor)])
    row = linkage.enterprise_reach(data).iloc[0]
    assert row["villages"] == 1 and row["poor_households"] == poor
    assert bool(row["is_leading"]) is leading


def test_fifty_poor_and_one_ordinary_household_are_101_equivalent(make_dataset):
    data = make_dataset(villages=[{"poor_households": 60}], enterprises=[enterprise()],
                        linkages=[link("440882101200", 50, households=51)])
    row = linkage.enterprise_reach(data).iloc[0]
    assert row["equivalent"] == 101
    # the bar is on poor households, not equivalent ones: 50 poor in 1 village is not leading
    assert not row["is_leading"]
    table = linkage.enterprise_table(linkage.enterprise_reach(data))
    assert table.loc[0, "折算户数"] == 101 and table.loc[0, "扶贫龙头企业"] == "否"


def test_an_enterprise_without_links_is_listed_with_zeros(make_dataset):
    data = make_dataset(villages=[{}], enterprises=[enterprise("E1"), enterprise("E2")],
                        linkages=[link("440882101200", 3)])
    reach = linkage.enterprise_reach(data).set_index("id")
    assert reach.loc["E2", ["villages", "households", "poor_households", "equivalent"]].tolist() == [0, 0, 0, 0]


def test_coverage_classes_at_their_edges(make_dataset):
    """10 poor households each: none linked, 4 (40 % < 50 %), 5 (exactly 50 %), and 30 by
    three sources (capped at 100 %)."""
    data = make_dataset(
        villages=[{"poor_households": 10}] * 4,
        enterprises=[enterprise("E1"), enterprise("E2")],
        cooperatives=[{"id": "C1", "name": "社", "village_code": "440882101203", "lon": 110.1, "lat": 20.9,
                       "members": 20, "poor_members": 10, "is_poverty_coop": True}],
        linkages=[link("440882101201", 4), link("440882101202", 5),
                  link("440882101203", 10, source_id="E1"), link("440882101203", 10, source_id="E2"),
                  link("440882101203", 10, source_type="合作社", source_id="C1", link_type="入股")],
    )
    coverage = linkage.village_coverage(data)
    assert coverage["coverage"].tolist() == ["未联结", "弱联结", "已联结", "已联结"]
    assert coverage["share"].tolist() == [0.0, 0.4, 0.5, 1.0]
    assert coverage["sources"].tolist() == [0, 1, 1, 3]
    assert coverage["poor_linked"].tolist() == [0, 4, 5, 30]
    assert config.WEAK_LINK_SHARE == 0.5  # the edges above are the documented threshold's


def test_parks_list_the_villages_without_an_agreement(make_dataset):
    data = make_dataset(
        villages=[{}] * 3,
        parks=[{"id": "P1", "name": "园一", "level": "省", "product": "菠萝", "county_code": "440882",
                "lon": 110.0, "lat": 20.9, "year": 2019, "lead_enterprises": ""}],
        park_villages=[{"park_id": "P1", "village_code": "440882101200", "agreement_signed": True},
                       {"park_id": "P1", "village_code": "440882101201", "agreement_signed": False},
                       {"park_id": "P1", "village_code": "440882101202", "agreement_signed": False}],
    )
    table = linkage.park_table(data)
    assert table.loc[0, ["范围内贫困村", "已签带动协议", "未签"]].tolist() == [3, 1, 2]
    assert table.loc[0, "未签协议的村"] == "测试01村、测试02村"
    summary = linkage.county_summary(data)
    assert summary.loc[0, "园区内未签协议的村"] == 2


def test_cooperative_share_and_villages_without_a_poverty_cooperative(make_dataset):
    data = make_dataset(
        villages=[{"poor_households": 20, "poor_households_in_coop": 15},
                  {"poor_households": 10, "poor_households_in_coop": 0}],
        cooperatives=[{"id": "C1", "name": "社", "village_code": "440882101200", "lon": 110.1, "lat": 20.9,
                       "members": 30, "poor_members": 15, "is_poverty_coop": True}],
    )
    coops = linkage.cooperative_coverage(data)
    assert coops["share"].tolist() == [0.75, 0.0]
    assert coops["has_poverty_coop"].tolist() == [True, False]
    table = linkage.cooperative_table(data)
    assert table["村名"].tolist() == ["测试01村", "测试00村"]  # the one without a cooperative first


def test_county_summary_counts_by_class(make_dataset):
    data = make_dataset(villages=[{"poor_households": 10}, {"poor_households": 10, "county_code": "440823",
                                                              "town_code": "440823101"}],
                        enterprises=[enterprise()], linkages=[link("440882101200", 8)])
    summary = linkage.county_summary(data).set_index("县（市、区）")
    assert summary.loc["雷州市", ["贫困村", "未联结", "弱联结", "已联结", "被带动贫困户"]].tolist() == [1, 0, 0, 1, 8]
    assert summary.loc["遂溪县", ["未联结", "被带动贫困户"]].tolist() == [1, 0]
    assert len(summary) == 2  # counties without poverty villages are left out


def test_link_lines_join_both_ends_and_drop_unknown_sources(make_dataset):
    data = make_dataset(villages=[{}], enterprises=[enterprise(lon=110.3, lat=21.1)],
                        linkages=[link("440882101200", 3), link("440882101200", 2, source_id="E9")])
    lines = linkage.link_lines(data)
    assert len(lines) == 1
    row = lines.iloc[0]
    assert (row["source_name"], row["slon"], row["slat"]) == ("企业E1", 110.3, 21.1)
    assert (row["village_name"], row["vlon"], row["vlat"]) == ("测试00村", 110.1, 20.9)


def test_demo_lines_are_every_linkage(dataset):
    assert len(linkage.link_lines(dataset)) == len(dataset.linkages)
