"""Ledgers as county clerks really keep them: the bureau's form layout (title, 填报单位 block,
序号, 小计/合计 rows, signatures) and last quarter's workbook reused for this quarter."""
from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from fupin_geo.data import export, schema, spreadsheet
from fupin_geo.data.ledger_import import ERROR, HINT, _convert, validate_workbook
from tests.ledger_rows import HEADER, village

QUARTER = "2019Q4"

# Row helpers as in test_ledger_import.py: a village as a clerk writes it. All the villages are
# real village units of 遂溪县 (geodata/villages.csv): four of 城月镇, two of 遂城镇.
# (code, name, town, total households): the other counts scale with the households
VILLAGES = [("440823115207", "官湖村", "440823115", 500), ("440823115201", "四九村", "440823115", 420),
            ("440823115202", "信岭村", "440823115", 380),
            ("440823101200", "王爱村", "440823101", 610), ("440823101201", "塘口村", "440823101", 330)]
SUMMED = ["总户数", "贫困户数", "贫困人口", "加入合作社贫困户数", "有劳动力贫困户数", "参与长效产业项目户数",
          "贫困劳动力", "已培训贫困劳动力"]

TITLE = "遂溪县2020年第一季度产业扶贫台账"
FORM_HEADER = ["序号", *HEADER]
WIDTH = len(FORM_HEADER)



def villages() -> list[list]:
    rows = []
    for code, name, town, households in VILLAGES:
        counts = dict(zip(SUMMED, [households, households // 10, households * 3 // 10, households // 12,
                                   households // 16, households // 25, households // 11, households // 12]))
        rows.append(village(**{"村代码": code, "村名": name, "镇街代码": town}, **counts))
    return rows


def letter(label: str) -> str:
    return get_column_letter(FORM_HEADER.index(label) + 1)


def total_row(label: str, formula: str, typed: dict[str, int] | None = None, label_in: str = "序号") -> list:
    """A 小计/合计 row: empty code columns, `formula` in each count column ({c}: its letter), or
    the `typed` numbers."""
    row = [None] * WIDTH
    row[FORM_HEADER.index(label_in)] = label
    for name in SUMMED:
        row[FORM_HEADER.index(name)] = typed[name] if typed else "=" + formula.format(c=letter(name))
    return row


def sums(rows: list[list]) -> dict[str, int]:
    return {name: sum(r[HEADER.index(name)] for r in rows) for name in SUMMED}


def form_rows(typed: bool = False, wrong_total: int = 0) -> list[list]:
    """The bureau's form: title (row 1), 填报单位 (2), blank (3), header (4), 城月镇 rows 5–7,
    小计 (8), 遂城镇 rows 9–10, 小计 (11), 合计 (12), blank (13), footer (14–15).

    `typed`: the totals as typed numbers (else =SUM formulas, without saved results as openpyxl
    writes them); `wrong_total` is added to the 合计 row's 总户数.
    """
    data = villages()
    numbered = [[n, *row] for n, row in enumerate(data, start=1)]
    chengyue, suicheng = sums(data[:3]), sums(data[3:])
    grand = {name: chengyue[name] + suicheng[name] for name in SUMMED}
    grand["总户数"] += wrong_total
    return [
        [TITLE] + [None] * (WIDTH - 1),
        ["填报单位：遂溪县农业农村局（盖章）"] + [None] * (WIDTH - 4) + ["填报日期：2020年4月10日", None, None],
        [],
        FORM_HEADER,
        *numbered[:3],
        total_row("小计", "SUM({c}5:{c}7)", chengyue if typed else None),
        *numbered[3:],
        total_row("小计", "SUM({c}9:{c}10)", suicheng if typed else None, label_in="村名"),
        # typed: the 合计 label in the name column, its 序号 and code columns empty
        total_row("合计", "{c}8+{c}11", grand if typed else None, label_in="村名" if typed else "序号"),
        [],
        ["填表人：李明", None, None, "审核人：王芳", None, None, "联系电话：0759-7771234"],
        ["注：本表数据截至2020年3月31日，贫困户数以国办系统为准。"],
    ]


def form_xlsx(rows: list[list], title: str = "遂溪县贫困村台账", merged_title: bool = True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if merged_title:
        sheet.merge_cells(f"A1:{get_column_letter(WIDTH)}1")  # the title across the width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def form_csv(rows: list[list]) -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode("gbk")


def validate(name: str, data: bytes, quarter: str = QUARTER, dataset=None, **options):
    return validate_workbook(spreadsheet.read(name, data), quarter, previous=dataset, **options)


def levels(ledger, level: str) -> list:
    return [p for p in ledger.problems if p.level == level]


@pytest.fixture(scope="module")
def dataset(demo_datasets):
    return demo_datasets[-1]


# --- the form layout -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_form_with_title_subtotals_total_and_footer_imports(dataset, kind):
    rows = form_rows(typed=kind == "csv")
    data = form_xlsx(rows) if kind == "xlsx" else form_csv(rows)
    ledger = validate(f"遂溪县贫困村台账.{kind}", data, dataset=dataset)
    assert ledger.ok, ledger.errors[:5]
    assert ledger.imported == ["villages"]
    assert sorted(ledger.frames["villages"]["code"]) == sorted(v[0] for v in VILLAGES)
    assert ledger.frames["villages"]["households"].sum() == sum(v[3] for v in VILLAGES)
    assert not [p for p in ledger.problems if "合计" in p.message or "小计" in p.message]
    notes = " ".join(ledger.notes)
    assert "序号" not in notes  # the form's running number is no unknown column
    skipped = [n for n in ledger.notes if "未导入的行" in n]
    assert len(skipped) == 1, ledger.notes
    assert "表头上方的标题、填报单位等 2 行（第 1–2 行）" in skipped[0]
    assert "合计、小计行 3 行（第 8、11–12 行）" in skipped[0]
    assert "表尾的签名、注释 2 行（第 14–15 行）" in skipped[0]
    assert "合并单元格" not in notes  # the merged title is no cell of a record


def test_the_formulas_of_a_total_row_are_no_missing_result(dataset):
    ledger = validate("台账.xlsx", form_xlsx(form_rows()), dataset=dataset)
    sheet = spreadsheet.read("台账.xlsx", form_xlsx(form_rows())).sheets[0]
    assert (12, FORM_HEADER.index("总户数") + 1) in sheet.formulas_without_value  # as openpyxl saves
    assert not [p for p in ledger.problems if "公式" in p.message]


def test_a_typed_total_that_differs_from_the_sum_is_a_hint(dataset):
    ledger = validate("台账.xlsx", form_xlsx(form_rows(typed=True, wrong_total=10)), dataset=dataset)
    assert ledger.ok, ledger.errors[:5]
    hints = [p for p in levels(ledger, HINT) if p.row == 12]
    expected = sum(v[3] for v in VILLAGES)
    assert [(p.column, p.value) for p in hints] == [("总户数", str(expected + 10))]
    assert f"合计行的「总户数」为 {expected + 10}，与各行之和 {expected} 不一致" in hints[0].message
    assert len(ledger.frames["villages"]) == len(VILLAGES)


def test_a_subtotal_is_checked_against_its_own_group(dataset):
    rows = form_rows(typed=True)
    rows[10][FORM_HEADER.index("贫困人口")] += 7  # 遂城镇's 小计 (Excel row 11)
    ledger = validate("台账.xlsx", form_xlsx(rows), dataset=dataset)
    hints = [p for p in levels(ledger, HINT) if p.row in (8, 11, 12)]
    expected = sum(v[3] * 3 // 10 for v in VILLAGES[3:])
    assert [(p.row, p.column) for p in hints] == [(11, "贫困人口")]
    assert f"小计行的「贫困人口」为 {expected + 7}，与第 9–10 行之和 {expected} 不一致" in hints[0].message


def test_a_header_below_a_taller_title_block_is_found(dataset):
    block = [[TITLE], [], ["填报单位：遂溪县农业农村局"], ["填报日期：2020年4月10日"], ["单位：户、人"],
             ["（本表由各镇汇总后报县农业农村局）"], []]
    rows = [*block, FORM_HEADER, *[[n, *row] for n, row in enumerate(villages(), start=1)]]
    ledger = validate("台账.xlsx", form_xlsx(rows), dataset=dataset)
    assert ledger.ok, ledger.errors[:5]
    assert len(ledger.frames["villages"]) == len(VILLAGES)
    assert any("表头上方的标题、填报单位等 5 行（第 1、3–6 行）" in n for n in ledger.notes)


def test_the_footer_roles_and_note_lines_are_skipped(dataset):
    data = [[n, *row] for n, row in enumerate(villages(), start=1)]
    footer = [["制表人：李明", None, "负责人：张强"], ["联系人 王芳", None, "13800000000"],
              ["填报人：陈", None, None, "备注：无"], ["备注：贫困户数以国办系统为准"],
              ["注：", "1. 户数为年末数"], ["2. 本表一式两份"]]
    ledger = validate("台账.xlsx", form_xlsx([FORM_HEADER, *data, *footer], merged_title=False), dataset=dataset)
    assert ledger.ok, ledger.errors[:5]
    assert len(ledger.frames["villages"]) == len(VILLAGES)
    assert any("表尾的签名、注释 6 行（第 7–12 行）" in n for n in ledger.notes)


# --- 季度 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["2020q1", "2020-Q1", "2020 Q1", "2020年第一季度", "2020年1季度",
                                      "2020年一季度", "2020年第1季度", "２０２０Ｑ１"])
def test_the_usual_spellings_of_a_quarter_are_read(spelling):
    assert _convert(spelling, schema.QUARTER, "2020Q1") == ("2020Q1", None)


def test_a_quarter_that_cannot_be_read_says_how_to_write_it():
    value, problem = _convert("明年一季度", schema.QUARTER, "2020Q1")
    assert problem and "2020Q1 的形式" in problem


def test_a_spelled_quarter_column_imports_as_the_quarter(dataset):
    rows = [[*HEADER, "季度"], [*village(), "2020年第一季度"],
            [*village(**{"村代码": "440823115201", "村名": "四九村"}), None]]
    ledger = validate("台账.xlsx", form_xlsx(rows, title="贫困村", merged_title=False), quarter="2020Q1",
                      dataset=dataset)
    assert ledger.ok, ledger.errors[:5]
    assert set(ledger.frames["villages"]["quarter"]) == {"2020Q1"}  # the empty cell too
    assert ledger.file_quarters == ["2020Q1"]


def test_last_quarters_export_as_the_next_quarter_is_one_error(dataset):
    data = export.workbook(dataset)
    ledger = validate("湛江产业扶贫_2019Q4.xlsx", data, quarter="2020Q1", dataset=dataset)
    errors = levels(ledger, ERROR)
    assert len(errors) == 1, errors[:3]
    assert errors[0].column == "季度" and errors[0].row is None
    assert errors[0].message == ("文件的「季度」列是 2019Q4，与所选的 2020Q1 不同；如要把这份文件作为 2020Q1 的"
                                 "台账导入，请选择“按 2020Q1 导入”")
    assert ledger.file_quarters == ["2019Q4"]
    assert not ledger.ok


def test_last_quarters_export_imports_as_the_next_quarter_when_asked(dataset):
    data = export.workbook(dataset)
    ledger = validate("湛江产业扶贫_2019Q4.xlsx", data, quarter="2020Q1", dataset=dataset, replace_quarter=True)
    assert ledger.ok, ledger.errors[:3]
    replaced = [p for p in ledger.problems if p.column == "季度"]
    assert [(p.level, p.message) for p in replaced] == [(HINT, "文件的「季度」列（2019Q4）已按所选季度 2020Q1 替换")]
    assert ledger.file_quarters == ["2019Q4"]
    assert set(ledger.frames["villages"]["quarter"]) == {"2020Q1"}
    assert len(ledger.frames["villages"]) == len(dataset.villages)


def test_a_file_of_two_other_quarters_names_both_and_counts_the_rows(dataset):
    rows = [[*HEADER, "季度"], [*village(), "2019Q3"],
            [*village(**{"村代码": "440823115201", "村名": "四九村"}), "2019年第四季度"],
            [*village(**{"村代码": "440823115202", "村名": "信岭村"}), "2020Q1"]]
    ledger = validate("台账.xlsx", form_xlsx(rows, title="贫困村", merged_title=False), quarter="2020Q1",
                      dataset=dataset)
    errors = levels(ledger, ERROR)
    assert [e.message.split("；")[0] for e in errors] == [
        "文件的「季度」列中有 2 行是 2019Q3、2019Q4，与所选的 2020Q1 不同"]
    assert ledger.file_quarters == ["2019Q3", "2019Q4", "2020Q1"]
