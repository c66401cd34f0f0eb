"""search: villages by name, short name, 12-digit code and pinyin (全拼, 首字母), best first."""
from __future__ import annotations

import pandas as pd
import pytest

from fupin_geo.analysis import search
from fupin_geo.analysis.search import SearchIndex

SANDUN = "440881108209"  # 三墩村, 廉江 (always in the demo data: the public example)


@pytest.fixture(scope="module")
def demo_index(dataset) -> SearchIndex:
    return SearchIndex.build(dataset.villages)


def small_index(*rows: tuple[str, str]) -> SearchIndex:
    return SearchIndex.build(pd.DataFrame(rows, columns=["code", "name"]))


# 湖村 (short 湖, hu), 湖光村 (hu-guang-cun) and 官湖村 (guan-hu-cun): "湖"/"hu" is the whole short
# name of the first, the start of the second and the middle of the third.
HU, HUGUANG, GUANHU_SMALL = "440823100201", "440823100202", "440823100203"
RANKED = small_index((GUANHU_SMALL, "官湖村"), (HUGUANG, "湖光村"), (HU, "湖村"))


# --- the demo village the README and the search box give as the example ---------------------------
@pytest.mark.parametrize("query", ["sandun", "sanduncun", "SanDun", " san dun ", "san'dun", "sdc", "三墩",
                                   "三墩村", SANDUN])
def test_sandun_is_found_first(demo_index, dataset, query):
    found = demo_index.search(query)
    assert found and found[0] == SANDUN
    assert dataset.villages.set_index("code").loc[SANDUN, "name"] == "三墩村"


def test_pinyin_prefix_and_initials_prefix(demo_index):
    assert SANDUN in demo_index.search("san")
    assert SANDUN in demo_index.search("sd")
    assert SANDUN in demo_index.search("sanduncu")  # 全拼 typed halfway into 村


def test_demo_villages_are_found_by_name_short_name_pinyin_and_code(demo_index, dataset):
    index = demo_index.table.set_index("code")
    for code in dataset.villages["code"].iloc[::9]:
        row = index.loc[code]
        for query in (row["name"], row["short"], row["pinyin"], code):
            assert code in demo_index.search(query, limit=len(dataset.villages)), (code, query)
        assert code in demo_index.search(row["initials"], limit=len(dataset.villages))


def test_short_name_is_the_name_without_its_suffix(demo_index):
    row = demo_index.table.set_index("code").loc[SANDUN]
    assert (row["name"], row["short"], row["pinyin"], row["short_pinyin"], row["initials"]) == (
        "三墩村", "三墩", "sanduncun", "sandun", "sdc")
    index = small_index(("440823100201", "龙湾社区"), ("440823100202", "北坡村委会"), ("440823100203", "村"))
    assert index.table["short"].tolist() == ["龙湾", "北坡", "村"]  # a name that is only a suffix stays
    assert index.search("龙湾") == ["440823100201"] and index.search("beipo") == ["440823100202"]


# --- codes ----------------------------------------------------------------------------------------
def test_exact_code_finds_only_that_village(demo_index):
    assert demo_index.search(SANDUN) == [SANDUN]
    assert demo_index.search("999999999999") == []


def test_code_prefix_finds_every_village_under_it(demo_index, dataset):
    prefix = SANDUN[:9]  # the town
    expected = sorted(c for c in dataset.villages["code"] if c.startswith(prefix))
    assert len(expected) > 1
    assert sorted(demo_index.search(prefix)) == expected
    county = SANDUN[:6]
    in_county = int((dataset.villages["county_code"] == county).sum())
    assert len(demo_index.search(county, limit=500)) == in_county


def test_digits_in_the_middle_of_a_code_do_not_match(demo_index):
    assert demo_index.search(SANDUN[3:]) == []


# --- ranking --------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["湖", "hu"])
def test_exact_before_prefix_before_substring(query):
    assert RANKED.search(query) == [HU, HUGUANG, GUANHU_SMALL]


def test_ties_are_ordered_by_name_then_code():
    rows = [("440823100209", "湖乙村"), ("440823100205", "湖甲村"), ("440823100201", "湖甲村")]
    expected = [code for code, name in sorted(rows, key=lambda r: (r[1], r[0]))]
    found = small_index(*rows).search("湖")
    assert found == expected
    # the two 湖甲村 stay together, the lower code first
    assert found.index("440823100201") + 1 == found.index("440823100205")


def test_a_full_code_is_exact_and_a_shorter_one_a_prefix():
    index = small_index(("440823100201", "甲村"), ("440823100202", "乙村"), ("440823101201", "丙村"))
    assert index.search("440823100202") == ["440823100202"]
    assert sorted(index.search("44082310020")) == ["440823100201", "440823100202"]
    assert len(index.search("440823")) == 3


# --- nothing, too much --------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["", " ", "  \t", "'", "-"])
def test_empty_query_finds_nothing(demo_index, query):
    assert demo_index.search(query) == []


@pytest.mark.parametrize("query", ["zzzz", "不存在的村名", "qx9"])
def test_no_match(demo_index, query):
    assert demo_index.search(query) == []


def test_limit(demo_index, dataset):
    everything = demo_index.search("cun", limit=1000)
    assert len(everything) == len(dataset.villages)  # every name ends in 村
    assert len(demo_index.search("cun")) == search.MAX_RESULTS
    assert demo_index.search("cun", limit=3) == everything[:3]
    assert demo_index.search("cun", limit=0) == []
