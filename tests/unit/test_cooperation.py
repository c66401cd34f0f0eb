"""湛柳协作 analysis on a hand-made ledger: two pairings, a few projects and flows."""
from __future__ import annotations

import pandas as pd
import pytest

from fupin_geo import config
from fupin_geo.analysis import cooperation

WUCHUAN, SANJIANG, SUIXI, RONGAN = "440883", "450226", "440823", "450224"


@pytest.fixture
def ledger(make_dataset):
    return make_dataset(
        pairings=[dict(zj_county_code=WUCHUAN, lz_county_code=SANJIANG),
                  dict(zj_county_code=SUIXI, lz_county_code=RONGAN)],
        cooperation_projects=[
            dict(id="a", name="甲", work_area="产业合作", zj_county_code=WUCHUAN, lz_county_code=SANJIANG,
                 year=2018, amount_wan=100.0),
            dict(id="b", name="乙", work_area="产业合作", zj_county_code=SUIXI, lz_county_code=RONGAN,
                 year=2019, amount_wan=50.0),
            dict(id="c", name="丙", work_area="助残", zj_county_code=SUIXI, lz_county_code=RONGAN,
                 year=2019, amount_wan=25.5),
        ],
        cooperation_flows=[
            dict(id="f1", kind="帮扶资金", zj_county_code=WUCHUAN, lz_county_code=SANJIANG, year=2019, amount=400.0),
            dict(id="f2", kind="帮扶资金", zj_county_code=SUIXI, lz_county_code=RONGAN, year=2019, amount=100.0),
            dict(id="f3", kind="劳务协作", zj_county_code=SUIXI, lz_county_code=RONGAN, year=2018, amount=30.0),
        ],
    )


def test_by_pairing_adds_projects_and_flows_per_pairing(ledger):
    table = cooperation.by_pairing(ledger).set_index("结对县区")
    suixi = table.loc["遂溪县—融安县"]
    assert suixi["项目数"] == 2 and suixi["项目金额（万元）"] == 75.5
    assert suixi["帮扶资金（万元）"] == 100.0 and suixi["劳务协作（人）"] == 30.0 and suixi["消费扶贫（万元）"] == 0.0
    assert table.loc["吴川市—三江侗族自治县", "帮扶资金（万元）"] == 400.0


def test_by_year_and_work_area(ledger):
    years = cooperation.by_year(ledger).set_index("年份")
    assert years.loc[2019, "项目数"] == 2 and years.loc[2019, "项目金额（万元）"] == 75.5
    assert years.loc[2018, "劳务协作（人）"] == 30.0 and years.loc[2019, "帮扶资金（万元）"] == 500.0
    areas = cooperation.by_work_area(ledger)
    assert areas["工作领域"].tolist() == list(config.COOPERATION_WORK_AREAS)  # all ten, zeros too
    assert areas.set_index("工作领域").loc["产业合作", "金额（万元）"] == 150.0
    assert areas.set_index("工作领域").loc["教育", "项目数"] == 0


def test_projects_without_a_year_or_amount_are_counted_not_invented(make_dataset):
    undated = make_dataset(cooperation_projects=[
        dict(id="a", name="甲", work_area="教育", zj_county_code=SUIXI, lz_county_code=RONGAN,
             year=2018, amount_wan=100.0),
        dict(id="b", name="乙", work_area="产业合作", zj_county_code=SUIXI, lz_county_code=RONGAN,
             year=None, amount_wan=40.0),
        dict(id="c", name="丙", work_area="产业合作", zj_county_code=SUIXI, lz_county_code=RONGAN,
             year=2018, amount_wan=None),
    ])
    assert cooperation.years(undated) == [2018]  # the year choice offers no empty year
    per_year = cooperation.by_year(undated).set_index("年份")
    assert per_year.index.tolist() == [2018, cooperation.NO_YEAR]  # the rows add up to every project
    assert per_year["项目数"].tolist() == [2, 1] and per_year["项目金额（万元）"].tolist() == [100.0, 40.0]
    assert cooperation.summary(undated)["项目金额（万元）"] == 140.0
    table = cooperation.project_table(undated)
    assert table["项目名称"].tolist()[-1] == "乙"  # the undated last
    assert table.set_index("项目名称")["金额（万元）"].isna().to_dict() == {"甲": False, "乙": False, "丙": True}


def test_summary_and_one_county(ledger):
    assert cooperation.summary(ledger) == {"结对县区": 2, "协作项目": 3, "项目金额（万元）": 175.5,
                                          "帮扶资金（万元）": 500.0, "劳务协作（人）": 30.0, "消费扶贫（万元）": 0.0}
    suixi = cooperation.for_county(ledger, SUIXI)
    assert suixi.pairings["lz_county_code"].tolist() == [RONGAN]
    assert sorted(suixi.cooperation_projects["id"]) == ["b", "c"]


def test_flow_arcs_widths_and_directions(ledger):
    arcs = {(a.kind, a.tip[0]): a for a in cooperation.flow_arcs(ledger)}
    big = arcs[("帮扶资金", "帮扶资金：吴川市—三江侗族自治县")]
    small = arcs[("帮扶资金", "帮扶资金：遂溪县—融安县")]
    # the largest of a kind is widest; 100 is a quarter of 400, so its share is sqrt(1/4) = 1/2
    assert big.weight == config.ARC_MAX_WEIGHT
    assert small.weight == pytest.approx(config.ARC_MIN_WEIGHT + (config.ARC_MAX_WEIGHT - config.ARC_MIN_WEIGHT) / 2)
    anchors = cooperation.anchors()
    assert (small.from_lon, small.from_lat) == anchors[SUIXI]  # funds go to 柳州
    labour = arcs[("劳务协作", "劳务协作：遂溪县—融安县")]
    assert (labour.from_lon, labour.from_lat) == anchors[RONGAN]  # workers come to 湛江
    assert "柳州 → 湛江" in labour.tip[1] and "30 人" in labour.tip[1] and "30.0" not in labour.tip[1]  # a head count
    assert [a.kind for a in cooperation.flow_arcs(ledger, year=2018)] == ["劳务协作"]
    assert cooperation.flow_arcs(ledger, kinds=()) == []


def test_pairing_arcs_carry_their_source(ledger):
    arcs = cooperation.pairing_arcs(ledger)
    assert len(arcs) == 2 and all(a.kind == "结对" for a in arcs)
    assert arcs[0].tip[1] == f"来源：{config.DEMO_SOURCE}"


def test_demo_pairings_are_public_and_projects_cover_the_memorandum(dataset):
    assert set(dataset.pairings["source"]) == {config.PAIRING_SOURCE}
    # invented projects say so; the public ones (tests/unit/test_public_facts.py) name a page
    invented = dataset.cooperation_projects["source"] == config.DEMO_SOURCE
    assert invented.any() and dataset.cooperation_projects.loc[~invented, "source"].str.contains("http").all()
    assert set(dataset.cooperation_flows["source"]) == {config.DEMO_SOURCE}
    assert set(dataset.cooperation_projects["work_area"]) == set(config.COOPERATION_WORK_AREAS)
    assert set(dataset.cooperation_flows["kind"]) == set(config.FLOW_UNITS)


def test_head_counts_are_whole_in_every_table(dataset):
    labour = f"劳务协作（{cooperation.HEADS}）"
    for table in (cooperation.by_pairing(dataset), cooperation.by_year(dataset)):
        assert pd.api.types.is_integer_dtype(table[labour])
        assert pd.api.types.is_float_dtype(table["消费扶贫（万元）"])
    assert isinstance(cooperation.summary(dataset)[labour], int)
    assert cooperation.amount_text(1875.0, "人") == "1,875 人"
    assert cooperation.amount_text(1234.56, "万元") == "1,234.6 万元"
