"""The 数据管理 page through AppTest: login, lockout message, session timeout, panels per role."""
from __future__ import annotations

import time
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.data import audit, users
from fupin_geo.data.store import Store

APP = config.REPO_DIR / "app.py"


@pytest.fixture(scope="module")
def admin_db(tmp_path_factory, seeded_db_url):
    """A copy of the seeded database with an editor and a viewer."""
    path = tmp_path_factory.mktemp("admin") / "fupin.sqlite"
    path.write_bytes(open(seeded_db_url.removeprefix("sqlite:///"), "rb").read())
    url = f"sqlite:///{path}"
    store = Store(url)
    users.add(store, "editor1", "editor-pass", "editor")
    users.add(store, "viewer1", "viewer-pass", "viewer")
    return url


@pytest.fixture
def env(monkeypatch, admin_db, navigation_mode):
    monkeypatch.setenv(config.DB_URL_ENV, admin_db)
    return admin_db


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.switch_page("pages/data_admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.main.text_input[0].input(name)
    at.main.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_asks_for_a_login_and_shows_nothing_else(env):
    at = open_page()
    # the page itself (the sidebar holds the app's shared widgets, e.g. 保存当前视图)
    assert [t.label for t in at.main.text_input] == ["用户名", "密码"]
    assert not at.tabs
    at = log_in(at, "editor1", "wrong-pass")
    assert [e.value for e in at.error] == ["用户名或密码不正确"]
    assert not at.tabs


def test_an_editor_logs_in_and_sees_every_panel(env):
    at = log_in(open_page(), "editor1", "editor-pass")
    assert [t.label for t in at.tabs] == ["导入台账", "版本", "在地图上定位", "操作日志", "模板"]
    assert "已登录：editor1（编辑）" in " ".join(c.value for c in at.caption).replace("\\", "")
    assert any(b.label == "核对文件" for b in at.get("form_submit_button")) or at.button
    log = audit.entries(Store(env))
    assert (log["用户"] == "editor1").any() and (log["操作"] == "登录").any()


def test_a_viewer_cannot_import(env):
    at = log_in(open_page(), "viewer1", "viewer-pass")
    assert any("导入需要" in i.value for i in at.info)


def test_an_idle_session_times_out(env):
    at = log_in(open_page(), "editor1", "editor-pass")
    at.session_state["data_admin_user"]["last_active"] = time.time() - config.SESSION_TIMEOUT_MINUTES * 60 - 1
    at.run()
    assert not at.tabs
    assert any("自动退出" in w.value for w in at.warning)


def test_streamlit_upload_limit_matches_the_setting():
    settings = tomllib.loads((config.REPO_DIR / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["maxUploadSize"] == config.MAX_UPLOAD_MB
