"""The seeded demo data set: real counties, towns and village names; invented figures.

Nothing here is the bureau's data. Every invented record's `source` is config.DEMO_SOURCE.
Public facts (../shared/reference/public-facts.md; those added later live in public_facts.py)
take the place of invented records where they fit: provincial and national parks, leading
enterprises whose county is in their name, the named deep-water cage areas, the 湛柳 pairings
and named projects, the one publicly named poverty village, the named 一村一品 villages and
一镇一业 town. Their `source` names the page they come from; their positions are approximate
(county seat, or a sketched area in the named waters) and their `position_quality` says so.
What links them to villages stays invented. Published counts constrain the invented records
(docs/demo-data.md lists them). The same seed always gives the same records, so tests and
screenshots are stable.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from .. import config
from . import geodata, public_facts
from .dataset import Dataset

SEED = 2019

# How many of the 218 villages each county gets: most in the four big rural counties, few in
# the city districts (plausible proportions, not the official list), never fewer than a
# published lower bound (public_facts.POVERTY_VILLAGE_LOWER_BOUNDS).
VILLAGES_PER_COUNTY = {
    "440882": 60,  # 雷州
    "440881": 46,  # 廉江
    "440823": 36,  # 遂溪
    "440825": 32,  # 徐闻
    "440883": 18,  # 吴川
    "440804": 12,  # 坡头
    "440811": 10,  # 麻章
    "440803": 3,  # 霞山
    "440802": 1,  # 赤坎
}

# Villages always in the demo: the publicly named poverty village 三墩村 (the search example
# users are shown, "sandun"), and the named 一村一品 villages, so the layer (which shows
# poverty villages) can show their public records; their poverty status is as invented as
# any other village's.
FEATURED_VILLAGES = (*(v.code for v in public_facts.NAMED_POVERTY_VILLAGES),
                     *(v.code for v in public_facts.CODED_SPECIALTY_VILLAGES))
# Villages the demo never makes poor: publicly known as prosperous.
EXCLUDED_VILLAGES = tuple(public_facts.PROSPEROUS_VILLAGES)

# Products that fit each county: (product, category).
COUNTY_PRODUCTS = {
    "440825": [("菠萝", "种植"), ("良姜", "种植"), ("对虾", "水产"), ("菠萝电商", "电商")],
    "440881": [("红橙", "种植"), ("荔枝", "种植"), ("茶叶", "种植"), ("生猪", "畜牧")],
    "440823": [("火龙果", "种植"), ("甘蔗", "种植"), ("对虾", "水产"), ("蔗糖加工", "加工")],
    "440882": [("芒果", "种植"), ("番薯", "种植"), ("雷州山羊", "畜牧"), ("对虾", "水产")],
    "440883": [("水禽", "畜牧"), ("生猪", "畜牧"), ("吴川月饼", "加工"), ("海鲜干货", "加工")],
    "440804": [("莲藕", "种植"), ("对虾", "水产"), ("渔家乐", "乡村旅游")],
    "440811": [("对虾", "水产"), ("蔬菜", "种植"), ("农家乐", "乡村旅游")],
    "440803": [("海鲜电商", "电商"), ("渔家乐", "乡村旅游")],
    "440802": [("蔬菜", "种植")],
}

# Share of villages with an industry, a cooperative, etc. in each quarter: the year improves.
QUARTER_PROGRESS = dict(zip(config.PLAN_QUARTERS, (0.78, 0.86, 0.92, 0.965)))

# Where the sources below were read (public web pages, often reprints of the official lists).
SOURCE_PARKS_2019 = "2019年广东省级现代农业产业园名单，公开网页 https://www.xinyinsha.com/cms/show-1800.html"
SOURCE_PARKS_2020 = "2020年广东省级现代农业产业园名单，公开网页 http://gdsnjx.com/pub/detail/1138"
SOURCE_PARKS_2021 = "2021年广东省级现代农业产业园名单，公开网页 http://shiwuwuguihua.com/showinfo-98-65024-0.html"
SOURCE_NATIONAL_PARKS = ("第四批国家现代农业产业园认定名单公示（2022-01-04），湛江晚报转载 "
                         "https://millafan.com/wanboguanwangmanbetx/p/2819039.html")
SOURCE_ENTERPRISES = "2021年广东省重点农业龙头企业名单，公开网页 https://m.163.com/dy/article/H0JT2V6E0534RQFQ.html"
SOURCE_CAGES = "广东省农业农村厅 / 南方日报，转载 http://zoonxw.com/Article/Print.asp?ArticleID=6669"

# County seats (the county-level government), WGS-84, to about 1 km: where a public record
# whose own site is not published is put. Each lies inside its county (tests/unit/test_demo.py).
COUNTY_SEATS = {
    "440802": (110.365, 21.266), "440803": (110.398, 21.192), "440804": (110.455, 21.245),
    "440811": (110.334, 21.264), "440823": (110.255, 21.377), "440825": (110.176, 20.326),
    "440881": (110.286, 21.611), "440882": (110.097, 20.914), "440883": (110.780, 21.441),
}
# Records put at the same county seat are spread this far apart (~1.5 km) to stay visible.
SEAT_STEP_DEG = (0.012, -0.008)

# Parks: (id, name, level, product, county, year, lead enterprises, source). Public: the
# provincial parks of 2019–2021 in 湛江 with one county (the 2020 深海网箱 park spans several
# coastal counties and is left out) and the national 坡头 park; the 遂溪 火龙果 park is invented.
PARKS = [
    ("P01", "坡头区莲藕产业园", "省", "莲藕", "440804", 2019, None, SOURCE_PARKS_2019),
    ("P02", "吴川市生猪产业园", "省", "生猪", "440883", 2019, None, SOURCE_PARKS_2019),
    ("P03", "徐闻县良姜产业园", "省", "良姜", "440825", 2019, None, SOURCE_PARKS_2019),
    ("P04", "廉江市茶叶产业园", "省", "茶叶", "440881", 2020, None, SOURCE_PARKS_2020),
    ("P05", "正大集团（遂溪）生猪产业园", "省", "生猪", "440823", 2020, None, SOURCE_PARKS_2020),
    ("P06", "广东菠萝跨县集群产业园（湛江垦区）", "省", "菠萝", "440825", 2021, None, SOURCE_PARKS_2021),
    ("P07", "吴川市水禽产业园", "省", "水禽", "440883", 2021, None, SOURCE_PARKS_2021),
    ("P08", "廉江市丝苗米产业园", "省", "丝苗米", "440881", 2021, None, SOURCE_PARKS_2021),
    ("P09", "雷州市芒果产业园", "省", "芒果", "440882", 2021, None, SOURCE_PARKS_2021),
    ("P10", "湛江市坡头区现代农业产业园", "国家", "对虾", "440804", 2022, None, SOURCE_NATIONAL_PARKS),
    ("P11", "遂溪火龙果产业园", "市", "火龙果", "440823", 2019, "遂溪果业有限公司", config.DEMO_SOURCE),
    ("P12", *public_facts.HONGCHENG_PARK[:5], None, public_facts.HONGCHENG_PARK[5]),
]

# Leading enterprises of the 2021 provincial list whose county their name says; each takes the
# place of the invented enterprise (county, index among its products): name, level, industry
# (from the name), processing (from the name).
PUBLIC_ENTERPRISES = {
    ("440825", 0): ("徐闻聚丰食品", "省", "食品加工", True),
    ("440881", 0): ("廉江市鸿盛农业", "省", "农业", False),
}

# 深水网箱 areas at sea named by the source: (name, county, lon, lat) near the named waters.
# The drawn areas are sketches; their areas in 亩 are those of the sketch.
CAGE_AREAS = [
    ("流沙湾深水网箱区", "440882", 109.93, 20.42),
    ("草潭深水网箱区", "440823", 109.74, 21.22),
    ("东海岛深水网箱区", "440811", 110.58, 20.98),
    ("特呈—南三深水网箱区", "440803", 110.47, 21.13),
]

# Other aquaculture sites on land: (name, kind, county, area in 亩) – invented.
SHORE_SITES = [
    ("坡头对虾高位池基地", "池塘", "440804", 1200.0),
    ("雷州对虾养殖池塘", "池塘", "440882", 2600.0),
    ("遂溪草潭池塘养殖区", "池塘", "440823", 1800.0),
    ("徐闻工厂化育苗场", "工厂化", "440825", 85.0),
    ("麻章工厂化循环水养殖场", "工厂化", "440811", 60.0),
]

# The Zhanjiang–Liuzhou pairing (public: the two cities' cooperation agreement).
PAIRINGS = [("440883", "450226"), ("440823", "450224"), ("440881", "450225")]
PAIRING_SOURCE = config.PAIRING_SOURCE
WORK_AREAS = config.COOPERATION_WORK_AREAS
# Years of the demo's cooperation records (the pairing began before the 2019 plan).
COOPERATION_YEARS = (2017, 2018, 2019)
# How the invented projects of the years a published total covers are spread over those
# years: 2017 weighs less, the pairing began in its September.
PROJECT_YEAR_WEIGHTS = {2017: 1, 2018: 2}
# Invented projects per pairing in a year no published total covers.
PROJECTS_PER_PAIRING = 6

# A village's approximate position: within this many degrees (~4 km) of its town's anchor.
TOWN_SPREAD_DEG = 0.04


def _rng(*parts) -> np.random.Generator:
    """A generator seeded from the parts, so each record is stable on its own."""
    digest = hashlib.sha256("|".join(map(str, (SEED, *parts))).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _point_in(polygon, rng: np.random.Generator, near=None, spread=None) -> tuple[float, float]:
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(1000):
        if near is None:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        else:
            x, y = near[0] + rng.uniform(-spread, spread), near[1] + rng.uniform(-spread, spread)
        if shapely.contains_xy(polygon, x, y):
            return round(float(x), config.COORD_DECIMALS), round(float(y), config.COORD_DECIMALS)
    return _point_in(polygon, rng) if near is not None else polygon.representative_point().coords[0]


def _choose_villages() -> pd.DataFrame:
    """Pick real village-committee units of each county (not urban 社区)."""
    units = geodata.village_units(config.ZHANJIANG)
    rural = units[units["name"].str.contains("村委会|村民委员会", regex=True)
                  & ~units["code"].isin(EXCLUDED_VILLAGES)]
    picks = []
    for county, count in VILLAGES_PER_COUNTY.items():
        pool = rural[rural["county_code"] == county].sort_values("code")
        featured = pool[pool["code"].isin(FEATURED_VILLAGES)]
        others = pool[~pool["code"].isin(FEATURED_VILLAGES)]
        chosen = _rng("villages", county).choice(len(others), size=count - len(featured), replace=False)
        picks.append(pd.concat([featured, others.iloc[chosen]]).sort_values("code"))
    return pd.concat(picks, ignore_index=True)


def _place(villages: pd.DataFrame) -> pd.DataFrame:
    counties = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    anchors: dict[str, tuple[float, float]] = {}
    lons, lats = [], []
    for row in villages.itertuples():
        polygon = counties[row.county_code]
        if row.town_code not in anchors:
            anchors[row.town_code] = _point_in(polygon, _rng("town", row.town_code))
        lon, lat = _point_in(polygon, _rng("pos", row.code), anchors[row.town_code], TOWN_SPREAD_DEG)
        lons.append(lon)
        lats.append(lat)
    return villages.assign(lon=lons, lat=lats)


_NAMED_VILLAGES = {v.code: v for v in public_facts.NAMED_POVERTY_VILLAGES}


def _base_villages() -> pd.DataFrame:
    units = _place(_choose_villages())
    rows = []
    for unit in units.itertuples():
        rng = _rng("figures", unit.code)
        poor = int(rng.integers(18, 130))
        labour = int(poor * rng.uniform(0.55, 0.8))
        rows.append(
            dict(
                code=unit.code,
                name=unit.short_name if unit.short_name.endswith("村") else f"{unit.short_name}村",
                county_code=unit.county_code,
                town_code=unit.town_code,
                lon=unit.lon,
                lat=unit.lat,
                position_quality="近似",
                source=_NAMED_VILLAGES[unit.code].source if unit.code in _NAMED_VILLAGES else config.DEMO_SOURCE,
                households=int(rng.integers(280, 1400)),
                poor_households=poor,
                poor_people=int(poor * rng.uniform(2.4, 3.4)),
                labour_households=labour,
                poor_labourers=int(labour * rng.uniform(1.2, 1.8)),
                # one draw per village decides in which quarter it reaches each milestone
                readiness=float(rng.uniform(0, 1)),
                coop_share=float(rng.uniform(0.55, 1.0)),
                toilet_start=float(rng.uniform(0.78, 0.95)),
            )
        )
    return pd.DataFrame(rows)


def _quarter_villages(base: pd.DataFrame, quarter: str, step: int) -> pd.DataFrame:
    """Village figures for the quarter `step` (0..3): every measure improves over the year."""
    progress = QUARTER_PROGRESS[quarter]
    ready = base["readiness"] < progress
    growth = (step + 1) / len(config.PLAN_QUARTERS)
    frame = base.drop(columns=["readiness", "coop_share", "toilet_start"]).copy()
    in_coop = base["poor_households"] * np.minimum(1.0, base["coop_share"] + 0.12 * step)
    frame["poor_households_in_coop"] = np.where(ready, in_coop, in_coop * 0.3).astype(int)
    frame["labour_households_in_project"] = (
        base["labour_households"] * np.minimum(1.0, 0.6 + 0.1 * step + 0.3 * ready)
    ).astype(int)
    frame["trained_labourers"] = (base["poor_labourers"] * (0.55 + 0.13 * step)).astype(int)
    frame["toilet_rate"] = np.minimum(1.0, base["toilet_start"] + growth * 0.06).round(3)
    frame["clean_village"] = base["readiness"] < 0.35 + 0.09 * step
    frame["model_village"] = base["readiness"] < 0.15 + 0.1 * step
    frame["irrigation_project"] = base["readiness"] < 0.45 + 0.1 * step
    # 出列 only where published (no other village's is known), from its quarter on
    frame["exit_quarter"] = [
        _NAMED_VILLAGES[code].exit_quarter
        if code in _NAMED_VILLAGES and _NAMED_VILLAGES[code].exit_quarter <= quarter else None
        for code in base["code"]
    ]
    frame["ready"] = ready
    return frame


def _products(villages: pd.DataFrame) -> pd.DataFrame:
    """Invented products of the villages that are ready, and in every quarter the public
    product of each named 一村一品 village (which then gets no invented one)."""
    public = {v.code: v for v in public_facts.CODED_SPECIALTY_VILLAGES}
    rows = [dict(village_code=v.code, product=v.product, category=v.category, source=v.source)
            for v in public.values() if v.code in set(villages["code"])]
    for village in villages[villages["ready"] & ~villages["code"].isin(set(public))].itertuples():
        options = COUNTY_PRODUCTS[village.county_code]
        rng = _rng("products", village.code)
        count = 2 if rng.uniform() < 0.3 and len(options) > 1 else 1
        for index in rng.choice(len(options), size=count, replace=False):
            product, category = options[index]
            rows.append(dict(village_code=village.code, product=product, category=category,
                             source=config.DEMO_SOURCE))
    return pd.DataFrame(rows).sort_values(["village_code", "product"], ignore_index=True)


def _town_industries(villages: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """一镇一业: the public record of a named town, else (invented) the most common product
    among the town's villages."""
    public = pd.DataFrame([dict(town_code=t.town_code, county_code=t.county_code, industry=t.industry,
                                category=t.category, source=t.source) for t in public_facts.SPECIALTY_TOWNS])
    joined = products.merge(villages[["code", "town_code", "county_code"]], left_on="village_code", right_on="code")
    counts = joined.groupby(["town_code", "county_code", "product", "category"]).size().reset_index(name="n")
    top = counts.sort_values(["town_code", "n", "product"], ascending=[True, False, True])
    top = top.drop_duplicates("town_code").rename(columns={"product": "industry"})
    invented = top.loc[~top["town_code"].isin(public["town_code"]),
                       ["town_code", "county_code", "industry", "category"]]
    return pd.concat([public, invented.assign(source=config.DEMO_SOURCE)]).sort_values("town_code", ignore_index=True)


def _cooperatives(villages: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for village in villages[villages["ready"] | (villages["poor_households_in_coop"] > 40)].itertuples():
        rng = _rng("coop", village.code)
        rows.append(
            dict(
                id=f"C{village.code}",
                name=f"{village.name}产业扶贫专业合作社",
                village_code=village.code,
                lon=round(village.lon + rng.uniform(-0.004, 0.004), config.COORD_DECIMALS),
                lat=round(village.lat + rng.uniform(-0.004, 0.004), config.COORD_DECIMALS),
                members=int(village.poor_households_in_coop + rng.integers(10, 60)),
                poor_members=int(village.poor_households_in_coop),
                is_poverty_coop=True,
            )
        )
    return pd.DataFrame(rows)


def _near_seat(county: str, taken: dict[str, int]) -> tuple[float, float]:
    """The county seat, moved a step for each record already put there."""
    step = taken[county] = taken.get(county, -1) + 1
    lon, lat = COUNTY_SEATS[county]
    return (round(lon + step * SEAT_STEP_DEG[0], config.COORD_DECIMALS),
            round(lat + step * SEAT_STEP_DEG[1], config.COORD_DECIMALS))


def _parks(villages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    counties = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    parks, scope, taken = [], [], {}
    for pid, name, level, product, county, year, lead, source in PARKS:
        public = source != config.DEMO_SOURCE
        lon, lat = _near_seat(county, taken) if public else _point_in(counties[county], _rng("park", pid))
        parks.append(dict(id=pid, name=name, level=level, product=product, county_code=county,
                          lon=lon, lat=lat, year=year, lead_enterprises=lead,
                          position_quality="近似（县城）" if public else None, source=source))
        local = villages[villages["county_code"] == county]
        distance = np.hypot(local["lon"] - lon, local["lat"] - lat)
        for village in local.assign(distance=distance).nsmallest(8, "distance").itertuples():
            signed = _rng("agreement", pid, village.code).uniform() < 0.5 + 0.45 * village.ready
            scope.append(dict(park_id=pid, village_code=village.code, agreement_signed=bool(signed)))
    return pd.DataFrame(parks), pd.DataFrame(scope)


def _enterprises(villages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    counties = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    enterprises, links = [], []
    number = national = 0
    for county, products in COUNTY_PRODUCTS.items():
        local = villages[villages["county_code"] == county]
        for index, (product, category) in enumerate(products[:3]):
            number += 1
            eid = f"E{number:02d}"
            rng = _rng("enterprise", eid)
            lon, lat = _point_in(counties[county], rng)
            level = config.LEVELS[min(2, int(rng.integers(0, 3)))]
            if level == "国家" and national >= public_facts.NATIONAL_LEADERS_BEFORE_2021:
                level = "省"  # no more national-level enterprises than 湛江 had then (public_facts)
            national += level == "国家"
            prefix = "" if product.startswith(geodata.county_name(county)[:2]) else geodata.county_name(county)[:2]
            trade = "旅游" if category == "乡村旅游" else "农业"
            record = dict(id=eid, name=f"{prefix}{product}{trade}有限公司", level=level, industry=product,
                          county_code=county, lon=lon, lat=lat,
                          is_processing=category == "加工" or rng.uniform() < 0.3,
                          position_quality=None, source=config.DEMO_SOURCE)
            if (county, index) in PUBLIC_ENTERPRISES:
                name, level, industry, processing = PUBLIC_ENTERPRISES[county, index]
                # beside the seat, on the other side from the parks put there
                lon, lat = (round(c - step, config.COORD_DECIMALS)
                            for c, step in zip(COUNTY_SEATS[county], SEAT_STEP_DEG))
                record.update(name=name, level=level, industry=industry, is_processing=processing, lon=lon, lat=lat,
                              position_quality="近似（县城）", source=SOURCE_ENTERPRISES)
            enterprises.append(record)
            reach = min(len(local), int(rng.integers(3, 16)))
            for village in local.sample(n=reach, random_state=int(rng.integers(0, 2**31))).itertuples():
                link_type = config.LINK_TYPES[int(rng.integers(0, len(config.LINK_TYPES)))]
                poor = int(rng.integers(3, 20))
                links.append(dict(source_type="企业", source_id=eid, village_code=village.code,
                                  link_type=link_type, households=poor + int(rng.integers(5, 40)),
                                  poor_households=poor))
    return pd.DataFrame(enterprises), pd.DataFrame(links)


def _aquaculture() -> pd.DataFrame:
    land = shapely.union_all(geodata.counties(config.ZHANJIANG).geometry.values)
    rows = []
    for number, (name, county, lon, lat) in enumerate(CAGE_AREAS, start=1):
        area = box(lon - 0.02, lat - 0.012, lon + 0.02, lat + 0.012)
        # move out to sea (away from the land's centre) until the area touches no land
        centre = land.centroid
        direction = np.array([lon - centre.x, lat - centre.y])
        direction /= np.linalg.norm(direction)
        while area.intersects(land):
            area = shapely.affinity.translate(area, *(direction * 0.005))
        rows.append(dict(id=f"A{number:02d}", name=name, kind="深水网箱", county_code=county,
                         geometry_wkt=shapely.set_precision(area, 10**-config.COORD_DECIMALS).wkt,
                         area_mu=round(area.area * 111_000**2 * np.cos(np.radians(lat)) / 666.67, 0),
                         position_quality="示意范围", source=SOURCE_CAGES))
    counties = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    for number, (name, kind, county, area_mu) in enumerate(SHORE_SITES, start=len(rows) + 1):
        lon, lat = _point_in(counties[county], _rng("shore", name))
        rows.append(dict(id=f"A{number:02d}", name=name, kind=kind, county_code=county,
                         geometry_wkt=f"POINT ({lon} {lat})", area_mu=area_mu, position_quality=None,
                         source=config.DEMO_SOURCE))
    return pd.DataFrame(rows)


def _spread(total: int, parts: int) -> list[int]:
    """`total` in `parts` whole numbers as equal as can be, the larger ones first."""
    return [total // parts + (i < total % parts) for i in range(parts)]


def _invented_project_counts() -> dict[tuple[int, int], int]:
    """How many invented projects each (pairing number, year) gets: the published 2017–18
    total less the public projects of those years, spread by PROJECT_YEAR_WEIGHTS; a fixed
    number in other years."""
    published, _ = public_facts.PROJECTS_2017_2018
    years = public_facts.PROJECT_YEARS_PUBLISHED
    known = sum(p.year in years for p in public_facts.COOPERATION_PROJECTS)
    weights = [PROJECT_YEAR_WEIGHTS[y] for y in years]
    per_year = [(published - known) * w // sum(weights) for w in weights]
    per_year[-1] = published - known - sum(per_year[:-1])
    counts = {(n, y): PROJECTS_PER_PAIRING for n in range(len(PAIRINGS)) for y in COOPERATION_YEARS}
    for year, total in zip(years, per_year):
        counts.update({(n, year): c for n, c in enumerate(_spread(total, len(PAIRINGS)))})
    return counts


def _cooperation_projects() -> pd.DataFrame:
    """The public projects (year and amount empty where no source gives them), and invented
    ones: each pairing has some of the memorandum's work areas each year, as many as the
    published 2017–18 total leaves."""
    rows = [dict(id=f"ZP{number:02d}", name=p.name, work_area=p.work_area, zj_county_code=p.zj_county_code,
                 lz_county_code=p.lz_county_code, year=p.year, amount_wan=p.amount_wan, source=p.source)
            for number, p in enumerate(public_facts.COOPERATION_PROJECTS, start=1)]
    counts = _invented_project_counts()
    for number, (zj, lz) in enumerate(PAIRINGS):
        short = f"{geodata.county_name(zj)[:2]}—{geodata.county_name(lz)[:2]}"
        for year in COOPERATION_YEARS:
            rng = _rng("project", zj, year)
            # one project per work area and year: at most len(WORK_AREAS)
            areas = rng.choice(len(WORK_AREAS), size=counts[number, year], replace=False)
            for index in sorted(areas):
                area = WORK_AREAS[index]
                rows.append(dict(id=f"Z{number}{year % 100}{index}", name=f"{short}{area}项目",
                                 work_area=area, zj_county_code=zj, lz_county_code=lz, year=year,
                                 amount_wan=round(float(rng.uniform(20, 300)), 1), source=config.DEMO_SOURCE))
    frame = pd.DataFrame(rows)
    return frame.astype({"year": "Int64"})


def _shares_of(total: float, weights: list[float]) -> list[float]:
    """`total` split in proportion to `weights`, to 0.1, adding up to `total` exactly."""
    tenths = [int(round(total * 10 * w / sum(weights))) for w in weights]
    tenths[-1] = int(round(total * 10)) - sum(tenths[:-1])
    return [t / 10 for t in tenths]


def _cooperation_flows() -> pd.DataFrame:
    """Invented flows per pairing and year: funds and purchases (万元), labour (persons). A
    pairing's funds of a year hold its public projects of that year besides an invented
    rest; the purchases of 2018 add up to the published figure, only their split is invented."""
    scale = {"帮扶资金": (300, 1500), "劳务协作": (80, 900), "消费扶贫": (100, 1200)}
    published = {}
    for p in public_facts.COOPERATION_PROJECTS:
        if p.year is not None and p.amount_wan is not None:
            published[p.zj_county_code, p.year] = published.get((p.zj_county_code, p.year), 0.0) + p.amount_wan
    rows = []
    for number, (zj, lz) in enumerate(PAIRINGS):
        for year in COOPERATION_YEARS:
            for kind_index, (kind, (low, high)) in enumerate(scale.items()):
                growth = 1 + 0.3 * (year - COOPERATION_YEARS[0])
                amount = float(_rng("flow", zj, year, kind).uniform(low, high)) * growth
                if kind == "帮扶资金":
                    amount += published.get((zj, year), 0.0)
                rows.append(dict(id=f"F{number}{year % 100}{kind_index}", kind=kind, zj_county_code=zj,
                                 lz_county_code=lz, year=year,
                                 amount=float(round(amount)) if kind == "劳务协作" else round(amount, 1)))
    frame = pd.DataFrame(rows)
    total, _ = public_facts.PURCHASES_2018_WAN
    purchases = (frame["kind"] == "消费扶贫") & (frame["year"] == 2018)
    frame.loc[purchases, "amount"] = _shares_of(total, frame.loc[purchases, "amount"].tolist())
    return frame


# --- infrastructure and measure status (issue 8) ----------------------------------------------
# Share of villages with each facility in Q1, and how much it grows each quarter.
INFRA_START = {"yishiyiyi": 0.35, "land": 0.30, "road": 0.70, "ecommerce": 0.25, "cold": 0.10}
INFRA_GROWTH = {"yishiyiyi": 0.12, "land": 0.10, "road": 0.07, "ecommerce": 0.10, "cold": 0.05}
# Some e-commerce points close again (a shop gives up): the comparison of quarters has
# villages that fall back as well as villages that improve.
ECOMMERCE_LAPSE = 0.05
# Progress notes by status; the measure's short title is put in front.
STATUS_NOTES = {
    "未启动": "尚未部署，计划下季度启动",
    "推进中": "已部署，正在推进，按季度汇报进度",
    "已完成": "已完成年度任务，转入巩固",
    "滞后": "进度滞后于计划，已约谈督促整改",
}


def _infrastructure(villages: pd.DataFrame, step: int) -> pd.DataFrame:
    rows = []
    for village in villages.itertuples():
        rng = _rng("infra", village.code)
        draws = {key: rng.uniform() for key in INFRA_START}
        has = {key: draws[key] < INFRA_START[key] + INFRA_GROWTH[key] * step for key in INFRA_START}
        lapse = step > 0 and _rng("infra-lapse", village.code, step).uniform() < ECOMMERCE_LAPSE
        insured_start = rng.uniform(0.6, 0.95)
        rows.append(dict(
            village_code=village.code,
            yishiyiyi_projects=int(has["yishiyiyi"]) * int(rng.integers(1, 4)),
            land_consolidation_projects=int(has["land"]) * int(rng.integers(1, 3)),
            road_hardened=bool(has["road"]),
            ecommerce_point=bool(has["ecommerce"] and not lapse),
            cold_storage=bool(has["cold"]),
            insured_poor_households=int(village.poor_households * min(1.0, insured_start + 0.06 * step)),
        ))
    return pd.DataFrame(rows)


def _measure_status(step: int) -> pd.DataFrame:
    """Each measure starts in Q1 or Q2, most finish within the year, some fall behind."""
    from . import measures

    rows = []
    for measure in measures.load():
        rng = _rng("measure", measure.number)
        start, finish, behind = int(rng.integers(0, 2)), int(rng.integers(2, 5)), rng.uniform() < 0.2
        if step < start:
            status = "未启动"
        elif step >= finish:
            status = "已完成"
        elif behind and step >= 1:
            status = "滞后"
        else:
            status = "推进中"
        rows.append(dict(measure=measure.number, status=status,
                         note=f"{measure.title}：{STATUS_NOTES[status]}"))
    return pd.DataFrame(rows)


def _tag(frame: pd.DataFrame, quarter: str, source: str = config.DEMO_SOURCE) -> pd.DataFrame:
    """The records of `quarter`; those without a source of their own are `source`."""
    return frame.assign(quarter=quarter, source=frame["source"] if "source" in frame else source)


def build_demo() -> list[Dataset]:
    """The four quarters of 2019, validated, oldest first."""
    base = _base_villages()
    aquaculture = _aquaculture()
    enterprises, enterprise_links = None, None
    datasets = []
    for step, quarter in enumerate(config.PLAN_QUARTERS):
        villages = _quarter_villages(base, quarter, step)
        products = _products(villages)
        parks, scope = _parks(villages)
        enterprises, enterprise_links = _enterprises(villages)
        cooperatives = _cooperatives(villages)
        coop_links = cooperatives.assign(source_type="合作社", source_id=cooperatives["id"], link_type="入股",
                                         households=cooperatives["members"],
                                         poor_households=cooperatives["poor_members"])
        links = pd.concat([enterprise_links, coop_links[enterprise_links.columns]], ignore_index=True)
        city_toilets = round(0.955 + 0.008 * step, 3)
        # every rural village of the city, not the 218 (item 25's 60 %): invented like the rest
        city_clean = round(0.47 + 0.05 * step, 3)
        frames = {
            "villages": villages.drop(columns=["ready"]),
            "products": products,
            "town_industries": _town_industries(villages, products),
            "parks": parks,
            "park_villages": scope,
            "enterprises": enterprises,
            "cooperatives": cooperatives,
            "aquaculture": aquaculture,
            "linkages": links,
            "cooperation_projects": _cooperation_projects(),
            "cooperation_flows": _cooperation_flows(),
            "city_stats": pd.DataFrame([dict(indicator="toilet_rate_city", value=city_toilets),
                                        dict(indicator="clean_village_rate_city", value=city_clean)]),
            "village_infrastructure": _infrastructure(villages, step),
            "measure_status": _measure_status(step),
        }
        tagged = {name: _tag(frame, quarter) for name, frame in frames.items()}
        tagged["pairings"] = _tag(pd.DataFrame(PAIRINGS, columns=["zj_county_code", "lz_county_code"]),
                                  quarter, PAIRING_SOURCE)
        datasets.append(Dataset.from_frames(quarter, tagged))
    return datasets


def ensure_seeded(store) -> None:
    """Fill an empty database (a data.store.Store) with the demo data set: the first start."""
    if store.is_empty():
        for dataset in build_demo():
            store.save(dataset, kind="演示数据", note="首次启动时填入的演示数据")
