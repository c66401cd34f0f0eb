"""The 湛柳协作 map in a real browser at the projector's size (1280×720): 广东 and 广西 drawn as
land between the two cities (柳州 is not an island), and county names that do not overlap at
any zoom the page shows. Nothing leaves the machine."""
from __future__ import annotations

import io
import itertools

import pytest
from playwright.sync_api import expect

from fupin_geo import config
from fupin_geo.maps import cooperation_map

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
FIRST_LOAD_MS = 180_000  # a new server's first page (cold caches) on a busy machine
PROVINCE_PATHS = 12  # 广东, 广西 and the ten units around them (geodata/provinces.geojson)
COUNTY_PATHS = 19
# Places to look at on the map: 广西 west of the arcs, 广东 east of them, and the sea south of 阳江.
GUANGXI, GUANGDONG, SEA = (23.5, 107.5), (23.0, 112.5), (20.5, 112.0)
# Every zoom from the lowest to where every name sits beside its point.
ZOOMS = [z for z, _ in cooperation_map.label_steps()] + [9.5, 10.0]

# Each name's box and the width its text takes, at each of `zooms` (set without animation,
# so the names are rearranged before the next line runs); the map's zoom is put back after.
_NAMES_AT_ZOOMS = """zooms => {
    const map = window.map, start = map.getZoom(), found = [];
    for (const zoom of zooms) {
        map.setZoom(zoom, {animate: false});
        found.push([map.getZoom(), [...document.querySelectorAll(".fupin-placed-label")].map(span => {
            const box = span.getBoundingClientRect(), range = document.createRange();
            range.selectNodeContents(span);
            const leader = span.parentElement.querySelector(".fupin-placed-leader");
            return {name: span.textContent, box: [box.left, box.top, box.right, box.bottom],
                    text: range.getBoundingClientRect().width, leader: leader.style.display !== "none"};
        })]);
    }
    map.setZoom(start, {animate: false});
    return found;
}"""
# Basemap paths in drawing order: each one's class (land first, then the counties over it).
_BASEMAP_ORDER = """() => [...window.map.getPane("fupinBasemap").querySelectorAll("path")]
    .map(p => p.classList.contains("fupin-provinces") ? "province" : "county")"""


def _overlaps(names: list[dict]) -> list[tuple[str, str]]:
    return [(a["name"], b["name"]) for a, b in itertools.combinations(names, 2)
            if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2]
            and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]


def _color(png: bytes, x: float, y: float) -> tuple[int, int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB").getpixel((round(x), round(y)))


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _near(a, b, tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


@pytest.mark.timeout(600)
def test_land_between_the_cities_and_names_apart_at_1280x720(app_url, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{app_url}/cooperation")
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator("path.fupin-provinces")).to_have_count(PROVINCE_PATHS, timeout=FIRST_LOAD_MS)
        expect(frame.locator("path.fupin-county-lines")).to_have_count(COUNTY_PATHS, timeout=FIRST_LOAD_MS)
        expect(frame.locator(".fupin-placed-label")).to_have_count(COUNTY_PATHS)
        map_frame = next(f for f in page.frames if f.url and "streamlit_folium" in f.url)
        # the land under the counties, whichever file arrived first
        order = map_frame.evaluate(_BASEMAP_ORDER)
        assert order == ["province"] * PROVINCE_PATHS + ["county"] * COUNTY_PATHS

        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "cooperation_1280x720.png"))
        shot = page.locator(MAP_FRAME).screenshot(path=str(artifacts / "cooperation_map_1280x720.png"))
        where = map_frame.evaluate("places => places.map(p => window.map.latLngToContainerPoint(p))",
                                   [GUANGXI, GUANGDONG, SEA])
        land, sea = _hex(cooperation_map.PAIR_PROVINCE_STYLE["fillColor"]), _hex(config.SEA_COLOR)
        colors = [_color(shot, p["x"], p["y"]) for p in where]
        assert _near(colors[0], land) and _near(colors[1], land), colors  # 广西, 广东: land
        assert _near(colors[2], sea), colors  # and the sea is still sea

        default_zoom = map_frame.evaluate("window.map.getZoom()")
        found = dict(map(tuple, map_frame.evaluate(_NAMES_AT_ZOOMS, sorted(set(ZOOMS) | {default_zoom}))))
        assert sorted(found) == sorted(set(ZOOMS) | {default_zoom})  # each zoom was really shown
        for zoom, names in found.items():
            assert len(names) == COUNTY_PATHS
            assert _overlaps(names) == [], zoom
            for name in names:  # the text fits the box the placement counted with
                assert name["text"] <= name["box"][2] - name["box"][0] + 0.5, (zoom, name)
        assert any(n["leader"] for n in found[cooperation_map.MIN_ZOOM])
        assert not any(n["leader"] for n in found[ZOOMS[-1]])
    finally:
        context.close()
    foreign = [u for u in requested if not u.startswith(app_url) and not u.startswith(("data:", "blob:", "about:"))]
    assert foreign == []
