"""Badges (parks, enterprises …) sit on their points before and after a zoom: up to
DOM_MAX_BADGES as Leaflet markers, above it (2,000 enterprises at scale) painted on one canvas,
where the mouse finds them as it finds the markers (maps.elements.point_layer, point_canvas)."""
from __future__ import annotations

import math


from fupin_geo.maps import common
from fupin_geo.maps.elements import PointLayer
from fupin_geo.maps.elements.point_layer import DOM_MAX_BADGES

RED = "#b2182b"
SIZE = 20
# For every DOM badge: its centre on screen minus where Leaflet projects its point, in pixels.
_DOM_PLACEMENT = """name => {
    const map = window[name], box = map.getContainer().getBoundingClientRect();
    const out = [];
    map.eachLayer(l => {
        if (!l._icon || !l._icon.classList.contains('fupin-badge')) return;
        const r = l._icon.getBoundingClientRect(), p = map.latLngToContainerPoint(l.getLatLng());
        out.push({dx: r.left + r.width / 2 - box.left - p.x, dy: r.top + r.height / 2 - box.top - p.y});
    });
    return out;
}"""
# For every canvas badge inside the view: the colour painted just inside its top edge
# (the centre holds its white letter).
_CANVAS_PIXELS = """([name, layerName, inset]) => {
    const map = window[name], layer = window[layerName], size = map.getSize(), out = [];
    const canvas = map.getPane('overlayPane').querySelector('canvas.fupin-enterprises');
    const box = map.getContainer().getBoundingClientRect(), r = canvas.getBoundingClientRect();
    const ctx = canvas.getContext('2d');
    for (let i = 0; i < layer.pointCount(); i++) {
        const p = map.latLngToContainerPoint(layer._latlngs[i]);
        if (p.x < 20 || p.y < 20 || p.x > size.x - 20 || p.y > size.y - 20) continue;
        const d = ctx.getImageData(Math.round(box.left + p.x - r.left), Math.round(box.top + p.y - inset - r.top),
                                   1, 1).data;
        out.push([d[0], d[1], d[2], d[3]]);
    }
    return out;
}"""


def badge_map(n: int):
    """The offline base map with `n` enterprise badges on a lattice over 湛江, apart at its first zoom."""
    m = common.base_map()
    side = math.ceil(math.sqrt(n))
    xs = [109.8 + 1.0 * (i % side) / side for i in range(n)]
    ys = [20.5 + 1.3 * (i // side) / side for i in range(n)]
    layer = PointLayer(xs, ys, [f"E{i}" for i in range(n)], [RED] * n, [[f"企业{i}"] for i in range(n)],
                       name="龙头企业", style={}, class_name="fupin-enterprises", badge="企", badge_size=SIZE)
    layer.add_to(m)
    return m, layer, xs, ys


def show(page, app_url: str, n: int):
    m, layer, xs, ys = badge_map(n)
    html = m.get_root().render()
    # served from the app's own address, so Leaflet comes from its /app/static like in the app
    url = f"{app_url}/badge-test-{n}.html"
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(url)
    return m.get_name(), layer.get_name(), xs, ys


def _settled(page, name: str) -> None:
    page.wait_for_function("name => window[name] && !window[name]._animatingZoom", arg=name)


def test_up_to_the_limit_badges_are_markers_on_their_points(recorded_page, app_url):
    page = recorded_page.page
    name, _, _, _ = show(page, app_url, DOM_MAX_BADGES)
    page.wait_for_function(f"() => document.querySelectorAll('.fupin-badge').length === {DOM_MAX_BADGES}")
    _settled(page, name)
    before = page.evaluate(_DOM_PLACEMENT, name)
    page.evaluate("name => window[name].setZoom(window[name].getZoom() + 2, {animate: false})", name)
    after = page.evaluate(_DOM_PLACEMENT, name)
    assert len(before) == len(after) == DOM_MAX_BADGES
    for found in (before, after):
        assert max(abs(b["dx"]) for b in found) < 1.0 and max(abs(b["dy"]) for b in found) < 1.0
    assert page.locator("canvas.fupin-enterprises").count() == 0
    assert recorded_page.foreign_requests() == []


def test_above_the_limit_badges_are_painted_on_their_points_and_answer_the_mouse(recorded_page, app_url, artifacts):
    page = recorded_page.page
    n = DOM_MAX_BADGES + 1
    name, layer_name, xs, ys = show(page, app_url, n)
    page.wait_for_function("([m, l]) => window[l] && window[l].drawn && !window[m]._animatingZoom",
                           arg=[name, layer_name])
    assert page.locator(".fupin-badge").count() == 0  # no HTML element each
    red = (0xb2, 0x18, 0x2b)

    def all_red() -> bool:
        pixels = page.evaluate(_CANVAS_PIXELS, [name, layer_name, SIZE // 2 - 2])
        assert len(pixels) > 20
        return all(p[3] == 255 and max(abs(a - b) for a, b in zip(p, red)) <= 8 for p in pixels)

    assert all_red()
    page.screenshot(path=str(artifacts / "badges-canvas.png"))
    page.evaluate("name => window[name].setZoom(window[name].getZoom() + 2, {animate: false})", name)
    page.wait_for_function("l => window[l].drawn", arg=layer_name)
    assert all_red()

    # the mouse near a badge's corner finds it: its tooltip, its click with its own position
    i = next(k for k in range(n) if page.evaluate(
        """([m, l, k]) => { const p = window[m].latLngToContainerPoint(window[l]._latlngs[k]), s = window[m].getSize();
            return p.x > 40 && p.y > 40 && p.x < s.x - 40 && p.y < s.y - 40; }""", [name, layer_name, k]))
    x, y = page.evaluate("""([m, l, k]) => {
        const map = window[m], p = map.latLngToContainerPoint(window[l]._latlngs[k]);
        const box = map.getContainer().getBoundingClientRect(); return [box.left + p.x, box.top + p.y]; }""",
                         [name, layer_name, i])
    corner = (x + SIZE / 2 - 2, y - SIZE / 2 + 2)
    page.mouse.move(*corner)
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for()
    assert tip.inner_text() == f"企业{i}"
    page.evaluate("l => window[l].on('click', e => { window.__clicked = [e.latlng.lat, e.latlng.lng, e.code]; })",
                  layer_name)
    page.mouse.click(*corner)
    assert page.wait_for_function("() => window.__clicked").json_value() == [ys[i], xs[i], f"E{i}"]
    # just outside the square: nothing
    page.evaluate("() => { window.__clicked = null; }")
    page.mouse.click(x + SIZE / 2 + 3, y)
    assert page.evaluate("() => window.__clicked") is None
    assert recorded_page.foreign_requests() == []
