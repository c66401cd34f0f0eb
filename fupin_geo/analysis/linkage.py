"""联农带农: who is linked to whom, by the plan's rules.

* village coverage: the share of a village's poor households reached by some 带动主体
  (企业, 产业园 or 合作社), classed 未联结 / 弱联结 / 已联结 (config.WEAK_LINK_SHARE);
* enterprises: villages and poor households linked, the plan's equivalent households (item 3:
  a poor household counts as config.POOR_HOUSEHOLD_WEIGHT ordinary ones) and whether each
  counts as a 扶贫龙头企业 (more than 10 villages or more than 100 poor households);
* parks: the poverty villages inside each park's scope and whether each signed a 带动协议
  (item 1: all must);
* cooperatives: each village's share of poor households in a cooperative (item 9) and whether
  it has an 产业扶贫合作社 (item 8).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import config
from ..data import geodata
from ..data.dataset import Dataset
from ..memo import per_dataset

NOT_LINKED, WEAK, LINKED = config.COVERAGE_CLASSES


def coverage_class(linked: bool, share: float) -> str:
    """The coverage class of a village from whether it has any link and the share reached."""
    if not linked:
        return NOT_LINKED
    return WEAK if share < config.WEAK_LINK_SHARE else LINKED


def village_coverage(dataset: Dataset) -> pd.DataFrame:
    """Per village (index: code, in the dataset's order): links (records), sources (distinct
    带动主体), households and poor households linked (summed over links; a household reached by
    two sources counts twice there), the share of its poor households reached (capped at 1)
    and its class."""
    villages = dataset.villages
    links = dataset.linkages
    codes = villages["code"].tolist()
    # positions and bincount: groupbys on Arrow strings cost seconds at 20,000 villages
    index = {code: i for i, code in enumerate(codes)}
    position = np.array([index.get(c, -1) for c in links["village_code"].tolist()], dtype=np.intp)
    known = position >= 0
    where = position[known]
    n = len(codes)
    counts = np.bincount(where, minlength=n)
    households = np.bincount(where, weights=links["households"].to_numpy(float)[known], minlength=n)
    poor_linked = np.bincount(where, weights=links["poor_households"].to_numpy(float)[known], minlength=n)
    pairs = set(zip(where.tolist(), np.asarray(links["source_type"].tolist(), dtype=object)[known].tolist(),
                    np.asarray(links["source_id"].tolist(), dtype=object)[known].tolist()))
    sources = np.bincount(np.fromiter((p[0] for p in pairs), dtype=np.intp, count=len(pairs)), minlength=n)
    poor_total = villages["poor_households"].to_numpy(float)
    linked = counts > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(poor_total > 0, np.minimum(poor_linked / poor_total, 1.0), np.where(linked, 1.0, 0.0))
    return pd.DataFrame({
        "links": counts,
        "sources": sources,
        "households_linked": households.astype(int),
        "poor_linked": poor_linked.astype(int),
        "share": share,
        "coverage": [coverage_class(k, s) for k, s in zip(linked.tolist(), share.tolist())],
    }, index=pd.Index(codes, name="code"))


def has_any(codes: pd.Series, others) -> np.ndarray:
    """A boolean per code: is it among `others` (plain set lookups; Series.isin on Arrow
    strings costs ~1.5 s at 20,000 villages)."""
    wanted = set(others.tolist() if hasattr(others, "tolist") else others)
    return np.fromiter((c in wanted for c in codes.tolist()), dtype=bool, count=len(codes))


def equivalent_households(households, poor_households):
    """Plan item 3: ordinary households count once, poor ones POOR_HOUSEHOLD_WEIGHT times."""
    return (households - poor_households) + config.POOR_HOUSEHOLD_WEIGHT * poor_households


def is_leading(villages, poor_households):
    """Plan item 3: more than LEADING_MIN_VILLAGES villages or more than
    LEADING_MIN_POOR_HOUSEHOLDS poor households linked."""
    return (villages > config.LEADING_MIN_VILLAGES) | (poor_households > config.LEADING_MIN_POOR_HOUSEHOLDS)


def enterprise_reach(dataset: Dataset) -> pd.DataFrame:
    """One row per enterprise (its columns plus villages, households, poor_households,
    equivalent, is_leading), most equivalent households first."""
    links = dataset.linkages[dataset.linkages["source_type"] == "企业"]
    reach = links.groupby("source_id").agg(
        villages=("village_code", "nunique"), households=("households", "sum"),
        poor_households=("poor_households", "sum"))
    table = dataset.enterprises.join(reach, on="id")
    for column in ("villages", "households", "poor_households"):
        table[column] = table[column].fillna(0).astype(int)
    table["equivalent"] = equivalent_households(table["households"], table["poor_households"]).astype(int)
    table["is_leading"] = is_leading(table["villages"], table["poor_households"])
    return table.sort_values(["equivalent", "id"], ascending=[False, True], ignore_index=True)


def enterprise_table(reach: pd.DataFrame) -> pd.DataFrame:
    """enterprise_reach (all or some of its rows) for display, with Chinese column names."""
    return pd.DataFrame({
        "企业": reach["name"],
        "级别": reach["level"],
        "县（市、区）": [geodata.county_name(c) for c in reach["county_code"]],
        "带动村数": reach["villages"],
        "带动农户": reach["households"],
        "其中贫困户": reach["poor_households"],
        "折算户数": reach["equivalent"],
        "扶贫龙头企业": np.where(reach["is_leading"], "是", "否"),
        "编号": reach["id"],
    })


def park_scope(dataset: Dataset) -> pd.DataFrame:
    """Every (park, poverty village in its scope) with agreement_signed, park and village
    names; unsigned first within each park."""
    scope = dataset.park_villages.merge(dataset.parks[["id", "name"]], left_on="park_id", right_on="id")
    scope = scope.merge(dataset.villages[["code", "name", "county_code", "lon", "lat", "poor_households"]],
                        left_on="village_code", right_on="code", suffixes=("_park", ""))
    scope = scope.rename(columns={"name_park": "park_name", "name": "village_name"})
    return scope.sort_values(["park_id", "agreement_signed", "village_code"], ignore_index=True)[
        ["park_id", "park_name", "village_code", "village_name", "county_code", "lon", "lat",
         "poor_households", "agreement_signed"]]


def park_table(dataset: Dataset) -> pd.DataFrame:
    """Per park: villages in scope, signed, missing (names), for display."""
    scope = park_scope(dataset)
    rows = []
    for park in dataset.parks.itertuples():
        mine = scope[scope["park_id"] == park.id]
        missing = mine[~mine["agreement_signed"]]
        rows.append({"产业园": park.name, "级别": park.level, "范围内贫困村": len(mine),
                     "已签带动协议": int(mine["agreement_signed"].sum()), "未签": len(missing),
                     "未签协议的村": "、".join(missing["village_name"]) or "—", "编号": park.id})
    return pd.DataFrame(rows, columns=["产业园", "级别", "范围内贫困村", "已签带动协议", "未签", "未签协议的村",
                                       "编号"])


def cooperative_coverage(dataset: Dataset) -> pd.DataFrame:
    """Per village (index: code): poor households, those in a cooperative, their share, and
    whether the village has an 产业扶贫合作社 (item 8)."""
    villages = dataset.villages
    poverty_coops = dataset.cooperatives[dataset.cooperatives["is_poverty_coop"]]
    poor = villages["poor_households"].to_numpy(float)
    inside = villages["poor_households_in_coop"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(poor > 0, np.minimum(inside / poor, 1.0), 1.0)
    return pd.DataFrame({
        "poor_households": villages["poor_households"].to_numpy(int),
        "in_coop": villages["poor_households_in_coop"].to_numpy(int),
        "share": share,
        "has_poverty_coop": has_any(villages["code"], poverty_coops["village_code"]),
    }, index=pd.Index(villages["code"].tolist(), name="code"))


def cooperative_table(dataset: Dataset) -> pd.DataFrame:
    """Villages by their cooperative shortfall (no 产业扶贫合作社 first, then lowest share)."""
    coops = cooperative_coverage(dataset)
    villages = dataset.villages
    table = pd.DataFrame({
        "村名": villages["name"].tolist(),
        "县（市、区）": [geodata.county_name(c) for c in villages["county_code"].tolist()],
        "贫困户": coops["poor_households"].tolist(),
        "入社贫困户": coops["in_coop"].tolist(),
        "入社比例": coops["share"].round(3).tolist(),
        "有产业扶贫合作社": np.where(coops["has_poverty_coop"], "是", "否"),
        "代码": villages["code"].tolist(),
    })
    return table.sort_values(["有产业扶贫合作社", "入社比例", "代码"], ignore_index=True)


def county_summary(dataset: Dataset) -> pd.DataFrame:
    """Per 湛江 county: villages by coverage class, poor households and those linked, villages
    without an 产业扶贫合作社, park villages without an agreement."""
    coverage = village_coverage(dataset)
    coops = cooperative_coverage(dataset)
    villages = dataset.villages.assign(
        coverage=coverage["coverage"].to_numpy(), poor_linked=np.minimum(coverage["poor_linked"].to_numpy(),
                                                                         dataset.villages["poor_households"].to_numpy()),
        no_coop=~coops["has_poverty_coop"].to_numpy())
    unsigned = park_scope(dataset)
    unsigned = unsigned[~unsigned["agreement_signed"]].drop_duplicates("village_code")
    grouped = villages.groupby("county_code").agg(
        villages=("code", "size"), poor=("poor_households", "sum"), poor_linked=("poor_linked", "sum"),
        no_coop=("no_coop", "sum"))
    for cls in config.COVERAGE_CLASSES:
        grouped[cls] = villages[villages["coverage"] == cls].groupby("county_code").size()
    grouped["unsigned"] = unsigned.groupby("county_code").size()
    counties = geodata.counties(config.ZHANJIANG)[["adcode", "name"]].set_index("adcode")
    table = counties.join(grouped).fillna(0)
    table = table[table["villages"] > 0]
    return pd.DataFrame({
        "县（市、区）": table["name"].tolist(),
        "贫困村": table["villages"].astype(int).tolist(),
        **{cls: table[cls].astype(int).tolist() for cls in config.COVERAGE_CLASSES},
        "贫困户": table["poor"].astype(int).tolist(),
        "被带动贫困户": table["poor_linked"].astype(int).tolist(),
        "无产业扶贫合作社的村": table["no_coop"].astype(int).tolist(),
        "园区内未签协议的村": table["unsigned"].astype(int).tolist(),
    })


def source_positions(dataset: Dataset) -> pd.DataFrame:
    """Every 带动主体 with a position: source_type, source_id, name, lon, lat."""
    parts = [
        frame.assign(source_type=kind)[["source_type", "id", "name", "lon", "lat"]]
        for kind, frame in (("企业", dataset.enterprises), ("产业园", dataset.parks), ("合作社", dataset.cooperatives))
    ]
    return pd.concat(parts, ignore_index=True).rename(columns={"id": "source_id"})


@per_dataset
def link_lines(dataset: Dataset) -> pd.DataFrame:
    """The linkages whose source and village both have a position, with both positions and
    names: source_type, source_id, source_name, slon, slat, village_code, village_name, vlon,
    vlat, link_type, households, poor_households. Links to unknown sources or villages are
    left out (counted by the caller as len(linkages) - len(lines))."""
    sources = source_positions(dataset).rename(columns={"name": "source_name", "lon": "slon", "lat": "slat"})
    villages = dataset.villages[["code", "name", "lon", "lat"]].rename(
        columns={"code": "village_code", "name": "village_name", "lon": "vlon", "lat": "vlat"})
    lines = dataset.linkages.merge(sources, on=["source_type", "source_id"]).merge(villages, on="village_code")
    return lines[["source_type", "source_id", "source_name", "slon", "slat", "village_code", "village_name",
                  "vlon", "vlat", "link_type", "households", "poor_households"]]
