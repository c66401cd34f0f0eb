"""Constants of the product, each with the reason it has its value.

Targets come from the bureau's 2019 work plan (湛农通〔2019〕287号); the plan item is named
next to each so that a reader can check it against ../shared/seed/.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_TITLE = "湛江产业扶贫地图"

# --- paths ---------------------------------------------------------------------------------
REPO_DIR = Path(__file__).resolve().parent.parent
GEODATA_DIR = REPO_DIR / "geodata"
DATA_DIR = REPO_DIR / "data"
# Streamlit serves REPO_DIR/static at /app/static when enableStaticServing is on.
STATIC_DIR = REPO_DIR / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
VENDOR_URL = "/app/static/vendor"
FAVICON = STATIC_DIR / "favicon.png"

# --- database ------------------------------------------------------------------------------
DB_URL_ENV = "FUPIN_DB_URL"
DEFAULT_DB_PATH = DATA_DIR / "fupin.sqlite"


def database_url() -> str:
    """The database to use: FUPIN_DB_URL if set, else the embedded SQLite file."""
    return os.environ.get(DB_URL_ENV) or f"sqlite:///{DEFAULT_DB_PATH}"


# --- coordinates ---------------------------------------------------------------------------
# Everything is stored in WGS-84 lon/lat; basemaps in GCJ-02/BD-09 get shifted copies.
STORE_CRS = "EPSG:4326"
# 5 decimals of a degree is about 1 m: finer than any village position we hold.
COORD_DECIMALS = 5

ZHANJIANG = "440800"
LIUZHOU = "450200"

# --- the plan's numbers --------------------------------------------------------------------
# 全市218个贫困村 (plan item 2).
POVERTY_VILLAGE_COUNT = 218
# An enterprise linking more than 10 villages or more than 100 poor households counts as a
# 扶贫龙头企业 (plan item 3).
LEADING_MIN_VILLAGES = 10
LEADING_MIN_POOR_HOUSEHOLDS = 100
# In the annual linkage assessment one poor household counts as two ordinary ones (item 3).
POOR_HOUSEHOLD_WEIGHT = 2
# 无害化卫生户厕: 100 % in the 218 villages, 98.5 % citywide (item 25).
TOILET_TARGET_VILLAGES = 1.0
TOILET_TARGET_CITY = 0.985
# ≥60 % of villages meet the 干净整洁村 standard in 2019 (item 25).
CLEAN_VILLAGE_TARGET = 0.60
# The plan asks for a report every quarter (七(四)); the plan year is 2019.
PLAN_YEAR = 2019
PLAN_QUARTERS = tuple(f"{PLAN_YEAR}Q{q}" for q in range(1, 5))

# --- vocabularies --------------------------------------------------------------------------
# Colours: Okabe–Ito, distinguishable with the common colour-vision deficiencies.
PRODUCT_CATEGORIES: dict[str, str] = {
    "种植": "#009E73",
    "畜牧": "#D55E00",
    "水产": "#0072B2",
    "加工": "#CC79A7",
    "电商": "#E69F00",
    "乡村旅游": "#56B4E9",
}
# The category every aquaculture site belongs to: a category filter without it hides them.
AQUACULTURE_CATEGORY = "水产"
NO_INDUSTRY_COLOR = "#000000"
NO_INDUSTRY_LABEL = "尚无产业"
LEVELS = ("国家", "省", "市")
LINK_TYPES = ("生产", "订单", "购销", "务工", "租赁", "服务", "入股")
LINK_SOURCES = ("企业", "产业园", "合作社")
AQUACULTURE_KINDS = ("深水网箱", "池塘", "工厂化")
POSITION_QUALITY = ("实测", "地图标注", "近似")
# Positions of public records (parks, enterprises, cage areas) whose site is not published:
# near the county seat, near the town, or a sketched area in the named waters.
SITE_POSITION_QUALITY = ("实测", "地图标注", "近似（县城）", "近似（镇）", "示意范围")

# Every invented record carries this source; views that show one say so.
DEMO_SOURCE = "演示数据"

# --- map -----------------------------------------------------------------------------------
SEA_COLOR = "#d4e6f1"
LAND_COLOR = "#f4f1ea"
CONTEXT_LAND_COLOR = "#e6e2d8"
COUNTY_LINE_COLOR = "#6b5b4b"
# Zoom 7 shows both coasts of the peninsula; beyond 15 our approximate positions mislead.
MIN_ZOOM = 7
MAX_ZOOM = 15
MAP_HEIGHT = 680
# Width (px) assumed when a zoom is chosen to show an extent: the 产业地图's map column is about
# 700-900 px wide on the bureau's 1366-1920 px screens; the narrower keeps the extent in view.
MAP_FIT_WIDTH_PX = 700
# Leaflet snaps zoom levels to this step (OfflineMap's zoom_snap); fitted zooms use it too.
ZOOM_SNAP = 0.25
VILLAGE_RADIUS = 6


@dataclass(frozen=True)
class Target:
    """One target of the plan: key, label, goal as a share (or count), plan item."""

    key: str
    label: str  # short, for a KPI card
    goal: float
    plan_item: str
    description: str  # the plan's wording, for the card's help
    unit: str = "%"


TARGETS: tuple[Target, ...] = (
    Target("industry", "有特色产业的村", 1.0, "第2项", "218个贫困村每村发展1个以上特色优势扶贫产业"),
    Target("coop_village", "有扶贫合作社的村", 1.0, "第8项", "每个贫困村建立1个以上产业精准扶贫合作社"),
    Target("coop_household", "贫困户入社率", 1.0, "第9项", "全市贫困户全部参加合作社"),
    Target("park_agreement", "产业园带动协议", 1.0, "第1项", "产业园范围内贫困村全部签订带动协议"),
    Target("labour_project", "参与长效产业项目", 1.0, "第2项", "有劳动力贫困户至少参与1个长效产业项目"),
    Target("toilet_villages", "贫困村卫生户厕", TOILET_TARGET_VILLAGES, "第25项", "218个省定贫困村无害化卫生户厕普及率100%"),
    Target("toilet_city", "全市卫生户厕", TOILET_TARGET_CITY, "第25项", "全市农村无害化卫生户厕普及率达98.5%"),
    Target("clean_village", "干净整洁村", CLEAN_VILLAGE_TARGET, "第25项", "60%以上村庄达到干净整洁村标准"),
    Target("training", "贫困劳动力培训", 1.0, "第21项", "每位贫困劳动力熟练掌握一门以上实用技术"),
    Target("reports", "季度汇报", len(PLAN_QUARTERS), "七(四)", "每季度一汇报（2019年4次）", unit="次"),
)

# --- 湛柳协作 (Zhanjiang–Liuzhou cooperation), cooperation page and briefings --------------
# The work areas of the two cities' cooperation memorandum, in the memorandum's order.
COOPERATION_WORK_AREAS = ("组织领导", "产业合作", "劳务协作", "人才交流", "教育", "医疗卫生",
                          "社会帮扶", "宣传", "助残", "消费扶贫")
# Flows between the cities and the unit each is counted in: funds and purchases in 万元,
# labour transfers in persons (people from 柳州's counties placed in work in 湛江).
FLOW_UNITS: dict[str, str] = {"帮扶资金": "万元", "劳务协作": "人", "消费扶贫": "万元"}
# Which way each flow goes on the map: funds go west to 柳州, workers come east to 湛江,
# purchase money goes west to 柳州 (its products come east).
FLOW_TO_LIUZHOU: dict[str, bool] = {"帮扶资金": True, "劳务协作": False, "消费扶贫": True}
# Colours per flow kind (Okabe–Ito, as the industry palette) and the pairing arcs' colour.
FLOW_COLORS: dict[str, str] = {"帮扶资金": "#D55E00", "劳务协作": "#0072B2", "消费扶贫": "#009E73"}
PAIRING_COLOR = "#6b5b4b"
# Arc widths in pixels: the largest flow of a kind gets the maximum, the others in proportion
# to the square root of their amount (area-like), never thinner than the minimum.
ARC_MIN_WEIGHT = 2.0
ARC_MAX_WEIGHT = 12.0
# Where the pairing is documented (public): 广东省–广西 东西部扶贫协作, 湛江市–柳州市 结对.
PAIRING_SOURCE = "湛柳扶贫协作结对（公开信息：湛江市与柳州市东西部扶贫协作，吴川—三江、遂溪—融安、廉江—融水）"

# --- presentation mode and briefings -------------------------------------------------------
# The URL parameter that starts presentation mode (?present=1), so a link opens it directly.
PRESENT_PARAM = "present"
# The typeface named in briefings: present on the viewers' Windows machines (and in WPS);
# Noto Sans CJK SC is what we draw with here, and is embedded in PDFs and PNGs.
BRIEFING_EA_FONT = "微软雅黑"
BRIEFING_LATIN_FONT = "Microsoft YaHei"
CJK_FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_FAMILY = "Noto Sans CJK SC"
# 200 dpi keeps county names sharp when a slide is projected or printed, at ~0.3 MB a map.
STATIC_MAP_DPI = 200
