"""What a clerk downloads after a check: the problem list (村名, frozen header, filter, widths,
no formulas) and the copy of the clerk's own file with the bad cells marked."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from fupin_geo.data import ledger as ledger_module
from fupin_geo.data import ledger_report
from fupin_geo.data.ledger_report import problems_workbook
from tests.ledger_rows import HEADER, QUARTER, check, village, xlsx


@pytest.fixture
def store(q4_store):
    return q4_store


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


def test_a_file_too_large_for_a_marked_copy_is_refused_in_chinese(faulty, monkeypatch):
    """openpyxl holds the whole workbook: above the cap there is the problem list only."""
    from fupin_geo import config
    from fupin_geo.data import spreadsheet

    data = xlsx({"贫困村": faulty_rows(), "一村一品": product_rows()})
    cells = sum(len(rows) * max(map(len, rows)) for rows in (faulty_rows(), product_rows()))
    assert faulty.ledger.cells >= cells  # the file's sheets, as read (a sheet may be wider than its rows)
    monkeypatch.setattr(config, "MARKED_COPY_MAX_CELLS", faulty.ledger.cells)
    assert ledger_report.marked_copy_refusal(faulty.ledger) is None
    assert ledger_report.marked_copy(faulty.ledger, "台账.xlsx", data)[:2] == b"PK"
    monkeypatch.setattr(config, "MARKED_COPY_MAX_CELLS", faulty.ledger.cells - 1)
    refusal = ledger_report.marked_copy_refusal(faulty.ledger)
    assert f"上限 {faulty.ledger.cells - 1:,} 个" in refusal and "问题清单" in refusal
    with pytest.raises(spreadsheet.FileRefused, match="标出问题副本的上限"):
        ledger_report.marked_copy(faulty.ledger, "台账.xlsx", data)


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


# --- a file in another coordinate system ------------------------------------------------------
def village_file(store, count: int, system: str = "WGS-84") -> bytes:
    """The first `count` villages of the stored quarter, measured (实测), their positions written
    in `system` as a 高德 (GCJ-02) or 百度 (BD-09) map shows them."""
    from fupin_geo.data import schema
    from fupin_geo.geo import coords

    villages = store.load(QUARTER).villages.head(count)
    lon, lat = coords.convert(villages["lon"].to_numpy(float), villages["lat"].to_numpy(float), "WGS-84", system)
    rows = [[c.label for c in schema.VILLAGES.columns]]
    for i, record in enumerate(villages.to_dict("records")):
        record.update(lon=round(float(lon[i]), 6), lat=round(float(lat[i]), 6), position_quality="实测")
        rows.append([("是" if record[c.name] else "否") if c.kind is bool else record[c.name]
                     for c in schema.VILLAGES.columns])
    return xlsx({"贫困村": rows})


def datum_hints(preview) -> list[str]:
    return [p.message for p in preview.ledger.problems if "坐标系" in p.message]


def test_a_gcj02_file_read_as_wgs84_is_told_once_to_choose_gcj02(store):
    preview = check(store, village_file(store, 8, "GCJ-02"))
    hints = [p for p in preview.ledger.problems if "坐标系" in p.message]
    assert len(hints) == 1 and hints[0].level == "提示" and hints[0].row is None
    assert "8 个村" in hints[0].message and "高德" in hints[0].message and "GCJ-02" in hints[0].message
    assert re.search(r"偏了约 [4-7]\d\d 米", hints[0].message)
    # read as GCJ-02 it is right; a BD-09 file read as GCJ-02 is told to choose BD-09
    assert datum_hints(check(store, village_file(store, 8, "GCJ-02"), coord_system="GCJ-02")) == []
    bd09 = datum_hints(check(store, village_file(store, 8, "BD-09"), coord_system="GCJ-02"))
    assert len(bd09) == 1 and "BD-09" in bd09[0] and "百度" in bd09[0]


def test_positions_as_known_or_too_few_villages_give_no_datum_hint(store):
    assert datum_hints(check(store, village_file(store, 8))) == []
    # four villages are not enough to call it a datum: they may have been re-measured
    assert datum_hints(check(store, village_file(store, ledger_module.DATUM_MIN_VILLAGES - 1, "GCJ-02"))) == []


def test_the_import_command_saves_the_marked_copy(tmp_path, store, monkeypatch):
    from click.testing import CliRunner

    from fupin_geo import cli, config

    monkeypatch.setenv(config.DB_URL_ENV, store.url)
    ledger_file, marked = tmp_path / "台账.xlsx", tmp_path / "marked.xlsx"
    ledger_file.write_bytes(xlsx({"贫困村": faulty_rows()}))
    result = CliRunner().invoke(cli.main, ["import", str(ledger_file), "--quarter", QUARTER, "--marked", str(marked)])
    assert result.exit_code == 2 and "标出问题的原文件副本已保存" in result.output, result.output
    cell = openpyxl.load_workbook(marked)["贫困村"].cell(row=3, column=HEADER.index("贫困户数") + 1)
    assert "大于「总户数」" in cell.comment.text


def test_the_import_command_says_why_it_saves_no_marked_copy_of_a_large_file(tmp_path, store, monkeypatch):
    from click.testing import CliRunner

    from fupin_geo import cli, config

    monkeypatch.setenv(config.DB_URL_ENV, store.url)
    monkeypatch.setattr(config, "MARKED_COPY_MAX_CELLS", 1)
    ledger_file, marked = tmp_path / "台账.xlsx", tmp_path / "marked.xlsx"
    ledger_file.write_bytes(xlsx({"贫困村": faulty_rows()}))
    result = CliRunner().invoke(cli.main, ["import", str(ledger_file), "--quarter", QUARTER, "--marked", str(marked)])
    assert result.exit_code == 2 and "超过标出问题副本的上限 1 个" in result.output, result.output
    assert not marked.exists()
