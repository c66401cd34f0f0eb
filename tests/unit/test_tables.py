"""tables: the 产业地图's village list, one row per village, Chinese column names."""
from __future__ import annotations

from fupin_geo import config
from fupin_geo.analysis import filters, tables
from fupin_geo.analysis.filters import VillageFilter
from fupin_geo.data import geodata

COLUMNS = ["村名", "县（市、区）", "镇（街道）", "一村一品", "类别", "贫困户", "合作社", "代码"]


def a_real_town(county_code: str) -> tuple[str, str]:
    towns = geodata.towns(config.ZHANJIANG)
    row = towns[towns["county_code"] == county_code].iloc[0]
    return row["code"], row["name"]


def test_hand_made_villages(make_dataset):
    town_code, town = a_real_town("440825")
    dataset = make_dataset(
        [dict(code="440825101201", name="乙村", county_code="440825", town_code=town_code, poor_households=37),
         dict(code="440825101202", name="甲村", county_code="440825", town_code=town_code, poor_households=5),
         dict(code="440882101203", name="丙村", county_code="440882", town_code="440882999")],
        products=[dict(village_code="440825101201", product="良姜", category="种植"),
                  dict(village_code="440825101201", product="菠萝", category="种植"),
                  dict(village_code="440825101202", product="对虾", category="水产")],
        cooperatives=[dict(id=f"C{i}", name=name, village_code="440825101201", lon=110.2, lat=20.4, members=50,
                           poor_members=30, is_poverty_coop=True) for i, name in enumerate(["一社", "二社"])],
    )
    table = tables.village_table(dataset)
    assert list(table.columns) == COLUMNS
    rows = {row["代码"]: row for row in table.to_dict("records")}
    assert rows["440825101201"] == {
        "村名": "乙村", "县（市、区）": "徐闻县", "镇（街道）": town, "一村一品": "良姜、菠萝", "类别": "种植",
        "贫困户": 37, "合作社": "一社、二社", "代码": "440825101201"}
    assert rows["440825101202"]["一村一品"] == "对虾" and rows["440825101202"]["类别"] == "水产"
    assert rows["440825101202"]["合作社"] == "—"
    # no product: said so; an unknown town: its code rather than nothing
    assert rows["440882101203"]["一村一品"] == config.NO_INDUSTRY_LABEL
    assert rows["440882101203"]["类别"] == config.NO_INDUSTRY_LABEL
    assert rows["440882101203"]["镇（街道）"] == "440882999"
    assert rows["440882101203"]["县（市、区）"] == "雷州市"


def test_sorted_by_county_town_and_name(make_dataset):
    town_code, _ = a_real_town("440825")
    dataset = make_dataset([dict(name="乙村", county_code="440825", town_code=town_code),
                            dict(name="甲村", county_code="440825", town_code=town_code),
                            dict(name="丙村")])
    table = tables.village_table(dataset)
    keys = list(zip(table["县（市、区）"], table["镇（街道）"], table["村名"]))
    assert keys == sorted(keys)
    assert list(table.index) == list(range(len(table)))


def test_demo_table_has_one_row_per_village(dataset):
    table = tables.village_table(dataset)
    assert len(table) == len(dataset.villages) == 218
    assert sorted(table["代码"]) == sorted(dataset.villages["code"])
    assert table["贫困户"].sum() == dataset.villages["poor_households"].sum()
    assert table["县（市、区）"].nunique() == 9
    without = set(dataset.villages["code"]) - set(dataset.products["village_code"])
    assert set(table.loc[table["一村一品"] == config.NO_INDUSTRY_LABEL, "代码"]) == without


def test_table_of_a_filtered_dataset(dataset):
    shown = filters.apply(dataset, VillageFilter(counties=("440823",), products=("火龙果",)))
    table = tables.village_table(shown)
    assert sorted(table["代码"]) == sorted(shown.villages["code"]) and len(table) > 0
    assert (table["县（市、区）"] == "遂溪县").all()
    assert (table["一村一品"] == "火龙果").all()  # only the chosen product is listed
