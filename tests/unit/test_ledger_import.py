"""Importing ledgers: bad files refused, each problem reported in Chinese with its Excel row,
round trips that change nothing, and nothing written unless the whole file is clean."""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from fupin_geo import config
from fupin_geo.data import ledger
from fupin_geo.data import template
from fupin_geo.geo import coords
from tests.ledger_rows import HEADER, QUARTER, check, problems, village, xlsx


# A village as a clerk writes it (labels as in the template). 官湖村 is a real village unit of
# 遂溪县 城月镇 (geodata/villages.csv 440823115207).



@pytest.fixture
def store(q4_store):
    return q4_store


def imported_village(preview, code: str = "440823115207"):
    """The file's village as the quarter would hold it after the import."""
    return preview.dataset.villages.set_index("code").loc[code]


def messages_for_row(preview, row: int) -> str:
    table = preview.ledger.problem_table()
    return " | ".join(table[table["行"] == row]["说明"])


# --- files that are not ledgers ---------------------------------------------------------------
def zip_bomb() -> bytes:
    """A real .xlsx skeleton plus a member of 60 MB of zeros (compresses ~1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


BAD_FILES = {
    "renamed .exe": ("台账.xlsx", b"MZ\x90\x00\x03" + bytes(2000), "不是电子表格"),
    "zip bomb as .xlsx": ("台账.xlsx", None, "压缩炸弹"),
    "100 MB file": ("台账.xlsx", None, "超过上限"),
    "plain zip": ("台账.xlsx", None, "压缩包而不是 Excel"),
    "broken xlsx": ("台账.xlsx", b"PK\x03\x04" + b"\x00garbage" * 100, "已损坏"),
    "binary as .csv": ("台账.csv", b"\x00\x01\x02binary" * 50, "不是电子表格"),
    "empty file": ("台账.xlsx", b"", "是空的"),
    "pdf": ("台账.xls", b"%PDF-1.4 whatever", "不是电子表格"),
}


def bad_bytes(case: str) -> bytes:
    name, data, _ = BAD_FILES[case]
    if case == "zip bomb as .xlsx":
        return zip_bomb()
    if case == "100 MB file":
        return b"PK\x03\x04" + bytes(100 * 1024 * 1024)
    if case == "plain zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "hello")
        return buffer.getvalue()
    return data


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_that_is_not_a_usable_spreadsheet_is_refused_and_nothing_is_written(store, case):
    name, _, expected = BAD_FILES[case]
    before = store.revisions(QUARTER)
    with pytest.raises(ledger.FileRefused) as raised:
        check(store, bad_bytes(case), name=name)
    message = str(raised.value)
    assert expected in message and re.search(r"[\u4e00-\u9fff]", message)
    assert "Traceback" not in message
    assert store.revisions(QUARTER) == before


# --- a workbook with one problem per row ---------------------------------------------------
@pytest.fixture
def faulty(store):
    rows = [
        ["湛江市某县 2019 年第四季度贫困村台账"],  # a title above the header
        [],
        [*HEADER, "备注"],  # header on Excel row 3, one extra column
        village(),  # row 4: clean
        village(**{"村名": None, "村代码": "440823115208"}),  # 5: missing name
        village(**{"村代码": "440882108227", "村名": "新村", "县区代码": "火星县",
                   "镇街代码": "440882108"}),  # 6: unknown county
        village(**{"村代码": "440881109208", "村名": "新村", "县区代码": "廉江市", "镇街代码": "440881109",
                   "贫困户数": 600}),  # 7: more poor households than households
        village(**{"村代码": "440883102204", "村名": "新村", "县区代码": "吴川市", "镇街代码": "440883102",
                   "总户数": -5}),  # 8: negative count
        village(**{"村代码": "440803005200", "村名": "新村", "县区代码": "霞山区", "镇街代码": "440803005",
                   "无害化卫生户厕普及率": "120%"}),  # 9: share over 100 %
        village(),  # 10: duplicate of row 4
        village(**{"村代码": "4.40823E+11", "村名": "某村"}),  # 11: code as scientific number
        village(**{"村代码": None, "村名": "新村", "镇街代码": None, "县区代码": None}),  # 12: ambiguous
        village(**{"村代码": None, "村名": "官湖乡村", "镇街代码": None}),  # 13: unknown name
        village(**{"村代码": "440804104203", "村名": "新村", "县区代码": "坡头区", "镇街代码": "440804104",
                   "经度": 21.3, "纬度": 110.45}),  # 14: swapped
        village(**{"村代码": "440882113201", "村名": "新村", "县区代码": "雷州市", "镇街代码": "440882113",
                   "经度": 111.5, "纬度": 20.2}),  # 15: far out at sea
        village(**{"村代码": "440823101218", "村名": "新村", "县区代码": "遂溪县", "镇街代码": "440823101",
                   "经度": "110°9′0″", "纬度": "20 52 48"}),  # 16: DMS in 雷州, county says 遂溪
        village(**{"村代码": "440823115201", "村名": "某某村", "经度": "东经一百一十度"}),  # 17: bad coordinate
    ]
    data = xlsx({"贫困村": rows, "隐藏": [["x"]], "空表": []}, hidden=("隐藏",))
    return check(store, data)


def test_problems_name_excel_rows_columns_and_say_what_is_expected(faulty):
    assert not faulty.ok and faulty.dataset is None
    by_row = {row: messages_for_row(faulty, row) for row in range(4, 18)}
    assert by_row[4] == ""
    assert "缺少「村名」" in by_row[5]
    assert "未知的湛江县区" in by_row[6] and "雷州市" in by_row[6]
    assert "「贫困户数」600 大于「总户数」500" in by_row[7]
    assert "「总户数」不应小于 0" in by_row[8]
    assert "0 到 100%" in by_row[9]
    assert "与第 4 行重复" in by_row[10]
    assert "科学计数法" in by_row[11]
    assert "多个同名村" in by_row[12] and "440823101218" in by_row[12]
    assert "找不到这个村" in by_row[13] and "官湖村民委员会" in by_row[13]
    assert "经纬度似乎填反了" in by_row[14] and "经度 110.45、纬度 21.3" in by_row[14]
    assert "不在湛江市陆地范围内" in by_row[15]
    assert "位置在雷州市，与所填县区遂溪县不符" in by_row[16]
    assert "不是经纬度" in by_row[17]
    table = faulty.ledger.problem_table()
    assert list(table.columns) == ["级别", "工作表", "行", "列", "值", "说明"]
    assert set(table["工作表"]) == {"贫困村"}
    assert "贫困户数" in table.loc[table["行"] == 7, "列"].tolist()


def test_sheets_and_columns_that_are_not_read_are_listed(faulty):
    notes = " ".join(faulty.ledger.notes)
    assert "备注" in notes and "已忽略" in notes
    assert "隐藏的工作表「隐藏」未导入" in notes
    assert "工作表「空表」是空的" in notes


def test_the_problem_table_downloads_as_a_workbook(faulty):
    from fupin_geo.data.ledger_report import problems_workbook

    book = openpyxl.load_workbook(io.BytesIO(problems_workbook(faulty.ledger)))
    sheet = book["问题清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("级别", "工作表", "行", "村名", "列", "值", "说明")
    assert ("错误", "贫困村", 7, "新村", "贫困户数", "600") == rows[[r[2] for r in rows].index(7)][:6]


def test_a_file_with_errors_writes_nothing(store, faulty):
    with pytest.raises(Exception, match="还有错误"):
        ledger.commit(store, faulty, user="clerk")
    assert [r.revision for r in store.revisions(QUARTER)] == [1]


# --- what is read and fixed ----------------------------------------------------------------------
def one_village(store, row, **options):
    return check(store, xlsx({"贫困村": [HEADER, row]}), **options)


def test_swapped_coordinates_are_fixed_when_asked(store):
    preview = one_village(store, village(**{"经度": 21.1, "纬度": 110.1}), swap_fix=True)
    assert preview.ok, problems(preview)
    guanhu = preview.dataset.villages.set_index("code").loc["440823115207"]
    assert (guanhu["lon"], guanhu["lat"]) == (110.1, 21.1)
    assert any("已交换" in p[3] for p in problems(preview))


def test_names_match_codes_whatever_the_suffix_and_shares_read_both_ways(store):
    rows = [HEADER, village(**{"村代码": None, "村名": "官湖村民委员会", "无害化卫生户厕普及率": 0.85})]
    preview = check(store, xlsx({"贫困村": rows}))
    assert preview.ok, problems(preview)
    villages = preview.dataset.villages.set_index("code")
    assert villages.loc["440823115207", "toilet_rate"] == 0.85
    # the 85% written as text in GUANHU reads the same
    assert imported_village(one_village(store, village()))["toilet_rate"] == 0.85


def test_gcj02_coordinates_are_converted_to_wgs84(store):
    preview = one_village(store, village(), coord_system="GCJ-02")
    assert preview.ok, problems(preview)
    stored = imported_village(preview)
    # shifted back into GCJ-02 the stored point is what the file said (to ~1 m)
    back = coords.wgs84_to_gcj02(stored["lon"], stored["lat"])
    assert back[0] == pytest.approx(110.1, abs=2e-5) and back[1] == pytest.approx(21.1, abs=2e-5)
    assert abs(stored["lon"] - 110.1) > 0.003  # a real shift (hundreds of metres), not a no-op


def test_a_village_without_coordinates_is_placed_approximately(store):
    preview = one_village(store, village(**{"经度": None, "纬度": None, "位置精度": None}))
    assert preview.ok, problems(preview)
    placed = imported_village(preview)
    assert placed["position_quality"] == "近似"
    from fupin_geo.data import geodata
    assert geodata.county_of_point(placed["lon"], placed["lat"]) == "440823"
    assert any("近似定位" in n for n in preview.ledger.notes)


def test_merged_cells_and_formula_values(store):
    rows = [HEADER, village(**{"村代码": "440823115207"}),
            village(**{"村代码": "440823115201", "村名": None})]
    data = xlsx({"贫困村": rows}, merges={"贫困村": ["C2:C3"]})
    # a formula with a cached result in 总户数 of row 2 (as Excel saves it), none in row 3
    data = rewrite_sheet(data, lambda xml: xml.replace(
        b'<c r="H2" t="n"><v>500</v></c>', b'<c r="H2"><f>250*2</f><v>500</v></c>').replace(
        b'<c r="H3" t="n"><v>500</v></c>', b'<c r="H3"><f>250*2</f><v></v></c>'))
    preview = check(store, data)
    found = problems(preview)
    assert ("错误", 3, "总户数", "公式没有保存计算结果；请在 Excel/WPS 中打开并保存后再上传") in found
    assert any("合并单元格 C2:C3" in n for n in preview.ledger.notes)
    assert not [p for p in found if p[1] == 2]  # the cached 500 is read; merged county filled


def rewrite_sheet(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                changed = change(content)
                assert changed != content
                content = changed
            target.writestr(item, content)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_any_of_the_usual_encodings(store, encoding):
    text = ",".join(HEADER) + "\n" + ",".join(str(v) for v in village()) + "\n"
    preview = check(store, text.encode(encoding), name="贫困村.csv")
    assert preview.ok, problems(preview)
    assert imported_village(preview)["name"] == "官湖村"
    shown = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gbk": "GBK/GB18030", "gb18030": "GBK/GB18030"}
    assert f"编码识别为 {shown[encoding]}" in " ".join(preview.ledger.notes)


def test_old_style_xls(store):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("贫困村")
    for r, row in enumerate([HEADER, village()]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    preview = check(store, buffer.getvalue(), name="台账.xls")
    assert preview.ok, problems(preview)
    assert imported_village(preview)["name"] == "官湖村"


def test_entities_missing_from_the_file_keep_the_current_records(store):
    preview = one_village(store, village())
    current = store.load(QUARTER)
    # the file's one village is added or updated; every other village and every other table stays
    code = village()[HEADER.index("村代码")]
    assert set(preview.dataset.villages["code"]) == set(current.villages["code"]) | {code}
    assert any("其记录保持不变" in n and "龙头企业" in n for n in preview.ledger.notes)
    for name, frame in current.frames().items():
        if name != "villages":
            assert len(preview.dataset.frames()[name]) == len(frame), name


def test_a_form_without_the_exit_column_keeps_each_villages_stored_exit(store):
    """出列季度 came after counties made their forms: a form without it is read, and leaves
    every village's stored 出列 as it was; a form with it sets it."""
    current = store.load(QUARTER).villages.set_index("code")
    sandun = "440881108209"  # 三墩村: left the list in 2019Q4 (public)
    assert current.loc[sandun, "exit_quarter"] == "2019Q4"
    row = village(**{"村代码": sandun, "村名": "三墩村", "县区代码": "廉江市", "镇街代码": "440881108",
                     "经度": current.loc[sandun, "lon"], "纬度": current.loc[sandun, "lat"]})
    kept = one_village(store, row)
    assert kept.ok, problems(kept)
    assert imported_village(kept, sandun)["exit_quarter"] == "2019Q4"
    assert imported_village(kept, sandun)["households"] == 500  # the rest of the row was read
    new = one_village(store, village())  # a village the quarter does not have: no 出列
    assert new.ok and pd.isna(imported_village(new)["exit_quarter"])
    cleared = check(store, xlsx({"贫困村": [[*HEADER, "出列季度"], row + [None]]}))
    assert cleared.ok and pd.isna(imported_village(cleared, sandun)["exit_quarter"])
    other = check(store, xlsx({"贫困村": [[*HEADER, "出列季度"], village(**{}) + ["2019Q4"]]}))
    assert other.ok and imported_village(other)["exit_quarter"] == "2019Q4"


# --- round trips -------------------------------------------------------------------------------
def test_export_layout_imports_back_unchanged(store, demo_datasets):
    data = template.workbook(demo_datasets[-1])
    preview = check(store, data, name="导出.xlsx")
    assert preview.ok, problems(preview)[:5]
    assert preview.changes.empty
    assert [p for p in problems(preview) if p[0] == "错误"] == []


def test_template_filled_imported_exported_imported_changes_nothing(store, demo_datasets):
    book = openpyxl.load_workbook(io.BytesIO(template.template(demo_datasets[-1])))
    assert book.sheetnames[0] == "说明"
    sheet = book["贫困村"]
    assert sheet["A3"].value == "村代码" and sheet.data_validations.dataValidation  # below the title rows
    row = village()
    sheet.append(row[:4] + [None] + row[4:])  # the clerk's row below the two example rows; 镇街名称 blank
    buffer = io.BytesIO()
    book.save(buffer)
    first = check(store, buffer.getvalue(), name="填好的模板.xlsx")
    assert first.ok, problems(first)
    number = ledger.commit(store, first, user="clerk")
    exported = template.workbook(store.load(QUARTER))
    second = check(store, exported, name="导出.xlsx")
    assert second.ok and second.changes.empty, second.changes.rows.head()
    assert store.latest_revision(QUARTER) == number


def test_commit_is_a_revision_with_who_and_the_file_hash_and_an_audit_entry(store):
    import hashlib

    from fupin_geo.data import audit

    data = xlsx({"贫困村": [HEADER, village()]})
    preview = check(store, data)
    number = ledger.commit(store, preview, user="县区录入员")
    latest = store.revisions(QUARTER)[-1]
    assert (latest.revision, latest.author, latest.kind) == (number, "县区录入员", "导入")
    assert latest.file_sha256 == hashlib.sha256(data).hexdigest()
    log = audit.entries(store)
    assert log.iloc[0]["用户"] == "县区录入员" and log.iloc[0]["操作"] == "导入"
    assert log.iloc[0]["文件 SHA-256"] == latest.file_sha256 and log.iloc[0]["版本"] == number
    # the earlier revision is still there and can be restored
    assert len(store.load(QUARTER, 1).villages) == config.POVERTY_VILLAGE_COUNT
    store.restore(QUARTER, 1, author="admin")
    assert len(store.load(QUARTER).villages) == config.POVERTY_VILLAGE_COUNT


def test_sheets_are_recognised_by_header_when_renamed(store):
    preview = check(store, xlsx({"Sheet1": [HEADER, village()]}))
    assert preview.ok, problems(preview)
    assert preview.ledger.imported == ["villages"]


def test_a_file_without_any_ledger_sheet_is_an_error(store):
    preview = check(store, xlsx({"Sheet1": [["你好", "世界"], [1, 2]]}))
    assert not preview.ok
    assert "没有可识别的台账表" in " ".join(p[3] for p in problems(preview))


def test_hostile_text_is_kept_as_literal_values(store):
    hostile = "<img src=x onerror=alert(1)>"
    preview = one_village(store, village(**{"村名": hostile, "村代码": None}))
    table = preview.ledger.problem_table()
    assert hostile in table["值"].tolist()
    long = one_village(store, village(**{"村名": "村" * 5000, "村代码": None}))
    assert max(len(v) for v in long.ledger.problem_table()["值"]) < 300


def test_closed_choices_match_however_brackets_are_typed_and_free_text_is_kept():
    from fupin_geo.data import schema
    from fupin_geo.data.ledger_import import _convert

    quality = schema.PARKS.column("position_quality")
    assert _convert("近似(县城)", quality, QUARTER) == ("近似（县城）", None)  # half-width brackets
    assert _convert(" 近似（ 镇 ）", quality, QUARTER) == ("近似（镇）", None)
    assert _convert("近似(村)", quality, QUARTER) == ("近似(村)", None)  # no choice: kept as typed
    name = schema.VILLAGES.column("name")
    assert _convert("官湖村（城月）：一", name, QUARTER) == ("官湖村（城月）：一", None)
    code = schema.VILLAGES.column("code")
    assert _convert("４４０８２３１１５２０７", code, QUARTER) == ("440823115207", None)


def test_a_cell_excel_turned_into_a_date_is_named_as_a_date(store):
    """Excel turns 3-1 into 1 March: the clerk is told so, not shown a serial number."""
    import datetime

    rows = [HEADER, village(**{"村名": datetime.datetime(2019, 3, 1)})]
    preview = check(store, xlsx({"贫困村": rows}))
    messages = [p[3] for p in problems(preview) if p[2] == "村名"]
    assert messages and all("被 Excel 当成了日期" in m for m in messages), problems(preview)
    assert not preview.ok
