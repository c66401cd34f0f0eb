"""One GeoJSON layer for many features: the fast way to draw hundreds or thousands of points.

Each point is a circle marker coloured by its `color` property with its `tip` property (HTML
that the caller has escaped) as tooltip. A click reports the marker's own position rather
than the mouse's, so the page can tell exactly which record was clicked.
"""
from __future__ import annotations

from folium.map import Layer
from jinja2 import Template

from . import safe_json

# Above this many features SVG makes the browser slow; canvas draws them in one element.
SVG_MAX_FEATURES = 3000


class GeoJsonLayer(Layer):
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
    interactive: {{ this.interactive_json }},
    {% if this.use_canvas %}renderer: L.canvas(),{% endif %}
    style: function (feature) {
        var style = Object.assign({}, {{ this.style_json }});
        if (feature.properties && feature.properties.color) { style.fillColor = feature.properties.color; }
        return style;
    },
    pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: {{ this.radius }}});
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
{% endmacro %}
"""
    )

    def __init__(self, data: dict, *, name: str, style: dict, radius: float = 6,
                 interactive: bool = True, overlay: bool = True, control: bool = True,
                 show: bool = True):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "GeoJsonLayer"
        self.data = data
        self.data_json = safe_json.dumps(data)
        self.style_json = safe_json.dumps(style)
        self.interactive_json = "true" if interactive else "false"
        self.radius = float(radius)
        self.use_canvas = len(data.get("features", ())) > SVG_MAX_FEATURES

    def feature_count(self) -> int:
        return len(self.data.get("features", ()))
