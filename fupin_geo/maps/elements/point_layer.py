"""Many points (villages, enterprises, cooperatives …) in one layer, sent as columns.

GeoJSON repeats every key and the tooltip's markup for every point: ~220 bytes a village.
Here each point is a position, a code, a colour index and its tooltip's plain text lines
(~80 bytes), and the browser builds markers in one loop and a tooltip only on hover. The
text is set with textContent, so a name can never become markup.

Each marker carries `feature.properties.code` (Leaflet's convention for layers made from
data), and a click reports the marker's own position rather than the mouse's, so the page
can tell exactly which record was clicked. Above SVG_MAX_POINTS circles or DOM_MAX_BADGES
badges there are no markers: one canvas layer draws them and reports clicks the same way
(point_canvas).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Sequence

from folium.map import Layer
from jinja2 import Template

from . import safe_json
from .point_canvas import CANVAS_POINTS_JS
from .raw_script import RawScriptMixin
from .tooltip_box import TOOLTIP_BOX_JS

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# Above this many points a marker each (SVG) makes the browser slow: they are drawn on one
# canvas layer instead (point_canvas). Below, each point stays an SVG path of its own, which
# the browser tests and a user's inspector can see.
SVG_MAX_POINTS = 3000
# Each badge is an HTML element (a DivIcon) that Leaflet places with a 3D transform, which
# makes it a compositor layer of its own: with 2,000 badges every frame of the whole page
# (typing in a filter included) spent ~100 ms layerizing them, and creating them and laying
# them out took ~0.5 s of a redraw. Above this many, badges are drawn on one canvas instead.
DOM_MAX_BADGES = 300


@dataclass(frozen=True)
class Points:
    """Checked point columns and their JSON: what a PointLayer sends. Made once, it can be
    drawn by any number of layers, so a caller may keep it (maps.common keeps the villages'
    per dataset: their JSON was a seventh of a rerun at 20,000 villages). Never change it."""

    columns: dict
    json: str

    @classmethod
    def of(cls, xs: Sequence[float], ys: Sequence[float], codes: Sequence[str], colors: Sequence[str],
           tips: Sequence[Sequence[str]]) -> Points:
        palette = sorted(set(colors))
        bad = [c for c in palette if not _HEX_COLOR.fullmatch(c)]
        if bad:  # colours go into markup: only our own "#rrggbb" values may
            raise ValueError(f"PointLayer colours must be #rrggbb: {bad[:3]}")
        index = {color: i for i, color in enumerate(palette)}
        columns = {
            "x": [float(x) for x in xs], "y": [float(y) for y in ys], "code": [str(c) for c in codes],
            "color": [index[c] for c in colors], "tip": [list(map(str, t)) for t in tips], "palette": palette,
        }
        if not len(columns["x"]) == len(columns["y"]) == len(columns["code"]) \
                == len(columns["color"]) == len(columns["tip"]):
            raise ValueError("PointLayer columns differ in length")
        return cls(columns, safe_json.dumps(columns))


class PointLayer(Layer, RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (data, style) {
    {{ this.tooltip_box }}
    {% if this.on_canvas %}
    var group = new ({{ this.canvas_class }})(data, style, {{ this.shape_json }}, tooltipBox);
    {% else %}
    var group = L.featureGroup();
    // One tooltip for the layer, not one per point (20,000 Tooltip objects and their
    // listeners were a large part of drawing the villages): it shows the lines of the point
    // under the mouse, and points without lines open none.
    var openTooltip = group._openTooltip;
    group._openTooltip = function (e) {
        if (e.layer && e.layer.tipLines) { openTooltip.call(this, e); }
    };
    group.bindTooltip(function (marker) { return tooltipBox(marker.tipLines); },
                      {direction: "top", offset: [0, -4]});
    function reportOwnPosition(e) { e.latlng = this.getLatLng(); }
    for (var i = 0; i < data.x.length; i++) {
        var latlng = L.latLng(data.y[i], data.x[i]);
        var color = data.palette[data.color[i]];
        var marker;
        {% if this.badge_json %}
        var span = '<span style="background:' + color + ";width:{{ this.badge_size }}px;height:{{ this.badge_size }}px;"
            + "line-height:{{ this.badge_size }}px;font-size:{{ (this.badge_size * 0.6)|round|int }}px\\">"
            + {{ this.badge_json }} + "</span>";
        marker = L.marker(latlng, {icon: L.divIcon({
            className: "fupin-badge " + style.className, html: span,
            iconSize: [{{ this.badge_size }}, {{ this.badge_size }}]})});
        {% else %}
        marker = L.circleMarker(latlng, Object.assign({radius: {{ this.radius }}}, style, {fillColor: color}));
        {% endif %}
        marker.feature = {type: "Feature", properties: {code: data.code[i]}};
        if (data.tip[i].length) { marker.tipLines = data.tip[i]; }
        marker.on("click", reportOwnPosition);
        group.addLayer(marker);
    }
    {% endif %}
    return group;
})({{ this.data_json }}, {{ this.style_json }});
{% endmacro %}
"""
    )

    def __init__(self, xs: Sequence[float], ys: Sequence[float], codes: Sequence[str],
                 colors: Sequence[str], tips: Sequence[Sequence[str]], *, name: str, style: dict,
                 class_name: str, radius: float = 6, badge: str | None = None, badge_size: int = 20,
                 overlay: bool = True, control: bool = True, show: bool = True):
        """Points at (xs, ys) with their codes, colours ("#rrggbb") and tooltip lines (the
        first shown bold; plain text, not HTML)."""
        self._setup(Points.of(xs, ys, codes, colors, tips), name=name, style=style, class_name=class_name,
                    radius=radius, badge=badge, badge_size=badge_size, overlay=overlay, control=control,
                    show=show)

    @classmethod
    def from_points(cls, points: Points, **options) -> PointLayer:
        """A layer of points prepared before (and perhaps kept: see Points)."""
        layer = cls.__new__(cls)
        layer._setup(points, **options)
        return layer

    def _setup(self, points: Points, *, name: str, style: dict, class_name: str, radius: float = 6,
               badge: str | None = None, badge_size: int = 20, overlay: bool = True,
               control: bool = True, show: bool = True):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "PointLayer"
        self.columns = points.columns
        self.data_json = points.json
        self.style_json = safe_json.dumps({**style, "className": class_name})
        self.badge_json = safe_json.dumps(html.escape(badge)) if badge else ""
        self.badge_size = int(badge_size)
        self.radius = float(radius)
        n = len(self.columns["x"])
        self.on_canvas = n > (DOM_MAX_BADGES if badge else SVG_MAX_POINTS)
        self.canvas_class = CANVAS_POINTS_JS
        self.tooltip_box = TOOLTIP_BOX_JS
        shape = {"badge": badge, "size": self.badge_size} if badge else {"radius": self.radius}
        self.shape_json = safe_json.dumps(shape)  # the badge's letter as text: canvas never reads markup

    def feature_count(self) -> int:
        return len(self.columns["x"])

    @property
    def data(self) -> dict:
        """The points as a GeoJSON FeatureCollection (for inspection; not what is sent)."""
        c = self.columns
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
             "properties": {"code": code, "color": c["palette"][k], "tip": "\n".join(tip)}}
            for x, y, code, k, tip in zip(c["x"], c["y"], c["code"], c["color"], c["tip"])
        ]}
