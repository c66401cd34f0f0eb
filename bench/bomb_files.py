"""Hostile and oversized .xlsx uploads, written by hand with zipfile (openpyxl would take
minutes for a million rows): the files of issue 26 §2, for bench/import_bombs.py and the
unit tests (which build them small, in tmp_path, under small caps).

* `near_bomb`: a shared-string table inflated to ~`mb` MB (compressing ~100:1, under the
  200:1 limit) and a sheet that names its strings again and again;
* `many_rows`: `rows` rows of a few numbers and a repeated text, as an export of a big table;
* `copied_text`: a tiny file whose cells all name one long shared string (calamine copies it
  into each of them).
"""
from __future__ import annotations

import io
import zipfile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
       '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
       'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
       '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
         f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
         '<sheet name="贫困村" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
              f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
              f'Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_COLUMNS = "ABCDEFGHIJ"


def workbook(rows: list[bytes] | bytes, strings: list[bytes] | bytes = b"", after: bytes = b"") -> bytes:
    """An .xlsx of one sheet ("贫困村") whose <sheetData> holds `rows` (XML), followed by
    `after` (as <mergeCells>), and whose shared-string table holds `strings` (<si> elements)."""
    rows = b"".join(rows) if isinstance(rows, list) else rows
    strings = b"".join(strings) if isinstance(strings, list) else strings
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
             + rows + b"</sheetData>" + after + b"</worksheet>")
    table = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode() + strings + b"</sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _BOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", table)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def _row(number: int, cells: list[str]) -> bytes:
    return (f'<row r="{number}">' + "".join(f'<c r="{_COLUMNS[i]}{number}"{cell}</c>' for i, cell in enumerate(cells))
            + "</row>").encode()


def many_rows(rows: int, numbered: bool = True) -> bytes:
    """A header and `rows` rows of a code, a name (shared) and two numbers; `numbered`: with
    row and cell references, as Excel writes them (slower to build), else the same row again
    and again without any (built at once; a reader must place each cell itself)."""
    header = _row(1, [' t="inlineStr"><is><t>村代码</t></is>', ' t="inlineStr"><is><t>村名</t></is>',
                      ' t="inlineStr"><is><t>户数</t></is>', ' t="inlineStr"><is><t>人数</t></is>'])
    name = [b"<si><t>\xe4\xb8\x89\xe5\xa2\xa9\xe6\x9d\x91</t></si>"]
    if not numbered:
        return workbook(header + b'<row><c><v>440800000001</v></c><c t="s"><v>0</v></c><c><v>12</v></c>'
                                 b"<c><v>34</v></c></row>" * rows, name)
    body = [f'<row r="{n}"><c r="A{n}"><v>4408{n:08d}</v></c><c r="B{n}" t="s"><v>0</v></c>'
            f'<c r="C{n}"><v>{n % 997}</v></c><c r="D{n}"><v>{n % 89}</v></c></row>'.encode()
            for n in range(2, rows + 2)]
    return workbook([header, *body], name)


def near_bomb(mb: float, rows: int = 10_000) -> bytes:
    """A shared-string table of ~`mb` MB, every string a different 30 KB of text (so it
    compresses ~100:1, not 1000:1), named by `rows` rows of ten cells."""
    block = "".join(f"第{i:04d}段" for i in range(1000)).encode()  # 8 KB of varied text
    count = max(1, int(mb * 1024 * 1024 // (4 * len(block))))
    strings = [b"<si><t>" + f"{i:08d}".encode() + block * 4 + b"</t></si>" for i in range(count)]
    body = [_row(n, [f' t="s"><v>{(n * 10 + k) % count}</v>' for k in range(10)]) for n in range(1, rows + 1)]
    return workbook(body, strings)


def copied_text(cells: int, characters: int = 30_000) -> bytes:
    """`cells` cells, ten a row, each naming the same string of `characters` characters."""
    body = [_row(n, [' t="s"><v>0</v>'] * 10) for n in range(1, cells // 10 + 1)]
    return workbook(body, [b"<si><t>" + b"x" * characters + b"</t></si>"])


def full_text(rows: int, columns: int = 30) -> bytes:
    """`rows` rows of `columns` cells, each a different short text: as many Python strings as
    the caps allow, the most memory a file under them can ask of the reader."""
    letters = [_excel_column(c) for c in range(1, columns + 1)]
    body = [(f'<row r="{n}">' + "".join(f'<c r="{letter}{n}" t="inlineStr"><is><t>{n:06d}{letter}</t></is></c>'
                                         for letter in letters) + "</row>").encode()
            for n in range(1, rows + 1)]
    return workbook(body)


def _excel_column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
