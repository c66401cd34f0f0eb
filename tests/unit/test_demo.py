"""The demo data set: deterministic, plausible, and marked as demo everywhere."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import wkt

from fupin_geo import config
from fupin_geo.analysis import indicators
from fupin_geo.data import demo, geodata

COUNTY = {  # name -> adcode, written out here rather than read from the code under test
    "赤坎": "440802", "霞山": "440803", "坡头": "440804", "麻章": "440811", "遂溪": "440823",
    "徐闻": "440825", "廉江": "440881", "雷州": "440882", "吴川": "440883",
}
BIG_FOUR = {COUNTY[n] for n in ("雷州", "廉江", "遂溪", "徐闻")}

# Well-known specialities and where they are grown (徐闻菠萝 and 良姜, 遂溪火龙果, 廉江红橙):
# a demo that put them elsewhere would look wrong to anyone from 湛江.
SPECIALITY_COUNTY = {"菠萝": "徐闻", "良姜": "徐闻", "火龙果": "遂溪", "红橙": "廉江"}


@pytest.fixture(scope="module")
def counties():
    return geodata.counties(config.ZHANJIANG).set_index("adcode")


def test_two_builds_are_equal(demo_datasets):
    again = demo.build_demo()
    assert [d.quarter for d in again] == [d.quarter for d in demo_datasets]
    for first, second in zip(demo_datasets, again):
        for name, frame in first.frames().items():
            pd.testing.assert_frame_equal(frame, second.frames()[name], obj=f"{first.quarter} {name}")


def test_four_quarters_of_the_plan_year(demo_datasets):
    assert [d.quarter for d in demo_datasets] == ["2019Q1", "2019Q2", "2019Q3", "2019Q4"]
    for dataset in demo_datasets:
        for name, frame in dataset.frames().items():
            assert set(frame["quarter"]) <= {dataset.quarter}, name


def test_218_villages_per_quarter_in_the_nine_counties(demo_datasets):
    for dataset in demo_datasets:
        villages = dataset.villages
        assert len(villages) == 218
        assert villages["code"].is_unique
        assert set(villages["county_code"]) == set(COUNTY.values())
    # the same villages all year
    codes = [sorted(d.villages["code"]) for d in demo_datasets]
    assert all(c == codes[0] for c in codes)


def test_most_villages_are_in_the_four_big_rural_counties(dataset):
    counts = dataset.villages["county_code"].value_counts()
    assert counts[list(BIG_FOUR)].sum() > 0.75 * 218
    smallest_big = counts[list(BIG_FOUR)].min()
    assert all(counts[c] < smallest_big for c in set(COUNTY.values()) - BIG_FOUR)


def test_names_are_real_village_committees_of_their_county_and_town(dataset):
    units = geodata.village_units(config.ZHANJIANG).set_index("code")
    villages = dataset.villages
    assert villages["code"].isin(units.index).all()
    unit = units.loc[villages["code"]]
    assert (unit["county_code"].to_numpy() == villages["county_code"].to_numpy()).all()
    assert (unit["town_code"].to_numpy() == villages["town_code"].to_numpy()).all()
    # the unit's short name as a village: "北和" -> "北和村", and "X村" stays "X村" (no "村村")
    for name, short in zip(villages["name"], unit["short_name"]):
        assert name in (short, short + "村") and name.endswith("村") and not name.endswith("村村"), name
    assert unit["name"].str.contains("村委会|村民委员会").all()  # no urban 社区
    assert villages["code"].str[:6].eq(villages["county_code"]).all()


def test_every_village_lies_inside_its_own_county(dataset, counties):
    villages = dataset.villages
    for county_code, group in villages.groupby("county_code"):
        polygon = counties.geometry[county_code]
        inside = shapely.contains_xy(polygon, group["lon"].to_numpy(), group["lat"].to_numpy())
        assert inside.all(), group.loc[~inside, "name"].tolist()


def test_positions_are_marked_approximate_and_not_piled_up(dataset):
    villages = dataset.villages
    assert set(villages["position_quality"]) == {"近似"}
    assert not villages.duplicated(["lon", "lat"]).any()
    assert (villages["lon"].round(config.COORD_DECIMALS) == villages["lon"]).all()


# Public facts from ../shared/reference/public-facts.md, typed here from that file (not read
# from the code under test): name -> (county, level, year, the address in its source).
PUBLIC_PARKS = {
    "坡头区莲藕产业园": ("坡头", "省", 2019, "xinyinsha.com/cms/show-1800.html"),
    "吴川市生猪产业园": ("吴川", "省", 2019, "xinyinsha.com/cms/show-1800.html"),
    "徐闻县良姜产业园": ("徐闻", "省", 2019, "xinyinsha.com/cms/show-1800.html"),
    "廉江市茶叶产业园": ("廉江", "省", 2020, "gdsnjx.com/pub/detail/1138"),
    "正大集团（遂溪）生猪产业园": ("遂溪", "省", 2020, "gdsnjx.com/pub/detail/1138"),
    "广东菠萝跨县集群产业园（湛江垦区）": ("徐闻", "省", 2021, "shiwuwuguihua.com/showinfo-98-65024-0.html"),
    "吴川市水禽产业园": ("吴川", "省", 2021, "shiwuwuguihua.com/showinfo-98-65024-0.html"),
    "廉江市丝苗米产业园": ("廉江", "省", 2021, "shiwuwuguihua.com/showinfo-98-65024-0.html"),
    "雷州市芒果产业园": ("雷州", "省", 2021, "shiwuwuguihua.com/showinfo-98-65024-0.html"),
    "湛江市坡头区现代农业产业园": ("坡头", "国家", 2022, "millafan.com/wanboguanwangmanbetx/p/2819039.html"),
    "廉江市红橙现代农业产业园": ("廉江", "省", 2018, "juzitie.cn/p/2818729.html"),
}
PUBLIC_ENTERPRISES = {"徐闻聚丰食品": "徐闻", "廉江市鸿盛农业": "廉江"}
PUBLIC_CAGE_AREAS = {"流沙湾深水网箱区", "草潭深水网箱区", "东海岛深水网箱区", "特呈—南三深水网箱区"}


def test_every_record_is_demo_or_public_with_its_source(demo_datasets):
    # the later public facts' tables: tests/unit/test_public_facts.py checks their records
    later = {"villages", "products", "town_industries", "cooperation_projects"}
    public_tables = {"parks", "enterprises", "aquaculture", "pairings"} | later
    for dataset in demo_datasets:
        for name, frame in dataset.frames().items():
            if name not in public_tables:
                assert set(frame["source"]) <= {config.DEMO_SOURCE}, name
        assert set(dataset.pairings["source"]) == {demo.PAIRING_SOURCE}
        public = {"parks": set(PUBLIC_PARKS), "enterprises": set(PUBLIC_ENTERPRISES),
                  "aquaculture": PUBLIC_CAGE_AREAS}
        for name, names in public.items():
            frame = getattr(dataset, name)
            invented = frame["source"] == config.DEMO_SOURCE
            assert set(frame.loc[~invented, "name"]) == names, name
            assert frame.loc[~invented, "source"].str.contains("http").all(), name
            # invented records are there too, and keep the demo source
            assert invented.any(), name
        for name in later:
            frame = getattr(dataset, name)
            invented = frame["source"] == config.DEMO_SOURCE
            assert invented.any() and frame.loc[~invented, "source"].str.contains("http").all(), name
        # demo_records keeps its meaning: the records whose source is 演示数据
        assert dataset.demo_records == sum(int((f["source"] == config.DEMO_SOURCE).sum())
                                           for f in dataset.frames().values())
        parks = len(dataset.parks)
        assert ("现代农业产业园", len(PUBLIC_PARKS), parks - len(PUBLIC_PARKS)) in dataset.records_by_source()


def test_public_parks_are_the_listed_ones_near_their_county_seat(dataset, counties):
    parks = dataset.parks.set_index("name")
    for name, (county, level, year, address) in PUBLIC_PARKS.items():
        park = parks.loc[name]
        assert park["county_code"] == COUNTY[county] and park["level"] == level and park["year"] == year, name
        assert address in park["source"], name
        assert park["position_quality"] == "近似（县城）", name
        assert shapely.contains_xy(counties.geometry[park["county_code"]], park["lon"], park["lat"]), name
    # what the pages' examples rely on: 遂溪 has a 火龙果 park (invented, and saying so)
    (dragon,) = parks[parks["product"] == "火龙果"].itertuples()
    assert dragon.county_code == COUNTY["遂溪"] and dragon.source == config.DEMO_SOURCE
    # two records at one county seat are not drawn on top of each other
    assert not dataset.parks.duplicated(["lon", "lat"]).any()


def test_public_enterprises_and_cage_areas_say_where_they_come_from(dataset, counties):
    enterprises = dataset.enterprises.set_index("name")
    for name, county in PUBLIC_ENTERPRISES.items():
        enterprise = enterprises.loc[name]
        assert enterprise["county_code"] == COUNTY[county] and enterprise["level"] == "省"
        assert "m.163.com/dy/article/H0JT2V6E0534RQFQ" in enterprise["source"]
        assert enterprise["position_quality"] == "近似（县城）"
        assert shapely.contains_xy(counties.geometry[enterprise["county_code"]], enterprise["lon"], enterprise["lat"])
    positions = pd.concat([dataset.parks[["lon", "lat"]], dataset.enterprises[["lon", "lat"]]])
    assert not positions.duplicated().any()
    cages = dataset.aquaculture[dataset.aquaculture["name"].isin(PUBLIC_CAGE_AREAS)]
    assert (cages["position_quality"] == "示意范围").all()
    assert cages["source"].str.contains("zoonxw.com/Article/Print.asp").all()


def test_pairings_are_the_three_public_ones(dataset):
    pairs = set(zip(dataset.pairings["zj_county_code"], dataset.pairings["lz_county_code"]))
    liuzhou = dict(zip(geodata.counties(config.LIUZHOU)["adcode"], geodata.counties(config.LIUZHOU)["name"]))
    named = {(geodata.county_name(zj)[:2], liuzhou[lz][:2]) for zj, lz in pairs}
    assert named == {("吴川", "三江"), ("遂溪", "融安"), ("廉江", "融水")}


def test_products_fit_their_county(demo_datasets):
    name_of = {code: name for name, code in COUNTY.items()}
    for dataset in demo_datasets:
        joined = dataset.products.merge(dataset.villages[["code", "county_code"]],
                                        left_on="village_code", right_on="code")
        assert len(joined) == len(dataset.products)  # every product belongs to a demo village
        for product, county in SPECIALITY_COUNTY.items():
            where = {name_of[c] for c in joined.loc[joined["product"] == product, "county_code"]}
            assert where <= {county}, (product, where)
    last = demo_datasets[-1].products.merge(demo_datasets[-1].villages, left_on="village_code", right_on="code")
    xuwen = set(last.loc[last["county_code"] == COUNTY["徐闻"], "product"])
    assert {"菠萝", "良姜"} <= xuwen
    assert "火龙果" in set(last.loc[last["county_code"] == COUNTY["遂溪"], "product"])


def test_cage_areas_are_at_sea_near_their_county(dataset, counties):
    cages = dataset.aquaculture[dataset.aquaculture["kind"] == "深水网箱"]
    assert len(cages) >= 3
    land = shapely.union_all(counties.geometry.values)
    for cage in cages.itertuples():
        area = wkt.loads(cage.geometry_wkt)
        assert area.geom_type == "Polygon" and area.is_valid
        assert not area.intersects(land), cage.name
        # at sea, but in that county's own waters: within ~20 km of its coast
        assert area.distance(counties.geometry[cage.county_code]) < 0.2, cage.name
        # the stated area matches the polygon (1 mu = 666.67 m²; ±5 % for the projection)
        metres = area.area * (111_320**2) * np.cos(np.radians(area.centroid.y))
        assert cage.area_mu == pytest.approx(metres / 666.67, rel=0.05)


def test_indicators_improve_from_q1_to_q4(demo_datasets):
    quarters = list(config.PLAN_QUARTERS)
    per_quarter = [{k.target.key: k.value for k in indicators.compute_kpis(d, quarters)}
                   for d in demo_datasets]
    shares = [t.key for t in config.TARGETS if t.unit == "%"]
    for key in shares:
        series = [values[key] for values in per_quarter]
        assert all(a <= b for a, b in zip(series, series[1:])), (key, series)
        assert series[-1] > series[0], (key, series)
    # not finished yet in Q1, so the map has something to show
    assert per_quarter[0]["industry"] < 1.0


def test_linked_villages_and_cooperatives_exist_in_the_quarter(dataset):
    codes = set(dataset.villages["code"])
    for frame in (dataset.products, dataset.cooperatives, dataset.linkages, dataset.park_villages):
        assert set(frame["village_code"]) <= codes
    assert set(dataset.park_villages["park_id"]) <= set(dataset.parks["id"])
    enterprise_links = dataset.linkages[dataset.linkages["source_type"] == "企业"]
    assert set(enterprise_links["source_id"]) <= set(dataset.enterprises["id"])
    # a village's cooperative cannot have more poor members than the village has poor households
    merged = dataset.cooperatives.merge(dataset.villages, left_on="village_code", right_on="code")
    assert (merged["poor_members"] <= merged["poor_households"]).all()


# --- infrastructure and measure status (issue 8) ------------------------------------------------
def test_infrastructure_row_for_every_village_each_quarter(demo_datasets):
    for dataset in demo_datasets:
        assert sorted(dataset.village_infrastructure["village_code"]) == sorted(dataset.villages["code"])
        insured = dataset.village_infrastructure.set_index("village_code")["insured_poor_households"]
        poor = dataset.villages.set_index("code")["poor_households"]
        assert (insured <= poor.reindex(insured.index)).all()


def test_infrastructure_improves_but_some_villages_fall_back(demo_datasets):
    from fupin_geo.analysis import infrastructure

    first, last = (infrastructure.village_values(d) for d in (demo_datasets[0], demo_datasets[-1]))
    for key in ("yishiyiyi", "road", "ecommerce", "cold_storage", "insurance", "farmland"):
        assert last[f"{key}_below"].sum() < first[f"{key}_below"].sum(), key
    # e-commerce points close in a few villages from one quarter to the next
    lost = [(~a["ecommerce_below"].to_numpy() & b["ecommerce_below"].to_numpy()).sum()
            for a, b in zip(map(infrastructure.village_values, demo_datasets[:-1]),
                            map(infrastructure.village_values, demo_datasets[1:]))]
    assert sum(lost) > 0


def test_every_measure_has_a_status_and_a_note_each_quarter(demo_datasets):
    for dataset in demo_datasets:
        status = dataset.measure_status
        assert sorted(status["measure"]) == list(range(1, 28))
        assert set(status["status"]) <= set(config.MEASURE_STATUSES)
        assert status["note"].str.len().gt(0).all()
        assert (status["source"] == config.DEMO_SOURCE).all()
