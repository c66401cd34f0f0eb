"""Presentation mode in a real browser at projector size (1280×720): an editor logs in on
数据管理 (a visitor sees no save form), saves two views from the sidebar, starts presentation mode,
and steps through them with the arrow key and the button. Nothing leaves the machine."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from fupin_geo import config
from fupin_geo.data import demo, users
from fupin_geo.data.store import Store
from fupin_geo.data.views import SavedViews
from fupin_geo.ui.panels.presentation import LOGIN_NEEDED
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SUIXI = "440823"


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory, serve):
    """Its own server and database, so the saved views are only this test's."""
    folder = tmp_path_factory.mktemp("present")
    url = f"sqlite:///{folder / 'fupin.sqlite'}"
    store = Store(url)
    demo.ensure_seeded(store)  # the first-start path is the other browser tests' subject
    users.add(store, "editor1", "editor-pass-1", "editor")
    with serve(folder, url) as base:
        yield base, url


def _save_view(page, name: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expander = sidebar.get_by_test_id("stExpander").filter(has_text="保存当前视图").locator("details")
    if expander.get_attribute("open") is None:  # it stays open from the page before
        sidebar.get_by_text("保存当前视图").click()
    field = sidebar.get_by_label("视图名称")
    expect(field).to_be_visible(timeout=TIMEOUT_MS)
    field.fill(name)
    field.press("Enter")
    sidebar.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text(f"已保存视图：{name}")).to_be_visible(timeout=TIMEOUT_MS)


def _query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _query(page) -> dict[str, list[str]]:
    return _query_of(page.url)


def _go(page, title: str) -> None:
    """Open a page through the app's navigation (same session, so the login holds)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=TIMEOUT_MS)


@pytest.mark.timeout(900)  # a fresh server, two pages, four maps: minutes on a busy machine
def test_step_through_two_saved_views_at_1280x720(fresh_app, browser, artifacts):
    base, db_url = fresh_app
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        # a visitor sees one line where the save form would be
        page.goto(f"{base}/data_admin")
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text(LOGIN_NEEDED)).to_be_visible(timeout=TIMEOUT_MS)
        expect(sidebar.get_by_text("保存当前视图")).to_have_count(0)
        page.screenshot(path=str(artifacts / "presentation_visitor_sidebar.png"))
        # the editor logs in on 数据管理; the login holds while they move through the app (a
        # typed address or a reload would start a new session, logged out)
        page.get_by_label("用户名").fill("editor1")
        page.get_by_label("密码").fill("editor-pass-1")
        page.get_by_role("button", name="登录").click()
        expect(sidebar.get_by_text("保存当前视图")).to_be_visible(timeout=TIMEOUT_MS)
        expect(sidebar.get_by_text(LOGIN_NEEDED)).to_have_count(0)

        # view 1: 湛柳协作 zoomed to 柳州, 2019 only
        _go(page, "湛柳协作")
        expect(page.frame_locator(MAP_FRAME).locator("path.fupin-pairings")).to_have_count(3, timeout=TIMEOUT_MS)
        page.get_by_test_id("stButtonGroup").get_by_role("radio", name="柳州市").click()
        page.get_by_role("combobox", name="年份").click()
        page.get_by_role("option", name="2019", exact=True).click()
        page.wait_for_url(lambda url: _query_of(url).get("year") == ["2019"] and "city" in _query_of(url),
                          timeout=TIMEOUT_MS)
        _save_view(page, "柳州三县结对")
        # view 2: 产业地图, 遂溪 only, at the 2019Q2 data
        _go(page, "产业地图")
        expect(page.frame_locator(MAP_FRAME).locator("path.fupin-villages").first).to_be_attached(timeout=TIMEOUT_MS)
        page.get_by_role("button", name="遂溪县", exact=True).click()  # the county's pill
        page.wait_for_url(lambda url: _query_of(url).get("county") == [SUIXI], timeout=TIMEOUT_MS)
        page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
        page.get_by_role("option", name="2019Q2").click()
        page.wait_for_function(  # the select shows its value in an input or as text
            """() => { const box = document.querySelector('[data-testid="stSidebar"] [data-testid="stSelectbox"]');
                       return box && (box.innerText.includes("2019Q2")
                              || [...box.querySelectorAll("input")].some(i => i.value === "2019Q2")); }""",
            timeout=TIMEOUT_MS)
        _save_view(page, "遂溪产业")

        saved = SavedViews(Store(db_url)).all()
        assert [(v.name, v.page, v.quarter) for v in saved] == [
            ("柳州三县结对", "cooperation", "2019Q4"), ("遂溪产业", "industry_map", "2019Q2")]
        assert saved[0].params.get("city") == config.LIUZHOU and saved[1].params.get("county") == SUIXI

        # start from the 会议简报 page; the first step shows view 1
        _go(page, "会议简报")
        page.get_by_role("button", name="开始演示").click()
        bar = page.locator(".st-key-fupin_present_bar")
        expect(bar).to_contain_text("1 / 2", timeout=TIMEOUT_MS)
        expect(bar).to_contain_text("柳州三县结对")
        expect(page.get_by_role("heading", name="湛柳协作")).to_be_visible(timeout=TIMEOUT_MS)
        assert _query(page).get("city") == [config.LIUZHOU]
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        expect(page.get_by_role("combobox", name="年份")).to_be_hidden()  # controls hidden
        title_px = page.get_by_role("heading", name="湛柳协作").evaluate(
            "e => Math.min(...[e, ...e.querySelectorAll('*')].map(x => parseFloat(getComputedStyle(x).fontSize)))")
        assert title_px >= 34
        page.screenshot(path=str(artifacts / "presentation_1280_view1.png"))

        # → key: view 2, the 产业地图 of 遂溪 at 2019Q2
        page.locator("body").press("ArrowRight")
        expect(bar).to_contain_text("2 / 2", timeout=TIMEOUT_MS)
        expect(bar).to_contain_text("遂溪产业")
        expect(page.get_by_role("heading", name="产业地图")).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.frame_locator(MAP_FRAME).locator("path.fupin-villages").first).to_be_attached(timeout=TIMEOUT_MS)
        assert _query(page).get("county") == [SUIXI]
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        page.screenshot(path=str(artifacts / "presentation_1280_view2.png"))

        # the button wraps round to view 1
        bar.get_by_role("button", name="下一个").click()
        expect(bar).to_contain_text("1 / 2", timeout=TIMEOUT_MS)
        expect(page.get_by_role("heading", name="湛柳协作")).to_be_visible(timeout=TIMEOUT_MS)

        # leaving brings the sidebar back
        bar.get_by_role("button", name="退出演示").click()
        expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=TIMEOUT_MS)
        hosts = {urlparse(u).hostname for u in requested if urlparse(u).scheme in ("http", "https", "ws", "wss")}
        assert hosts <= {"127.0.0.1", "localhost"}
    finally:
        context.close()
