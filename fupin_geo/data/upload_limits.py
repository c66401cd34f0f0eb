"""How much of the server one upload may take: rows and cells per sheet, and the bytes of an
.xlsx's parts, checked before anything is parsed, so that no file under the upload limit can
fill the server's memory.

An .xlsx is a zip of XML. calamine (which reads the cells) loads a whole sheet at once, as a
dense rectangle from A1 to the last cell, and copies a shared string into every cell that
uses it: a 42 KB file whose 20,000 cells name one 30,000-character string took 590 MB. So
each sheet's XML is first streamed here, decompressed a piece at a time by zlib (the sizes
the zip's directory declares are checked too, but they are only what the file claims), and
its rows, the rectangle its cells span and the text its cells copy are counted; the count
stops at the first cap passed and the file is refused, before calamine sees it.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import re
import struct
import sys
import zipfile
import zlib
from array import array
from dataclasses import dataclass

from .. import config

MB = 1024 * 1024
# Decompressed bytes handed to the scan at a time: big enough that the per-piece work in
# Python is negligible, small enough that the scan's memory stays flat.
CHUNK = 4 * MB
# A single row of a sheet longer than this cannot be a ledger's row (30 columns of Excel's
# longest cell, 32,767 characters written as 8-byte character references, are 7.9 MB); the
# scan keeps at most one row in memory, so this bounds it.
MAX_ROW_BYTES = 32 * MB
SPLIT_HINT = "请按县区或季度拆分后分别导入。"

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:row, x:c)
_ROW = re.compile(rb"<" + _P + rb"row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["']\s*(\d{1,9})""")
# Every start tag of a cell, whatever its attributes: this is what calamine counts as a cell.
_CELL = re.compile(rb"<" + _P + rb"c[\s/>]")
# A cell's reference (letters and row); a cell whose reference this does not read is placed
# one column right of the previous one, as calamine does.
_CELL_REF = re.compile(rb"""<""" + _P + rb"""c\s[^>]*?\br\s*=\s*["']\$?([A-Za-z]{1,7})\$?(\d{1,9})""")
# Cells of a shared string and the string's number, when written the usual way.
_SHARED = re.compile(rb"""\bt\s*=\s*["']s["']""")
_SHARED_INDEX = re.compile(rb"""<""" + _P + rb"""c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<""" + _P
                           + rb"""v>\s*(\d{1,9})\s*<""")
# The same, for a block where no tag has a namespace prefix (_PREFIXED): a regex that starts
# with a literal is searched for many times faster. _FAST_SHARED counts any attribute equal
# to "s", more than the shared-string cells: an overestimate is safe.
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_FAST_CELL = re.compile(rb"<c[\s/>]")
_FAST_LETTERS = re.compile(rb"""<c\s[^>]*?\br\s*=\s*["']\$?([A-Za-z]{1,7})""")
_FAST_DIGITS = re.compile(rb"""<c\s[^>]*?\br\s*=\s*["']\$?[A-Za-z]{1,7}\$?(\d{1,9})""")
_FAST_SHARED = re.compile(rb"""=\s*["']s["']""")
_FAST_INDEX = re.compile(rb"""t\s*=\s*["']s["'][^>]*>\s*<v>\s*(\d{1,9})\s*<""")
_STRING_END = re.compile(rb"</" + _P + rb"si>|<" + _P + rb"si\b[^>]*?/>")
# One shared string: empty (<si/>) or with its text and runs.
_STRING = re.compile(rb"<" + _P + rb"si\b[^>]*?/>|<" + _P + rb"si\b[^>]*>.*?</" + _P + rb"si>", re.S)
# Markup that could hide a string's end from the count above; Excel and WPS never write it.
_HIDDEN = (b"<![CDATA[", b"<!--", b"<!DOCTYPE", b"<!ENTITY")


class FileRefused(ValueError):
    """The upload cannot be read as a ledger; the message says why, in Chinese."""


@dataclass
class SheetCount:
    """What the scan of one sheet found (or had found when it stopped)."""
    rows: int = 0       # the last row that holds a cell
    columns: int = 0    # the last column that holds a cell
    cells: int = 0      # cell elements
    text: int = 0       # bytes of shared strings the cells copy (an upper bound)
    scanned: int = 0    # decompressed bytes of the sheet's XML read


def caps_text() -> str:
    """The caps, as the import page and README say them."""
    return (f"每张表不超过 {config.MAX_SHEET_ROWS:,} 行，整个文件不超过 {config.MAX_CELLS:,} 个单元格"
            f"（行数 × 列数）；更大的台账{SPLIT_HINT}")


def _mb(limit_bytes: float) -> str:
    return f"{limit_bytes / MB:,.0f} MB"


def member_chunks(name: str, data: bytes, info: zipfile.ZipInfo, limit: int, what: str):
    """The decompressed bytes of one zip member, a piece at a time, refused as soon as more
    than `limit` bytes came out (whatever the directory declares)."""
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04" or info.flag_bits & 0x1:
        raise FileRefused(f"文件“{name}”已损坏或已加密，无法作为 .xlsx 打开。")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    raw = memoryview(data)[start:start + info.compress_size]
    out = 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (bytes(raw[i:i + CHUNK]) for i in range(0, len(raw), CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _inflate(raw)
    else:  # Excel and WPS only store or deflate; anything else is not a workbook they wrote
        raise FileRefused(f"文件“{name}”使用了不支持的压缩方式，无法作为 .xlsx 打开。")
    for piece in pieces:
        out += len(piece)
        if out > limit:
            raise FileRefused(f"文件“{name}”中的{what}解压后超过 {_mb(limit)} 的上限"
                              f"（疑似“压缩炸弹”），已拒绝；{SPLIT_HINT}")
        yield piece


def _inflate(raw: memoryview):
    inflater = zlib.decompressobj(-15)
    for i in range(0, len(raw), CHUNK):
        piece = inflater.decompress(raw[i:i + CHUNK], CHUNK)
        while True:
            if piece:
                yield piece
            if not inflater.unconsumed_tail:
                break
            piece = inflater.decompress(inflater.unconsumed_tail, CHUNK)
        if inflater.eof:
            return
    tail = inflater.flush()
    if tail:
        yield tail


BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def check_directory(name: str, members: list[zipfile.ZipInfo], sheet_paths: set[str] | None = None,
                    strings_path: str | None = None) -> None:
    """Refuse from the zip's directory alone: the sizes it declares for the whole and for the
    parts that are parsed (the shared strings, every XML part but the sheets, which are
    counted as they are read). Without `sheet_paths` (not known before the workbook part is
    read) only the workbook's own parts."""
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if total > config.MAX_UNCOMPRESSED_MB * MB:
        raise FileRefused(f"文件“{name}”解压后达 {total / MB:.0f} MB，超过 {config.MAX_UNCOMPRESSED_MB} MB 的上限，"
                          f"不像正常的台账（疑似“压缩炸弹”），已拒绝；{SPLIT_HINT}")
    if total / packed > config.MAX_COMPRESSION_RATIO:
        raise FileRefused(f"文件“{name}”解压后达 {total / MB:.0f} MB，是压缩后的 {total / packed:.0f} 倍"
                          f"（正常的表格为 5–20 倍，上限 {config.MAX_COMPRESSION_RATIO} 倍），"
                          "不像正常的台账（疑似“压缩炸弹”），已拒绝。")
    for member in members:
        if sheet_paths is None and member.filename not in BOOK_PARTS:
            continue
        if member.filename == strings_path:
            limit, what = config.MAX_SHARED_STRINGS_MB, "共享字符串表（sharedStrings.xml）"
        elif sheet_paths and member.filename in sheet_paths:
            continue  # a sheet is bounded by its rows and cells, counted as it is read
        elif member.filename.endswith((".xml", ".rels")):
            limit, what = config.MAX_XML_PART_MB, f"“{member.filename}”"
        else:
            continue  # pictures and other parts nothing here parses
        if member.file_size > limit * MB:
            raise FileRefused(f"文件“{name}”中的{what}解压后达 {member.file_size / MB:.0f} MB，"
                              f"超过 {limit} MB 的上限（疑似“压缩炸弹”），已拒绝；{SPLIT_HINT}")


def string_lengths(name: str, data: bytes, info: zipfile.ZipInfo | None) -> array:
    """The XML bytes of every shared string, in order: an upper bound of the UTF-8 text a cell
    using it gets (a character reference is longer than the character)."""
    lengths = array("I")
    if info is None:
        return lengths
    carry = b""
    for piece in member_chunks(name, data, info, config.MAX_SHARED_STRINGS_MB * MB, "共享字符串表"):
        carry += piece
        if any(mark in carry for mark in _HIDDEN):
            raise FileRefused(f"文件“{name}”的共享字符串表含有 Excel 不会写入的标记，已拒绝；"
                              "请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。")
        cut = max((m.end() for m in _STRING_END.finditer(carry, max(0, len(carry) - len(piece) - 16))), default=0)
        if not cut:
            continue
        _count_strings(carry[:cut], lengths)
        carry = carry[cut:]
    _count_strings(carry, lengths)
    return lengths


def _count_strings(block: bytes, lengths: array) -> None:
    lengths.extend(len(item) for item in _STRING.findall(block))


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


class SheetScan:
    """Counts one sheet's rows, rectangle and copied text from its XML, piece by piece, and
    refuses (FileRefused) as soon as a cap is passed."""

    def __init__(self, file_name: str, number: int, title: str, strings: array, cells_before: int,
                 text_before: int):
        self.file_name, self.number, self.title = file_name, number, title
        self.strings = strings
        self.longest = max(strings, default=0)
        self.cells_before, self.text_before = cells_before, text_before
        self.count = SheetCount()
        self.row = 0  # the row a cell without a reference falls in

    def feed_all(self, pieces) -> SheetCount:
        carry = b""
        for piece in pieces:
            self.count.scanned += len(piece)
            carry += piece
            # rows are handled whole: cut before the last row's start (it may go on)
            cut = self._last_row_start(carry, len(carry) - len(piece))
            if not cut:
                if len(carry) > MAX_ROW_BYTES:
                    raise FileRefused(f"文件“{self.file_name}”的第 {self.number} 张表“{self.title}”"
                                      f"中有一行超过 {_mb(MAX_ROW_BYTES)}，不像台账的一行，已拒绝。")
                continue
            self._rows(carry[:cut])
            carry = carry[cut:]
        self._rows(carry)
        return self.count

    @staticmethod
    def _last_row_start(carry: bytes, new: int) -> int:
        """Where the last row that starts in `carry` (at or after `new` - 256) starts, or 0."""
        at = carry.rfind(b"<row")
        if at >= max(0, new - 256) and _ROW.match(carry, at):
            return at
        starts = [match.start() for match in _ROW.finditer(carry, max(0, new - 256))]
        return starts[-1] if starts else 0

    def _rows(self, block: bytes) -> None:
        """Count a block of whole rows: in one pass over the block when every cell is written
        the usual way (unprefixed, with its reference), else row by row."""
        count = self.count
        cells = len(_FAST_CELL.findall(block))
        letters = _FAST_LETTERS.findall(block)
        digits = _FAST_DIGITS.findall(block)
        if _PREFIXED.search(block) or not (cells == len(letters) == len(digits)):
            self._rows_one_by_one(block)
            return
        if not cells:
            return
        for match in _ROW.finditer(block):
            number = _ROW_NUMBER.search(match.group(1))
            self.row = int(number.group(1)) if number else self.row + 1
            if not match.group(1).endswith(b"/"):
                count.rows = max(count.rows, self.row)
        count.columns = max(count.columns, max(map(_column_number, set(letters))))
        count.rows = max(count.rows, max(map(int, set(digits))))
        count.cells += cells
        self._shared(len(_FAST_SHARED.findall(block)), _FAST_INDEX.findall(block))
        self._check()

    def _rows_one_by_one(self, block: bytes) -> None:
        starts = list(_ROW.finditer(block))
        self._cells(block[:starts[0].start()] if starts else block)
        for i, match in enumerate(starts):
            number = _ROW_NUMBER.search(match.group(1))
            self.row = int(number.group(1)) if number else self.row + 1
            end = starts[i + 1].start() if i + 1 < len(starts) else len(block)
            self._cells(block[match.end():end])

    def _cells(self, body: bytes) -> None:
        cells = len(_CELL.findall(body))
        if not cells:
            return
        count = self.count
        found = _CELL_REF.findall(body)
        refs = set(found)
        column = max((_column_number(letters) for letters, _ in refs), default=0)
        row = max((int(digits) for _, digits in refs), default=0)
        # a cell without a reference we read goes one column right of the one before it
        count.columns = max(count.columns, column + cells - len(found))
        count.rows = max(count.rows, row, self.row)
        count.cells += cells
        self._shared(len(_SHARED.findall(body)), _SHARED_INDEX.findall(body))
        self._check()

    def _shared(self, cells: int, indexes: list[bytes]) -> None:
        """Add the text `cells` shared-string cells copy; a cell whose string number was not
        read (or names no string) is taken to copy the longest."""
        if not cells:
            return
        lengths, known = self.strings, [int(i) for i in indexes]
        if known and max(known) >= len(lengths):
            known = [i for i in known if i < len(lengths)]
        self.count.text += sum(map(lengths.__getitem__, known)) + max(0, cells - len(known)) * self.longest

    def _check(self) -> None:
        count, where = self.count, f"文件“{self.file_name}”的第 {self.number} 张表“{self.title}”"
        if count.rows > config.MAX_SHEET_ROWS:
            raise FileRefused(f"{where}超过 {config.MAX_SHEET_ROWS:,} 行的上限，{SPLIT_HINT}")
        area = max(count.rows * count.columns, count.cells)
        if area > config.MAX_CELLS:
            raise FileRefused(f"{where}超过 {config.MAX_CELLS:,} 个单元格（行数 × 列数）的上限，{SPLIT_HINT}")
        if area + self.cells_before > config.MAX_CELLS:
            raise FileRefused(f"文件“{self.file_name}”各表合计超过 {config.MAX_CELLS:,} 个单元格"
                              f"（行数 × 列数）的上限，{SPLIT_HINT}")
        if count.text + self.text_before > config.MAX_CELL_TEXT_MB * MB:
            raise FileRefused(f"{where}的单元格所引用的文字合计超过 {config.MAX_CELL_TEXT_MB} MB 的上限"
                              f"（同一段文字被大量单元格引用，疑似“压缩炸弹”），已拒绝。")


class RowCounter:
    """Counts the rows and cells of a sheet as they are read (CSV, .xls, and the rows calamine
    hands back), refusing at the first row past a cap."""

    def __init__(self, file_name: str, number: int, title: str, cells_before: int = 0):
        self.where = f"文件“{file_name}”的第 {number} 张表“{title}”"
        self.file_name = file_name
        self.cells_before = cells_before
        self.rows = self.cells = 0

    def add(self, width: int) -> None:
        self.rows += 1
        self.cells += width
        self.check(self.rows, self.cells)

    def check(self, rows: int, cells: int) -> None:
        if rows > config.MAX_SHEET_ROWS:
            raise FileRefused(f"{self.where}超过 {config.MAX_SHEET_ROWS:,} 行的上限，{SPLIT_HINT}")
        if cells > config.MAX_CELLS:
            raise FileRefused(f"{self.where}超过 {config.MAX_CELLS:,} 个单元格（行数 × 列数）的上限，{SPLIT_HINT}")
        if cells + self.cells_before > config.MAX_CELLS:
            raise FileRefused(f"文件“{self.file_name}”各表合计超过 {config.MAX_CELLS:,} 个单元格"
                              f"（行数 × 列数）的上限，{SPLIT_HINT}")


def release_memory() -> None:
    """Give the memory of a finished import back to the system. Python frees the frames and
    rows, but glibc keeps the freed heap (calamine's and pandas' large blocks among it) in the
    process unless asked: after a 100,000-row check the server stayed ~0.5 GB larger
    without malloc_trim."""
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to trim
            pass
