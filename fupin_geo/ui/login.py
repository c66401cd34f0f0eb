"""The login of this browser session: one for the whole app.

Users log in on the 数据管理 page (data_admin.login_form); the session state set there is read
here by every page that lets an editor change shared things (saved views). Kept apart from
data_admin so the shared sidebar does not load the import machinery.
"""
from __future__ import annotations

import time

import streamlit as st

from .. import config
from ..data import users

SESSION = "data_admin_user"  # {"username", "role", "last_active"}
LOGIN_MESSAGE = "data_admin_login_message"


def current_user() -> users.User | None:
    """The logged-in user of this browser session, or None (logged out after inactivity)."""
    session = st.session_state.get(SESSION)
    if not session:
        return None
    if time.time() - session["last_active"] > config.SESSION_TIMEOUT_MINUTES * 60:
        del st.session_state[SESSION]
        st.session_state[LOGIN_MESSAGE] = (f"超过 {config.SESSION_TIMEOUT_MINUTES} 分钟没有操作，"
                                           "已自动退出，请重新登录。")
        return None
    session["last_active"] = time.time()
    return users.User(session["username"], session["role"])


def editor() -> users.User | None:
    """The logged-in user if an editor or admin, else None."""
    user = current_user()
    return user if user is not None and user.can("editor") else None
