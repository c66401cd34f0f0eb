"""The 会议简报 page's panels: the saved views and presentation mode; the briefing export
with its progress."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ... import config
from ...data import geodata
from ...data.dataset import Dataset
from ...data.store import StoreError
from ...data.views import SavedViews
from ...report import briefing as briefings
from ...report.fonts import FontMissing
from .. import login, tables
from ..login import can_edit
from ..session import quarter, quarters, store
from ..text import md
from . import presentation

SCOPE = "briefing_scope"
FILES = "briefing_files"
REQUESTED = "briefing_requested"
EDIT_NEEDED = "调整顺序或删除视图需由编辑在“数据管理”页登录。"


def views_panel() -> None:
    st.subheader("演示模式")
    st.markdown("演示模式隐藏侧栏和所有控件，字号放大，适合投影。用 **← →** 键或“上一个/下一个”按钮"
                "逐个切换已保存的视图。保存视图：在任意页面设好筛选、图层和地图范围，在左侧"
                "“保存当前视图”中命名保存（需由编辑在“数据管理”页登录）。"
                "也可在地址后加 `?present=1` 直接进入演示模式。")
    saved = presentation.saved_views()
    page_titles = presentation.page_titles()
    if saved:
        table = pd.DataFrame({
            "顺序": range(1, len(saved) + 1),
            "名称": [v.name for v in saved],
            "页面": [page_titles.get(v.page, v.page) for v in saved],
            "数据季度": [v.quarter or "最新" for v in saved],
            "参数": ["&".join(f"{k}={val}" for k, val in v.params.items()) for v in saved],
        })
        tables.show(table, wide=["参数"])
    else:
        tour = presentation.default_tour()
        st.info(f"还没有保存的视图：“开始演示”按{presentation.TOUR_NOTE}依次展示 "
                + " → ".join(v.name for v in tour) + f"（数据季度 {quarter() or '最新'}）。"
                "要演示自己的视图：在页面上设好筛选和地图范围，在左侧“保存当前视图”中命名保存"
                "（需由编辑在“数据管理”页登录）。", icon=":material/bookmarks:")
    left, right = st.columns([1, 2])
    left.button("开始演示", type="primary", icon=":material/slideshow:", on_click=presentation.start,
                disabled=not presentation.views(), key="briefing_start")
    if saved and not can_edit():
        right.caption(EDIT_NEEDED)
    elif saved:
        with right.popover("调整视图", icon=":material/edit:"):
            names = {v.id: f"{i}. {v.name}" for i, v in enumerate(saved, start=1)}
            chosen = st.selectbox("视图", list(names), format_func=names.get, key="briefing_view")
            a, b, c = st.columns(3)
            a.button("上移", key="briefing_up", on_click=_move, args=(chosen, -1))
            b.button("下移", key="briefing_down", on_click=_move, args=(chosen, 1))
            c.button("删除", key="briefing_delete", on_click=_delete, args=(chosen,))


def _move(view_id: int, offset: int) -> None:
    user = login.editor()  # checked again: the login may have timed out since the popover was drawn
    if user is None:
        st.toast(EDIT_NEEDED, icon=":material/lock:")
        return
    SavedViews(store()).move(view_id, offset, by=user.username)


def _delete(view_id: int) -> None:
    user = login.editor()
    if user is None:
        st.toast(EDIT_NEEDED, icon=":material/lock:")
        return
    SavedViews(store()).delete(view_id, by=user.username)


def export_panel(dataset: Dataset) -> None:
    st.subheader("会议简报")
    st.markdown("一键生成全市或一个县（市、区）的简报：封面、指标对照工作方案目标、分县情况、"
                "静态地图（一村一品、联农带农覆盖、基础设施短板、湛柳结对）和湛柳协作概况，"
                "含演示数据的每页都会注明。PPTX 可在 PowerPoint 或 WPS 中编辑，PDF 可直接打印。")
    names = {"": "全市", **dict(zip(geodata.counties(config.ZHANJIANG)["adcode"],
                                    geodata.counties(config.ZHANJIANG)["name"]))}
    scope = st.selectbox("范围", list(names), format_func=names.get, key=SCOPE)
    st.caption(f"数据季度：{dataset.quarter}（在左侧切换）")
    wanted = (scope, dataset.quarter)
    # a callback, not the button's return value: the request survives a rerun before the panel
    st.button("生成简报（PPTX 和 PDF）", type="primary", icon=":material/description:", key="briefing_make",
              on_click=st.session_state.__setitem__, args=(REQUESTED, True))
    if st.session_state.pop(REQUESTED, False):
        _make(dataset, scope or None, wanted)
    made = st.session_state.get(FILES)
    if made and made["for"] == wanted:
        first, second = st.columns(2)
        for column, fmt in zip((first, second), briefings.FORMATS):
            column.download_button(f"下载 {fmt.upper()}", data=made["files"][fmt], file_name=made["names"][fmt],
                                   mime=briefings.MIME[fmt], on_click="ignore", icon=":material/download:",
                                   key=f"briefing_download_{fmt}", width="stretch")
        st.caption(f"{md(made['title'])}，共 {made['pages']} 页。")


def _make(dataset: Dataset, county: str | None, wanted: tuple) -> None:
    with st.status("正在生成简报……", expanded=True) as status:
        bar = st.progress(0.0, text="准备数据")

        def tell(share: float, text: str) -> None:
            bar.progress(min(max(share, 0.0), 1.0), text=f"正在生成：{text}")

        try:
            made, files = briefings.make(dataset, quarters(), county, tuple(briefings.FORMATS), progress=tell)
        except (FontMissing, StoreError) as error:
            status.update(label="简报生成失败", state="error")
            st.error(md(error), icon=":material/error:")
            return
        status.update(label="简报已生成", state="complete", expanded=False)
    st.session_state[FILES] = {
        "for": wanted, "files": files, "title": made.title, "pages": len(made.sections),
        "names": {fmt: briefings.file_name(made, fmt) for fmt in files},
    }
