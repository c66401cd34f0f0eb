"""A quarter's data written out: Excel workbook, zipped CSV, GeoJSON, GeoPackage.

Everything here is generic over `schema.ENTITIES`: an entity added to the schema appears in
every export without a change here. Each function returns the file's bytes (the command line
writes them to a path, the pages hand them to a download button).

The workbook layout is a contract with the Excel import, which reads it back:

- sheet 1 `说明` (WORKBOOK_INFO_SHEET): the quarter, the source, when it was written, the
  layout version, and per entity how many records there are and how many are demo data;
- then one sheet per entity in `schema.ENTITIES` order, titled `entity.label`;
- row 1 of an entity sheet holds the Chinese labels of `entity.all_columns` in order (this
  includes 季度 and 数据来源); records start on row 2, one per row;
- every text column is written as text cells (number format "@", data type "s"), so codes
  stay intact and a value beginning with "=" is never a formula; yes/no columns as 是/否;
  integers and decimals as numbers; an empty cell is a missing value;
- 全市指标's indicators are written by their Chinese names (config.CITY_INDICATORS).
"""
from __future__ import annotations

import io
import json
import math
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from .. import config
from . import schema
from .dataset import Dataset
from .store import shown_url

WORKBOOK_INFO_SHEET = "说明"
# Bump when the workbook layout changes in a way the import must know about.
WORKBOOK_LAYOUT_VERSION = 1
TEXT_FORMAT = "@"
YES, NO = "是", "否"
# Column widths in Excel's character units: at least the header, at most this many.
MIN_WIDTH, MAX_WIDTH = 6, 48
# Rows looked at to size a column: enough to see typical values, cheap at 20,000 villages.
WIDTH_SAMPLE_ROWS = 200
# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# GeoPackage/GeoJSON geometry columns: points from lon/lat, or shapes from WKT.
LON, LAT, WKT = "lon", "lat", "geometry_wkt"

FORMATS = {
    "xlsx": "Excel 工作簿（每类记录一个工作表）",
    "csv": "CSV 压缩包（每类记录一个文件，UTF-8 带 BOM）",
    "geojson": "GeoJSON（贫困村点位及其属性）",
    "gpkg": "GeoPackage（每类有位置的记录一个图层）",
}
SUFFIXES = {"xlsx": ".xlsx", "csv": ".zip", "geojson": ".geojson", "gpkg": ".gpkg"}
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


class ExportError(ValueError):
    """An export that cannot be written, told in one Chinese sentence."""


@dataclass(frozen=True)
class Export:
    """A written file and the records it had to leave out, each described in Chinese."""

    data: bytes
    skipped: tuple[str, ...] = field(default=())


def database_source(url: str) -> str:
    """What the 说明 names as the source of an export from the database at `url`."""
    return f"{config.APP_TITLE} 数据库 {shown_url(url)}"


def file_name(quarter: str, fmt: str) -> str:
    """The suggested name of a quarter's export, e.g. 湛江产业扶贫_2019Q4.xlsx."""
    return f"湛江产业扶贫_{quarter}{SUFFIXES[fmt]}"


def export(dataset: Dataset, fmt: str, source: str = config.APP_TITLE,
           written: datetime | None = None) -> Export:
    """`dataset` in format `fmt` (a key of FORMATS)."""
    if fmt == "xlsx":
        return Export(workbook(dataset, source, written))
    if fmt == "csv":
        return Export(csv_zip(dataset, source, written))
    if fmt == "geojson":
        return villages_geojson(dataset)
    if fmt == "gpkg":
        return geopackage(dataset)
    raise ExportError(f"不支持的导出格式“{fmt}”：可选 {'、'.join(FORMATS)}。")


# --- cells ---------------------------------------------------------------------------------
def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cell_value(value, kind: type):
    """A record's value as it goes into a cell: None, str, int, float."""
    if _missing(value):
        return None
    if kind is bool:
        return YES if value else NO
    if kind is int:
        return int(value)
    if kind is float:
        return float(value)
    return str(value)


def _entity_frame(dataset: Dataset, entity: schema.Entity) -> pd.DataFrame:
    frame = dataset.frames().get(entity.table)
    return schema.empty(entity) if frame is None else frame


def _display_width(text: str) -> int:
    # CJK characters are about two Latin characters wide in Excel and WPS.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# --- Excel ---------------------------------------------------------------------------------
class _Book:
    """An XlsxWriter workbook written to memory, with the two cell formats we use."""

    def __init__(self):
        self.buffer = io.BytesIO()
        # constant_memory: rows stream to a temporary file instead of piling up in memory
        self.book = xlsxwriter.Workbook(self.buffer, {"constant_memory": True,
                                                      "strings_to_numbers": False,
                                                      "strings_to_formulas": False,
                                                      "strings_to_urls": False})
        self.text = self.book.add_format({"num_format": TEXT_FORMAT})
        self.header = self.book.add_format({"bold": True, "num_format": TEXT_FORMAT})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.note = self.book.add_format({"num_format": TEXT_FORMAT, "text_wrap": True, "valign": "top"})

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _write_sheet(book: _Book, title: str, headers: list[str], kinds: list[type], rows: list[list]):
    """One sheet: a bold, frozen header row, then `rows` (values already cell values).

    A column whose kind is str is written as text cells (format "@"), whatever its values
    look like; the others as numbers; None leaves the cell empty. Returns the worksheet.
    """
    sheet = book.book.add_worksheet(title)
    sample = rows[:WIDTH_SAMPLE_ROWS]
    for index, header in enumerate(headers):
        widest = max([_display_width(header)] + [_display_width(str(r[index])) for r in sample
                                                  if r[index] is not None])
        sheet.set_column(index, index, min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    for index, header in enumerate(headers):
        sheet.write_string(0, index, header, book.header)
    text_columns = [index for index, kind in enumerate(kinds) if kind is str]
    number_columns = [index for index, kind in enumerate(kinds) if kind is not str]
    write_string, write_number, text = sheet.write_string, sheet.write_number, book.text
    for number, row in enumerate(rows, start=1):
        for index in text_columns:
            value = row[index]
            if value:  # None and "" leave the cell empty
                write_string(number, index, value, text)
        for index in number_columns:
            value = row[index]
            if value is not None:
                write_number(number, index, value)
    return sheet


def _entity_rows(entity: schema.Entity, frame: pd.DataFrame) -> list[list]:
    columns = entity.all_columns
    if entity is schema.CITY_STATS:  # indicators by their Chinese names; the import reads both
        frame = frame.assign(indicator=[config.CITY_INDICATORS.get(k, k) for k in frame["indicator"]])
    raw = frame[[c.name for c in columns]].astype(object).values.tolist()
    return [[_cell_value(v, c.kind) for v, c in zip(row, columns)] for row in raw]


def _sheet_kinds(kinds: list[type]) -> list[type]:
    # yes/no columns go out as 是/否 text
    return [str if kind is bool else kind for kind in kinds]


def workbook(dataset: Dataset, source: str = config.APP_TITLE, written: datetime | None = None) -> bytes:
    """The quarter as an .xlsx workbook in the layout described at the top of this module."""
    book = _Book()
    _info_sheet(book, dataset, source, written)
    for entity in schema.ENTITIES:
        _write_sheet(book, entity.label, [c.label for c in entity.all_columns],
                     _sheet_kinds([c.kind for c in entity.all_columns]),
                     _entity_rows(entity, _entity_frame(dataset, entity)))
    return book.close()


def _written_text(written: datetime | None) -> str:
    return (written or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip()


def entity_counts(dataset: Dataset) -> list[tuple[schema.Entity, int, int]]:
    """(entity, records, demo records) for every entity."""
    counts = []
    for entity in schema.ENTITIES:
        frame = _entity_frame(dataset, entity)
        counts.append((entity, len(frame), int((frame["source"] == config.DEMO_SOURCE).sum())))
    return counts


def _info_lines(dataset: Dataset, source: str, written: datetime | None) -> tuple[list[list[str]], list[str]]:
    """The 说明 contents: key/value rows, and the notes on the layout."""
    demo = dataset.demo_records
    facts = [
        ["季度", dataset.quarter],
        ["数据来源", source],
        ["写出时间", _written_text(written)],
        ["格式版本", str(WORKBOOK_LAYOUT_VERSION)],
        ["演示数据", f"其中 {demo} 条记录为程序生成的演示数据（数据来源为「{config.DEMO_SOURCE}」），"
                     "不是真实数据" if demo else "没有演示数据记录"],
    ]
    notes = [
        "本工作簿每类记录一个工作表，工作表名为记录类别；第 1 行为列名，自第 2 行起每行一条记录。",
        "代码等文本列以文本格式保存（不会变成科学计数法）；是/否列填“是”或“否”；空单元格表示缺少该值。",
        "“季度”和“数据来源”两列属于每条记录；数据来源为「演示数据」的记录是程序生成的，不是真实数据。",
        "修改后可在数据管理中按同一格式导入；本“说明”工作表不参与导入。",
    ]
    return facts, notes


INFO_COUNT_HEADERS = ("工作表", "记录数", "其中演示数据", "数据来源")


def _info_sheet(book: _Book, dataset: Dataset, source: str, written: datetime | None) -> None:
    sheet = book.book.add_worksheet(WORKBOOK_INFO_SHEET)
    for index, width in enumerate((18, 64, 14, 30)):
        sheet.set_column(index, index, width)
    facts, notes = _info_lines(dataset, source, written)
    sheet.write_string(0, 0, f"{config.APP_TITLE} · 数据导出", book.title)
    row = 2
    for key, value in facts:
        sheet.write_string(row, 0, key, book.header)
        sheet.write_string(row, 1, value, book.text)
        row += 1
    row += 1
    for index, header in enumerate(INFO_COUNT_HEADERS):
        sheet.write_string(row, index, header, book.header)
    for entity, records, demo in entity_counts(dataset):
        row += 1
        frame = _entity_frame(dataset, entity)
        sources = "、".join(sorted(frame["source"].dropna().astype(str).unique()))
        sheet.write_string(row, 0, entity.label, book.text)
        sheet.write_number(row, 1, records)
        sheet.write_number(row, 2, demo)
        if sources:
            sheet.write_string(row, 3, sources, book.text)
    row += 2
    sheet.write_string(row, 0, "说明", book.header)
    for note in notes:
        row += 1
        sheet.write_string(row, 0, note, book.note)


NOTES_HEADER = "说明"


def table_workbook(frame: pd.DataFrame, title: str, notes: Sequence[str] = (),
                   note_below: str | None = None) -> bytes:
    """A displayed table (Chinese column names) as a workbook; text stays text, never a formula.

    The table's sheet is titled `title`; `note_below` (e.g. the weights of a ranking) goes one
    empty row under the table; `notes`, when given, fill a second sheet 说明, one per row under
    the header 说明 (e.g. the quarter and that the records are demo data).
    """
    kinds = [_kind_of(frame[c]) for c in frame.columns]
    rows = [[_cell_value(v, k) for v, k in zip(row, kinds)] for row in frame.astype(object).values.tolist()]
    book = _Book()
    sheet = _write_sheet(book, _sheet_title(title), [str(c) for c in frame.columns], _sheet_kinds(kinds), rows)
    if note_below:
        sheet.write_string(len(rows) + 2, 0, note_below, book.text)
    if notes:
        _write_sheet(book, NOTES_HEADER, [NOTES_HEADER], [str], [[note] for note in notes])
    return book.close()


def _kind_of(series: pd.Series) -> type:
    if pd.api.types.is_bool_dtype(series):
        return bool
    if pd.api.types.is_integer_dtype(series):
        return int
    if pd.api.types.is_float_dtype(series):
        return float
    return str


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of : \ / ? * [ ]
    cleaned = "".join("_" if ch in ':\\/?*[]' else ch for ch in title).strip("'") or "Sheet1"
    return cleaned[:31]


# --- CSV -----------------------------------------------------------------------------------
def _csv_safe(value):
    """A text cell that spreadsheet programs will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV for Excel and WPS: UTF-8 with BOM, no index, no formulas."""
    kinds = [_kind_of(frame[c]) for c in frame.columns]
    out = pd.DataFrame({
        column: [_csv_safe(_cell_value(v, k)) for v in frame[column].astype(object).tolist()]
        for column, k in zip(frame.columns, kinds)
    }, columns=frame.columns)
    return out.to_csv(index=False).encode("utf-8-sig")


def _entity_table(entity: schema.Entity, frame: pd.DataFrame) -> pd.DataFrame:
    """An entity's records with Chinese headers and 是/否 (what the CSV files hold)."""
    rows = _entity_rows(entity, frame)
    return pd.DataFrame(rows, columns=[c.label for c in entity.all_columns], dtype=object)


CSV_README = "说明.txt"


def csv_zip(dataset: Dataset, source: str = config.APP_TITLE, written: datetime | None = None) -> bytes:
    """One CSV per entity (`<table>.csv`, Chinese headers, UTF-8 with BOM) in a zip."""
    facts, notes = _info_lines(dataset, source, written)
    listing = [f"{key}：{value}" for key, value in facts] + [""]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entity, records, demo in entity_counts(dataset):
            name = f"{entity.table}.csv"
            table = _entity_table(entity, _entity_frame(dataset, entity))
            archive.writestr(name, table_csv(table))
            listing.append(f"{name}：{entity.label}，{records} 条记录，其中演示数据 {demo} 条")
        listing += ["", "每个文件第 1 行为中文列名，编码为 UTF-8（带 BOM），Excel 和 WPS 可直接打开。",
                    "以 = + - @ 开头的文本前加了一个英文单引号，防止电子表格把它当作公式执行。",
                    "用 Excel 打开 CSV 时长代码可能显示为科学计数法；需要保留代码请使用 xlsx 导出。"]
        archive.writestr(CSV_README, ("\r\n".join(listing) + "\r\n").encode("utf-8-sig"))
    return buffer.getvalue()


# --- geodata -------------------------------------------------------------------------------
def spatial_entities() -> list[schema.Entity]:
    """Entities with a position: lon/lat columns, or a WKT geometry column."""
    return [e for e in schema.ENTITIES
            if {LON, LAT} <= set(e.column_names) or WKT in e.column_names]


def _record_name(entity: schema.Entity, row: dict) -> str:
    key = "/".join(str(row.get(k, "")) for k in entity.key)
    title = f"（{row.get(entity.title)}）" if entity.title and not _missing(row.get(entity.title)) else ""
    return f"{entity.label} [{key}]{title}"


def _geometries(entity: schema.Entity, frame: pd.DataFrame) -> tuple[list, list[str]]:
    """A shapely geometry (or None) per record, and the records without a usable one."""
    import shapely

    records = frame.to_dict("records")
    geometries: list = []
    skipped: list[str] = []
    for row in records:
        geometry, problem = None, None
        if WKT in entity.column_names:
            text = row.get(WKT)
            if _missing(text) or not str(text).strip():
                problem = "缺少范围或位置（WKT）"
            else:
                try:
                    geometry = shapely.from_wkt(str(text))
                except (shapely.errors.GEOSException, ValueError, TypeError):
                    problem = f"范围或位置（WKT）无法识别：“{str(text)[:60]}”"
                else:
                    if geometry is None or geometry.is_empty:
                        geometry, problem = None, "范围或位置（WKT）为空"
        else:
            lon, lat = row.get(LON), row.get(LAT)
            try:
                lon, lat = float(lon), float(lat)
            except (TypeError, ValueError):
                lon = lat = math.nan
            if math.isfinite(lon) and math.isfinite(lat):
                geometry = shapely.Point(lon, lat)
            else:
                problem = "缺少经纬度"
        geometries.append(geometry)
        if problem:
            skipped.append(f"{_record_name(entity, row)}：{problem}，未导出")
    return geometries, skipped


def _geoframe(entity: schema.Entity, frame: pd.DataFrame):
    """The entity's records with a geometry, as a GeoDataFrame in WGS-84, and the skipped."""
    import geopandas as gpd

    geometries, skipped = _geometries(entity, frame)
    keep = [g is not None for g in geometries]
    attributes = frame[entity.column_names].loc[keep].reset_index(drop=True)
    shapes = [g for g in geometries if g is not None]
    return gpd.GeoDataFrame(attributes, geometry=shapes, crs=config.STORE_CRS), skipped


def villages_geojson(dataset: Dataset) -> Export:
    """The villages as a GeoJSON FeatureCollection (WGS-84) with their columns as properties."""
    entity = schema.VILLAGES
    frame, skipped = _geoframe(entity, _entity_frame(dataset, entity))
    features = []
    for row, geometry in zip(frame[entity.column_names].astype(object).values.tolist(), frame.geometry):
        properties = {c.name: (None if _missing(v) else (bool(v) if c.kind is bool else v))
                      for c, v in zip(entity.all_columns, row)}
        features.append({"type": "Feature", "properties": properties,
                         "geometry": json.loads(_geojson_geometry(geometry))})
    collection = {"type": "FeatureCollection", "name": entity.table, "features": features}
    return Export(json.dumps(collection, ensure_ascii=False).encode("utf-8"), tuple(skipped))


def _geojson_geometry(geometry) -> str:
    import shapely

    return shapely.to_geojson(geometry)


def geopackage(dataset: Dataset) -> Export:
    """One layer per spatial entity (named after its table), EPSG:4326, written by pyogrio."""
    import pyogrio

    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fupin-gpkg-") as folder:
        path = Path(folder) / "export.gpkg"
        for entity in spatial_entities():
            frame, problems = _geoframe(entity, _entity_frame(dataset, entity))
            skipped += problems
            geometry_type = "Point" if WKT not in entity.column_names else "Unknown"
            pyogrio.write_dataframe(frame, path, layer=entity.table, driver="GPKG",
                                    geometry_type=geometry_type,
                                    layer_options={"IDENTIFIER": entity.label, "DESCRIPTION": entity.label})
        data = path.read_bytes()
    return Export(data, tuple(skipped))
