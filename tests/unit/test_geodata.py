"""The shipped files in geodata/ and their loader fupin_geo.geodata."""

from __future__ import annotations

import itertools
import json
import shutil

import numpy as np
import pandas as pd
import pytest
import shapely

from fupin_geo.data import geodata
from fupin_geo.data.geodata import GEODATA_DIR, LIUZHOU, ZHANJIANG, GeodataError

GEOJSON_FILES = ["counties.geojson", "cities.geojson", "land.geojson", "coastline.geojson", "provinces.geojson"]
CSV_FILES = ["towns.csv", "villages.csv"]

ZHANJIANG_COUNTIES = {
    "440802": "赤坎区", "440803": "霞山区", "440804": "坡头区", "440811": "麻章区",
    "440823": "遂溪县", "440825": "徐闻县", "440881": "廉江市", "440882": "雷州市",
    "440883": "吴川市",
}
LIUZHOU_COUNTIES = {
    "450202", "450203", "450204", "450205", "450206",
    "450222", "450223", "450224", "450225", "450226",
}
CITY_OF = {ZHANJIANG: "湛江市", LIUZHOU: "柳州市"}


def read_features(filename):
    with open(GEODATA_DIR / filename, encoding="utf-8") as f:
        data = json.load(f)
    return data


# ------------------------------------------------------------------ raw files


@pytest.mark.parametrize("filename", GEOJSON_FILES)
def test_geojson_is_wgs84_valid_and_non_empty(filename):
    data = read_features(filename)
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data  # RFC 7946: WGS-84 implied
    assert data["features"]
    for feature in data["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        assert not geom.is_empty, feature["properties"]
        assert shapely.is_valid(geom), (feature["properties"], shapely.is_valid_reason(geom))
        xy = shapely.get_coordinates(geom)
        # lon/lat order and range, inside south China
        assert (xy[:, 0] > 100).all() and (xy[:, 0] < 120).all()
        assert (xy[:, 1] > 15).all() and (xy[:, 1] < 30).all()
        # rounded to 5 decimals
        np.testing.assert_allclose(xy, np.round(xy, 5), atol=1e-9, rtol=0)
        if filename == "coastline.geojson":
            assert geom.geom_type in ("LineString", "MultiLineString")
        else:
            assert geom.geom_type in ("Polygon", "MultiPolygon")
        assert "name" in feature["properties"]


@pytest.mark.parametrize("filename", GEOJSON_FILES + CSV_FILES + ["README.md"])
def test_file_exists_and_is_utf8(filename):
    path = GEODATA_DIR / filename
    assert path.is_file()
    path.read_text(encoding="utf-8")


def test_geojson_total_size_below_600_kb():
    total = sum((GEODATA_DIR / f).stat().st_size for f in GEOJSON_FILES)
    assert total < 600 * 1024


def test_county_properties_exact():
    features = read_features("counties.geojson")["features"]
    for feature in features:
        assert list(feature["properties"]) == ["adcode", "name", "short_name", "city_adcode", "city_name"]
        assert all(isinstance(v, str) for v in feature["properties"].values())
    props = {f["properties"]["adcode"]: f["properties"] for f in features}
    assert props["440882"]["short_name"] == "雷州"
    assert props["440802"]["short_name"] == "赤坎"
    assert props["440823"]["short_name"] == "遂溪"
    assert props["450226"]["name"] == "三江侗族自治县" and props["450226"]["short_name"] == "三江"
    assert props["450225"]["name"] == "融水苗族自治县" and props["450225"]["short_name"] == "融水"
    assert props["440882"]["city_name"] == "湛江市" and props["450226"]["city_adcode"] == LIUZHOU


# ------------------------------------------------------------------- counties


def test_nine_and_ten_counties():
    zj = geodata.counties(ZHANJIANG)
    lz = geodata.counties(LIUZHOU)
    assert dict(zip(zj["adcode"], zj["name"])) == ZHANJIANG_COUNTIES
    assert set(lz["adcode"]) == LIUZHOU_COUNTIES
    everything = geodata.counties()
    assert len(everything) == 19
    assert everything["adcode"].is_unique
    assert list(everything["adcode"]) == sorted(everything["adcode"])
    assert list(everything.columns) == ["adcode", "name", "short_name", "city_adcode", "city_name", "geometry"]
    assert everything.crs.to_epsg() == 4326


@pytest.mark.parametrize("city", [ZHANJIANG, LIUZHOU])
def test_counties_form_valid_coverage_equal_to_city(city):
    geoms = np.asarray(geodata.counties(city).geometry.values, dtype=object)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    outline = geodata.city_outline(city)
    assert outline.is_valid
    union = shapely.union_all(geoms)
    mismatch = shapely.symmetric_difference(union, outline).area / outline.area
    assert mismatch < 0.01


@pytest.mark.parametrize("city", [ZHANJIANG, LIUZHOU])
def test_counties_do_not_overlap(city):
    geoms = list(geodata.counties(city).geometry)
    smallest = min(g.area for g in geoms)
    for a, b in itertools.combinations(geoms, 2):
        assert shapely.intersection(a, b).area < 1e-9 * smallest


def test_cities():
    frame = geodata.cities()
    assert list(frame["adcode"]) == [ZHANJIANG, LIUZHOU]
    assert list(frame["name"]) == ["湛江市", "柳州市"]
    assert frame.crs.to_epsg() == 4326
    with pytest.raises(KeyError):
        geodata.city_outline("110000")


def test_land_and_coastline_around_cities():
    land = geodata.land()
    coast = geodata.coastline()
    assert {"茂名市", "北海市", "桂林市", "来宾市"} <= set(land["name"])
    assert land.crs.to_epsg() == 4326 and coast.crs.to_epsg() == 4326
    # 湛江 is on the coast, 柳州 is not
    zj = geodata.city_outline(ZHANJIANG)
    lz = geodata.city_outline(LIUZHOU)
    coast_all = shapely.union_all(coast.geometry.values)
    assert coast_all.distance(zj) < 0.05
    assert coast_all.distance(lz) > 1.0


# ------------------------------------------------------------------ provinces

PAIR_PROVINCES = {"440000": "广东省", "450000": "广西壮族自治区"}


def test_provinces_are_a_valid_coverage_with_guangdong_and_guangxi_whole():
    provinces = geodata.provinces()
    assert list(provinces.columns) == ["code", "name", "clipped", "geometry"]
    assert provinces.crs.to_epsg() == 4326
    whole = provinces[~provinces["clipped"]]
    assert dict(zip(whole["code"], whole["name"])) == PAIR_PROVINCES
    assert {"湖南省", "贵州省", "海南省", "越南"} <= set(provinces["name"])
    geoms = np.asarray(provinces.geometry.values, dtype=object)
    assert shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)


@pytest.mark.parametrize("city, province", [(ZHANJIANG, "440000"), (LIUZHOU, "450000")])
def test_each_city_lies_in_its_province(city, province):
    outline = geodata.provinces().set_index("code").geometry[province]
    counties = geodata.counties(city)
    for name, geom in zip(counties["name"], counties.geometry):
        assert outline.contains(geom.centroid), name
        assert outline.contains(geom.representative_point()), name  # where the 湛柳 arcs end
    # the simplified outline follows the city's own
    city_outline = geodata.city_outline(city)
    assert shapely.difference(city_outline, outline).area < 0.02 * city_outline.area


def test_land_joins_the_two_cities():
    """The straight line from 湛江 to 柳州 runs over 广东 and 广西 only: no sea between."""
    provinces = geodata.provinces().set_index("code").geometry
    land = shapely.union_all([provinces[code] for code in PAIR_PROVINCES])
    zj, lz = (geodata.city_outline(c).representative_point() for c in (ZHANJIANG, LIUZHOU))
    assert land.contains(shapely.LineString([zj, lz]))
    # and the boxes of land.geojson do not: that is what this file is for
    boxes = shapely.union_all(geodata.land().geometry.values)
    assert not boxes.contains(shapely.LineString([zj, lz]))


def test_liuzhou_is_inland():
    """Every place within ~30 km of 柳州 is land (its neighbours are drawn too)."""
    land = shapely.union_all(geodata.provinces().geometry.values)
    around = shapely.buffer(geodata.city_outline(LIUZHOU), 0.3)
    assert shapely.difference(around, land).area < 1e-6


# -------------------------------------------------------------- towns/villages


def test_towns_and_villages_counts_and_codes():
    towns = geodata.towns(ZHANJIANG)
    villages = geodata.village_units(ZHANJIANG)
    assert len(towns) == 125
    assert len(villages) == 1992
    all_towns = geodata.towns()
    all_villages = geodata.village_units()
    assert set(all_towns["city_code"]) == {ZHANJIANG, LIUZHOU}
    assert set(all_villages["city_code"]) == {ZHANJIANG, LIUZHOU}
    assert all_towns["code"].is_unique and all_villages["code"].is_unique
    assert all_towns["code"].str.fullmatch(r"\d{9}").all()
    assert all_villages["code"].str.fullmatch(r"\d{12}").all()
    assert list(all_towns["code"]) == sorted(all_towns["code"])
    assert list(all_villages["code"]) == sorted(all_villages["code"])


@pytest.mark.parametrize("filename, columns", [
    ("towns.csv", ["code", "name", "short_name", "county_code", "city_code"]),
    ("villages.csv", ["code", "name", "short_name", "town_code", "county_code", "city_code"]),
])
def test_csv_header_and_string_codes(filename, columns):
    frame = pd.read_csv(GEODATA_DIR / filename, dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(frame.columns) == columns
    assert (frame != "").all().all()
    assert frame["code"].is_unique


def test_hierarchy_is_complete():
    counties = set(geodata.counties()["adcode"])
    towns = geodata.towns()
    villages = geodata.village_units()
    assert set(towns["county_code"]) <= counties
    assert set(towns["county_code"]) == counties  # every county has towns
    assert (towns["code"].str[:6] == towns["county_code"]).all()
    assert (towns["county_code"].str[:4] + "00" == towns["city_code"]).all()
    assert set(villages["town_code"]) <= set(towns["code"])
    assert set(villages["county_code"]) <= counties
    assert (villages["code"].str[:9] == villages["town_code"]).all()
    town_county = dict(zip(towns["code"], towns["county_code"]))
    assert (villages["town_code"].map(town_county) == villages["county_code"]).all()


def test_short_names():
    towns = geodata.towns().set_index("code")
    villages = geodata.village_units().set_index("code")
    name_of = dict(zip(villages["name"], villages["short_name"]))
    assert name_of["名利村委会"] == "名利"
    assert name_of["新江社区居民委员会"] == "新江"
    for suffix in ("村委会", "村民委员会", "社区居委会", "社区居民委员会", "居委会", "居民委员会"):
        assert not villages["short_name"].str.endswith(suffix).any()
    assert not towns["short_name"].str.endswith(("镇", "街道", "乡", "办事处")).any()
    assert (towns["short_name"].str.len() > 0).all() and (villages["short_name"].str.len() > 0).all()
    # the full name always starts with the short name
    assert all(n.startswith(s) for n, s in zip(villages["name"], villages["short_name"]))
    assert all(n.startswith(s) for n, s in zip(towns["name"], towns["short_name"]))


# --------------------------------------------------------------------- loader


def test_county_of_point():
    assert geodata.county_of_point(110.09, 20.91) == "440882"  # 雷州 town
    assert geodata.county_of_point(109.40, 24.33) in LIUZHOU_COUNTIES  # 柳州 city
    assert geodata.county_of_point(109.5, 20.9) is None  # 北部湾, at sea
    assert geodata.county_of_point(110.3, 20.12) is None  # 琼州海峡


def test_county_of_points_vectorised():
    result = geodata.county_of_points(np.array([110.09, 109.5, 110.17, np.nan]), np.array([20.91, 20.9, 20.33, 20.0]))
    assert result.dtype == object and result.shape == (4,)
    assert result[0] == "440882" and result[1] is None and result[2] == "440825" and result[3] is None
    assert geodata.county_of_points([], []).shape == (0,)


def test_county_name():
    assert geodata.county_name("440882") == "雷州市"
    with pytest.raises(KeyError):
        geodata.county_name("999999")


def test_returned_frames_are_copies():
    frame = geodata.counties()
    frame.loc[0, "name"] = "changed"
    del frame["short_name"]
    assert geodata.counties().loc[0, "name"] == "赤坎区"
    assert "short_name" in geodata.counties().columns
    for loader in (geodata.cities, geodata.land, geodata.coastline, geodata.provinces, geodata.towns,
                   geodata.village_units):
        first = loader()
        first.iloc[0, 0] = "changed"
        assert loader().iloc[0, 0] != "changed"


def _cached_functions():
    return [getattr(geodata, n) for n in dir(geodata) if hasattr(getattr(geodata, n), "cache_clear")]


@pytest.fixture
def geodata_dir(tmp_path, monkeypatch):
    """Point the loader at an empty temporary folder, with fresh caches before and after."""
    for func in _cached_functions():
        func.cache_clear()
    monkeypatch.setattr(geodata, "GEODATA_DIR", tmp_path)
    yield tmp_path
    for func in _cached_functions():
        func.cache_clear()


@pytest.mark.parametrize("filename, loader", [
    ("counties.geojson", geodata.counties),
    ("cities.geojson", geodata.cities),
    ("land.geojson", geodata.land),
    ("coastline.geojson", geodata.coastline),
    ("provinces.geojson", geodata.provinces),
    ("towns.csv", geodata.towns),
    ("villages.csv", geodata.village_units),
])
def test_missing_file_raises_geodata_error(geodata_dir, filename, loader):
    for name in GEOJSON_FILES + CSV_FILES:
        if name != filename:
            shutil.copy(GEODATA_DIR / name, geodata_dir / name)
    with pytest.raises(GeodataError, match=filename.replace(".", r"\.")):
        loader()


def test_broken_file_raises_geodata_error(geodata_dir):
    (geodata_dir / "counties.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(GeodataError, match=r"counties\.geojson"):
        geodata.counties()
    with pytest.raises(GeodataError, match=r"counties\.geojson"):
        geodata.county_of_point(110.09, 20.91)


def test_town_name_from_the_towns_table_or_the_code_itself():
    towns = geodata.towns("440800")
    for code, name in zip(towns["code"].head(20), towns["name"].head(20)):
        assert geodata.town_name(code) == name
    assert geodata.town_name("999999999") == "999999999"
