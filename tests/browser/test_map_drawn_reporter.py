"""below_map's reporter (fupin_geo/ui/edge/map_drawn/index.html) in a real browser, in a page of
our own: it reports only once the page's map frame is there and has drawn its layers, in
whichever order the browser adds the two frames."""
from __future__ import annotations

from pathlib import Path

import pytest

from fupin_geo.ui.edge import below_map

REPORTER_HTML = (Path(below_map.__file__).parent / "map_drawn" / "index.html").read_text(encoding="utf-8")
ORIGIN = "http://127.0.0.1:9"  # answered by the test's routes; nothing listens there
# The page Streamlit would be: the reporter's frame, and the messages it sends up
PARENT = """<!doctype html><html><body>
<iframe title="fupin_geo.ui.edge.below_map.map_drawn" src="/reporter.html"></iframe>
<script>
window.values = [];
addEventListener("message", e => {
    if (e.data && e.data.type === "streamlit:setComponentValue") window.values.push(e.data.value);
});
</script></body></html>"""
# A map frame as st_folium's: window.map once Leaflet has loaded, last_feature_group once the
# page's layers are on it
ADD_MAP = """() => new Promise(resolve => {
    const frame = document.createElement("iframe");
    frame.title = "streamlit_folium.st_folium";
    frame.srcdoc = "<script>window.map = {_loaded: true}; window.__GLOBAL_DATA__ = {};<\\/script>";
    frame.onload = () => resolve();
    document.body.appendChild(frame);
})"""
LAYERS_DRAWN = """() => { document.querySelector('iframe[title="streamlit_folium.st_folium"]')
    .contentWindow.__GLOBAL_DATA__.last_feature_group = {}; }"""
RENDER = """() => document.querySelector('iframe[title$="map_drawn"]').contentWindow
    .postMessage({type: "streamlit:render", args: {}}, "*")"""
FRAMES = """n => new Promise(resolve => { const step = k => k ? requestAnimationFrame(() => step(k - 1)) : resolve();
    step(n); })"""
# animation frames to watch for a report that should not come (far less than its give-up time)
QUIET_FRAMES = 20


@pytest.fixture
def parent(browser):
    context = browser.new_context()
    page = context.new_page()
    page.route(f"{ORIGIN}/parent.html", lambda route: route.fulfill(body=PARENT, content_type="text/html"))
    page.route(f"{ORIGIN}/reporter.html", lambda route: route.fulfill(body=REPORTER_HTML, content_type="text/html"))
    page.goto(f"{ORIGIN}/parent.html")
    page.frame_locator('iframe[title$="map_drawn"]').locator("script").first.wait_for(state="attached")
    yield page
    context.close()


def test_a_reporter_added_before_the_map_waits_for_the_map_to_be_drawn(parent):
    parent.evaluate(RENDER)
    parent.evaluate(FRAMES, QUIET_FRAMES)
    assert parent.evaluate("window.values") == []  # no map frame yet: not a page without a map
    parent.evaluate(ADD_MAP)
    parent.evaluate(FRAMES, QUIET_FRAMES)
    assert parent.evaluate("window.values") == []  # Leaflet is there, the layers are not
    parent.evaluate(LAYERS_DRAWN)
    parent.wait_for_function("window.values.length > 0")
    assert parent.evaluate("window.values") == [True]


def test_a_reporter_added_after_a_drawn_map_reports_once(parent):
    parent.evaluate(ADD_MAP)
    parent.evaluate(LAYERS_DRAWN)
    parent.evaluate(RENDER)
    parent.wait_for_function("window.values.length > 0")
    parent.evaluate(RENDER)  # each rerun sends a render message
    parent.evaluate(FRAMES, QUIET_FRAMES)
    assert parent.evaluate("window.values") == [True]
