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

    def gap_text(self) -> str | None:
        """The gap to the goal as a gap ("差 12.5 点"), or "达标"; None without a value."""
        if self.value is None:
            return None
        if self.met:
            return "达标"
        if self.target.unit == "%":
            return f"差 {(self.target.goal - self.value) * 100:.1f} 点"
        return f"差 {self.target.goal - self.value:g} {self.target.unit}"

    def change_since(self, before: Kpi | None) -> tuple[str, str] | None:
        """The change since `before` (the same target a quarter earlier) and its direction
        ("up", "down", "flat"), e.g. ("较上季 +2.0 点", "up"); None without both values."""
        if before is None or self.value is None or before.value is None:
            return None
        scale, unit, digits = (100, "点", 1) if self.target.unit == "%" else (1, self.target.unit, 0)
        change = round((self.value - before.value) * scale, digits)
        if change == 0:
            return "较上季 持平", "flat"
        return f"较上季 {change:+.{digits}f} {unit}", "up" if change > 0 else "down"

    def counts_text(self) -> str:
        """What the value is made of, for a card's help."""
        if self.target.city_stat:
            return "全市数值由台账“全市指标”表直接填报，不按贫困村计算"
        if self.target.key == "reports":
            return f"已报 {self.numerator:,.0f} 个季度，共 {self.denominator:,.0f} 个季度"
        return f"当前 {self.numerator:,.0f} / {self.denominator:,.0f}（{COUNT_UNITS.get(self.target.key, '')}）"

    def goal_text(self) -> str:
        if self.target.unit == "%":
            prefix = "" if self.target.goal >= 1 else "≥"
            return f"目标 {prefix}{self.target.goal:.1%}".replace(".0%", "%")
        return f"目标 {self.target.goal:g} {self.target.unit}"


# What the numerator and denominator of each village target count (a card's help says it).
COUNT_UNITS = {
    "industry": "村", "coop_village": "村", "coop_household": "户", "park_agreement": "村",
    "labour_project": "户", "toilet_villages": "户，按户厕普及率折算", "training": "人",
}


def reported_by(quarters: list[str], quarter: str) -> list[str]:
    """The quarters with data up to and including `quarter`: the reports made by then."""
    return [q for q in quarters if q <= quarter]


def previous_quarter(quarters: list[str], quarter: str) -> str | None:
    """The quarter with data just before `quarter`, or None for the first."""
    earlier = [q for q in quarters if q < quarter]
    return earlier[-1] if earlier else None


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


# The targets counted village by village (the rest are 全市指标 rows or the quarters reported):
# per village, how much of the target it holds (numerator) out of how much (denominator). The
# KPIs sum them over the city, the county table over each county: one definition for both.
VILLAGE_TARGETS = ("industry", "coop_village", "coop_household", "park_agreement", "labour_project",
                   "toilet_villages", "training")


@per_dataset
def village_parts(dataset: Dataset) -> pd.DataFrame:
    """Per village (index: code, with its county_code): `{key}_num` and `{key}_den` of every
    target in VILLAGE_TARGETS."""
    villages = dataset.villages
    codes = villages["code"]
    in_scope = member(codes, dataset.park_villages["village_code"])
    signed = dataset.park_villages.groupby("village_code")["agreement_signed"].all()
    all_signed = member(codes, set(signed[signed].index))
    ones = pd.Series(1.0, index=villages.index)
    parts = {
        "industry": (villages_with(dataset, dataset.products), ones),
        "coop_village": (poverty_coop_villages(dataset), ones),
        "coop_household": (villages["poor_households_in_coop"], villages["poor_households"]),
        "park_agreement": (in_scope & all_signed, in_scope),
        "labour_project": (villages["labour_households_in_project"], villages["labour_households"]),
        "toilet_villages": (villages["toilet_rate"] * villages["households"], villages["households"]),
        "training": (villages["trained_labourers"], villages["poor_labourers"]),
    }
    frame = pd.DataFrame({"code": codes, "county_code": villages["county_code"]})
    for key in VILLAGE_TARGETS:
        numerator, denominator = parts[key]
        frame[f"{key}_num"] = numerator.astype(float)
        frame[f"{key}_den"] = denominator.astype(float)
    return frame.set_index("code")


def _kpi(target: config.Target, numerator: float, denominator: float) -> Kpi:
    return Kpi(target, _share(numerator, denominator), float(numerator), float(denominator))


def compute_kpis(dataset: Dataset, reported_quarters: list[str]) -> list[Kpi]:
    totals = village_parts(dataset).drop(columns="county_code").sum()
    city = dataset.city_stats.set_index("indicator")["value"]
    kpis = []
    for target in config.TARGETS:
        if target.city_stat:  # a citywide figure the ledger reports as it is (全市指标)
            value = city.get(target.city_stat)
            kpis.append(Kpi(target, None if value is None else float(value), value or 0, 1))
        elif target.key == "reports":
            done = [q for q in reported_quarters if q in config.PLAN_QUARTERS]
            kpis.append(Kpi(target, float(len(done)), len(done), len(config.PLAN_QUARTERS)))
        else:
            kpis.append(_kpi(target, totals[f"{target.key}_num"], totals[f"{target.key}_den"]))
    return kpis


CITY_ROW = "全市"


@dataclass(frozen=True)
class CountyTargets:
    """Every target of the KPI cards per county (rows: the 湛江 counties by number of poverty
    villages, then 全市), as the cards compute them.

    `kpis[row][key]` is the Kpi of that county (None where the target has no county figure:
    a 全市指标 or the quarters reported, whose 全市 row is the card's own Kpi)."""
    counties: pd.DataFrame  # 县（市、区）, 贫困村, 贫困户: one row per row of `kpis`
    kpis: list[dict[str, Kpi | None]]

    def values(self) -> pd.DataFrame:
        """县（市、区）, 贫困村, 贫困户, then each target's value by its label (NaN: no figure)."""
        table = self.counties.copy()
        for target in config.TARGETS:
            table[target.label] = [None if row[target.key] is None else row[target.key].value
                                   for row in self.kpis]
            table[target.label] = table[target.label].astype(float)
        return table

    def met(self) -> pd.DataFrame:
        """Like values(): True where met, False where not, None without a figure."""
        table = self.counties.copy()
        for target in config.TARGETS:
            table[target.label] = pd.Series(
                [None if row[target.key] is None or row[target.key].met is None else bool(row[target.key].met)
                 for row in self.kpis], dtype=object)
        return table


def county_targets(dataset: Dataset, reported_quarters: list[str]) -> CountyTargets:
    """The KPIs per county, plus the 全市 row (which is compute_kpis' own result)."""
    parts = village_parts(dataset)
    sums = parts.groupby("county_code").sum()
    counties = geodata.counties(config.ZHANJIANG)[["adcode", "name"]]
    villages = dataset.villages.groupby("county_code").agg(n=("code", "size"), poor=("poor_households", "sum"))
    rows = counties.set_index("adcode").join(villages).fillna(0)
    rows = rows.sort_values("n", ascending=False, kind="stable")
    kpis: list[dict[str, Kpi | None]] = []
    for code in rows.index:
        row: dict[str, Kpi | None] = {}
        for target in config.TARGETS:
            if target.key not in VILLAGE_TARGETS:
                row[target.key] = None
            elif code in sums.index:
                row[target.key] = _kpi(target, sums.at[code, f"{target.key}_num"], sums.at[code, f"{target.key}_den"])
            else:
                row[target.key] = Kpi(target, None, 0.0, 0.0)
        kpis.append(row)
    kpis.append({kpi.target.key: kpi for kpi in compute_kpis(dataset, reported_quarters)})
    table = pd.DataFrame({
        "县（市、区）": [*rows["name"], CITY_ROW],
        "贫困村": [*rows["n"].astype(int), len(dataset.villages)],
        "贫困户": [*rows["poor"].astype(int), int(dataset.villages["poor_households"].sum())],
    })
    return CountyTargets(table, kpis)


def target_help(target: config.Target) -> str:
    """What a target's column of the county table counts, for its header."""
    county = ("各县区无此项数据，只有全市数值。" if target.key not in VILLAGE_TARGETS else "")
    note = COUNTY_TARGET_NOTES.get(target.key, "")
    return (f"{target.description}（工作方案{target.plan_item}）。口径：{target.scope}。"
            f"{Kpi(target, None, 0, 0).goal_text()}。{note}{county}")


# What a county-table header adds to the plan's wording where the count is not obvious.
COUNTY_TARGET_NOTES = {
    "coop_village": "未标为产业扶贫合作社的合作社不计，与指标卡口径相同。",
    "toilet_villages": "按户数加权。",
    "park_agreement": "产业园范围内没有贫困村的县区无此项。",
}


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
