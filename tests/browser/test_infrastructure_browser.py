"""The 基础设施 page in a real browser: switching the quarter changes the map and the numbers."""
from __future__ import annotations

from playwright.sync_api import expect

from fupin_geo.analysis import infrastructure
from tests.browser import first_page
from tests.browser.cards import card_value
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def test_switching_quarter_changes_gap_map_and_cards(app_url, recorded_page, demo_datasets, artifacts):
    q1, q4 = demo_datasets[0], demo_datasets[-1]
    below = {d.quarter: int(infrastructure.village_values(d)["ecommerce_below"].sum()) for d in (q1, q4)}
    share = {d.quarter: {s.indicator.key: s.value for s in infrastructure.city_summaries(d)}["ecommerce"]
             for d in (q1, q4)}
    assert below["2019Q1"] != below["2019Q4"]

    page = recorded_page.page
    page.goto(app_url)
    frame = page.frame_locator(MAP_FRAME)
    # from 总览 (the server may be seeding its database on this first visit) through the menu
    expect(frame.locator("path.leaflet-interactive")).not_to_have_count(0, timeout=TIMEOUT_MS)
    page.get_by_test_id("stSidebarNav").get_by_text("基础设施", exact=True).click()
    expect(page.get_by_role("heading", name="基础设施与人居环境")).to_be_visible(timeout=TIMEOUT_MS)
    # the default gap layer (toilets) is drawn; add the e-commerce one as a person would
    expect(frame.locator("path.fupin-gap-toilet")).not_to_have_count(0, timeout=TIMEOUT_MS)
    box = page.get_by_label("短板图层（未达标的村）", exact=True)
    box.click()
    box.fill("电商服务站点")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(frame.locator("path.fupin-gap-ecommerce")).to_have_count(below["2019Q4"], timeout=TIMEOUT_MS)
    expect(card_value(page, "电商服务站点")).to_have_text(f"{share['2019Q4']:.1%}")
    for title in ("短板：无害化卫生户厕", "短板：电商服务站点"):  # one legend per gap layer
        expect(frame.locator(f'[data-legend="{title}"]')).to_have_count(1)

    page.get_by_test_id("stSidebarUserContent").get_by_role("combobox", name="数据季度").click()
    page.get_by_role("option", name="2019Q1", exact=True).click()
    expect(frame.locator("path.fupin-gap-ecommerce")).to_have_count(below["2019Q1"], timeout=TIMEOUT_MS)
    expect(card_value(page, "电商服务站点")).to_have_text(f"{share['2019Q1']:.1%}")
    expect(frame.locator('[data-legend="短板：电商服务站点"]')).to_contain_text(
        f"未达标 {below['2019Q1']} 村")
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "infrastructure-2019Q1.png"))
    assert recorded_page.foreign_requests() == []


_WAITING = "分县情况表和未达标村清单正在加载"


def test_first_page_of_a_tab_draws_the_map_before_the_tables(app_url, recorded_page, artifacts):
    """Opened as a new tab's first page, the tables' code would hold the map back: a line of
    text stands in for them until the map is drawn (fupin_geo.ui.edge.below_map), then they come,
    and the map is not built again."""
    page = recorded_page.page
    first_page.watch(page, _WAITING)
    page.goto(app_url + "/infrastructure")
    expect(page.get_by_test_id("stDataFrame")).to_have_count(2, timeout=TIMEOUT_MS)
    expect(page.get_by_text(_WAITING)).to_have_count(0)
    shapes = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")
    seen = first_page.seen(page)
    assert seen["waitingShown"] is True
    assert seen["whenGone"]["shapes"] == shapes.count() > 0
    assert seen["frames"] == 1 and seen["reports"] == [True]
    page.get_by_role("heading", name="未达标村清单").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "infrastructure-tables-after-map.png"))
