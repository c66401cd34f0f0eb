"""filters: which villages (and parks, enterprises …) a 产业地图 view shows, checked against
hand computations over the demo records, and the counts/table/map built from one filtered set."""
from __future__ import annotations

import pytest

from fupin_geo.analysis import filters, indicators, tables
from fupin_geo.analysis.filters import VillageFilter
from fupin_geo.maps.industry_view import LAYERS, ViewState
from fupin_geo.maps import industry_map
from tests import mapscript

SUIXI, LEIZHOU, XUWEN, LIANJIANG = "440823", "440882", "440825", "440881"
ANPU = "440881108"  # 安铺镇: 三墩村 and the public 专业村 急水村 (水稻) are always in the demo


def records(frame) -> list[dict]:
    return frame.to_dict("records")


def by_hand(dataset, f: VillageFilter) -> set[str]:
    """The codes of the villages `f` lets through, one village at a time."""
    products = records(dataset.products)
    kept = set()
    for village in records(dataset.villages):
        if f.counties and village["county_code"] not in f.counties:
            continue
        if f.towns and village["town_code"] not in f.towns:
            continue
        if f.categories or f.products:
            mine = [p for p in products if p["village_code"] == village["code"]
                    and (not f.categories or p["category"] in f.categories)
                    and (not f.products or p["product"] in f.products)]
            if not mine:
                continue
        kept.add(village["code"])
    return kept


FILTERS = {
    "county": VillageFilter(counties=(SUIXI,)),
    "two counties": VillageFilter(counties=(SUIXI, XUWEN)),
    "town": VillageFilter(towns=(ANPU,)),
    "category": VillageFilter(categories=("水产",)),
    "two categories": VillageFilter(categories=("畜牧", "加工")),
    "product": VillageFilter(products=("火龙果",)),
    "county+product": VillageFilter(counties=(SUIXI,), products=("火龙果",)),
    "county+category": VillageFilter(counties=(LEIZHOU,), categories=("种植",)),
    "category+product": VillageFilter(categories=("种植",), products=("菠萝", "对虾")),
    "town of another county": VillageFilter(counties=(LEIZHOU,), towns=(ANPU,)),
    "all four": VillageFilter(counties=(LIANJIANG,), towns=(ANPU,), categories=("种植",), products=("水稻",)),
}


@pytest.mark.parametrize("f", FILTERS.values(), ids=FILTERS.keys())
def test_matching_villages_equal_a_hand_computation(dataset, f):
    mask = filters.matching_villages(dataset, f)
    assert mask.dtype == bool and mask.index.equals(dataset.villages.index)
    assert set(dataset.villages.loc[mask, "code"]) == by_hand(dataset, f)


def test_the_hand_computation_is_not_trivial(dataset):
    """Each single filter keeps some but not all villages, and the combinations narrow down."""
    sizes = {name: len(by_hand(dataset, f)) for name, f in FILTERS.items()}
    for name in ("county", "town", "category", "product"):
        assert 0 < sizes[name] < len(dataset.villages), name
    assert sizes["county+product"] <= min(sizes["county"], sizes["product"])
    planting = len(by_hand(dataset, VillageFilter(categories=("种植",))))
    assert 0 < sizes["county+category"] < min(planting, len(by_hand(dataset, VillageFilter(counties=(LEIZHOU,)))))
    assert sizes["town of another county"] == 0
    assert sizes["all four"] >= 1  # 急水村 grows 水稻


def test_empty_filter_returns_the_same_dataset(dataset):
    f = VillageFilter()
    assert f.is_empty
    assert filters.matching_villages(dataset, f).all()
    assert filters.apply(dataset, f) is dataset


@pytest.mark.parametrize("f", FILTERS.values(), ids=FILTERS.keys())
def test_apply_restricts_every_table(dataset, f):
    shown = filters.apply(dataset, f)
    codes = by_hand(dataset, f)
    assert set(shown.villages["code"]) == codes and len(shown.villages) == len(codes)
    # what belongs to a village follows it; products also follow the chosen categories/products
    expected_products = [p for p in records(dataset.products) if p["village_code"] in codes
                         and (not f.categories or p["category"] in f.categories)
                         and (not f.products or p["product"] in f.products)]
    assert len(shown.products) == len(expected_products)
    assert set(shown.cooperatives["village_code"]) <= codes
    assert len(shown.cooperatives) == sum(c["village_code"] in codes for c in records(dataset.cooperatives))
    assert len(shown.linkages) == sum(k["village_code"] in codes for k in records(dataset.linkages))
    # the others by what they have of their own (see the table in filters' docstring)
    category_of = {p["product"]: p["category"] for p in records(dataset.products)}

    def in_county(r):
        return not f.counties or r["county_code"] in f.counties

    def industry_ok(industry):
        return ((not f.products or industry in f.products)
                and (not f.categories or category_of.get(industry) in f.categories))

    towns = [t["town_code"] for t in records(dataset.town_industries)
             if in_county(t) and (not f.towns or t["town_code"] in f.towns)
             and (not f.products or t["industry"] in f.products)
             and (not f.categories or t["category"] in f.categories)]
    assert sorted(shown.town_industries["town_code"]) == sorted(towns)
    town_of = {v["code"]: v["town_code"] for v in records(dataset.villages)}
    in_scope = {pv["park_id"] for pv in records(dataset.park_villages) if town_of[pv["village_code"]] in f.towns}
    parks = [p["id"] for p in records(dataset.parks)
             if in_county(p) and industry_ok(p["product"]) and (not f.towns or p["id"] in in_scope)]
    assert sorted(shown.parks["id"]) == sorted(parks)
    assert set(shown.park_villages["park_id"]) <= set(parks)
    assert len(shown.park_villages) == sum(pv["park_id"] in parks for pv in records(dataset.park_villages))
    enterprises = [e["id"] for e in records(dataset.enterprises) if in_county(e) and industry_ok(e["industry"])]
    assert sorted(shown.enterprises["id"]) == sorted(enterprises)
    sites = [a["id"] for a in records(dataset.aquaculture)
             if in_county(a) and (not f.categories or "水产" in f.categories)]
    assert sorted(shown.aquaculture["id"]) == sorted(sites)
    # the quarter and what no view filters stay
    assert shown.quarter == dataset.quarter
    assert shown.city_stats.equals(dataset.city_stats)


def test_every_layer_follows_every_filter_that_applies_to_it(dataset):
    """Written against the old rules (enterprises by county only, parks by county and
    product): a product, a category and a town now narrow them too."""
    fruit = filters.apply(dataset, VillageFilter(products=("火龙果",)))
    assert set(fruit.enterprises["industry"]) == {"火龙果"}
    assert set(fruit.parks["product"]) == {"火龙果"}
    assert set(fruit.town_industries["industry"]) <= {"火龙果"}
    assert len(fruit.aquaculture) == len(dataset.aquaculture)  # a product says nothing about a pond
    livestock = filters.apply(dataset, VillageFilter(categories=("畜牧",)))
    category_of = dict(zip(dataset.products["product"], dataset.products["category"]))
    assert 0 < len(livestock.enterprises) < len(dataset.enterprises)
    assert {category_of[i] for i in livestock.enterprises["industry"]} == {"畜牧"}
    assert livestock.aquaculture.empty and not livestock.parks["product"].isin(["对虾", "菠萝"]).any()
    town = filters.apply(dataset, VillageFilter(towns=(ANPU,)))
    assert set(town.town_industries["town_code"]) <= {ANPU}
    assert set(town.cooperatives["village_code"]) <= set(town.villages["code"])
    assert len(town.parks) < len(dataset.parks)


def test_the_page_says_what_each_filter_applies_to():
    assert set(filters.APPLIES_TO) == {"县（市、区）", "镇（街道）", "产业类别", "产品"}
    assert "龙头企业" in filters.APPLIES_TO["产品"] and "水产养殖" in filters.APPLIES_TO["产业类别"]


def test_apply_leaves_the_input_alone(demo_datasets):
    dataset = demo_datasets[0]
    before = {name: len(frame) for name, frame in dataset.frames().items()}
    filters.apply(dataset, FILTERS["county+product"])
    assert {name: len(frame) for name, frame in dataset.frames().items()} == before


@pytest.mark.parametrize("f", [VillageFilter(), *FILTERS.values()], ids=["none", *FILTERS.keys()])
def test_counts_table_and_map_agree(dataset, f):
    shown = filters.apply(dataset, f)
    counts = indicators.industry_counts(shown)
    table = tables.village_table(shown)
    groups = industry_map.layers(shown, ViewState(layers=tuple(LAYERS)), full=dataset)
    page = mapscript.render(*groups)
    drawn = {name: [f["properties"]["code"] for f in mapscript.features(page, name)]
             for name in ("fupin-villages", "fupin-parks", "fupin-enterprises", "fupin-aquaculture",
                          "fupin-cooperatives")}
    assert counts["贫困村"] == len(drawn["fupin-villages"]) == len(table) == len(by_hand(dataset, f))
    assert sorted(drawn["fupin-villages"]) == sorted(table["代码"])
    assert counts["现代农业产业园"] == len(drawn["fupin-parks"])
    assert counts["龙头企业"] == len(drawn["fupin-enterprises"])
    assert counts["合作社"] == len(drawn["fupin-cooperatives"])
    assert counts["水产养殖点"] == len(drawn["fupin-aquaculture"])
    assert counts["贫困户"] == table["贫困户"].sum()
    assert counts["有产业的村"] == int((table["一村一品"] != "尚无产业").sum())


# --- options of the filter widgets ----------------------------------------------------------------
def test_options_without_a_choice_offer_everything(dataset):
    options = filters.options(dataset, VillageFilter())
    assert options["counties"] == sorted(set(dataset.villages["county_code"]))
    assert len(options["counties"]) == 9
    assert options["towns"] == sorted(set(dataset.villages["town_code"]))
    assert options["categories"] == sorted(set(dataset.products["category"]))
    assert options["products"] == sorted(set(dataset.products["product"]))


def test_towns_are_only_those_of_the_chosen_counties(dataset):
    options = filters.options(dataset, VillageFilter(counties=(LIANJIANG, XUWEN)))
    expected = {v["town_code"] for v in records(dataset.villages) if v["county_code"] in (LIANJIANG, XUWEN)}
    assert set(options["towns"]) == expected
    assert all(t[:6] in (LIANJIANG, XUWEN) for t in options["towns"])
    assert ANPU in options["towns"]
    # counties and categories are never narrowed (one can always widen a choice)
    assert len(options["counties"]) == 9
    assert options["categories"] == filters.options(dataset, VillageFilter())["categories"]


def test_products_are_only_those_of_the_chosen_categories_and_counties(dataset):
    planting = filters.options(dataset, VillageFilter(categories=("种植",)))["products"]
    assert set(planting) == {p["product"] for p in records(dataset.products) if p["category"] == "种植"}
    assert "火龙果" in planting and "对虾" not in planting
    suixi = filters.options(dataset, VillageFilter(counties=(SUIXI,)))["products"]
    in_suixi = set(dataset.villages.loc[dataset.villages["county_code"] == SUIXI, "code"])
    assert set(suixi) == {p["product"] for p in records(dataset.products) if p["village_code"] in in_suixi}
    assert "火龙果" in suixi and len(suixi) < len(filters.options(dataset, VillageFilter())["products"])
