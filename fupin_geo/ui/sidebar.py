"""The sidebar every page shares: the title, the quarter being viewed and, for a quarter some
counties have not reported yet, which of them still show last quarter's figures."""
from __future__ import annotations

import streamlit as st

from .. import config
from . import session
from .text import md


def sidebar() -> None:
    with st.sidebar:
        st.markdown(f"### {config.APP_TITLE}")
        quarter = session.quarter_selector()
        line = session.reporting_line(quarter) if quarter else None
        if line:
            st.caption(md(line), help="新季度以上一季度的数据为基础；各县区导入本季度台账后更新。"
                                      "详见“数据管理 › 填报进度”。")
