"""The parts of a sheet shaped like a government form (报表) that are not records.

County clerks keep their ledgers in the bureau's form layout: a title row ("遂溪县2020年第一季度
产业扶贫台账", often merged across the width), a 填报单位/填报日期 block, the header, a 序号
column, the records with 小计 rows after each group and a 合计 row at the end, and a footer of
signatures (填表人：… 审核人：… 联系电话：…) and notes (注：…). This module recognises those rows
and cells; ledger_import decides what to do with them. Rows above the header are never records
(the header search skips them), so only what follows the header is recognised here.
"""
from __future__ import annotations

import re
import unicodedata

# Header labels of the form's own running number (序号): not data, never reported as unknown.
ROW_NUMBER_LABELS = frozenset({"序号", "序", "行号", "no", "no."})

# A total row's label: 合计 / 小计 / 总计, optionally after what it totals ("城月镇小计") and
# before a colon or a bracket ("合计（户）"). Bounded so a long free text is never taken for one.
_TOTAL = re.compile(r"^[^\d]{0,20}?(合计|小计|总计|共计)(?:[(（][^)）]*[)）])?[:：]?$")
GRAND_TOTAL, SUBTOTAL = "合计", "小计"
_KIND = {"合计": GRAND_TOTAL, "总计": GRAND_TOTAL, "共计": GRAND_TOTAL, "小计": SUBTOTAL}

# A footer row starts with a signature or date field (the colon may be missing: "填表人 李明"),
# or with a note that needs its colon or number (注：, 备注：, 注1.) since such words also begin names.
_FOOTER = re.compile(
    r"^(?:单位)?(?:填表人|填报人|制表人|审核人|审批人|负责人|联系人|联系电话|填表日期|填报日期|制表日期"
    r"|报送日期|填报单位)"
    r"|^(?:注|备注|说明|注意)\s*\d*\s*[:：.、]")
# After a footer row, a row of at most this many cells continues it ("2. 本表由……", a date).
FOOTER_CONTINUATION_CELLS = 2


def _text(value) -> str:
    """A cell as compact text: NFKC, no whitespace (so "合 计" and "合　计" read 合计)."""
    if value is None or isinstance(value, (int, float, bool)):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def is_row_number_label(label) -> bool:
    return _text(label).lower() in ROW_NUMBER_LABELS


def _first_filled(row: tuple) -> int | None:
    return next((i for i, v in enumerate(row) if v is not None and str(v).strip()), None)


def total_kind(row: tuple, label_columns=()) -> str | None:
    """GRAND_TOTAL or SUBTOTAL if `row` is a 合计/小计 row, else None.

    The label is looked for in `label_columns` (the 序号 and name columns) and in the row's first
    filled cell (a 合计 merged across the first columns, or a sheet without 序号).
    """
    first = _first_filled(row)
    for at in {*label_columns, *(() if first is None else (first,))}:
        if at < len(row):
            found = _TOTAL.match(_text(row[at]))
            if found:
                return _KIND[found.group(1)]
    return None


def is_footer(row: tuple) -> bool:
    """A signature, date or note row below the records."""
    first = _first_filled(row)
    return first is not None and _FOOTER.match(_text(row[first])) is not None


def continues_footer(row: tuple) -> bool:
    """A row after a footer row that is more of it (a numbered note, a date), not a record."""
    return sum(1 for v in row if v is not None and str(v).strip()) <= FOOTER_CONTINUATION_CELLS


def number(value) -> float | None:
    """A cell as a number for adding up ("1,156" too), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = _text(value).replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


# --- 季度 ---------------------------------------------------------------------------------------
_QUARTER_NUMBERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
# 2020Q1, 2020q1, 2020-Q1, 2020 Q1, 2020/Q1
_QUARTER_Q = re.compile(r"^([0-9]{4})[-_/.]?Q([1-4])$", re.I)
# 2020年第一季度, 2020年1季度, 2020年一季度, 2020年第1季度, 2020第一季度 (季 required: "20201" is no quarter)
_QUARTER_CN = re.compile(r"^([0-9]{4})年?第?([1-4一二三四])季(?:度)?$")


def read_quarter(value) -> str | None:
    """A 季度 cell as "2020Q1", whichever usual spelling the clerk used; None if unreadable."""
    text = _text(value)
    found = _QUARTER_Q.match(text) or _QUARTER_CN.match(text)
    if not found:
        return None
    return f"{found.group(1)}Q{_QUARTER_NUMBERS[found.group(2)]}"
