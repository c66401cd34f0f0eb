"""Validating a ledger (台账) workbook before anything is written.

Input: the sheets of an uploaded file (spreadsheet.read). Output: a `Ledger` with the records
of each entity ready for `Store.save`, and a table of problems a clerk can act on: sheet, row
(as Excel numbers it), column, the value, what was expected, in Chinese. Errors block the
commit; hints (提示) do not.

Layout (the same as the quarter export and the template): one sheet per entity titled
`entity.label`, a header row of `column.label`s (not necessarily the first row), data below.
Sheets are recognised by title, else by their header. Extra columns are ignored and listed;
hidden and empty sheets are skipped and listed; 季度 and 数据来源 may be left out.
The bureau's form layout reads too (sheet_layout): title and 填报单位 rows above the header, a
序号 column, 小计/合计 rows (skipped, their numbers checked against the rows they total) and a
signature footer. A 季度 column of another quarter (last quarter's file updated) is one error
for the file, or replaced by the chosen quarter when asked (`replace_quarter`).
An entity missing from the file keeps the current revision's records.

Cells are read as clerks type them: √/×/有/无 for 是/否, "1,156" and "83户" for numbers, 99.1
for a share of 0.991, each leniency told as a 提示. A blank 是/否 cell keeps the record's value in
`Ledger.base`, and is an error for a record the base does not have (schema._coerce reads a
blank as 否, which is right for stored data but not for a clerk's empty cell).

Coordinates: the reading of degrees is here (coordinates.py); converting GCJ-02/BD-09 to
WGS-84 belongs to fupin_geo.geo, a layer below this one, so the caller passes it in as
`to_wgs84` (see fupin_geo/data/ledger.py).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd
import shapely

from .. import config
from . import geodata, schema, sheet_layout
from .coordinates import CoordinateError, parse_coordinate
from .spreadsheet import Sheet, Workbook, cell_name

ERROR, HINT = "错误", "提示"
PROBLEM_COLUMNS = ["级别", "工作表", "行", "列", "值", "说明"]
INSTRUCTIONS_SHEET = "说明"
ROW = "_row"  # the Excel row number each record came from
# A column a clerk adds (or finds in the template) to delete the row's record: the only way a
# file deletes a record by itself (see ledger_merge).
DELETE_LABEL = "删除"
DELETE = "_delete"
_DELETE_YES = {"是", "√", "✓", "y", "yes", "删除", "删"}
_DELETE_NO = {"", "否", "n", "no", "×"}

# Counts that cannot exceed another count of the same record: (entity, part, whole).
_NOT_MORE_THAN = (
    ("villages", "poor_households", "households"),
    ("villages", "poor_households_in_coop", "poor_households"),
    ("villages", "labour_households", "poor_households"),
    ("villages", "labour_households_in_project", "labour_households"),
    ("villages", "trained_labourers", "poor_labourers"),
    ("cooperatives", "poor_members", "members"),
    ("linkages", "poor_households", "households"),
)
# Columns holding a 湛江 county code, and the Liuzhou one (accept names too).
_ZJ_COUNTY_COLUMNS = ("county_code", "zj_county_code")
_LZ_COUNTY_COLUMNS = ("lz_county_code",)
_VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "社区居委会", "社区居委", "村委会", "居委会", "社区")
# The two kinds of village-level unit, told by how the name ends: 城月镇 has both a 城月村民委员会
# and a 城月社区居民委员会, and "城月村" / "城月社区" each mean one of them.
RURAL, COMMUNITY = "村", "社区"
_RURAL_ENDINGS = ("村民委员会", "村委会", "村")
_COMMUNITY_ENDINGS = ("居民委员会", "社区居委会", "社区居委", "居委会", "社区")
_TOWN_SUFFIXES = ("街道办事处", "街道办", "街道", "镇", "乡")
# Closest names offered for an unknown village or town: how many, and difflib's lowest ratio
# (0.4: 官湖乡 still finds 官湖).
CLOSEST_COUNT, CLOSEST_CUTOFF = 3, 0.4
# The 镇街名称 column beside 镇街代码: read to fill a blank code or check a written one.
TOWN_NAME, TOWN_NAME_LABEL = "town_name", "镇街名称"
# A long sheet's per-row steps report their progress at least this often (the page's bar moves).
PROGRESS_ROWS = 5_000
# Shares of the bar (0..1): reading the sheets' rows up to READ_SHARE, checking the tables up to
# CHECK_SHARE, where validate_workbook goes on to the references between tables.
READ_SHARE, CHECK_SHARE = 0.6, 0.85
_SCIENTIFIC = re.compile(r"^\s*\d(\.\d+)?[eE]\+?\d+\s*$")
# a cell of a code column that is a code (maybe mistyped), not a name
_CODE_LIKE = re.compile(r"^[\s0-9０-９.eE+]*$")
_SPACES = re.compile(r"\s+")

# Village columns that may be left empty: the code is matched from the name, the town and
# county come from the code, a missing position is placed approximately.
_DEFERRED = ("code", "town_code", "county_code", "lon", "lat", "position_quality")
# Optional columns the template gained after counties had made their forms from it: a sheet
# without one is still read, and each of its records keeps the value stored for it (a new
# record has none), so a form made before the column never erases it.
KEPT_WHEN_ABSENT = {"villages": ("exit_quarter",)}
# The template's 镇街名称 column beside 镇街代码 (villages): not a schema column; read, not
# reported as unknown.
TOWN_NAME_LABEL = "镇街名称"
# Yes/no as clerks tick them, beside 是/否 (schema._coerce reads those and true/false).
_YES = frozenset({"√", "✓", "✔", "有"})
_NO = frozenset({"×", "✗", "✘", "无", "没有"})
BLANK_YES_NO = "「{label}」没有填写；应填 是 或 否（√/×、有/无 也可以）"
# A number as typed: optional thousands separators ("1,156"), then an optional unit ("83 户").
_NUMBER = re.compile(r"([+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(\D*)")
# Units a count or amount may be typed with; a unit the column is not counted in is an error
# (dropping 元 from an amount in 万元 would multiply it by 10,000). Two spellings of one unit:
_UNITS = frozenset({"户", "人", "名", "亩", "公顷", "万元", "元", "个", "项", "家", "吨"})
_SAME_UNIT = {"名": "人", "项": "个"}
SHARE_EXPECTED = "此列可填 0–1 的小数或 0–100%"
# Hints collected per cell while converting, reported once per column (units) or per cell
UNIT_HINT, PERCENT_HINT = "unit", "percent"
# 全市指标's 指标 typed by name (as the template and exports show it) or by key
_INDICATOR_KEYS = {typed: key for key, name in config.CITY_INDICATORS.items()
                   for typed in (_SPACES.sub("", unicodedata.normalize("NFKC", name)), key)}
_UNBOUNDED = {c.name: replace(c, minimum=None, maximum=None) for c in (schema.LON, schema.LAT)}

Converter = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass
class Problem:
    level: str
    sheet: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class SheetLayout:
    """Where a sheet's cells are, to point at them again (the marked copy, the 村名 of a problem)."""

    table: str
    header: int  # 0-based index of the header row in Sheet.rows
    columns: dict[str, int]  # column label (schema) -> 0-based column index
    # Excel row -> the row's 村名 (贫困村 sheet) or 村代码 (sheets of villages' records), as typed
    villages: dict[int, object] = field(default_factory=dict)


@dataclass
class Ledger:
    quarter: str
    # table -> the file's validated records, with ROW (their Excel rows)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # tables read from the file
    swaps: int = 0  # rows whose latitude and longitude look swapped
    # the Dataset the file is checked against (its records may fill what the file leaves blank)
    base: object | None = None
    # progress(share 0..1, stage in Chinese), for the long per-row steps
    progress: Callable[[float, str], None] | None = field(default=None, repr=False)
    # table -> key columns (and ROW) of the rows whose 删除 column says 是
    deletions: dict[str, pd.DataFrame] = field(default_factory=dict)
    # the quarters written in the file's 季度 columns ("2019Q4"), sorted: the page offers to
    # import a file of another quarter as the chosen one
    file_quarters: list[str] = field(default_factory=list)
    # sheet title -> its layout, for each sheet read; and the file itself (the marked copy)
    layouts: dict[str, SheetLayout] = field(default_factory=dict, repr=False)
    source: bytes | None = field(default=None, repr=False)
    # cells of the file, each sheet counted as its rows × its widest row (the marked copy's size)
    cells: int = 0

    def sheet_title(self, table: str) -> str:
        """The title of the sheet `table` was read from (its label when the file has none)."""
        found = (title for title, layout in self.layouts.items() if layout.table == table)
        return next(found, schema.BY_TABLE[table].label)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def problem_table(self) -> pd.DataFrame:
        rows = [[p.level, p.sheet, p.row, p.column, p.value, p.message] for p in self.problems]
        frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
        frame["行"] = frame["行"].astype("Int64")
        return frame


def _normal_label(text) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))) if text is not None else ""


def _shown(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "……"


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and np.isnan(value))


# --- reference data ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _counties() -> tuple[dict[str, str], dict[str, str]]:
    """(湛江 name or code -> code, 柳州 name or code -> code)."""
    frame = geodata.counties()
    lookups = ({}, {})
    for row in frame.itertuples():
        lookup = lookups[0] if row.city_adcode == config.ZHANJIANG else lookups[1]
        for key in (row.adcode, row.name, row.short_name):
            lookup[str(key)] = row.adcode
    return lookups


@lru_cache(maxsize=1)
def _towns() -> pd.DataFrame:
    return geodata.towns(config.ZHANJIANG).set_index("code")


def village_key(name: str) -> str:
    """A village name without its committee suffix and one trailing 村: the matching key."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(name)))
    stripped = True
    while stripped:  # 南方社区居民委员会 -> 南方社区 -> 南方
        stripped = False
        for suffix in _VILLAGE_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, stripped = text[: -len(suffix)], True
                break
    if text.endswith("村") and len(text) > 1:
        text = text[:-1]
    return text


def village_kind(name: str) -> str | None:
    """RURAL (村民委员会) or COMMUNITY (社区居民委员会) when the name's ending says which, else None."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(name)))
    if text.endswith(_COMMUNITY_ENDINGS):
        return COMMUNITY
    if text.endswith(_RURAL_ENDINGS):
        return RURAL
    return None


@dataclass(frozen=True)
class Match:
    code: str | None
    candidates: tuple[str, ...] = ()  # ambiguous: "name（town，code）" of each
    closest: tuple[str, ...] = ()  # unknown: the nearest names
    candidate_codes: tuple[str, ...] = ()  # ambiguous: the code of each candidate


class VillageMatcher:
    """Village names → 12-digit codes of geodata/villages.csv (湛江).

    Everything a row needs is built once: the key of every unit, and for the closest-name search
    the keys of each county and of the whole city with an index of their characters. A name
    whose difflib ratio reaches CLOSEST_CUTOFF shares at least one character with the written
    one, so difflib only looks at those keys and finds what it finds over the whole pool."""

    def __init__(self, units: pd.DataFrame | None = None):
        units = geodata.village_units(config.ZHANJIANG) if units is None else units
        codes, names = units["code"].tolist(), units["name"].tolist()
        self.names: dict[str, str] = dict(zip(codes, names))  # a row's lookup, fast
        self.town_of: dict[str, str] = dict(zip(codes, units["town_code"].tolist()))
        self.county_of: dict[str, str] = dict(zip(codes, units["county_code"].tolist()))
        self.kind_of: dict[str, str | None] = {code: village_kind(name) for code, name in zip(codes, names)}
        self.by_key: dict[str, list[str]] = {}
        # county (None: the city) -> key -> the name shown for it (the last unit with that key)
        self.pools: dict[str | None, dict[str, str]] = {None: {}}
        for code, name, county in zip(codes, names, self.county_of.values()):
            key = village_key(name)
            self.by_key.setdefault(key, []).append(code)
            self.pools[None][key] = name
            self.pools.setdefault(county, {})[key] = name
        self._chars: dict[str | None, dict[str, list[str]]] = {}
        for county, pool in self.pools.items():
            chars: dict[str, list[str]] = {}
            for key in pool:
                for char in set(key):
                    chars.setdefault(char, []).append(key)
            self._chars[county] = chars
        self._closest: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self.towns = geodata.towns(config.ZHANJIANG).set_index("code")["name"].to_dict()

    def describe(self, code: str) -> str:
        town = self.town_of[code]
        return f"{self.names[code]}（{self.towns.get(town, town)}，{code}）"

    def match(self, name: str, town_code: str | None = None, county_code: str | None = None,
              nearest: bool = True) -> Match:
        """The unit `name` denotes (narrowed by town, county and, within one town, the kind its
        ending says), the candidates when several remain, or (`nearest`) the county's closest names."""
        key = village_key(name)
        codes = self.by_key.get(key, [])
        for lookup, wanted in ((self.town_of, town_code), (self.county_of, county_code)):
            if wanted and len(codes) > 1:
                codes = [c for c in codes if lookup[c] == wanted] or codes
        # 城月村 is the 村民委员会, 城月社区 the 社区居民委员会 of the same town; units of several
        # towns are told apart by the town, not by the kind (the name may be of another town's)
        kind = village_kind(name) if len({self.town_of[c] for c in codes}) == 1 < len(codes) else None
        if kind:
            codes = [c for c in codes if self.kind_of[c] == kind] or codes
        if len(codes) == 1:
            return Match(codes[0])
        if codes:
            return Match(None, candidates=tuple(self.describe(c) for c in codes), candidate_codes=tuple(codes))
        return Match(None, closest=self.closest(key, county_code) if nearest else ())

    def closest(self, key: str, county_code: str | None = None) -> tuple[str, ...]:
        """The names nearest to `key` in the county (unknown county: none; None: the city)."""
        found = self._closest.get((key, county_code))
        if found is None:
            pool = self.pools.get(county_code or None, {})
            chars = self._chars.get(county_code or None, {})
            sharing = {k for char in set(key) for k in chars.get(char, ())}
            keys = difflib.get_close_matches(key, sharing, n=CLOSEST_COUNT, cutoff=CLOSEST_CUTOFF)
            found = self._closest[(key, county_code)] = tuple(pool[k] for k in keys)
        return found


@lru_cache(maxsize=1)
def matcher() -> VillageMatcher:
    return VillageMatcher()


@lru_cache(maxsize=1)
def _town_index() -> dict[str, list[str]]:
    """A town's code, name, short name and name without 镇/街道/乡 -> the codes it may mean."""
    index: dict[str, list[str]] = {}
    for code, name, short in zip(_towns().index, _towns()["name"], _towns()["short_name"]):
        for key in dict.fromkeys((code, _normal_label(name), _normal_label(short), town_key(name))):
            index.setdefault(key, []).append(code)
    return index


def town_key(name) -> str:
    """A town's name without its 镇/街道/乡 suffix: 城月镇 and 城月 are one town."""
    text = _normal_label(name)
    for suffix in _TOWN_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _describe_town(code: str, county: bool = False) -> str:
    towns = _towns()
    where = f"{geodata.county_name(towns.at[code, 'county_code'])}，" if county else ""
    return f"{towns.at[code, 'name']}（{where}{code}）"


@lru_cache(maxsize=4096)
def town_code(written: str, county_code: str | None = None) -> tuple[str | None, str | None]:
    """(9-digit code, None) of the 湛江 town `written` names (its code, name or short name),
    the county telling apart towns of the same name; else (None, the problem in Chinese)."""
    text = _normal_label(written)
    codes = _town_index().get(text) or _town_index().get(town_key(text)) or []
    if county_code and len(codes) > 1:
        codes = [c for c in codes if _towns().at[c, "county_code"] == county_code] or codes
    if len(codes) == 1:
        return codes[0], None
    if codes:
        return None, ("有多个同名镇街：" + "、".join(_describe_town(c, county=True) for c in codes)
                      + "；请填写县区或 9 位镇街代码区分")
    towns = _towns()
    pool = towns if not county_code else towns[towns["county_code"] == county_code]
    keys: dict[str, list[str]] = {}
    for code, name in zip(pool.index, pool["name"]):
        keys.setdefault(town_key(name), []).append(code)
    near = difflib.get_close_matches(town_key(text), list(keys), n=CLOSEST_COUNT, cutoff=CLOSEST_CUTOFF)
    shown = [_describe_town(c, county=len(keys[k]) > 1) for k in near for c in keys[k]]
    where = f"{geodata.county_name(county_code)}" if county_code in _counties()[0].values() else "湛江市"
    return None, ("没有这个镇街；" + ("最接近的有：" + "、".join(shown) if shown else f"{where}没有名称相近的镇街"))


class _Progress:
    """`ledger.progress` while the tables are checked: passes (share, text) on without ever going
    back, and knows the part of the bar each table's check has (`spans`, by its rows)."""

    def __init__(self, tell: Callable[[float, str], None], spans: dict[str, tuple[float, float]]):
        self.tell, self.spans, self.last = tell, spans, 0.0

    def __call__(self, share: float, text: str) -> None:
        self.last = max(self.last, min(share, 1.0))
        self.tell(self.last, text)


def _part(span: tuple[float, float] | None, start: float, end: float) -> tuple[float, float] | None:
    """The part [start, end] (shares of 1) of `span`."""
    if span is None:
        return None
    width = span[1] - span[0]
    return span[0] + width * start, span[0] + width * end


class _Rows:
    """The progress of a per-row loop over `total` rows within `span` of the bar: `at(i)` says
    "<stage>第 i / total 行" each time i passes another PROGRESS_ROWS rows, `done()` at the end."""

    def __init__(self, ledger: Ledger, span: tuple[float, float] | None, stage: str, total: int):
        self.tell = ledger.progress if span is not None and total else None
        self.span, self.stage, self.total, self.next = span, stage, total, 0

    def at(self, done: int) -> None:
        if self.tell is not None and done >= self.next:
            self.next = done - done % PROGRESS_ROWS + PROGRESS_ROWS
            self._say(done)

    def done(self) -> None:
        if self.tell is not None:
            self._say(self.total)

    def _say(self, done: int) -> None:
        start, end = self.span
        self.tell(start + (end - start) * done / self.total, f"{self.stage}第 {done:,} / {self.total:,} 行")


# --- sheets -> entities -----------------------------------------------------------------------
def _labels(entity: schema.Entity) -> dict[str, schema.Column]:
    labels = {}
    for column in entity.all_columns:
        labels[_normal_label(column.label)] = column
        labels[_normal_label(schema.header(column))] = column  # the template's 总户数（户）
        labels[_normal_label(column.name)] = column
    return labels


def _find_header(sheet: Sheet, entity: schema.Entity) -> tuple[int, int] | None:
    """(row index of the header, labels matched) for `entity`, or None."""
    labels = _labels(entity)
    best = None
    for index, row in enumerate(sheet.rows[: config.HEADER_SEARCH_ROWS]):
        found = {labels[_normal_label(v)].name for v in row if _normal_label(v) in labels}
        if best is None or len(found) > best[1]:
            best = (index, len(found))
    needed = max(1, min(2, len(entity.columns)))
    if best is None or best[1] < needed:
        return None
    return best


def _entity_of(sheet: Sheet) -> tuple[schema.Entity, int] | None:
    title = _normal_label(sheet.title)
    for entity in schema.ENTITIES:
        if _normal_label(entity.label) == title:
            header = _find_header(sheet, entity)
            return (entity, header[0]) if header else None
    scored = []
    for entity in schema.ENTITIES:
        header = _find_header(sheet, entity)
        if header:
            # share of the entity's columns found; ties go to the entity with more columns
            scored.append((header[1] / len(entity.columns), header[1], entity, header[0]))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return scored[0][2], scored[0][3]


def validate_workbook(workbook: Workbook, quarter: str, previous=None, to_wgs84: Converter | None = None,
                      swap_fix: bool = False, progress: Callable[[float, str], None] | None = None,
                      replace_quarter: bool = False) -> Ledger:
    """Check every sheet of `workbook` as the ledger of `quarter`; nothing is written.

    `previous`: the Dataset the file will be merged onto (ledger_merge): the quarter now, or
    a new quarter's carried-over start; blank cells may keep its values.
    `to_wgs84(lons, lats)`: converts the file's coordinate system (None = WGS-84).
    `swap_fix`: swap latitude and longitude where they look swapped (else it is an error).
    `replace_quarter`: a 季度 column of another quarter is replaced by `quarter` (else it is
    one error for the file).
    """
    ledger = Ledger(quarter, base=previous, progress=progress, source=workbook.data,
                    cells=sum(len(s.rows) * max(map(len, s.rows), default=0) for s in workbook.sheets))
    if not re.fullmatch(schema.QUARTER_PATTERN, quarter or ""):
        ledger.problems.append(Problem(ERROR, "", None, "季度", _shown(quarter), "季度应写成 2020Q1 的形式"))
        return ledger
    if workbook.encoding:
        ledger.notes.append(f"CSV 文件的编码识别为 {workbook.encoding}")
    seen: dict[str, str] = {}
    raw: dict[str, tuple[Sheet, pd.DataFrame]] = {}
    for number, sheet in enumerate(workbook.sheets):
        span = (READ_SHARE * number / len(workbook.sheets), READ_SHARE * (number + 1) / len(workbook.sheets))
        if progress:
            progress(span[0], f"正在读取工作表「{sheet.title}」")
        if _normal_label(sheet.title) == INSTRUCTIONS_SHEET:
            continue
        if sheet.hidden:
            ledger.notes.append(f"隐藏的工作表「{sheet.title}」未导入（请取消隐藏后再上传，如需导入）")
            continue
        if not any(not _empty(v) for row in sheet.rows for v in row):
            ledger.notes.append(f"工作表「{sheet.title}」是空的，已跳过")
            continue
        found = _entity_of(sheet)
        if found is None:
            ledger.notes.append(f"工作表「{sheet.title}」的表头不是任何台账表，已跳过")
            continue
        entity, header = found
        if entity.table in seen:
            ledger.problems.append(Problem(ERROR, sheet.title, header + 1, "", "",
                                           f"与工作表「{seen[entity.table]}」都是「{entity.label}」表；请合并为一张"))
            continue
        seen[entity.table] = sheet.title
        ledger.notes.extend(f"工作表「{sheet.title}」：{note}" for note in sheet.notes)
        rows = _read_rows(ledger, sheet, entity, header, span if progress else None)
        if rows.empty:  # e.g. the template's sheets that hold only its example rows: named below
            continue
        raw[entity.table] = (sheet, rows)
    _check_file_quarters(ledger, raw, replace_quarter)
    if progress:
        progress(READ_SHARE, "正在核对记录")
        ledger.progress = _Progress(progress, _spans(raw))
    for entity in schema.ENTITIES:
        if entity.table in raw:
            sheet, frame = raw[entity.table]
            frame, marked = _split_deletions(ledger, sheet, entity, frame)
            ledger.frames[entity.table] = _check_entity(ledger, sheet, entity, frame, to_wgs84, swap_fix)
            if marked is not None:
                ledger.deletions[entity.table] = marked
            ledger.imported.append(entity.table)
    if not ledger.imported:
        ledger.problems.append(Problem(ERROR, "", None, "", "", "文件中没有可识别的台账表（表头应为模板中的中文列名）"))
        return ledger
    absent = [e.label for e in schema.ENTITIES if e.table not in ledger.imported]
    if absent:
        ledger.notes.append(f"这些表不在文件中，或只有表头和示例行，未导入，其记录保持不变：{'、'.join(absent)}")
    if progress:
        progress(1.0, "核对完成")
    return ledger


def _split_deletions(ledger: Ledger, sheet: Sheet, entity: schema.Entity,
                     frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(rows to add or update, keys of the rows whose 删除 column says 是, or None)."""
    if DELETE not in frame:
        return frame, None
    marks = frame.pop(DELETE)
    wanted = []
    for row, mark in zip(frame[ROW], marks):
        text = "" if _empty(mark) else _normal_label(mark).lower()
        if text in _DELETE_NO:
            wanted.append(False)
        elif _is_delete_mark(mark):
            wanted.append(True)
        else:
            wanted.append(False)
            _problem(ledger, sheet, row, DELETE_LABEL, mark, "「删除」列只能填“是”（删除这条记录）或留空")
    wanted = np.array(wanted, dtype=bool)
    if not wanted.any():
        return frame, None
    marked = frame[wanted].reset_index(drop=True)
    out = {ROW: marked[ROW].tolist()}
    for name in entity.key:
        column = entity.column(name)
        values = [_convert(v, column, ledger.quarter)[0] for v in
                  (marked[name].tolist() if name in marked else [None] * len(marked))]
        out[name], found = schema.coerce_column(values, column)
        for position, problem in found.items():
            if not (entity is schema.VILLAGES and name == "code"):
                _problem(ledger, sheet, out[ROW][position], column.label, values[position], problem)
    keys = pd.DataFrame(out, dtype=object)
    if entity is schema.VILLAGES:  # a village to delete may be named instead of coded
        names = marked["name"].tolist() if "name" in marked else [None] * len(marked)
        for i, (code, name) in enumerate(zip(keys["code"], names)):
            if code is None:
                found = matcher().match(name) if not _empty(name) else Match(None)
                if found.code:
                    keys.at[i, "code"] = found.code
                else:
                    _problem(ledger, sheet, keys.at[i, ROW], "村代码", name or "",
                             "要删除的村需要填写 12 位村代码（或可唯一识别的村名）")
    ledger.notes.append(f"工作表「{sheet.title}」中有 {int(wanted.sum())} 行在“删除”列标了“是”：将删除这些记录")
    return frame[~wanted].reset_index(drop=True), keys


def _spans(raw: dict[str, tuple[Sheet, pd.DataFrame]]) -> dict[str, tuple[float, float]]:
    """The part of the bar each table's check takes, in the order of schema.ENTITIES, by rows."""
    tables = [entity.table for entity in schema.ENTITIES if entity.table in raw]
    total = sum(len(raw[table][1]) + 1 for table in tables)
    spans, start = {}, READ_SHARE
    for table in tables:
        end = start + (CHECK_SHARE - READ_SHARE) * (len(raw[table][1]) + 1) / total
        spans[table], start = (start, end), end
    return spans


def _town_name_column(entity: schema.Entity) -> str | None:
    """The name of `entity`'s 镇街名称 column (TOWN_NAME if the schema has none), or None
    when the entity has no 镇街代码."""
    names = [c.name for c in entity.all_columns]
    if "town_code" not in names:
        return None
    return next((c.name for c in entity.all_columns if c.label == TOWN_NAME_LABEL), TOWN_NAME)


def _read_rows(ledger: Ledger, sheet: Sheet, entity: schema.Entity, header: int,
               span: tuple[float, float] | None = None) -> pd.DataFrame:
    labels = _labels(entity)
    town_name = _town_name_column(entity)
    positions: dict[str, int] = {}
    extra = []
    delete_at = None
    row_number_at = None  # the form's 序号 column
    for index, value in enumerate(sheet.rows[header]):
        label = _normal_label(value)
        if not label:
            continue
        if label == DELETE_LABEL and delete_at is None:
            delete_at = index
            continue
        column = labels.get(label)
        if column is None and town_name == TOWN_NAME and label == TOWN_NAME_LABEL and TOWN_NAME not in positions:
            positions[TOWN_NAME] = index
            continue
        if column is None and row_number_at is None and sheet_layout.is_row_number_label(label):
            row_number_at = index
        elif column is None or column.name in positions:
            extra.append(str(value))
        else:
            positions[column.name] = index
    if extra:
        ledger.notes.append(f"工作表「{sheet.title}」中的列 {'、'.join(extra)} 不是模板中的列，已忽略")
    formula_cells = {(r, c) for r, c in sheet.formulas_without_value}
    data = {name: [] for name in positions}
    deletes: list = []
    rows = []
    examples = 0
    source_at = positions.get("source")
    # where a 合计/小计 label sits: the 序号 column or the record's name column
    label_at = [at for at in (row_number_at, positions.get(entity.title or "name")) if at is not None]
    totals: list[int] = []  # Excel rows of 合计/小计 rows
    footer: list[int] = []
    group_start = 0  # the first data row (index into `rows`) a 小计 adds up
    told = _Rows(ledger, span, f"正在读取「{sheet.title}」", len(sheet.rows) - header - 1)
    for index in range(header + 1, len(sheet.rows)):
        told.at(index - header - 1)
        row = sheet.rows[index]
        if all(_empty(v) for v in row):
            continue
        if source_at is not None and source_at < len(row) and str(row[source_at] or "").startswith(config.EXAMPLE_MARK):
            examples += 1
            continue
        kind = sheet_layout.total_kind(row, label_at)
        if kind:
            _check_total(ledger, sheet, entity, positions, row, index + 1, kind, rows, data,
                         group_start if kind == sheet_layout.SUBTOTAL else 0)
            if kind == sheet_layout.SUBTOTAL:
                group_start = len(rows)
            totals.append(index + 1)
            continue
        if sheet_layout.is_footer(row) or (footer and sheet_layout.continues_footer(row)):
            footer.append(index + 1)
            continue
        for name, at in positions.items():
            value = row[at] if at < len(row) else None
            if value is None and (index + 1, at + 1) in formula_cells:
                label = TOWN_NAME_LABEL if name == TOWN_NAME else entity.column(name).label
                ledger.problems.append(Problem(ERROR, sheet.title, index + 1, label, "",
                                               "公式没有保存计算结果；请在 Excel/WPS 中打开并保存后再上传"))
            data[name].append(value)
        if delete_at is not None:
            deletes.append(row[delete_at] if delete_at < len(row) else None)
        rows.append(index + 1)
    told.done()
    if examples:
        ledger.notes.append(f"工作表「{sheet.title}」中的 {examples} 行示例已跳过")
    above = [i + 1 for i, row in enumerate(sheet.rows[:header]) if not all(_empty(v) for v in row)]
    skipped = [f"{what} {len(numbers)} 行（{_row_span(numbers)}）" for what, numbers in (
        ("表头上方的标题、填报单位等", above), ("合计、小计行", totals), ("表尾的签名、注释", footer)) if numbers]
    if skipped:
        ledger.notes.append(f"工作表「{sheet.title}」中未导入的行：{'；'.join(skipped)}")
    imported = set(rows)
    ledger.notes.extend(f"工作表「{sheet.title}」：{note}" for top, bottom, note in sheet.merged
                        if imported.intersection(range(top, bottom + 1)))
    named = "name" if entity is schema.VILLAGES else "village_code"
    ledger.layouts[sheet.title] = SheetLayout(
        entity.table, header,
        {(TOWN_NAME_LABEL if name == TOWN_NAME else entity.column(name).label): at for name, at in positions.items()},
        dict(zip(rows, data[named])) if named in data else {})
    missing = [c.label for c in entity.columns if c.name not in positions
               and not (entity is schema.VILLAGES and c.name in _DEFERRED)
               and c.name not in KEPT_WHEN_ABSENT.get(entity.table, ())]
    # a sheet that only deletes records needs no more than their keys
    only_deletions = delete_at is not None and bool(deletes) and all(_is_delete_mark(d) for d in deletes)
    if missing and not only_deletions:
        ledger.problems.append(Problem(ERROR, sheet.title, header + 1, "、".join(missing), "",
                                       "缺少这些列（表头应与模板一致）"))
    frame = pd.DataFrame(data, dtype=object)
    frame[ROW] = rows
    if delete_at is not None:
        frame[DELETE] = deletes
    return frame


def _is_delete_mark(value) -> bool:
    return not _empty(value) and _normal_label(value).lower() in _DELETE_YES


def _row_span(numbers: list[int]) -> str:
    """Excel row numbers as "第 1–3、8 行"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return "第 " + "、".join(f"{a}–{b}" if b > a else str(a) for a, b in runs) + " 行"


def _summed(column: schema.Column) -> bool:
    """A count or amount a 合计 row adds up (not a code, year, share or coordinate)."""
    return column.kind in (int, float) and column.minimum == 0 and column.maximum is None


def _check_total(ledger: Ledger, sheet: Sheet, entity: schema.Entity, positions: dict[str, int], row: tuple,
                 excel_row: int, kind: str, rows: list[int], data: dict[str, list], start: int) -> None:
    """A 提示 for each number of a 合计/小计 row that differs from the sum of the data rows it
    totals (合计: all rows so far; 小计: those since the previous 小计). Cells without a number
    (empty, or a formula saved without its result) are not checked."""
    if start >= len(rows):
        return
    for name, at in positions.items():
        column = entity.column(name)
        if not _summed(column) or at >= len(row):
            continue
        total = sheet_layout.number(row[at])
        values = [sheet_layout.number(v) for v in data[name][start:]]
        if total is None or any(n is None and not _empty(v) for n, v in zip(values, data[name][start:])):
            continue  # a cell that is no number is reported on its own row
        added = sum(v for v in values if v is not None)
        if abs(added - total) > 1e-6 * max(1.0, abs(total)):
            first, last = rows[start], rows[-1]
            scope = ("各行" if kind == sheet_layout.GRAND_TOTAL
                     else f"第 {first}–{last} 行" if last > first else f"第 {first} 行")
            _problem(ledger, sheet, excel_row, column.label, _number_text(total),
                     f"{kind}行的「{column.label}」为 {_number_text(total)}，与{scope}之和 {_number_text(added)} "
                     f"不一致；{kind}行不导入，请核对", HINT)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def _check_file_quarters(ledger: Ledger, raw: dict[str, tuple[Sheet, pd.DataFrame]], replace: bool) -> None:
    """The file's 季度 columns: each readable cell as "2020Q1"; cells of another quarter are set
    to the chosen one, with ONE error for the file (or, when `replace`, one 提示), not one per row.
    Unreadable cells are left for _convert to report on their rows."""
    found: dict[str, int] = {}  # quarter -> rows
    filled = 0
    for _, frame in raw.values():
        if "quarter" not in frame:
            continue
        values = frame["quarter"].tolist()
        for i, value in enumerate(values):
            read = None if _empty(value) else sheet_layout.read_quarter(value)
            if read is not None:
                found[read] = found.get(read, 0) + 1
                filled += 1
                values[i] = ledger.quarter
        frame["quarter"] = values
    ledger.file_quarters = sorted(found)
    other = sorted(q for q in found if q != ledger.quarter)
    if not other:
        return
    shown = "、".join(other)
    rows = sum(found[q] for q in other)
    if replace:
        ledger.problems.append(Problem(HINT, "", None, "季度", shown,
                                       f"文件的「季度」列（{shown}）已按所选季度 {ledger.quarter} 替换"))
        return
    which = f"是 {shown}" if rows == filled else f"中有 {rows} 行是 {shown}"
    ledger.problems.append(Problem(
        ERROR, "", None, "季度", shown, f"文件的「季度」列{which}，与所选的 {ledger.quarter} 不同；如要把这份文件"
        f"作为 {ledger.quarter} 的台账导入，请选择“按 {ledger.quarter} 导入”"))


def _convert(value, column: schema.Column, quarter: str):
    """(value for schema._coerce, problem or None) for one cell."""
    return _convert_cell(value, column, quarter)[:2]


def _convert_cell(value, column: schema.Column, quarter: str):
    """_convert's (value, problem) and a hint or None: (UNIT_HINT, the unit dropped) or
    (PERCENT_HINT, the number read as a percentage). A blank yes/no cell gives None (the
    caller keeps the record's value or reports it), never 否."""
    if column.name in schema.SYSTEM_COLUMNS:  # the application's to fill (an export has them)
        return None, None, None
    if column.kind is bool:
        if _empty(value):
            return None, None, None
        return (_yes_no(value) if isinstance(value, str) else value), None, None
    if column.kind in (int, float) and column.name not in ("lon", "lat") and not _empty(value):
        return _number(value, column)
    return (*_convert_text(value, column, quarter), None)


def _yes_no(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text).strip()
    return "是" if normal in _YES else "否" if normal in _NO else text


def _number(value, column: schema.Column):
    """A number cell as _convert_cell gives it: "1,156" and "83户" read as numbers (the unit
    is hinted), a share's 85% or 99.1 read as 0.85 or 0.991; anything else left to _coerce."""
    share = column.kind is float and column.maximum == 1.0
    if not isinstance(value, str):
        if share and isinstance(value, (int, float)) and not isinstance(value, bool):
            return _percent(float(value), value, column)
        return value, None, None
    found = _NUMBER.fullmatch(unicodedata.normalize("NFKC", value).strip())
    if found is None:
        return value, None, None  # _coerce names what is wrong
    number, unit = found.group(1).replace(",", ""), found.group(2).strip()
    if share:
        if unit == "%":
            return round(float(number) / 100, 12), None, None
        return _percent(float(number), number, column) if not unit else (value, None, None)
    if not unit:
        return number, None, None
    if unit not in _UNITS or column.unit is None:
        return value, None, None
    if _SAME_UNIT.get(unit, unit) != column.unit:
        return None, (f"「{column.label}」以{column.unit}为单位，填的是“{value.strip()}”；"
                      f"请换算成{column.unit}后只填数字"), None
    return number, None, (UNIT_HINT, unit)


def _percent(number: float, value, column: schema.Column):
    """A share typed as a number: 0–1 as it is, above 1 and up to 100 a percentage."""
    if 1 < number <= 100:
        return round(number / 100, 12), None, (PERCENT_HINT, number)
    if number > 100:
        return None, f"「{column.label}」填的是 {number:g}，按百分数也超过 100%；{SHARE_EXPECTED}", None
    return value, None, None


def _convert_text(value, column: schema.Column, quarter: str):
    """_convert of a cell that is not a yes/no or a count/amount/share."""
    if column.name == "quarter":
        if _empty(value):
            return quarter, None
        read = sheet_layout.read_quarter(value)
        if read is None:
            return str(value).strip(), f"季度应写成 {quarter} 的形式（或“{quarter[:4]}年第{quarter[-1]}季度”）"
        return read, (None if read == quarter else f"季度应为 {quarter}（本次导入的季度）")
    if column.name == "source":
        return (config.IMPORT_SOURCE if _empty(value) else str(value).strip()), None
    if _empty(value):
        return None, None
    if column.name in ("lon", "lat"):
        try:
            return parse_coordinate(value), None
        except CoordinateError as error:
            return None, str(error)
    if column.kind is str:
        if isinstance(value, bool):
            return ("是" if value else "否"), None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if hasattr(value, "isoformat"):
            return None, f"被 Excel 当成了日期（{value}）；请把该列设为文本后重新填写"
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if column.name == "indicator":
            return _INDICATOR_KEYS.get(_normal_label(text), text), None  # stored by key
        if column.choices:
            # a closed vocabulary: both sides normalised to match ("近似(县城)" is "近似（县城）"),
            # the canonical choice stored; anything else kept as typed for the message
            canonical = {_normal_label(choice): choice for choice in column.choices}
            return canonical.get(_normal_label(value), str(value).strip()), None
        if column.name in _ZJ_COUNTY_COLUMNS or column.name in _LZ_COUNTY_COLUMNS:
            lookup = _counties()[0 if column.name in _ZJ_COUNTY_COLUMNS else 1]
            if text in lookup:
                return lookup[text], None
            names = "、".join(sorted({k for k in lookup if not k.isdigit() and len(k) > 2}))
            city = "湛江" if column.name in _ZJ_COUNTY_COLUMNS else "柳州"
            return None, f"未知的{city}县区；应为 {names} 之一（或其 6 位代码）"
        if column.pattern and _SCIENTIFIC.match(text):
            return None, ("代码被 Excel 存成了科学计数法，后几位已丢失；"
                          "请把该列设为“文本”格式后重新输入完整代码")
        # codes are read normalised (full-width digits typed in a Chinese IME); free text such
        # as names keeps its full-width punctuation, so an exported file imports back unchanged
        return (text if column.pattern else str(value).strip()), None
    return value, None


def _check_entity(ledger: Ledger, sheet: Sheet, entity: schema.Entity, frame: pd.DataFrame,
                  to_wgs84: Converter | None, swap_fix: bool) -> pd.DataFrame:
    out: dict[str, list] = {}
    rows = frame[ROW].tolist()
    is_villages = entity is schema.VILLAGES
    found: list[tuple[int, int, Problem]] = []  # (position, column number, problem): sorted below
    blanks: dict[str, list[int]] = {}  # yes/no column -> positions left blank: filled below
    span = getattr(ledger.progress, "spans", {}).get(entity.table)
    columns = entity.all_columns
    tell = ledger.progress if span is not None else None
    # parts of the table's span: the columns, the names (贫困村), the positions
    parts = (0.35, 0.7, 0.75) if is_villages else (0.6, 0.6, 0.65)
    for number, column in enumerate(columns):
        if tell is not None:
            tell(_part(span, 0, parts[0] * number / len(columns))[1],
                 f"正在核对「{sheet.title}」的各列：第 {number + 1} / {len(columns)} 列「{column.label}」")
        originals = frame[column.name].tolist() if column.name in frame else [None] * len(rows)
        read = [_convert_cell(v, column, ledger.quarter) for v in originals]
        hints = {i: hint for i, (_, _, hint) in enumerate(read) if hint is not None}
        found += [(i, number, problem) for i, problem in _cell_hints(sheet, column, rows, originals, hints)]
        converted = [(value, problem) for value, problem, _ in read]
        shown: dict[int, tuple[str, object]] = {}  # a problem about another cell: its column and value
        if column.name == "town_code":
            converted, shown = _town_cells(entity, frame, originals, converted, ledger.quarter)
        values = [value for value, _ in converted]
        problems = {i: problem for i, (_, problem) in enumerate(converted) if problem is not None}
        deferred = is_villages and column.name in _DEFERRED  # filled in below (name match, placement)
        if column.kind is bool and column.name in frame:  # a missing column is one error already
            blanks[column.name] = [i for i, v in enumerate(values) if v is None]
            deferred = True
        # coordinate ranges are checked after swapped pairs are fixed (_check_positions)
        checked = _UNBOUNDED.get(column.name, column)
        todo = [i for i, v in enumerate(values) if i not in problems and not (deferred and v is None)]
        coerced, coerce_problems = schema.coerce_column([values[i] for i in todo], checked)
        for i, value in zip(todo, coerced):
            values[i] = value
        for k, problem in coerce_problems.items():
            problems[todo[k]] = problem
        for i, problem in problems.items():
            if column.maximum == 1.0 and column.kind is float and "不应大于" in problem:
                problem = f"「{column.label}」是比例，应在 0 到 100% 之间（85% 或 0.85 都可以）"
            label, value = shown.get(i, (column.label, originals[i]))
            found.append((i, number, Problem(ERROR, sheet.title, rows[i], label, _shown(value), problem)))
        out[column.name] = values
    ledger.problems.extend(problem for _, _, problem in sorted(found, key=lambda f: (f[0], f[1])))
    clean = pd.DataFrame(out, dtype=object)
    clean[ROW] = rows
    if is_villages:
        clean = _resolve_village_codes(ledger, sheet, clean, _part(span, parts[0], parts[1]))
    _fill_blank_yes_no(ledger, sheet, entity, clean, blanks)
    _keep_absent_columns(ledger, entity, clean, [c for c in KEPT_WHEN_ABSENT.get(entity.table, ()) if c not in frame])
    _check_duplicates(ledger, sheet, entity, clean)
    _check_counts(ledger, sheet, entity, clean)
    _check_codes(ledger, sheet, entity, clean)
    if "lon" in clean and "lat" in clean:
        clean = _check_positions(ledger, sheet, entity, clean, to_wgs84, swap_fix, _part(span, parts[2], 1.0))
    if is_villages:
        clean = _place_missing(ledger, sheet, clean)
    return clean


def _cell_hints(sheet: Sheet, column: schema.Column, rows: list, originals: list,
                hints: dict[int, tuple]) -> list[tuple[int, Problem]]:
    """(position, 提示) for the cells of one column read leniently: one per unit dropped
    (at its first cell, with the count), one per share read as a percentage."""
    out = []
    units: dict[str, list[int]] = {}
    percents = [(i, detail) for i, (kind, detail) in hints.items() if kind == PERCENT_HINT]
    for i, (kind, detail) in hints.items():
        if kind == UNIT_HINT:
            units.setdefault(detail, []).append(i)
    if percents:  # one hint per column: a clerk who types 85 for 85% types it in every row
        i, detail = percents[0]
        more = f"（本列共 {len(percents)} 个这样的单元格，都已按百分数读入）" if len(percents) > 1 else ""
        out.append((i, Problem(HINT, sheet.title, rows[i], column.label, _shown(originals[i]),
                               f"填的是 {detail:g}，按百分数读作 {detail:g}%{more}；{SHARE_EXPECTED}")))
    for unit, where in units.items():
        first = where[0]
        out.append((first, Problem(HINT, sheet.title, rows[first], column.label, _shown(originals[first]),
                                   f"{len(where)} 个单元格带单位“{unit}”（如第 {rows[first]} 行的"
                                   f"“{_shown(originals[first]).strip()}”），已去掉单位按数字读入")))
    return out


def _fill_blank_yes_no(ledger: Ledger, sheet: Sheet, entity: schema.Entity, clean: pd.DataFrame,
                       blanks: dict[str, list[int]]) -> None:
    """A blank 是/否 cell keeps the value of the same record (by key) in the base dataset;
    of a record the base does not have it is an error, never a silent 否."""
    if not any(blanks.values()):
        return
    key = list(entity.key)
    base = ledger.base.frames().get(entity.table) if ledger.base is not None else None
    known = base.set_index(key) if base is not None and not base.empty else None
    keys = list(clean[key].itertuples(index=False, name=None))
    for name, positions in blanks.items():
        values = clean[name].tolist()
        column = entity.column(name)
        for i in positions:
            record = keys[i] if len(key) > 1 else keys[i][0]
            if known is not None and None not in keys[i] and record in known.index:
                values[i] = bool(known.at[record, name])
            else:
                _problem(ledger, sheet, clean[ROW].iat[i], column.label, "", BLANK_YES_NO.format(label=column.label))
        clean[name] = values


def _keep_absent_columns(ledger: Ledger, entity: schema.Entity, clean: pd.DataFrame, absent: list[str]) -> None:
    """The columns of KEPT_WHEN_ABSENT the sheet does not have: each record's stored value
    (by key, in the base dataset), empty for a record the base does not have."""
    base = ledger.base.frames().get(entity.table) if ledger.base is not None else None
    if not absent or base is None or base.empty:
        return
    key = list(entity.key)
    known = base.set_index(key)
    keys = [k if len(key) > 1 else k[0] for k in clean[key].itertuples(index=False, name=None)]
    for name in absent:
        stored = known[name]
        clean[name] = [stored.get(k) if k in known.index else None for k in keys]


def _town_cells(entity: schema.Entity, frame: pd.DataFrame, originals: list, converted: list,
                quarter: str) -> tuple[list, dict[int, tuple[str, object]]]:
    """The 镇街代码 column as (value, problem) per row, towns written by name read as their code:
    in 镇街代码 itself or, when that is blank, in 镇街名称; both written, they must agree. Also
    the column and value to show for problems about the 镇街名称."""
    rows = len(originals)
    name_column = _town_name_column(entity)
    names = frame[name_column].tolist() if name_column in frame else [None] * rows
    county_column = entity.column("county_code") if "county_code" in frame else None
    counties = frame["county_code"].tolist() if county_column else [None] * rows
    villages = frame["code"].tolist() if entity is schema.VILLAGES and "code" in frame else [None] * rows
    out, shown = [], {}
    for i, (cell, (value, problem), name, county) in enumerate(zip(originals, converted, names, counties)):
        # a town's name in the 镇街代码 column (a number or digits are a code, checked as such)
        written = isinstance(cell, str) and not problem and not _CODE_LIKE.match(cell)
        named = not _empty(name)
        if named and isinstance(name, float) and name.is_integer():
            name = int(name)  # a code typed as a number in 镇街名称
        if written or named:
            county = _convert(county, county_column, quarter)[0] if county_column and not _empty(county) else None
            village = _normal_label(villages[i])
            if not county and re.fullmatch(r"[0-9]{12}", village):
                county = village[:6]  # a village code begins with its county's
        if written:
            value, problem = town_code(cell, county)
        if not named or problem:
            out.append((value, problem))
            continue
        by_name, name_problem = town_code(str(name), county)
        if _empty(cell):
            out.append((by_name, name_problem))
            if name_problem:
                shown[i] = (TOWN_NAME_LABEL, name)
        elif by_name != value:
            current = _describe_town(value) if value in _towns().index else str(value)
            out.append((value, f"镇街代码 {current}与镇街名称「{_shown(name).strip()}」不一致；请核对"))
            shown[i] = (f"镇街代码、{TOWN_NAME_LABEL}", f"{cell} / {name}")
        else:
            out.append((value, None))
    return out, shown


def _problem(ledger, sheet, row, column: str, value, message, level=ERROR):
    ledger.problems.append(Problem(level, sheet.title, int(row) if row is not None else None, column,
                                   _shown(value), message))


def _resolve_village_codes(ledger: Ledger, sheet: Sheet, clean: pd.DataFrame,
                           span: tuple[float, float] | None = None) -> pd.DataFrame:
    match = matcher()
    codes = clean["code"].tolist()
    told = _Rows(ledger, span, f"正在匹配「{sheet.title}」的村名：", len(codes))
    for i, (name, code, town, county, row) in enumerate(zip(
            clean["name"], codes, clean["town_code"], clean["county_code"], clean[ROW])):
        told.at(i)
        if not name:
            continue
        if code is not None and code in match.names:
            expected = match.names[code]
            if village_key(expected) != village_key(name):
                _problem(ledger, sheet, row, "村名", name,
                         f"村代码 {code} 对应的是“{expected}”，与村名不一致；请核对", HINT)
            continue
        if code is not None:
            # a well-formed code unknown to geodata: say so and name what the name matches
            found = match.match(name, town, county, nearest=False)
            hint = f"；按村名应为 {found.code}" if found.code else ""
            _problem(ledger, sheet, row, "村代码", code, f"村代码不在湛江市行政区划代码中{hint}")
            continue
        found = match.match(name, town, county)
        if found.code:
            codes[i] = found.code
        elif found.candidates:
            _problem(ledger, sheet, row, "村名", name, _ambiguous(match, found))
        else:
            near = "最接近的有：" + "、".join(found.closest) if found.closest else "没有相近的村名"
            _problem(ledger, sheet, row, "村名", name, f"在湛江市行政区划中找不到这个村；{near}")
    told.done()
    clean["code"] = codes
    # rows whose name (or town) is reported already: its town or county is not said to be missing
    names = {p.row for p in ledger.problems if p.sheet == sheet.title and p.column == "村名"}
    towns = names | {p.row for p in ledger.problems if p.sheet == sheet.title and p.column.startswith("镇街")}
    for column, digits, label, reported in (("town_code", 9, "镇街代码", towns), ("county_code", 6, "县区代码", names)):
        values = clean[column].tolist()
        for i, (value, code, row) in enumerate(zip(values, codes, clean[ROW])):
            if value is None and code is not None:
                values[i] = code[:digits]  # a village code begins with its town's and county's
            elif value is None and row not in reported:
                _problem(ledger, sheet, row, label, "", f"缺少「{label}」")
        clean[column] = values
    return clean


def _ambiguous(match: VillageMatcher, found: Match) -> str:
    """The message for a name several units have, with advice that can tell them apart."""
    listed = "；".join(found.candidates)
    if len({match.town_of[c] for c in found.candidate_codes}) > 1:
        return "村名有多个同名村，请填写村代码或镇街代码区分：" + listed
    kinds = {match.kind_of[c] for c in found.candidate_codes}
    if {RURAL, COMMUNITY} <= kinds:  # same town: only the code or the kind can tell them apart
        return ("村名有多个同名村（同一镇街内既有村民委员会也有社区居民委员会），请填写 12 位村代码，"
                "或在村名后写明“村委会”或“社区居委会”区分：" + listed)
    return "村名有多个同名村（在同一镇街内），请填写 12 位村代码区分：" + listed


def _check_duplicates(ledger, sheet, entity: schema.Entity, clean: pd.DataFrame) -> None:
    key = list(entity.key)
    usable = clean.dropna(subset=key)
    if usable.empty:
        return
    first_rows: dict[tuple, int] = {}
    for record in usable[key + [ROW]].itertuples(index=False):
        values = tuple(record[:-1])
        if values in first_rows:
            shown = "/".join(map(str, values))
            _problem(ledger, sheet, record[-1], "、".join(entity.column(k).label for k in key), shown,
                     f"与第 {first_rows[values]} 行重复")
        else:
            first_rows[values] = record[-1]


def _check_counts(ledger, sheet, entity: schema.Entity, clean: pd.DataFrame) -> None:
    for table, part, whole in _NOT_MORE_THAN:
        if table != entity.table:
            continue
        a = pd.to_numeric(clean[part], errors="coerce")
        b = pd.to_numeric(clean[whole], errors="coerce")
        for row, x, y in zip(clean[ROW][a > b], a[a > b], b[a > b]):
            _problem(ledger, sheet, row, entity.column(part).label, int(x),
                     f"「{entity.column(part).label}」{int(x)} 大于「{entity.column(whole).label}」{int(y)}")
    if entity is schema.VILLAGES:
        people = pd.to_numeric(clean["poor_people"], errors="coerce")
        households = pd.to_numeric(clean["poor_households"], errors="coerce")
        bad = people < households
        for row, x, y in zip(clean[ROW][bad], people[bad], households[bad]):
            _problem(ledger, sheet, row, "贫困人口", int(x),
                     f"贫困人口 {int(x)} 少于贫困户数 {int(y)}（每户至少 1 人）")


def _check_codes(ledger, sheet, entity: schema.Entity, clean: pd.DataFrame) -> None:
    if "town_code" in clean:
        towns = _towns()
        county_of = dict(zip(towns.index, towns["county_code"]))
        for record in clean[["town_code", "county_code", ROW]].dropna(subset=["town_code"]).itertuples(index=False):
            town, county, row = record
            if town not in county_of:
                _problem(ledger, sheet, row, "镇街代码", town, "镇街代码不在湛江市的镇街中")
            elif county and county_of[town] != county:
                _problem(ledger, sheet, row, "镇街代码", town,
                         f"{towns.at[town, 'name']}属于{geodata.county_name(county_of[town])}，"
                         f"与所填县区 {geodata.county_name(county) if county in _counties()[0] else county} 不符")


def _check_positions(ledger, sheet, entity: schema.Entity, clean: pd.DataFrame,
                     to_wgs84: Converter | None, swap_fix: bool,
                     span: tuple[float, float] | None = None) -> pd.DataFrame:
    lon = pd.to_numeric(clean["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(clean["lat"], errors="coerce").to_numpy(dtype=float)
    has = ~(np.isnan(lon) | np.isnan(lat))
    swapped = has & (lon >= 3) & (lon <= 54) & (lat >= 73) & (lat <= 136)
    for row, x, y in zip(clean[ROW][swapped], lon[swapped], lat[swapped]):
        ledger.swaps += 1
        if swap_fix:
            _problem(ledger, sheet, row, "经度、纬度", f"{x}, {y}", f"经纬度填反了，已交换为 经度 {y}、纬度 {x}", HINT)
        else:
            _problem(ledger, sheet, row, "经度、纬度", f"{x}, {y}",
                     "经纬度似乎填反了（经度应约为 110，纬度约为 21）；"
                     f"可勾选“交换填反的经纬度”自动改为 经度 {y}、纬度 {x}")
    if swap_fix:
        lon, lat = np.where(swapped, lat, lon), np.where(swapped, lon, lat)
    if to_wgs84 is not None and has.any():
        converted = to_wgs84(lon[has], lat[has])
        lon = lon.copy()
        lat = lat.copy()
        lon[has] = np.round(converted[0], config.COORD_DECIMALS)
        lat[has] = np.round(converted[1], config.COORD_DECIMALS)
    blocked = swapped if not swap_fix else np.zeros(len(lon), dtype=bool)
    in_range = (lon >= 73) & (lon <= 136) & (lat >= 3) & (lat <= 54)
    for row, x, y in zip(clean[ROW][has & ~blocked & ~in_range], lon[has & ~blocked & ~in_range],
                         lat[has & ~blocked & ~in_range]):
        _problem(ledger, sheet, row, "经度、纬度", f"{x}, {y}", "经度应在 73–136、纬度应在 3–54 之间（中国境内）")
    plausible = has & ~blocked & in_range
    if plausible.any():
        counties = np.full(len(lon), None, dtype=object)
        counties[plausible] = geodata.county_of_points(lon[plausible], lat[plausible])
        zhanjiang = set(_counties()[0].values())
        outline = geodata.city_outline(config.ZHANJIANG)
        rows = clean[ROW].tolist()
        own_counties = clean["county_code"].tolist() if "county_code" in clean else [None] * len(rows)
        told = _Rows(ledger, span, f"正在核对「{sheet.title}」的位置：", len(rows))
        for i in np.flatnonzero(plausible):
            told.at(int(i))
            row = rows[i]
            shown = f"{lon[i]:.5f}, {lat[i]:.5f}"
            county = counties[i]
            if county is None:
                km = _km_to(outline, lon[i], lat[i])
                if km <= config.NEAR_SEA_KM:
                    offshore = "不到 0.1" if km < 0.1 else f"约 {km:.1f}"
                    _problem(ledger, sheet, row, "经度、纬度", shown, f"位置在海上，离岸{offshore} 公里；请核对", HINT)
                else:
                    _problem(ledger, sheet, row, "经度、纬度", shown,
                             f"位置不在湛江市陆地范围内（距湛江约 {km:.0f} 公里）")
            elif county not in zhanjiang:
                _problem(ledger, sheet, row, "经度、纬度", shown, f"位置在{geodata.county_name(county)}，不在湛江市")
            elif own_counties[i] and own_counties[i] != county:
                own = own_counties[i]
                if own in zhanjiang:
                    _problem(ledger, sheet, row, "经度、纬度", shown,
                             f"位置在{geodata.county_name(county)}，"
                             f"与所填县区{geodata.county_name(own)}不符；请核对", HINT)
        told.done()
    clean["lon"] = [None if np.isnan(v) else float(v) for v in lon]
    clean["lat"] = [None if np.isnan(v) else float(v) for v in lat]
    return clean


def _km_to(geometry, lon: float, lat: float) -> float:
    degrees = shapely.distance(geometry, shapely.Point(lon, lat))
    return float(degrees) * 111.32 * np.cos(np.radians(lat))


def _place_missing(ledger: Ledger, sheet: Sheet, clean: pd.DataFrame) -> pd.DataFrame:
    """Villages without coordinates: the mean position of the file's other villages in the
    same town, else a point inside the county; marked 近似 and listed."""
    missing = clean["lon"].isna() | clean["lat"].isna()
    if not missing.any():
        clean["position_quality"] = clean["position_quality"].fillna("实测")
        return clean
    known = clean[~missing]
    by_town = known.groupby("town_code")[["lon", "lat"]].mean() if not known.empty else None
    counties = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    placed = 0
    for i in np.flatnonzero(missing.to_numpy()):
        town, county = clean["town_code"].iat[i], clean["county_code"].iat[i]
        if by_town is not None and town in by_town.index:
            lon, lat = by_town.loc[town, "lon"], by_town.loc[town, "lat"]
        elif county in counties.index:
            point = counties[county].representative_point()
            lon, lat = point.x, point.y
        else:
            continue  # the county is already reported as unknown
        clean.at[clean.index[i], "lon"] = round(float(lon), config.COORD_DECIMALS)
        clean.at[clean.index[i], "lat"] = round(float(lat), config.COORD_DECIMALS)
        clean.at[clean.index[i], "position_quality"] = "近似"
        placed += 1
    clean["position_quality"] = clean["position_quality"].fillna("实测")
    if placed:
        ledger.notes.append(f"{placed} 个贫困村没有坐标，已按同镇或所在县区近似定位（位置精度记为“近似”），"
                            "可在“在地图上定位”中点选准确位置")
    return clean


__all__ = ["Ledger", "Problem", "SheetLayout", "VillageMatcher", "validate_workbook", "village_key",
           "cell_name"]
