"""A folium Map that loads Leaflet from our own server and draws no tiles by default."""
from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from ... import config
from .. import assets
from . import safe_json

# The attribution's prefix in Chinese: Leaflet's own is an English link ("A JavaScript library
# for interactive maps") with a flag. Plain text: a map page holds no address to the internet.
# The basemaps' credits follow it (geo.basemaps).
ATTRIBUTION_PREFIX = "地图库 Leaflet（开源）"

_STYLE = """<style>
.leaflet-container {{ background: {sea}; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }}
.leaflet-tooltip {{ font-size: 14px; white-space: nowrap; }}
.fupin-label {{ font-size: 13px; font-weight: 600; color: #3b3026; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }}
.fupin-legend {{ background: rgba(255,255,255,.92); padding: 4px 8px; border-radius: 6px;
  font-size: 12px; line-height: 17px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }}
.fupin-town-label {{ font-size: 12px; color: #5a3d8a; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }}
.fupin-badge span {{ display: block; border-radius: 4px;
  color: #fff; font-weight: 700; text-align: center; border: 1px solid #fff; box-sizing: border-box;
  box-shadow: 0 1px 3px rgba(0,0,0,.4); }}
.fupin-rank-label {{ font-size: 12px; font-weight: 700; color: #08306b; white-space: nowrap;
  margin: -20px 0 0 9px; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }}
.fupin-site-label {{ font-size: 13px; font-weight: 700; color: #3f007d; white-space: nowrap;
  margin: 8px 0 0 8px; text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }}
.leaflet-right .fupin-legend {{ margin-top: 6px; margin-bottom: 0; }}
.fupin-legend .swatch {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  margin-right: 6px; vertical-align: -1px; border: 1px solid #fff; }}
</style>"""


class OfflineMap(folium.Map):
    """folium.Map with only Leaflet, served locally; jQuery, Bootstrap and the icon fonts that
    folium adds by default are not used by our layers and would each be a CDN request."""

    default_js = [("leaflet", assets.LEAFLET_JS)]
    default_css = [("leaflet_css", assets.LEAFLET_CSS)]

    def __init__(self, bounds: tuple[float, float, float, float],
                 view: tuple[float, float, float] | None = None, **kwargs):
        """Show `bounds` (minx, miny, maxx, maxy), or `view` (lat, lon, zoom) when given."""
        minx, miny, maxx, maxy = bounds
        kwargs.setdefault("tiles", None)
        # Without tiles Leaflet does not know the zoom range; MarkerCluster then fails.
        kwargs.setdefault("min_zoom", config.MIN_ZOOM)
        kwargs.setdefault("max_zoom", config.MAX_ZOOM)
        kwargs.setdefault("zoom_snap", 0.25)
        lat, lon, zoom = view or ((miny + maxy) / 2, (minx + maxx) / 2, 9)
        super().__init__(location=[lat, lon], zoom_start=zoom, **kwargs)
        self.options["maxZoom"] = kwargs["max_zoom"]
        self.options["minZoom"] = kwargs["min_zoom"]
        self.get_root().header.add_child(Element(_STYLE.format(sea=config.SEA_COLOR)), name="fupin_style")
        if view is None:
            self.fit_bounds([[miny, minx], [maxy, maxx]])
        AttributionPrefix(ATTRIBUTION_PREFIX).add_to(self)


class AttributionPrefix(MacroElement):
    """Sets the map's attribution prefix (our own constant markup, never data)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
if ({{ this._parent.get_name() }}.attributionControl) {
    {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix_json }});
}
{% endmacro %}
"""
    )

    def __init__(self, prefix: str):
        super().__init__()
        self._name = "AttributionPrefix"
        self.prefix_json = safe_json.dumps(prefix)
