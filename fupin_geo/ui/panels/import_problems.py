"""What a clerk downloads when a ledger file has problems: the list, and the file marked."""
from __future__ import annotations

import streamlit as st

from ...data import ledger
from ...data import ledger_report

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def problem_downloads(preview: ledger.Preview) -> None:
    """The problem list and the clerk's file with its bad cells marked, both built on click."""
    checked = preview.ledger
    if not checked.problems:
        return
    left, right = st.columns(2)
    left.download_button("下载问题清单（.xlsx）", data=lambda: ledger_report.problems_workbook(checked),
                         file_name="问题清单.xlsx", mime=XLSX_MIME, on_click="ignore", icon=":material/download:",
                         key="problems_workbook")
    if checked.source is None:
        return
    refusal = ledger_report.marked_copy_refusal(checked)
    if refusal:
        right.caption(refusal)
        return
    stem = preview.file_name.rsplit(".", 1)[0] or "台账"
    right.download_button("下载标出问题的原文件（.xlsx）",
                          data=lambda: ledger_report.marked_copy(checked, preview.file_name, checked.source),
                          file_name=f"{stem}（已标出问题）.xlsx", mime=XLSX_MIME, on_click="ignore",
                          icon=":material/format_color_fill:", key="marked_copy",
                          help="原文件的副本：有错误的单元格标红、提示标黄，鼠标移到单元格上可看批注中的说明。")
