"""The demo against the public facts it uses (../shared/reference/public-facts.md).

The facts are typed here from that file, not read from the code under test (public_facts.py),
so a fact copied wrongly into the code fails. Where the reference file is at hand (beside the
repository: not on a clean clone), the facts typed here are checked against it too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import shapely

from fupin_geo import config
from fupin_geo.analysis import cooperation, profile
from fupin_geo.data import geodata, public_facts
from fupin_geo.maps import common

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "public-facts.md"

# county -> (at least this many poverty villages, the address of the source)
BOUNDS = {"440882": (49, "gdzjdaily.com.cn/p/2774890.html"),  # 雷州市
          "440825": (16, "gdzjdaily.com.cn/p/2784514.html"),  # 徐闻县
          "440881": (46, "victorzhang.cn/page/2020/0528/6709917.shtml")}  # 廉江市
REFERENCE_COUNTY_NAMES = {"440882": "雷州市", "440825": "徐闻县", "440881": "廉江市"}
SANDUN = "440881108209"
SANDUN_ADDRESS = "gdzjdaily.com.cn/shizheng/p/2790002.html"
SANDUN_EXIT = "2019Q4"  # left the list on 2019-12-31
GUANHU = "440823115207"  # 官湖村, 遂溪县附城镇: publicly known as prosperous

LIANJIANG_ADDRESS = "juzitie.cn/p/2788074.html"
# 廉江市's provincial 专业村 of 2019: (town, village) -> (product, NBS code or None)
LIANJIANG_2019 = {
    ("高桥", "李村"): ("红橙", "440881112206"), ("高桥", "大冲"): ("红橙", None),
    ("高桥", "坡督"): ("红橙", "440881112204"), ("青平", "横坑"): ("红橙", "440881110210"),
    ("青平", "六旺"): ("红橙", "440881110216"), ("青平", "横桠埇"): ("红橙", "440881110201"),
    ("良垌", "黄茅"): ("荔枝", "440881106210"), ("良垌", "苑瑶"): ("荔枝", "440881106219"),
    ("石城", "罗笛埇"): ("荔枝", "440881101207"), ("石城", "谢茂"): ("荔枝", None),
    ("新民", "朗塘"): ("荔枝", "440881102209"), ("新民", "鸡笼塘"): ("荔枝", "440881102212"),
    ("石颈", "新屋"): ("茶叶", "440881115205"), ("长山", "李屋"): ("茶叶", "440881116213"),
    ("长山", "石滩"): ("茶叶", "440881116201"), ("营仔", "竹墩"): ("南美白对虾", "440881109203"),
    ("车板", "陆地"): ("南美白对虾", "440881111215"), ("石岭", "中山"): ("辣椒", "440881113224"),
    ("横山", "苏干山"): ("辣椒", "440881107214"), ("雅塘", "百丰山"): ("沃柑", "440881114206"),
    ("安铺", "急水"): ("水稻", "440881108210"), ("安铺", "老马"): ("木薯", "440881108208"),
    ("横山", "南圩"): ("蛋鸡", "440881107216"),
}
YUGONGLOU = ("440825104208", "菠萝", "m.gdzjdaily.com.cn/p/2792751.html")  # 徐闻县曲界镇愚公楼村
QUJIE = ("440825104", "菠萝", "handmsg.com/page/2021/0323/10289451.shtml")  # 徐闻县曲界镇
HONGCHENG_PARK = ("廉江市红橙现代农业产业园", "440881", "省", 2018, "juzitie.cn/p/2818729.html")

SUIXI, RONGAN, WUCHUAN, SANJIANG = "440823", "450224", "440883", "450226"
# name -> (pairing, the address of its source, year, amount in 万元; None: not published)
PROJECTS = {
    "遂融幼儿园": ((SUIXI, RONGAN), "tzchery.com/zdlyxxgk/xczx/content/post_1015483.html", None, None),
    "遂融小学": ((SUIXI, RONGAN), "tzchery.com/zdlyxxgk/xczx/content/post_1015483.html", None, None),
    "隘面扶贫微车间": ((SUIXI, RONGAN), "tzchery.com/zdlyxxgk/xczx/content/post_1015483.html", None, None),
    "大坡飞鸡种苗繁育基地": ((SUIXI, RONGAN), "8787sf.com/zdlyxxgk/xczx/content/post_1015498.html", None, None),
    "融嘉公司": ((SUIXI, RONGAN), "8787sf.com/zdlyxxgk/xczx/content/post_1015498.html", None, None),
}
BUYANG = ((WUCHUAN, SANJIANG), "qaarr.com/article/4602.html", 1100.0)  # 1,100万余元 in 布央村
PROJECTS_2017_2018 = 45
PURCHASES_2018_WAN = 3694.0
LIUZHOU_2018_ADDRESS = "m.yybnet.net/liuzhou/sanjiang/201811/8363700.html"
# 湛江's key leading enterprises in 2021, and the two national ones first named that year
LEADERS_2021 = {"国家": 9, "省": 102}
NATIONAL_NAMED_2021 = ("广东恒兴集团", "广东粤佳饲料")
LEADERS_ADDRESS = "m.163.com/dy/article/H0JT2V6E0534RQFQ.html"


def _by_code(frame):
    return frame.set_index("code")


# --- the facts typed here, against the reference file where it is at hand ----------------------
@pytest.fixture(scope="module")
def reference() -> str:
    if not REFERENCE.is_file():
        pytest.skip("../shared/reference/public-facts.md is not beside this checkout")
    return " ".join(REFERENCE.read_text(encoding="utf-8").split())


def test_bounds_and_named_village_are_the_references(reference):
    for county, (at_least, address) in BOUNDS.items():
        row = re.search(rf"\| {REFERENCE_COUNTY_NAMES[county]} \| (\d+) \| [^|]* \| [^|]*{re.escape(address)}",
                        reference)
        assert row and int(row.group(1)) == at_least, county
    assert f"三墩村 (NBS {SANDUN})" in reference and "2019-12-31" in reference and SANDUN_ADDRESS in reference
    assert "官湖村 (遂溪县附城镇) is publicly known as a prosperous village" in reference


def test_lianjiang_specialty_villages_are_the_references(reference):
    listing = reference.split("by product, town and village (NBS code where one matches exactly):")[1]
    listing = listing.split("- 廉江市红橙现代农业产业园")[0]
    parsed = {}
    for part in listing.split(" · "):
        product, places = part.split(":", 1)
        for group in places.split(";"):
            town, items = group.strip().split(" ", 1)
            for item in items.split(","):
                village, rest = item.strip().split(" ", 1)
                parsed[town, village] = (product.strip(), None if "no exact code" in rest else rest.strip(" ."))
    assert parsed == LIANJIANG_2019
    assert LIANJIANG_ADDRESS in reference and "first provincial 专业村" in reference


def test_towns_parks_and_projects_are_the_references(reference):
    assert "徐闻县曲界镇愚公楼村 (菠萝)" in reference and YUGONGLOU[2] in reference
    assert "徐闻县曲界镇 (菠萝)" in reference and QUJIE[2] in reference
    assert "廉江市红橙现代农业产业园 was in Guangdong's first batch of provincial parks (2018" in reference
    assert HONGCHENG_PARK[4] in reference
    for name in PROJECTS:
        assert name in reference, name
    assert "1,100万余元 into 布央村" in reference and BUYANG[1] in reference
    assert f"2017–18: {PROJECTS_2017_2018} projects on the 广东 side" in reference
    assert "(3,694万元 of orders)" in reference and LIUZHOU_2018_ADDRESS in reference


# --- the demo against the facts -----------------------------------------------------------------
def test_leader_totals_are_the_references(reference):
    assert "湛江 totals then: 9 national-level and 102 provincial" in reference and LEADERS_ADDRESS in reference
    assert "National key (第七批, 2021): 广东恒兴集团, 广东粤佳饲料" in reference


def test_no_more_leading_enterprises_by_level_than_published(demo_datasets):
    """The demo's 2019 has fewer national-level enterprises than 2021's nine, less the two named in 2021."""
    assert public_facts.NATIONAL_LEADERS_2021 == LEADERS_2021["国家"]
    assert public_facts.NATIONAL_LEADERS_NAMED_IN_2021 == NATIONAL_NAMED_2021
    for dataset in demo_datasets:
        levels = dataset.enterprises["level"].value_counts()
        assert levels.get("国家", 0) <= LEADERS_2021["国家"] - len(NATIONAL_NAMED_2021)
        assert levels.get("省", 0) <= LEADERS_2021["省"]
        assert not dataset.enterprises["name"].isin(NATIONAL_NAMED_2021).any()  # named in 2021, after the demo


def test_no_county_has_fewer_poverty_villages_than_published(demo_datasets):
    for dataset in demo_datasets:
        counts = dataset.villages["county_code"].value_counts()
        for county, (at_least, _) in BOUNDS.items():
            assert counts[county] >= at_least, (dataset.quarter, county, counts[county])
        assert len(dataset.villages) == 218
    # the code's own copy of the bounds agrees, with its source
    copied = {b.county_code: (b.at_least, b.source) for b in public_facts.POVERTY_VILLAGE_LOWER_BOUNDS}
    assert {c: n for c, (n, _) in copied.items()} == {c: n for c, (n, _) in BOUNDS.items()}
    assert all(address in copied[c][1] for c, (_, address) in BOUNDS.items())


def test_sandun_is_a_public_poverty_village_that_leaves_the_list_in_2019q4(demo_datasets):
    for dataset in demo_datasets:
        village = _by_code(dataset.villages).loc[SANDUN]
        assert village["name"] == "三墩村" and village["county_code"] == "440881"
        assert village["town_code"] == "440881108"  # 安铺镇
        assert SANDUN_ADDRESS in village["source"] and village["source"] != config.DEMO_SOURCE
        assert village["position_quality"] == "近似"
        exited = village["exit_quarter"]
        if dataset.quarter < SANDUN_EXIT:
            assert not isinstance(exited, str), dataset.quarter
        else:
            assert exited == SANDUN_EXIT
    # no other village's 出列 is known
    last = demo_datasets[-1].villages
    assert last.loc[last["exit_quarter"].notna(), "code"].tolist() == [SANDUN]


def test_the_pages_show_sanduns_exit_from_2019q4_on(demo_datasets):
    before, last = demo_datasets[-2], demo_datasets[-1]
    assert profile.EXIT_LABEL not in profile.village_profile(before, SANDUN).indicators
    assert profile.village_profile(last, SANDUN).indicators[profile.EXIT_LABEL] == f"{SANDUN_EXIT} 已出列"
    tips = dict(zip(last.villages["code"], common.village_tips(last)))
    assert tips[SANDUN][-1] == f"{SANDUN_EXIT} 已出列"
    assert all(len(lines) == 2 for code, lines in tips.items() if code != SANDUN)


def test_a_village_known_as_prosperous_is_never_a_poverty_village(demo_datasets):
    for dataset in demo_datasets:
        assert GUANHU not in set(dataset.villages["code"])


def test_named_specialty_villages_have_their_public_product_every_quarter(demo_datasets):
    named = {code: (product, LIANJIANG_ADDRESS) for product, code in LIANJIANG_2019.values() if code}
    named[YUGONGLOU[0]] = YUGONGLOU[1:]
    for dataset in demo_datasets:
        products = dataset.products[dataset.products["village_code"].isin(set(named))]
        # one record each: the public one (no invented product beside it)
        assert sorted(products["village_code"]) == sorted(named), dataset.quarter
        for record in products.itertuples():
            product, address = named[record.village_code]
            assert record.product == product and address in record.source, record
        # the layer shows them: each is one of the quarter's villages (in its own town)
        villages = _by_code(dataset.villages)
        assert set(named) <= set(villages.index)
        units = geodata.village_units(config.ZHANJIANG).set_index("code")
        assert (villages.loc[list(named), "town_code"] == units.loc[list(named), "town_code"]).all()
    # the two without an NBS code are listed as such, and no record pretends to be them
    without = {place for place, (_, code) in LIANJIANG_2019.items() if code is None}
    listed = {(v.town.removesuffix("镇"), v.village) for v in public_facts.SPECIALTY_VILLAGES if v.code is None}
    assert listed == without


def test_qujie_is_a_public_town_industry_with_its_source(demo_datasets):
    town, industry, address = QUJIE
    for dataset in demo_datasets:
        (record,) = dataset.town_industries[dataset.town_industries["town_code"] == town].itertuples()
        assert record.industry == industry and record.county_code == "440825" and address in record.source
        # the 一镇一业 label is drawn at the town's villages: it has one
        assert town in set(dataset.villages["town_code"])


def test_the_hongcheng_park_joins_the_parks(demo_datasets):
    name, county, level, year, address = HONGCHENG_PARK
    counties = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    for dataset in demo_datasets:
        park = dataset.parks.set_index("name").loc[name]
        assert (park["county_code"], park["level"], park["year"]) == (county, level, year)
        assert address in park["source"] and park["position_quality"] == "近似（县城）"
        assert shapely.contains_xy(counties[county], park["lon"], park["lat"])


def test_zhanliu_projects_are_the_published_ones_with_their_source(dataset):
    projects = dataset.cooperation_projects.set_index("name")
    for name, (pair, address, year, amount) in PROJECTS.items():
        record = projects.loc[name]
        assert (record["zj_county_code"], record["lz_county_code"]) == pair, name
        assert address in record["source"], name
        assert (None if record.isna()["year"] else record["year"]) == year, name
        assert (None if record.isna()["amount_wan"] else record["amount_wan"]) == amount, name
    (buyang,) = dataset.cooperation_projects[dataset.cooperation_projects["name"].str.contains("布央村")].itertuples()
    assert ((buyang.zj_county_code, buyang.lz_county_code), buyang.amount_wan) == (BUYANG[0], BUYANG[2])
    assert BUYANG[1] in buyang.source
    # the rest is invented and says so
    public = dataset.cooperation_projects["source"] != config.DEMO_SOURCE
    assert public.sum() == len(PROJECTS) + 1
    invented = dataset.cooperation_projects[~public]
    assert invented["year"].notna().all() and invented["amount_wan"].notna().all()


def test_zhanliu_figures_add_up_to_the_published_ones(demo_datasets):
    for dataset in demo_datasets:
        projects = dataset.cooperation_projects
        assert projects["year"].isin([2017, 2018]).sum() == PROJECTS_2017_2018
        flows = dataset.cooperation_flows
        purchases = flows[(flows["kind"] == "消费扶贫") & (flows["year"] == 2018)]
        assert len(purchases) == 3 and purchases["amount"].sum() == pytest.approx(PURCHASES_2018_WAN)
        # and the page's table by year shows them
        per_year = cooperation.by_year(dataset).set_index("年份")
        assert per_year.loc[2017, "项目数"] + per_year.loc[2018, "项目数"] == PROJECTS_2017_2018
        assert per_year.loc[2018, "消费扶贫（万元）"] == pytest.approx(PURCHASES_2018_WAN)
        assert per_year["项目数"].sum() == len(projects)
        # a pairing's funds of a year hold its published projects of that year
        funds = flows[flows["kind"] == "帮扶资金"].set_index(["zj_county_code", "year"])["amount"]
        for name, ((zj, _), _, year, amount) in PROJECTS.items():
            if year is not None and amount is not None:
                assert funds[zj, year] >= amount, name


def test_no_invented_record_carries_a_public_records_name(demo_datasets):
    for dataset in demo_datasets:
        for name, frame in dataset.frames().items():
            if "name" not in frame:
                continue
            public = set(frame.loc[frame["source"] != config.DEMO_SOURCE, "name"])
            invented = set(frame.loc[frame["source"] == config.DEMO_SOURCE, "name"])
            assert not public & invented, (dataset.quarter, name, public & invented)
        # nor a public product, town industry or poverty village under its key
        for frame, key in ((dataset.products, "village_code"), (dataset.town_industries, "town_code"),
                           (dataset.villages, "code")):
            public = set(frame.loc[frame["source"] != config.DEMO_SOURCE, key])
            assert not public & set(frame.loc[frame["source"] == config.DEMO_SOURCE, key]), key


def test_the_banner_counts_the_public_records(dataset):
    counts = {label: (public, invented) for label, public, invented in dataset.records_by_source()}
    coded = sum(code is not None for _, code in LIANJIANG_2019.values()) + 1  # and 愚公楼村
    assert counts["一村一品"][0] == coded
    assert counts["一镇一业"][0] == 1 and counts["贫困村"] == (1, len(dataset.villages) - 1)
    assert counts["湛柳协作项目"][0] == len(PROJECTS) + 1
