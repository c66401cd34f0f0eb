"""The ledger template (台账模板): the quarter export's layout with drop-down lists, example rows
marked as examples and a 说明 sheet.

Layout (shared with data/export.py, so an export imports back unchanged): first sheet 说明; then
one sheet per entity in `schema.ENTITIES` order titled `entity.label`; a header row of the
columns' labels with their units (`schema.header`, e.g. 总户数（户）; the import reads these and
the bare labels of exports); data below; text columns formatted as text ("@") so Excel keeps
12-digit codes whole, and every text cell a string cell (a name starting with "=" is never
a formula); booleans written 是/否; 全市指标's indicators by their Chinese names.
`workbook` heads row 1; `template` puts a title row and a 填报单位 row above the header, like
the bureau's own forms (the import looks for the header in the first rows), and gives the
贫困村 sheet a 镇街名称 column after 镇街代码.
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
from . import geodata, ledger_import, schema

TEXT_FORMAT = "@"
# openpyxl's data type of a text cell: Excel shows its value as typed and never runs it.
TEXT_CELL = "s"
# Shares (0–1) shown as percentages; Excel and WPS then read a typed 85 as 85 % too.
SHARE_FORMAT = "0.0%"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
TITLE_FONT = Font(bold=True, size=14)
# Rows given a drop-down list (Excel applies a validation to a range, not to a whole column
# cheaply): well beyond any quarter's ledger of one county.
VALIDATION_ROWS = 5000
# The template's rows above the header, as on the bureau's own forms (optional for the clerk).
FORM_TITLE = "湛江市产业扶贫季度台账（　　　　年第　　季度）· {label}"
FORM_FIELDS = "填报单位：　　　　　　　　填报日期：　　　　　　填表人：　　　　　　联系电话："
# The villages sheet's town name column, beside 镇街代码: not stored, a name the clerk may give
# instead of the code (ledger_import.TOWN_NAME_LABEL).
TOWN_NAME = schema.Column("town_name", str, ledger_import.TOWN_NAME_LABEL, required=False)
# The template's last column: 是 deletes the row's record (ledger_import, ledger_merge).
DELETE = schema.Column("delete", str, ledger_import.DELETE_LABEL, required=False, choices=("是",))
COUNTY_COLUMNS = ("county_code", "zj_county_code", "lz_county_code")
YES_NO = ("是", "否", "√", "×", "有", "无")
# Header comments of columns the import does not need, saying what a blank becomes.
OPTIONAL_NOTES = {
    "quarter": "选填：不填按导入时选择的季度",
    "source": f"选填：不填记为“{config.IMPORT_SOURCE}”",
    "delete": "选填：填“是”则删除这条记录（只需填写编号或村代码）；导入前会列出要删除的记录，确认后才删除",
    ("villages", "code"): "选填：不填时按村名和镇街匹配村代码",
    ("villages", "town_code"): "选填：不填时由村代码得出（也可只填“镇街名称”）",
    ("villages", "town_name"): "选填：可填镇街名称代替镇街代码",
    ("villages", "county_code"): "选填：不填时由村代码得出",
    ("villages", "lon"): "选填：不填时按同镇或所在县区近似定位",
    ("villages", "lat"): "选填：不填时按同镇或所在县区近似定位",
    ("villages", "position_quality"): "选填：有坐标的记为“实测”，没有的记为“近似”",
    ("villages", "exit_quarter"): "选填：村退出省定贫困村名单（出列）的季度，如 2019Q4；未出列不填。"
                                  "表中没有这一列时，各村保持原来的出列季度",
    ("cooperation_projects", "year"): "选填：项目跨多年或年份未公开时不填",
    ("cooperation_projects", "amount_wan"): "选填：金额未公开时不填",
}

INSTRUCTIONS = [
    "湛江产业扶贫地图 · 季度台账模板",
    "",
    "1. 每张工作表是一类数据，表名和表头（列名）请不要修改；多余的列会被忽略。"
    "表头上方的标题和“填报单位”行可填写，也可删除。",
    "2. 灰色斜体的行是示例（“数据来源”以【示例】开头），导入时自动跳过，可删除或覆盖。",
    "3. 表头批注为“必填”的列必须填写；其余列可以不填，批注中写明不填时怎样处理。",
    "4. 县区列可从下拉选项中选名称（如 遂溪县），也可直接填 6 位代码（如 440823）；"
    "类别、级别、联结方式等列有下拉选项。",
    "5. 代码列（村代码、镇街代码）已设为文本格式，请填完整的 12 位 / 9 位代码，不要让 Excel 改成科学计数法。",
    "6. 贫困村的村代码可以不填：按村名（村 / 村委会 / 村民委员会 均可）和镇街自动匹配；"
    "镇街可填代码，也可在“镇街名称”列填名称。",
    "7. 经纬度可填小数（110.123）或度分秒（21°16′12″、21 16 12）；"
    "导入时可选择 WGS-84、GCJ-02（高德）或 BD-09（百度）。",
    "   贫困村没有坐标的，导入时按同镇或县区近似定位，之后可在“数据管理 › 在地图上定位”点选。",
    "8. 表头括号里是单位（户、人、亩、万元、%），单元格只填数字；写成 1,156 或 83户 也能读出，导入时会提示。",
    "9. 比例（如户厕普及率）填 0–1 的小数或 0–100%：0.85 和 85% 都可以；填 99.1 按 99.1% 读出并提示。",
    "10. 是/否 列填 是 或 否（√/×、有/无 也可以）；已有的记录留空则保持原值，新记录必须填写。",
    "11. “全市指标”表的“指标”填中文名称：" + "、".join(config.CITY_INDICATORS.values()) + "。",
    "12. “季度”可不填，按导入时选择的季度；“数据来源”可不填，记为“" + config.IMPORT_SOURCE + "”。",
    "13. 文件中的表只更新它列出的记录；要删除记录，在“删除”列填“是”。文件中没有的表保留当前数据。",
    "14. 导入前会逐行核对，问题清单可下载修改后重新上传。每次导入都会保存为一个新版本，旧版本可随时查看和恢复。",
]


def _columns(entity: schema.Entity, form: bool) -> list[schema.Column]:
    columns = list(entity.all_columns)
    if form:  # the clerk's form: nothing the application fills in, and a way to delete
        columns = [c for c in columns if c.name not in schema.SYSTEM_COLUMNS] + [DELETE]
        if entity is schema.VILLAGES:
            columns.insert(columns.index(entity.column("town_code")) + 1, TOWN_NAME)
    return columns


def _optional(entity: schema.Entity, column: schema.Column) -> str | None:
    """The header comment of a column the import does not need, else None."""
    note = OPTIONAL_NOTES.get((entity.table, column.name)) or OPTIONAL_NOTES.get(column.name)
    return note or (None if column.required else "选填")


def _required_note(column: schema.Column) -> str:
    if column.kind is bool:
        return "必填：是 或 否（√/×、有/无 也可以）；已有的记录留空则保持原值"
    if column.name in COUNTY_COLUMNS:
        return "必填：县区名称（如 遂溪县）或 6 位代码（如 440823）"
    if column.unit == "%":
        return "必填：0–1 的小数或 0–100%（如 0.85 或 85%）"
    if column.unit:
        return f"必填：单位为{column.unit}，只填数字"
    return "必填"


def _validation(column: schema.Column) -> DataValidation | None:
    """The drop-down of a column with a closed or usual set of values, or None."""
    if column.name in COUNTY_COLUMNS:
        city = config.LIUZHOU if column.name == "lz_county_code" else config.ZHANJIANG
        counties = geodata.counties(city)
        # names and codes both listed; a warning (not a stop) lets other spellings through
        # (遂溪, or a code Excel compares as a number): the import checks and names them
        return _list(counties["name"].tolist() + counties["adcode"].tolist(), "warning",
                     "应为县区名称或 6 位代码；点“是”保留所填内容，导入时会核对",
                     prompt="可选县区名称，或直接填 6 位代码（如 440823）")
    if column.name == "indicator":
        return _list(list(config.CITY_INDICATORS.values()), "warning",
                     "不是已知的全市指标；点“是”保留所填内容")
    if column.choices:
        choices = list(column.choices)
        return _list(choices, "stop", "应为：" + "、".join(choices))
    if column.kind is bool:
        return _list(list(YES_NO), "stop", "应为 是 或 否（√/×、有/无 也可以）")
    return None


def _list(choices: list[str], style: str, error: str, prompt: str | None = None) -> DataValidation:
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorStyle=style, errorTitle="请核对所填内容",
                                error=error)
    if prompt:
        validation.showInputMessage, validation.prompt = True, prompt
    return validation


def _cell(value, column: schema.Column):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column.kind is bool:
        return "是" if bool(value) else "否"
    if column.kind is int:
        return int(value)
    if column.kind is float:
        return float(value)
    if column.name == "indicator":
        return config.CITY_INDICATORS.get(str(value), str(value))
    return str(value)


def workbook(dataset=None, examples: dict[str, pd.DataFrame] | None = None, form: bool = False) -> bytes:
    """An .xlsx in the ledger layout: `dataset`'s records (None = empty template) and, for the
    template, `examples` (table -> rows written as marked example rows). `form`: the
    template's title and 填报单位 rows above the header, and the 镇街名称 column."""
    book = Workbook()
    notes = book.active
    notes.title = "说明"
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = TITLE_FONT
    notes.column_dimensions["A"].width = 110
    header = 3 if form else 1
    town_names = geodata.towns(config.ZHANJIANG).set_index("code")["name"].to_dict() if form else {}
    for entity in schema.ENTITIES:
        sheet = book.create_sheet(entity.label)
        columns = _columns(entity, form)
        if form:
            sheet.cell(row=1, column=1, value=FORM_TITLE.format(label=entity.label)).font = TITLE_FONT
            sheet.cell(row=2, column=1, value=FORM_FIELDS)
        for index, column in enumerate(columns, start=1):
            label = schema.header(column)
            cell = sheet.cell(row=header, column=index, value=label)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(10, 2 * len(label) + 2)
            if column.kind is str:
                sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            elif column.unit == "%":
                sheet.column_dimensions[letter].number_format = SHARE_FORMAT
            optional = _optional(entity, column)
            cell.comment = Comment(optional or _required_note(column), "模板")
            validation = _validation(column)
            if validation is not None:
                sheet.add_data_validation(validation)
                validation.add(f"{letter}{header + 1}:{letter}{header + VALIDATION_ROWS}")
        sheet.freeze_panes = f"A{header + 1}"
        rows = []
        if examples and entity.table in examples:
            frame = examples[entity.table].assign(source=config.EXAMPLE_MARK + "导入时忽略此行")
            rows += [(r, True) for r in frame.to_dict("records")]
        if dataset is not None:
            rows += [(r, False) for r in dataset.frames()[entity.table].to_dict("records")]
        for number, (record, example) in enumerate(rows, start=header + 1):
            for index, column in enumerate(columns, start=1):
                value = (town_names.get(record.get("town_code")) if column is TOWN_NAME
                         else _cell(record.get(column.name), column))
                cell = sheet.cell(row=number, column=index, value=value)
                if isinstance(value, str):
                    # openpyxl stores a str starting with "=" as a formula; a name is text
                    cell.data_type = TEXT_CELL
                if column.kind is str:
                    cell.number_format = TEXT_FORMAT
                elif column.unit == "%":
                    cell.number_format = SHARE_FORMAT
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
    return workbook(None, examples=example_rows(dataset) if dataset is not None else None, form=True)
