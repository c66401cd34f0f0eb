"""The 会议简报 page through AppTest: saved views listed and started, the presentation bar
and its style, and the briefing built with progress into two downloads."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.data.store import Store
from fupin_geo.data.views import SavedViews
from fupin_geo.ui import presentation

APP = config.REPO_DIR / "app.py"
PAGE = "pages/briefing.py"
HOSTILE = "<img src=x onerror=alert(1)>**粗**"


@pytest.fixture
def views_db(tmp_path, monkeypatch, seeded_db_url):
    """A copy of the seeded database with two saved views (one with a hostile name)."""
    import shutil

    source = seeded_db_url.removeprefix("sqlite:///")
    target = tmp_path / "views.sqlite"
    shutil.copy(source, target)
    url = f"sqlite:///{target}"
    views = SavedViews(Store(url))
    views.add(HOSTILE, "cooperation", {"city": config.LIUZHOU}, "2019Q2")
    views.add("遂溪产业", "industry_map", {"county": "440823"}, None)
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


def test_url_parameter_starts_presentation_without_views(app_env):
    at = open_page({config.PRESENT_PARAM: "1"})
    assert any(presentation.STYLE == h.proto.body for h in at.get("html"))
    assert any("还没有保存的视图" in m.value for m in at.markdown)


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
