"""Many straight lines (e.g. enterprise → village links) in one layer, sent as columns.

One folium.PolyLine per link costs a Python object, a template render and ~400 bytes of
script each. Here the ends are a table of nodes (position and plain-text name, each sent
once however many lines share it) and each line is two node indices, a colour index, a width
and its tooltip's plain-text lines as indices into a table of distinct texts (a link's
"订单 · 带动农户 30 户" repeats across thousands of lines); the browser draws them in one loop and builds a tooltip
(bold "start → end", then the lines) only on hover, with textContent, so no name can become
markup. Above SVG_MAX_LINES the lines go onto one canvas.
"""
from __future__ import annotations

import re
from typing import Sequence

from folium.map import Layer
from jinja2 import Template

from . import safe_json
from .raw_script import RawScriptMixin

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# Above this many lines SVG makes the browser slow; canvas draws them in one element.
SVG_MAX_LINES = 3000
COLUMNS = ("x", "y", "name", "a", "b", "color", "width", "tip", "text", "palette")


def _compact(width: float) -> float | int:
    """A width with at most one decimal, sent as "3" rather than "3.0"."""
    width = round(float(width), 1)
    return int(width) if width.is_integer() else width


class LineLayer(Layer, RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (lines, style) {
    var group = L.featureGroup();
    var renderer = {{ "L.canvas({tolerance: 3})" if this.use_canvas else "undefined" }};
    function tooltip(i) {
        return function () {
            var box = document.createElement("div");
            var head = document.createElement("b");
            head.textContent = lines.name[lines.a[i]] + " → " + lines.name[lines.b[i]];
            box.appendChild(head);
            lines.tip[i].forEach(function (k) {
                box.appendChild(document.createElement("br"));
                var part = document.createElement("span");
                part.textContent = lines.text[k];
                box.appendChild(part);
            });
            return box;
        };
    }
    for (var i = 0; i < lines.a.length; i++) {
        var a = lines.a[i], b = lines.b[i];
        var line = L.polyline([[lines.y[a], lines.x[a]], [lines.y[b], lines.x[b]]],
            Object.assign({renderer: renderer}, style,
                          {color: lines.palette[lines.color[i]], weight: lines.width[i]}));
        line.bindTooltip(tooltip(i), {sticky: true});
        group.addLayer(line);
    }
    return group;
})({{ this.data_json }}, {{ this.style_json }});
{% endmacro %}
"""
    )

    def __init__(self, xs: Sequence[float], ys: Sequence[float], names: Sequence[str],
                 starts: Sequence[int], ends: Sequence[int], colors: Sequence[str], widths: Sequence[float],
                 tips: Sequence[Sequence[str]], *, name: str, style: dict, class_name: str,
                 overlay: bool = True, control: bool = True, show: bool = True):
        """Nodes at (xs, ys) with their names; line i joins node starts[i] to node ends[i] in
        colors[i] ("#rrggbb") with widths[i] pixels, and tips[i] as its tooltip's lines after
        the bold "start → end" (plain text, not HTML)."""
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "LineLayer"
        palette = sorted(set(colors))
        bad = [c for c in palette if not _HEX_COLOR.fullmatch(c)]
        if bad:  # colours go into style: only our own "#rrggbb" values may
            raise ValueError(f"LineLayer colours must be #rrggbb: {bad[:3]}")
        index = {color: i for i, color in enumerate(palette)}
        nodes = len(xs)
        if not nodes == len(ys) == len(names):
            raise ValueError("LineLayer node columns differ in length")
        a, b = [int(i) for i in starts], [int(i) for i in ends]
        if not len(a) == len(b) == len(colors) == len(widths) == len(tips):
            raise ValueError("LineLayer line columns differ in length")
        if any(not 0 <= i < nodes for i in a + b):
            raise ValueError("LineLayer line ends must be node indices")
        texts: dict[str, int] = {}
        tip_index = [[texts.setdefault(str(line), len(texts)) for line in tip] for tip in tips]
        self.columns = {
            "x": [float(x) for x in xs], "y": [float(y) for y in ys], "name": [str(n) for n in names],
            "a": a, "b": b, "color": [index[c] for c in colors],
            "width": [_compact(w) for w in widths], "tip": tip_index, "text": list(texts),
            "palette": palette,
        }
        self.data_json = safe_json.dumps(self.columns)
        self.style_json = safe_json.dumps({**style, "className": class_name})
        self.use_canvas = len(a) > SVG_MAX_LINES

    def line_count(self) -> int:
        return len(self.columns["a"])
