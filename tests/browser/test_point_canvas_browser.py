"""Above SVG_MAX_POINTS circles, a PointLayer is one canvas layer (maps.elements.point_canvas):
its points are painted where Leaflet projects them, before and after a zoom and a pan; the
mouse over a point opens that point's tooltip as plain text; a click reports that point's own
position, which is how st_folium tells the page which village was clicked."""
from __future__ import annotations

import math

import pytest

from fupin_geo.maps import common
from fupin_geo.maps.elements import GeoJsonLayer, PointLayer
from fupin_geo.maps.elements.point_layer import SVG_MAX_POINTS

N = SVG_MAX_POINTS + 1
FILL = "#1a9850"
HOSTILE = "<img src=x onerror=\"window.__pwned=1\">{{7*7}}"

# The colour painted at each point's own pixel (sampled from every canvas of the overlay pane),
# for the points inside the view.
_PIXELS_AT_POINTS = """([name, layerName]) => {
    const map = window[name], layer = window[layerName], size = map.getSize(), out = [];
    const canvases = [...map.getPane('overlayPane').querySelectorAll('canvas')];
    const box = map.getContainer().getBoundingClientRect();
    for (let i = 0; i < layer.pointCount(); i += 7) {
        const p = map.latLngToContainerPoint(layer._latlngs[i]);
        if (p.x < 8 || p.y < 8 || p.x > size.x - 8 || p.y > size.y - 8) continue;
        let rgb = null;
        for (const c of canvases) {
            const r = c.getBoundingClientRect(), sx = c.width / r.width, sy = c.height / r.height;
            const d = c.getContext('2d').getImageData(Math.round((box.left + p.x - r.left) * sx),
                                                      Math.round((box.top + p.y - r.top) * sy), 1, 1).data;
            if (d[3] > 0) rgb = [d[0], d[1], d[2]];
        }
        out.push(rgb);
    }
    return out;
}"""


def canvas_map(n: int):
    """The offline base map with `n` villages on a lattice over 湛江, far enough apart not to
    overlap at the map's first zoom, the last one with a hostile name."""
    m = common.base_map()
    # a filled area under the points in the overlay pane's SVG, as a choropleth or a park's scope
    area = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
        [[109.7, 20.4], [110.9, 20.4], [110.9, 21.9], [109.7, 21.9], [109.7, 20.4]]]}}
    GeoJsonLayer({"type": "FeatureCollection", "features": [area]}, name="着色", interactive=False,
                 style=common.COUNTY_STYLE, class_name="fupin-choropleth").add_to(m)
    side = math.ceil(math.sqrt(n))
    xs = [109.8 + 1.0 * (i % side) / side for i in range(n)]
    ys = [20.5 + 1.3 * (i // side) / side for i in range(n)]
    tips = [[f"村{i}", f"第{i}行"] for i in range(n)]
    tips[-1] = [HOSTILE, "第二行"]
    layer = PointLayer(xs, ys, [f"V{i}" for i in range(n)], [FILL] * n, tips, name="贫困村",
                       style=common.VILLAGE_STYLE, class_name="fupin-villages")
    layer.add_to(m)
    return m, layer, xs, ys


@pytest.fixture
def drawn(recorded_page, app_url):
    m, layer, xs, ys = canvas_map(N)
    html = m.get_root().render()
    url = f"{app_url}/point-canvas-test.html"  # the app's own address: Leaflet from its /app/static
    page = recorded_page.page
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(url)
    # drawn for the map's own view, after its opening fitBounds
    page.wait_for_function("([m, l]) => window[l] && window[l].drawn && !window[m]._animatingZoom",
                           arg=[m.get_name(), layer.get_name()])
    return page, m.get_name(), layer.get_name(), xs, ys


def _mouse_at(page, names, i: int) -> tuple[float, float]:
    """The page coordinates of point i."""
    return tuple(page.evaluate("""([name, layerName, i]) => {
        const map = window[name], p = map.latLngToContainerPoint(window[layerName]._latlngs[i]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""", [*names, i]))


def _painted_fill(page, names) -> list:
    pixels = page.evaluate(_PIXELS_AT_POINTS, list(names))
    assert len(pixels) > 10
    return pixels


def test_a_canvas_layer_paints_every_point_where_leaflet_projects_it(drawn, artifacts, recorded_page):
    page, name, layer_name, _, _ = drawn
    names = (name, layer_name)
    assert page.evaluate("n => window[n].pointCount()", layer_name) == N
    # one layer on the map for all the points, no marker each
    villages = page.evaluate("""name => Object.values(window[name]._layers)
        .filter(l => l.options && l.options.className === 'fupin-villages').map(l => !!l.getLatLng)""", name)
    assert villages == [False]
    green = [0x1a, 0x98, 0x50]

    def all_green():
        return all(p is not None and max(abs(a - b) for a, b in zip(p, green)) <= 12
                   for p in _painted_fill(page, names))

    assert all_green()
    # above the pane's SVG, where filled areas lie (Leaflet's style sheet puts canvases under
    # it: the villages were hidden over land); the basemap's counties are in a pane beneath
    layers = page.evaluate("""name => [...window[name].getPane('overlayPane').children]
        .map(e => [e.tagName.toLowerCase(), Number(getComputedStyle(e).zIndex)])""", name)
    canvas_z = [z for tag, z in layers if tag == "canvas"]
    assert len(canvas_z) == 1 and canvas_z[0] > max(z for tag, z in layers if tag == "svg")
    assert page.evaluate("""name => [window[name].getPane('fupinBasemap'), window[name].getPane('overlayPane')]
        .map(p => Number(getComputedStyle(p).zIndex))""", name) == [250, 400]
    page.screenshot(path=str(artifacts / "point-canvas.png"))
    page.evaluate("name => window[name].setZoom(window[name].getZoom() + 2, {animate: false})", name)
    assert all_green()
    page.evaluate("name => window[name].panBy([180, -120], {animate: false})", name)
    assert all_green()
    assert recorded_page.foreign_requests() == []


def test_hovering_a_point_shows_its_own_tooltip_as_plain_text(drawn):
    page, name, layer_name, _, _ = drawn
    names = (name, layer_name)
    page.mouse.move(*_mouse_at(page, names, 1234))
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for()
    assert tip.inner_text().split("\n") == ["村1234", "第1234行"]
    page.mouse.move(*_mouse_at(page, names, N - 1))
    page.wait_for_function("() => document.querySelector('.leaflet-tooltip').innerText.startsWith('<img')")
    assert tip.inner_text().split("\n") == [HOSTILE, "第二行"]
    assert page.locator(".leaflet-tooltip img").count() == 0 and page.evaluate("() => window.__pwned") is None
    # off every point: no tooltip
    page.mouse.move(5, 5)
    tip.wait_for(state="detached")


@pytest.mark.parametrize("i", [0, 777, N - 1])
def test_a_click_reports_the_points_own_position(drawn, i):
    page, name, layer_name, xs, ys = drawn
    names = (name, layer_name)
    page.evaluate("n => window[n].on('click', e => { window.__clicked = [e.latlng.lat, e.latlng.lng, e.code]; })",
                  layer_name)
    x, y = _mouse_at(page, names, i)
    page.mouse.click(x + 2, y - 2)  # off centre, still on the circle
    lat, lng, code = page.wait_for_function("() => window.__clicked").json_value()
    assert (lat, lng, code) == (ys[i], xs[i], f"V{i}")
    # a click beside every point reports nothing
    page.evaluate("() => { window.__clicked = null; }")
    page.mouse.click(5, 5)
    assert page.evaluate("() => window.__clicked") is None


def test_of_two_canvas_layers_the_one_on_top_gets_the_click(recorded_page, app_url):
    m, bottom, xs, ys = canvas_map(N)
    top = PointLayer(xs, ys, [f"C{i}" for i in range(N)], ["#762a83"] * N, [["合作社"]] * N, name="合作社",
                     style=common.VILLAGE_STYLE, class_name="fupin-coops")
    top.add_to(m)
    url = f"{app_url}/point-canvas-two.html"
    page = recorded_page.page
    html = m.get_root().render()
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(url)
    names = (m.get_name(), top.get_name())
    page.wait_for_function("([m, l]) => window[l] && window[l].drawn && !window[m]._animatingZoom", arg=list(names))
    page.evaluate("""([b, t]) => { window.__clicks = [];
        for (const n of [b, t]) window[n].on('click', e => window.__clicks.push(e.code)); }""",
                  [bottom.get_name(), top.get_name()])
    page.mouse.click(*_mouse_at(page, names, 42))
    page.wait_for_function("() => window.__clicks.length")
    assert page.evaluate("() => window.__clicks") == ["C42"]
    # the top layer removed, its listeners go with it and the one beneath answers
    page.evaluate("([m, t]) => { window[m].removeLayer(window[t]); window.__clicks = []; }", list(names))
    assert page.locator("canvas.fupin-coops").count() == 0
    page.mouse.click(*_mouse_at(page, names, 42))
    page.wait_for_function("() => window.__clicks.length")
    assert page.evaluate("() => window.__clicks") == ["V42"]
