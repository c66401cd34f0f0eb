"""mapkit: one group per map element, each rendered to HTML and checked there."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlparse

import folium
import pytest

from fupin_geo import config
from fupin_geo.geo import coords
from fupin_geo.geo.coords import CoordSystem
from fupin_geo.maps import assets
from fupin_geo.maps.elements import GeoJsonLayer, Labels, Legend, OfflineMap, PointLayer, safe_json
from fupin_geo.maps.elements.geojson_layer import SVG_MAX_FEATURES
from fupin_geo.maps.elements.point_canvas import CANVAS_POINTS_JS
from fupin_geo.maps.elements.point_layer import DOM_MAX_BADGES, SVG_MAX_POINTS
from fupin_geo.ui.edge.view_sync import ViewSync
from tests import mapscript

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
        assert mapscript.layers(page) == [("", data)]
        assert f"{layer.get_name()}.addTo({m.get_name()})" in page
        assert layer.feature_count() == 5
        assert "interactive: true" in page and "radius: 6.0" in page
        assert '{"color":"#fff","weight":1}' in page

    def test_hostile_property_cannot_close_the_script(self):
        _, page = render(GeoJsonLayer(points(1, tip=HOSTILE), name="村", style={}))
        assert script_balanced(page)
        assert "<img" not in page
        ((_, data),) = mapscript.layers(page)
        assert data["features"][0]["properties"]["tip"] == HOSTILE

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

    def test_a_basemap_layer_fetches_its_file_into_its_own_pane(self, tmp_path, monkeypatch):
        from fupin_geo.maps import static_geojson

        monkeypatch.setattr(static_geojson, "PUBLISHED_DIR", tmp_path)
        data = points(3)
        url = static_geojson.publish(data, "land", folder=tmp_path)
        layer = GeoJsonLayer(data, name="底图", style={}, interactive=False, control=False, source_url=url)
        _, page = render(layer)
        assert f"var {layer.get_name()} = L.geoJSON(null, {{" in page  # the features are not in the script
        assert '"coordinates"' not in page
        assert f"fetch({json.dumps(url)})" in page and f"{layer.get_name()}.addData(data)" in page
        assert 'pane: "fupinBasemap"' in page and 'createPane("fupinBasemap").style.zIndex = 250' in page
        assert mapscript.layers(page) == [("", data)]  # read back from the file
        assert layer.feature_count() == 3


# --- static_geojson ---------------------------------------------------------------------------
class TestStaticGeoJson:
    def test_the_file_holds_the_collection_under_a_name_of_its_content(self, tmp_path):
        from fupin_geo.maps import static_geojson

        data = points(4, tip="官湖村 {{7*7}} <b>")
        url = static_geojson.publish(data, "counties-440800", folder=tmp_path)
        assert re.fullmatch(r"/app/static/geojson/counties-440800-[0-9a-f]{16}\.geojson", url)
        path = static_geojson.published_path(url, folder=tmp_path)
        assert json.loads(path.read_text(encoding="utf-8")) == data
        assert static_geojson.publish(data, "counties-440800", folder=tmp_path) == url  # same content, same file
        other = static_geojson.publish(points(5), "counties-440800", folder=tmp_path)
        assert other != url and static_geojson.published_path(other, folder=tmp_path).is_file()
        # no temp files left
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, other.rsplit("/", 1)[1]])

    def test_a_failed_write_leaves_no_file(self, tmp_path, monkeypatch):
        from fupin_geo.maps import static_geojson

        def broken(*args):
            raise OSError("disk full")

        monkeypatch.setattr(static_geojson.os, "replace", broken)
        with pytest.raises(OSError):
            static_geojson.publish(points(2), "land", folder=tmp_path)
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("url", ["/app/static/vendor/leaflet/leaflet.js", "/app/static/geojson/../x.geojson",
                                     "https://example.com/app/static/geojson/land.geojson"])
    def test_only_published_urls_map_to_files(self, url):
        from fupin_geo.maps import static_geojson

        with pytest.raises(ValueError):
            static_geojson.published_path(url)

    def test_base_maps_send_the_counties_by_file(self):
        from fupin_geo.data import geodata
        from fupin_geo.maps import common

        page = common.base_map().get_root().render()
        (land, counties) = mapscript.payloads(page)
        assert land.script.count("fetch(") == counties.script.count("fetch(") == 1
        assert len(counties.data["features"]) == len(geodata.counties(config.ZHANJIANG)) == 9
        assert len(page) < 20_000  # the ~145 KB of polygons are in the files, not the page

    def test_the_cooperation_map_sends_its_paired_and_other_counties_by_file(self):
        from fupin_geo.data import geodata
        from fupin_geo.maps import cooperation_map

        counties = geodata.counties()
        both = counties[counties["city_adcode"].isin([config.ZHANJIANG, config.LIUZHOU])]
        paired = {"440823", both[both["city_adcode"] == config.LIUZHOU]["adcode"].iloc[0]}
        page = cooperation_map.base_map(paired).get_root().render()
        around, provinces, plain, tinted = mapscript.payloads(page)
        assert all(p.script.count("fetch(") == 1 for p in (around, provinces, plain, tinted))
        # the land is 广东 and 广西 (and their neighbours), not boxes around each city
        names = lambda p: {f["properties"]["name"] for f in p.data["features"]}  # noqa: E731
        assert names(provinces) == {"广东省", "广西壮族自治区"} and {"湖南省", "越南"} <= names(around)
        codes = lambda p: {f["properties"]["code"] for f in p.data["features"]}  # noqa: E731
        assert codes(tinted) == paired
        assert codes(plain) == set(both["adcode"]) - paired
        assert len(page) < 20_000  # the two cities' polygons are in the files


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


# --- running the generated JavaScript (Node, with stand-ins for Leaflet and the page) -------------
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs node to run the generated JavaScript")


def macro_script(element) -> str:
    """The JavaScript an element adds to the page (its `script` macro)."""
    return str(element._template.module.script(element, {}))


def run_js(program: str):
    """Run `program` in Node; it prints one JSON value, which is returned."""
    done = subprocess.run([NODE, "-e", program], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- ViewSync ------------------------------------------------------------------------------------------
_PAGE_STUB = """
const log = [];
function page(href) {
    const win = {Function: Function, location: new URL(href)};
    win.history = {
        state: {page: 1},
        pushState(state, title, url) {
            log.push(["push", String(url)]); win.location = new URL(url, win.location.href); },
        replaceState(state, title, url) {
            log.push(["replace", String(url)]); win.location = new URL(url, win.location.href); },
    };
    return win;
}
const handlers = {};
let centre = {lat: 21.2, lng: 110.1}, zoom = 11;
const fakeMap = {getCenter: () => centre, getZoom: () => zoom, on: (event, f) => { handlers[event] = f; }};
"""


def view_of(url: str) -> str | None:
    return parse_qs(urlparse(url).query).get("view", [None])[0]


class TestViewSync:
    @staticmethod
    def synced() -> tuple[OfflineMap, ViewSync, str]:
        m = OfflineMap(bounds=BOUNDS)
        sync = ViewSync().add_to(m)
        return m, sync, macro_script(sync)

    def test_is_bound_to_its_map_and_rendered_once(self):
        m, sync, script = self.synced()
        page = m.get_root().render()
        assert page.count("__fupinView = {") == 1
        assert script.rstrip().endswith(f"}})({m.get_name()});")
        assert 'map.on("moveend", sync);' in script
        assert not re.search(r"https?://", page) and script_balanced(page)

    def test_parameter_name_is_escaped_json(self):
        sync = ViewSync(param="</script>")
        assert sync.param_json == '"\\u003c/script\\u003e"'
        assert json.loads(ViewSync().wrap_json).startswith("\nvar win = this;")

    @needs_node
    def test_keeps_the_parent_url_in_step_with_the_map(self):
        m, _, script = self.synced()
        program = _PAGE_STUB + f"""
const parent = page("http://127.0.0.1:8501/industry_map?county=440823");
globalThis.window = {{parent}};
var {m.get_name()} = fakeMap;
{script}
centre = {{lat: 20.5, lng: 110.25}}; zoom = 13; handlers.moveend();            // the user pans and zooms
parent.history.pushState(null, "", "/industry_map?county=440882");           // Streamlit rewrites the URL
parent.history.pushState(null, "", "/overview?x=1");                         // another page: left alone
{script}                                                                       // the frame is redrawn
console.log(JSON.stringify({{log, wrapped: parent.__fupinHistoryWrapped === true}}));
"""
        result = run_js(program)
        log = result["log"]
        assert result["wrapped"]
        assert [kind for kind, _ in log] == ["replace", "replace", "push", "push", "replace"]
        # on load: the current extent, the other parameters kept
        assert view_of(log[0][1]) == "21.20000,110.10000,11" and "county=440823" in log[0][1]
        # after a move: the new extent
        assert view_of(log[1][1]) == "20.50000,110.25000,13"
        # Streamlit's own URL changes on this page carry the extent along
        assert view_of(log[2][1]) == "20.50000,110.25000,13" and "county=440882" in log[2][1]
        # other pages do not get it
        assert view_of(log[3][1]) is None and log[3][1].endswith("/overview?x=1")

    @needs_node
    def test_writes_wgs84_under_a_gcj02_basemap(self):
        """Drawn on 高德 the map's centre is GCJ-02 (~500 m off here): the link gets WGS-84."""
        m = OfflineMap(bounds=BOUNDS)
        sync = ViewSync(crs=CoordSystem.GCJ02).add_to(m)
        lon, lat = coords.wgs84_to_gcj02(110.1, 21.2)
        program = _PAGE_STUB + f"""
const parent = page("http://127.0.0.1:8501/industry_map?basemap=amap");
globalThis.window = {{parent}};
centre = {{lat: {float(lat)!r}, lng: {float(lon)!r}}};
var {m.get_name()} = fakeMap;
{macro_script(sync)}
console.log(JSON.stringify({{log}}));
"""
        (kind, url), = run_js(program)["log"]
        assert view_of(url) == "21.20000,110.10000,11"
        assert abs(lat - 21.2) > 0.002  # the shift is real, not within rounding
        assert json.loads(ViewSync().to_wgs84_json) == "return [lat, lng];"

    @needs_node
    def test_does_nothing_without_a_parent_page(self):
        m, _, script = self.synced()
        alone = _PAGE_STUB + f"""
const own = page("http://127.0.0.1:8501/map.html");
own.parent = own;
globalThis.window = own;
var {m.get_name()} = fakeMap;
{script}
const foreign = {{get location() {{ throw new Error("SecurityError"); }}}};
globalThis.window = {{parent: foreign}};
{script}
console.log(JSON.stringify({{log, wrapped: own.__fupinHistoryWrapped || false, moves: Object.keys(handlers)}}));
"""
        result = run_js(alone)
        assert result == {"log": [], "wrapped": False, "moves": []}


# --- badges and class names ------------------------------------------------------------------------------
class TestBadgesAndClassNames:
    def test_badge_draws_a_lettered_div_icon_with_the_class(self):
        layer = GeoJsonLayer(points(3), name="产业园", style={}, badge="园", class_name="fupin-parks")
        _, page = render(layer)
        script = macro_script(layer)
        assert json.loads(layer.badge_json) == "园"
        assert 'className: "fupin-badge " + "fupin-parks"' in script
        assert "L.divIcon(" in script and "L.circleMarker(" not in script
        assert '{"className":"fupin-parks"}' in script  # polygons and paths get the class too
        assert mapscript.layers(page) == [("fupin-parks", points(3))]

    def test_without_badge_points_are_circles_and_without_class_the_style_is_untouched(self):
        layer = GeoJsonLayer(points(1), name="村", style={"weight": 1}, radius=8)
        script = macro_script(layer)
        assert "L.circleMarker(latlng, {radius: 8.0})" in script and "L.divIcon(" not in script
        assert "Object.assign({}, {\"weight\":1})" in script and "className" not in layer.style_json
        assert layer.badge_json == "" and json.loads(layer.class_json) == ""

    def test_hostile_badge_and_class_are_escaped(self):
        layer = GeoJsonLayer(points(1), name="x", style={}, badge=HOSTILE, class_name=HOSTILE)
        m, page = render(layer)
        assert script_balanced(page) and "<img" not in page
        # the letter is put into HTML: escaped for HTML, then for the script
        assert json.loads(layer.badge_json) == "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"
        assert json.loads(layer.class_json) == HOSTILE

    def test_labels_carry_their_class(self):
        default = macro_script(Labels([(110.0, 21.0, "雷州市")], name="县区名称"))
        towns = macro_script(Labels([(110.0, 21.0, "客路镇·甘蔗")], name="一镇一业", class_name="fupin-town-label"))
        assert 'L.divIcon({className: "fupin-label"' in default
        assert 'L.divIcon({className: "fupin-town-label"' in towns


# --- PointLayer ------------------------------------------------------------------------------------------
GREEN, BLUE = "#009E73", "#0072B2"


def point_columns(n: int, tip: list[str] | None = None):
    """xs, ys, codes, colours and tooltip lines of n points, alternately green and blue."""
    xs = [110 + i * 1e-3 for i in range(n)]
    ys = [21.0 - i * 1e-4 for i in range(n)]
    codes = [f"4408821012{i:02d}" for i in range(n)]
    colors = [GREEN if i % 2 else BLUE for i in range(n)]
    tips = [list(tip) if tip is not None else [f"村{i}", "种植"] for i in range(n)]
    return xs, ys, codes, colors, tips


def point_layer(n: int = 3, tip: list[str] | None = None, **options) -> PointLayer:
    options = {"name": "贫困村", "style": {"color": "#fff", "weight": 1}, "class_name": "fupin-villages"} | options
    return PointLayer(*point_columns(n, tip), **options)


_POINT_STUB = """
globalThis.document = {createElement(tag) {
    const el = {tag, children: [], appendChild(child) { this.children.push(child); return child; }};
    Object.defineProperty(el, "innerHTML", {set() { throw new Error("innerHTML used for a tooltip"); }});
    return el;
}};
function Marker(kind, latlng, options) { Object.assign(this, {kind, latlng, options, handlers: {}}); }
Marker.prototype.bindTooltip = function (content, options) { this.tooltip = content; return this; };
Marker.prototype.on = function (event, f) { this.handlers[event] = f; return this; };
Marker.prototype.getLatLng = function () { return this.latlng; };
globalThis.L = {
    featureGroup: () => ({layers: [], addLayer(layer) { this.layers.push(layer); return this; },
                          bindTooltip(content, options) {
                              this.tooltip = content; this.tooltipOptions = options; return this; },
                          _openTooltip(e) { this.opened = e.layer; }}),
    latLng: (lat, lng) => ({lat, lng}),
    circleMarker: (latlng, options) => new Marker("circle", latlng, options),
    marker: (latlng, options) => new Marker("marker", latlng, options),
    divIcon: (options) => ({divIcon: options}),
};
"""


def run_point_layer(layer: PointLayer) -> list[dict]:
    """Build the layer's markers in Node; for each: its kind, code, options, where a click at
    (0, 0) is reported, and its tooltip as (tag, textContent) parts."""
    program = _POINT_STUB + macro_script(layer) + f"""
console.log(JSON.stringify({layer.get_name()}.layers.map(function (m) {{
    const click = {{latlng: {{lat: 0, lng: 0}}}};
    m.handlers.click.call(m, click);
    // one tooltip for the group; it opens, with the point's lines, only over points with lines
    const group = {layer.get_name()};
    group.opened = null;
    group._openTooltip({{layer: m}});
    const box = group.opened ? group.tooltip(m) : null;
    return {{kind: m.kind, code: m.feature.properties.code, options: m.options, clicked: click.latlng,
            tip: box && box.children.map(c => [c.tag, c.textContent === undefined ? null : c.textContent])}};
}})));
"""
    return run_js(program)


class TestPointLayer:
    def test_columns_and_palette_arrive_intact(self):
        layer = point_layer(4)
        m, page = render(layer)
        (found,) = mapscript.payloads(page)
        assert found.kind == mapscript.POINTS
        xs, ys, codes, _, tips = point_columns(4)
        # the palette is each colour once, sorted; a point carries its colour's index
        assert found.data == {"x": xs, "y": ys, "code": codes, "color": [0, 1, 0, 1], "tip": tips,
                              "palette": [BLUE, GREEN]}
        assert found.data == layer.columns and layer.feature_count() == 4
        assert f"{layer.get_name()}.addTo({m.get_name()})" in page
        assert found.script.startswith(f"var {layer.get_name()} = (function (data, style) {{")

    def test_values_are_sent_as_json_numbers_and_strings(self):
        layer = PointLayer([110], [21], [440882101200], [GREEN], [[1, "x"]], name="村", style={},
                           class_name="fupin-villages")
        (found,) = mapscript.payloads(render(layer)[1])
        assert found.data == {"x": [110.0], "y": [21.0], "code": ["440882101200"], "color": [0],
                              "tip": [["1", "x"]], "palette": [GREEN]}

    def test_data_view_equals_the_inputs(self):
        xs, ys, codes, colors, tips = point_columns(3)
        layer = point_layer(3)
        assert layer.data == {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
             "properties": {"code": code, "color": color, "tip": "\n".join(tip)}}
            for x, y, code, color, tip in zip(xs, ys, codes, colors, tips)
        ]}
        # and it is what the page sends, decoded
        assert mapscript.layers(render(layer)[1]) == [("fupin-villages", layer.data)]

    def test_class_name_is_in_the_style(self):
        layer = point_layer(1, style={"color": "#d7191c", "weight": 3, "className": "other"},
                            class_name="fupin-no-industry")
        (found,) = mapscript.payloads(render(layer)[1])
        assert found.style == {"color": "#d7191c", "weight": 3, "className": "fupin-no-industry"}
        assert found.class_name == "fupin-no-industry"

    def test_points_are_circle_markers_of_the_radius_filled_with_their_colour(self):
        layer = point_layer(2, radius=8)
        script = macro_script(layer)
        assert "L.circleMarker(latlng, Object.assign({radius: 8.0}, style, {fillColor: color}))" in script
        assert "L.divIcon(" not in script and "L.marker(" not in script

    def test_badge_draws_a_lettered_div_icon_with_the_class(self):
        layer = point_layer(2, badge="园", badge_size=16, class_name="fupin-parks")
        script = macro_script(layer)
        assert "L.marker(latlng, {icon: L.divIcon({" in script and "L.circleMarker(" not in script
        assert 'className: "fupin-badge " + style.className' in script
        assert 'width:16px;height:16px;' in script and "iconSize: [16, 16]" in script
        assert '+ "园" + "</span>"' in script

    def test_canvas_only_for_many_circles(self):
        few = macro_script(point_layer(SVG_MAX_POINTS))
        many = macro_script(point_layer(SVG_MAX_POINTS + 1))
        badges = macro_script(point_layer(DOM_MAX_BADGES, badge="企"))
        canvas_layer = "new (" + CANVAS_POINTS_JS + ")(data, style, {\"radius\":6.0}, tooltipBox)"
        assert canvas_layer not in few and "L.circleMarker(" in few
        assert canvas_layer in many and "L.circleMarker(" not in many and "L.featureGroup()" not in many
        assert canvas_layer not in badges and "L.divIcon(" in badges  # DivIcons are HTML
        for script in (few, many, badges):  # one tooltip builder, from plain text only
            assert script.count("function tooltipBox(lines)") == 1 and "part.textContent = line;" in script
            assert "innerHTML" not in script

    @pytest.mark.parametrize("short", ["xs", "ys", "codes", "colors", "tips"])
    def test_columns_of_different_lengths_raise(self, short):
        columns = dict(zip(["xs", "ys", "codes", "colors", "tips"], point_columns(3)))
        columns[short] = columns[short][:2]
        with pytest.raises(ValueError):
            PointLayer(*columns.values(), name="村", style={}, class_name="fupin-villages")

    def test_click_reports_the_markers_own_position_and_code(self):
        script = macro_script(point_layer(1))
        assert 'function reportOwnPosition(e) { e.latlng = this.getLatLng(); }' in script
        assert 'marker.on("click", reportOwnPosition);' in script
        assert 'marker.feature = {type: "Feature", properties: {code: data.code[i]}};' in script

    def test_hostile_tip_cannot_close_the_script_nor_be_a_template(self):
        lines = [HOSTILE, "{{ 7*7 }}", "<!--"]
        _, page = render(point_layer(1, tip=lines))
        assert script_balanced(page)
        assert "<img" not in page and "<!--" not in page and "{{" not in page
        assert not set("<>&") & set(point_layer(1, tip=lines).data_json)
        # decoded, the lines are the exact text: no HTML escaping, no template evaluation
        assert mapscript.tip_lines(page, "fupin-villages") == {"440882101200": lines}

    @needs_node
    def test_markers_in_the_browser(self):
        lines = [HOSTILE, "成员 12 户"]
        xs, ys, codes, colors, tips = point_columns(3)
        tips[1], tips[2] = [], lines  # a point without tooltip, and a hostile one
        layer = PointLayer(xs, ys, codes, colors, tips, name="村", style={"color": "#fff", "weight": 1},
                           class_name="fupin-villages", radius=7)
        markers = run_point_layer(layer)
        assert [m["code"] for m in markers] == codes
        assert [m["kind"] for m in markers] == ["circle"] * 3
        assert [m["options"] for m in markers] == [
            {"radius": 7, "color": "#fff", "weight": 1, "className": "fupin-villages", "fillColor": c} for c in colors]
        # a click anywhere on a marker reports the marker's position
        assert [m["clicked"] for m in markers] == [{"lat": y, "lng": x} for x, y in zip(xs, ys)]
        # the tooltip: first line bold, the others after a <br>, all set as text
        assert markers[0]["tip"] == [["b", "村0"], ["br", None], ["span", "种植"]]
        assert markers[1]["tip"] is None
        assert markers[2]["tip"] == [["b", HOSTILE], ["br", None], ["span", "成员 12 户"]]

    def test_many_badges_are_one_canvas_layer_with_the_letter_as_text(self):
        """Above DOM_MAX_BADGES the badges are drawn on one canvas (an HTML element each cost
        the browser ~0.5 s a redraw at 2,000): the letter goes as JSON text, not markup."""
        canvas_layer = "new (" + CANVAS_POINTS_JS + ")(data, style, "
        few = macro_script(point_layer(DOM_MAX_BADGES, badge="<企>", badge_size=18))
        many = macro_script(point_layer(DOM_MAX_BADGES + 1, badge="<企>", badge_size=18))
        assert canvas_layer not in few and "L.divIcon(" in few
        assert '"\\u0026lt;企\\u0026gt;"' in few  # HTML-escaped for the DivIcon's markup
        assert canvas_layer + '{"badge":"\\u003c企\\u003e","size":18}, tooltipBox)' in many
        assert "L.divIcon(" not in many and "<企>" not in many

    @needs_node
    def test_badges_in_the_browser(self):
        markers = run_point_layer(point_layer(2, badge="社", badge_size=14, class_name="fupin-cooperatives"))
        icons = [m["options"]["icon"]["divIcon"] for m in markers]
        assert [m["kind"] for m in markers] == ["marker", "marker"]
        assert [i["className"] for i in icons] == ["fupin-badge fupin-cooperatives"] * 2
        assert [i["iconSize"] for i in icons] == [[14, 14]] * 2
        assert icons[0]["html"] == ('<span style="background:#0072B2;width:14px;height:14px;'
                                    'line-height:14px;font-size:8px">社</span>')
        assert "background:#009E73;" in icons[1]["html"]


# --- a legend tied to its layer group ------------------------------------------------------------------
_LEAFLET_STUB = """
globalThis.L = {
    Map: function () { this.controls = []; },
    DomUtil: {create: (tag, cls) => ({tag, cls, attrs: {}, setAttribute(k, v) { this.attrs[k] = v; }})},
    control: (options) => ({
        options, map: null,
        addTo(map) {
            if (!map.controls.includes(this)) { map.controls.push(this); }
            this.map = map; this.div = this.onAdd(); return this; },
        remove() { if (this.map) { this.map.controls.splice(this.map.controls.indexOf(this), 1); this.map = null; } },
    }),
};
const theMap = new L.Map();
function group() {
    return {_map: null, handlers: {}, on(event, f) { (this.handlers[event] = this.handlers[event] || []).push(f); },
            add(map) { this._map = map; (this.handlers.add || []).forEach(f => f()); },
            remove() { (this.handlers.remove || []).forEach(f => f()); this._map = null; }};
}
const titles = () => theMap.controls.map(c => c.div.attrs["data-legend"]);
"""


class TestLegendInAGroup:
    @staticmethod
    def grouped(title: str = "现代农业产业园"):
        m = OfflineMap(bounds=BOUNDS)
        group = folium.FeatureGroup(name="产业园", control=False).add_to(m)
        legend = Legend(title, [("省级", "#e66101")]).add_to(group)
        return m, group, legend

    def test_rendered_with_its_group_not_the_map(self):
        m, group, legend = self.grouped()
        page = m.get_root().render()
        assert f"}})({legend.get_name()}, {group.get_name()});" in page
        assert f"({legend.get_name()}, {m.get_name()})" not in page
        assert 'parent.on("add"' in page and 'parent.on("remove"' in page

    @needs_node
    def test_shown_exactly_while_its_group_is_on_the_map(self):
        _, group, legend = self.grouped()
        program = _LEAFLET_STUB + f"""
var {group.get_name()} = group();
{macro_script(legend)}
const seen = [titles()];
{group.get_name()}.add(theMap); seen.push(titles());
{group.get_name()}.remove(); seen.push(titles());
{group.get_name()}.add(theMap); seen.push(titles());
console.log(JSON.stringify(seen));
"""
        assert run_js(program) == [[], ["现代农业产业园"], [], ["现代农业产业园"]]

    @needs_node
    def test_a_group_already_on_the_map_shows_it_at_once_and_a_map_always(self):
        _, group, legend = self.grouped()
        m = OfflineMap(bounds=BOUNDS)
        on_map = Legend("一村一品类别", [("种植", "#009E73")]).add_to(m)
        program = _LEAFLET_STUB + f"""
var {group.get_name()} = group(); {group.get_name()}._map = theMap;
{macro_script(legend)}
var {m.get_name()} = theMap;
{macro_script(on_map)}
console.log(JSON.stringify(titles()));
"""
        assert run_js(program) == ["现代农业产业园", "一村一品类别"]


def test_the_attribution_is_in_chinese_on_every_map():
    """Leaflet's own prefix is English ("A JavaScript library for interactive maps")."""
    from streamlit_folium import _get_map_string

    from fupin_geo.geo.basemaps import BASEMAPS
    from fupin_geo.maps import common, cooperation_map
    from fupin_geo.maps.elements.offline_map import ATTRIBUTION_PREFIX

    assert re.search(r"[\u4e00-\u9fff]", ATTRIBUTION_PREFIX) and "JavaScript" not in ATTRIBUTION_PREFIX
    for m in (common.base_map(), common.base_map(basemap=BASEMAPS["osm"]), cooperation_map.base_map()):
        m.get_root().render()
        assert f"attributionControl.setPrefix({safe_json.dumps(ATTRIBUTION_PREFIX)})" in _get_map_string(m)
    page = common.base_map(basemap=BASEMAPS["osm"]).get_root().render()
    assert '"attribution": ' + json.dumps("© OpenStreetMap 贡献者") in page
