"""Uploads that would take the server's memory (issue 26 §2) are refused early, under small
caps so that the files stay small and the tests fast; a file just under the caps still imports."""
from __future__ import annotations

import csv
import io
import struct
import zipfile

import openpyxl
import pytest
import python_calamine

from bench import bomb_files
from fupin_geo import config
from fupin_geo.data import ledger, spreadsheet, template, upload_limits
from tests.ledger_rows import QUARTER, check


@pytest.fixture
def no_calamine(monkeypatch):
    """Fail if calamine is asked to open the file: the refusal must come before it."""
    def refuse(*args, **kwargs):
        raise AssertionError("calamine opened a file that should have been refused before")
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)


@pytest.fixture
def scanned(monkeypatch):
    """The decompressed bytes of each zip member the checks read (small pieces)."""
    monkeypatch.setattr(upload_limits, "CHUNK", 16 * 1024)
    read: dict[str, int] = {}
    real = upload_limits.member_chunks

    def counting(name, data, info, limit, what):
        for piece in real(name, data, info, limit, what):
            read[info.filename] = read.get(info.filename, 0) + len(piece)
            yield piece
    monkeypatch.setattr(upload_limits, "member_chunks", counting)
    return read


def unpacked(data: bytes, member: str) -> int:
    return zipfile.ZipFile(io.BytesIO(data)).getinfo(member).file_size


SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


# --- the near-bomb: an inflated shared-string table ------------------------------------------
def test_an_inflated_shared_string_table_is_refused_from_the_directory_before_parsing(monkeypatch, no_calamine):
    monkeypatch.setattr(config, "MAX_SHARED_STRINGS_MB", 1)
    data = bomb_files.near_bomb(3, rows=100)
    assert unpacked(data, STRINGS) > 2 * 1024 * 1024  # the file is what the test says
    with pytest.raises(spreadsheet.FileRefused) as refused:
        spreadsheet.read("台账.xlsx", data)
    assert "共享字符串表" in str(refused.value) and "1 MB 的上限" in str(refused.value)


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """`data` with the zip directory declaring `size` bytes for `member`, which unpacks to more."""
    encoded, at = member.encode(), data.index(b"PK\x01\x02")  # the central directory's entries
    while data[at + 46:at + 46 + len(encoded)] != encoded:
        at = data.index(b"PK\x01\x02", at + 4)
    return data[:at + 24] + struct.pack("<I", size) + data[at + 28:]


def test_a_shared_string_table_that_unpacks_to_more_than_the_directory_says_is_refused(monkeypatch, no_calamine):
    monkeypatch.setattr(config, "MAX_SHARED_STRINGS_MB", 1)
    data = lie_about_size(bomb_files.near_bomb(3, rows=100), STRINGS, 1000)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo(STRINGS).file_size == 1000
    with pytest.raises(spreadsheet.FileRefused, match="共享字符串表解压后超过 1 MB 的上限"):
        spreadsheet.read("台账.xlsx", data)


def test_one_long_string_named_by_many_cells_is_refused_before_calamine_copies_it(monkeypatch, no_calamine):
    # 2,000 cells × 30,000 characters: 60 MB of copies from a file of a few KB
    monkeypatch.setattr(config, "MAX_CELL_TEXT_MB", 16)
    data = bomb_files.copied_text(2_000)
    assert len(data) < 100_000
    with pytest.raises(spreadsheet.FileRefused, match="文字合计超过 16 MB 的上限"):
        spreadsheet.read("台账.xlsx", data)


# --- 1,000,000 rows ---------------------------------------------------------------------------
@pytest.mark.parametrize("numbered", [True, False], ids=["with references", "without references"])
def test_a_million_rows_are_refused_after_reading_a_little_more_than_the_cap(monkeypatch, no_calamine,
                                                                           scanned, numbered):
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", 1_000)
    monkeypatch.setattr(config, "MAX_COMPRESSION_RATIO", 100_000)  # the row cap is what is tried here
    rows = 1_000_000 if not numbered else 20_000  # numbered rows take long to build; the cap is 1,000
    data = bomb_files.many_rows(rows, numbered=numbered)
    with pytest.raises(spreadsheet.FileRefused) as refused:
        spreadsheet.read("台账.xlsx", data)
    assert "第 1 张表“贫困村”超过 1,000 行的上限，请按县区或季度拆分后分别导入" in str(refused.value)
    sheet = unpacked(data, SHEET)
    row_bytes = sheet / (rows + 1)
    # the scan stopped within a few pieces after row 1,001
    assert scanned[SHEET] < 1_001 * row_bytes + 3 * upload_limits.CHUNK
    assert scanned[SHEET] < sheet / 5


def test_a_million_csv_rows_are_refused_after_the_row_past_the_cap(monkeypatch):
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", 1_000)
    data = "村代码,村名\n".encode() + b"440800000001,x\n" * 1_000_000
    consumed = []
    real = csv.reader

    def counting(*args, **kwargs):
        for row in real(*args, **kwargs):
            consumed.append(row)
            yield row
    monkeypatch.setattr(spreadsheet.csv, "reader", counting)
    with pytest.raises(spreadsheet.FileRefused, match="超过 1,000 行的上限"):
        spreadsheet.read("台账.csv", data)
    assert len(consumed) == 1_001


def test_csv_cells_are_capped_too(monkeypatch):
    monkeypatch.setattr(config, "MAX_CELLS", 5_000)
    data = ("," * 999 + "\n").encode() * 10  # ten rows of 1,000 empty cells
    with pytest.raises(spreadsheet.FileRefused, match="超过 5,000 个单元格"):
        spreadsheet.read("台账.csv", data)


def test_xls_rows_are_capped_before_they_are_copied(monkeypatch):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("贫困村")
    for r in range(50):
        sheet.write(r, 0, f"村{r}")
    buffer = io.BytesIO()
    book.save(buffer)
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", 49)
    with pytest.raises(spreadsheet.FileRefused, match="第 1 张表“贫困村”超过 49 行的上限"):
        spreadsheet.read("台账.xls", buffer.getvalue())
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", 50)
    assert len(spreadsheet.read("台账.xls", buffer.getvalue()).sheets[0].rows) == 50


# --- cells far apart: calamine's rectangle -------------------------------------------------------
def test_two_cells_far_apart_are_refused_for_the_rectangle_they_span(no_calamine):
    # A1 and XFD200: 200 rows × 16,384 columns, over 3,000,000 cells, in a file of ~1 KB
    data = bomb_files.workbook([b'<row r="1"><c r="A1"><v>1</v></c></row>',
                                b'<row r="200"><c r="XFD200"><v>1</v></c></row>'])
    assert 200 * 16_384 > config.MAX_CELLS
    with pytest.raises(spreadsheet.FileRefused, match=f"超过 {config.MAX_CELLS:,} 个单元格"):
        spreadsheet.read("台账.xlsx", data)


def test_cells_without_references_count_where_calamine_puts_them(no_calamine):
    wide = b"<row>" + b"<c><v>1</v></c>" * 20_000 + b"</row>"  # columns 1 to 20,000 of row 1
    data = bomb_files.workbook([wide, b'<row r="200"><c r="A200"><v>1</v></c></row>'])
    with pytest.raises(spreadsheet.FileRefused, match="个单元格（行数 × 列数）的上限"):
        spreadsheet.read("台账.xlsx", data)


def test_a_merged_range_to_the_sheets_end_does_not_grow_the_rows():
    data = bomb_files.workbook(
        ['<row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c></row>'.encode(),
         b'<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="C2"><v>3</v></c></row>'],
        after=b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    sheet = spreadsheet.read("台账.xlsx", data).sheets[0]
    assert max(map(len, sheet.rows)) == 3
    assert len(sheet.rows) == 2
    assert sheet.merged  # the range is still reported


# --- a valid ledger at the caps ---------------------------------------------------------------
@pytest.fixture
def ledger_file(demo_datasets) -> bytes:
    return template.workbook(demo_datasets[-1])


def sheet_sizes(data: bytes) -> list[tuple[int, int]]:
    """(last row, last column) of every sheet, as openpyxl reads the file."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sizes = []
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows())
        sizes.append((len(rows), max((len(r) for r in rows), default=0)))
    return sizes


def test_a_valid_ledger_just_under_the_row_cap_imports_and_one_row_over_is_refused(monkeypatch, q4_store,
                                                                                   ledger_file):
    sizes = sheet_sizes(ledger_file)
    longest = max(rows for rows, _ in sizes)
    number = [rows for rows, _ in sizes].index(longest) + 1
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", longest)
    preview = check(q4_store, ledger_file)
    assert preview.ledger.frames["villages"].shape[0] > 200
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", longest - 1)
    with pytest.raises(ledger.FileRefused) as refused:
        check(q4_store, ledger_file)
    assert f"第 {number} 张表" in str(refused.value) and f"超过 {longest - 1:,} 行的上限" in str(refused.value)


def test_a_valid_ledger_just_under_the_cell_cap_imports_and_one_cell_over_is_refused(monkeypatch, q4_store,
                                                                                    ledger_file):
    cells = sum(rows * columns for rows, columns in sheet_sizes(ledger_file))
    monkeypatch.setattr(config, "MAX_CELLS", cells)
    assert check(q4_store, ledger_file).ledger.frames["villages"].shape[0] > 200
    monkeypatch.setattr(config, "MAX_CELLS", cells - 1)
    with pytest.raises(ledger.FileRefused, match=f"超过 {cells - 1:,} 个单元格"):
        check(q4_store, ledger_file)


def test_the_memory_of_a_check_is_given_back_whether_or_not_the_file_is_refused(monkeypatch, q4_store,
                                                                               ledger_file):
    calls = []
    monkeypatch.setattr(upload_limits, "release_memory", lambda: calls.append(1))
    check(q4_store, ledger_file)
    with pytest.raises(ledger.FileRefused):
        check(q4_store, b"MZ" + bytes(100), name="台账.xlsx")
    assert calls == [1, 1]
    assert QUARTER in q4_store.quarters()


def test_the_readme_says_the_caps():
    readme = (config.REPO_DIR / "README.md").read_text(encoding="utf-8")
    assert f"每张表不超过 {config.MAX_SHEET_ROWS:,} 行" in readme
    assert f"整个文件不超过 {config.MAX_CELLS:,} 个单元格" in readme
    assert f"上传文件不超过 {config.MAX_UPLOAD_MB} MB" in readme
    assert f"解压后不超过 {config.MAX_UNCOMPRESSED_MB} MB" in readme
    assert f"共享字符串表不超过 {config.MAX_SHARED_STRINGS_MB} MB" in readme


@pytest.mark.parametrize("chunk", [7, 1024 * 1024])
def test_formulas_without_a_value_are_found_however_the_sheet_is_cut(monkeypatch, chunk):
    book = openpyxl.Workbook()  # openpyxl saves formulas without a result
    for r in range(1, 301):
        book.active.append([f"村{r}", r, "=B1*2" if r % 7 == 0 else r * 2])
    buffer = io.BytesIO()
    book.save(buffer)
    monkeypatch.setattr(upload_limits, "CHUNK", chunk)
    sheet = spreadsheet.read("台账.xlsx", buffer.getvalue()).sheets[0]
    assert sheet.formulas_without_value == [(r, 3) for r in range(7, 301, 7)]


def test_a_sheet_whose_part_is_not_where_the_workbook_says_is_refused_not_left_uncounted(no_calamine):
    data = bomb_files.workbook([b'<row r="1"><c r="A1"><v>1</v></c></row>'])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            text = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                text = text.replace(b'Target="worksheets/sheet1.xml"', b'Target="./worksheets/sheet1.xml"')
            archive.writestr(info.filename, text)
    with pytest.raises(spreadsheet.FileRefused, match="第 1 张表“贫困村”在文件中找不到"):
        spreadsheet.read("台账.xlsx", buffer.getvalue())
