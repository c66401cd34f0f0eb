"""One table as a file a person opens in Excel or WPS: `.xlsx`, or CSV in UTF-8 with BOM.

Codes (村代码 …) stay text in both: a 12-digit code written as a number shows as 4.40823E+11.
Both go through export's table writers, so a name starting with = + - @ never runs as a formula.
"""
from __future__ import annotations

import pandas as pd

from . import export


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a byte-order mark, so Excel reads the Chinese text as UTF-8; no formulas."""
    return export.table_csv(frame)


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str, notes: list[str] | None = None) -> bytes:
    """One sheet with the table (text columns written as text) and, when given, a 说明 sheet
    with one note per row (e.g. the quarter and that the records are demo data)."""
    return export.table_workbook(frame, sheet, notes=notes or ())
