"""display and basemaps: WGS-84 stored, shifted to GCJ-02 in one place for 高德, nothing online
unless an online basemap is chosen."""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import shapely

from fupin_geo import config
from fupin_geo.maps.industry_view import LAYERS, ViewState
from fupin_geo.data import geodata
from fupin_geo.geo import basemaps, coords
from fupin_geo.geo.basemaps import BASEMAPS
from fupin_geo.geo.coords import CoordSystem
from fupin_geo.geo.display import WGS84_DISPLAY, Display, fit_view
from fupin_geo.maps import industry_map
from tests import mapscript

GCJ = Display(CoordSystem.GCJ02)
ALL_LAYERS = ViewState(layers=tuple(LAYERS))
EARTH_RADIUS_M = 6371000


def metres(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def points_of(page: str, class_name: str) -> dict[str, list[float]]:
    drawn = mapscript.features(page, class_name)
    assert len({f["properties"]["code"] for f in drawn}) == len(drawn)  # one point a record
    return {f["properties"]["code"]: f["geometry"]["coordinates"] for f in drawn}


@pytest.fixture(scope="module")
def offline_page(dataset) -> str:
    return industry_map.industry_map(dataset, ALL_LAYERS).get_root().render()


@pytest.fixture(scope="module")
def amap_page(dataset) -> str:
    return industry_map.industry_map(dataset, ALL_LAYERS, basemap=BASEMAPS["amap"]).get_root().render()


# --- Display ---------------------------------------------------------------------------------------
def test_wgs84_display_only_rounds(dataset):
    lons, lats = dataset.villages["lon"].to_numpy(), dataset.villages["lat"].to_numpy()
    xs, ys = WGS84_DISPLAY.xy(lons + 1.234e-7, lats)
    assert np.array_equal(xs, np.round(lons + 1.234e-7, config.COORD_DECIMALS)) and np.array_equal(ys, lats)
    assert not WGS84_DISPLAY.shifted and GCJ.shifted
    polygon = shapely.box(110.0, 21.0, 110.1, 21.1)
    assert WGS84_DISPLAY.geometry(polygon) is polygon
    assert WGS84_DISPLAY.to_store(110.1, 21.2) == (110.1, 21.2)


def test_gcj_shift_is_500_to_600_metres_in_zhanjiang(dataset):
    lons, lats = dataset.villages["lon"].to_numpy(), dataset.villages["lat"].to_numpy()
    xs, ys = GCJ.xy(lons, lats)
    shift = metres(lons, lats, xs, ys)
    assert shift.min() > 500 and shift.max() < 600
    expected = coords.wgs84_to_gcj02(lons, lats)
    assert np.allclose(xs, expected[0], atol=6e-6) and np.allclose(ys, expected[1], atol=6e-6)
    assert np.array_equal(xs, np.round(xs, config.COORD_DECIMALS))


def test_empty_input_stays_empty():
    xs, ys = GCJ.xy([], [])
    assert xs.size == 0 and ys.size == 0


def test_to_store_inverts_the_shift(dataset):
    for lon, lat in zip(dataset.villages["lon"], dataset.villages["lat"]):
        shown = coords.wgs84_to_gcj02(lon, lat)
        back = GCJ.to_store(*shown)
        assert isinstance(back[0], float)
        assert abs(back[0] - lon) < 1e-6 and abs(back[1] - lat) < 1e-6
        assert abs(shown[0] - lon) > 3e-3  # the shift is real, so the inversion is too


def test_geometry_and_bounds_are_shifted_like_points():
    polygon = shapely.box(110.0, 21.0, 110.1, 21.1)
    shifted = GCJ.geometry(polygon)
    corners = np.array(shifted.exterior.coords)
    expected = np.column_stack(coords.wgs84_to_gcj02(*np.array(polygon.exterior.coords).T))
    assert np.allclose(corners, expected, atol=1e-9)
    bounds = GCJ.bounds((110.0, 21.0, 110.1, 21.1))
    low, high = coords.wgs84_to_gcj02(110.0, 21.0), coords.wgs84_to_gcj02(110.1, 21.1)
    assert bounds == pytest.approx((low[0], low[1], high[0], high[1]), abs=6e-6)
    assert WGS84_DISPLAY.bounds((110.0, 21.0, 110.1, 21.1)) == (110.0, 21.0, 110.1, 21.1)


# --- basemaps -------------------------------------------------------------------------------------
def test_coordinate_systems_of_the_basemaps():
    assert {k: b.crs for k, b in BASEMAPS.items()} == {
        "offline": CoordSystem.WGS84, "tianditu": CoordSystem.WGS84, "osm": CoordSystem.WGS84,
        "amap": CoordSystem.GCJ02}
    assert basemaps.DEFAULT_BASEMAP == "offline"
    assert not BASEMAPS["offline"].online and BASEMAPS["offline"].tile_urls() == []
    assert all(BASEMAPS[k].online for k in ("tianditu", "amap", "osm"))
    assert [k for k, b in BASEMAPS.items() if b.needs_token] == ["tianditu"]


def test_tianditu_token_is_put_into_every_url():
    urls = BASEMAPS["tianditu"].tile_urls("abc123")
    assert len(urls) == 2  # roads and their labels
    for url, layer in zip(urls, ("vec", "cva")):
        assert url.startswith("https://t{s}.tianditu.gov.cn/")
        assert url.endswith("&tk=abc123") and "{tk}" not in url
        assert f"LAYER={layer}" in url and "{layer}" not in url
        assert all(p in url for p in ("{x}", "{y}", "{z}"))
    assert all(url.endswith("&tk=") for url in BASEMAPS["tianditu"].tile_urls(None))
    assert BASEMAPS["amap"].tile_urls("abc123") == BASEMAPS["amap"].tile_urls()  # no token there


def test_offline_map_asks_for_nothing_online(offline_page):
    assert not re.search(r"https?:|//[a-z0-9.-]+\.(com|cn|org)", offline_page, re.IGNORECASE)
    assert "tileLayer" not in offline_page


@pytest.mark.parametrize("key, host", [("amap", "webrd0{s}.is.autonavi.com"), ("osm", "tile.openstreetmap.org"),
                                       ("tianditu", "t{s}.tianditu.gov.cn")])
def test_online_basemap_draws_its_tiles_and_nothing_else_online(dataset, key, host):
    page = industry_map.industry_map(dataset, ViewState(layers=("villages",)), basemap=BASEMAPS[key],
                                     token="tok-42").get_root().render()
    urls = set(re.findall(r'https?://[^"\s]+', page))
    assert urls and all(u.startswith(f"https://{host}/") for u in urls), urls
    assert "L.tileLayer(" in page
    if key == "tianditu":
        assert len(urls) == 2 and all(u.endswith("tk=tok-42") for u in urls)


def test_tianditu_without_a_token_has_an_empty_key_not_a_placeholder(dataset):
    page = industry_map.industry_map(dataset, ViewState(layers=()), basemap=BASEMAPS["tianditu"]).get_root().render()
    assert "{tk}" not in page
    assert page.count('\\u0026tk=",') == 2  # both tile layers, each with an empty key


def test_amap_shifts_every_village_exactly_like_coords(amap_page, offline_page, dataset):
    drawn = points_of(amap_page, "fupin-villages")
    assert sorted(drawn) == sorted(dataset.villages["code"])
    for village in dataset.villages.itertuples():
        lon, lat = coords.wgs84_to_gcj02(village.lon, village.lat)
        assert drawn[village.code] == pytest.approx([lon, lat], abs=5.1e-6)
    # with the offline basemap the very same villages are at their stored position
    stored = points_of(offline_page, "fupin-villages")
    for village in dataset.villages.itertuples():
        assert stored[village.code] == [village.lon, village.lat]


@pytest.mark.parametrize("class_name, frame", [("fupin-parks", "parks"), ("fupin-enterprises", "enterprises"),
                                               ("fupin-cooperatives", "cooperatives")])
def test_amap_shifts_the_badges_too(amap_page, dataset, class_name, frame):
    drawn = points_of(amap_page, class_name)
    records = getattr(dataset, frame)
    assert len(drawn) == len(records)
    for record in records.itertuples():
        lon, lat = coords.wgs84_to_gcj02(record.lon, record.lat)
        assert drawn[record.id] == pytest.approx([lon, lat], abs=5.1e-6)


def test_amap_shifts_polygons_county_lines_and_the_view(amap_page, offline_page, dataset):
    def first_point(page, class_name):
        data = next(d for name, d in mapscript.layers(page) if name == class_name)
        geometry = shapely.geometry.shape(data["features"][0]["geometry"])
        return shapely.get_coordinates(geometry)[0]

    for class_name in ("fupin-county-lines", "fupin-aquaculture", "fupin-choropleth"):
        plain, shifted = first_point(offline_page, class_name), first_point(amap_page, class_name)
        expected = coords.wgs84_to_gcj02(*plain)
        assert shifted == pytest.approx(expected, abs=1e-6), class_name
        assert metres(*plain, *shifted) > 400
    # the map is fitted to the shifted extent
    fitted = [json.loads(x) for x in re.findall(r"fitBounds\(\s*(\[\[.*?\]\])", amap_page, re.S)]
    (miny, minx), (maxy, maxx) = fitted[0]
    expected = GCJ.bounds(industry_map.focus_bounds(dataset.villages))
    assert (minx, miny, maxx, maxy) == pytest.approx(expected, abs=1e-9)


def test_amap_shifts_label_positions(dataset):
    view = ViewState(layers=("towns",))
    plain = industry_map.layers(dataset, view)[0]
    shifted = industry_map.layers(dataset, view, basemap=BASEMAPS["amap"])[0]
    (plain_labels,), (shifted_labels,) = ([c for c in g._children.values() if isinstance(c, industry_map.Labels)]
                                          for g in (plain, shifted))
    assert len(plain_labels.items) == len(shifted_labels.items) > 0
    for (x, y, text), (sx, sy, stext) in zip(plain_labels.items, shifted_labels.items):
        assert text == stext
        assert (sx, sy) == pytest.approx(coords.wgs84_to_gcj02(x, y), abs=1e-5)


def test_county_names_in_the_base_map_follow_the_basemap():
    counties = geodata.counties(config.ZHANJIANG)
    centre = counties.geometry.representative_point().iloc[0]
    name = counties["name"].iloc[0]
    for key in ("offline", "amap"):
        m = industry_map.base_map(basemap=BASEMAPS[key])
        labels = [c for c in m._children.values() if isinstance(c, industry_map.Labels)]
        x, y, text = next(item for item in labels[0].items if item[2] == name)
        expected = (centre.x, centre.y) if key == "offline" else coords.wgs84_to_gcj02(centre.x, centre.y)
        assert (x, y) == pytest.approx(expected, abs=1e-5)
        assert math.isfinite(x)


# --- fit_view: Leaflet's fitBounds as a centre and a zoom ------------------------------------------------
def test_fit_view_by_hand():
    # a quarter of the world's width (0.25 * 256 px at zoom 0) in 512 px: zoom log2(8) = 3
    assert fit_view((-45, -1, 45, 1), 512, 512, min_zoom=0) == (0.0, 0.0, 3.0)
    # in 600 px: log2(600 / 64) = 3.23, snapped down to 3.0 (0.25 steps), centred at 90°
    assert fit_view((45, -1, 135, 1), 600, 512, min_zoom=0) == (0.0, 90.0, 3.0)
    # the height decides when it is the tighter: 0.25 of the world's height (Mercator) in 128 px
    y = math.degrees(math.atan(math.sinh(math.pi / 4)))  # Mercator y = 1/8 of the height each side
    assert fit_view((-1, -y, 1, y), 4096, 128, min_zoom=0) == pytest.approx((0.0, 0.0, 1.0), abs=1e-6)
    # limits: a single point stops at the maximum zoom, the world at the minimum
    assert fit_view((110.0, 21.0, 110.0, 21.0))[2] == config.MAX_ZOOM
    assert fit_view((-180, -80, 180, 80))[2] == config.MIN_ZOOM


def test_fit_view_centre_is_the_mercator_middle():
    lat, lon, _ = fit_view((110.0, 0.0, 111.0, 60.0), min_zoom=0)
    assert lon == pytest.approx(110.5)
    assert lat > 35  # Mercator stretches the north: the middle lies above the mean latitude 30


def test_display_point_is_lat_lon_on_the_basemap():
    lon, lat = coords.wgs84_to_gcj02(110.1, 21.2)
    assert GCJ.point(21.2, 110.1) == pytest.approx((lat, lon), abs=1e-5)
    assert WGS84_DISPLAY.point(21.2, 110.1) == (21.2, 110.1)
