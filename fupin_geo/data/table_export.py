"""One table as a file a person opens in Excel or WPS: `.xlsx`, or CSV in UTF-8 with BOM.

Codes (村代码 …) stay text in both: a 12-digit code written as a number shows as 4.40823E+11.
"""
from __future__ import annotations

import io

import pandas as pd
from openpyxl.utils import get_column_letter

# Excel limits sheet names to 31 characters and forbids a few; we only write our own names.
SHEET_NAME_MAX = 31


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a byte-order mark, so Excel reads the Chinese text as UTF-8."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str, notes: list[str] | None = None) -> bytes:
    """One sheet with the table (text columns written as text) and, when given, a 说明 sheet
    with one note per row (e.g. the quarter and that the records are demo data)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:SHEET_NAME_MAX], index=False)
        worksheet = writer.sheets[sheet[:SHEET_NAME_MAX]]
        for position, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(position)
            texts = frame[column].astype(str)
            width = max([len(str(column)), *texts.str.len().tolist()] or [8])
            worksheet.column_dimensions[letter].width = min(60, 2 + width * 2)
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                for cell in worksheet[letter][1:]:
                    cell.number_format = "@"
        if notes:
            pd.DataFrame({"说明": notes}).to_excel(writer, sheet_name="说明", index=False)
    return buffer.getvalue()
