"""What a person sees on the 总览 page, in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fupin_geo import config
from fupin_geo.data import geodata
from tests.browser import first_page
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

# Finds the SVG path Leaflet drew for the village with the given code.
_PATH_OF_VILLAGE = """code => {
    for (const layer of Object.values(window.map._layers)) {
        if (layer.feature && layer.feature.properties.code === code && layer._path) return layer._path;
    }
    return null;
}"""


def _open(recorded, url):
    page = recorded.page
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(
        config.POVERTY_VILLAGE_COUNT, timeout=TIMEOUT_MS
    )
    # wholly on screen: a click into a half-visible map scrolls it between press and release
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    return page, frame


def _map_frame(page):
    for frame in page.frames:
        if frame.url and "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("the map's frame is missing")


@pytest.fixture(scope="module")
def expected(demo_datasets):
    return demo_datasets[-1]


def test_map_draws_counties_and_villages(app_url, recorded_page, artifacts):
    page, frame = _open(recorded_page, app_url)
    labels = frame.locator(".fupin-label")
    expect(labels).to_have_count(9)
    names = set(labels.all_inner_texts())
    assert names == set(geodata.counties(config.ZHANJIANG)["name"])
    # the county polygons are drawn, from the published file, in the basemap's own pane
    expect(frame.locator(".leaflet-fupinBasemap-pane path.fupin-county-lines")).to_have_count(9)
    assert frame.locator(".leaflet-overlay-pane path.fupin-county-lines").count() == 0
    expect(frame.locator("[data-legend]")).to_contain_text("一村一品类别")
    expect(page.get_by_text("演示数据").first).to_be_visible()
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)


# The z-index of the basemap's pane and of the overlay pane, where the villages are drawn.
_PANE_ORDER = """() => [window.map.getPane("fupinBasemap"), window.map.getPane("overlayPane")]
    .map(pane => Number(getComputedStyle(pane).zIndex))"""


def test_basemap_comes_by_file_beneath_the_villages(app_url, recorded_page):
    """The counties are fetched once from a published file (not sent in every rerun) and,
    arriving after the villages, are still drawn beneath them."""
    page, frame = _open(recorded_page, app_url)
    expect(frame.locator(".leaflet-fupinBasemap-pane path.fupin-county-lines")).to_have_count(9)
    basemap_z, overlay_z = _map_frame(page).evaluate(_PANE_ORDER)
    assert basemap_z < overlay_z, (basemap_z, overlay_z)
    assert frame.locator(".leaflet-overlay-pane path.fupin-villages").count() == config.POVERTY_VILLAGE_COUNT
    fetched = [u for u in recorded_page.requests if "/app/static/geojson/" in u]
    assert sorted(u.rsplit("/", 1)[1].split("-")[0] for u in fetched) == ["counties", "land"], fetched


def test_click_on_village_shows_its_card(app_url, recorded_page, expected, artifacts):
    page, _ = _open(recorded_page, app_url)
    village = expected.villages[expected.villages["county_code"] == "440823"].iloc[0]
    path = _map_frame(page).evaluate_handle(_PATH_OF_VILLAGE, village["code"]).as_element()
    assert path is not None, "the village is not drawn"
    path.hover()
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")).to_contain_text(village["name"])
    path.click()
    card = page.get_by_role("heading", name=village["name"])
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"代码 {village['code']}")).to_be_visible()
    expect(page.get_by_text(re.compile("遂溪县"))).not_to_have_count(0)
    page.screenshot(path=str(artifacts / "overview-card.png"), full_page=True)


def test_no_request_leaves_the_machine(app_url, recorded_page):
    page, frame = _open(recorded_page, app_url)
    # hovering and zooming load nothing new from elsewhere either
    frame.locator(".leaflet-control-zoom-in").click()
    expect(frame.locator("path.leaflet-interactive")).not_to_have_count(0)
    assert recorded_page.foreign_requests() == []
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in recorded_page.requests)


_WAITING = "查找贫困村、下载和分县情况表正在加载"


def test_first_page_of_a_tab_shows_cards_and_map_then_the_rest(app_url, recorded_page, artifacts):
    """A new tab opens on 总览: the KPI cards and the map come first, the village search, the
    download and the county table once the map is drawn (fupin_geo.ui.edge.below_map), and the map
    is not built again."""
    page = recorded_page.page
    first_page.watch(page, _WAITING)
    page.goto(app_url)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.get_by_text(_WAITING)).to_have_count(0)
    expect(page.get_by_test_id("stSelectbox").filter(has_text="查找贫困村")).to_have_count(1)
    seen = first_page.seen(page)
    assert seen["waitingShown"] is True
    # the cards and every village were there before the rest came
    assert seen["whenGone"] == {"cards": len(config.TARGETS), "shapes": config.POVERTY_VILLAGE_COUNT}
    assert seen["frames"] == 1 and seen["reports"] == [True]
    assert recorded_page.foreign_requests() == []
    page.screenshot(path=str(artifacts / "overview-first-page.png"), full_page=True)
