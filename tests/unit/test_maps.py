"""maps: the 总览 map as the browser gets it (rendered HTML), and finding a clicked village."""
from __future__ import annotations

import re

import folium
import pytest

from fupin_geo import config
from fupin_geo.analysis import industries
from fupin_geo.data import geodata
from fupin_geo.maps import common
from tests import mapscript
from tests.mapscript import point_features

EVIL_IMG = "<img src=x onerror=alert(1)>"
EVIL_SCRIPT = "</script><script>alert(2)</script>"
EVIL_TEMPLATE = "{{ 7*7 }}"


@pytest.fixture(scope="module")
def overview_html(dataset) -> str:
    return common.overview_map(dataset).get_root().render()


def test_overview_map_has_exactly_one_feature_per_village(overview_html, dataset):
    villages = point_features(overview_html)
    assert len(villages) == 218
    assert [(name, len(data["features"])) for name, data in mapscript.layers(overview_html)
            if name == "fupin-villages"] == [("fupin-villages", 218)]
    assert sorted(f["properties"]["code"] for f in villages) == sorted(dataset.villages["code"])
    by_code = dataset.villages.set_index("code")
    for feature in villages[:20]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (by_code.loc[feature["properties"]["code"], "lon"],
                              by_code.loc[feature["properties"]["code"], "lat"])


def test_village_colour_and_tooltip_follow_its_products(overview_html, dataset):
    categories = industries.village_categories(dataset)
    names = dict(zip(dataset.villages["code"], dataset.villages["name"]))
    for feature in point_features(overview_html):
        code = feature["properties"]["code"]
        category = categories.loc[code, "category"]
        assert feature["properties"]["color"] == common.category_color(category)
        assert names[code] in feature["properties"]["tip"]
        products = categories.loc[code, "products"]
        assert (products or config.NO_INDUSTRY_LABEL) in feature["properties"]["tip"]


def test_overview_map_names_the_nine_counties(overview_html):
    names = geodata.counties(config.ZHANJIANG)["name"].tolist()
    assert len(names) == 9
    for name in names:
        assert name in overview_html
    county_layer = [layer for _, layer in mapscript.layers(overview_html)
                    if any(f["properties"].get("code") == "440882" for f in layer["features"])]
    assert len(county_layer) == 1 and len(county_layer[0]["features"]) == 9


def test_overview_map_loads_nothing_from_the_internet(overview_html):
    assert not re.search(r"https?://", overview_html)
    assert "//cdn" not in overview_html
    sources = re.findall(r'<script[^>]*\bsrc="([^"]*)"', overview_html)
    styles = re.findall(r'<link[^>]*\bhref="([^"]*)"', overview_html)
    assert sources and styles
    for link in sources + styles:
        assert link.startswith(config.VENDOR_URL + "/"), link
    assert "tileLayer" not in overview_html  # our own vector basemap, no tile server


def test_map_bounds_cover_the_city(overview_html):
    minx, miny, maxx, maxy = geodata.city_outline(config.ZHANJIANG).bounds
    match = re.search(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", overview_html)
    assert match
    south, west, north, east = map(float, match.groups())
    assert (south, west, north, east) == pytest.approx((miny, minx, maxy, maxx), abs=1e-4)


@pytest.fixture
def evil_dataset(make_dataset):
    return make_dataset([{"name": EVIL_IMG, "lon": 110.1, "lat": 20.9},
                         {"name": EVIL_SCRIPT + EVIL_TEMPLATE, "lon": 110.2, "lat": 20.8}],
                        products=[dict(village_code="440882101201", product="<b>芒果</b>", category="种植")])


def test_hostile_village_names_arrive_as_plain_text_and_never_as_markup(evil_dataset):
    page = common.overview_map(evil_dataset).get_root().render()
    assert "<img" not in page
    assert "alert(1)" in page  # the text is there, only harmless
    assert "<b>芒果" not in page
    # every </script> in the page closes a <script> we opened: the name cannot close one
    assert page.count("</script>") == len(re.findall(r"<script\b", page))
    assert "alert(2)</script>" not in page
    # nothing evaluated the name as a template, nor let it open one
    assert "{{" not in page and "7*7" in page
    # the tooltip lines are the exact text, set with textContent: escaping would show "&lt;"
    county = geodata.county_name("440882")
    lines = mapscript.tip_lines(page, "fupin-villages")
    assert lines == {"440882101200": [f"{EVIL_IMG} · {county}", config.NO_INDUSTRY_LABEL],
                     "440882101201": [f"{EVIL_SCRIPT}{EVIL_TEMPLATE} · {county}", "<b>芒果</b>"]}
    assert not [line for tip in lines.values() for line in tip if "&" in line]


# --- legend ----------------------------------------------------------------------------------
def test_legend_entries_are_the_categories_present(demo_datasets):
    for dataset in (demo_datasets[0], demo_datasets[-1]):
        present = set(industries.village_categories(dataset)["category"])
        entries = common.category_legend(dataset).entries
        assert {label for label, _ in entries} == present
        assert all(color == common.category_color(label) for label, color in entries)
    # Q1 still has villages without an industry: they get a legend entry of their own
    assert config.NO_INDUSTRY_LABEL in {label for label, _ in common.category_legend(demo_datasets[0]).entries}


def test_legend_of_a_single_category(make_dataset):
    dataset = make_dataset([{}], products=[dict(village_code="440882101200", product="芒果", category="种植")])
    assert common.category_legend(dataset).entries == [("种植", config.PRODUCT_CATEGORIES["种植"])]


def test_village_category_is_that_of_its_first_product_by_name(make_dataset):
    code = "440882101200"
    dataset = make_dataset([{}, {}], products=[
        dict(village_code=code, product="芒果", category="种植"),
        dict(village_code=code, product="对虾", category="水产"),  # 对 sorts before 芒
    ])
    table = industries.village_categories(dataset)
    assert table.loc[code, "products"] == "对虾、芒果"
    assert table.loc[code, "category"] == "水产"
    assert table.loc["440882101201", "category"] == config.NO_INDUSTRY_LABEL
    assert table.loc["440882101201", "products"] == ""


# --- clicks and selection ------------------------------------------------------------------------
def test_village_at_finds_the_clicked_village_from_its_position(dataset):
    for row in dataset.villages.sample(25, random_state=1).itertuples():
        assert common.village_at(dataset, row.lat, row.lon) == row.code
        # float noise of a round trip through the browser does not matter
        assert common.village_at(dataset, row.lat + 3e-7, row.lon - 3e-7) == row.code


def test_village_at_returns_none_away_from_villages(dataset, make_dataset):
    row = dataset.villages.iloc[0]
    assert common.village_at(dataset, row.lat + 0.01, row.lon) is None
    assert common.village_at(dataset, 0.0, 0.0) is None
    assert common.village_at(make_dataset([]), 20.9, 110.1) is None


def test_selection_highlight_rings_the_chosen_village(dataset):
    row = dataset.villages.iloc[7]
    group = common.selection_highlight(dataset, row.code)
    assert isinstance(group, folium.FeatureGroup)
    markers = [c for c in group._children.values() if isinstance(c, folium.CircleMarker)]
    assert len(markers) == 1 and markers[0].location == [row.lat, row.lon]
    assert common.selection_highlight(dataset, None) is None
    assert common.selection_highlight(dataset, "000000000000") is None
