"""The 数据管理 page through AppTest: login, lockout message, session timeout, panels per role."""
from __future__ import annotations

import time
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.data import audit, users
from fupin_geo.data.store import Store
from tests.fakes import FakeFolium

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
    assert [t.label for t in at.tabs] == ["导入台账", "填报进度", "版本", "在地图上定位", "操作日志", "模板"]
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


def new_position_shown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("新位置")]


def test_a_click_is_offered_only_for_the_village_it_was_made_for(env, monkeypatch):
    from fupin_geo import ui

    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = log_in(open_page(), "editor1", "editor-pass")
    assert fake.calls, "the panel did not call fupin_geo.ui.mapview.st_folium: monkeypatching has no effect"
    assert not new_position_shown(at)
    fake.click_map(21.26001, 110.27002)  # the editor clicks the map
    at.run()
    assert new_position_shown(at) == ["新位置：经度 **110.27002**，纬度 **21.26001**"]
    # another village chosen: the map still reports that click, which was not made for it
    villages = Store(env).load().villages
    choice = at.selectbox(key="locate_village")
    other = next(c for c in villages.loc[villages["position_quality"] == "近似", "code"] if c != choice.value)
    choice.set_value(other).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not new_position_shown(at) and not [b for b in at.button if b.label == "保存位置"]
    fake.click_map(21.3, 110.3)  # a click made for it counts
    at.run()
    assert new_position_shown(at) == ["新位置：经度 **110.30000**，纬度 **21.30000**"]


def test_streamlit_upload_limit_matches_the_setting():
    settings = tomllib.loads((config.REPO_DIR / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["maxUploadSize"] == config.MAX_UPLOAD_MB


def test_versions_and_the_log_show_beijing_time_and_a_dash(env):
    at = log_in(open_page(), "editor1", "editor-pass")
    tables = {tuple(t.value.columns): t for t in at.dataframe}
    versions = next(t for columns, t in tables.items() if "版本" in columns and "类型" in columns)
    assert "时间（北京时间）" in versions.value.columns and "时间UTC" not in versions.value.columns
    latest = Store(env).revisions(Store(env).quarters()[-1])[-1]
    assert versions.value["时间（北京时间）"].iloc[0] == audit.beijing_time(latest.created_at)
    log = next(t for columns, t in tables.items() if "操作" in columns)
    assert "时间（北京时间）" in log.value.columns
    login = log.value[log.value["操作"] == "登录"].iloc[0]
    assert (login["季度"], login["版本"], login["文件"]) == ("—", "—", "—")
    assert log.proto.placeholder == versions.proto.placeholder == "—"


def _problem_downloads_page(name: str, data: bytes, db_url: str) -> None:
    from fupin_geo.data import ledger
    from fupin_geo.data.store import Store
    from fupin_geo.ui.panels import import_problems

    import_problems.problem_downloads(ledger.check(Store(db_url), name, data, "2019Q4"))


def test_a_checked_file_offers_its_problem_list_and_a_marked_copy(env):
    from fupin_geo.data import ledger_report

    data = "村代码,村名\n440823115207,官湖村\n".encode()  # most columns missing: errors
    at = AppTest.from_function(_problem_downloads_page, args=("台账.csv", data, env), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert list(buttons) == ["下载问题清单（.xlsx）", "下载标出问题的原文件（.xlsx）"]
    assert all(b.deferred_file_id and b.ignore_rerun for b in buttons.values())  # built on click
    assert buttons["下载标出问题的原文件（.xlsx）"].help.startswith("原文件的副本")
    # what the marked copy's button builds is the file's rows, as a workbook
    from fupin_geo.data import ledger

    preview = ledger.check(Store(env), "台账.csv", data, "2019Q4")
    assert ledger_report.marked_copy(preview.ledger, "台账.csv", preview.ledger.source)[:2] == b"PK"
