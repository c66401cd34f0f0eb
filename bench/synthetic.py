"""Scaled data sets for benchmarks: the demo's 2019Q4 quarter grown to any number of villages.

`scaled_dataset(n)` keeps the demo's 218 villages and adds copies of them until there are `n`.
Each copy gets
  * a new unique 12-digit code: its county's 6 digits + 9xxxxx (a running number within the
    county; real village codes have a town number 0xx-4xx there, so no copy can collide with
    a real code),
  * the source village's name, town, figures and products (so tooltips and categories keep
    their real lengths and mix),
  * a position jittered around the source village's (uniform, ±JITTER_DEG) that lies inside
    the same county: `shapely.contains_xy` on `fupin_geo.geodata.counties()` polygons,
    rejected draws are redrawn, and after MAX_TRIES the source position is used,
  * the source village's cooperative (if any) and that cooperative's 入股 linkage, moved by
    the same offset, so that profile and indicator code has something to find.
Other tables (parks, town industries, aquaculture, …) are the demo's, unchanged; they refer
to the original 218 villages only.

Enterprises: by default (`n_enterprises=None`) the demo's 24 龙头企业 and their links, unchanged.
`scaled_dataset(n, n_enterprises=m)` gives exactly `m` enterprises: the first `m` of the demo's
(with their links) if m <= 24, else the demo's 24 plus copies, made round-robin from them
(copy k, counting from 0, of demo enterprise k % 24). Each copy gets
  * id "E" + (COPY_CODE_BASE + k + 1), e.g. E900001 (the demo's are E01 … E24),
  * the source's name with "·<k+1>" appended, its level, industry, county and 加工 flag,
  * a position drawn uniformly inside its county's polygon (bounding box, rejection by
    `shapely.contains_xy`; rounds of 24 copies, each round its own seeded generator),
  * 3–15 企业 linkages (as the demo draws them) to distinct villages of its county, drawn from
    all villages of the scaled data set (copies included) by its own seeded generator.

Copies are made in rounds of 218 (round r copies every demo village once) and every round has
its own seeded generator, so the result is deterministic and the data set of a smaller size is
exactly the first rows of a larger one (2,277 villages ⊂ 20,000 villages).

Usage (from the repo root):
    from bench.synthetic import scaled_dataset
    ds = scaled_dataset(20_000)                         # demo's 24 enterprises
    ds = scaled_dataset(20_000, n_enterprises=2_000)    # and 2,000 enterprises
"""
from __future__ import annotations

import sys
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from fupin_geo import config
from fupin_geo.data import demo, geodata
from fupin_geo.data.dataset import Dataset

SEED = 20_000
# ~4 km, the demo's own spread of villages around their town (demo.TOWN_SPREAD_DEG).
JITTER_DEG = 0.04
MAX_TRIES = 50
# Code of copy k in a county: county (6 digits) + COPY_CODE_BASE + k.
COPY_CODE_BASE = 900_000
DEMO_SIZE = 218
# Second element of the seed of enterprise copies (villages use [SEED, round]).
ENTERPRISE_STREAM = 1_000_000
# Linkages per copied enterprise: integers(LOW, HIGH), as demo._enterprises draws its reach.
ENTERPRISE_REACH = (3, 16)


@lru_cache(maxsize=1)
def demo_quarter() -> Dataset:
    """The demo's last quarter (2019Q4, 218 villages); built once per process."""
    return demo.build_demo()[-1]


def _jitter_inside(lons: np.ndarray, lats: np.ndarray, counties: np.ndarray,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Positions near (lons, lats), each inside the polygon of its county."""
    polygons = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    out_lon, out_lat = lons.copy(), lats.copy()
    pending = np.ones(len(lons), dtype=bool)
    for _ in range(MAX_TRIES):
        if not pending.any():
            break
        index = np.flatnonzero(pending)
        x = lons[index] + rng.uniform(-JITTER_DEG, JITTER_DEG, len(index))
        y = lats[index] + rng.uniform(-JITTER_DEG, JITTER_DEG, len(index))
        inside = np.zeros(len(index), dtype=bool)
        for county in np.unique(counties[index]):
            mine = counties[index] == county
            inside[mine] = shapely.contains_xy(polygons[county], x[mine], y[mine])
        out_lon[index[inside]] = x[inside]
        out_lat[index[inside]] = y[inside]
        pending[index[inside]] = False
    return out_lon.round(config.COORD_DECIMALS), out_lat.round(config.COORD_DECIMALS)


def _copies(base: pd.DataFrame, count: int) -> pd.DataFrame:
    """`count` copied village rows (new code, jittered position) plus their source code."""
    rounds = []
    # Whole rounds are drawn and the surplus is cut, so a smaller size is a prefix of a larger.
    for round_number in range(1, -(-count // len(base)) + 1):
        rng = np.random.default_rng([SEED, round_number])
        lon, lat = _jitter_inside(base["lon"].to_numpy(float), base["lat"].to_numpy(float),
                                  base["county_code"].to_numpy(object), rng)
        rounds.append(base.assign(source_code=base["code"], lon=lon, lat=lat))
    copies = pd.concat(rounds, ignore_index=True).iloc[:count].copy()
    serial = copies.groupby("county_code").cumcount().to_numpy()
    if serial.max(initial=0) >= 1_000_000 - COPY_CODE_BASE:
        raise ValueError("too many copies in one county for 6-digit village numbers")
    copies["code"] = copies["county_code"] + pd.Series(COPY_CODE_BASE + serial).astype(str).to_numpy()
    return copies


def _inside_counties(counties: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One uniform position inside the polygon of each given county."""
    polygons = geodata.counties(config.ZHANJIANG).set_index("adcode").geometry
    lon, lat = np.zeros(len(counties)), np.zeros(len(counties))
    for county in np.unique(counties):
        mine = np.flatnonzero(counties == county)
        polygon = polygons[county]
        minx, miny, maxx, maxy = polygon.bounds
        pending = mine
        while len(pending):
            x = rng.uniform(minx, maxx, len(pending))
            y = rng.uniform(miny, maxy, len(pending))
            inside = shapely.contains_xy(polygon, x, y)
            lon[pending[inside]], lat[pending[inside]] = x[inside], y[inside]
            pending = pending[~inside]
    return lon.round(config.COORD_DECIMALS), lat.round(config.COORD_DECIMALS)


def _enterprise_frames(source: Dataset, villages: pd.DataFrame, linkages: pd.DataFrame,
                       count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`count` enterprises and the linkages frame with theirs (see the module docstring)."""
    base = source.enterprises
    others = linkages[linkages["source_type"] != "企业"]
    if count <= len(base):
        kept = base.iloc[:count].reset_index(drop=True)
        links = linkages[(linkages["source_type"] != "企业") | linkages["source_id"].isin(kept["id"])]
        return kept, links.reset_index(drop=True)

    extra = count - len(base)
    rounds = []
    for round_number in range(1, -(-extra // len(base)) + 1):
        rng = np.random.default_rng([SEED, ENTERPRISE_STREAM, round_number])
        lon, lat = _inside_counties(base["county_code"].to_numpy(object), rng)
        rounds.append(base.assign(lon=lon, lat=lat))
    copies = pd.concat(rounds, ignore_index=True).iloc[:extra].copy()
    serial = np.arange(1, extra + 1)
    copies["id"] = [f"E{COPY_CODE_BASE + k}" for k in serial]
    copies["name"] = [f"{name}·{k}" for name, k in zip(copies["name"], serial)]

    by_county = {county: codes.to_numpy(object) for county, codes in villages.groupby("county_code")["code"]}
    template = linkages[linkages["source_type"] == "企业"].iloc[0]
    rows = []
    for k, eid, county in zip(serial, copies["id"], copies["county_code"]):
        rng = np.random.default_rng([SEED, ENTERPRISE_STREAM, 0, int(k)])
        local = by_county.get(county, np.array([], dtype=object))
        reach = min(len(local), int(rng.integers(*ENTERPRISE_REACH)))
        for code in rng.choice(local, size=reach, replace=False):
            poor = int(rng.integers(3, 20))
            rows.append(dict(source_type="企业", source_id=eid, village_code=code,
                             link_type=config.LINK_TYPES[int(rng.integers(0, len(config.LINK_TYPES)))],
                             households=poor + int(rng.integers(5, 40)), poor_households=poor,
                             quarter=template["quarter"], source=template["source"]))
    enterprise_links = pd.concat([linkages[linkages["source_type"] == "企业"],
                                  pd.DataFrame(rows, columns=linkages.columns)], ignore_index=True)
    links = pd.concat([enterprise_links, others], ignore_index=True)[linkages.columns]
    return pd.concat([base, copies[base.columns]], ignore_index=True), links


def scaled_frames(n: int, n_enterprises: int | None = None) -> dict[str, pd.DataFrame]:
    """The frames of a data set with `n` villages and `n_enterprises` enterprises (None: the
    demo's 24), see the module docstring; not validated."""
    frames = _village_frames(n)
    if n_enterprises is not None:
        frames["enterprises"], frames["linkages"] = _enterprise_frames(
            demo_quarter(), frames["villages"], frames["linkages"], n_enterprises)
    return frames


def _village_frames(n: int) -> dict[str, pd.DataFrame]:
    source = demo_quarter()
    frames = {name: frame.copy() for name, frame in source.frames().items()}
    villages = source.villages
    if n <= len(villages):
        keep = villages["code"].iloc[:n]
        frames["villages"] = villages.iloc[:n].reset_index(drop=True)
        frames["products"] = source.products[source.products["village_code"].isin(keep)].reset_index(drop=True)
        return frames

    copies = _copies(villages, n - len(villages))
    moved = copies[["source_code", "code", "lon", "lat"]].merge(
        villages[["code", "lon", "lat"]].rename(columns={"code": "source_code"}),
        on="source_code", suffixes=("", "_source"))
    moved = moved.assign(dlon=moved["lon"] - moved["lon_source"], dlat=moved["lat"] - moved["lat_source"])
    pairs = moved[["source_code", "code", "dlon", "dlat"]]

    # pairs on the left: pandas keeps the left order, so rows follow the villages' order.
    products = pairs.merge(source.products, left_on="source_code", right_on="village_code")
    products = products.assign(village_code=products["code"])[source.products.columns]

    coops = pairs.merge(source.cooperatives, left_on="source_code", right_on="village_code")
    coops = coops.assign(
        old_id=coops["id"], id="C" + coops["code"], village_code=coops["code"],
        lon=(coops["lon"] + coops["dlon"]).round(config.COORD_DECIMALS),
        lat=(coops["lat"] + coops["dlat"]).round(config.COORD_DECIMALS),
    )
    links = source.linkages[source.linkages["source_type"] == "合作社"]
    links = coops[["old_id", "id", "village_code"]].merge(links, left_on="old_id", right_on="source_id",
                                                          suffixes=("", "_old"))
    links = links.assign(source_id=links["id"])[source.linkages.columns]

    frames["villages"] = pd.concat([villages, copies[villages.columns]], ignore_index=True)
    frames["products"] = pd.concat([source.products, products], ignore_index=True)
    frames["cooperatives"] = pd.concat([source.cooperatives, coops[source.cooperatives.columns]],
                                       ignore_index=True)
    frames["linkages"] = pd.concat([source.linkages, links], ignore_index=True)
    return frames


def scaled_dataset(n: int, validate: bool = True, *, n_enterprises: int | None = None) -> Dataset:
    """A 2019Q4 Dataset with `n` villages (and `n_enterprises` enterprises; None: the demo's 24).

    validate=True (default) builds it through Dataset.from_frames, i.e. the same validation
    the app applies on load (a few seconds at 20,000 villages; data generation is never part
    of what the benchmarks time). validate=False constructs the Dataset directly from the
    frames (their dtypes are already those of a validated Dataset, since every frame is a
    validated frame or rows copied from one).
    """
    frames = scaled_frames(n, n_enterprises)
    quarter = demo_quarter().quarter
    if validate:
        return Dataset.from_frames(quarter, frames)
    return Dataset(quarter=quarter, **frames)


if __name__ == "__main__":
    import time

    # arguments: sizes as VILLAGES or VILLAGES:ENTERPRISES, e.g. 218 20000:2000
    for arg in sys.argv[1:] or ["218", "2277", "20000", "20000:2000"]:
        size, _, enterprises = arg.partition(":")
        start = time.perf_counter()
        data = scaled_dataset(int(size), n_enterprises=int(enterprises) if enterprises else None)
        print(f"{int(size):>7,} villages: {len(data.products):,} products, {len(data.cooperatives):,} "
              f"cooperatives, {len(data.enterprises):,} enterprises, {len(data.linkages):,} linkages, "
              f"built+validated in "
              f"{time.perf_counter() - start:.1f} s")
