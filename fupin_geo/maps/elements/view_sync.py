"""Keeps the page URL's `view` parameter equal to the map's centre and zoom.

Pans and zooms must not rerun the page (each would cost a server round trip), yet a copied
link should open the same extent. The map's frame is served by the app itself (same origin),
so it can write the extent into the parent page's URL in place. Streamlit rewrites that URL
whenever the script sets query parameters, so the parent's history functions are wrapped
once to carry the current extent along on this page's path. Python reads `view` when a link
is opened; afterwards the browser alone keeps it current.
"""
from __future__ import annotations

from jinja2 import Template

from . import safe_json
from .raw_script import RawScriptMixin

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


class ViewSync(RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var win;
    try { win = window.parent; win.location.href; } catch (error) { return; }  // other origin
    if (win === window) { return; }  // a map opened on its own: no page URL to keep
    new win.Function({{ this.wrap_json }}).call(win);
    function sync() {
        var centre = map.getCenter();
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

    def __init__(self, param: str = "view"):
        super().__init__()
        self._name = "ViewSync"
        self.param_json = safe_json.dumps(param)
        self.wrap_json = safe_json.dumps(_WRAP_HISTORY)
