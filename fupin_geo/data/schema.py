"""The entities of the ledger, their columns, and validation with errors that name the record.

One description serves three purposes: it validates data on load and import, it creates the
database tables (store.py), and it gives the Chinese column labels shown to users.
Every entity also has `quarter` (the data version it belongs to) and `source`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from .. import config
from . import geodata

# [0-9], not \d: Python's \d also matches ٤ and ４, which no code or quarter may hold.
QUARTER_PATTERN = r"[0-9]{4}Q[1-4]"


@dataclass(frozen=True)
class Column:
    name: str
    kind: type  # str, int, float or bool
    label: str
    required: bool = True
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    # codes that must exist in geodata: "zhanjiang" or "liuzhou" (county-level adcodes)
    counties_of: str | None = None
    # text holding a WKT geometry that must parse, be non-empty and lie in lon/lat range
    wkt: bool = False
    # what a number counts (户, 人, 亩, 万元, %): shown in the template's header, dropped on import
    unit: str | None = None


@dataclass(frozen=True)
class Entity:
    table: str
    label: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # name column used to describe a record in error messages, besides its key
    title: str | None = None

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return (*self.columns, QUARTER, SOURCE, REPORTED)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.all_columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.all_columns if c.name == name)


QUARTER = Column("quarter", str, "季度", pattern=QUARTER_PATTERN)
SOURCE = Column("source", str, "数据来源")
# The quarter a record was last reported in by its county. A new quarter starts as a copy of
# the one before it (ledger_merge.carry_over), so a record may hold last quarter's figures:
# empty means "reported in its own quarter". Set by the import, never typed by a clerk.
REPORTED = Column("reported_quarter", str, "填报季度", required=False, pattern=QUARTER_PATTERN)
# Columns the application fills in: the template leaves them out, the import ignores them.
SYSTEM_COLUMNS = ("reported_quarter",)


def _code(name: str, label: str, digits: int, required: bool = True, counties_of: str | None = None) -> Column:
    return Column(name, str, label, required=required, pattern=rf"[0-9]{{{digits}}}", counties_of=counties_of)


def _count(name: str, label: str, unit: str | None = None) -> Column:
    return Column(name, int, label, minimum=0, unit=unit)


def _share(name: str, label: str) -> Column:
    return Column(name, float, label, minimum=0.0, maximum=1.0, unit="%")


def header(column: Column) -> str:
    """The column's label with its unit, as the template heads it: 总户数（户）. The import
    reads both this and the bare label (exports and older files use the label)."""
    if column.unit is None or column.label.endswith(f"（{column.unit}）"):
        return column.label
    return f"{column.label}（{column.unit}）"


LON = Column("lon", float, "经度", minimum=73.0, maximum=136.0)
LAT = Column("lat", float, "纬度", minimum=3.0, maximum=54.0)
COUNTY = _code("county_code", "县区代码", 6, counties_of="zhanjiang")
# How exact a park's, enterprise's or site's position is (empty: not said).
SITE_POSITION = Column("position_quality", str, "位置精度", required=False, choices=config.SITE_POSITION_QUALITY)

VILLAGES = Entity(
    "villages",
    "贫困村",
    key=("code",),
    title="name",
    columns=(
        _code("code", "村代码", 12),
        Column("name", str, "村名"),
        COUNTY,
        _code("town_code", "镇街代码", 9),
        LON,
        LAT,
        Column("position_quality", str, "位置精度", choices=config.POSITION_QUALITY),
        _count("households", "总户数", "户"),
        _count("poor_households", "贫困户数", "户"),
        _count("poor_people", "贫困人口", "人"),
        _count("poor_households_in_coop", "加入合作社贫困户数", "户"),
        _count("labour_households", "有劳动力贫困户数", "户"),
        _count("labour_households_in_project", "参与长效产业项目户数", "户"),
        _count("poor_labourers", "贫困劳动力", "人"),
        _count("trained_labourers", "已培训贫困劳动力", "人"),
        _share("toilet_rate", "无害化卫生户厕普及率"),
        Column("clean_village", bool, "干净整洁村"),
        Column("model_village", bool, "新农村示范村"),
        Column("irrigation_project", bool, "农田水利项目"),
        # The quarter the village left the 省定贫困村 list in (出列); empty: still on it, or
        # the ledger does not say.
        Column("exit_quarter", str, "出列季度", required=False, pattern=QUARTER_PATTERN),
    ),
)

PRODUCTS = Entity(
    "products",
    "一村一品",
    key=("village_code", "product"),
    title="product",
    columns=(
        _code("village_code", "村代码", 12),
        Column("product", str, "产品"),
        Column("category", str, "类别", choices=tuple(config.PRODUCT_CATEGORIES)),
    ),
)

TOWN_INDUSTRIES = Entity(
    "town_industries",
    "一镇一业",
    key=("town_code",),
    title="industry",
    columns=(
        _code("town_code", "镇街代码", 9),
        COUNTY,
        Column("industry", str, "主导产业"),
        Column("category", str, "类别", choices=tuple(config.PRODUCT_CATEGORIES)),
    ),
)

PARKS = Entity(
    "parks",
    "现代农业产业园",
    key=("id",),
    title="name",
    columns=(
        Column("id", str, "编号"),
        Column("name", str, "名称"),
        Column("level", str, "级别", choices=config.LEVELS),
        Column("product", str, "主导产业"),
        COUNTY,
        LON,
        LAT,
        Column("year", int, "批准年份", minimum=2010, maximum=2030),
        Column("lead_enterprises", str, "牵头企业", required=False),
        SITE_POSITION,
    ),
)

PARK_VILLAGES = Entity(
    "park_villages",
    "产业园范围内贫困村",
    key=("park_id", "village_code"),
    columns=(
        Column("park_id", str, "产业园编号"),
        _code("village_code", "村代码", 12),
        Column("agreement_signed", bool, "已签带动协议"),
    ),
)

ENTERPRISES = Entity(
    "enterprises",
    "龙头企业",
    key=("id",),
    title="name",
    columns=(
        Column("id", str, "编号"),
        Column("name", str, "名称"),
        Column("level", str, "级别", choices=config.LEVELS),
        Column("industry", str, "行业"),
        COUNTY,
        LON,
        LAT,
        Column("is_processing", bool, "农产品加工"),
        SITE_POSITION,
    ),
)

COOPERATIVES = Entity(
    "cooperatives",
    "合作社",
    key=("id",),
    title="name",
    columns=(
        Column("id", str, "编号"),
        Column("name", str, "名称"),
        _code("village_code", "所在村代码", 12),
        LON,
        LAT,
        _count("members", "成员户数", "户"),
        _count("poor_members", "贫困户成员", "户"),
        Column("is_poverty_coop", bool, "产业扶贫合作社"),
    ),
)

AQUACULTURE = Entity(
    "aquaculture",
    "水产养殖",
    key=("id",),
    title="name",
    columns=(
        Column("id", str, "编号"),
        Column("name", str, "名称"),
        Column("kind", str, "类型", choices=config.AQUACULTURE_KINDS),
        COUNTY,
        Column("geometry_wkt", str, "范围或位置（WKT）", wkt=True),
        Column("area_mu", float, "面积（亩）", minimum=0.0, unit="亩"),
        SITE_POSITION,
    ),
)

LINKAGES = Entity(
    "linkages",
    "联农带农关系",
    key=("source_type", "source_id", "village_code", "link_type"),
    columns=(
        Column("source_type", str, "带动主体类型", choices=config.LINK_SOURCES),
        Column("source_id", str, "带动主体编号"),
        _code("village_code", "村代码", 12),
        Column("link_type", str, "联结方式", choices=config.LINK_TYPES),
        _count("households", "带动农户", "户"),
        _count("poor_households", "带动贫困户", "户"),
    ),
)

PAIRINGS = Entity(
    "pairings",
    "湛柳结对",
    key=("zj_county_code",),
    columns=(_code("zj_county_code", "湛江县区", 6, counties_of="zhanjiang"),
             _code("lz_county_code", "柳州县区", 6, counties_of="liuzhou")),
)

COOPERATION_PROJECTS = Entity(
    "cooperation_projects",
    "湛柳协作项目",
    key=("id",),
    title="name",
    columns=(
        Column("id", str, "编号"),
        Column("name", str, "项目名称"),
        Column("work_area", str, "工作领域", choices=config.COOPERATION_WORK_AREAS),
        _code("zj_county_code", "湛江县区", 6, counties_of="zhanjiang"),
        _code("lz_county_code", "柳州县区", 6, counties_of="liuzhou"),
        # empty where a source gives neither (a public project with several years, or no
        # published amount): an invented figure would look published
        Column("year", int, "年份", required=False, minimum=2016, maximum=2030),
        Column("amount_wan", float, "金额（万元）", required=False, minimum=0.0, unit="万元"),
    ),
)

CITY_STATS = Entity(
    "city_stats",
    "全市指标",
    key=("indicator",),
    columns=(Column("indicator", str, "指标"), Column("value", float, "数值")),
)

# --- infrastructure and the plan's measures (issue 8) ---------------------------------------
# What a village has beyond the columns of VILLAGES (toilets, 干净整洁村, 示范村, 农田水利 are
# there): one row per village; a village without a row has no infrastructure data.
VILLAGE_INFRASTRUCTURE = Entity(
    "village_infrastructure",
    "村基础设施",
    key=("village_code",),
    columns=(
        _code("village_code", "村代码", 12),
        _count("yishiyiyi_projects", "一事一议奖补项目数", "个"),
        _count("land_consolidation_projects", "农田整治项目数", "个"),
        Column("road_hardened", bool, "通村道路已硬化"),
        Column("ecommerce_point", bool, "有电商服务站点"),
        Column("cold_storage", bool, "有冷库或冷链设施"),
        _count("insured_poor_households", "参加政策性农业保险贫困户数", "户"),
    ),
)

# The status of each of the plan's 27 measures (data/measures.csv) in a quarter.
MEASURE_STATUS = Entity(
    "measure_status",
    "工作措施进展",
    key=("measure",),
    title="status",
    columns=(
        Column("measure", int, "措施序号", minimum=1, maximum=27),
        Column("status", str, "进展状态", choices=tuple(config.MEASURE_STATUSES)),
        Column("note", str, "进展说明", required=False),
    ),
)

# --- 湛柳协作 flows (issue 10): funds, labour transfers and purchases between paired counties ---
COOPERATION_FLOWS = Entity(
    "cooperation_flows",
    "湛柳协作往来",
    key=("id",),
    title="kind",
    columns=(
        Column("id", str, "编号"),
        Column("kind", str, "类型", choices=tuple(config.FLOW_UNITS)),
        _code("zj_county_code", "湛江县区", 6, counties_of="zhanjiang"),
        _code("lz_county_code", "柳州县区", 6, counties_of="liuzhou"),
        Column("year", int, "年份", minimum=2016, maximum=2030),
        # 万元 for funds and purchases, persons for labour transfers (config.FLOW_UNITS)
        Column("amount", float, "数量（万元或人）", minimum=0.0),
    ),
)

ENTITIES: tuple[Entity, ...] = (
    VILLAGES,
    PRODUCTS,
    TOWN_INDUSTRIES,
    PARKS,
    PARK_VILLAGES,
    ENTERPRISES,
    COOPERATIVES,
    AQUACULTURE,
    LINKAGES,
    PAIRINGS,
    COOPERATION_PROJECTS,
    CITY_STATS,
    VILLAGE_INFRASTRUCTURE,
    MEASURE_STATUS,
    # --- 湛柳协作 flows (issue 10) ---
    COOPERATION_FLOWS,
)
BY_TABLE = {e.table: e for e in ENTITIES}


# --- validation ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordError:
    entity: str
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.entity} {self.record}：{self.message}"


@dataclass
class SchemaError(ValueError):
    errors: list[RecordError] = field(default_factory=list)

    def __str__(self) -> str:
        shown = "\n".join(str(e) for e in self.errors[:20])
        more = len(self.errors) - 20
        return shown + (f"\n……另有 {more} 处错误" if more > 0 else "")


_TRUE = {"true", "1", "是", "yes", "y", "√"}
_FALSE = {"false", "0", "否", "no", "n", ""}
# The database stores integers in 64 bits (BigInteger); beyond that a value cannot be saved.
INT_LIMIT = 2**63 - 1
# How much of a bad value an error message repeats (a 5,000-character cell would drown it).
SHOWN_CHARS = 40
# Characters no database column can hold: NUL (PostgreSQL) and lone surrogates (UTF-8).
_UNSAVEABLE = re.compile("[\x00\ud800-\udfff]")
# Whitespace str.strip() keeps: zero-width space, word joiner, BOM.
_INVISIBLE = "\u200b\u2060\ufeff"
_CITIES = {"zhanjiang": config.ZHANJIANG, "liuzhou": config.LIUZHOU}


@lru_cache(maxsize=None)
def _county_codes(city: str) -> frozenset[str]:
    return frozenset(geodata.counties(_CITIES[city])["adcode"])


def shown(value, limit: int = SHOWN_CHARS) -> str:
    """`value` as text safe to print and store: lone surrogates escaped, long text cut."""
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "…"


def is_quarter(value) -> bool:
    return isinstance(value, str) and re.fullmatch(QUARTER_PATTERN, value, flags=re.ASCII) is not None


def _describe(entity: Entity, row, position: int) -> str:
    key = "/".join(shown(row.get(k, "")) for k in entity.key)
    title = row.get(entity.title) if entity.title else None
    titled = f"（{shown(title)}）" if title is not None and not (not isinstance(title, str) and pd.isna(title)) \
        and str(title).strip() else ""
    return f"第{position + 1}条 [{key}]{titled}"


def _is_missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _coerce(value, column: Column):
    """Return (value, None) or (None, Chinese problem description)."""
    if isinstance(value, str):
        value = value.strip().strip(_INVISIBLE).strip()
    if _is_missing(value) or value == "":
        if column.required and column.kind is not bool:
            return None, f"缺少「{column.label}」"
        return (False if column.kind is bool else None), None
    kind = {bool: "是/否", int: "整数", float: "数字", str: "文本"}[column.kind]
    wrong = f"「{column.label}」应为{kind}，实际为“{shown(value)}”"
    try:
        if column.kind is bool:
            text = str(value).strip().lower()
            if text in _TRUE:
                return True, None
            if text in _FALSE:
                return False, None
            raise ValueError
        if column.kind is int:
            number = float(value)
            if not number.is_integer():
                raise ValueError
            if abs(number) > INT_LIMIT:
                return None, f"「{column.label}」超出可保存的范围：{shown(value)}"
            value = int(number)
        elif column.kind is float:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError
        else:
            value = str(value)
            if _UNSAVEABLE.search(value):
                return None, f"「{column.label}」含有无法保存的字符：“{shown(value)}”"
    except (TypeError, ValueError, OverflowError):
        return None, wrong
    if column.pattern and not re.fullmatch(column.pattern, value, flags=re.ASCII):
        return None, f"「{column.label}」格式不对：“{shown(value)}”"
    if column.choices and value not in column.choices:
        return None, f"「{column.label}」应为 {'/'.join(column.choices)} 之一，实际为“{shown(value)}”"
    if column.minimum is not None and value < column.minimum:
        return None, f"「{column.label}」不应小于 {column.minimum:g}，实际为 {value}"
    if column.maximum is not None and value > column.maximum:
        return None, f"「{column.label}」不应大于 {column.maximum:g}，实际为 {value}"
    if column.counties_of and value not in _county_codes(column.counties_of):
        city = "湛江" if column.counties_of == "zhanjiang" else "柳州"
        return None, f"「{column.label}」不是{city}市的县区代码：“{value}”"
    if column.wkt:
        problem = _wkt_problem(value)
        if problem:
            return None, f"「{column.label}」{problem}：“{shown(value)}”"
    return value, None


_SLOW = object()  # "not the common case": the cell goes through _coerce


def _fast_path(column: Column):
    """A function giving the coerced value of a cell in the common case (a clean value of the
    column's kind, within its limits), else _SLOW. Only ever accepts what _coerce accepts,
    and gives the same value."""
    low = -INT_LIMIT if column.minimum is None else column.minimum
    high = INT_LIMIT if column.maximum is None else column.maximum
    if column.kind is int:
        def fast(v):
            if type(v) is float and v.is_integer():
                v = int(v)
            return v if type(v) is int and low <= v <= high and abs(v) <= INT_LIMIT else _SLOW
    elif column.kind is float:
        def fast(v):
            if type(v) is int or type(v) is float:
                v = float(v)
                return v if math.isfinite(v) and low <= v <= high else _SLOW
            return _SLOW
    elif column.kind is bool:
        def fast(v):
            return v if v is True or v is False else _SLOW
    elif column.wkt:
        def fast(v):
            return _SLOW  # few records (areas at sea); shapely checks each
    else:
        pattern = re.compile(column.pattern, flags=re.ASCII).fullmatch if column.pattern else None
        choices = frozenset(column.choices) if column.choices else None
        counties = _county_codes(column.counties_of) if column.counties_of else None

        def fast(v):
            if type(v) is not str:
                return _SLOW
            v = v.strip().strip(_INVISIBLE).strip()
            if (not v or _UNSAVEABLE.search(v) or (pattern is not None and pattern(v) is None)
                    or (choices is not None and v not in choices) or (counties is not None and v not in counties)):
                return _SLOW
            return v
    return fast


def coerce_column(values: list, column: Column) -> tuple[list, dict[int, str]]:
    """_coerce of every value of a column: (the values, {position: problem}).

    The common case runs in one tight loop; every other cell (empty, of another kind, out of
    range, wrong) goes through _coerce, so values and messages are exactly its. About ten
    times faster than _coerce cell by cell on a 50,000-row ledger (bench/bench_ledger_import.py).
    """
    fast = _fast_path(column)
    out = [fast(v) for v in values]
    problems = {}
    for position, value in enumerate(out):
        if value is _SLOW:
            out[position], problem = _coerce(values[position], column)
            if problem:
                problems[position] = problem
    return out, problems


def _wkt_problem(text: str) -> str | None:
    try:
        with np.errstate(invalid="ignore"):  # "nan" coordinates: judged below
            geometry = shapely.from_wkt(text)
    except shapely.errors.ShapelyError:
        return "不是有效的 WKT 几何"
    if geometry is None or geometry.is_empty:
        return "是空几何"
    xy = shapely.get_coordinates(geometry)
    inside = ((xy[:, 0] >= LON.minimum) & (xy[:, 0] <= LON.maximum)
              & (xy[:, 1] >= LAT.minimum) & (xy[:, 1] <= LAT.maximum))  # False for nan
    if not inside.all():
        return "坐标不在中国经纬度范围内"
    return None


def check(entity: Entity, frame: pd.DataFrame,
          quarter: str | None = None) -> tuple[pd.DataFrame, list[RecordError]]:
    """The records of `frame` that pass, typed, and an error naming each one that does not
    (with `quarter`, a record of another quarter does not pass either).

    Pages use this to show what they can; validate() refuses the whole frame instead.
    A missing column is an error of every record (nothing passes).
    """
    missing = [c.label for c in entity.all_columns if c.name not in frame.columns and c.required]
    if missing:
        return empty(entity), [RecordError(entity.label, "表头", f"缺少列：{'、'.join(missing)}")]
    # an optional column may be left out altogether: it is empty then
    frame = frame.assign(**{c.name: None for c in entity.all_columns if c.name not in frame.columns})
    errors: list[RecordError] = []
    raw = {c.name: frame[c.name].tolist() for c in entity.all_columns}
    out: dict[str, list] = {}
    problems: dict[int, list[str]] = {}  # by position, in column order
    for column in entity.all_columns:
        out[column.name], found = coerce_column(raw[column.name], column)
        if column is QUARTER and quarter is not None:
            for position, value in enumerate(out[column.name]):
                if position not in found and value != quarter:
                    found[position] = f"属于季度“{shown(value)}”，不属于 {quarter}"
        for position, problem in found.items():
            problems.setdefault(position, []).append(problem)
    bad = sorted(problems)
    for position in bad:
        described = _describe(entity, {name: values[position] for name, values in raw.items()}, position)
        errors += [RecordError(entity.label, described, p) for p in problems[position]]
    clean = pd.DataFrame(out, columns=entity.column_names)
    good = clean.drop(index=bad)
    duplicated = good.duplicated(list(entity.key) + ["quarter"], keep="first")
    for position in good.index[duplicated]:
        errors.append(RecordError(entity.label, _describe(entity, clean.loc[position], position), "重复记录"))
    good = good[~duplicated]
    return _typed(entity, good.reset_index(drop=True)), errors


def validate(entity: Entity, frame: pd.DataFrame, quarter: str | None = None) -> pd.DataFrame:
    """Coerce `frame` to the entity's columns or raise SchemaError naming each bad record."""
    clean, errors = check(entity, frame, quarter)
    if errors:
        raise SchemaError(errors)
    return clean


def _typed(entity: Entity, frame: pd.DataFrame) -> pd.DataFrame:
    # Plain numpy dtypes where values cannot be missing, so arithmetic stays simple.
    def dtype(column: Column) -> str:
        if column.kind is int:
            return "int64" if column.required else "Int64"
        return {str: "str", float: "float64", bool: "bool"}[column.kind]

    return frame.astype({c.name: dtype(c) for c in entity.all_columns})


def empty(entity: Entity) -> pd.DataFrame:
    return _typed(entity, pd.DataFrame(columns=entity.column_names))
