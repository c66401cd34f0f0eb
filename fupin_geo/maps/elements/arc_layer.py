"""Curved lines between pairs of places (the 湛柳 pairings and the flows between the two
cities), all in one layer sent as data.

Each arc is its two ends, a colour, a width, how far it bows out and its tooltip's plain
text lines; the browser draws every arc as a quadratic curve in one loop and sets tooltip
text with textContent, so a name can never become markup. A small dot marks where an arc
ends, so the direction of a flow can be read without arrowheads.
"""
from __future__ import annotations

import re
from typing import Sequence

from folium.map import Layer
from jinja2 import Template

from . import safe_json
from .raw_script import RawScriptMixin
from .tooltip_box import TOOLTIP_BOX_JS

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# Points along each curve: smooth at any zoom the two cities fit in, and still small.
SEGMENTS = 32


class ArcLayer(Layer, RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (data, style) {
    var group = L.featureGroup();
    {{ this.tooltip_box }}
    function tooltip(lines) {
        return function () { return tooltipBox(lines); };
    }
    for (var i = 0; i < data.x1.length; i++) {
        var x1 = data.x1[i], y1 = data.y1[i], x2 = data.x2[i], y2 = data.y2[i];
        // control point: the middle, pushed sideways by `bend` times the length
        var cx = (x1 + x2) / 2 - (y2 - y1) * data.bend[i];
        var cy = (y1 + y2) / 2 + (x2 - x1) * data.bend[i];
        var line = [];
        for (var s = 0; s <= {{ this.segments }}; s++) {
            var t = s / {{ this.segments }}, u = 1 - t;
            line.push([u * u * y1 + 2 * u * t * cy + t * t * y2, u * u * x1 + 2 * u * t * cx + t * t * x2]);
        }
        var color = data.palette[data.color[i]];
        var arc = L.polyline(line, Object.assign({}, style, {color: color, weight: data.weight[i]}));
        if (data.tip[i].length) {
            arc.bindTooltip(tooltip(data.tip[i]), {sticky: true});
        }
        group.addLayer(arc);
        group.addLayer(L.circleMarker([y2, x2], {radius: Math.max(3, data.weight[i] / 2 + 1),
            color: "#ffffff", weight: 1, fillColor: color, fillOpacity: 1, interactive: false}));
    }
    return group;
})({{ this.data_json }}, {{ this.style_json }});
{% endmacro %}
"""
    )

    def __init__(self, starts: Sequence[tuple[float, float]], ends: Sequence[tuple[float, float]],
                 colors: Sequence[str], weights: Sequence[float], bends: Sequence[float],
                 tips: Sequence[Sequence[str]], *, name: str, class_name: str, opacity: float = 0.8,
                 overlay: bool = True, control: bool = True, show: bool = True):
        """Arcs from each (lon, lat) start to its end, with "#rrggbb" colours, widths in
        pixels, bends (share of the length; the sign picks the side) and tooltip lines (the
        first shown bold; plain text, not HTML)."""
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "ArcLayer"
        self.tooltip_box = TOOLTIP_BOX_JS
        palette = sorted(set(colors))
        bad = [c for c in palette if not _HEX_COLOR.fullmatch(c)]
        if bad:  # colours go into the page's SVG: only our own "#rrggbb" values may
            raise ValueError(f"ArcLayer colours must be #rrggbb: {bad[:3]}")
        index = {color: i for i, color in enumerate(palette)}
        starts, ends = list(starts), list(ends)
        self.columns = {
            "x1": [float(p[0]) for p in starts], "y1": [float(p[1]) for p in starts],
            "x2": [float(p[0]) for p in ends], "y2": [float(p[1]) for p in ends],
            "color": [index[c] for c in colors], "weight": [float(w) for w in weights],
            "bend": [float(b) for b in bends], "tip": [list(map(str, t)) for t in tips], "palette": palette,
        }
        lengths = {len(v) for k, v in self.columns.items() if k != "palette"}
        if len(lengths) > 1:
            raise ValueError("ArcLayer columns differ in length")
        self.data_json = safe_json.dumps(self.columns)
        self.style_json = safe_json.dumps({"opacity": float(opacity), "className": class_name,
                                           "lineCap": "round"})
        self.segments = SEGMENTS

    def feature_count(self) -> int:
        return len(self.columns["x1"])
