"""基础设施 gaps: per village, per county and citywide, against the plan's targets
(config.INFRA_INDICATORS).

A village has a value for each indicator: a share for the "rate" indicators (无害化卫生户厕
普及率, 参保贫困户占比) and 1/0 for the "flag" ones (干净整洁村, 示范村, …); NaN where its data
are missing (no infrastructure row, or no poor households to insure). A village is *below
target* when its value is known and under the indicator's target, for a rate, or when it
lacks the thing, for a flag (a flag's target is a share of villages, so a village without it
is one of the gaps that share counts). Aggregates: rates are weighted (toilets by households,
insurance by poor households), flags are the share of villages with data that have the thing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import config
from ..data import geodata
from ..data.dataset import Dataset
from . import filters
from .filters import VillageFilter

# Float noise must not turn an exact 98.5 % or 60 % into a miss.
TOLERANCE = 1e-9
INDICATORS = config.INFRA_INDICATORS
KEYS = tuple(i.key for i in INDICATORS)


def _weights(villages: pd.DataFrame) -> dict[str, pd.Series]:
    """The weight of each village in a rate's aggregate: toilets per household, insurance
    per poor household."""
    return {"toilet": villages["households"].astype(float),
            "insurance": villages["poor_households"].astype(float)}


def village_values(dataset: Dataset) -> pd.DataFrame:
    """One row per village (same order as dataset.villages): code, name, county_code,
    town_code, lon, lat, and per indicator `<key>` (value, NaN unknown), `<key>_below` (bool)
    and `<key>_weight` (for rates)."""
    villages = dataset.villages.reset_index(drop=True)
    infra = dataset.village_infrastructure.drop_duplicates("village_code").set_index("village_code")
    infra = infra.reindex(villages["code"].tolist())
    known = infra["yishiyiyi_projects"].notna().to_numpy()

    def flag(values) -> np.ndarray:
        return np.where(known, np.asarray(values, dtype=float), np.nan)

    poor = villages["poor_households"].to_numpy(dtype=float)
    insured = infra["insured_poor_households"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(known & (poor > 0), insured / np.where(poor > 0, poor, 1), np.nan)
    land = infra["land_consolidation_projects"].fillna(0).to_numpy(dtype=float) > 0
    values = {
        "toilet": villages["toilet_rate"].to_numpy(dtype=float),
        "clean_village": villages["clean_village"].to_numpy(dtype=float),
        "model_village": villages["model_village"].to_numpy(dtype=float),
        # 农田水利 is in the village record; 农田整治 projects come with the infrastructure row
        "farmland": (villages["irrigation_project"].to_numpy(dtype=bool) | land).astype(float),
        "yishiyiyi": flag(infra["yishiyiyi_projects"].fillna(0).to_numpy(dtype=float) > 0),
        "road": flag(infra["road_hardened"].fillna(False).to_numpy(dtype=bool)),
        "ecommerce": flag(infra["ecommerce_point"].fillna(False).to_numpy(dtype=bool)),
        "cold_storage": flag(infra["cold_storage"].fillna(False).to_numpy(dtype=bool)),
        "insurance": coverage,
    }
    out = villages[["code", "name", "county_code", "town_code", "lon", "lat"]].copy()
    weights = _weights(villages)
    for indicator in INDICATORS:
        value = values[indicator.key]
        out[indicator.key] = value
        if indicator.kind == "rate":
            out[f"{indicator.key}_below"] = ~np.isnan(value) & (value < indicator.target - TOLERANCE)
            out[f"{indicator.key}_weight"] = weights[indicator.key].to_numpy()
        else:
            out[f"{indicator.key}_below"] = ~np.isnan(value) & (value < 0.5)
    return out


@dataclass(frozen=True)
class Summary:
    indicator: config.InfraIndicator
    value: float | None  # share 0..1; None when no village has data (or all weights are 0)
    villages: int  # villages with data
    below: int  # villages below target

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value >= self.indicator.target - TOLERANCE

    @property
    def gap(self) -> float | None:
        """Percentage points missing to the target (0 when met)."""
        return None if self.value is None else max(0.0, self.indicator.target - self.value) * 100


def summarise(values: pd.DataFrame, key: str) -> Summary:
    """The aggregate of one indicator over the villages in `values` (from village_values)."""
    indicator = config.INFRA_BY_KEY[key]
    column = values[key]
    known = column.notna()
    if indicator.kind == "rate":
        weight = values.loc[known, f"{key}_weight"]
        total = float(weight.sum())
        value = None if total == 0 else float((column[known] * weight).sum() / total)
    else:
        value = float(column[known].mean()) if known.any() else None
    return Summary(indicator, value, int(known.sum()), int(values[f"{key}_below"].sum()))


def city_summaries(dataset: Dataset) -> list[Summary]:
    values = village_values(dataset)
    return [summarise(values, key) for key in KEYS]


def county_gaps(dataset: Dataset, key: str) -> pd.DataFrame:
    """One row per 湛江 county (all 9): county_code, name, villages, known, below, value
    (None without data), gap (percentage points, None without data), met."""
    values = village_values(dataset)
    counties = geodata.counties(config.ZHANJIANG)[["adcode", "name"]]
    rows = []
    for code, name in zip(counties["adcode"].tolist(), counties["name"].tolist()):
        mine = values[values["county_code"] == code]
        summary = summarise(mine, key)
        rows.append(dict(county_code=code, name=name, villages=len(mine), known=summary.villages,
                         below=summary.below, value=summary.value, gap=summary.gap, met=summary.met))
    return pd.DataFrame(rows)


def county_table(dataset: Dataset) -> pd.DataFrame:
    """Counties × indicators: each cell the county's value (share), for display."""
    values = village_values(dataset)
    counties = geodata.counties(config.ZHANJIANG)[["adcode", "name"]]
    table = {"县（市、区）": counties["name"].tolist(),
             "贫困村": [int((values["county_code"] == c).sum()) for c in counties["adcode"]]}
    for indicator in INDICATORS:
        table[indicator.label] = [summarise(values[values["county_code"] == c], indicator.key).value
                                  for c in counties["adcode"]]
    return pd.DataFrame(table).sort_values("贫困村", ascending=False, ignore_index=True)


def _describe(indicator: config.InfraIndicator, value: float) -> str:
    if np.isnan(value):
        return "无数据"
    if indicator.kind == "rate":
        return f"{value:.1%}"
    return "已有" if value >= 0.5 else "没有"


def below_target_table(dataset: Dataset, key: str | None = None,
                       selection: VillageFilter = filters.EVERY_VILLAGE) -> pd.DataFrame:
    """The villages below target, for display and export (Chinese column names).

    With `key`, one indicator: its state and, for rates, the gap in percentage points. Without,
    every indicator: how many gaps each village has and which. `selection` narrows the list.
    """
    values = village_values(dataset)
    if not selection.is_empty:  # values: one row per village, in the dataset's order
        values = values[filters.matching_villages(dataset, selection).to_numpy()]
    towns = dict(zip(*(geodata.towns()[c].tolist() for c in ("code", "name"))))
    chosen = [config.INFRA_BY_KEY[key]] if key else list(INDICATORS)
    below = values[[f"{i.key}_below" for i in chosen]].to_numpy()
    rows = values[below.any(axis=1)]
    frame = pd.DataFrame({
        "县（市、区）": [geodata.county_name(c) for c in rows["county_code"].tolist()],
        "镇（街道）": [towns.get(t, t) for t in rows["town_code"].tolist()],
        "村名": rows["name"].tolist(),
        "村代码": rows["code"].tolist(),
    })
    if key:
        indicator = chosen[0]
        frame[f"{indicator.label}现状"] = [_describe(indicator, v) for v in rows[key].tolist()]
        if indicator.kind == "rate":
            frame["差距（百分点）"] = ((indicator.target - rows[key]) * 100).round(1).tolist()
        frame["目标依据"] = indicator.basis
    else:
        gaps = below[below.any(axis=1)]
        frame["短板数"] = gaps.sum(axis=1).astype(int)
        frame["短板"] = ["、".join(i.label for i, g in zip(chosen, row) if g) for row in gaps]
    sort = ["差距（百分点）"] if "差距（百分点）" in frame else (["短板数"] if "短板数" in frame else [])
    return frame.sort_values(sort + ["县（市、区）", "村名"], ascending=[False] * len(sort) + [True, True],
                             ignore_index=True)
