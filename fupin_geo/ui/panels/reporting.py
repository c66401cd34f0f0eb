"""数据管理 › 填报进度: which counties have reported a quarter."""
from __future__ import annotations

import streamlit as st

from ...data import ledger_merge
from .. import tables
from ..session import quarters, store
from ..text import md


def reporting_panel() -> None:
    """Which counties have reported a quarter, and which still show an earlier quarter's figures."""
    available = quarters()
    if not available:
        st.info("还没有数据。")
        return
    # no key: when a quarter is added the list changes and the newest is chosen again
    quarter = st.selectbox("季度", available, index=len(available) - 1)
    dataset = store().load(quarter)
    status = ledger_merge.reporting_status(dataset)
    line = ledger_merge.reporting_line(dataset)
    if line:
        st.warning(md(line), icon=":material/pending_actions:")
    else:
        st.success(f"{quarter}：{len(status)} 个县区都已填报。", icon=":material/task_alt:")
    tables.show(status, key="reporting_table")
    st.caption("新季度以上一季度的全部记录为基础；县区导入本季度台账后，文件中列出的记录记为本季度填报。"
               "“沿用记录”是仍为以前季度数据的记录。")
