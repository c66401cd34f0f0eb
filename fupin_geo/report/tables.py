"""One table for both formats: the same cell texts, the same column widths and the same pages.

A table too long for one page is cut into pages of as even a length as the rows allow (15 rows
go 7 + 8, not 14 + 1), so no page holds a lone last row. Lengths are counted in lines: a cell
whose text wraps in its column makes its row taller. The sizes below are those of the tighter
format, the deck (a 16:9 slide, 13 pt table text); the PDF's A4 page holds the same rows with
room to spare.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# The table's width in ems of its text: 12.33 in at 13 pt on a slide (68 em), 269 mm at 10 pt
# on the PDF page (76 em); the narrower, less a little for the glyphs' real widths.
TABLE_EM = 66.0
CELL_PAD_EM = 1.5  # a cell's left and right padding together, and a little to spare
# Lines of table text (header included) under a page's title, in both formats.
PAGE_LINES = 14
MISSING = "—"
# A number already written as text ("67.7%", "4,858"): aligned like the numbers.
_NUMBER_TEXT = re.compile(r"[-+]?\d[\d,]*(\.\d+)?%?")


def cell_text(value) -> str:
    """How every table shows a value: thousands separators, one decimal for a float."""
    if value is None or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):,.1f}"
    return str(value)


def is_number(value) -> bool:
    """A number, or a number written as text (a share such as "67.7%")."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, str) and bool(_NUMBER_TEXT.fullmatch(value.strip()))


def text_em(text: str) -> float:
    """Width of one line of `text` in ems: a Chinese glyph is one, a Latin one (a digit) at most
    0.65 in the faces the two formats use or fall back to, and a quarter em where the two meet
    (the space East Asian typesetting adds there, as LibreOffice and WPS do)."""
    wide = [ord(ch) > 0x2E7F for ch in text]
    meets = sum(a != b for a, b in zip(wide, wide[1:]))
    return sum(1.0 if w else 0.65 for w in wide) + 0.25 * meets


@dataclass(frozen=True)
class Layout:
    """A table ready to draw: header and cell texts, which columns hold numbers (drawn right
    aligned), each column's share of the width, and each row's height in lines."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    widths: list[float]
    header_lines: int
    row_lines: list[int]

    def page(self, rows: range) -> "Layout":
        """The same table (header, widths) with only `rows`."""
        return Layout(self.header, self.rows[rows.start:rows.stop], self.numeric, self.widths,
                      self.header_lines, self.row_lines[rows.start:rows.stop])


def _widths(header: list[str], rows: list[list[str]], numeric: list[bool]) -> list[float]:
    """Shares of the width: each column as wide as its widest cell (a header may wrap once);
    when they do not all fit, the widest text columns give way and wrap (down to one common
    width), never the numbers nor the short texts."""
    natural = []
    for c, name in enumerate(header):
        body = max((text_em(r[c]) for r in rows), default=0.0)
        natural.append(max(body, text_em(name) / 2, 2.0) + CELL_PAD_EM)
    if sum(natural) > TABLE_EM:
        room = max(TABLE_EM - sum(w for w, n in zip(natural, numeric) if n), 0.3 * TABLE_EM)
        text = sorted(w for w, n in zip(natural, numeric) if not n)
        # the cap at which the text columns, each at most that wide, fill the room exactly
        cap, left = room, room
        for k, w in enumerate(text):
            if w * (len(text) - k) > left:
                cap = left / (len(text) - k)
                break
            left -= w
        natural = [w if n else min(w, cap) for w, n in zip(natural, numeric)]
    total = sum(natural)
    return [w / total for w in natural]


def lines(text: str, share: float) -> int:
    """Lines `text` takes in a column of `share` of the table's width."""
    room = max(share * TABLE_EM - CELL_PAD_EM, 1.0)
    return max(1, math.ceil(text_em(text) / room - 1e-9))


def _numbers_only(values: list, texts: list[str]) -> bool:
    """A column of numbers (gaps allowed), drawn right aligned in both formats."""
    present = [v for v, t in zip(values, texts) if t != MISSING]
    return bool(present) and all(is_number(v) for v in present)


def layout(frame: pd.DataFrame) -> Layout:
    header = [str(c) for c in frame.columns]
    values = [list(row) for row in frame.itertuples(index=False)]
    rows = [[cell_text(v) for v in row] for row in values]
    numeric = [_numbers_only([row[c] for row in values], [row[c] for row in rows]) for c in range(len(header))]
    widths = _widths(header, rows, numeric)
    header_lines = max((lines(name, w) for name, w in zip(header, widths)), default=1)
    row_lines = [max((lines(text, w) for text, w in zip(row, widths)), default=1) for row in rows]
    return Layout(header, rows, numeric, widths, header_lines, row_lines)


def _greedy(row_lines: list[int], limit: int) -> list[range]:
    """Fill each page up to `limit` lines before starting the next."""
    found, start, used = [], 0, 0
    for i, height in enumerate(row_lines):
        if used + height > limit and i > start:
            found.append(range(start, i))
            start, used = i, 0
        used += height
    found.append(range(start, len(row_lines)))
    return found


def pages(row_lines: list[int], room: int) -> list[range]:
    """Cut rows (each its height in lines) into as few pages of at most `room` lines as
    possible, each page as near an even share of the lines as the rows allow: 14 rows on
    pages of 13 go 7 + 7, so the last page never holds one row alone."""
    if not row_lines:
        return [range(0, 0)]
    count = len(_greedy(row_lines, room))
    if count == 1:
        return [range(0, len(row_lines))]
    # cut at the row boundaries nearest each even share of the lines
    before = np.concatenate([[0], np.cumsum(row_lines)])
    share = before[-1] / count
    cuts = [0]
    for k in range(1, count):
        best = int(np.argmin(np.abs(before - k * share)))
        cuts.append(min(max(best, cuts[-1] + 1), len(row_lines) - (count - k)))
    cuts.append(len(row_lines))
    found = [range(a, b) for a, b in zip(cuts, cuts[1:])]
    if all(before[r.stop] - before[r.start] <= room for r in found):
        return found
    # uneven heights: the smallest page length that needs no more pages
    limit = max(row_lines)
    while len(_greedy(row_lines, limit)) > count:
        limit += 1
    return _greedy(row_lines, limit)


def split(frame: pd.DataFrame) -> tuple[Layout, list[range]]:
    """The table's layout and its pages (ranges of row positions)."""
    shape = layout(frame)
    return shape, pages(shape.row_lines, PAGE_LINES - shape.header_lines)
