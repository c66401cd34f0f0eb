"""Download buttons: the quarter as a workbook, a shown table as a workbook or CSV.

Every file is built when the button is clicked (Streamlit calls `data`), never on a rerun
that does not ask for it, and a click does not rerun the page.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ... import config
from ...data import export
from ...data.dataset import Dataset

XLSX = export.MEDIA_TYPES["xlsx"]
CSV = "text/csv"


def quarter_workbook(dataset: Dataset, key: str) -> None:
    """A button that downloads every record of the dataset's quarter as an .xlsx workbook."""
    source = export.database_source(config.database_url())
    st.download_button(
        f"下载 {dataset.quarter} 全部数据（Excel）",
        data=lambda: export.workbook(dataset, source=source),
        file_name=export.file_name(dataset.quarter, "xlsx"), mime=XLSX, key=key,
        on_click="ignore", icon=":material/download:",
        help="每类记录一个工作表，中文列名，代码保持为文本；“说明”工作表注明季度、来源和演示数据。",
    )


def row():
    """A row for download buttons side by side: `with downloads.row(): ...`."""
    return st.container(horizontal=True, gap="small")


def table_downloads(table: pd.DataFrame, name: str, quarter: str, key: str) -> None:
    """Two buttons: `table` (as shown, Chinese column names) as .xlsx and as CSV."""
    stem = f"{name}_{quarter}"
    st.download_button(
        f"{name}（Excel）", data=lambda: export.table_workbook(table, name),
        file_name=f"{stem}.xlsx", mime=XLSX, key=f"{key}_xlsx", on_click="ignore",
        icon=":material/table_view:", help=f"当前筛选下的{name}（{len(table)} 行），代码保持为文本。",
    )
    st.download_button(
        f"{name}（CSV）", data=lambda: export.table_csv(table),
        file_name=f"{stem}.csv", mime=CSV, key=f"{key}_csv", on_click="ignore",
        icon=":material/description:", help="UTF-8 带 BOM，Excel 和 WPS 可直接打开。",
    )
