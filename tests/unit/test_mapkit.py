"""mapkit: one group per map element, each rendered to HTML and checked there."""
from __future__ import annotations

import json
import re

import pytest

from fupin_geo import assets, config
from fupin_geo.mapkit import GeoJsonLayer, Labels, Legend, OfflineMap, safe_json
from fupin_geo.mapkit.geojson_layer import SVG_MAX_FEATURES

BOUNDS = (109.65, 20.21, 110.97, 21.96)  # lon/lat of 湛江, roughly
HOSTILE = "</script><img src=x onerror=alert(1)>&amp;"


def render(*elements) -> tuple[OfflineMap, str]:
    m = OfflineMap(bounds=BOUNDS)
    for element in elements:
        element.add_to(m)
    return m, m.get_root().render()


def script_balanced(page: str) -> bool:
    return page.count("</script>") == len(re.findall(r"<script\b", page))


def decoded_after(page: str, marker: str):
    """The JSON value that follows the first `marker` in the page."""
    return json.JSONDecoder().raw_decode(page, page.index(marker) + len(marker))[0]


def points(n: int, tip: str = "村") -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [110 + i * 1e-3, 21.0]},
         "properties": {"code": str(i), "color": "#009E73", "tip": tip}}
        for i in range(n)
    ]}


# --- safe_json -----------------------------------------------------------------------------------
class TestSafeJson:
    def test_round_trips_and_cannot_close_a_script(self):
        value = {"name": HOSTILE, "村": ["<!--", 1.5, None, True]}
        text = safe_json.dumps(value)
        assert json.loads(text) == value
        assert not set("<>&") & set(text)

    def test_keeps_chinese_readable(self):
        assert safe_json.dumps("雷州市") == '"雷州市"'


# --- OfflineMap ----------------------------------------------------------------------------------
class TestOfflineMap:
    def test_loads_only_local_leaflet(self):
        _, page = render()
        scripts = re.findall(r'<script[^>]*\bsrc="([^"]*)"', page)
        styles = re.findall(r'<link[^>]*\bhref="([^"]*)"', page)
        assert scripts == [assets.LEAFLET_JS] and styles == [assets.LEAFLET_CSS]
        assert assets.LEAFLET_JS == f"{config.VENDOR_URL}/leaflet/leaflet.js"
        assert not re.search(r"https?://", page)
        # folium's defaults (jQuery, Bootstrap, Font Awesome) are all left out
        for name in ("jquery", "bootstrap", "font-awesome", "awesome-markers"):
            assert name not in page.lower()

    def test_draws_no_tiles_and_keeps_a_zoom_range(self):
        m, page = render()
        assert "tileLayer" not in page
        assert m.options["minZoom"] == config.MIN_ZOOM and m.options["maxZoom"] == config.MAX_ZOOM
        assert f'"maxZoom": {config.MAX_ZOOM}' in page and f'"minZoom": {config.MIN_ZOOM}' in page

    def test_fits_and_centres_on_the_bounds(self):
        m, page = render()
        minx, miny, maxx, maxy = BOUNDS
        assert m.location == pytest.approx([(miny + maxy) / 2, (minx + maxx) / 2])
        assert f"[[{miny}, {minx}], [{maxy}, {maxx}]]" in page

    def test_sea_colour_and_label_styles_are_in_the_head(self):
        _, page = render()
        head = page[: page.index("</head>")]
        assert f"background: {config.SEA_COLOR}" in head
        assert ".fupin-label" in head and ".fupin-legend" in head


# --- GeoJsonLayer ------------------------------------------------------------------------------
class TestGeoJsonLayer:
    def test_features_arrive_intact_and_the_layer_is_added(self):
        data = points(5)
        layer = GeoJsonLayer(data, name="村", style={"color": "#fff", "weight": 1})
        m, page = render(layer)
        assert decoded_after(page, "L.geoJSON(") == data
        assert f"{layer.get_name()}.addTo({m.get_name()})" in page
        assert layer.feature_count() == 5
        assert "interactive: true" in page and "radius: 6.0" in page
        assert '{"color":"#fff","weight":1}' in page

    def test_hostile_property_cannot_close_the_script(self):
        _, page = render(GeoJsonLayer(points(1, tip=HOSTILE), name="村", style={}))
        assert script_balanced(page)
        assert "<img" not in page
        assert decoded_after(page, "L.geoJSON(")["features"][0]["properties"]["tip"] == HOSTILE

    def test_click_reports_the_markers_own_position(self):
        _, page = render(GeoJsonLayer(points(1), name="村", style={}))
        assert 'layer.on("click", function (e) { e.latlng = layer.getLatLng(); })' in page

    def test_non_interactive_layer(self):
        _, page = render(GeoJsonLayer(points(1), name="底图", style={}, interactive=False, control=False))
        assert "interactive: false" in page

    def test_canvas_only_for_many_features(self):
        _, few = render(GeoJsonLayer(points(SVG_MAX_FEATURES), name="村", style={}))
        _, many = render(GeoJsonLayer(points(SVG_MAX_FEATURES + 1), name="村", style={}))
        assert "L.canvas()" not in few
        assert "renderer: L.canvas()" in many


# --- Labels ----------------------------------------------------------------------------------------
class TestLabels:
    def test_texts_positions_and_layer(self):
        labels = Labels([(110.123456789, 20.987654321, "雷州市"), (110.4, 21.2, "霞山区")], name="县区名称")
        m, page = render(labels)
        items = decoded_after(page, f"var {labels.get_name()} = L.layerGroup(\n    ")
        assert items == [[110.12346, 20.98765, "雷州市"], [110.4, 21.2, "霞山区"]]
        assert "L.marker([item[1], item[0]]" in page  # [lon, lat] in, Leaflet's [lat, lng] out
        assert "interactive: false" in page
        assert f"{labels.get_name()}.addTo({m.get_name()})" in page

    def test_label_text_is_escaped_html(self):
        labels = Labels([(110.0, 21.0, HOSTILE)], name="名称")
        _, page = render(labels)
        assert script_balanced(page) and "<img" not in page
        item = decoded_after(page, f"var {labels.get_name()} = L.layerGroup(\n    ")[0]
        # used as the DivIcon's HTML, so the text must be HTML-escaped, not just JSON-escaped
        assert item[2] == "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"


# --- Legend --------------------------------------------------------------------------------------
class TestLegend:
    ENTRIES = [("种植", "#009E73"), ("水产", "#0072B2")]

    @staticmethod
    def legend_html(page: str) -> str:
        return decoded_after(page, "div.innerHTML = ")

    def test_one_row_per_entry_with_its_colour(self):
        legend = Legend("一村一品类别", self.ENTRIES)
        m, page = render(legend)
        inner = self.legend_html(page)
        rows = re.findall(r'<div><span class="swatch" style="background:([^"]+)"></span>([^<]*)</div>', inner)
        assert rows == [("#009E73", "种植"), ("#0072B2", "水产")]
        assert inner.startswith("<b>一村一品类别</b>")
        # attached to the map it was added to (directly, or through a helper taking both)
        legend_name, map_name = legend.get_name(), m.get_name()
        assert re.search(rf"{legend_name}\.addTo\({map_name}\)|\({legend_name}, {map_name}\)", page)
        assert 'L.control({position: "bottomright"})' in page

    def test_position_can_be_chosen(self):
        _, page = render(Legend("图例", self.ENTRIES, position="topleft"))
        assert 'L.control({position: "topleft"})' in page

    def test_labels_and_title_are_escaped(self):
        legend = Legend("图例<i>", [(HOSTILE, "#000000")])
        _, page = render(legend)
        assert script_balanced(page) and "<img" not in page and "<i>" not in page
        assert 'div.setAttribute("data-legend", "图例\\u003ci\\u003e")' in page
        inner = self.legend_html(page)
        assert "&lt;img src=x onerror=alert(1)&gt;" in inner and "图例&lt;i&gt;" in inner
