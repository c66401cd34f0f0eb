"""数据管理 → 在地图上定位 in a real browser: an editor logs in, chooses a village placed only
approximately, clicks its position on the map inside 湛江's land and saves it; the database
then holds a new revision with that position, marked 地图标注, by that editor."""
from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from fupin_geo import config
from fupin_geo.data import audit, demo, geodata, users
from fupin_geo.data.store import Store
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
QUARTER = "2019Q4"
# The panel shows the chosen village at this zoom, in the middle of the map; the click lands
# this many pixels right of and below the middle (clear of the village's own marker).
ZOOM = config.LOCATE_ZOOM
CLICK_OFFSET_PX = (90, 70)
# A pixel at ZOOM, in degrees of longitude (~35 m here): the click lands within a pixel or so
# of where it was aimed (the browser rounds the mouse position).
PX_DEG = 360 / (256 * 2 ** ZOOM)
# The stored position is the click rounded to config.COORD_DECIMALS (5 decimals, ~1 m).
TOLERANCE_DEG = 10 ** -config.COORD_DECIMALS


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory):
    folder = tmp_path_factory.mktemp("locate-server")
    url = f"sqlite:///{folder / 'fupin.sqlite'}"
    store = Store(url)
    demo.ensure_seeded(store)
    users.add(store, "placer", "placer-password", "editor")
    with serve(folder, url) as app:
        yield app, store


def _roughly_clicked(lon: float, lat: float) -> tuple[float, float]:
    """Where CLICK_OFFSET_PX from (lon, lat) falls at ZOOM (Web Mercator; only to choose a
    village whose click lands on land: the test compares with Leaflet's own answer)."""
    dx, dy = CLICK_OFFSET_PX
    return lon + dx * PX_DEG, lat - dy * PX_DEG * math.cos(math.radians(lat))


def _village_to_place(store: Store) -> dict:
    """An approximately placed village whose click lands well inside 湛江's land (1 km of land
    all round) and away from every other village's marker."""
    villages = store.load(QUARTER).villages
    approximate = villages[villages["position_quality"] == "近似"].sort_values("code")
    margin = 0.01
    for row in approximate.to_dict("records"):
        lon, lat = _roughly_clicked(row["lon"], row["lat"])
        around = [(lon + a, lat + b) for a in (-margin, 0, margin) for b in (-margin, 0, margin)]
        counties = geodata.county_of_points([p[0] for p in around], [p[1] for p in around])
        on_land = all(c is not None and str(c).startswith(config.ZHANJIANG[:4]) for c in counties)
        crowded = ((villages["lon"] - lon).abs() + (villages["lat"] - lat).abs() < 0.005).any()
        if on_land and not crowded:
            return row
    pytest.fail("no demo village with land all round its click point")


# Resolves once the map's centre and zoom have not changed for STILL_FRAMES checks in a row,
# 50 ms apart, with no zoom animation running (a condition polled in the page, not a sleep).
STILL_FRAMES = 6
_UNTIL_STILL = """async () => {
    const view = () => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()].join(); };
    let last = view(), still = 0;
    while (still < %d) {
        await new Promise(done => setTimeout(done, 50));
        const now = view();
        still = (now === last && !window.map._animatingZoom) ? still + 1 : 0;
        last = now;
    }
}""" % STILL_FRAMES


def test_an_editor_places_a_village_by_clicking_the_map(server, recorded_page, artifacts):
    app, store = server
    village = _village_to_place(store)
    before = store.revisions(QUARTER)
    page = recorded_page.page
    page.goto(f"{app}/data_admin")
    expect(page.get_by_label("用户名")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("用户名").fill("placer")
    page.get_by_label("密码").fill("placer-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("tab", name="在地图上定位").click()
    # wait for the map of the first village to be drawn: st_folium's front end drops a move
    # sent while its frame is still loading scripts (the map would stay on the first village)
    expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first).to_be_attached(
        timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=TIMEOUT_MS)

    # choose the village as a person would: type its code into the list, Enter
    choice = page.get_by_role("combobox", name="贫困村")
    choice.click()
    choice.fill(village["code"])
    page.keyboard.press("Enter")
    # the panel names the chosen village's approximate position
    expect(page.get_by_text(f"当前位置：经度 {village['lon']:.5f}，纬度 {village['lat']:.5f}（近似）")).to_be_visible(
        timeout=TIMEOUT_MS)

    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT_MS)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    canvas = frame.locator(".leaflet-container").first
    # aim only at a map that has stopped moving: the panel's reruns move it to the village
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=TIMEOUT_MS)
    canvas.evaluate(_UNTIL_STILL)
    box = canvas.bounding_box()
    x, y = box["width"] / 2 + CLICK_OFFSET_PX[0], box["height"] / 2 + CLICK_OFFSET_PX[1]
    aimed = canvas.evaluate("(el, p) => { const ll = window.map.containerPointToLatLng(p); return [ll.lng, ll.lat]; }",
                            [x, y])
    # the panel centred the map on the chosen village: the aim is where that puts it
    expected = _roughly_clicked(village["lon"], village["lat"])
    assert abs(aimed[0] - expected[0]) < 3 * PX_DEG and abs(aimed[1] - expected[1]) < 3 * PX_DEG
    canvas.click(position={"x": x, "y": y})
    # where the browser says the click was (Leaflet's click event, what the map sends back)
    clicked = canvas.evaluate("() => { const ll = window.__GLOBAL_DATA__.lat_lng_clicked; return [ll.lng, ll.lat]; }")
    assert abs(clicked[0] - aimed[0]) < 2 * PX_DEG and abs(clicked[1] - aimed[1]) < 2 * PX_DEG  # where aimed
    expect(page.get_by_text("新位置：经度")).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "data-admin-locate-clicked.png"), full_page=True)
    page.get_by_role("button", name="保存位置").click()
    expect(page.get_by_text(f"已保存 {village['name']} 的位置（{QUARTER} 第 {len(before) + 1} 版）")).to_be_visible(
        timeout=TIMEOUT_MS)
    # the village has left the list of approximate ones, and its click is not offered for
    # the village now chosen
    approximate = int((store.load(QUARTER, before[-1].revision).villages["position_quality"] == "近似").sum())
    expect(page.get_by_text(f"{approximate - 1} 个贫困村的位置是近似的")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("当前位置：经度")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("新位置：经度")).to_have_count(0)
    page.screenshot(path=str(artifacts / "data-admin-locate.png"), full_page=True)

    revisions = store.revisions(QUARTER)
    assert len(revisions) == len(before) + 1
    latest = revisions[-1]
    assert (latest.author, latest.kind) == ("placer", "编辑") and village["name"] in latest.note
    placed = store.load(QUARTER).villages.set_index("code")
    row = placed.loc[village["code"]]
    assert row["position_quality"] == "地图标注"
    assert abs(row["lon"] - clicked[0]) < TOLERANCE_DEG and abs(row["lat"] - clicked[1]) < TOLERANCE_DEG
    # nothing else moved, and the earlier revision still has the old position
    earlier = store.load(QUARTER, before[-1].revision).villages.set_index("code")
    others = placed.index != village["code"]
    assert (placed.loc[others, ["lon", "lat"]] == earlier.loc[others, ["lon", "lat"]]).all().all()
    before = earlier.loc[village["code"]]
    assert (before["lon"], before["lat"]) == (village["lon"], village["lat"])
    log = audit.entries(store)
    assert ((log["用户"] == "placer") & (log["操作"] == "编辑") & (log["版本"] == latest.revision)).any()
    assert recorded_page.foreign_requests() == []
