"""The login of this browser session: one for the whole app.

Users log in on the 数据管理 page (data_admin.login_form); the session state set there is read
here by every page that lets an editor change shared things (saved views). Kept apart from
data_admin so the shared sidebar does not load the import machinery.

The session only remembers who logged in: every call of current_user (every run that shows
editor things, and again just before every write) asks the database whether that user still
exists with the same role and password, and ends the session with a Chinese message if not.
"""
from __future__ import annotations

import ipaddress
import secrets
import time

import streamlit as st

from .. import config
from ..data import users
from .session import store

SESSION = "data_admin_user"  # {"username", "role", "credential", "last_active"}
LOGIN_MESSAGE = "data_admin_login_message"
SESSION_SOURCE = "login_source"  # this session's id: the source of its logins when no address is known


def source() -> str:
    """Where this session's login attempts come from: the browser's address (Streamlit's
    server takes it from X-Forwarded-For only when the proxy is trusted: uvicorn's
    FORWARDED_ALLOW_IPS, the local machine by default), else this session."""
    address = st.context.ip_address
    if isinstance(address, str):
        try:  # anything else (a test harness's stand-in, a header's junk) is no address
            return str(ipaddress.ip_address(address))
        except ValueError:
            pass
    if SESSION_SOURCE not in st.session_state:
        st.session_state[SESSION_SOURCE] = f"会话 {secrets.token_hex(4)}"
    return st.session_state[SESSION_SOURCE]


def start(user: users.User) -> None:
    """Remember `user` as this session's login."""
    st.session_state[SESSION] = dict(username=user.username, role=user.role, credential=user.credential,
                                     last_active=time.time())


def end(message: str | None = None) -> None:
    """Log this session out; `message` is shown on the 数据管理 page's login form."""
    st.session_state.pop(SESSION, None)
    if message:
        st.session_state[LOGIN_MESSAGE] = message


def current_user() -> users.User | None:
    """The logged-in user of this browser session as the database has them now, or None
    (logged out after inactivity, or the account removed or changed since the login)."""
    session = st.session_state.get(SESSION)
    if not session:
        return None
    if time.time() - session["last_active"] > config.SESSION_TIMEOUT_MINUTES * 60:
        end(f"超过 {config.SESSION_TIMEOUT_MINUTES} 分钟没有操作，已自动退出，请重新登录。")
        return None
    user = users.User(session["username"], session["role"], session.get("credential", ""))
    ended = users.session_ended(store(), user)
    if ended:
        end(ended)
        return None
    session["last_active"] = time.time()
    return user


def can_edit() -> bool:
    """May this session change shared things (saved views)? Only an editor or admin logged in
    on the 数据管理 page."""
    return editor() is not None


def editor() -> users.User | None:
    """The logged-in user if an editor or admin, else None. Call it again right before a write."""
    user = current_user()
    return user if user is not None and user.can("editor") else None


def require_editor() -> users.User:
    """The session's editor as the database has them now, checked right before a write; if
    the login ended meanwhile the page reruns and says why (then this never returns)."""
    user = editor()
    if user is None:
        st.rerun()
    return user


# How accounts are made, said where a newcomer first meets the login form: there is no sign-up
# in the app, and a new installation has no account at all.
ADD_USER_COMMAND = "python -m fupin_geo users add 用户名 --role {role}"
NO_ACCOUNT_YET = ("还没有任何账户：第一个账户须在服务器上用命令行添加。在项目目录下运行 "
                  f"`.venv/bin/{ADD_USER_COMMAND.format(role='admin')}`，按提示输入两次密码，然后在此登录。"
                  "角色：admin 管理员、editor 编辑、viewer 查看；`python -m fupin_geo users --help` 查看全部用户命令。")
ACCOUNTS_HINT = ("浏览地图不需要登录；导入数据、恢复版本、保存演示视图和查看操作日志需要登录。"
                 "账户由管理员在服务器的命令行中添加："
                 f"`{ADD_USER_COMMAND.format(role='editor')}`（按提示输入密码）。"
                 "连续输错密码后，同一来源需等待一段时间才能再试。")


def accounts_hint() -> tuple[str, bool]:
    """What the login form says about accounts, and whether none exists yet (then it is the
    first thing to do)."""
    if not users.all_users(store()):
        return NO_ACCOUNT_YET, True
    return ACCOUNTS_HINT, False

