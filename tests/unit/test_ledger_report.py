"""What a clerk downloads after a check: the problem list (村名, frozen header, filter, widths,
no formulas) and the copy of the clerk's own file with the bad cells marked."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from fupin_geo.data import ledger_report
from fupin_geo.data.ledger_import import problems_workbook
from tests.unit.test_ledger_import import HEADER, QUARTER, check, filled_path, store, village, xlsx  # noqa: F401

# A row that is wrong in three ways: a formula-looking name, more poor households than
# households (an error in 贫困户数), and a position in 雷州 for a 遂溪 village (a hint).
HOSTILE = "+官湖村"  # Excel and WPS would run a cell starting with + as a formula


def faulty_rows() -> list[list]:
    return [
        HEADER,
        village(),  # row 2: fine
        village(**{"村代码": "440823115201", "村名": HOSTILE, "贫困户数": 600}),  # row 3
        village(**{"村代码": "440823101218", "村名": "新村", "镇街代码": "440823101",
                   "经度": "110°9′0″", "纬度": "20 52 48"}),  # row 4: in 雷州, county says 遂溪
    ]


def product_rows() -> list[list]:
    # a 一村一品 row of 官湖村 (known by code) with an unknown category
    return [["村代码", "产品", "类别"], ["440823115207", "菠萝", "不存在的类别"]]


@pytest.fixture
def faulty(store):
    return check(store, xlsx({"贫困村": faulty_rows(), "一村一品": product_rows()}))


def cells(data: bytes, title: str) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data))[title].iter_rows(values_only=True))


def test_the_problem_list_names_the_village_and_reads_well(faulty):
    book = openpyxl.load_workbook(io.BytesIO(problems_workbook(faulty.ledger)))
    sheet = book["问题清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("级别", "工作表", "行", "村名", "列", "值", "说明")
    by_place = {(r[1], r[2], r[4]): r for r in rows[1:]}
    assert by_place["贫困村", 3, "贫困户数"][:4] == ("错误", "贫困村", 3, HOSTILE)
    assert by_place["贫困村", 4, "经度、纬度"][3] == "新村"
    # a 一村一品 row names its village by the 村代码
    assert by_place["一村一品", 2, "类别"][3] == "官湖村"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:G{len(rows)}"
    widths = {c: sheet.column_dimensions[c].width for c in "ADG"}
    assert widths["G"] >= 50 and widths["D"] >= 12
    说明 = sheet.cell(row=2, column=7)
    assert 说明.alignment.wrap_text
    # nothing the file said becomes a formula, whatever it starts with
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert book["读取说明"].freeze_panes == "A2"


def test_an_xlsx_upload_comes_back_with_its_bad_cells_marked(faulty):
    data = xlsx({"贫困村": faulty_rows(), "一村一品": product_rows()})
    book = openpyxl.load_workbook(io.BytesIO(ledger_report.marked_copy(faulty.ledger, "台账.xlsx", data)))
    sheet = book["贫困村"]
    column = {label: index + 1 for index, label in enumerate(HEADER)}
    bad = sheet.cell(row=3, column=column["贫困户数"])
    assert bad.fill.fgColor.rgb.endswith(ledger_report.ERROR_FILL.lstrip("#"))
    assert "「贫困户数」600 大于「总户数」500" in bad.comment.text and bad.comment.text.startswith("错误")
    for label in ("经度", "纬度"):  # "经度、纬度" marks both cells
        hint = sheet.cell(row=4, column=column[label])
        assert hint.fill.fgColor.rgb.endswith(ledger_report.HINT_FILL.lstrip("#"))
        assert "与所填县区遂溪县不符" in hint.comment.text
    assert sheet.cell(row=2, column=column["贫困户数"]).comment is None  # a good row stays as it was
    assert sheet.cell(row=2, column=column["贫困户数"]).fill.fill_type is None
    assert sheet.cell(row=3, column=column["村名"]).value == HOSTILE  # the clerk's values untouched
    assert book["一村一品"].cell(row=2, column=3).comment is not None


def test_a_csv_upload_comes_back_as_a_workbook_with_the_same_rows_marked(store):
    text = io.StringIO()
    csv.writer(text).writerows(faulty_rows())
    data = text.getvalue().encode("utf-8")
    preview = check(store, data, name="贫困村.csv")
    marked = ledger_report.marked_copy(preview.ledger, "贫困村.csv", data)
    book = openpyxl.load_workbook(io.BytesIO(marked))
    sheet = book["贫困村"]
    column = HEADER.index("贫困户数") + 1
    bad = sheet.cell(row=3, column=column)
    assert bad.value == "600"  # the row as read, text stays text
    assert bad.fill.fgColor.rgb.endswith(ledger_report.ERROR_FILL.lstrip("#"))
    assert "大于「总户数」" in bad.comment.text
    name = sheet.cell(row=3, column=HEADER.index("村名") + 1)
    assert (name.value, name.data_type) == (HOSTILE, "s")  # text, not a formula
    assert sheet.cell(row=2, column=column).comment is None


def test_a_problem_without_a_row_or_a_known_column_marks_nothing(store):
    # 总户数 missing from the header: an error on the header row whose column is not there
    header = [label for label in HEADER if label != "总户数"]
    row = [v for label, v in zip(HEADER, village()) if label != "总户数"]
    preview = check(store, xlsx({"贫困村": [header, row]}))
    assert any("缺少这些列" in p.message for p in preview.ledger.problems)
    assert ledger_report.cell_marks(preview.ledger) == {}
