"""Tables for display and export, with Chinese column names."""
from __future__ import annotations

import pandas as pd

from .. import config
from ..data import geodata
from ..data.dataset import Dataset
from . import industries
from ..memo import per_dataset


@per_dataset
def village_table(dataset: Dataset) -> pd.DataFrame:
    """One row per village of the dataset, in the order of county, town and name."""
    villages = dataset.villages
    codes = villages["code"].tolist()
    categories = industries.village_categories(dataset)  # indexed like villages
    towns = dict(zip(*(geodata.towns()[c].tolist() for c in ("code", "name"))))
    counties = {c: geodata.county_name(c) for c in villages["county_code"].unique()}
    # plain dicts: pandas' grouped joins and per-row lookups cost ~0.3 s at 20,000 villages
    coops: dict[str, list[str]] = {}
    for code, name in zip(dataset.cooperatives["village_code"].tolist(), dataset.cooperatives["name"].tolist()):
        coops.setdefault(code, []).append(name)
    table = pd.DataFrame({
        "村名": villages["name"].tolist(),
        "县（市、区）": [counties[c] for c in villages["county_code"].tolist()],
        "镇（街道）": [towns.get(t, t) for t in villages["town_code"].tolist()],
        "一村一品": [p or config.NO_INDUSTRY_LABEL for p in categories["products"].tolist()],
        "类别": categories["category"].tolist(),
        "贫困户": villages["poor_households"].tolist(),
        "合作社": ["、".join(coops.get(code, ["—"])) for code in codes],
        "代码": codes,
    })
    return table.sort_values(["县（市、区）", "镇（街道）", "村名"], ignore_index=True)
