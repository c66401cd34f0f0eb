"""Text labels (e.g. county names) as non-interactive DivIcon markers in one layer."""
from __future__ import annotations

import html

from folium.map import Layer
from jinja2 import Template

from . import safe_json
from .raw_script import RawScriptMixin


class Labels(Layer, RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.layerGroup(
    {{ this.items_json }}.map(function (item) {
        return L.marker([item[1], item[0]], {
            interactive: false, keyboard: false,{% if this.pane_json %} pane: {{ this.pane_json }},{% endif %}
            icon: L.divIcon({className: {{ this.class_json }}, html: item[2], iconSize: null})
        });
    })
);
{% endmacro %}
"""
    )

    def __init__(self, items: list[tuple[float, float, str]], *, name: str, control: bool = False,
                 class_name: str = "fupin-label", pane: str | None = None):
        """`pane`: a map pane created before (folium.map.CustomPane), e.g. one above the
        markers; by default Leaflet's marker pane."""
        super().__init__(name=name, overlay=True, control=control)
        self._name = "Labels"
        self.items = [(round(x, 5), round(y, 5), html.escape(text)) for x, y, text in items]
        self.items_json = safe_json.dumps(self.items)
        self.class_json = safe_json.dumps(class_name)
        self.pane_json = safe_json.dumps(pane) if pane else ""
