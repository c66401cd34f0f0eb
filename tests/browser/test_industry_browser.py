"""What a person sees and does on the 产业地图, in a real browser."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

import pytest
from playwright.sync_api import expect

from fupin_geo.analysis import filters
from fupin_geo.data import demo
from fupin_geo.data.store import Store
from fupin_geo.geo import coords
from tests.browser.cards import card_value
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAGE = "/industry_map"
SANDUN = "440881108209"  # 三墩村, 廉江 (always in the demo data: the public example)
LIANJIANG = "440881"
SUIXI = "440823"
PAYLOAD = "<img src=x onerror=alert(1)>"

_MAP_STATE = """() => {
    const c = window.map.getCenter();
    return {lat: c.lat, lng: c.lng, zoom: window.map.getZoom()};
}"""
_VILLAGE_LATLNG = """code => {
    for (const layer of Object.values(window.map._layers)) {
        if (layer.feature && layer.feature.properties.code === code && layer.getLatLng
            && layer._path && layer._path.classList.contains("fupin-villages")) {
            const p = layer.getLatLng();
            return [p.lat, p.lng];
        }
    }
    return null;
}"""
_PATH_OF_VILLAGE = _VILLAGE_LATLNG.replace("const p = layer.getLatLng();\n            return [p.lat, p.lng];",
                                           "return layer._path;")

_BADGE_OF = """code => Object.values(window.map._layers)
    .find(l => l._icon && l.feature && l.feature.properties.code === code)._icon"""


def _frame(page):
    return page.frame_locator(MAP_FRAME)


def _map_frame(page):
    for frame in page.frames:
        if frame.url and "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("the map's frame is missing")


def _villages(page):
    return _frame(page).locator("path.fupin-villages")


# Streamlit draws an element first as a placeholder and then at its own height once its
# code has loaded, so the page's layout moves for a while after the map is drawn (shifts of
# 20 px up to ~1.5 s later, in Chromium's layout-shift entries). When the map had been
# scrolled into view before such a shift, Chromium routed a click on a village to the point
# 20 px below it in the map's frame (where it had been before the shift): the map is brought
# into view only once it has held still.
STILL_MS = 600
_HELD_STILL = """([selector, stillMs, timeoutMs]) => new Promise((resolve, reject) => {
    const start = performance.now();
    let last = "", since = start;
    const look = () => {
        const r = document.querySelector(selector).getBoundingClientRect(), now = performance.now();
        const box = [r.x, r.y, r.width, r.height].join();
        if (box !== last) { last = box; since = now; }
        if (now - since >= stillMs) return resolve();
        if (now - start > timeoutMs) return reject(new Error("the map never held still"));
        requestAnimationFrame(look);
    };
    look();
})"""


def _open(recorded, url, villages: int):
    page = recorded.page
    page.goto(url)
    expect(_villages(page)).to_have_count(villages, timeout=TIMEOUT_MS)
    # Wholly on screen, as a person would have it: a first click into a half-visible map
    # focuses it, the browser scrolls it into view between press and release, and the
    # click lands beside the village.
    page.evaluate(_HELD_STILL, [MAP_FRAME, STILL_MS, TIMEOUT_MS])
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    return page


def _choose(page, label: str, option: str):
    """Pick `option` in the multiselect labelled `label`, as a person would (type, Enter)."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


@pytest.fixture(scope="module")
def q4(demo_datasets):
    return demo_datasets[-1]


def test_layer_toggled_off_disappears_with_its_legend(app_url, recorded_page, q4, artifacts):
    page = _open(recorded_page, app_url + PAGE, len(q4.villages))
    frame = _frame(page)
    parks = frame.locator(".fupin-parks")
    expect(parks).to_have_count(len(q4.parks))
    expect(frame.locator('[data-legend="现代农业产业园"]')).to_have_count(1)
    page.get_by_text("产业园", exact=True).click()
    expect(parks).to_have_count(0, timeout=TIMEOUT_MS)
    expect(frame.locator('[data-legend="现代农业产业园"]')).to_have_count(0)
    # the other layers and their legends stay
    expect(_villages(page)).to_have_count(len(q4.villages))
    expect(frame.locator('[data-legend="一村一品类别"]')).to_have_count(1)
    page.get_by_text("产业园", exact=True).click()
    expect(parks).to_have_count(len(q4.parks), timeout=TIMEOUT_MS)
    expect(frame.locator('[data-legend="现代农业产业园"]')).to_have_count(1)
    page.screenshot(path=str(artifacts / "industry-layers.png"), full_page=True)
    assert recorded_page.foreign_requests() == []


def test_filters_change_drawn_villages_counts_and_table(app_url, recorded_page, q4, artifacts):
    page = _open(recorded_page, app_url + PAGE, len(q4.villages))
    basemap_files = [u for u in recorded_page.requests if "/app/static/geojson/" in u]
    assert len(basemap_files) == 2, basemap_files  # land and counties, fetched once by the map
    expected = filters.apply(q4, filters.VillageFilter(counties=(SUIXI,), products=("火龙果",)))
    page.get_by_role("button", name="遂溪县", exact=True).click()  # the county's pill
    expect(_villages(page)).to_have_count(int((q4.villages["county_code"] == SUIXI).sum()), timeout=TIMEOUT_MS)
    _choose(page, "产品", "火龙果")
    expect(_villages(page)).to_have_count(len(expected.villages), timeout=TIMEOUT_MS)
    metric = card_value(page, "贫困村")
    expect(metric).to_have_text(str(len(expected.villages)))
    listing = page.get_by_text("村庄列表（当前筛选下的村）")
    expect(listing).to_be_visible()
    # the list is closed until asked for; opened, it shows the filtered villages
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    listing.click()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=TIMEOUT_MS)
    grid = page.get_by_test_id("stDataFrame").locator("table[role=grid]")  # the grid's accessible twin
    expect(grid).to_have_attribute("aria-rowcount", str(len(expected.villages) + 1))  # and its header
    query = parse_qs(urlparse(page.url).query)
    assert query["county"] == [SUIXI] and query["product"] == ["火龙果"]
    page.screenshot(path=str(artifacts / "industry-filtered.png"), full_page=True)
    # and it stays open while the filters change
    suixi = int((q4.villages["county_code"] == SUIXI).sum())
    products = page.get_by_test_id("stMultiSelect").filter(has_text="产品")
    products.locator("[aria-label=\"Clear all\"]").click()
    expect(_villages(page)).to_have_count(suixi, timeout=TIMEOUT_MS)
    expect(grid).to_have_attribute("aria-rowcount", str(suixi + 1), timeout=TIMEOUT_MS)
    expect(metric).to_have_text(str(suixi))
    assert recorded_page.foreign_requests() == []
    # the reruns sent layers only: the basemap was not fetched again
    assert [u for u in recorded_page.requests if "/app/static/geojson/" in u] == basemap_files


def test_pinyin_search_flies_to_the_village_and_opens_its_card(app_url, recorded_page, q4, artifacts):
    page = _open(recorded_page, app_url + PAGE, len(q4.villages))
    village = q4.villages.set_index("code").loc[SANDUN]
    box = page.get_by_label("搜索贫困村")
    box.fill("sandun")
    box.press("Enter")
    expect(page.get_by_role("heading", name=village["name"])).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"代码 {SANDUN}")).to_be_visible()
    frame = _map_frame(page)
    page.wait_for_function(
        "([lat, lng]) => { const f = [...document.querySelectorAll('iframe')].map(i => i.contentWindow)"
        ".find(w => w && w.map); if (!f) return false; const c = f.map.getCenter();"
        " return Math.abs(c.lat - lat) < 0.01 && Math.abs(c.lng - lng) < 0.01 && f.map.getZoom() >= 12; }",
        arg=[float(village["lat"]), float(village["lon"])], timeout=TIMEOUT_MS,
    )
    assert frame.evaluate(_MAP_STATE)["zoom"] >= 12
    assert parse_qs(urlparse(page.url).query)["village"] == [SANDUN]
    page.screenshot(path=str(artifacts / "industry-search.png"), full_page=True)


def test_several_searches_in_a_row(app_url, recorded_page, q4, artifacts):
    """tang, li, sandun, as a person types them: once ended in KeyError "industry_pick"."""
    page = _open(recorded_page, app_url + PAGE, len(q4.villages))
    box = page.get_by_label("搜索贫困村")
    for query in ("tang", "li"):
        box.fill(query)
        box.press("Enter")
        expect(page.get_by_text(re.compile(r"^找到 \d+ 个村$"))).to_be_visible(timeout=TIMEOUT_MS)
        expect(page).to_have_url(re.compile(r"village="), timeout=TIMEOUT_MS)
    box.fill("sandun")
    box.press("Enter")
    expect(page.get_by_role("heading", name="三墩村")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("已定位：三墩村")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert parse_qs(urlparse(page.url).query)["village"] == [SANDUN]
    page.screenshot(path=str(artifacts / "industry-searches.png"), full_page=True)
    assert recorded_page.foreign_requests() == []


def test_a_link_with_view_parameters_reproduces_the_view(app_url, recorded_page, q4):
    link = (f"{app_url}{PAGE}?county={LIANJIANG}&product={quote('红橙')}&layers=villages,parks"
            f"&view=21.20000,110.10000,11&village={SANDUN}")
    expected = filters.apply(q4, filters.VillageFilter(counties=(LIANJIANG,), products=("红橙",)))
    page = _open(recorded_page, link, len(expected.villages))
    frame = _frame(page)
    expect(frame.locator(".fupin-parks")).not_to_have_count(0)
    expect(frame.locator(".fupin-enterprises")).to_have_count(0)
    state = _map_frame(page).evaluate(_MAP_STATE)
    assert abs(state["lat"] - 21.2) < 1e-3 and abs(state["lng"] - 110.1) < 1e-3 and state["zoom"] == 11
    expect(page.get_by_role("heading", name="三墩村")).to_be_visible()
    expect(page.get_by_text("红橙", exact=True).first).to_be_visible()
    # the link's county and layers are the pills pressed
    pressed = page.get_by_test_id("stButtonGroup").get_by_role("button", pressed=True)
    expect(pressed).to_have_text(["廉江市", "贫困村", "产业园"])
    # the live extent follows the map: after a zoom the URL says so, without a rerun
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => location.search.includes('%2C12') || location.search.includes(',12')")
    assert recorded_page.foreign_requests() == []


def _isolated_village(villages) -> str:
    """The code of the village farthest from its nearest neighbour: at the city's zoom no
    other village's circle lies over it, so a click reaches it."""
    xy = villages[["lon", "lat"]].to_numpy()
    gaps = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    gaps[range(len(xy)), range(len(xy))] = float("inf")
    return villages["code"].iloc[int(gaps.min(axis=1).argmax())]


def test_gcj02_basemap_shifts_every_overlay(app_url, recorded_page, q4, artifacts):
    recorded_page.block_foreign_hosts()  # the 高德 tiles are asked for, but never sent
    page = _open(recorded_page, f"{app_url}{PAGE}?basemap=amap&layers=villages,aquaculture", len(q4.villages))
    code = _isolated_village(q4.villages)
    village = q4.villages.set_index("code").loc[code]
    drawn = _map_frame(page).evaluate(_VILLAGE_LATLNG, code)
    lon, lat = coords.wgs84_to_gcj02(float(village["lon"]), float(village["lat"]))
    assert drawn == pytest.approx([lat, lon], abs=2e-5)
    assert abs(drawn[1] - village["lon"]) > 0.003  # the shift here is ~500 m, not noise
    tiles = [u for u in recorded_page.requests if "autonavi" in u]
    assert tiles, "the 高德 basemap did not ask for tiles"
    # a click on the shifted village still opens the right card (clicked once the app is idle,
    # as a person would: a click during a rerun once went unanswered in CI)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=TIMEOUT_MS)
    _map_frame(page).evaluate_handle(_PATH_OF_VILLAGE, code).as_element().click()
    card = page.get_by_role("heading", name=village["name"])
    try:
        expect(card).to_be_visible(timeout=TIMEOUT_MS)
    except AssertionError as error:  # say what the map component recorded, for the next reader
        sent = _map_frame(page).evaluate("() => JSON.stringify(window.__GLOBAL_DATA__.last_object_clicked)")
        raise AssertionError(f"no card after the click; st_folium recorded the click as {sent}") from error
    page.screenshot(path=str(artifacts / "industry-amap.png"), full_page=True)


@pytest.fixture(scope="module")
def hostile_app_url(tmp_path_factory, serve):
    """The app on data whose names are HTML that would run script if not escaped."""
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'fupin.sqlite'}"
    store = Store(url)
    for dataset in demo.build_demo():  # a fresh copy: the shared fixture stays clean
        dataset.villages.loc[dataset.villages["code"] == _isolated_village(dataset.villages), "name"] = PAYLOAD
        dataset.enterprises.loc[dataset.enterprises.index[0], "name"] = PAYLOAD
        store.save(dataset)
    with serve(folder, url) as served:
        yield served


def test_names_are_shown_as_text_and_never_run(hostile_app_url, recorded_page, q4, artifacts):
    page = recorded_page.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    code = _isolated_village(q4.villages)  # the village named PAYLOAD: no other lies over it
    page = _open(recorded_page, f"{hostile_app_url}{PAGE}?village={code}&layers=villages,enterprises",
                 len(q4.villages))
    frame = _frame(page)
    path = _map_frame(page).evaluate_handle(_PATH_OF_VILLAGE, code).as_element()
    path.hover()
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(PAYLOAD)
    # the enterprise's badge (badges come one layer per level: not necessarily the first drawn)
    _map_frame(page).evaluate_handle(_BADGE_OF, q4.enterprises["id"].iloc[0]).as_element().hover()
    expect(frame.locator(".leaflet-tooltip").last).to_contain_text(PAYLOAD)
    expect(page.get_by_role("heading", name=PAYLOAD)).to_be_visible()
    expect(page.locator('img[src="x"]')).to_have_count(0)
    expect(frame.locator('img[src="x"]')).to_have_count(0)
    assert dialogs == []
    page.screenshot(path=str(artifacts / "industry-escaping.png"), full_page=True)
    assert re.search(r"alert", " ".join(dialogs)) is None


def test_markdown_in_a_link_is_shown_as_text(app_url, recorded_page, q4, artifacts):
    """A link's values reach the toast as typed: no image fetched from outside, no phishing link."""
    image, phish = "![u](http://evil.example/u.png)", "[请联系管理员](https://phish.example/)"
    page = _open(recorded_page, f"{app_url}{PAGE}?village={quote(image)}&measure={quote(phish)}", len(q4.villages))
    toast = page.get_by_test_id("stToast")
    expect(toast).to_contain_text("village=", timeout=TIMEOUT_MS)
    # as typed, but for the invisible word joiners md() puts into addresses (no autolink)
    shown = toast.inner_text().replace("\u2060", "")
    assert f"village={image}" in shown and f"measure={phish}" in shown, shown
    expect(page.locator('a[href*="phish.example"]')).to_have_count(0)
    expect(page.locator('img[src*="evil.example"]')).to_have_count(0)
    page.screenshot(path=str(artifacts / "industry-link-markdown.png"), full_page=True)
    assert recorded_page.foreign_requests() == []


def test_the_url_keeps_wgs84_on_a_gcj02_basemap(app_url, recorded_page, q4):
    """A link's view is WGS-84: opened on 高德 the map shows that place (its GCJ-02 position),
    and after a pan the URL again says WGS-84, so the link works on every basemap."""
    recorded_page.block_foreign_hosts()
    page = _open(recorded_page, f"{app_url}{PAGE}?basemap=amap&layers=villages&view=21.20000,110.10000,11",
                 len(q4.villages))
    frame = _map_frame(page)
    lon, lat = coords.wgs84_to_gcj02(110.1, 21.2)
    state = frame.evaluate(_MAP_STATE)
    # within a pixel at zoom 11 (Leaflet rounds the centre to pixels); the shift is ~0.005°
    assert state["lat"] == pytest.approx(lat, abs=1e-3) and state["lng"] == pytest.approx(lon, abs=1e-3)
    assert abs(state["lng"] - 110.1) > 3e-3
    assert state["zoom"] == 11
    # the user moves the map to where 三墩村 is drawn: the URL gets its WGS-84 position
    village = q4.villages.set_index("code").loc[SANDUN]
    drawn = frame.evaluate(_VILLAGE_LATLNG, SANDUN)
    frame.evaluate("([lat, lng]) => window.map.setView([lat, lng], 13)", drawn)
    page.wait_for_function("() => (new URLSearchParams(location.search).get('view') || '').endsWith(',13')")
    centre = frame.evaluate(_MAP_STATE)  # drawn (GCJ-02), as Leaflet rounded it
    lat_text, lon_text, _ = parse_qs(urlparse(page.url).query)["view"][0].split(",")
    wgs_lon, wgs_lat = coords.gcj02_to_wgs84(centre["lng"], centre["lat"])
    assert float(lat_text) == pytest.approx(wgs_lat, abs=1e-5)
    assert float(lon_text) == pytest.approx(wgs_lon, abs=1e-5)
    assert float(lon_text) == pytest.approx(village["lon"], abs=1e-3)  # 三墩村 itself, not 500 m off


def test_searching_the_same_village_again_flies_back(app_url, recorded_page, q4, artifacts):
    page = _open(recorded_page, app_url + PAGE, len(q4.villages))
    village = q4.villages.set_index("code").loc[SANDUN]
    at_village = (
        "([lat, lng]) => { const f = [...document.querySelectorAll('iframe')].map(i => i.contentWindow)"
        ".find(w => w && w.map); if (!f) return false; const c = f.map.getCenter();"
        " return Math.abs(c.lat - lat) < 0.01 && Math.abs(c.lng - lng) < 0.01 && f.map.getZoom() >= 12; }")
    box = page.get_by_label("搜索贫困村")
    for query in ("sandun", "三墩"):  # the second time by another name: the same village
        # the user has panned far away and zoomed out
        _map_frame(page).evaluate("() => window.map.setView([20.45, 110.2], 9)")
        box.fill("")
        box.press("Enter")
        box.fill(query)
        box.press("Enter")
        expect(page.get_by_role("heading", name=village["name"])).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_function(at_village, arg=[float(village["lat"]), float(village["lon"])], timeout=TIMEOUT_MS)
    # and once more with the button, without typing
    _map_frame(page).evaluate("() => window.map.setView([20.45, 110.2], 9)")
    page.get_by_role("button", name="回到该村").click()
    page.wait_for_function(at_village, arg=[float(village["lat"]), float(village["lon"])], timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "industry-search-again.png"), full_page=True)
    assert recorded_page.foreign_requests() == []
