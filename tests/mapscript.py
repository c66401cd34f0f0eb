"""Reading the features a rendered map sends to the browser, whatever layer carries them.

Two kinds of layer carry features:

* `GeoJsonLayer` (polygons: counties, choropleth, park scopes, aquaculture):
  ``L.geoJSON(<FeatureCollection>, {… style: function (feature) { var style = Object.assign({}, <style>) …``
  Its tips are HTML, escaped by the caller. A basemap layer writes ``L.geoJSON(null, …`` and
  fetches its FeatureCollection from a published file (``fetch("/app/static/geojson/…")``,
  maps/static_geojson.py): the file is read in its place, so tests see the same shape.
* `PointLayer` (villages and the badges):
  ``var point_layer_… = (function (data, style) {… return group;\\n})(<columns>, <style>);``
  with columns ``{"x", "y", "code", "color" (palette index), "tip" (lines of plain text), "palette"}``.

`layers(text)` decodes both, in page order, into one shape: (className, FeatureCollection).
A point layer's columns become the FeatureCollection `PointLayer.data` gives (properties code,
color, tip = its lines joined with "\\n"), so every test counts and inspects features alike.
The exact tooltip lines of point layers are in `tip_lines`. Everything is decoded from the text
itself; a payload that does not have the expected shape fails the test loudly.

Import as ``from tests import mapscript`` (pyproject: ``pythonpath = ["."]``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

GEOJSON = "geojson"
POINTS = "points"
COLUMNS = ("x", "y", "code", "color", "tip", "palette")

_DECODER = json.JSONDecoder()
# where a payload starts: the GeoJSON call, or the point layer's function
_START = re.compile(r"L\.geoJSON\(|var (?P<name>\w+) = \(function \(data, style\) \{")
# between a GeoJSON layer's FeatureCollection and its style object (GeoJsonLayer's template)
_GEOJSON_TO_STYLE = re.compile(
    r",\s*\{\s*interactive:\s*(?:true|false),\s*(?:pane:\s*\"\w+\",\s*)?(?:renderer:\s*L\.canvas\(\),\s*)?"
    r"style:\s*function\s*\(feature\)\s*\{\s*var style = Object\.assign\(\{\}, "
)
# a basemap layer's file, fetched after the layer is made (GeoJsonLayer's template)
_FETCH = re.compile(r'\w+\.beforeAdd = function \(map\) \{.*?\};\s*fetch\(("[^"]*")\)', re.S)
# the end of the point layer's function, where its arguments begin
_POINTS_CALL = "return group;\n})("


@dataclass(frozen=True)
class Payload:
    """One layer's data as found in the text."""

    kind: str  # GEOJSON or POINTS
    style: dict  # the style object (with className when the layer has one)
    data: dict  # the FeatureCollection, or the point columns, exactly as sent
    script: str  # the JavaScript from the start of the layer to the end of its data

    @property
    def class_name(self) -> str:
        return self.style.get("className", "")

    @property
    def collection(self) -> dict:
        if self.kind == GEOJSON:
            return self.data
        return columns_to_collection(self.data)


def _fail(text: str, at: int, what: str):
    raise AssertionError(f"{what} at {at}: {text[max(0, at - 80):at + 160]!r}")


def _decode(text: str, at: int):
    try:
        return _DECODER.raw_decode(text, at)
    except json.JSONDecodeError as error:
        _fail(text, at, f"no JSON value ({error})")


def check_columns(columns: dict) -> None:
    """The point columns have exactly PointLayer's keys, equal lengths and valid values."""
    assert isinstance(columns, dict) and tuple(columns) == COLUMNS, list(columns)
    n = len(columns["x"])
    assert all(len(columns[k]) == n for k in ("y", "code", "color", "tip")), {k: len(v) for k, v in columns.items()}
    assert all(isinstance(v, (int, float)) for k in ("x", "y") for v in columns[k])
    assert all(isinstance(c, str) for c in columns["code"])
    palette = columns["palette"]
    assert all(isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in palette), palette
    assert all(type(k) is int and 0 <= k < len(palette) for k in columns["color"])
    assert all(isinstance(t, list) and all(isinstance(line, str) for line in t) for t in columns["tip"])


def columns_to_collection(columns: dict) -> dict:
    """The point columns as a GeoJSON FeatureCollection (the same view as PointLayer.data)."""
    check_columns(columns)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
         "properties": {"code": code, "color": columns["palette"][k], "tip": "\n".join(tip)}}
        for x, y, code, k, tip in zip(columns["x"], columns["y"], columns["code"], columns["color"], columns["tip"])
    ]}


def _fetched(text: str, at: int) -> tuple[dict, int]:
    """The FeatureCollection of the file a basemap layer fetches (the next fetch after `at`)."""
    from fupin_geo.maps import static_geojson

    fetch = _FETCH.search(text, at)
    if not fetch or _START.search(text, at, fetch.start()):
        _fail(text, at, "L.geoJSON(null, …) without the fetch of its file")
    path = static_geojson.published_path(json.loads(fetch.group(1)))
    return json.loads(path.read_text(encoding="utf-8")), fetch.end()


def payloads(text: str) -> list[Payload]:
    """Every GeoJSON and point layer payload in `text` (a page, or a script), in order."""
    found, pos = [], 0
    while match := _START.search(text, pos):
        if match.group("name") is None:  # L.geoJSON(
            data, end = _decode(text, match.end())
            between = _GEOJSON_TO_STYLE.match(text, end)
            if not between:
                _fail(text, end, "L.geoJSON( without GeoJsonLayer's style after its data")
            style, end = _decode(text, between.end())
            if data is None:
                data, end = _fetched(text, end)
            if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"
                    and isinstance(data.get("features"), list)):
                _fail(text, match.end(), "L.geoJSON( data is no FeatureCollection")
            found.append(Payload(GEOJSON, style, data, text[match.start():end]))
        else:
            call = text.find(_POINTS_CALL, match.end())
            if call < 0 or _START.search(text, match.end(), call):
                _fail(text, match.end(), "point layer function without its end")
            data, end = _decode(text, call + len(_POINTS_CALL))
            if not text.startswith(", ", end):
                _fail(text, end, "point layer data without its style")
            style, end = _decode(text, end + 2)
            if not text.startswith(");", end):
                _fail(text, end, "point layer call not closed after (data, style)")
            check_columns(data)
            assert isinstance(style, dict), style
            found.append(Payload(POINTS, style, data, text[match.start():end + 2]))
        pos = end
    return found


def layers(text: str) -> list[tuple[str, dict]]:
    """(className, FeatureCollection) of every layer of features in `text`, in order."""
    return [(p.class_name, p.collection) for p in payloads(text)]


def features(text: str, class_name: str) -> list[dict]:
    """The features of every layer with `class_name` in `text`."""
    return [f for name, data in layers(text) if name == class_name for f in data["features"]]


def point_features(text: str) -> list[dict]:
    """Every feature with a Point geometry, in any layer."""
    return [f for _, data in layers(text) for f in data["features"] if f["geometry"]["type"] == "Point"]


def tip_lines(text: str, class_name: str) -> dict[str, list[str]]:
    """Code -> the exact tooltip lines (plain text) of the point layers with `class_name`."""
    found = {}
    for p in payloads(text):
        if p.kind == POINTS and p.class_name == class_name:
            found.update(zip(p.data["code"], p.data["tip"]))
    return found


def element_script(element) -> str:
    """The JavaScript an element adds to the page (its `script` macro), without a page."""
    return str(element._template.module.script(element, {}))


def render(*elements, bounds=(109.65, 20.21, 110.97, 21.96)) -> str:
    """The page of an OfflineMap holding `elements` (layers, or groups of them)."""
    from fupin_geo.maps.elements import OfflineMap

    m = OfflineMap(bounds=bounds)
    for element in elements:
        element.add_to(m)
    return m.get_root().render()


# --- LineLayer: ``var line_layer_… = (function (lines, style) {… return group;\n})(<columns>, <style>);``
_LINES_START = re.compile(r"var (?P<name>line_layer_\w+) = \(function \(lines, style\) \{")
LINE_COLUMNS = ("x", "y", "name", "a", "b", "color", "width", "tip", "text", "palette")


def check_line_columns(columns: dict) -> None:
    """The line columns have exactly LineLayer's keys, consistent lengths and valid indices."""
    assert isinstance(columns, dict) and tuple(columns) == LINE_COLUMNS, list(columns)
    nodes, lines = len(columns["x"]), len(columns["a"])
    assert len(columns["y"]) == len(columns["name"]) == nodes
    assert all(len(columns[k]) == lines for k in ("b", "color", "width", "tip"))
    assert all(type(i) is int and 0 <= i < nodes for k in ("a", "b") for i in columns[k])
    palette = columns["palette"]
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in palette), palette
    assert all(type(k) is int and 0 <= k < len(palette) for k in columns["color"])
    texts = columns["text"]
    assert all(isinstance(t, str) for t in texts) and len(set(texts)) == len(texts)
    assert all(isinstance(t, list) and all(type(k) is int and 0 <= k < len(texts) for k in t) for t in columns["tip"])


def line_payloads(text: str) -> list[tuple[dict, dict]]:
    """(columns, style) of every LineLayer in `text`, in order."""
    found, pos = [], 0
    while match := _LINES_START.search(text, pos):
        call = text.find(_POINTS_CALL, match.end())
        if call < 0:
            _fail(text, match.end(), "line layer function without its end")
        data, end = _decode(text, call + len(_POINTS_CALL))
        if not text.startswith(", ", end):
            _fail(text, end, "line layer data without its style")
        style, end = _decode(text, end + 2)
        check_line_columns(data)
        found.append((data, style))
        pos = end
    return found


def lines(text: str, class_name: str) -> list[dict]:
    """Each line of the LineLayers with `class_name`: start/end names and positions, colour,
    width and tooltip lines."""
    out = []
    for data, style in line_payloads(text):
        if style.get("className") != class_name:
            continue
        for a, b, k, w, tip in zip(data["a"], data["b"], data["color"], data["width"], data["tip"]):
            out.append({"start": data["name"][a], "end": data["name"][b],
                        "from": (data["x"][a], data["y"][a]), "to": (data["x"][b], data["y"][b]),
                        "color": data["palette"][k], "width": w, "tip": [data["text"][t] for t in tip]})
    return out
