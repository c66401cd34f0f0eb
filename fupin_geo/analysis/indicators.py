"""The plan's KPIs, computed from a quarter's data, and the per-county table."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import config
from ..data import geodata
from ..data.dataset import Dataset
from ..memo import per_dataset


@dataclass(frozen=True)
class Kpi:
    target: config.Target
    value: float | None  # a share 0..1 (or a count for unit "次"); None when no data
    numerator: float
    denominator: float

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value >= self.target.goal - 1e-9

    def formatted(self) -> str:
        if self.value is None:
            return "无数据"
        if self.target.unit == "%":
            return f"{self.value:.1%}"
        return f"{self.value:g} {self.target.unit}"

    def goal_text(self) -> str:
        if self.target.unit == "%":
            prefix = "" if self.target.goal >= 1 else "≥"
            return f"目标 {prefix}{self.target.goal:.1%}".replace(".0%", "%")
        return f"目标 {self.target.goal:g} {self.target.unit}"


def _share(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def villages_with(dataset: Dataset, frame: pd.DataFrame, column: str = "village_code") -> pd.Series:
    """A boolean per village: does `frame` hold at least one record for it."""
    # a set and a comprehension: Series.isin on Arrow strings was a quarter of a rerun at 20,000
    return member(dataset.villages["code"], frame[column])


def member(values: pd.Series, allowed) -> pd.Series:
    """`values.isin(allowed)` through a Python set (same index, bool dtype).

    pandas 3 stores strings as Arrow; its `isin` costs ~10 ms per call at 20,000 rows, a
    set lookup per value ~1 ms."""
    wanted = allowed if isinstance(allowed, (set, frozenset)) else set(
        allowed.tolist() if hasattr(allowed, "tolist") else allowed)
    return pd.Series([v in wanted for v in values.tolist()], index=values.index, dtype=bool)


def poverty_coop_villages(dataset: Dataset) -> pd.Series:
    """A boolean per village: has it at least one 产业扶贫合作社 (plan item 8). Cooperatives
    not marked as such do not count: the KPI and the county table share this definition."""
    coops = dataset.cooperatives[dataset.cooperatives["is_poverty_coop"]]
    return villages_with(dataset, coops)


COOP_VILLAGES_COLUMN = "有扶贫合作社的村"
# Help of the county table's columns whose definition is not obvious from the name.
COUNTY_TABLE_HELP = {
    "有产业的村": "至少有1个一村一品特色产业的贫困村数（工作方案第2项）。",
    COOP_VILLAGES_COLUMN: "至少有1个产业扶贫合作社的贫困村数（工作方案第8项）；未标为产业扶贫合作社的"
                          "合作社不计。与指标卡“有扶贫合作社的村”口径相同。",
    "干净整洁村占比": "达到干净整洁村标准的贫困村占本县贫困村的比例（工作方案第25项）。",
    "卫生户厕普及率": "按户数加权的贫困村无害化卫生户厕普及率（工作方案第25项）。",
}


@per_dataset
def leading_enterprises(dataset: Dataset) -> pd.DataFrame:
    """Enterprises with their reach, and whether they meet the 扶贫龙头企业 bar (item 3)."""
    links = dataset.linkages[dataset.linkages["source_type"] == "企业"]
    reach = links.groupby("source_id").agg(
        villages=("village_code", "nunique"),
        poor_households=("poor_households", "sum"),
        households=("households", "sum"),
    )
    table = dataset.enterprises.set_index("id").join(reach).fillna(
        {"villages": 0, "poor_households": 0, "households": 0}
    )
    table["assessed_households"] = (
        table["households"] - table["poor_households"]
        + config.POOR_HOUSEHOLD_WEIGHT * table["poor_households"]
    )
    table["is_leading"] = (table["villages"] > config.LEADING_MIN_VILLAGES) | (
        table["poor_households"] > config.LEADING_MIN_POOR_HOUSEHOLDS
    )
    return table.reset_index()


def compute_kpis(dataset: Dataset, reported_quarters: list[str]) -> list[Kpi]:
    villages = dataset.villages
    n = len(villages)
    scope = dataset.park_villages.drop_duplicates("village_code")
    signed = dataset.park_villages.groupby("village_code")["agreement_signed"].all()
    city = dataset.city_stats.set_index("indicator")["value"]
    toilets_weighted = (villages["toilet_rate"] * villages["households"]).sum()
    values = {
        "industry": (villages_with(dataset, dataset.products).sum(), n),
        "coop_village": (poverty_coop_villages(dataset).sum(), n),
        "coop_household": (villages["poor_households_in_coop"].sum(), villages["poor_households"].sum()),
        "park_agreement": (int(signed.sum()), len(scope)),
        "labour_project": (villages["labour_households_in_project"].sum(), villages["labour_households"].sum()),
        "toilet_villages": (toilets_weighted, villages["households"].sum()),
        "training": (villages["trained_labourers"].sum(), villages["poor_labourers"].sum()),
    }
    kpis = []
    for target in config.TARGETS:
        if target.city_stat:  # a citywide figure the ledger reports as it is (全市指标)
            value = city.get(target.city_stat)
            kpis.append(Kpi(target, None if value is None else float(value), value or 0, 1))
        elif target.key == "reports":
            done = [q for q in reported_quarters if q in config.PLAN_QUARTERS]
            kpis.append(Kpi(target, float(len(done)), len(done), len(config.PLAN_QUARTERS)))
        else:
            numerator, denominator = values[target.key]
            kpis.append(Kpi(target, _share(numerator, denominator), float(numerator), float(denominator)))
    return kpis


def county_table(dataset: Dataset) -> pd.DataFrame:
    """One row per 湛江 county: counts and shares, with Chinese column names for display."""
    villages = dataset.villages.assign(
        has_industry=villages_with(dataset, dataset.products),
        has_coop=poverty_coop_villages(dataset),
        toilets=dataset.villages["toilet_rate"] * dataset.villages["households"],
    )
    grouped = villages.groupby("county_code").agg(
        villages=("code", "size"),
        poor_households=("poor_households", "sum"),
        with_industry=("has_industry", "sum"),
        with_coop=("has_coop", "sum"),
        clean=("clean_village", "sum"),
        toilets=("toilets", "sum"),
        households=("households", "sum"),
    )
    counties = geodata.counties(config.ZHANJIANG)[["adcode", "name"]].set_index("adcode")
    table = counties.join(grouped).fillna(0).reset_index()
    share = lambda a, b: (table[a] / table[b].where(table[b] > 0)).round(3)  # noqa: E731
    return pd.DataFrame(
        {
            "县（市、区）": table["name"],
            "贫困村": table["villages"].astype(int),
            "贫困户": table["poor_households"].astype(int),
            "有产业的村": table["with_industry"].astype(int),
            COOP_VILLAGES_COLUMN: table["with_coop"].astype(int),
            "干净整洁村占比": share("clean", "villages"),
            "卫生户厕普及率": share("toilets", "households"),
        }
    ).sort_values("贫困村", ascending=False, ignore_index=True)


# How many records of each kind are public and how many invented: every page's demo banner
# asks on every rerun, and each count compares every record's source.
records_by_source = per_dataset(Dataset.records_by_source)


@per_dataset
def industry_counts(dataset: Dataset) -> dict[str, int]:
    """The headline counts of the 产业地图 for what its filters let through."""
    return {
        "贫困村": len(dataset.villages),
        "贫困户": int(dataset.villages["poor_households"].sum()),
        "有产业的村": int(villages_with(dataset, dataset.products).sum()),
        "现代农业产业园": len(dataset.parks),
        "龙头企业": len(dataset.enterprises),
        "合作社": len(dataset.cooperatives),
        "水产养殖点": len(dataset.aquaculture),
    }
