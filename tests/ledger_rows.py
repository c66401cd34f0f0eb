"""What the ledger import tests share: a village row as a county clerk writes it (labels as in
the template), a workbook of such rows, and a check of it as 2019Q4. 官湖村 is a real village
unit of 遂溪县 附城镇 (geodata/villages.csv 440823115207); 附城镇 is also a town of 雷州市
(440882117)."""
from __future__ import annotations

import io

import openpyxl

from fupin_geo.data import ledger

QUARTER = "2019Q4"

HEADER = ["村代码", "村名", "县区代码", "镇街代码", "经度", "纬度", "位置精度", "总户数", "贫困户数",
          "贫困人口", "加入合作社贫困户数", "有劳动力贫困户数", "参与长效产业项目户数", "贫困劳动力",
          "已培训贫困劳动力", "无害化卫生户厕普及率", "干净整洁村", "新农村示范村", "农田水利项目"]
GUANHU = ["440823115207", "官湖村", "遂溪县", "440823115", 110.1, 21.1, "实测", 500, 50, 150, 40, 30,
          20, 45, 40, "85%", "是", "否", "否"]


def village(**changes) -> list:
    """GUANHU with some cells changed, by label."""
    row = list(GUANHU)
    for label, value in changes.items():
        row[HEADER.index(label)] = value
    return row


def xlsx(sheets: dict[str, list[list]], hidden=(), merges: dict[str, list[str]] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(store, data: bytes, name="台账.xlsx", **options):
    return ledger.check(store, name, data, QUARTER, **options)


def problems(preview) -> list[tuple]:
    table = preview.ledger.problem_table()
    return [tuple(r) for r in table[["级别", "行", "列", "说明"]].itertuples(index=False)]
