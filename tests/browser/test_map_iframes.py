"""The rule of ui.show_map, seen from the browser: a filter, a layer switch or a quarter
change never replaces the map's iframe (st_folium builds a new one whenever the base map's
script changes; that costs seconds at 20,000 villages and loses the user's extent)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fupin_geo.analysis import filters, indicators
from tests.browser.cards import card_value
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SUIXI = "440823"

# Counts every map iframe put into the page (top window only; init scripts run in frames too).
_COUNT_IFRAMES = """
if (window.top === window) {
    window.__mapFramesAdded = 0;
    new MutationObserver(records => {
        for (const record of records) {
            for (const node of record.addedNodes) {
                if (node.nodeType !== 1) continue;
                const found = node.matches('iframe[title="streamlit_folium.st_folium"]') ? [node]
                    : [...node.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')];
                window.__mapFramesAdded += found.length;
            }
        }
    }).observe(document, {childList: true, subtree: true});
}
"""
# Marks the map's window: a reloaded or replaced frame loses the mark.
_MARK = "() => { window.__fupinMark = 'kept'; return window.map !== undefined; }"
_MARKED = "() => window.__fupinMark === 'kept'"


@pytest.fixture
def counted_page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    context.add_init_script(_COUNT_IFRAMES)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page, requests
    context.close()


def _map_frame(page):
    (frame,) = [f for f in page.frames if f.url and "streamlit_folium" in f.url]
    return frame


def _villages(page):
    return page.frame_locator(MAP_FRAME).locator("path.fupin-villages")


def _choose_quarter(page, quarter: str):
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=quarter, exact=True).click()


def _foreign(requests):
    from urllib.parse import urlparse
    return [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname not in ("127.0.0.1", "localhost")]


def test_industry_map_keeps_its_iframe(app_url, counted_page, demo_datasets, artifacts):
    page, requests = counted_page
    q1, q4 = demo_datasets[0], demo_datasets[-1]
    page.goto(app_url + "/industry_map")
    expect(_villages(page)).to_have_count(len(q4.villages), timeout=TIMEOUT_MS)
    assert _map_frame(page).evaluate(_MARK)
    assert page.evaluate("window.__mapFramesAdded") == 1

    # a filter
    page.get_by_role("button", name="遂溪县", exact=True).click()  # the county's pill
    suixi = filters.VillageFilter(counties=(SUIXI,))
    expect(_villages(page)).to_have_count(len(filters.apply(q4, suixi).villages), timeout=TIMEOUT_MS)
    # a layer switch
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".fupin-parks")).not_to_have_count(0)
    page.get_by_text("产业园", exact=True).click()
    expect(frame.locator(".fupin-parks")).to_have_count(0, timeout=TIMEOUT_MS)
    # a quarter change (the counts tell when its run is drawn)
    before = indicators.industry_counts(filters.apply(q4, suixi))["有产业的村"]
    after = indicators.industry_counts(filters.apply(q1, suixi))["有产业的村"]
    assert before != after, "pick a measure that differs between the quarters"
    _choose_quarter(page, q1.quarter)
    expect(card_value(page, "有产业的村")).to_have_text(f"{after:,}", timeout=TIMEOUT_MS)
    expect(_villages(page)).to_have_count(len(filters.apply(q1, suixi).villages), timeout=TIMEOUT_MS)

    page.screenshot(path=str(artifacts / "industry-iframe-kept.png"), full_page=True)
    assert page.evaluate("window.__mapFramesAdded") == 1, "the map's iframe was replaced"
    assert _map_frame(page).evaluate(_MARKED), "the map's frame was reloaded"
    # the map moved to the filtered villages with centre and zoom: 遂溪 is in view
    village = filters.apply(q4, suixi).villages.iloc[0]
    inside = _map_frame(page).evaluate(
        "([lat, lng]) => window.map.getBounds().contains([lat, lng]) && window.map.getZoom() > 9",
        [float(village["lat"]), float(village["lon"])])
    assert inside
    assert _foreign(requests) == []


def test_overview_keeps_its_iframe(app_url, counted_page, demo_datasets, artifacts):
    page, requests = counted_page
    q1, q4 = demo_datasets[0], demo_datasets[-1]
    page.goto(app_url + "/")
    expect(_villages(page)).to_have_count(len(q4.villages), timeout=TIMEOUT_MS)
    assert _map_frame(page).evaluate(_MARK)
    _choose_quarter(page, q1.quarter)
    expect(page.get_by_text(f"数据季度：{q1.quarter}")).to_be_visible(timeout=TIMEOUT_MS)
    expect(_villages(page)).to_have_count(len(q1.villages), timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "overview-iframe-kept.png"), full_page=True)
    assert page.evaluate("window.__mapFramesAdded") == 1, "the map's iframe was replaced"
    assert _map_frame(page).evaluate(_MARKED), "the map's frame was reloaded"
    assert _foreign(requests) == []
