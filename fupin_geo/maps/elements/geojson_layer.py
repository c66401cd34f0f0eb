"""One GeoJSON layer for many features: the fast way to draw hundreds or thousands of points.

Points are circle markers (or, with `badge=`, small lettered DivIcons) coloured by their
`color` property, with their `tip` property (HTML the caller has escaped) as tooltip. A click
reports the marker's own position rather than the mouse's, so the page can tell exactly which
record was clicked. `class_name` marks every drawn element, for styling and for tests.

With `source_url` (a basemap layer, see maps/static_geojson.py) the features are fetched from
that file instead of written into the script, and drawn in their own pane beneath the data
layers, so that however late they arrive they never cover the villages; among themselves
they keep the order they were added in (the land never covers the counties).
"""
from __future__ import annotations

import html

from folium.map import Layer
from jinja2 import Template

from . import safe_json
from .raw_script import RawScriptMixin

# Above this many features SVG makes the browser slow; canvas draws them in one element.
SVG_MAX_FEATURES = 3000
# The pane of fetched basemap layers: above Leaflet's tile pane (z-index 200), so county lines
# lie over an online basemap's tiles, and below its overlay pane (400), where the data layers
# are drawn whatever the order in which the layers are added.
BASEMAP_PANE = "fupinBasemap"
BASEMAP_PANE_Z = 250


class GeoJsonLayer(Layer, RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
    interactive: {{ this.interactive_json }},
    {% if this.source_url %}pane: {{ this.pane_json }},{% endif %}
    {% if this.use_canvas %}renderer: L.canvas(),{% endif %}
    style: function (feature) {
        var style = Object.assign({}, {{ this.style_json }});
        if (feature.properties && feature.properties.color) { style.fillColor = feature.properties.color; }
        return style;
    },
    pointToLayer: function (feature, latlng) {
        {% if this.badge_json %}
        var color = (feature.properties && feature.properties.color) || "#555";
        return L.marker(latlng, {icon: L.divIcon({
            className: "fupin-badge " + {{ this.class_json }}, iconSize: [{{ this.badge_size }}, {{ this.badge_size }}],
            html: '<span style="background:' + color + ';width:{{ this.badge_size }}px;height:{{ this.badge_size }}px;'
                + 'line-height:{{ this.badge_size }}px;font-size:{{ (this.badge_size * 0.6)|round|int }}px">'
                + {{ this.badge_json }} + "</span>"
        })});
        {% else %}
        return L.circleMarker(latlng, {radius: {{ this.radius }}});
        {% endif %}
    },
    onEachFeature: function (feature, layer) {
        if (feature.properties && feature.properties.tip) {
            layer.bindTooltip(feature.properties.tip, {direction: "top", offset: [0, -4]});
        }
        if (layer.getLatLng) {
            layer.on("click", function (e) { e.latlng = layer.getLatLng(); });
        }
    }
});
{% if this.source_url %}
{{ this.get_name() }}.beforeAdd = function (map) {
    if (!map.getPane({{ this.pane_json }})) { map.createPane({{ this.pane_json }}).style.zIndex = {{ this.pane_z }}; }
    (map._fupinBasemapLayers = map._fupinBasemapLayers || []).push(this);
};
fetch({{ this.source_url_json }})
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
        {{ this.get_name() }}.addData(data);
        // files arrive in any order; the pane keeps the order the layers were added in
        // (land under counties), so each arrival restacks them all
        var map = {{ this.get_name() }}._map;
        if (map) { map._fupinBasemapLayers.forEach(function (l) { if (l._map) { l.bringToFront(); } }); }
    })
    .catch(function (error) { console.warn("basemap layer not loaded:", {{ this.source_url_json }}, error); });
{% endif %}
{% endmacro %}
"""
    )

    def __init__(self, data: dict, *, name: str, style: dict, radius: float = 6,
                 interactive: bool = True, overlay: bool = True, control: bool = True,
                 show: bool = True, class_name: str = "", badge: str | None = None,
                 badge_size: int = 20, source_url: str | None = None):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "GeoJsonLayer"
        self.data = data
        self.source_url = source_url
        self.source_url_json = safe_json.dumps(source_url)
        self.pane_json, self.pane_z = safe_json.dumps(BASEMAP_PANE), BASEMAP_PANE_Z
        # the features go by file when there is one; `data` stays for counting and tests
        self.data_json = "null" if source_url else safe_json.dumps(data)
        self.style_json = safe_json.dumps({**style, "className": class_name} if class_name else style)
        self.class_json = safe_json.dumps(class_name)
        self.badge_json = safe_json.dumps(html.escape(badge)) if badge else ""
        self.badge_size = int(badge_size)
        self.interactive_json = "true" if interactive else "false"
        self.radius = float(radius)
        self.use_canvas = len(data.get("features", ())) > SVG_MAX_FEATURES

    def feature_count(self) -> int:
        return len(self.data.get("features", ()))
