"""Presentation mode: no sidebar and no controls, large type for a projector, and a bar that
steps through the saved views, or with none saved through a default tour of the map pages
(buttons, or the arrow keys through a small keyboard hook).

Started by the switch on the 会议简报 page or by `?present=1` in a link. A saved view is a
page with its URL parameters (filters, layers, map extent) and a data quarter; going to one
sets the quarter, makes the page read its URL afresh and switches to it.
"""
from __future__ import annotations

import streamlit as st

from ... import config
from ...analysis import url_params
from ...data.store import StoreError
from ...data.views import SavedView, SavedViews
from .. import login, session
from ..edge import presentation as edge_presentation
from ..login import can_edit
from ..session import quarters, store
from ..text import md
from ..widgets import CARD

PRESENTING = "present_on"
STEP = "present_step"
PENDING = "present_pending"
SAVE_NAME = "present_save_name"
BAR = "fupin_present_bar"

# Each page's session-state flag that makes it read its URL again on its next run.
RESET_ON_ARRIVAL = ("industry_init", "coop_init")

# The look and the arrow keys work on Streamlit's page structure: see edge/presentation.py.
STYLE = edge_presentation.style(BAR, CARD)
PREVIOUS = "fupin_present_prev"
NEXT = "fupin_present_next"


def saved_views() -> list[SavedView]:
    try:
        return SavedViews(store()).all()
    except StoreError as error:
        st.error(md(error), icon=":material/error:")
        return []


# With no saved view, presentation mode steps through the map pages in the order a meeting
# reads them (url paths; "" is the default page, 总览), each as it opens, at the quarter chosen.
TOUR = ("", "industry_map", "linkage", "infrastructure", "underserved", "cooperation")
TOUR_NOTE = "默认演示顺序"


def default_tour() -> list[SavedView]:
    titles = page_titles()
    paths = [p for p in TOUR if p in titles]
    return [SavedView(-i, titles[p], p, {}, None, i) for i, p in enumerate(paths, start=1)]


def views() -> list[SavedView]:
    """What presentation mode steps through: the saved views, or the default tour."""
    return saved_views() or default_tour()


def presenting() -> bool:
    if url_params.choice(st.query_params.get(config.PRESENT_PARAM), ("1",)):
        st.session_state[PRESENTING] = True
    return bool(st.session_state.get(PRESENTING))


def start(step: int = 0) -> None:
    """Callback: switch presentation mode on at saved view `step` (or on the current page)."""
    st.session_state[PRESENTING] = True
    _go(step)


def stop() -> None:
    st.session_state[PRESENTING] = False
    if config.PRESENT_PARAM in st.query_params:
        del st.query_params[config.PRESENT_PARAM]


def _go(step: int) -> None:
    """Callback: show saved view `step` (its quarter now; the page switch follows in bar())."""
    saved = views()
    if not saved:
        return
    step = step % len(saved)
    view = saved[step]
    st.session_state[STEP] = step
    quarter = url_params.quarter(view.quarter, quarters())
    if quarter is not None:
        session.choose_quarter(quarter)
    for key in RESET_ON_ARRIVAL:
        st.session_state.pop(key, None)
    st.session_state[PENDING] = step


# The app's pages by url_path (the same for every session; set by bar() from app.py).
PAGES: dict[str, st.Page] = {}


def page_titles() -> dict[str, str]:
    return {path: page.title for path, page in PAGES.items()}


def bar(pages: dict[str, st.Page]) -> None:
    """In presentation mode: the style, the presenter bar and the keyboard hook; and the page
    switch a step asked for. Call in app.py before the page runs."""
    PAGES.update(pages)
    if not presenting():
        return
    saved = views()
    pending = st.session_state.pop(PENDING, None)
    if pending is not None and pending < len(saved) and saved[pending].page in pages:
        view = saved[pending]
        st.switch_page(pages[view.page], query_params={**view.params, config.PRESENT_PARAM: "1"})
    st.html(STYLE)
    step = st.session_state.get(STEP)
    with st.container(key=BAR, horizontal=True, vertical_alignment="center"):
        st.button("上一个", key=PREVIOUS, icon=":material/arrow_back:", disabled=not saved,
                  on_click=_go, args=((step or 0) - 1,))
        tour = "（" + TOUR_NOTE + "）" if saved and saved[0].id < 0 else ""
        if saved and step is not None and step < len(saved):
            st.markdown(f"**{step + 1} / {len(saved)}　{md(saved[step].name)}{tour}**")
        elif saved:
            st.markdown(f"**共 {len(saved)} 个视图{tour}：按 → 开始**")
        else:
            st.markdown("**还没有保存的视图**")
        st.button("下一个", key=NEXT, icon=":material/arrow_forward:", disabled=not saved,
                  on_click=_go, args=(0 if step is None else step + 1,))
        st.button("退出演示", key="fupin_present_exit", icon=":material/close:", on_click=stop)
    edge_presentation.arrow_keys(PREVIOUS, NEXT)


# Shown in the sidebar instead of the save form to whoever may not save views.
LOGIN_NEEDED = "保存视图需由编辑登录：请到“数据管理”页登录。"
ROLE_NEEDED = "保存视图需要“编辑”或“管理员”角色。"


def save_form(page: st.Page) -> None:
    """In the sidebar: save what is on the screen as a named view (editors only; others see
    one line saying how to become able to)."""
    if presenting():
        return
    if not can_edit():
        user = login.current_user()
        st.sidebar.caption(LOGIN_NEEDED if user is None else ROLE_NEEDED)
        return
    with st.sidebar.expander("保存当前视图", icon=":material/bookmark_add:"):
        st.text_input("视图名称", key=SAVE_NAME, max_chars=60, placeholder="如：遂溪火龙果产业")
        st.button("保存", key="present_save", on_click=_save, args=(page.url_path, page.title),
                  use_container_width=True)
        st.caption("保存当前页面的筛选、图层、地图范围和数据季度，演示模式中可逐个切换。")


def _save(url_path: str, title: str) -> None:
    user = login.editor()  # checked again: the login may have timed out since the form was drawn
    if user is None:
        st.toast(LOGIN_NEEDED, icon=":material/lock:")
        return
    name = st.session_state.get(SAVE_NAME, "").strip() or title
    try:
        SavedViews(store()).add(name, url_path, st.query_params.to_dict(), session.quarter(),
                                by=user.username)
    except StoreError as error:
        st.toast(md(error), icon=":material/error:")
        return
    st.session_state[SAVE_NAME] = ""
    st.toast(f"已保存视图：{md(name)}", icon=":material/bookmark_added:")
