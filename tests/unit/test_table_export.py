"""A table as .xlsx and as CSV with BOM, read back the way Excel would."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd

from fupin_geo.data import table_export

TABLE = pd.DataFrame({"村名": ["官湖村", "=1+1"], "村代码": ["440823115207", "440882101200"],
                      "差距（百分点）": [15.5, 0.0]})


def test_csv_starts_with_a_bom_and_keeps_chinese_and_codes():
    data = table_export.to_csv_bytes(TABLE)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "村名,村代码,差距（百分点）"
    assert "官湖村,440823115207,15.5" in text


def test_xlsx_keeps_codes_as_text_and_adds_notes():
    data = table_export.to_xlsx_bytes(TABLE, "未达标村", ["数据季度：2019Q4", "本表基于演示数据"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["未达标村", "说明"]
    sheet = book["未达标村"]
    assert [c.value for c in sheet[1]] == ["村名", "村代码", "差距（百分点）"]
    code = sheet["B2"]
    assert code.value == "440823115207" and code.data_type == "s" and code.number_format == "@"
    assert sheet["C2"].value == 15.5
    assert [c.value for c in book["说明"]["A"]] == ["说明", "数据季度：2019Q4", "本表基于演示数据"]


def test_empty_table_still_gives_a_workbook():
    data = table_export.to_xlsx_bytes(TABLE.iloc[0:0], "未达标村")
    assert openpyxl.load_workbook(io.BytesIO(data))["未达标村"]["A1"].value == "村名"
