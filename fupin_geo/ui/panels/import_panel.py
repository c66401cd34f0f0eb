"""The 数据管理 page's import: check a ledger file, show what it would change (every deletion
listed first), and commit it; and the 填报进度 of a quarter. The rules live in
fupin_geo.data.ledger_merge and fupin_geo.data.ledger; this only draws them."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ... import config
from ...data import ledger
from ...data import geodata, ledger_import, ledger_merge, upload_limits, users
from ...data.ledger_merge import Replacement
from ...data.store import StoreError
from .. import login, tables
from ..edge import uploader
from ..session import forget_cached_data, quarters, store
from ..text import md
from .import_problems import problem_downloads

PREVIEW = "data_admin_preview"
IMPORTED = "data_admin_imported"  # the message of the last commit, shown after the rerun that follows it
CHECKED = "data_admin_checked"  # the Options of the last check, for a re-check
KEEP, REPLACE_COUNTIES, REPLACE_ALL = "不删除（只更新文件中列出的记录）", "替换所选县区的记录", "替换整个季度的记录"
# The problem table's 说明 (the closest names, what is expected) is the answer: the widest column.
EXPLANATION_WIDTH_PX = 640
# A table's height: its rows (st.dataframe's row and header heights) up to TABLE_HEIGHT, beyond
# which it scrolls; the tables hold at most a few thousand rows.
TABLE_HEIGHT, ROW_PX, HEADER_PX = 360, 35, 38
# Streamlit's uploader says "Drag and drop…", "Upload" and "20MB per file" in English and has no
# option or locale for it (Streamlit 1.67; streamlit#1353 and #13500 are open): the label says
# it in Chinese instead.
UPLOAD_TYPES = ["xlsx", "xls", "csv"]
UPLOAD_LABEL = (f"台账文件：把文件拖到下面的框里，或点框里的“{uploader.BUTTON_TEXT}”按钮选择"
                f"（.xlsx、.xls 或 .csv，单个文件不超过 {config.MAX_UPLOAD_MB} MB）")
UPLOAD_HELP = "文件拖到框上时，框里会显示 Streamlit 自带的英文提示“Drag and drop a file here”，即“把文件拖到这里”。"


@dataclass(frozen=True)
class Options:
    """What the clerk chose in the form, kept for a re-check of the same file."""

    quarter: str
    system: str
    swap: bool
    replacement: Replacement
    dependants: bool


def import_panel(user: users.User) -> None:
    if not user.can("editor"):
        st.info("导入需要“编辑”或“管理员”角色。", icon=":material/block:")
        return
    done = st.session_state.pop(IMPORTED, None)
    if done:
        st.success(done, icon=":material/done_all:")
    available = quarters()
    counties = geodata.counties(config.ZHANJIANG)
    names = dict(zip(counties["name"], counties["adcode"]))
    with st.form("import_form", border=True):
        left, middle, right = st.columns(3)
        quarter = left.text_input("导入为季度", value=available[-1] if available else f"{config.PLAN_YEAR}Q1",
                                  max_chars=7, help="如 2020Q1。已有季度：导入后成为它的新版本；"
                                                    "新季度：以上一季度的数据为基础，用文件更新。")
        system = middle.selectbox("文件中的坐标系", config.COORD_SYSTEMS,
                                  help="高德地图取的坐标是 GCJ-02，百度地图是 BD-09；导入时换算为 WGS-84。")
        swap = right.checkbox("交换填反的经纬度", help="经度约 110、纬度约 21；填反的行自动交换。")
        uploader.chinese(config.MAX_UPLOAD_MB, UPLOAD_TYPES)
        upload = st.file_uploader(UPLOAD_LABEL, type=UPLOAD_TYPES, help=UPLOAD_HELP)
        st.caption(upload_limits.caps_text())
        with st.expander("删除记录（可选；默认不删除任何记录）"):
            st.caption("文件只更新它列出的记录。要删除某条记录，可在文件的“删除”列填“是”；"
                       "或在这里选择由文件替换某些县区或整个季度：文件中的表没有列出的这些记录将被删除。"
                       "无论哪种方式，导入前都会列出要删除的记录。")
            mode = st.radio("文件没有列出的记录", (KEEP, REPLACE_COUNTIES, REPLACE_ALL), index=0)
            chosen = st.multiselect("替换这些县区", list(names), placeholder="选择县区",
                                    help="只在选择“替换所选县区的记录”时起作用。")
            dependants = st.checkbox("同时删除引用被删记录的记录（如被删村的一村一品、合作社、联农带农）",
                                     help="不勾选时，删除会使其他记录失去所引用的村、产业园、企业或合作社的导入将被拒绝，"
                                          "并列出这些记录。")
        checked = st.form_submit_button("核对文件", type="primary", icon=":material/fact_check:")
    if checked:
        st.session_state.pop(PREVIEW, None)
        if upload is None:
            st.warning("请先选择台账文件。")
            return
        if mode == REPLACE_COUNTIES and not chosen:
            st.warning("选择了“替换所选县区的记录”，但没有选择县区。")
            return
        replacement = Replacement(frozenset(names[n] for n in chosen) if mode == REPLACE_COUNTIES else frozenset(),
                                  everything=mode == REPLACE_ALL)
        options = Options(quarter.strip(), system, swap, replacement, dependants)
        _check(upload.name, upload.getvalue(), options)
    preview = st.session_state.get(PREVIEW)
    if preview is not None:
        _show_preview(preview, user)


def _check(name: str, data: bytes, options: Options, replace_quarter: bool = False) -> None:
    bar = st.progress(0.0, text="正在读取文件")
    try:
        preview = ledger.check(store(), name, data, options.quarter, options.system, options.swap,
                               progress=lambda share, text: bar.progress(min(1.0, share), text=text),
                               replacement=options.replacement, delete_dependants=options.dependants,
                               replace_quarter=replace_quarter)
    except ledger.FileRefused as error:
        st.error(md(str(error)), icon=":material/block:")
        return
    finally:
        bar.empty()
    st.session_state[PREVIEW] = preview
    st.session_state[CHECKED] = options


def _show_preview(preview: ledger.Preview, user: users.User) -> None:
    st.subheader(f"核对结果：{md(preview.file_name)}")
    st.caption(f"季度 {md(preview.quarter)} · 文件 SHA-256 {preview.sha256}")
    for note in preview.ledger.notes:
        st.text(f"· {note}")
    table = preview.ledger.problem_table()
    errors = len(preview.ledger.errors)
    if errors:
        st.error(f"发现 {errors} 处错误，文件未导入。请按下表修改后重新上传。", icon=":material/error:")
    elif len(table):
        st.success(f"没有错误；有 {len(table)} 条提示，请核对。", icon=":material/check_circle:")
    else:
        st.success("逐行核对完毕，没有发现问题。", icon=":material/check_circle:")
    if len(table):
        st.dataframe(table, hide_index=True, width="stretch", key="problem_table", height=_height(len(table)),
                     column_config={"说明": st.column_config.TextColumn("说明", width=EXPLANATION_WIDTH_PX),
                                    "值": st.column_config.TextColumn("值", width="medium"),
                                    "级别": st.column_config.TextColumn("级别", width="small"),
                                    "行": st.column_config.NumberColumn("行", width="small", format="%d")})
        st.caption("说明较长时，点击该单元格可看全文；也可下载问题清单或标出问题的原文件。")
        problem_downloads(preview)
    _offer_quarter(preview)
    if not preview.ok:
        return
    st.subheader("导入后会怎样")
    for line in ledger.summary_lines(preview):
        st.text(line)
    if len(preview.deleted):
        st.markdown(f"**将删除的记录（{len(preview.deleted)} 条）**")
        st.dataframe(preview.deleted, hide_index=True, width="stretch", key="deleted_table",
                     height=_height(len(preview.deleted)))
    if len(preview.merge.kept):
        with st.expander(f"本文件未包含、将保留的记录（{int(preview.merge.kept['条数'].sum())} 条）"):
            st.dataframe(preview.merge.kept, hide_index=True, width="stretch",
                         column_config={"记录": st.column_config.TextColumn("记录", width="large")})
    if preview.unchanged:
        st.info("与当前版本相比没有变化，不需要导入。", icon=":material/info:")
        return
    counts = preview.changes.counts()
    if len(counts):
        tables.show(counts, width="content")
        with st.expander(f"逐项变化（{len(preview.changes.rows)} 项）"):
            st.dataframe(preview.changes.rows.head(5000), hide_index=True, width="stretch")
    note = st.text_input("版本说明（可选）", max_chars=200, key="import_note")
    confirmed = True
    if preview.mass_deletion:
        st.warning(f"本次导入将删除 {len(preview.deleted)} 条记录（超过 {ledger_merge.MASS_DELETION_TEXT}）。"
                   "请逐条核对上面的删除清单。", icon=":material/warning:")
        confirmed = st.checkbox(f"我已核对删除清单，确认删除这 {len(preview.deleted)} 条记录", key="confirm_deletion")
    if st.button("确认导入", type="primary", icon=":material/cloud_upload:", disabled=not confirmed):
        user = login.require_editor()
        try:
            number = ledger.commit(store(), preview, user=user.username, note=note,
                                   confirm_mass_deletion=confirmed)
        except StoreError as error:
            st.error(md(str(error)), icon=":material/error:")
            return
        st.session_state.pop(PREVIEW, None)
        st.session_state[IMPORTED] = f"已导入为 {md(preview.quarter)} 的第 {number} 版。地图和统计已更新。"
        forget_cached_data()
        st.rerun()  # every panel and the sidebar read the new revision


def _height(rows: int) -> int:
    return min(TABLE_HEIGHT, HEADER_PX + ROW_PX * rows)


def _offer_quarter(preview: ledger.Preview) -> None:
    """A file of another quarter (last quarter's workbook updated): one choice to take it as
    the chosen quarter's, re-checked with its 季度 column replaced."""
    other = [q for q in preview.ledger.file_quarters if q != preview.quarter]
    options = st.session_state.get(CHECKED)
    if not other or options is None or preview.ledger.source is None:
        return
    if any(p.column == "季度" and p.level == ledger_import.ERROR for p in preview.ledger.problems):
        if st.button(f"按 {preview.quarter} 导入", icon=":material/event_repeat:", key="take_quarter",
                     help=f"把文件“季度”列中的 {'、'.join(other)} 换成 {preview.quarter} 后重新核对。"):
            _check(preview.file_name, preview.ledger.source, options, replace_quarter=True)
            st.rerun()
