"""Names placed so they never overlap (maps.label_placement), moved as the map zooms.

The placements come computed for each zoom step; on every zoom the layer takes the step at or
below the map's zoom and moves each name there, drawing a thin leader line back to its point
when it had to move away. Names are set with textContent, never as markup.
"""
from __future__ import annotations

from typing import Sequence

from folium.map import Layer
from jinja2 import Template

from ..label_placement import FIRST_CHOICE, FONT_PX, LINE_PX, PAD_PX, Placement, text_size
from . import safe_json
from .raw_script import RawScriptMixin

LEADER_COLOR = "#6b5b4b"

# The box sizes label_placement assumes come from these numbers.
STYLE = f"""<style>
.fupin-placed-label {{ position: absolute; font-size: {FONT_PX}px; line-height: {LINE_PX}px;
  padding: 0 {PAD_PX}px; font-weight: 600; color: #3b3026; white-space: nowrap; box-sizing: border-box;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }}
.fupin-placed-leader {{ position: absolute; left: 0; top: -0.5px; height: 1px; background: {LEADER_COLOR};
  transform-origin: 0 0.5px; pointer-events: none; }}
.fupin-placed-dot {{ position: absolute; left: -2px; top: -2px; width: 4px; height: 4px; border-radius: 50%;
  background: {LEADER_COLOR}; pointer-events: none; }}
</style>"""


class PlacedLabels(Layer, RawScriptMixin):
    _template = Template(
        """
{% macro header(this, kwargs) %}{{ this.style }}{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (items, steps) {
    function stepAt(zoom) {
        var chosen = steps[0];
        for (var s = 0; s < steps.length; s++) { if (steps[s][0] <= zoom + 1e-6) chosen = steps[s]; }
        return chosen[1];
    }
    function part(className) {
        var element = document.createElement("div");
        element.className = className;
        return element;
    }
    var markers = items.map(function (item) {
        var root = document.createElement("div");
        var line = part("fupin-placed-leader"), dot = part("fupin-placed-dot");
        var name = document.createElement("span");
        name.className = "fupin-placed-label";
        name.style.width = item[3] + "px";
        name.textContent = item[2];
        root.appendChild(line);
        root.appendChild(dot);
        root.appendChild(name);
        var marker = L.marker([item[1], item[0]], {interactive: false, keyboard: false,
            icon: L.divIcon({className: "fupin-placed", html: root, iconSize: [0, 0], iconAnchor: [0, 0]})});
        marker.fupinParts = {line: line, dot: dot, name: name};
        return marker;
    });
    function arrange(zoom) {
        var placed = stepAt(zoom);
        markers.forEach(function (marker, i) {
            var p = placed[i] || {{ this.first_json }}, parts = marker.fupinParts;
            // the leader ends at the point of the name's box nearest the place
            var ex = Math.min(Math.max(0, p[0]), p[0] + items[i][3]);
            var ey = Math.min(Math.max(0, p[1]), p[1] + {{ this.line_px }});
            parts.name.style.left = p[0] + "px";
            parts.name.style.top = p[1] + "px";
            // the leader: a thin bar from the point, turned towards where the name meets it
            parts.line.style.display = parts.dot.style.display = p[2] ? "" : "none";
            parts.line.style.width = Math.hypot(ex, ey) + "px";
            parts.line.style.transform = "rotate(" + Math.atan2(ey, ex) + "rad)";
        });
    }
    var Group = L.LayerGroup.extend({
        onAdd: function (map) {
            L.LayerGroup.prototype.onAdd.call(this, map);
            this._arrange = function () { arrange(map.getZoom()); };
            map.on("zoomend", this._arrange);
            this._arrange();
        },
        onRemove: function (map) {
            map.off("zoomend", this._arrange);
            L.LayerGroup.prototype.onRemove.call(this, map);
        }
    });
    return new Group(markers);
})({{ this.items_json }}, {{ this.steps_json }});
{% endmacro %}
"""
    )

    def __init__(self, items: Sequence[tuple[float, float, str]],
                 steps: Sequence[tuple[float, Sequence[Placement]]], *, name: str, control: bool = False):
        """`items` are (lon, lat, name); `steps` are (zoom, one Placement per item), from the
        lowest zoom up (label_placement.place_by_zoom)."""
        super().__init__(name=name, overlay=True, control=control)
        self._name = "PlacedLabels"
        self.style = STYLE
        self.items = [(round(x, 5), round(y, 5), str(text), text_size(str(text))[0]) for x, y, text in items]
        # each step lists every name's [dx, dy, leader], or 0 for the first choice (east of its
        # point): most names, at most zooms; the script stays small as st_folium resends it
        encoded = []
        for zoom, placements in steps:
            if len(placements) != len(self.items):
                raise ValueError("one placement per name at every zoom step")
            encoded.append([zoom, [0 if p == FIRST_CHOICE else [p.dx, p.dy, int(p.leader)]
                                   for p in placements]])
        if not encoded:
            raise ValueError("at least one zoom step")
        self.first_json = safe_json.dumps([FIRST_CHOICE.dx, FIRST_CHOICE.dy, 0])
        self.line_px = LINE_PX
        self.items_json = safe_json.dumps(self.items)
        self.steps_json = safe_json.dumps(encoded)
