"""At the meeting room's 1280×720: the KPI cards' gap and change are whole (not cut to
"目标 …"), and 总览's county × target table shows every column without scrolling sideways."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fupin_geo import config, ui
from tests.browser.timeouts import TIMEOUT_MS

KPI_CARD = f'[class*="st-key-{ui.card_key(ui.KPI_CARDS, "")}"]'


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    yield context.new_page()
    context.close()


def test_cards_show_gap_and_change_whole_at_1280(app_url, projector, artifacts):
    page = projector
    page.goto(app_url)
    cards = page.locator(KPI_CARD)
    expect(cards).to_have_count(len(config.TARGETS), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1, timeout=TIMEOUT_MS)
    for index in range(cards.count()):
        card = cards.nth(index)
        box = card.bounding_box()
        gap = card.get_by_text("达标").or_(card.get_by_text("差 ")).first
        gap_box = gap.bounding_box()
        assert gap_box["x"] + gap_box["width"] <= box["x"] + box["width"], gap.inner_text()
        assert "目标" not in gap.inner_text() and "…" not in gap.inner_text()
        change = card.get_by_test_id("stCaptionContainer")
        expect(change).to_contain_text("较上季")
        lines = change.locator("p").first.evaluate(
            "p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight)")
        assert lines < 1.5, (change.inner_text(), lines)
    page.screenshot(path=str(artifacts / "overview-cards-1280.png"))


def test_county_table_fits_the_width_at_1280(app_url, projector, artifacts):
    page = projector
    page.goto(app_url)
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_have_count(1, timeout=TIMEOUT_MS)
    table.scroll_into_view_if_needed()
    scroller = table.locator(".dvn-scroller").first
    expect(scroller).to_be_attached(timeout=TIMEOUT_MS)
    widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths  # no sideways scrolling: every target in view
    page.screenshot(path=str(artifacts / "overview-county-table-1280.png"))
