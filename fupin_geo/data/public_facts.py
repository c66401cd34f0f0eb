"""Public facts the demo data set honours, each with the page it was read from.

Copied from the project's shared reference (public-facts.md, beside the repository, which a
clean clone does not have), so the demo and its tests need nothing outside the repository.
Nothing here is the bureau's ledger: which
villages are poor and every figure of a village stay invented (demo.py).

How the demo uses each fact is described in docs/demo-data.md.
"""
from __future__ import annotations

from dataclasses import dataclass

# --- poverty villages: per county, published lower bounds (not the list) ---------------------


@dataclass(frozen=True)
class LowerBound:
    county_code: str
    at_least: int
    counts: str  # what the published figure counts
    source: str
    confidence: str  # as the reference grades it


POVERTY_VILLAGE_LOWER_BOUNDS = (
    LowerBound("440882", 49, "顺德帮扶的贫困村（4,474户 / 17,119人）",
               "湛江日报 2019-12-27，https://www.gdzjdaily.com.cn/p/2774890.html", "high"),
    LowerBound("440825", 16, "顺德帮扶的省定贫困村，2019年全部出列",
               "湛江日报，https://www.gdzjdaily.com.cn/p/2784514.html", "high"),
    LowerBound("440881", 46, "禅城帮扶的13个镇的相对贫困村（3,794户 / 11,047人）",
               "转载，http://www.victorzhang.cn/page/2020/0528/6709917.shtml", "medium"),
)
# Villages 佛山 helped across 湛江: a lower bound of the city's total.
FOSHAN_HELPED_VILLAGES = LowerBound("440800", 163, "佛山帮扶的贫困村（全市）",
                                    "佛山日报转载，http://m.kcqsx.com/zhanjiang/201906/570624.html",
                                    "medium-high")


# 湛江's national and provincial key leading enterprises in 2021 (9 and 102). The demo's year is
# 2019, before the 7th national batch (2021) that named two of the nine (广东恒兴集团, 广东粤佳饲料):
# at most 9 - 2 national-level enterprises then, and no more than 102 provincial ones.
SOURCE_LEADER_TOTALS = "2021年广东省重点农业龙头企业名单，公开网页 https://m.163.com/dy/article/H0JT2V6E0534RQFQ.html"
NATIONAL_LEADERS_2021 = 9
NATIONAL_LEADERS_NAMED_IN_2021 = ("广东恒兴集团", "广东粤佳饲料")
NATIONAL_LEADERS_BEFORE_2021 = NATIONAL_LEADERS_2021 - len(NATIONAL_LEADERS_NAMED_IN_2021)
PROVINCIAL_LEADERS_2021 = 102


@dataclass(frozen=True)
class NamedPovertyVillage:
    code: str
    name: str
    exit_quarter: str  # the quarter the village left the 省定贫困村 list in
    exit_date: str
    source: str


# The one village named publicly as a 省定贫困村, with the day it left the list.
SANDUN = NamedPovertyVillage(
    "440881108209", "三墩村", "2019Q4", "2019-12-31",
    "廉江市安铺镇三墩村为省定贫困村，2019-12-31 出列：湛江日报 "
    "https://www.gdzjdaily.com.cn/shizheng/p/2790002.html；户数、人口等数字为演示数据",
)
NAMED_POVERTY_VILLAGES = (SANDUN,)

# Villages publicly known as prosperous: the demo never makes them poverty villages.
PROSPEROUS_VILLAGES = {
    "440823115207": "遂溪县附城镇官湖村：2014年报道为村民统一建别墅的富裕村",
}

# --- 一村一品 and 一镇一业: named specialty villages and towns ---------------------------------
SOURCE_YUGONGLOU = ("全国一村一品示范村镇（第十批，2020），“我市唯一入选”：湛江日报 2020-11-22 "
                    "https://m.gdzjdaily.com.cn/p/2792751.html")
SOURCE_QUJIE = ("全国一村一品示范村镇（第十一批，2021）及全国乡村特色产业十亿元镇（2021），转载 "
                "http://m.handmsg.com/page/2021/0323/10289451.shtml")
SOURCE_LIANJIANG_2019 = ("廉江市首批省级“一村一品、一镇一业”专业村公示（2019年8月），转载 "
                         "http://m.juzitie.cn/p/2788074.html")


@dataclass(frozen=True)
class SpecialtyVillage:
    code: str | None  # NBS code; None where no village unit's name matches exactly
    town: str
    village: str
    product: str
    category: str
    source: str


def _lianjiang(code: str | None, town: str, village: str, product: str, category: str = "种植"):
    return SpecialtyVillage(code, town, village, product, category, SOURCE_LIANJIANG_2019)


SPECIALTY_VILLAGES = (
    SpecialtyVillage("440825104208", "曲界镇", "愚公楼", "菠萝", "种植", SOURCE_YUGONGLOU),
    _lianjiang("440881112206", "高桥镇", "李村", "红橙"),
    _lianjiang(None, "高桥镇", "大冲", "红橙"),
    _lianjiang("440881112204", "高桥镇", "坡督", "红橙"),
    _lianjiang("440881110210", "青平镇", "横坑", "红橙"),
    _lianjiang("440881110216", "青平镇", "六旺", "红橙"),
    _lianjiang("440881110201", "青平镇", "横桠埇", "红橙"),
    _lianjiang("440881106210", "良垌镇", "黄茅", "荔枝"),
    _lianjiang("440881106219", "良垌镇", "苑瑶", "荔枝"),
    _lianjiang("440881101207", "石城镇", "罗笛埇", "荔枝"),
    _lianjiang(None, "石城镇", "谢茂", "荔枝"),
    _lianjiang("440881102209", "新民镇", "朗塘", "荔枝"),
    _lianjiang("440881102212", "新民镇", "鸡笼塘", "荔枝"),
    _lianjiang("440881115205", "石颈镇", "新屋", "茶叶"),
    _lianjiang("440881116213", "长山镇", "李屋", "茶叶"),
    _lianjiang("440881116201", "长山镇", "石滩", "茶叶"),
    _lianjiang("440881109203", "营仔镇", "竹墩", "南美白对虾", "水产"),
    _lianjiang("440881111215", "车板镇", "陆地", "南美白对虾", "水产"),
    _lianjiang("440881113224", "石岭镇", "中山", "辣椒"),
    _lianjiang("440881107214", "横山镇", "苏干山", "辣椒"),
    _lianjiang("440881114206", "雅塘镇", "百丰山", "沃柑"),
    _lianjiang("440881108210", "安铺镇", "急水", "水稻"),
    _lianjiang("440881108208", "安铺镇", "老马", "木薯"),
    _lianjiang("440881107216", "横山镇", "南圩", "蛋鸡", "畜牧"),
)
# The ones a record can hold: a 一村一品 record needs its village's code.
CODED_SPECIALTY_VILLAGES = tuple(v for v in SPECIALTY_VILLAGES if v.code)


@dataclass(frozen=True)
class SpecialtyTown:
    town_code: str
    county_code: str
    name: str
    industry: str
    category: str
    source: str


SPECIALTY_TOWNS = (SpecialtyTown("440825104", "440825", "曲界镇", "菠萝", "种植", SOURCE_QUJIE),)

# --- parks not in the 2019–2021 lists demo.PARKS already holds ---------------------------------
SOURCE_PARKS_2018 = "广东省首批省级现代农业产业园（2018），转载 http://m.juzitie.cn/p/2818729.html"
HONGCHENG_PARK = ("廉江市红橙现代农业产业园", "省", "红橙", "440881", 2018, SOURCE_PARKS_2018)

# --- 湛柳 pairing: named projects and published figures ----------------------------------------
SOURCE_LIUZHOU_2018 = "柳州日报 2018-11-20，转载 http://m.yybnet.net/liuzhou/sanjiang/201811/8363700.html"
# The reference names the five 遂溪–融安 projects from these two pages together, with no year or
# amount: the demo gives them none (a figure not published is not made up).
SOURCE_RONGAN_PROJECTS = ("融安县政府网页，转载 http://tzchery.com/zdlyxxgk/xczx/content/post_1015483.html、"
                          "http://8787sf.com/zdlyxxgk/xczx/content/post_1015498.html")
SOURCE_BUYANG = "新春走基层：吴川、三江投入1,100万余元发展布央村“茶+旅游”，https://www.qaarr.com/article/4602.html"


@dataclass(frozen=True)
class CooperationProject:
    name: str
    zj_county_code: str
    lz_county_code: str
    work_area: str  # one of config.COOPERATION_WORK_AREAS
    year: int | None  # the year a source shows it under way; None: not published or several years
    amount_wan: float | None  # None: not published
    source: str


COOPERATION_PROJECTS = (
    CooperationProject("遂融幼儿园", "440823", "450224", "教育", None, None, SOURCE_RONGAN_PROJECTS),
    CooperationProject("遂融小学", "440823", "450224", "教育", None, None, SOURCE_RONGAN_PROJECTS),
    CooperationProject("隘面扶贫微车间", "440823", "450224", "劳务协作", None, None, SOURCE_RONGAN_PROJECTS),
    CooperationProject("大坡飞鸡种苗繁育基地", "440823", "450224", "产业合作", None, None, SOURCE_RONGAN_PROJECTS),
    CooperationProject("融嘉公司", "440823", "450224", "产业合作", None, None, SOURCE_RONGAN_PROJECTS),
    # "1,100万余元" over several years: more than 1,100
    CooperationProject("布央村“茶+旅游”产业（1,100万余元）", "440883", "450226", "产业合作", None, 1100.0,
                       SOURCE_BUYANG),
)

# 2017–18: projects on the 广东 side of the pairing (all three pairs), and what it achieved.
PROJECTS_2017_2018 = (45, SOURCE_LIUZHOU_2018)
PROJECT_YEARS_PUBLISHED = (2017, 2018)
# 2018: orders 柳州's 27 agricultural enterprises took at fairs in 广东 (万元): the only published
# purchase of 柳州 products in a year of the demo, so the demo's 消费扶贫 of 2018 adds up to it.
PURCHASES_2018_WAN = (3694.0, SOURCE_LIUZHOU_2018)
# Published, but counted in a way no record holds (not in the demo):
# people lifted out of poverty 2017–18 (42,600), 湛江 enterprises at 柳州's fair in 2018 (8),
# job lists sent in 2018 (6, 13,625 jobs: offered, not filled). docs/demo-data.md lists them.
