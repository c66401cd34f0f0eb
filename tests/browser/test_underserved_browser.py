"""短板排查 in a real browser: a planner clicks the map to place a candidate site and sees
which underserved villages it reaches."""
from __future__ import annotations

import math

from playwright.sync_api import expect

from fupin_geo import config
from fupin_geo.analysis import ranking
from fupin_geo.ui.panels import ranking as panel
from tests.browser import first_page
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SITE_EAST_KM = 2.0  # the site is placed this far east of the top village, on the empty map
ZOOM = 12  # ~35 m a pixel: 2 km is ~57 px, clear of the village's own markers

_PIXEL_EAST_OF = """([lat, lng, km, zoom]) => {
    window.map.setView([lat, lng], zoom, {animate: false});
    const east = lng + km / (111.32 * Math.cos(lat * Math.PI / 180));
    const p = window.map.latLngToContainerPoint([lat, east]);
    const box = window.map.getContainer().getBoundingClientRect();
    return [box.left + p.x, box.top + p.y];
}"""
_REACHED_CODES = """() => Object.values(window.map._layers)
    .filter(l => l.feature && l._path && l._path.classList.contains("fupin-reached"))
    .map(l => l.feature.properties.code)"""


def _map_frame(page):
    for frame in page.frames:
        if frame.url and "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("the map's frame is missing")


def test_a_click_places_a_candidate_site_and_shows_the_villages_it_reaches(app_url, recorded_page, demo_datasets,
                                                                           artifacts):
    q4 = demo_datasets[-1]
    top = ranking.rank(q4).head(config.RANK_TOP_DEFAULT)
    first = top.iloc[0]
    page = recorded_page.page
    page.goto(f"{app_url}/underserved")
    frame = page.frame_locator(MAP_FRAME)
    # a first visit to a fresh server (seeding, ranking) on a loaded 2-core machine can be slow
    expect(frame.locator("path.fupin-scores")).to_have_count(len(q4.villages), timeout=TIMEOUT_MS)
    expect(frame.locator("path.fupin-reached")).to_have_count(0)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    x, y = _map_frame(page).evaluate(_PIXEL_EAST_OF, [float(first["lat"]), float(first["lon"]), SITE_EAST_KM, ZOOM])
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)

    # by hand: the top villages within the radius of a point 2 km east of the first
    lat, lon = float(first["lat"]), float(first["lon"]) + SITE_EAST_KM / (111.32 * math.cos(math.radians(first["lat"])))
    from fupin_geo.geo import distances
    near = {c for c, x_, y_ in zip(top["code"], top["lon"], top["lat"])
            if distances.distance_km(lon, lat, x_, y_) <= config.SITE_RADIUS_KM - 0.2}
    assert first["code"] in near
    expect(page.get_by_text("个短板村").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(frame.locator("path.fupin-reached")).not_to_have_count(0, timeout=TIMEOUT_MS)
    reached = set(_map_frame(page).evaluate(_REACHED_CODES))
    assert near <= reached  # villages a little inside the radius are reached, whatever the pixel rounding
    text = page.get_by_text("个短板村").first.inner_text()
    assert f"内有 {len(reached)} 个短板村" in text
    # the map kept the planner's zoom (the site is a layer, not a new map)
    assert _map_frame(page).evaluate("() => window.map.getZoom()") == ZOOM
    page.screenshot(path=str(artifacts / "underserved-candidate.png"), full_page=True)
    assert recorded_page.foreign_requests() == []


def test_first_page_of_a_tab_draws_the_map_before_the_sliders_and_tables(app_url, recorded_page, artifacts):
    """Opened as a new tab's first page, the sliders' code would hold the map back: a line of
    text stands in for them until the map is drawn (fupin_geo.ui.edge.below_map), and the report
    that the map is drawn comes only once it is, whichever frame the browser adds first."""
    page = recorded_page.page
    first_page.watch(page, panel.SITES_WAITING)
    page.goto(f"{app_url}/underserved")
    sliders = page.get_by_test_id("stSlider")  # the radius and the weights (in their closed expander)
    expect(sliders).to_have_count(1 + len(config.RANK_WEIGHTS), timeout=TIMEOUT_MS)
    expect(page.get_by_text(panel.SITES_WAITING)).to_have_count(0)
    expect(page.get_by_text("覆盖半径（公里，直线距离）")).to_be_visible()
    shapes = page.frame_locator(MAP_FRAME).locator("path.fupin-scores")
    seen = first_page.seen(page)
    assert seen["waitingShown"] is True
    assert seen["whenGone"]["shapes"] >= shapes.count() > 0  # the scores and the circled top villages
    assert seen["frames"] == 1 and seen["reports"] == [True]
    page.screenshot(path=str(artifacts / "underserved-first-page.png"), full_page=True)
    assert recorded_page.foreign_requests() == []


_OUTSIDE = """() => {
    const box = window.map.getContainer().getBoundingClientRect();
    return [...document.querySelectorAll("path.fupin-scores")].filter(p => {
        const r = p.getBoundingClientRect();
        return r.width === 0 || r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
    }).length;
}"""


def test_on_a_projector_the_map_shows_the_whole_chosen_county_in_every_colour(app_url, browser, demo_datasets,
                                                                             artifacts):
    """1280×720: choosing 遂溪县 moves the map there with every village in view, and the colour
    classes follow its scores (all below 20: once every village was the palest)."""
    from fupin_geo.analysis.filters import VillageFilter
    from fupin_geo.maps import ranking_map

    suixi = ranking.rank(demo_datasets[-1], scope=VillageFilter(counties=("440823",)))
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{app_url}/underserved")
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator("path.fupin-scores")).to_have_count(len(demo_datasets[-1].villages), timeout=TIMEOUT_MS)
        zoom = _map_frame(page).evaluate("() => window.map.getZoom()")
        page.get_by_role("button", name="遂溪县", exact=True).first.click()
        expect(frame.locator("path.fupin-scores")).to_have_count(len(suixi), timeout=TIMEOUT_MS)
        map_frame = _map_frame(page)
        map_frame.wait_for_function(f"() => window.map.getZoom() > {zoom}", timeout=TIMEOUT_MS)
        assert map_frame.evaluate(_OUTSIDE) == 0
        fills = set(map_frame.evaluate(
            """() => [...document.querySelectorAll("path.fupin-scores")].map(p => p.getAttribute("fill"))"""))
        assert fills == set(ranking_map.SCORE_COLORS)
        page.screenshot(path=str(artifacts / "underserved-suixi-1280.png"))
    finally:
        context.close()
