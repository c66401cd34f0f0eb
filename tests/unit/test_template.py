"""The ledger template agrees with itself: what it lets a clerk type, marks as 必填 and heads
its columns with is what the import reads; a filled template imports without errors."""
from __future__ import annotations

import io

import openpyxl
import pytest

from fupin_geo import config
from fupin_geo.data import ledger
from fupin_geo.data import export, ledger_import, schema, template
from tests.ledger_rows import QUARTER, check, problems


@pytest.fixture
def store(q4_store):
    return q4_store


HEADER_ROW = 3  # below the title and 填报单位 rows


@pytest.fixture(scope="module")
def book(demo_datasets):
    return openpyxl.load_workbook(io.BytesIO(template.template(demo_datasets[-1])))


def headers(sheet, row: int = HEADER_ROW) -> list[str]:
    return [c.value for c in sheet[row] if c.value is not None]


def header_cell(sheet, label: str):
    return next(c for c in sheet[HEADER_ROW] if c.value == label)


def validation_of(sheet, label: str):
    letter = header_cell(sheet, label).column_letter
    found = [v for v in sheet.data_validations.dataValidation
             if any(r.min_col == r.max_col == header_cell(sheet, label).column for r in v.sqref.ranges)]
    assert len(found) == 1, (label, letter)
    return found[0]


# --- drop-downs -------------------------------------------------------------------------------
@pytest.mark.parametrize("table, label, code, name", [
    ("villages", "县区代码", "440823", "遂溪县"),
    ("parks", "县区代码", "440882", "雷州市"),
    ("pairings", "湛江县区", "440881", "廉江市"),
    ("pairings", "柳州县区", "450226", "三江侗族自治县"),
    ("cooperation_flows", "柳州县区", "450202", "城中区"),
])
def test_county_drop_downs_accept_codes_as_well_as_names(book, table, label, code, name):
    validation = validation_of(book[schema.BY_TABLE[table].label], label)
    items = validation.formula1.strip('"').split(",")
    assert name in items and code in items
    # other spellings (遂溪, a code compared as a number) get a warning, never a refusal
    assert validation.errorStyle == "warning" and validation.showErrorMessage
    assert len(validation.formula1) <= 255  # Excel's limit for a typed list
    assert "6 位代码" in validation.prompt


def test_yes_no_drop_downs_offer_ticks_and_you_wu(book):
    items = validation_of(book["贫困村"], "干净整洁村").formula1.strip('"').split(",")
    assert {"是", "否", "√", "×", "有", "无"} <= set(items)


# --- 必填 ----------------------------------------------------------------------------------------
def comment(sheet, label: str) -> str:
    cell = header_cell(sheet, label)
    return cell.comment.text if cell.comment else ""


def test_only_columns_the_import_requires_say_required(book):
    villages = book["贫困村"]
    for label in ("村代码", "县区代码", "镇街代码", "镇街名称", "经度", "纬度", "位置精度", "季度", "数据来源"):
        assert "必填" not in comment(villages, label), label
        assert comment(villages, label).startswith("选填"), label
    for label in ("村名", "总户数（户）", "干净整洁村"):
        assert comment(villages, label).startswith("必填"), label
    assert "必填" not in comment(book["现代农业产业园"], "牵头企业")
    assert "必填" not in comment(book["现代农业产业园"], "位置精度")
    assert "必填" not in comment(book["工作措施进展"], "进展说明")
    assert comment(book["现代农业产业园"], "经度").startswith("必填")  # parks need a position


# --- labels -----------------------------------------------------------------------------------
def test_headers_carry_units(book):
    villages = headers(book["贫困村"])
    assert "无害化卫生户厕普及率（%）" in villages and "总户数（户）" in villages and "贫困人口（人）" in villages
    assert "面积（亩）" in headers(book["水产养殖"])  # the label's own unit is not repeated
    assert "金额（万元）" in headers(book["湛柳协作项目"])
    assert "经度" in villages and "村名" in villages  # no unit, no brackets


def test_the_villages_sheet_has_a_town_name_column_after_the_town_code(book):
    villages = headers(book["贫困村"])
    assert villages[villages.index("镇街代码") + 1] == "镇街名称"
    example = [c.value for c in book["贫困村"][HEADER_ROW + 1]]
    assert example[villages.index("镇街名称")]  # the example row names its town


def test_each_entity_sheet_has_a_title_and_a_reporting_unit_row(book):
    for entity in schema.ENTITIES:
        sheet = book[entity.label]
        assert entity.label in sheet["A1"].value
        assert sheet["A2"].value.startswith("填报单位：") and "填表人：" in sheet["A2"].value
        assert "联系电话：" in sheet["A2"].value
        # no 填报季度 (the application fills it in); 删除 last
        assert headers(sheet)[-3:] == ["季度", "数据来源", "删除"]
        assert sheet.freeze_panes == "A4"


def test_city_indicators_are_shown_by_their_chinese_names(book, dataset):
    rows = list(book["全市指标"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert rows and rows[0][0] == config.CITY_INDICATORS["toilet_rate_city"]
    assert not any("toilet_rate_city" in str(v) for row in rows for v in row)
    exported = openpyxl.load_workbook(io.BytesIO(export.workbook(dataset)))
    assert exported["全市指标"]["A2"].value == config.CITY_INDICATORS["toilet_rate_city"]


@pytest.mark.parametrize("typed, key", [("全市农村无害化卫生户厕普及率", "toilet_rate_city"),
                                        ("toilet_rate_city", "toilet_rate_city"),
                                        ("全市农村干净整洁村占比", "clean_village_rate_city")])
def test_city_indicators_import_by_name_or_key_and_store_the_key(store, typed, key):
    data = xlsx_sheet("全市指标", [["指标", "数值"], [typed, 0.42]])
    preview = check(store, data)
    assert preview.ok, problems(preview)
    stats = preview.dataset.city_stats.set_index("indicator")["value"]
    assert stats[key] == pytest.approx(0.42)
    assert set(stats.index) == set(config.CITY_INDICATORS)  # stored by key; the other row kept


def test_an_export_imports_back_unchanged_with_its_indicator_names(store):
    preview = check(store, export.workbook(store.load(QUARTER)), name="导出.xlsx")
    assert preview.ok, problems(preview)[:5]
    assert preview.changes.empty


def xlsx_sheet(title: str, rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- 说明 --------------------------------------------------------------------------------------
def test_instructions_state_the_rules_once_each(book):
    text = "\n".join(str(c.value) for c in book["说明"]["A"] if c.value)
    assert "整表替换" not in text
    assert "文件中的表只更新它列出的记录；要删除记录，在“删除”列填“是”" in text
    for rule in ("6 位代码", "必填", "镇街名称", "√/×、有/无", "0–100%", "万元", "填报单位",
                 config.CITY_INDICATORS["toilet_rate_city"]):
        assert rule in text, rule


# --- a filled template imports -----------------------------------------------------------------
def test_a_filled_template_imports_without_errors(store, demo_datasets):
    book = openpyxl.load_workbook(io.BytesIO(template.template(demo_datasets[-1])))
    sheet = book["贫困村"]
    labels = headers(sheet)
    filled = {"村代码": "440823115200", "村名": "白水村", "县区代码": "440823", "镇街代码": "440823115",
              "镇街名称": "附城镇", "经度": 110.2, "纬度": 21.2, "位置精度": "实测", "总户数（户）": 400,
              "贫困户数（户）": 40, "贫困人口（人）": 120, "加入合作社贫困户数（户）": 30,
              "有劳动力贫困户数（户）": 20, "参与长效产业项目户数（户）": 10, "贫困劳动力（人）": 25,
              "已培训贫困劳动力（人）": 20, "无害化卫生户厕普及率（%）": 0.9, "干净整洁村": "√",
              "新农村示范村": "×", "农田水利项目": "有"}
    assert set(filled) <= set(labels)
    sheet["A2"] = "填报单位：遂溪县农业农村局　填报日期：2019-12-20　填表人：张三　联系电话：0759-1234567"
    sheet.append([filled.get(label) for label in labels])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = check(store, buffer.getvalue(), name="填好的模板.xlsx")
    assert preview.ok, problems(preview)
    assert [p for p in problems(preview) if p[0] == "错误"] == []
    assert not any("不是模板中的列" in n for n in preview.ledger.notes), preview.ledger.notes
    baishui = preview.dataset.villages.set_index("code").loc["440823115200"]
    assert (baishui["households"], baishui["clean_village"], baishui["model_village"]) == (400, True, False)
    ledger.commit(store, preview, user="clerk")
    assert "440823115200" in set(store.load(QUARTER).villages["code"])


def test_the_town_name_label_is_the_imports():
    assert template.TOWN_NAME.label == ledger_import.TOWN_NAME_LABEL
