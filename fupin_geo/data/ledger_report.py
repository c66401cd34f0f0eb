"""What a clerk downloads after a check: the problem list as a workbook, and a copy of the
clerk's own file with each cell that has a problem marked (red: error, yellow: hint) and the
message as a cell comment.

Both are safe writers: a value read from the file is written as a text cell, never as a
formula, whatever it starts with (= + - @); the clerk's own formulas in an .xlsx are kept.
"""
from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, datetime, time

import xlsxwriter

from .. import config
from . import schema, spreadsheet
from .ledger_import import ERROR, Ledger, Problem, matcher

PROBLEMS_SHEET, NOTES_SHEET = "问题清单", "读取说明"
VILLAGE_NAME = "村名"
# Columns of the problem list and their widths in Excel's character units: 说明 holds whole
# sentences (the closest village names, the expected values) and wraps inside its width.
PROBLEM_COLUMNS = (("级别", 6), ("工作表", 14), ("行", 6), (VILLAGE_NAME, 16), ("列", 16), ("值", 20),
                   ("说明", 64))
NOTE_WIDTH = 100
# Fills of the marked copy: a clear red and yellow that black text stays readable on.
ERROR_FILL, HINT_FILL = "#FF8080", "#FFE15A"
AUTHOR = "湛江产业扶贫地图"
# Size of a comment box in the marked copy (points): wide enough for a sentence per line.
COMMENT_WIDTH, COMMENT_LINE_HEIGHT, COMMENT_MIN_HEIGHT = 320, 16, 60
# Labels that name several columns ("经度、纬度", a duplicate key): each column is marked.
_SEPARATOR = "、"
# Excel's limits on a sheet title: 31 characters, none of these.
_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def _width(text: str) -> int:
    # CJK characters are about two Latin characters wide in Excel and WPS.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# --- the problem list ------------------------------------------------------------------------
def village_names(ledger: Ledger) -> dict[tuple[str, int], str]:
    """(sheet title, Excel row) -> the name of the row's village, for rows of sheets that have
    one: the 村名 typed on the 贫困村 sheet, else the village of the row's 村代码."""
    names: dict[str, str] = {}
    villages = ledger.frames.get("villages")
    if villages is not None and {"code", "name"} <= set(villages.columns):
        names = {str(c): str(n) for c, n in zip(villages["code"], villages["name"]) if c and n}
    known = matcher().names
    found = {}
    for title, layout in ledger.layouts.items():
        for row, value in layout.villages.items():
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if layout.table == schema.VILLAGES.table:
                found[title, row] = str(value).strip()
                continue
            code = _code_text(value)
            name = names.get(code) or known.get(code)
            if name:
                found[title, row] = name
    return found


def _code_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def problems_workbook(ledger: Ledger) -> bytes:
    """The problems with the village each is about, a frozen header, a filter and widths a
    clerk can read; then the notes on what was read and skipped."""
    names = village_names(ledger)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"})
    text = book.add_format({"valign": "top"})
    wrapped = book.add_format({"valign": "top", "text_wrap": True})
    error = book.add_format({"valign": "top", "font_color": "#9C0006", "bold": True})
    sheet = book.add_worksheet(PROBLEMS_SHEET)
    for index, (label, width) in enumerate(PROBLEM_COLUMNS):
        sheet.write_string(0, index, label, header)
        sheet.set_column(index, index, width, wrapped if label == "说明" else text)
    sheet.freeze_panes(1, 0)
    for number, problem in enumerate(ledger.problems, start=1):
        village = names.get((problem.sheet, problem.row), "") if problem.row is not None else ""
        values = [problem.level, problem.sheet, problem.row, village, problem.column, problem.value,
                  problem.message]
        for index, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(number, index, value, text)
            elif value:  # a string cell, never a formula (strings_to_formulas is off too)
                sheet.write_string(number, index, str(value),
                                   error if index == 0 and value == ERROR else wrapped if index == 6 else text)
    sheet.autofilter(0, 0, max(1, len(ledger.problems)), len(PROBLEM_COLUMNS) - 1)
    # printed: landscape, one page wide, the header on every page
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    notes = book.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, NOTE_WIDTH, wrapped)
    notes.write_string(0, 0, "说明", header)
    notes.freeze_panes(1, 0)
    for number, note in enumerate(ledger.notes or ["（无）"], start=1):
        notes.write_string(number, 0, note, wrapped)
    book.close()
    return buffer.getvalue()


# --- the clerk's file, marked ---------------------------------------------------------------
class Mark:
    """The problems of one cell: red if any is an error, else yellow; every message listed."""

    def __init__(self):
        self.error = False
        self.messages: list[str] = []

    def add(self, problem: Problem) -> None:
        self.error = self.error or problem.level == ERROR
        self.messages.append(f"{problem.level}：{problem.message}")

    @property
    def text(self) -> str:
        return "\n".join(self.messages)

    @property
    def fill(self) -> str:
        return ERROR_FILL if self.error else HINT_FILL


def cell_marks(ledger: Ledger) -> dict[str, dict[tuple[int, int], Mark]]:
    """sheet title -> (Excel row, column number, both 1-based) -> its mark. A problem without a
    row, or whose column the sheet does not have, marks nothing (the problem list has it)."""
    marks: dict[str, dict[tuple[int, int], Mark]] = {}
    for problem in ledger.problems:
        layout = ledger.layouts.get(problem.sheet)
        if layout is None or problem.row is None or not problem.column:
            continue
        for label in problem.column.split(_SEPARATOR):
            at = layout.columns.get(label)
            if at is not None:
                marks.setdefault(problem.sheet, {}).setdefault((problem.row, at + 1), Mark()).add(problem)
    return marks


def marked_copy_refusal(ledger: Ledger) -> str | None:
    """Why the file is too large for a marked copy (config.MARKED_COPY_MAX_CELLS), or None."""
    if ledger.cells <= config.MARKED_COPY_MAX_CELLS:
        return None
    return (f"文件约有 {ledger.cells:,} 个单元格，超过标出问题副本的上限 {config.MARKED_COPY_MAX_CELLS:,} 个，"
            "不提供标出问题的原文件；请按问题清单中的工作表和行号修改。")


def marked_copy(ledger: Ledger, file_name: str, data: bytes) -> bytes:
    """An .xlsx of the checked file with its bad cells marked: for an .xlsx the clerk's own
    workbook (cells, styles, formulas, drop-downs, merged cells kept; openpyxl does not keep
    charts), for an .xls or .csv its rows in a new workbook. FileRefused as spreadsheet.read,
    and for a file above config.MARKED_COPY_MAX_CELLS (marked_copy_refusal)."""
    refusal = marked_copy_refusal(ledger)
    if refusal:
        raise spreadsheet.FileRefused(refusal)
    marks = cell_marks(ledger)
    if spreadsheet.sniff(file_name, data) == spreadsheet.XLSX:
        return _marked_xlsx(data, marks)
    return _marked_rows(spreadsheet.read(file_name, data), marks)


def _comment_height(text: str) -> int:
    lines = sum(1 + _width(line) // 40 for line in text.split("\n"))
    return max(COMMENT_MIN_HEIGHT, lines * COMMENT_LINE_HEIGHT)


def _marked_xlsx(data: bytes, marks) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import MergedCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    book = openpyxl.load_workbook(io.BytesIO(data))  # formulas stay formulas: nothing is evaluated
    for title, cells in marks.items():
        if title not in book.sheetnames or not hasattr(book[title], "cell"):
            continue
        sheet = book[title]
        for (row, column), mark in cells.items():
            cell = sheet.cell(row=row, column=column)
            if isinstance(cell, MergedCell):  # the value, and so the mark, is in its top-left cell
                merged = next((r for r in sheet.merged_cells.ranges if cell.coordinate in r), None)
                if merged is None:
                    continue
                cell = sheet.cell(row=merged.min_row, column=merged.min_col)
            cell.fill = PatternFill("solid", fgColor=mark.fill.lstrip("#"))
            text = mark.text if cell.comment is None else f"{cell.comment.text}\n{mark.text}"
            cell.comment = Comment(text, AUTHOR, height=_comment_height(text), width=COMMENT_WIDTH)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_titles(sheets) -> list[str]:
    titles, used = [], set()
    for sheet in sheets:
        base = _TITLE_BAD.sub("_", sheet.title).strip("'")[:31] or "Sheet"
        title, number = base, 1
        while title.lower() in used:
            number += 1
            title = f"{base[:28]}_{number}"
        used.add(title.lower())
        titles.append(title)
    return titles


def _marked_rows(workbook: spreadsheet.Workbook, marks) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    fills = {colour: book.add_format({"bg_color": colour}) for colour in (ERROR_FILL, HINT_FILL)}
    dated = {colour: book.add_format({"num_format": "yyyy-mm-dd hh:mm", **({"bg_color": colour} if colour else {})})
             for colour in (None, ERROR_FILL, HINT_FILL)}
    for sheet, title in zip(workbook.sheets, _sheet_titles(workbook.sheets)):
        target = book.add_worksheet(title)
        if sheet.hidden:
            target.hide()
        cells = marks.get(sheet.title, {})
        widths: dict[int, int] = {}
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                mark = cells.get((r + 1, c + 1))
                colour = mark.fill if mark else None
                _write(target, r, c, value, fills.get(colour), dated[colour])
                if value is not None and r < 200:  # enough rows to size a column
                    widths[c] = max(widths.get(c, 0), _width(str(value)))
        for (r, c), mark in cells.items():
            if r > len(sheet.rows) or c > len(sheet.rows[r - 1]):
                _write(target, r - 1, c - 1, None, fills[mark.fill], dated[mark.fill])
            target.write_comment(r - 1, c - 1, mark.text, {"author": AUTHOR, "width": COMMENT_WIDTH,
                                                         "height": _comment_height(mark.text)})
        for c, width in widths.items():
            target.set_column(c, c, min(max(width + 2, 6), 48))
    book.close()
    return buffer.getvalue()


def _write(sheet, r: int, c: int, value, fill, date_format) -> None:
    if value is None:
        if fill is not None:
            sheet.write_blank(r, c, None, fill)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value, fill)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value, fill)
    elif isinstance(value, (datetime, date, time)):
        sheet.write_datetime(r, c, value, date_format)
    else:  # text as text, never a formula
        sheet.write_string(r, c, str(value), fill)
