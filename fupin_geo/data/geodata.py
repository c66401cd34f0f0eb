"""Loader for the shipped reference data in ``geodata/`` (built by tools/build_geodata.py).

All geometry is WGS-84 (EPSG:4326).  Every loader is cached; callers always get
a copy, so mutating a returned frame never changes what the next caller sees.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..config import GEODATA_DIR, LIUZHOU, ZHANJIANG

__all__ = [
    "GEODATA_DIR",
    "LIUZHOU",
    "ZHANJIANG",
    "GeodataError",
    "cities",
    "city_outline",
    "coastline",
    "counties",
    "county_name",
    "county_of_point",
    "county_of_points",
    "land",
    "provinces",
    "towns",
    "village_units",
]


CRS = "EPSG:4326"
COUNTY_COLUMNS = ["adcode", "name", "short_name", "city_adcode", "city_name", "geometry"]
CITY_COLUMNS = ["adcode", "name", "geometry"]
TOWN_COLUMNS = ["code", "name", "short_name", "county_code", "city_code"]
VILLAGE_COLUMNS = ["code", "name", "short_name", "town_code", "county_code", "city_code"]


class GeodataError(RuntimeError):
    """A file in geodata/ is missing or cannot be read."""


def _path(filename: str) -> Path:
    return GEODATA_DIR / filename


def _missing(path: Path) -> GeodataError:
    return GeodataError(
        f"缺少地理数据文件 {path.name}（应位于 {path.parent}）。"
        "请运行 .venv/bin/python tools/build_geodata.py 重新生成。"
    )


def _broken(path: Path, exc: Exception) -> GeodataError:
    return GeodataError(f"无法读取地理数据文件 {path.name}：{exc}")


def _read_geojson(filename: str, columns: list[str]) -> gpd.GeoDataFrame:
    path = _path(filename)
    if not path.is_file():
        raise _missing(path)
    try:
        frame = gpd.read_file(path)
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"缺少字段 {', '.join(missing)}")
        frame = frame[columns]
        for column in columns:
            if column != "geometry":
                frame[column] = frame[column].astype(str)
        frame = frame.set_crs(CRS, allow_override=True)
    except GeodataError:
        raise
    except Exception as exc:  # pyogrio / json / value errors: report the file
        raise _broken(path, exc) from exc
    return frame


def _read_csv(filename: str, columns: list[str]) -> pd.DataFrame:
    path = _path(filename)
    if not path.is_file():
        raise _missing(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"缺少字段 {', '.join(missing)}")
    except Exception as exc:
        raise _broken(path, exc) from exc
    return frame[columns].astype(str)


def _by_city(frame: pd.DataFrame, column: str, city: str | None) -> pd.DataFrame:
    if city is not None:
        frame = frame[frame[column] == str(city)]
    return frame.reset_index(drop=True).copy()


# ------------------------------------------------------------------ cached raw


@lru_cache(maxsize=1)
def _counties() -> gpd.GeoDataFrame:
    frame = _read_geojson("counties.geojson", COUNTY_COLUMNS)
    return frame.sort_values("adcode").reset_index(drop=True)


@lru_cache(maxsize=1)
def _cities() -> gpd.GeoDataFrame:
    return _read_geojson("cities.geojson", CITY_COLUMNS).sort_values("adcode").reset_index(drop=True)


@lru_cache(maxsize=1)
def _land() -> gpd.GeoDataFrame:
    return _read_geojson("land.geojson", ["name", "geometry"])


@lru_cache(maxsize=1)
def _provinces() -> gpd.GeoDataFrame:
    frame = _read_geojson("provinces.geojson", ["code", "name", "clipped", "geometry"])
    frame["clipped"] = frame["clipped"] == "True"  # every column but geometry was read as text
    return frame


@lru_cache(maxsize=1)
def _coastline() -> gpd.GeoDataFrame:
    return _read_geojson("coastline.geojson", ["name", "geometry"])


@lru_cache(maxsize=1)
def _towns() -> pd.DataFrame:
    return _read_csv("towns.csv", TOWN_COLUMNS).sort_values("code").reset_index(drop=True)


@lru_cache(maxsize=1)
def _villages() -> pd.DataFrame:
    return _read_csv("villages.csv", VILLAGE_COLUMNS).sort_values("code").reset_index(drop=True)


@lru_cache(maxsize=1)
def _county_lookup() -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    frame = _counties()
    geoms = np.asarray(frame.geometry.values, dtype=object)
    shapely.prepare(geoms)
    names = dict(zip(frame["adcode"], frame["name"]))
    return geoms, frame["adcode"].to_numpy(dtype=object), names


# ------------------------------------------------------------------- public API


def counties(city: str | None = None) -> gpd.GeoDataFrame:
    """County-level units (EPSG:4326), optionally of one city (``ZHANJIANG``/``LIUZHOU``)."""
    return _by_city(_counties(), "city_adcode", city)


def cities() -> gpd.GeoDataFrame:
    """Outlines of 湛江市 and 柳州市 (columns adcode, name, geometry)."""
    return _cities().copy()


def city_outline(adcode: str):
    """The outline (shapely geometry) of one city; KeyError if unknown."""
    frame = _cities()
    match = frame[frame["adcode"] == str(adcode)]
    if match.empty:
        raise KeyError(f"未知城市代码 {adcode}")
    return match.geometry.iloc[0]


def land() -> gpd.GeoDataFrame:
    """Coarse land polygons around both cities (context only; column name)."""
    return _land().copy()


def provinces() -> gpd.GeoDataFrame:
    """广东 and 广西 whole and, clipped to a box around them, their neighbours (columns code,
    name, clipped, geometry): the land between and around 湛江 and 柳州."""
    return _provinces().copy()


def coastline() -> gpd.GeoDataFrame:
    """Coarse sea coast lines around both cities (column name)."""
    return _coastline().copy()


def towns(city: str | None = None) -> pd.DataFrame:
    """Towns (乡镇/街道): code, name, short_name, county_code, city_code (all str)."""
    return _by_city(_towns(), "city_code", city)


@lru_cache(maxsize=1)
def _town_names() -> dict[str, str]:
    towns = _towns()
    return dict(zip(towns["code"].tolist(), towns["name"].tolist()))


def town_name(code: str) -> str:
    """The town's name ("440823101" -> its 乡镇/街道 name), or the code itself if unknown."""
    return _town_names().get(str(code), str(code))


def village_units(city: str | None = None) -> pd.DataFrame:
    """Village-level units (村/居委会): code, name, short_name, town_code, county_code, city_code."""
    return _by_city(_villages(), "city_code", city)


def county_name(adcode: str) -> str:
    """Full name of a county ("440882" -> "雷州市"); KeyError if unknown."""
    names = _county_lookup()[2]
    try:
        return names[str(adcode)]
    except KeyError:
        raise KeyError(f"未知区县代码 {adcode}") from None


def county_of_points(lons, lats) -> np.ndarray:
    """Adcode (str) of the county containing each WGS-84 point, or None (sea / elsewhere)."""
    lon_a = np.atleast_1d(np.asarray(lons, dtype=float))
    lat_a = np.atleast_1d(np.asarray(lats, dtype=float))
    lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    geoms, codes, _ = _county_lookup()
    result = np.full(lon_a.shape, None, dtype=object)
    for geom, code in zip(geoms, codes):
        undecided = result == None  # noqa: E711 (elementwise on an object array)
        if not undecided.any():
            break
        inside = np.zeros(lon_a.shape, dtype=bool)
        inside[undecided] = shapely.intersects_xy(geom, lon_a[undecided], lat_a[undecided])
        result[inside] = code
    return result


def county_of_point(lon: float, lat: float) -> str | None:
    """Adcode of the county containing one WGS-84 point, or None."""
    return county_of_points([lon], [lat])[0]
