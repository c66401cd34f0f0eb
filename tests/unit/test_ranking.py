"""短板排查: scores, reasons, weights, greedy sites and exports, on cases computed by hand."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from fupin_geo import config
from fupin_geo.analysis import ranking
from fupin_geo.analysis.filters import VillageFilter

PARK_NORTH = {"id": "P1", "name": "园一", "level": "省", "product": "菠萝", "county_code": "440882",
              "lon": 110.1, "lat": 21.08, "year": 2019, "lead_enterprises": ""}


def coop_link(code, poor):
    return {"source_type": "合作社", "source_id": f"C{code}", "village_code": code, "link_type": "入股",
            "households": poor, "poor_households": poor}


def coop(code, poor):
    return {"id": f"C{code}", "name": f"社{code}", "village_code": code, "lon": 110.1, "lat": 20.9,
            "members": poor, "poor_members": poor, "is_poverty_coop": True}


@pytest.fixture
def lonely(make_dataset):
    """One village (conftest defaults: 10 poor households, 5 in a cooperative, 户厕 90 %, not
    clean) with no link and no industry; the only site a park 0.18° due north."""
    return make_dataset(villages=[{}], parks=[PARK_NORTH])


def test_score_by_hand(lonely):
    """Parts: linkage 1 (no link), coop 0.5 (5 of 10 outside), industry 1, infrastructure
    (0.1/0.2 + 1)/2 = 0.75, distance (19.93/30 + 1 + 1)/3 = 0.888 (0.18° of meridian at 21°N
    is 19.93 km; no leading or processing enterprise counts as full distance).
    Default weights 3, 3, 2, 1, 1: (3 + 1.5 + 2 + 0.888 + 0.75) / 10 = 81.4."""
    row = ranking.rank(lonely).iloc[0]
    assert row["km_park"] == pytest.approx(19.93, abs=0.02)
    assert row[["linkage", "coop", "industry", "infrastructure"]].tolist() == [1.0, 0.5, 1.0, 0.75]
    assert row["distance"] == pytest.approx(0.888, abs=0.001)
    assert row["score"] == 81.4 and row["rank"] == 1


def test_reason_sentence(lonely):
    row = ranking.rank(lonely).iloc[0]
    # clauses ordered by what they add: linkage 3, industry 2, coop 1.5, distance 0.89, infrastructure 0.75
    assert row["reason"] == ("未与任何企业、产业园或合作社联结；尚无一村一品产业；50% 贫困户未入社；"
                             "距最近产业园 19.9 公里（直线距离），没有龙头企业、加工企业；"
                             "户厕普及率 90%，未达干净整洁村标准")


def test_reason_leaves_out_what_has_no_weight_and_what_is_fine(make_dataset):
    data = make_dataset(villages=[{"toilet_rate": 1.0, "clean_village": True, "poor_households_in_coop": 10}],
                        cooperatives=[coop("440882101200", 10)], linkages=[coop_link("440882101200", 10)],
                        products=[{"village_code": "440882101200", "product": "菠萝", "category": "种植"}],
                        parks=[PARK_NORTH | {"lat": 20.95}])  # 5.5 km: nearer than the note distance
    weights = dict(config.RANK_WEIGHTS, distance=0)
    row = ranking.rank(data, weights).iloc[0]
    assert row["score"] == 0.0
    assert row["reason"] == "各项均无明显短板"
    row = ranking.rank(data).iloc[0]
    assert row["reason"] == "没有龙头企业、加工企业"


def test_weights_change_the_order(make_dataset):
    """A lacks only an industry; B has all its 10 poor households outside cooperatives."""
    a, b = "440882101200", "440882101201"
    data = make_dataset(
        villages=[{"name": "甲村", "poor_households_in_coop": 10}, {"name": "乙村", "poor_households_in_coop": 0}],
        cooperatives=[coop(a, 10), coop(b, 0)], linkages=[coop_link(a, 10), coop_link(b, 10)],
        products=[{"village_code": b, "product": "菠萝", "category": "种植"}],
    )
    assert ranking.rank(data)["name"].tolist() == ["乙村", "甲村"]  # coop 3 > industry 2
    heavy_industry = dict(config.RANK_WEIGHTS, industry=5, coop=1)
    assert ranking.rank(data, heavy_industry)["name"].tolist() == ["甲村", "乙村"]
    zero = {part: 0 for part in config.RANK_WEIGHTS}
    assert ranking.rank(data, zero)["score"].tolist() == [0.0, 0.0]


def test_scope_ranks_within_a_county(make_dataset):
    data = make_dataset(villages=[{}, {"county_code": "440823", "town_code": "440823101", "name": "遂溪一村"}])
    ranked = ranking.rank(data, scope=VillageFilter(counties=("440823",)))
    assert ranked["name"].tolist() == ["遂溪一村"] and ranked["rank"].tolist() == [1]


def places(spec):
    """Villages on a meridian: (code, km north of 21°N, poor households)."""
    return pd.DataFrame({"code": [c for c, _, _ in spec], "name": [f"村{c}" for c, _, _ in spec],
                         "lon": 110.0, "lat": [21.0 + km / 110.7 for _, km, _ in spec],
                         "poor_households": [p for _, _, p in spec]})


def test_greedy_picks_the_known_best_sites():
    """Villages at 0, 4 and 8 km (60, 40, 50 poor households) and one far away at 50 km (30).
    Radius 4.5 km: a site at 4 km reaches the first three (150), any other at most 100; then
    only the far village adds anything (30); a third site adds nothing."""
    targets = places([("a", 0, 60), ("b", 4, 40), ("c", 8, 50), ("far", 50, 30)])
    candidates = targets.assign(kind="村")[["kind", "code", "name", "lon", "lat"]]
    chosen = ranking.suggest_sites(candidates, targets, k=3, radius_km=4.5)
    assert [s["code"] for s in chosen] == ["b", "far"]
    assert [s["gain"] for s in chosen] == [150, 30]
    assert chosen[0]["codes"] == ["b", "a", "c"]  # nearest first
    # villages already reached by a placed site no longer count
    chosen = ranking.suggest_sites(candidates, targets, k=1, radius_km=4.5, reached_already=["b", "c"])
    assert [(s["code"], s["gain"]) for s in chosen] == [("a", 60)]


def test_greedy_is_not_fooled_by_overlap():
    """Two big overlapping sites and one small separate one: the second pick must be the
    separate site (it adds 50), not the other big one (it adds only 10)."""
    targets = places([("x", 0, 100), ("y", 3, 100), ("z", 6, 10), ("w", 40, 50)])
    candidates = pd.DataFrame({"kind": "镇", "code": ["t1", "t2", "t3"], "name": ["一", "二", "三"],
                               "lon": 110.0, "lat": [21.0 + km / 110.7 for km in (1.5, 4.5, 40)]})
    chosen = ranking.suggest_sites(candidates, targets, k=2, radius_km=2)
    assert [(s["code"], s["gain"]) for s in chosen] == [("t1", 200), ("t3", 50)]


def test_reached_lists_villages_within_the_radius_nearest_first():
    targets = places([("a", 0, 60), ("b", 4, 40), ("c", 8, 50)])
    found = ranking.reached(targets, 110.0, 21.0 + 7 / 110.7, 5)
    assert found["code"].tolist() == ["c", "b"]
    assert found["km"].round(1).tolist() == [1.0, 3.0]


def test_candidate_sites_are_villages_and_town_centres(make_dataset):
    data = make_dataset(villages=[{"lon": 110.0}, {"lon": 110.2}])
    sites = ranking.candidate_sites(data)
    assert sites["kind"].tolist() == ["村", "村", "镇"]
    assert sites.iloc[2]["lon"] == pytest.approx(110.1) and sites.iloc[2]["code"] == "440882101"


# --- exports -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exported(dataset):
    return ranking.export_table(ranking.rank(dataset).head(10))


def test_csv_has_a_bom_and_reads_back(exported):
    data = ranking.to_csv(exported)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"村代码": str})
    assert back.columns.tolist() == exported.columns.tolist()
    assert back["村名"].tolist() == exported["村名"].tolist()
    assert back["村代码"].tolist() == exported["村代码"].tolist()
    assert back["排名"].tolist() == list(range(1, 11))
    assert back["原因"].tolist() == exported["原因"].tolist()


def test_xlsx_reads_back_with_openpyxl_and_pandas(exported):
    data = ranking.to_xlsx(exported, note="权重：测试")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exported.columns.tolist()
    assert [r[1] for r in rows[1:11]] == exported["村名"].tolist()
    assert rows[12][0] == "权重：测试"
    back = pd.read_excel(io.BytesIO(data), nrows=10, dtype={"村代码": str}, engine="openpyxl")
    assert back["村代码"].tolist() == exported["村代码"].tolist()
    assert back["短板得分"].tolist() == exported["短板得分"].tolist()
