"""The 会议简报 page through AppTest: saved views listed and started, the presentation bar
and its style, only a logged-in editor saving, moving and deleting views, and the briefing
built with progress into two downloads."""
from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.data import audit, users
from fupin_geo.data.store import Store
from fupin_geo.data.views import SavedViews
from fupin_geo.ui import login
from fupin_geo.ui.panels import briefing, presentation

APP = config.REPO_DIR / "app.py"
PAGE = "pages/briefing.py"
HOSTILE = "<img src=x onerror=alert(1)>**粗**"


@pytest.fixture
def views_db(tmp_path, monkeypatch, seeded_db_url):
    """A copy of the seeded database with two saved views (one with a hostile name), an
    editor and a viewer."""
    import shutil

    source = seeded_db_url.removeprefix("sqlite:///")
    target = tmp_path / "views.sqlite"
    shutil.copy(source, target)
    url = f"sqlite:///{target}"
    views = SavedViews(Store(url))
    views.add(HOSTILE, "cooperation", {"city": config.LIUZHOU}, "2019Q2")
    views.add("遂溪产业", "industry_map", {"county": "440823"}, None)
    users.add(views.store, "editor1", "editor-pass-1", "editor")
    users.add(views.store, "viewer1", "viewer-pass-1", "viewer")
    monkeypatch.setenv(config.DB_URL_ENV, url)
    return url


def open_page(query=None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_saved_views_are_listed_and_start_presentation(views_db):
    at = open_page()
    table = next(d.value for d in at.dataframe if "名称" in d.value.columns)
    assert table["名称"].tolist() == [HOSTILE, "遂溪产业"]  # a value in a table: never markup
    assert table["页面"].tolist() == ["湛柳协作", "产业地图"] and table["数据季度"].tolist() == ["2019Q2", "最新"]
    at.button(key="briefing_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # the first view: its quarter is now the sidebar's (the page switch itself is checked in
    # the browser test: AppTest keeps running the page it was switched to)
    assert at.session_state[presentation.PRESENTING] is True
    assert at.session_state["quarter"] == "2019Q2" and at.session_state[presentation.STEP] == 0


def logged_in(name: str, password: str) -> AppTest:
    """Log in on 数据管理 as a user would, then open 会议简报 in the same session."""
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.switch_page("pages/data_admin.py").run()
    at.main.text_input[0].input(name)
    at.main.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[login.SESSION]["username"] == name
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def save_form_shown(at: AppTest) -> bool:
    return any(t.label == "视图名称" for t in at.sidebar.text_input) or any(
        b.label == "保存" for b in at.sidebar.button)


def captions(at: AppTest, where) -> str:
    return " ".join(c.value for c in where.caption)


def test_a_visitor_sees_how_to_log_in_instead_of_the_save_form(views_db):
    at = open_page()
    assert not save_form_shown(at)
    assert presentation.LOGIN_NEEDED in captions(at, at.sidebar)
    assert not [b for b in at.button if b.key in ("briefing_up", "briefing_down", "briefing_delete")]
    assert briefing.EDIT_NEEDED in captions(at, at.main)
    assert len(SavedViews(Store(views_db)).all()) == 2


def test_a_viewer_cannot_save_or_change_views(views_db, navigation_mode):
    at = logged_in("viewer1", "viewer-pass-1")
    assert not save_form_shown(at)
    assert presentation.ROLE_NEEDED in captions(at, at.sidebar)
    assert not [b for b in at.button if b.key in ("briefing_up", "briefing_down", "briefing_delete")]
    assert len(SavedViews(Store(views_db)).all()) == 2


def test_an_editor_saves_moves_and_deletes_views(views_db, navigation_mode):
    at = logged_in("editor1", "editor-pass-1")
    assert presentation.LOGIN_NEEDED not in captions(at, at.sidebar)
    at.sidebar.text_input(key=presentation.SAVE_NAME).input(HOSTILE + "\n第三个")
    at.sidebar.button(key="present_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    names = [v.name for v in SavedViews(Store(views_db)).all()]
    assert names == [HOSTILE, "遂溪产业", HOSTILE + " 第三个"]
    third = SavedViews(Store(views_db)).all()[2]
    assert third.page == "briefing" and third.quarter == "2019Q4"
    at.selectbox(key="briefing_view").set_value(third.id).run()
    at.button(key="briefing_up").click().run()
    assert [v.id for v in SavedViews(Store(views_db)).all()][1] == third.id
    at.button(key="briefing_delete").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [v.name for v in SavedViews(Store(views_db)).all()] == [HOSTILE, "遂溪产业"]
    log = audit.entries(Store(views_db))
    mine = log[log["用户"] == "editor1"]["操作"].tolist()
    assert mine[:3] == ["删除视图", "调整视图顺序", "保存视图"]  # newest first


def test_a_login_that_timed_out_saves_nothing(views_db, navigation_mode):
    at = logged_in("editor1", "editor-pass-1")
    at.sidebar.text_input(key=presentation.SAVE_NAME).input("过期")
    at.session_state[login.SESSION]["last_active"] = time.time() - config.SESSION_TIMEOUT_MINUTES * 60 - 1
    at.sidebar.button(key="present_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(SavedViews(Store(views_db)).all()) == 2
    assert not save_form_shown(at) and presentation.LOGIN_NEEDED in captions(at, at.sidebar)


@pytest.mark.parametrize("change", [lambda store: users.remove(store, "editor1"),
                                    lambda store: users.set_role(store, "editor1", "viewer")])
def test_an_editor_removed_or_demoted_meanwhile_saves_and_deletes_nothing(views_db, navigation_mode, change):
    at = logged_in("editor1", "editor-pass-1")
    at.sidebar.text_input(key=presentation.SAVE_NAME).input("删除之后")
    change(Store(views_db))
    at.sidebar.button(key="present_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(SavedViews(Store(views_db)).all()) == 2
    assert login.SESSION not in at.session_state and not save_form_shown(at)
    assert not [b for b in at.button if b.key == "briefing_delete"]


def test_url_parameter_starts_presentation_without_views(app_env):
    at = open_page({config.PRESENT_PARAM: "1"})
    assert any(presentation.STYLE == h.proto.body for h in at.get("html"))
    # no view saved: the default tour, ready to start
    assert any(f"共 {len(presentation.TOUR)} 个视图（{presentation.TOUR_NOTE}）" in m.value for m in at.markdown)
    assert not at.button(key=presentation.NEXT).disabled


def test_briefing_builds_with_progress_into_two_downloads(app_env):
    at = open_page()
    at.selectbox(key="briefing_scope").set_value("440823").run()
    at.button(key="briefing_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["下载 PPTX", "下载 PDF"]
    (progress,) = at.get("progress")
    assert progress.proto.value == 100 and "完成" in progress.proto.text  # the bar ran to its end
    assert "status" in [e.type for e in at.main]
    assert any("简报（遂溪县）" in c.value for c in at.main.caption)


def test_without_saved_views_presentation_tours_the_map_pages(app_env):
    at = open_page()
    assert not SavedViews(Store(app_env)).all()
    (note,) = [i.value for i in at.info if "还没有保存的视图" in i.value]
    assert "总览 → 产业地图 → 联农带农 → 基础设施 → 短板排查 → 湛柳协作" in note
    assert "2019Q4" in note and "保存当前视图" in note  # the quarter shown, and how to save a view
    start = at.button(key="briefing_start")
    assert not start.disabled
    start.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[presentation.PRESENTING] is True and at.session_state[presentation.STEP] == 0
    at.button(key=presentation.NEXT).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[presentation.STEP] == 1
    bar = " ".join(m.value for m in at.markdown)
    assert f"2 / 6　产业地图（{presentation.TOUR_NOTE}）" in bar
    assert [v.page for v in presentation.default_tour()] == list(presentation.TOUR)
