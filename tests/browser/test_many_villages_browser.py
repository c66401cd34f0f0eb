"""The 产业地图 with more villages than SVG draws well (maps.elements.point_canvas): the villages
are one canvas layer, painted above the county areas; a click on one opens that village's card;
a filter down to a county brings back a marker each, and the canvas goes; nothing is asked of
any other host."""
from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

from bench.synthetic import scaled_dataset
from fupin_geo.data.store import Store
from fupin_geo.maps.elements.point_layer import SVG_MAX_POINTS
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
N_VILLAGES = SVG_MAX_POINTS + 500
SUIXI = "440823"
CLICK_ZOOM = 15  # close enough that no other point lies within a marker's reach of the village

# The villages' canvas layers of the map: [points, drawn for the current view] each.
_VILLAGE_CANVASES = """() => Object.values(window.map._layers)
    .filter(l => l.options && l.options.className === 'fupin-villages')
    .map(l => [l.pointCount ? l.pointCount() : -1, !!l.drawn])"""


@pytest.fixture(scope="module")
def many(tmp_path_factory, serve):
    folder = tmp_path_factory.mktemp("many")
    url = f"sqlite:///{folder / 'fupin.sqlite'}"
    dataset = scaled_dataset(N_VILLAGES, n_enterprises=N_VILLAGES // 10)
    Store(url).save(dataset)
    with serve(folder, url) as served:
        yield served, dataset


def _map_frame(page):
    for frame in page.frames:
        if frame.url and "streamlit_folium" in frame.url:
            return frame
    raise AssertionError("the map's frame is missing")


def _wait_villages(page, n: int, timeout: float = TIMEOUT_MS):
    page.wait_for_function(f"""() => [...document.querySelectorAll('{MAP_FRAME}')].some(f => {{
        const w = f.contentWindow; if (!w || !w.map || w.map._animatingZoom) return false;
        const found = Object.values(w.map._layers).filter(l => l.options && l.options.className === 'fupin-villages');
        return found.length === 1 && found[0].drawn && found[0].pointCount() === {n}; }})""", timeout=timeout)


def _loneliest_village(dataset) -> int:
    """The row of the village farthest from every other mapped point (village, park, enterprise)."""
    v = dataset.villages
    others = np.concatenate([v[["lon", "lat"]].to_numpy(), dataset.parks[["lon", "lat"]].to_numpy(),
                             dataset.enterprises[["lon", "lat"]].to_numpy()])
    xy = v[["lon", "lat"]].to_numpy()
    d = np.hypot(xy[:, None, 0] - others[None, :, 0], xy[:, None, 1] - others[None, :, 1])
    d[np.arange(len(v)), np.arange(len(v))] = np.inf
    return int(d.min(axis=1).argmax())


def test_many_villages_are_one_canvas_drawn_clicked_and_filtered(many, recorded_page, artifacts):
    url, dataset = many
    page = recorded_page.page
    page.goto(url + "/industry_map")
    _wait_villages(page, N_VILLAGES, TIMEOUT_MS)
    frame = _map_frame(page)
    assert frame.evaluate(_VILLAGE_CANVASES) == [[N_VILLAGES, True]]
    assert frame.locator("path.fupin-villages").count() == 0  # no marker each
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "many-villages.png"), full_page=True)

    village = dataset.villages.iloc[_loneliest_village(dataset)]
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=TIMEOUT_MS)
    frame.evaluate("([lat, lng, z]) => window.map.setView([lat, lng], z, {animate: false})",
                   [float(village["lat"]), float(village["lon"]), CLICK_ZOOM])
    _wait_villages(page, N_VILLAGES)
    x, y = frame.evaluate("""([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);
        return [p.x, p.y]; }""", [float(village["lat"]), float(village["lon"])])
    frame.locator(".leaflet-container").first.click(position={"x": x + 2, "y": y - 2})
    card = page.get_by_role("heading", name=village["name"], exact=True)
    try:
        expect(card).to_be_visible(timeout=TIMEOUT_MS)
    except AssertionError as error:  # say what the map component recorded, for the next reader
        sent = frame.evaluate("() => JSON.stringify(window.__GLOBAL_DATA__.last_object_clicked)")
        raise AssertionError(f"no card for {village['code']}; st_folium recorded {sent}") from error
    page.screenshot(path=str(artifacts / "many-villages-clicked.png"), full_page=True)

    page.get_by_role("button", name="遂溪县", exact=True).click()  # the county's pill
    in_suixi = int((dataset.villages["county_code"] == SUIXI).sum())
    assert in_suixi <= SVG_MAX_POINTS  # few enough for a marker each again
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.fupin-villages")).to_have_count(in_suixi, timeout=TIMEOUT_MS)
    # the canvas layer went, with its canvas
    expect(frame.locator("canvas.fupin-villages")).to_have_count(0)
    assert recorded_page.foreign_requests() == []
