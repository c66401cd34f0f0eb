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


# Each app process re-reads the database's change counter at most this often: replicas show
# another's write within ~2 s, and a page rerun costs no extra query in between.
DATA_VERSION_TTL_S = 2
# Cached reads kept per process: every quarter of the current data version (4 per plan year,
# two years) plus the previous version's while a write is being picked up.
CACHED_DATASETS = 16
# Quarter lists kept (one per data version): the current one and a few older ones.
CACHED_VERSIONS = 4


# --- coordinates ---------------------------------------------------------------------------
# Everything is stored in WGS-84 lon/lat; basemaps in GCJ-02/BD-09 get shifted copies.
STORE_CRS = "EPSG:4326"
# 5 decimals of a degree is about 1 m: finer than any village position we hold.
COORD_DECIMALS = 5
# Zoom of the map where an editor clicks a village's position (数据管理 → 在地图上定位): a
# pixel is ~35 m, fine enough for a village, and its town's surroundings stay in view.
LOCATE_ZOOM = 12

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
# ≥60 % of rural villages meet the 干净整洁村 standard in 2019 (item 25: "60%以上农村", all the
# city's villages, not only the 218).
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


# Who a KPI's figure counts, said on its card: most targets are about the 218 poverty
# villages, two of item 25 about every rural village of the city (a 全市指标 row).
POVERTY_VILLAGES_SCOPE = f"{POVERTY_VILLAGE_COUNT} 个省定贫困村"
CITY_SCOPE = "全市农村（全市指标）"


@dataclass(frozen=True)
class Target:
    """One target of the plan: key, label, goal as a share (or count), plan item."""

    key: str
    label: str  # short, for a KPI card
    goal: float
    plan_item: str
    description: str  # the plan's wording, for the card's help
    unit: str = "%"
    scope: str = POVERTY_VILLAGES_SCOPE  # whom the figure counts
    city_stat: str | None = None  # the 全市指标 (CITY_INDICATORS key) it is read from, if citywide


TARGETS: tuple[Target, ...] = (
    Target("industry", "有特色产业的村", 1.0, "第2项", "218个贫困村每村发展1个以上特色优势扶贫产业"),
    Target("coop_village", "有扶贫合作社的村", 1.0, "第8项", "每个贫困村建立1个以上产业精准扶贫合作社"),
    Target("coop_household", "贫困户入社率", 1.0, "第9项", "全市贫困户全部参加合作社",
           scope=f"{POVERTY_VILLAGES_SCOPE}的贫困户"),
    Target("park_agreement", "产业园带动协议", 1.0, "第1项", "产业园范围内贫困村全部签订带动协议",
           scope="产业园范围内的省定贫困村"),
    Target("labour_project", "参与长效产业项目", 1.0, "第2项", "有劳动力贫困户至少参与1个长效产业项目",
           scope=f"{POVERTY_VILLAGES_SCOPE}有劳动力的贫困户"),
    Target("toilet_villages", "贫困村卫生户厕", TOILET_TARGET_VILLAGES, "第25项",
           "218个省定贫困村无害化卫生户厕普及率100%",
           scope=f"{POVERTY_VILLAGES_SCOPE}的农户"),
    Target("toilet_city", "全市卫生户厕", TOILET_TARGET_CITY, "第25项", "全市农村无害化卫生户厕普及率达98.5%",
           scope=CITY_SCOPE, city_stat="toilet_rate_city"),
    Target("clean_village_city", "全市干净整洁村", CLEAN_VILLAGE_TARGET, "第25项", "60%以上农村达到干净整洁村标准",
           scope=CITY_SCOPE, city_stat="clean_village_rate_city"),
    Target("training", "贫困劳动力培训", 1.0, "第21项", "每位贫困劳动力熟练掌握一门以上实用技术",
           scope=f"{POVERTY_VILLAGES_SCOPE}的贫困劳动力"),
    Target("reports", "季度汇报", len(PLAN_QUARTERS), "七(四)", "每季度一汇报（2019年4次）", unit="次",
           scope="2019年的4个季度"),
)

# --- 联农带农 and 短板排查 (issue 7) ------------------------------------------------------------
# Distances are measured in metres in CGCS2000 / 3-degree Gauss-Krüger zone 37 (central
# meridian 111°E, covering 109.5–112.5°E, i.e. all of 湛江): the national system whose scale
# error here is below 0.02 %, far finer than our approximate village positions. Never degrees.
METRIC_CRS = "EPSG:4525"

# Coverage of a village by linkage (企业/产业园/合作社 → 村): the share of its poor households
# that some 带动主体 reaches. The plan wants every poor household reached (items 2, 3, 9); below
# half, most of the village is still left out, so it counts as only weakly linked. Not linked
# means no linkage record at all.
WEAK_LINK_SHARE = 0.5
COVERAGE_CLASSES = ("未联结", "弱联结", "已联结")
COVERAGE_COLORS = {"未联结": "#d7191c", "弱联结": "#fdae61", "已联结": "#1a9641"}

# 短板得分: the parts a planner can read, each scaled 0..1, combined with these default weights
# (sliders 0..WEIGHT_MAX on the page). Linkage and cooperative membership weigh most because
# they are the plan's own household measures (items 3 and 9) and move fastest with action;
# an 一村一品 industry is the plan's first village target (item 2); distance to sites and
# infrastructure are context the bureau cannot change in a quarter, so they weigh least.
RANK_WEIGHTS: dict[str, int] = {"linkage": 3, "coop": 3, "industry": 2, "distance": 1, "infrastructure": 1}
RANK_PART_LABELS: dict[str, str] = {
    "linkage": "联农带农不足", "coop": "贫困户未入社", "industry": "无一村一品",
    "distance": "远离产业园/龙头/加工企业", "infrastructure": "基础设施未达标",
}
WEIGHT_MAX = 5
# Straight-line distance at which the distance part is full: ~30 km is about an hour on county
# roads, past which a park or factory rarely hires from or buys in a village; nearer counts
# proportionally.
DISTANCE_FULL_KM = 30.0
# A distance is named in a village's reason from this far on (a third of the full scale):
# nearer sites are within a daily commute and not a shortfall worth a sentence.
DISTANCE_NOTE_KM = 10.0
# 户厕 part: full when the rate is this far below the 100 % target (item 25). The demo and the
# 2018 baseline sit at 78–100 %, so 20 points spread the villages over the whole scale.
TOILET_GAP_FULL = 0.20
# 短板排查 page: how many top villages are ringed and numbered on the map by default.
RANK_TOP_DEFAULT = 20

# Where to act: a new cooperative or processing site reaches the villages within this
# straight-line radius. 5 km is a half-hour walk or a short ride: the distance over which the
# plan's cooperatives recruit members in practice. The planner can change it (1–30 km).
SITE_RADIUS_KM = 5.0
SITE_RADIUS_RANGE_KM = (1.0, 30.0)
# Suggested sites: how many by default, and the most the page offers (each is one more greedy
# round over every candidate).
SITES_DEFAULT = 2
SITES_MAX = 10

# --- infrastructure and the plan's measures (基础设施, 工作措施) ------------------------------
@dataclass(frozen=True)
class InfraIndicator:
    """One infrastructure indicator of a village, and the share of villages (or households)
    the city aims at. `basis` says where the target comes from: a plan item, or a planner's
    reference (`reference`) where the plan sets no number for the 218 villages."""

    key: str
    label: str  # what a village has, e.g. "无害化卫生户厕"
    target: float  # a share 0..1 of villages (flags) or of households (rates)
    basis: str
    kind: str = "flag"  # "flag": a village has it or not; "rate": a share per village
    color: str = "#d7191c"  # colour of the villages below target on its gap layer
    same_as: str | None = None  # the TARGETS key that measures the same thing over the same villages
    reference: bool = False  # a 规划参考 target: never reported as the plan's own (met or missed)


# The plan's wording is quoted in `basis`; items 24, 26 and 19 name the work without a number,
# and roads, e-commerce points and cold storage are what a planner looks for beside them:
# their target is full coverage, marked 规划参考 so that nobody reads it as the plan's. The
# plan's 60 % 干净整洁村 is about every rural village of the city (TARGETS clean_village_city);
# held against the 218 alone it is a reference too.
PLANNER_REFERENCE = "规划参考（工作方案未定量）"
# The badge of a 规划参考 indicator's card, in grey: a gap to a number the plan does not set is
# neither met nor missed.
REFERENCE_BADGE = "规划参考"
INFRA_INDICATORS: tuple[InfraIndicator, ...] = (
    InfraIndicator("toilet", "无害化卫生户厕", TOILET_TARGET_VILLAGES,
                   "第25项：218条省定贫困村普及率100%", kind="rate", color="#b2182b",
                   same_as="toilet_villages"),
    InfraIndicator("clean_village", "干净整洁村", CLEAN_VILLAGE_TARGET,
                   "第25项：全市60%以上农村达到干净整洁村标准（全市指标）；用于省定贫困村为规划参考",
                   color="#d6604d", reference=True),
    InfraIndicator("model_village", "新农村示范村", 1.0,
                   "第25项：218条省定贫困村创建新农村示范村", color="#e08214"),
    InfraIndicator("farmland", "农田水利或农田整治项目", 1.0,
                   f"第26项：项目优先安排到贫困村；{PLANNER_REFERENCE}", color="#8c510a", reference=True),
    InfraIndicator("yishiyiyi", "一事一议奖补项目", 1.0,
                   f"第24项：对贫困村优先支持；{PLANNER_REFERENCE}", color="#762a83", reference=True),
    InfraIndicator("road", "通村硬化道路", 1.0, PLANNER_REFERENCE, color="#4d4d4d", reference=True),
    InfraIndicator("ecommerce", "电商服务站点", 1.0, f"第12项：发挥电商平台作用；{PLANNER_REFERENCE}",
                   color="#e69f00", reference=True),
    InfraIndicator("cold_storage", "冷库或冷链设施", 1.0, PLANNER_REFERENCE, color="#0072b2", reference=True),
    InfraIndicator("insurance", "贫困户政策性农业保险覆盖", 1.0,
                   f"第19项：开展好贫困村（户）政策性农业保险；{PLANNER_REFERENCE}", kind="rate",
                   color="#009e73", reference=True),
)
INFRA_BY_KEY = {i.key: i for i in INFRA_INDICATORS}

# Status of a measure in a quarter, and its traffic light (grey not started, blue under way,
# green done, red behind): the four states the plan's quarterly report (七(四)) needs to tell apart.
MEASURE_STATUSES: dict[str, str] = {
    "未启动": "#999999",
    "推进中": "#4575b4",
    "已完成": "#1a9850",
    "滞后": "#d73027",
}
MEASURES_FILE = Path(__file__).resolve().parent / "data" / "measures.csv"
# --- 数据管理 (import, users, audit) -----------------------------------------------------------
# A quarter's ledger of every entity is a few MB as .xlsx (50,000 village rows ≈ 4 MB); 20 MB
# leaves room for real ledgers and keeps a hostile upload from filling memory. Also set as
# Streamlit's server.maxUploadSize in .streamlit/config.toml.
MAX_UPLOAD_MB = 20
# Rows of one sheet: twice the 50,000-row ledger the import is benchmarked on (the city's
# ledgers are a few thousand rows); beyond it a file is refused before it is read, as a 13.6 MB
# file of 1,000,000 rows took 5 GB and did not finish. Titles and headers count as rows.
MAX_SHEET_ROWS = 100_000
# Cells of one file, as calamine holds them: each sheet's rectangle from A1 to its last row and
# column (a lone cell at XFD1048576 spans 17 billion). 100,000 rows of 30 columns (the widest
# sheet, 贫困村, has 23 in the template); a 100,000-row check stays well under 1 GB with it.
MAX_CELLS = 3_000_000
# An .xlsx is a zip: refuse it before anything parses it when its members would unpack to
# more than this or compress better than zip bombs do (ordinary sheets compress 5-20 times).
# 160 MB is what the caps above need: openpyxl writes ~48 bytes of XML a cell (50,000 rows ×
# 23 columns unpack to 56 MB), so 3,000,000 cells are ~145 MB; 300 MB let a 3 MB file through
# that took 17 GB.
MAX_UNCOMPRESSED_MB = 160
MAX_COMPRESSION_RATIO = 200
# The shared-string table is read whole before any sheet: a 50,000-row ledger saved by Excel
# has ~3 MB of it (names, codes, notes); 32 MB is ten times the strings of the row cap.
MAX_SHARED_STRINGS_MB = 32
# calamine copies a shared string into every cell that uses it: the text so copied in one
# file, in bytes of XML (a 42 KB file of 20,000 cells naming one 30,000-character string took
# 590 MB). 64 MB is 3,000,000 cells of ~20 bytes, more than any ledger's text.
MAX_CELL_TEXT_MB = 64
# The "marked copy" of an .xlsx (its bad cells coloured, data/ledger_report.py) is made with
# openpyxl, which holds the whole workbook: about 0.5 KB a cell (200,000 cells took 98 MB).
# Loading and saving 500,000 cells (20,000 rows of 25 columns, several times a real ledger)
# peaked at 424 MB in all; a larger file gets the problem list only.
MARKED_COPY_MAX_CELLS = 500_000
# Any other XML part that is parsed (workbook, styles, relationships): ours are under 0.1 MB.
MAX_XML_PART_MB = 16
# Header rows are looked for in the first rows of a sheet (titles and notes often come first):
# the bureau's forms put a title, a 填报单位/填报日期 block and a units line above the header,
# which then sits on row 3-8; 20 leaves room for a longer preamble.
HEADER_SEARCH_ROWS = 20
# A point off the coast by less than this is "near the sea" (piers, dykes, coordinate error):
# a warning. Farther out it is an error.
NEAR_SEA_KM = 3.0
# Roles: viewer reads 数据管理's history; editor imports, restores and places villages;
# admin also manages users.
ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {"viewer": "查看", "editor": "编辑", "admin": "管理员"}
# Wrong passwords slow down the source that typed them, never the account itself (a lock of
# the account would be the attacker's to set off): per user name and source (the browser's
# address, else its session) the first LOGIN_FREE_FAILURES are free, then each next attempt
# waits twice as long as the one before, from LOGIN_DELAY_FIRST_S up to LOGIN_DELAY_MAX_S.
# Guessing stays slow from one source; the real user elsewhere logs in as usual.
LOGIN_FREE_FAILURES = 5
LOGIN_DELAY_FIRST_S = 2
LOGIN_DELAY_MAX_S = 15 * 60
# All names from one source together (guessing user names, spraying one password): more room,
# since a meeting room or an office shares one address.
SOURCE_FREE_FAILURES = 30
# A count is forgotten after this long without a failure (an hour's pause starts afresh).
LOGIN_FAILURES_FORGOTTEN_S = 60 * 60
# Failed logins reach the audit log at most once per source per minute, with their count:
# a flood of attempts is a row a minute, not a row per attempt of attacker text.
FAILED_LOGIN_AUDIT_EVERY_S = 60
# Passwords: at least PASSWORD_LONG characters, or PASSWORD_MIN with PASSWORD_KINDS of the four
# kinds (lower case, upper case, digits, other), and not on the shipped list of common ones
# (data/common_passwords.txt); PASSWORD_MAX bounds the work of hashing a pasted novel.
PASSWORD_LONG = 12
PASSWORD_MIN = 8
PASSWORD_KINDS = 3
PASSWORD_MAX = 256
# A login ends after 30 minutes without activity (shared office computers).
SESSION_TIMEOUT_MINUTES = 30
# Source recorded for imported rows that leave 数据来源 empty.
IMPORT_SOURCE = "县区台账导入"
# Template example rows carry this 数据来源 and are skipped on import.
EXAMPLE_MARK = "【示例】"
# The indicators of 全市指标 (city_stats): stored by key (analysis/indicators.py reads the key),
# shown by name in the template and exports; the import reads either.
CITY_INDICATORS = {"toilet_rate_city": "全市农村无害化卫生户厕普及率",
                   "clean_village_rate_city": "全市农村干净整洁村占比"}
# Coordinate systems a ledger may use (converted to WGS-84 on import).
COORD_SYSTEMS = ("WGS-84", "GCJ-02", "BD-09")
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
