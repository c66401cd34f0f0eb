"""A legend drawn as a Leaflet control: coloured dots with labels (escaped).

Added to a map, it is always shown. Added to a layer group, it is shown exactly while that
group is on the map, so a legend never outlives its layer.
"""
from __future__ import annotations

import html

from jinja2 import Template

from . import safe_json
from .raw_script import RawScriptMixin


class Legend(RawScriptMixin):
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: {{ this.position_json }}});
{{ this.get_name() }}.onAdd = function () {
    var div = L.DomUtil.create("div", "fupin-legend");
    div.setAttribute("data-legend", {{ this.title_json }});
    div.innerHTML = {{ this.html_json }};
    return div;
};
(function (legend, parent) {
    if (parent instanceof L.Map) { legend.addTo(parent); return; }
    parent.on("add", function () { legend.addTo(parent._map); });
    parent.on("remove", function () { legend.remove(); });
    if (parent._map) { legend.addTo(parent._map); }
})({{ this.get_name() }}, {{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, title: str, entries: list[tuple[str, str | None]], position: str = "bottomright"):
        """`entries`: (label, colour); a colour of None draws an empty ring (something the
        map has no mark of its own for)."""
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.entries = entries
        rows = "".join(
            f'<div><span class="swatch" style="{_swatch(color)}"></span>{html.escape(label)}</div>'
            for label, color in entries
        )
        self.html_json = safe_json.dumps(f"<b>{html.escape(title)}</b>{rows}")
        self.title_json = safe_json.dumps(title)
        self.position_json = safe_json.dumps(position)


# An entry without a colour: a ring in the legend's own grey.
EMPTY_SWATCH = "background:transparent;border-color:#777777"


def _swatch(color: str | None) -> str:
    return EMPTY_SWATCH if color is None else f"background:{html.escape(color)}"
