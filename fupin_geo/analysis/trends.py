"""Over time: every KPI per quarter, and what changed between two quarters."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import config
from ..data import geodata
from ..data.dataset import Dataset
from . import indicators, infrastructure


def kpi_series(datasets: list[Dataset]) -> pd.DataFrame:
    """Long table, one row per KPI per quarter: quarter, key, label, value, goal, unit, basis.
    Shares are in percent (0..100) so that charts read naturally; counts stay counts.
    The plan's KPIs (config.TARGETS) come first, then the infrastructure indicators that are
    not one of them already (config.InfraIndicator.same_as)."""
    rows = []
    quarters = [d.quarter for d in datasets]
    for position, dataset in enumerate(datasets):
        # reports: a quarter counts once its data are in, so by quarter N, N reports
        for kpi in indicators.compute_kpis(dataset, quarters[:position + 1]):
            scale = 100 if kpi.target.unit == "%" else 1
            rows.append(dict(quarter=dataset.quarter, key=kpi.target.key, label=kpi.target.label,
                             value=None if kpi.value is None else kpi.value * scale,
                             goal=kpi.target.goal * scale, unit=kpi.target.unit,
                             basis=f"工作方案{kpi.target.plan_item}"))
        for summary in infrastructure.city_summaries(dataset):
            indicator = summary.indicator
            if indicator.same_as:
                continue
            rows.append(dict(quarter=dataset.quarter, key=indicator.key, label=indicator.label,
                             value=None if summary.value is None else summary.value * 100,
                             goal=indicator.target * 100, unit="%", basis=indicator.basis))
    return pd.DataFrame(rows)


# Village-level states compared between quarters: each indicator's "below target", plus the
# two village KPIs of the plan that a village can reach or lose on its own.
def _village_states(dataset: Dataset) -> pd.DataFrame:
    """Per village code: for each state key, 1.0 when the village is short of it, 0.0 when
    not, NaN without data."""
    values = infrastructure.village_values(dataset).set_index("code")
    states = pd.DataFrame(index=values.index)
    states["industry"] = (~values.index.isin(dataset.products["village_code"])).astype(float)
    coops = dataset.cooperatives[dataset.cooperatives["is_poverty_coop"]]
    states["coop_village"] = (~values.index.isin(coops["village_code"])).astype(float)
    for key in infrastructure.KEYS:
        states[key] = np.where(values[key].isna(), np.nan, values[f"{key}_below"].astype(float))
    return states


STATE_LABELS = {"industry": "有特色产业（一村一品）", "coop_village": "有扶贫合作社",
                **{i.key: i.label for i in config.INFRA_INDICATORS}}


@dataclass(frozen=True)
class Changes:
    before: str
    after: str
    met: pd.DataFrame  # villages that reached a target: 县, 村名, 村代码, 指标
    fell_back: pd.DataFrame  # villages that lost one
    new_industries: pd.DataFrame  # 县, 村名, 村代码, 产品, 类别
    new_linkages: pd.DataFrame  # 县, 村名, 村代码, 带动主体, 类型, 联结方式, 带动贫困户

    def counts(self) -> dict[str, int]:
        """How many of each change, in COUNT_UNITS: villages (one village may reach or lose
        several targets), products and linkage relations."""
        return {"新达标": self.met["村代码"].nunique(), "退步": self.fell_back["村代码"].nunique(),
                "新增产业": len(self.new_industries), "新增联农带农": len(self.new_linkages)}

    def pair_counts(self) -> dict[str, int]:
        """新达标 and 退步 as (village, indicator) pairs: a village counted once per indicator."""
        return {"新达标": len(self.met), "退步": len(self.fell_back)}


# The unit of each count of Changes.counts, said beside the number.
COUNT_UNITS = {"新达标": "个村", "退步": "个村", "新增产业": "项", "新增联农带农": "项"}


def by_village(pairs: pd.DataFrame) -> pd.DataFrame:
    """A met / fell_back table with one row per village, its indicators joined (、)."""
    if pairs.empty:
        return pairs
    keys = ["县（市、区）", "村名", "村代码"]
    table = pairs.groupby(keys, sort=False, as_index=False).agg(
        项数=("指标", "size"), 指标=("指标", "、".join))
    return table.sort_values(keys, ignore_index=True)


def _village_rows(dataset: Dataset, codes: list[str]) -> pd.DataFrame:
    names = dict(zip(dataset.villages["code"], dataset.villages["name"]))
    return pd.DataFrame({"县（市、区）": [geodata.county_name(c[:6]) for c in codes],
                         "村名": [names.get(c, c) for c in codes], "村代码": codes})


def _transitions(before: pd.DataFrame, after: pd.DataFrame, short_then: bool) -> list[tuple[str, str]]:
    common = after.index.intersection(before.index)
    pairs = []
    for key in after.columns:
        old, new = before.loc[common, key], after.loc[common, key]
        known = old.notna() & new.notna()
        changed = known & (old.astype(bool) == short_then) & (new.astype(bool) != short_then)
        pairs += [(code, key) for code in common[changed.to_numpy()]]
    return pairs


def _change_table(dataset: Dataset, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    table = _village_rows(dataset, [c for c, _ in pairs])
    table["指标"] = [STATE_LABELS[k] for _, k in pairs]
    return table.sort_values(["县（市、区）", "村名", "指标"], ignore_index=True)


def _link_subjects(dataset: Dataset) -> dict[tuple[str, str], str]:
    names = {}
    for kind, frame in (("企业", dataset.enterprises), ("产业园", dataset.parks),
                        ("合作社", dataset.cooperatives)):
        names |= {(kind, i): n for i, n in zip(frame["id"], frame["name"])}
    return names


def changes(before: Dataset, after: Dataset) -> Changes:
    """What changed from quarter `before` to quarter `after` (villages in both)."""
    old, new = _village_states(before), _village_states(after)
    met = _change_table(after, _transitions(old, new, short_then=True))
    fell = _change_table(after, _transitions(old, new, short_then=False))

    product_key = ["village_code", "product"]
    added = after.products.merge(before.products[product_key], on=product_key, how="left", indicator=True)
    added = added[added["_merge"] == "left_only"].sort_values(product_key)
    industries = _village_rows(after, added["village_code"].tolist())
    industries["产品"] = added["product"].tolist()
    industries["类别"] = added["category"].tolist()

    link_key = ["source_type", "source_id", "village_code", "link_type"]
    links = after.linkages.merge(before.linkages[link_key], on=link_key, how="left", indicator=True)
    links = links[links["_merge"] == "left_only"].sort_values(link_key)
    subjects = _link_subjects(after)
    linkages = _village_rows(after, links["village_code"].tolist())
    linkages["带动主体"] = [subjects.get((t, i), i) for t, i in zip(links["source_type"], links["source_id"])]
    linkages["类型"] = links["source_type"].tolist()
    linkages["联结方式"] = links["link_type"].tolist()
    linkages["带动贫困户"] = links["poor_households"].astype(int).tolist()
    return Changes(before.quarter, after.quarter, met, fell, industries, linkages)


def village_change_kind(before: Dataset, after: Dataset, key: str) -> pd.Series:
    """Per village code of `after`, how it moved on one state: 新达标, 退步, 仍未达标, 保持达标
    or 无数据 (not in both quarters, or no data in one of them)."""
    old, new = _village_states(before)[key], _village_states(after)[key]
    old = old.reindex(new.index)
    kinds = pd.Series("无数据", index=new.index)
    known = old.notna() & new.notna()
    was, now = old[known].astype(bool), new[known].astype(bool)
    kinds[known] = np.select([was & ~now, ~was & now, was & now], ["新达标", "退步", "仍未达标"], "保持达标")
    return kinds
