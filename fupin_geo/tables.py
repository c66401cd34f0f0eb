"""Tables for display and export, with Chinese column names."""
from __future__ import annotations

import pandas as pd

from . import config, geodata, maps
from .store import Dataset


def village_table(dataset: Dataset) -> pd.DataFrame:
    """One row per village of the dataset, in the order of county, town and name."""
    villages = dataset.villages
    categories = maps.village_categories(dataset)
    towns = geodata.towns().set_index("code")["name"]
    coops = dataset.cooperatives.groupby("village_code")["name"].agg("、".join)
    table = pd.DataFrame({
        "村名": villages["name"].values,
        "县（市、区）": [geodata.county_name(c) for c in villages["county_code"]],
        "镇（街道）": villages["town_code"].map(towns).fillna(villages["town_code"]).values,
        "一村一品": categories.loc[villages["code"], "products"].replace("", config.NO_INDUSTRY_LABEL).values,
        "类别": categories.loc[villages["code"], "category"].values,
        "贫困户": villages["poor_households"].values,
        "合作社": [coops.get(code, "—") for code in villages["code"]],
        "代码": villages["code"].values,
    })
    return table.sort_values(["县（市、区）", "镇（街道）", "村名"], ignore_index=True)
