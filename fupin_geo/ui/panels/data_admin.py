"""Panels of the 数据管理 page: login, import with preview and commit, revisions, placing
villages on the map, the audit log. Logic lives in fupin_geo.data / data.ledger."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ... import config
from ...data import ledger
from ...data import audit, diff, template, users
from ...data.store import StaleRevision, StoreError
from ...maps import common
from ..mapview import show_map
from ..session import forget_cached_data, quarters, store
from ..text import md
from .. import login, tables
from ..login import LOGIN_MESSAGE, SESSION, current_user  # noqa: F401  (the page's login)

from .import_panel import PREVIEW, import_panel  # noqa: F401  (the page's panels)
from .reporting import reporting_panel  # noqa: F401


def login_form() -> None:
    message = st.session_state.pop(LOGIN_MESSAGE, None)
    if message:
        st.warning(message, icon=":material/lock_clock:")
    hint, first = login.accounts_hint()
    (st.warning if first else st.info)(hint, icon=":material/person_add:" if first else ":material/lock:")
    with st.form("login", border=True):
        username = st.text_input("用户名", max_chars=64)
        password = st.text_input("密码", type="password", max_chars=256)
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        result = users.login(store(), username, password, source=login.source())
        if result.user is None:
            st.error(result.message, icon=":material/error:")
            return
        login.start(result.user)
        st.rerun()


def user_bar(user: users.User) -> None:
    left, right = st.columns([5, 1])
    left.caption(f"已登录：{md(user.username)}（{config.ROLE_LABELS[user.role]}）· "
                 f"{config.SESSION_TIMEOUT_MINUTES} 分钟无操作自动退出")
    if right.button("退出登录", icon=":material/logout:"):
        audit.record(store(), user.username, "退出登录")
        login.end()
        st.session_state.pop(PREVIEW, None)
        st.rerun()


# --- template ---------------------------------------------------------------------------------
def template_panel() -> None:
    st.markdown("下载季度台账模板：每类数据一张表，中文表头，带下拉选项、示例行（导入时自动跳过）和填写说明。")
    st.download_button("下载台账模板（.xlsx）", data=_template_bytes, file_name="湛江产业扶贫台账模板.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click="ignore", icon=":material/download:")


def _template_bytes() -> bytes:
    current = store().load() if not store().is_empty() else None
    return template.template(current)


# --- revisions --------------------------------------------------------------------------------
def revisions_panel(user: users.User) -> None:
    available = quarters()
    if not available:
        st.info("还没有数据。")
        return
    quarter = st.selectbox("季度", available, index=len(available) - 1, key="revision_quarter")
    revisions = store().revisions(quarter)
    tables.show(revisions_table(revisions), wide=["说明"])
    numbers = [r.revision for r in revisions]
    if len(numbers) >= 2:
        left, right = st.columns(2)
        old = left.selectbox("比较：旧版本", numbers, index=len(numbers) - 2, key="revision_old")
        new = right.selectbox("新版本", numbers, index=len(numbers) - 1, key="revision_new")
        changes = diff.compare(store().load(quarter, old), store().load(quarter, new))
        if changes.empty:
            st.info(f"第 {old} 版与第 {new} 版相同。")
        else:
            tables.show(changes.counts(), width="content")
            st.dataframe(changes.rows.head(5000), hide_index=True, width="stretch")
    if user.can("editor") and len(numbers) >= 2:
        with st.form("restore_form"):
            chosen = st.selectbox("恢复为", numbers[:-1], index=len(numbers) - 2,
                                  format_func=lambda n: f"第 {n} 版")
            sure = st.checkbox("我确认：以所选版本的数据新建一个版本（现有版本都会保留）")
            restore = st.form_submit_button("恢复", icon=":material/restore:")
        if restore:
            if not sure:
                st.warning("请先勾选确认。")
            else:
                user = login.require_editor()
                try:  # the newest revision shown above must still be the newest
                    number = store().restore(quarter, chosen, author=user.username, expected_latest=numbers[-1])
                except StaleRevision as stale:
                    st.error(f"{md(str(stale))}未恢复：请查看新版本后再决定是否恢复。", icon=":material/error:")
                    return
                forget_cached_data()
                st.success(f"已把 {quarter} 恢复为第 {chosen} 版的数据（新版本：第 {number} 版）。")


def revisions_table(revisions) -> pd.DataFrame:
    """The versions of a quarter, newest first, times in 北京时间."""
    frame = pd.DataFrame([{"版本": r.revision, "时间（北京时间）": audit.beijing_time(r.created_at), "用户": r.author,
                           "类型": r.kind, "说明": r.note, "文件": r.file_name or audit.MISSING,
                           "文件SHA256": r.file_sha256 or audit.MISSING} for r in revisions])
    return frame.iloc[::-1]


# --- placing villages -----------------------------------------------------------------------
PLACED = "locate_placed"  # the message of the last save, shown after the rerun that follows it
LOCATE_FOR = "locate_for"  # (the chosen village, the map's last click when it was chosen)


def locate_panel(user: users.User, dataset) -> None:
    if not user.can("editor"):
        st.info("定位需要“编辑”或“管理员”角色。")
        return
    done = st.session_state.pop(PLACED, None)
    if done:
        st.success(done, icon=":material/where_to_vote:")
    villages = dataset.villages
    approximate = villages[villages["position_quality"] == "近似"]
    st.markdown(f"{len(approximate)} 个贫困村的位置是近似的（地图上按县区或同镇估计）。选择一个村，"
                "在地图上点击它的准确位置，然后保存：保存为该季度的新版本，记录是谁、何时改的。")
    if approximate.empty:
        return
    names = dict(zip(approximate["code"], approximate["name"]))
    code = st.selectbox("贫困村", sorted(names, key=names.get), format_func=lambda c: f"{names[c]}（{c}）",
                        key="locate_village")
    row = villages.set_index("code").loc[code]
    # the base never changes (see show_map): choosing a village moves the map, saving redraws
    # only the village layer
    result = show_map(common.base_map(), key="locate_map", returned_objects=("last_clicked",),
                      layers=[common.overview_layer(dataset), common.selection_highlight(dataset, code)],
                      center=(row["lat"], row["lon"]), zoom=config.LOCATE_ZOOM)
    clicked = _click_for(code, result.get("last_clicked"))
    if not clicked:
        st.caption(f"当前位置：经度 {row['lon']:.5f}，纬度 {row['lat']:.5f}（近似）。请点击地图。")
        return
    lon, lat = round(clicked["lng"], config.COORD_DECIMALS), round(clicked["lat"], config.COORD_DECIMALS)
    st.markdown(f"新位置：经度 **{lon:.5f}**，纬度 **{lat:.5f}**")
    if st.button("保存位置", type="primary", icon=":material/pin_drop:"):
        user = login.require_editor()
        try:
            number = ledger.place_village(store(), dataset.quarter, code, lon, lat, user.username)
        except (StoreError, ValueError) as error:
            st.error(md(str(error)))
            return
        forget_cached_data()
        st.session_state[PLACED] = f"已保存 {md(names[code])} 的位置（{dataset.quarter} 第 {number} 版）。"
        st.rerun()  # the village leaves the list and its point moves on the map


def _click_for(code: str, clicked: dict | None) -> dict | None:
    """The map's last click if made since `code` was chosen, else None: the map keeps
    reporting its last click, which belongs to the village chosen before."""
    chosen = st.session_state.get(LOCATE_FOR)
    if chosen is None or chosen[0] != code:
        st.session_state[LOCATE_FOR] = (code, clicked)
        return None
    return None if clicked == chosen[1] else clicked


# --- audit log ------------------------------------------------------------------------------
def audit_panel(user: users.User) -> None:
    log = audit.entries(store(), limit=2000)
    st.dataframe(log, hide_index=True, width="stretch", placeholder=audit.MISSING)
    st.download_button("导出操作日志（.xlsx）", data=lambda: audit.workbook(store()), file_name="操作日志.xlsx",
                       on_click="ignore", icon=":material/download:")
    if user.can("admin"):
        st.subheader("用户")
        st.dataframe(users_table(users.all_users(store())), hide_index=True, placeholder=audit.MISSING)


def users_table(rows: list[dict]) -> pd.DataFrame:
    """The accounts with Chinese column names, times in 北京时间."""
    frame = pd.DataFrame(rows, columns=["username", "role", "waiting_sources", "created_at"])
    frame["role"] = frame["role"].map(lambda role: config.ROLE_LABELS.get(role, role))
    frame["created_at"] = frame["created_at"].map(audit.beijing_time)
    return frame.rename(columns={"username": "用户名", "role": "角色", "waiting_sources": "需等待再试的来源数",
                                 "created_at": "创建时间（北京时间）"})
