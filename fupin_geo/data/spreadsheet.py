"""Reading an uploaded ledger safely: what kind of file it really is, whether it is too big or
a zip bomb, and its sheets as rows of plain values.

A file is judged by its bytes, never its name: an .exe renamed .xlsx is refused. An .xlsx is
a zip; its directory is checked (uncompressed sizes, compression ratio) and its sheets are
counted as they stream out of it (upload_limits: rows, cells, copied text) before calamine
reads it; CSV and .xls rows are counted as they are read. Past a cap the file is refused.
Formulas are never evaluated: their cached values are read, and a formula saved without one
is reported. Merged cells are filled with their top-left value and listed (Sheet.merged).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from xml.etree import ElementTree
from dataclasses import dataclass, field

from .. import config
from . import upload_limits
from .upload_limits import FileRefused, RowCounter

XLSX, XLS, CSV = "xlsx", "xls", "csv"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Bytes that never occur in a text file (NUL and most C0 controls besides tab/newlines).
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# Encodings tried in order for a CSV: UTF-8 (with or without BOM), then the Chinese
# national encodings Excel and WPS save as "CSV" on Chinese Windows (GB18030 ⊃ GBK ⊃ GB2312).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# Excel's "Unicode 文本" and some exports save UTF-16: every ASCII character comes with a NUL
# byte, so it looked binary, and GB18030 would "decode" it to nonsense. It is told apart and
# refused with the way out. UTF16_SAMPLE bytes are looked at for a file without a BOM.
UTF16_SAMPLE = 4096
UTF16_REFUSED = "是 UTF-16（Unicode 文本）编码，无法读取；请另存为 UTF-8 或 GBK 编码的 CSV（如 Excel 的“CSV UTF-8”）。"
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass
class Sheet:
    title: str
    rows: list[tuple]  # plain values: str, int, float, bool, datetime or None
    hidden: bool = False
    notes: list[str] = field(default_factory=list)
    # cells holding a formula without a saved result, as (row, column) 1-based
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    # merged ranges filled with their top-left value: (first row, last row, note), 1-based; the
    # reader notes those that touch a record (a title merged across the width is no record)
    merged: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class Workbook:
    kind: str
    sheets: list[Sheet]
    encoding: str | None = None
    data: bytes | None = field(default=None, repr=False)  # the file as uploaded


def sniff(name: str, data: bytes) -> str:
    """The file's real kind (XLSX, XLS or CSV) or FileRefused."""
    limit = config.MAX_UPLOAD_MB * 1024 * 1024
    if len(data) > limit:
        raise FileRefused(f"文件“{name}”有 {len(data) / 1024 / 1024:.1f} MB，超过上限 "
                          f"{config.MAX_UPLOAD_MB} MB；请只上传台账本身，或分县区分批上传。")
    if not data:
        raise FileRefused(f"文件“{name}”是空的。")
    if data.startswith(_ZIP_MAGIC):
        _check_zip(name, data)
        return XLSX
    if data.startswith(_OLE_MAGIC):
        return XLS
    if data.startswith(b"MZ") or data.startswith(b"\x7fELF") or data.startswith(b"%PDF"):
        raise FileRefused(f"文件“{name}”不是电子表格（是程序或其他文档），已拒绝。"
                          "请上传 .xlsx、.xls 或 .csv 台账。")
    if name.lower().endswith((".csv", ".txt")) and is_utf16(data):
        raise FileRefused(f"文件“{name}”{UTF16_REFUSED}")
    if name.lower().endswith((".csv", ".txt")) and not _BINARY.search(data[:65536]):
        return CSV
    raise FileRefused(f"文件“{name}”不是电子表格（无法识别为 .xlsx、.xls 或 .csv），已拒绝。")


def _check_zip(name: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRefused(f"文件“{name}”已损坏，无法作为 .xlsx 打开。") from error
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(f"文件“{name}”是压缩包而不是 Excel 工作簿（.xlsx），已拒绝。")
    upload_limits.check_directory(name, members)  # the book's own parts, before they are parsed
    try:
        paths = _sheet_paths(archive)
    except (KeyError, ElementTree.ParseError) as error:
        raise FileRefused(f"文件“{name}”已损坏，无法作为 .xlsx 打开。") from error
    by_name = {m.filename: m for m in members}
    strings = [m for m in members if m.filename.lower().endswith("sharedstrings.xml")]
    if len(strings) > 1:
        raise FileRefused(f"文件“{name}”有不止一张共享字符串表，不像 Excel 保存的工作簿，已拒绝。")
    upload_limits.check_directory(name, members, set(paths.values()), strings[0].filename if strings else None)
    lengths = upload_limits.string_lengths(name, data, strings[0] if strings else None)
    cells = text = 0
    for number, (title, path) in enumerate(paths.items(), start=1):
        if path not in by_name:  # calamine might find it elsewhere: a sheet nobody counted
            raise FileRefused(f"文件“{name}”的第 {number} 张表“{title}”在文件中找不到，已拒绝；"
                              "请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。")
        scan = upload_limits.SheetScan(name, number, title, lengths, cells, text)
        found = scan.feed_all(upload_limits.member_chunks(
            name, data, by_name[path], config.MAX_UNCOMPRESSED_MB * upload_limits.MB, f"第 {number} 张表"))
        cells += max(found.rows * found.columns, found.cells)
        text += found.text


def read(name: str, data: bytes) -> Workbook:
    """Every sheet of the file as rows of values (FileRefused when it cannot be read)."""
    kind = sniff(name, data)
    try:
        if kind == XLSX:
            return Workbook(XLSX, _read_xlsx(name, data), data=data)
        if kind == XLS:
            return Workbook(XLS, _read_xls(name, data), data=data)
        text, encoding = decode_text(data)
        title = re.sub(r"\.(csv|txt)$", "", name.rsplit("/", 1)[-1], flags=re.I)
        return Workbook(CSV, [Sheet(title, _csv_rows(name, title, text))], encoding, data)
    except FileRefused:
        raise
    except Exception as error:  # any parser failure on a hostile or broken file
        raise FileRefused(f"文件“{name}”无法读取（{type(error).__name__}），可能已损坏；"
                          "请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。") from error


def _csv_rows(name: str, title: str, text: str) -> list[tuple]:
    """The rows of a CSV, counted as they are read: the first past a cap refuses the file."""
    counter, rows = RowCounter(name, 1, title), []
    for row in csv.reader(io.StringIO(text)):
        counter.add(len(row))
        rows.append(tuple(row))
    return rows


def is_utf16(data: bytes) -> bool:
    """Is this UTF-16 text? A BOM says so. Without one: it has NUL bytes (which UTF-8 and GBK
    text never has), mostly on the side ASCII characters put them, and the start decodes to
    text with line ends or separators and no control codes (binary data does not)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[:UTF16_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if not even and not odd:
        return False
    decoder = codecs.getincrementaldecoder("utf-16-le" if odd >= even else "utf-16-be")()
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return not _CONTROL_TEXT.search(text) and any(mark in text for mark in ",\t\n")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name shown to users) of a CSV."""
    if is_utf16(data):
        raise FileRefused(f"CSV 文件{UTF16_REFUSED}")
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig":
            return text, "UTF-8（带 BOM）" if data.startswith(codecs.BOM_UTF8) else "UTF-8"
        return text, "GBK/GB18030"
    raise FileRefused("CSV 文件的编码无法识别（应为 UTF-8 或 GBK）；请在 Excel 中另存为“CSV UTF-8”。")


# --- .xlsx ---------------------------------------------------------------------------------
# Cells are read by calamine (Rust): about seven times faster than our former regex scan of the
# XML on a 50,000-row ledger (bench/bench_ledger_import.py), dates come back as dates, and it
# reads what the file holds and nothing more: cached formula results, never the formulas.
# A formula saved without a result reads as empty there; those cells are found in the XML
# (only of sheets that hold a formula at all).
_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:c from some generators)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<" + _P + rb"v>(.*?)</" + _P + rb"v>", re.S)
_FORMULA = re.compile(rb"<" + _P + rb"f[\s>/]")
_CELL_END = re.compile(rb"</" + _P + rb"c>")
# A cell whose body starts with its formula (OOXML orders a cell's children f, v, is).
_FORMULA_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*)>\s*(<" + _P + rb"f[\s>/].*?)</" + _P + rb"c>", re.S)
# Integers as Excel stores them (binary floats): exact up to 2**53, and no code is longer.
_EXACT_INTEGER = 2.0**53
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode():
        number = number * 26 + ord(ch) - 64
    return number


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """The path inside the zip of each sheet, by title."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_NS_PKG}Relationship")}
    paths = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        paths[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return paths


def _formulas_without_value(archive: zipfile.ZipFile, path: str | None) -> list[tuple[int, int]]:
    """(row, column), 1-based, of every formula cell saved without a result. The sheet's XML is
    read a piece at a time, cut after a cell's end (cells do not nest)."""
    if path is None or path not in archive.namelist():
        return []
    found, carry = [], b""
    with archive.open(path) as stream:
        while piece := stream.read(upload_limits.CHUNK):
            carry += piece
            end = carry.rfind(b"</c>") + 4  # a prefixed cell (</x:c>) is looked for below
            if end < 4:
                ends = [m.end() for m in _CELL_END.finditer(carry, max(0, len(carry) - len(piece) - 16))]
                end = ends[-1] if ends else 0
            if end:
                _find_formulas(carry[:end], found)
                carry = carry[end:]
    _find_formulas(carry, found)
    return found


def _find_formulas(xml: bytes, found: list[tuple[int, int]]) -> None:
    if b"<f" not in xml and b":f" not in xml or not _FORMULA.search(xml):
        return
    for cell in _FORMULA_CELL.finditer(xml):
        ref = _REF.search(cell.group(1))
        value = _VALUE.search(cell.group(2))
        if ref and (value is None or not value.group(1).strip()):
            found.append((int(ref.group(2)), _column_number(ref.group(1))))


def _plain(value):
    """A calamine cell as our plain value: empty is None, a whole number an int."""
    if value == "":
        return None
    if type(value) is float and value.is_integer() and abs(value) < _EXACT_INTEGER:
        return int(value)
    return value


def _read_xlsx(name: str, data: bytes) -> list[Sheet]:
    import python_calamine

    archive = zipfile.ZipFile(io.BytesIO(data))
    paths = _sheet_paths(archive)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets, cells_before = [], 0
    for number, meta in enumerate(book.sheets_metadata, start=1):
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart sheets hold no cells
        cells = book.get_sheet_by_name(meta.name)
        counter = RowCounter(name, number, meta.name, cells_before)
        rows = _calamine_rows(cells, counter)
        cells_before += counter.cells
        sheet = Sheet(meta.name, rows, hidden=meta.visible != python_calamine.SheetVisibleEnum.Visible,
                      formulas_without_value=_formulas_without_value(archive, paths.get(meta.name)))
        # calamine's ranges are 0-based ((top, left), (bottom, right)); ours 1-based
        _fill_merged(sheet, [(top + 1, left + 1, bottom + 1, right + 1)
                             for (top, left), (bottom, right) in cells.merged_cell_ranges or []])
        del cells  # calamine's copy of the sheet goes before the next one is loaded
        sheets.append(sheet)
    return sheets


def _calamine_rows(cells, counter: RowCounter) -> list[tuple]:
    """A calamine sheet's rows from A1 (as to_python(skip_empty_area=False) gave them), one
    row at a time: calamine's rows are never all turned into Python lists at once, and the
    count stops at the first row past a cap."""
    if cells.start is None:
        return []
    left, (bottom, right) = cells.start[1], cells.end
    counter.check(bottom + 1, (bottom + 1) * (right + 1))
    rows, pad = [], (None,) * left
    for row in cells.iter_rows():
        counter.add(left + len(row))
        rows.append(pad + tuple(_plain(v) for v in row))
    width = right + 1
    blank = (None,) * width
    rows[:0] = [blank] * (bottom + 1 - len(rows))  # iter_rows may start at the first row used
    return rows


def _fill_merged(sheet: Sheet, merges) -> None:
    # A merged range is filled only as far as the sheet's cells reach: a range the file
    # declares to XFD1048576 must not grow the rows past the caps their cells were read under.
    width = max(map(len, sheet.rows), default=0)
    for top, left, bottom, right in merges:
        right = min(right, width)
        if top - 1 >= len(sheet.rows) or left > right:
            continue
        first = sheet.rows[top - 1]
        value = first[left - 1] if left - 1 < len(first) else None
        for r in range(top, min(bottom, len(sheet.rows)) + 1):
            row = list(sheet.rows[r - 1])
            row.extend([None] * (right - len(row)))
            for c in range(left, right + 1):
                row[c - 1] = value
            sheet.rows[r - 1] = tuple(row)
        sheet.merged.append((top, bottom, f"合并单元格 {_cell_name(top, left)}:{_cell_name(bottom, right)} "
                                          f"已按左上角的值“{'' if value is None else value}”填入每一格"))


def _cell_name(row: int, column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


# --- .xls -------------------------------------------------------------------------------------
def _read_xls(name: str, data: bytes) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    sheets, cells_before = [], 0
    for index in range(book.nsheets):
        worksheet = book.sheet_by_index(index)
        counter = RowCounter(name, index + 1, worksheet.name, cells_before)
        counter.check(worksheet.nrows, worksheet.nrows * worksheet.ncols)  # before a row is copied
        cells_before += worksheet.nrows * worksheet.ncols
        rows = []
        for r in range(worksheet.nrows):
            row = []
            for c in range(worksheet.ncols):
                cell = worksheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_EMPTY or cell.ctype == xlrd.XL_CELL_BLANK:
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(tuple(row))
        sheet = Sheet(worksheet.name, rows, hidden=worksheet.visibility != 0)
        _fill_merged(sheet, [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in worksheet.merged_cells])
        sheets.append(sheet)
    return sheets


cell_name = _cell_name
