"""The ledger template (台账模板): the quarter export's layout with drop-down lists, example rows
marked as examples and a 说明 sheet.

Layout (shared with data/export.py, so an export imports back unchanged): first sheet 说明; then
one sheet per entity in `schema.ENTITIES` order titled `entity.label`; row 1 = the Chinese
labels of `entity.all_columns`; data from row 2; text columns formatted as text ("@") so Excel
keeps 12-digit codes whole; booleans written 是/否.
"""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import config
from . import geodata, schema

TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
# Rows given a drop-down list (Excel applies a validation to a range, not to a whole column
# cheaply): well beyond any quarter's ledger of one county.
VALIDATION_ROWS = 5000

INSTRUCTIONS = [
    "湛江产业扶贫地图 · 季度台账模板",
    "",
    "1. 每张工作表是一类数据，表名和第一行的列名请不要修改；多余的列会被忽略。",
    "2. 灰色斜体的行是示例（“数据来源”以【示例】开头），导入时自动跳过，可删除或覆盖。",
    "3. 县区、类别、级别、联结方式等列有下拉选项；县区可填名称（如 雷州市）或 6 位代码。",
    "4. 代码列（村代码、镇街代码）已设为文本格式，请填完整的 12 位 / 9 位代码，不要让 Excel 改成科学计数法。",
    "5. 贫困村的村代码可以不填：按村名（村 / 村委会 / 村民委员会 均可）和镇街代码自动匹配。",
    "6. 经纬度可填小数（110.123）或度分秒（21°16′12″、21 16 12）；导入时可选择 WGS-84、GCJ-02（高德）或 BD-09（百度）。",
    "   贫困村没有坐标的，导入时按同镇或县区近似定位，之后可在“数据管理 › 在地图上定位”点选。",
    "7. 比例（如户厕普及率）填 85% 或 0.85 均可；是/否 列填 是 或 否。",
    "8. “季度”可不填，按导入时选择的季度；“数据来源”可不填，记为“" + config.IMPORT_SOURCE + "”。",
    "9. 文件中没有的表保留当前数据；有的表整表替换。导入前会逐行核对，问题清单可下载修改后重新上传。",
    "10. 每次导入都会保存为一个新版本，旧版本可随时查看和恢复。",
]


def _choices(entity: schema.Entity, column: schema.Column) -> list[str] | None:
    if column.choices:
        return list(column.choices)
    if column.kind is bool:
        return ["是", "否"]
    if column.name in ("county_code", "zj_county_code"):
        return geodata.counties(config.ZHANJIANG)["name"].tolist()
    if column.name == "lz_county_code":
        return geodata.counties(config.LIUZHOU)["name"].tolist()
    return None


def _cell(value, column: schema.Column):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column.kind is bool:
        return "是" if bool(value) else "否"
    if column.kind is int:
        return int(value)
    if column.kind is float:
        return float(value)
    return str(value)


def workbook(dataset=None, examples: dict[str, pd.DataFrame] | None = None) -> bytes:
    """An .xlsx in the ledger layout: `dataset`'s records (None = empty template) and, for the
    template, `examples` (table -> rows written as marked example rows)."""
    book = Workbook()
    notes = book.active
    notes.title = "说明"
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    for entity in schema.ENTITIES:
        sheet = book.create_sheet(entity.label)
        columns = entity.all_columns
        sheet.append([c.label for c in columns])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(10, 2 * len(column.label) + 2)
            if column.kind is str:
                sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            if column.required and column.name not in ("quarter", "source"):
                cell.comment = Comment("必填", "模板")
            choices = _choices(entity, column)
            if choices:
                validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                            allow_blank=not column.required, showErrorMessage=True,
                                            errorTitle="请从下拉列表中选择",
                                            error="应为：" + "、".join(choices))
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
        sheet.freeze_panes = "A2"
        rows = []
        if examples and entity.table in examples:
            frame = examples[entity.table].assign(source=config.EXAMPLE_MARK + "导入时忽略此行")
            rows += [(r, True) for r in frame.to_dict("records")]
        if dataset is not None:
            rows += [(r, False) for r in dataset.frames()[entity.table].to_dict("records")]
        for number, (record, example) in enumerate(rows, start=2):
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(row=number, column=index, value=_cell(record.get(column.name), column))
                if column.kind is str:
                    cell.number_format = TEXT_FORMAT
                if example:
                    cell.font = EXAMPLE_FONT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def example_rows(dataset, per_entity: int = 2) -> dict[str, pd.DataFrame]:
    """The first records of each entity of `dataset`, to show how a row is filled in."""
    return {name: frame.head(per_entity) for name, frame in dataset.frames().items()}


def template(dataset=None) -> bytes:
    """The empty ledger template; with `dataset`, its first records as marked example rows."""
    return workbook(None, examples=example_rows(dataset) if dataset is not None else None)
