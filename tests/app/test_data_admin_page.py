"""The 数据管理 page through AppTest: login, wrong passwords slowing down only their session,
session timeout and end when the account changes, panels per role."""
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
EDITOR_PASSWORD, VIEWER_PASSWORD = "editor-pass-1", "viewer-pass-1"


@pytest.fixture(scope="module")
def admin_db(tmp_path_factory, seeded_db_url):
    """A copy of the seeded database with an editor and a viewer."""
    path = tmp_path_factory.mktemp("admin") / "fupin.sqlite"
    path.write_bytes(open(seeded_db_url.removeprefix("sqlite:///"), "rb").read())
    url = f"sqlite:///{path}"
    store = Store(url)
    users.add(store, "editor1", EDITOR_PASSWORD, "editor")
    users.add(store, "viewer1", VIEWER_PASSWORD, "viewer")
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


def test_a_new_installation_says_how_to_make_the_first_account(monkeypatch, seeded_db_url, navigation_mode):
    """The seeded database has no account: the form must say the exact command, which exists."""
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)
    assert not users.all_users(Store(seeded_db_url))
    at = open_page()
    (first,) = [w.value for w in at.main.warning if "还没有任何账户" in w.value]
    assert "`.venv/bin/python -m fupin_geo users add 用户名 --role admin`" in first
    # the command as written is the command line's own: users add, with that role option
    from click.testing import CliRunner

    from fupin_geo.cli import main
    help_text = CliRunner().invoke(main, ["users", "add", "--help"]).output
    assert "USERNAME" in help_text and "--role [viewer|editor|admin]" in help_text


def test_with_accounts_the_form_says_an_admin_adds_them(env):
    at = open_page()
    assert not [w for w in at.main.warning if "还没有任何账户" in w.value]
    (hint,) = [i.value for i in at.main.info if "命令行" in i.value]
    assert "`python -m fupin_geo users add 用户名 --role editor`" in hint


def test_an_editor_logs_in_and_sees_every_panel(env):
    at = log_in(open_page(), "editor1", EDITOR_PASSWORD)
    assert [t.label for t in at.tabs] == ["导入台账", "填报进度", "版本", "在地图上定位", "操作日志", "模板"]
    assert "已登录：editor1（编辑）" in " ".join(c.value for c in at.caption).replace("\\", "")
    assert any(b.label == "核对文件" for b in at.get("form_submit_button")) or at.button
    log = audit.entries(Store(env))
    assert (log["用户"] == "editor1").any() and (log["操作"] == "登录").any()


def test_the_import_form_says_the_row_and_cell_caps(env, monkeypatch):
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", 12_345)
    at = log_in(open_page(), "editor1", EDITOR_PASSWORD)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert f"每张表不超过 12,345 行，整个文件不超过 {config.MAX_CELLS:,} 个单元格" in captions
    assert "请按县区或季度拆分后分别导入" in captions


def test_the_uploader_is_written_over_in_chinese(env):
    from fupin_geo.ui.edge import uploader
    from fupin_geo.ui.panels import import_panel

    at = log_in(open_page(), "editor1", EDITOR_PASSWORD)
    styles = [h.proto.body for h in at.get("html")]
    assert uploader.style(config.MAX_UPLOAD_MB, import_panel.UPLOAD_TYPES) in styles
    assert f"不超过 {config.MAX_UPLOAD_MB} MB（XLSX、XLS、CSV）" in uploader.limit_text(config.MAX_UPLOAD_MB,
                                                                                   import_panel.UPLOAD_TYPES)


def test_a_viewer_cannot_import(env):
    at = log_in(open_page(), "viewer1", VIEWER_PASSWORD)
    assert any("导入需要" in i.value for i in at.info)


def test_an_idle_session_times_out(env):
    at = log_in(open_page(), "editor1", EDITOR_PASSWORD)
    at.session_state["data_admin_user"]["last_active"] = time.time() - config.SESSION_TIMEOUT_MINUTES * 60 - 1
    at.run()
    assert not at.tabs
    assert any("自动退出" in w.value for w in at.warning)


@pytest.fixture
def long_waits(monkeypatch):
    """Waits far longer than a slow test run: an attempt meant to be refused is refused."""
    monkeypatch.setattr(config, "LOGIN_DELAY_FIRST_S", 10 * 60)


def test_wrong_passwords_in_one_browser_do_not_lock_out_another(env, long_waits):
    users.add(Store(env), "target", "target password", "editor")
    guesser = open_page()
    for _ in range(config.LOGIN_FREE_FAILURES + 3):
        log_in(guesser, "target", "wrong guess")
    refused = [e.value for e in guesser.error][-1]
    assert "尝试次数过多" in refused and "锁定" not in refused
    log_in(guesser, "target", "target password")
    assert not guesser.tabs  # the guessing browser waits, even with the right password
    assert log_in(open_page(), "target", "target password").tabs  # the real user's does not


def test_an_admin_sees_which_accounts_a_source_must_wait_to_try(env, long_waits):
    store = Store(env)
    users.add(store, "chief", "chief password", "admin")
    for _ in range(config.LOGIN_FREE_FAILURES):
        users.login(store, "viewer1", "wrong guess", source="10.9.9.9")
    at = log_in(open_page(), "chief", "chief password")
    table = next(d.value for d in at.dataframe if "需等待再试的来源数" in d.value.columns).set_index("用户名")
    assert table.loc["viewer1", "需等待再试的来源数"] == 1 and table.loc["viewer1", "角色"] == "查看"
    assert table.loc["chief", "需等待再试的来源数"] == 0
    assert "连续输错次数" not in table.columns and "锁定至（北京时间）" not in table.columns


def test_an_unknown_name_gets_the_same_answers_as_a_real_one(env, long_waits):
    answers = []
    for name in ("editor1", "no-such-user"):
        at = open_page()
        for _ in range(config.LOGIN_FREE_FAILURES + 1):
            log_in(at, name, "wrong guess")
        answers.append([e.value for e in at.error])
    assert answers[0] == answers[1] and "尝试次数过多" in answers[0][-1]


@pytest.mark.parametrize("name, change, message", [
    ("removed", lambda store, name: users.remove(store, name), users.REMOVED),
    ("demoted", lambda store, name: users.set_role(store, name, "viewer"), users.ROLE_CHANGED),
    ("renewed", lambda store, name: users.set_password(store, name, "a new long password"), users.PASSWORD_CHANGED),
])
def test_a_removed_or_changed_user_is_logged_out_with_a_message(env, name, change, message):
    users.add(Store(env), name, "changing password", "editor")
    at = log_in(open_page(), name, "changing password")
    assert [t.label for t in at.tabs][0] == "导入台账"
    change(Store(env), name)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.tabs and [t.label for t in at.main.text_input] == ["用户名", "密码"]
    assert message in [w.value for w in at.warning]
    assert "data_admin_user" not in at.session_state


def test_a_user_removed_while_the_page_is_open_cannot_restore_a_version(env):
    store = Store(env)
    users.add(store, "restorer", "restoring password", "editor")
    quarter = store.quarters()[-1]
    store.save(store.load(quarter), author="测试", kind="编辑", note="第二版")  # two versions to restore between
    at = log_in(open_page(), "restorer", "restoring password")
    before = store.latest_revision(quarter)
    sure = next(c for c in at.checkbox if c.label.startswith("我确认：以所选版本的数据新建一个版本"))
    sure.check()
    users.remove(store, "restorer")
    next(b for b in at.get("form_submit_button") if b.label == "恢复").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.latest_revision(quarter) == before
    assert users.REMOVED in [w.value for w in at.warning] and not at.tabs


def new_position_shown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("新位置")]


def test_a_click_is_offered_only_for_the_village_it_was_made_for(env, monkeypatch):
    from fupin_geo import ui

    fake = FakeFolium()
    monkeypatch.setattr(ui.mapview, "st_folium", fake)
    at = log_in(open_page(), "editor1", EDITOR_PASSWORD)
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
    at = log_in(open_page(), "editor1", EDITOR_PASSWORD)
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


def test_a_file_too_large_for_a_marked_copy_gets_the_problem_list_and_why(env, monkeypatch):
    monkeypatch.setattr(config, "MARKED_COPY_MAX_CELLS", 1)
    data = "村代码,村名\n440823115207,官湖村\n".encode()
    at = AppTest.from_function(_problem_downloads_page, args=("台账.csv", data, env), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [b.proto.label for b in at.get("download_button")] == ["下载问题清单（.xlsx）"]
    assert any("超过标出问题副本的上限 1 个" in c.value for c in at.caption)


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
