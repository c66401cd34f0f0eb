"""Works around Streamlit 1.67.0 rewriting the page URL, from streamlit-folium 0.27.4's frame.

Keeps the page URL's `view` parameter equal to the map's centre and zoom. Pans and zooms must
not rerun the page (each would cost a server round trip), yet a copied link should open the
same extent. The map's frame is served by the app itself (same origin), so it can write the
extent into the parent page's URL in place. Streamlit rewrites that URL whenever the script
sets query parameters, so the parent's history functions are wrapped once to carry the
current extent along on this page's path. Python reads `view` when a link is opened;
afterwards the browser alone keeps it current.

A folium element that the 产业地图 page adds to its base map: the map builders in maps/
return a map that knows nothing of the page it is shown in.

The extent is written in WGS-84 whatever the basemap: under a GCJ-02 basemap (高德) the
map's centre is converted back here (`_GCJ_TO_WGS`, the same formula as geo.coords), so a
link opens at the same place on every basemap.
"""
from __future__ import annotations

from jinja2 import Template

from ...geo.coords import CHINA_LAT_MAX, CHINA_LAT_MIN, CHINA_LON_MAX, CHINA_LON_MIN, KRASOVSKY_A, \
    KRASOVSKY_EE, CoordSystem
from ...maps.elements import safe_json
from ...maps.elements.raw_script import RawScriptMixin

# Created in the parent's realm (not the frame's) so it keeps working after the frame is
# replaced. `this` is the parent window.
_WRAP_HISTORY = """
var win = this;
if (win.__fupinHistoryWrapped) { return; }
win.__fupinHistoryWrapped = true;
["pushState", "replaceState"].forEach(function (name) {
    var original = win.history[name].bind(win.history);
    win.history[name] = function (state, title, url) {
        if (url !== undefined && url !== null && win.__fupinView) {
            var next = new URL(url, win.location.href);
            if (next.pathname === win.__fupinView.path) {
                next.searchParams.set(win.__fupinView.param, win.__fupinView.value);
                url = next.toString();
            }
        }
        return original(state, title, url);
    };
});
"""


# GCJ-02 -> WGS-84 of one (lat, lng), as geo.coords does it: the forward offset, inverted by
# fixed-point iteration. A function body taking (lat, lng), returning [lat, lng].
_GCJ_TO_WGS = """
function tlat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
}
function tlon(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
}
function toGcj(lat, lng) {
    if (lng < %(lon_min)r || lng > %(lon_max)r || lat < %(lat_min)r || lat > %(lat_max)r) { return [lat, lng]; }
    var dlat = tlat(lng - 105, lat - 35), dlng = tlon(lng - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - %(ee)r * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dlat = (dlat * 180) / ((%(a)r * (1 - %(ee)r)) / (magic * sq) * Math.PI);
    dlng = (dlng * 180) / (%(a)r / sq * Math.cos(rad) * Math.PI);
    return [lat + dlat, lng + dlng];
}
var wlat = lat, wlng = lng;
for (var i = 0; i < 30; i++) {
    var g = toGcj(wlat, wlng), elat = g[0] - lat, elng = g[1] - lng;
    wlat -= elat; wlng -= elng;
    if (Math.abs(elat) < 1e-9 && Math.abs(elng) < 1e-9) { break; }
}
return [wlat, wlng];
""" % {"lon_min": CHINA_LON_MIN, "lon_max": CHINA_LON_MAX, "lat_min": CHINA_LAT_MIN, "lat_max": CHINA_LAT_MAX,
       "ee": KRASOVSKY_EE, "a": KRASOVSKY_A}
# Drawn coordinates -> WGS-84, per basemap coordinate system (no basemap here uses BD-09).
_TO_WGS84 = {CoordSystem.WGS84: "return [lat, lng];", CoordSystem.GCJ02: _GCJ_TO_WGS}


class ViewSync(RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var win;
    try { win = window.parent; win.location.href; } catch (error) { return; }  // other origin
    if (win === window) { return; }  // a map opened on its own: no page URL to keep
    new win.Function({{ this.wrap_json }}).call(win);
    var toWgs84 = new Function("lat", "lng", {{ this.to_wgs84_json }});
    function sync() {
        var c = map.getCenter(), centre = toWgs84(c.lat, c.lng);
        centre = {lat: centre[0], lng: centre[1]};
        win.__fupinView = {
            path: win.location.pathname, param: {{ this.param_json }},
            value: centre.lat.toFixed(5) + "," + centre.lng.toFixed(5) + "," + map.getZoom()
        };
        win.history.replaceState(win.history.state, "", win.location.href);
    }
    map.on("moveend", sync);
    sync();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, param: str = "view", crs: CoordSystem = CoordSystem.WGS84):
        """`crs`: the system the map is drawn in (the basemap's); the URL gets WGS-84."""
        super().__init__()
        self._name = "ViewSync"
        self.param_json = safe_json.dumps(param)
        self.to_wgs84_json = safe_json.dumps(_TO_WGS84[CoordSystem(crs)])
        self.wrap_json = safe_json.dumps(_WRAP_HISTORY)
