"""Many badges (2,000 enterprises at scale) are placed with left/top, not 3D transforms, and
still sit on their points before and after a zoom (maps.elements.point_layer)."""
from __future__ import annotations

import pytest

from fupin_geo.maps import common
from fupin_geo.maps.elements import PointLayer
from fupin_geo.maps.elements.point_layer import COMPOSITED_MAX_BADGES

# For every badge: its centre on screen minus where Leaflet projects its point, in pixels,
# and how it is placed.
_PLACEMENT = """name => {
    const map = window[name], box = map.getContainer().getBoundingClientRect();
    const out = [];
    map.eachLayer(l => {
        if (!l._icon || !l._icon.classList.contains('fupin-badge')) return;
        const r = l._icon.getBoundingClientRect(), p = map.latLngToContainerPoint(l.getLatLng());
        out.push({dx: r.left + r.width / 2 - box.left - p.x, dy: r.top + r.height / 2 - box.top - p.y,
                  transform: getComputedStyle(l._icon).transform, left: l._icon.style.left,
                  flat: l._icon.classList.contains('fupin-flat')});
    });
    return out;
}"""


def badge_map(n: int):
    """The offline base map with `n` enterprise badges spread over 湛江."""
    m = common.base_map()
    xs = [110.0 + 0.9 * i / n for i in range(n)]
    ys = [21.0 + 0.6 * ((7 * i) % n) / n for i in range(n)]
    PointLayer(xs, ys, [f"E{i}" for i in range(n)], ["#b2182b"] * n, [[f"企业{i}"] for i in range(n)], name="龙头企业",
               style={}, class_name="fupin-enterprises", badge="企").add_to(m)
    return m


def placement(page, app_url: str, n: int) -> list[dict]:
    m = badge_map(n)
    html = m.get_root().render()
    # served from the app's own address, so Leaflet comes from its /app/static like in the app
    url = f"{app_url}/badge-test-{n}.html"
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(url)
    page.wait_for_function(f"() => document.querySelectorAll('.fupin-badge').length === {n}")
    return m.get_name()


@pytest.mark.parametrize("n", [COMPOSITED_MAX_BADGES, COMPOSITED_MAX_BADGES + 1])
def test_badges_sit_on_their_points_before_and_after_a_zoom(recorded_page, app_url, artifacts, n):
    page = recorded_page.page
    name = placement(page, app_url, n)
    before = page.evaluate(_PLACEMENT, name)
    page.evaluate("name => window[name].setZoom(window[name].getZoom() + 2, {animate: false})", name)
    after = page.evaluate(_PLACEMENT, name)
    assert len(before) == len(after) == n
    for found in (before, after):
        assert max(abs(b["dx"]) for b in found) < 1.0 and max(abs(b["dy"]) for b in found) < 1.0
    if n > COMPOSITED_MAX_BADGES:
        # no transform at all: the browser gives such an element no compositor layer of its own
        assert {b["transform"] for b in after} == {"none"} and all(b["left"].endswith("px") for b in after)
        assert all(b["flat"] for b in after)
        page.screenshot(path=str(artifacts / "badges-flat.png"))
    else:
        assert all(b["transform"].startswith("matrix") for b in after) and not any(b["flat"] for b in after)
    assert recorded_page.foreign_requests() == []
