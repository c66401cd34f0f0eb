"""Filters of the 产业地图: which villages, parks, enterprises … a view shows.

An empty selection means "all". The same filtered Dataset feeds the map, the counts and the
table, so the three always agree. Each layer follows every filter that has a meaning for
it (`APPLIES_TO` says which, in the words the page shows):

| records            | county                | town                     | category / product          |
|--------------------|-----------------------|--------------------------|-----------------------------|
| villages, 一村一品  | the village's         | the village's            | the village's 一村一品        |
| 一镇一业            | the town's county     | the town                 | the town's industry         |
| parks              | the park's            | a village of its scope   | the park's 主导产业          |
| enterprises        | the enterprise's      | — (no town recorded)     | the enterprise's 行业         |
| cooperatives, links| through their village | through their village    | through their village       |
| aquaculture        | the site's            | — (no town recorded)     | category 水产 only, no product|

A category filter keeps an industry whose category is chosen; the category of a park's or
an enterprise's industry is that of the same product in the quarter's 一村一品 records.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from .. import config
from ..data.dataset import Dataset
from .indicators import member
from ..memo import per_dataset

# Filtered datasets kept per quarter (each with its own memo): enough for every county and a
# few town or product choices of several users, at ~1/9 of the data each for a county.
FILTERED_KEPT = 32

# What each filter narrows on the 产业地图 (shown under the filters).
APPLIES_TO: dict[str, str] = {
    "县（市、区）": "贫困村、一镇一业、产业园、龙头企业、合作社、水产养殖",
    "镇（街道）": "贫困村、一镇一业、合作社，以及范围内有该镇贫困村的产业园；龙头企业和水产养殖没有镇的记录，不受影响",
    "产业类别": "贫困村（一村一品）、一镇一业、产业园和龙头企业（按主导产业或行业）、合作社（按所在村）；"
                f"水产养殖只在选了「{config.AQUACULTURE_CATEGORY}」或未选类别时显示",
    "产品": "贫困村（一村一品）、一镇一业、产业园（主导产业）、龙头企业（行业）、合作社（按所在村）；不影响水产养殖",
}


@dataclass(frozen=True)
class VillageFilter:
    counties: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.counties or self.towns or self.categories or self.products)


EVERY_VILLAGE = VillageFilter()  # no filter: a default argument that is never changed (frozen)


def matching_villages(dataset: Dataset, f: VillageFilter) -> pd.Series:
    """A boolean per village of the dataset."""
    villages = dataset.villages
    keep = pd.Series(True, index=villages.index)
    if f.counties:
        keep &= member(villages["county_code"], set(f.counties))
    if f.towns:
        keep &= member(villages["town_code"], set(f.towns))
    if f.categories or f.products:
        keep &= member(villages["code"], _chosen_products(dataset.products, f)["village_code"])
    return keep


def _chosen_products(products: pd.DataFrame, f: VillageFilter) -> pd.DataFrame:
    """The 一村一品 records of the filter's categories and products."""
    if f.categories:
        products = products[member(products["category"], set(f.categories))]
    if f.products:
        products = products[member(products["product"], set(f.products))]
    return products


def product_categories(dataset: Dataset) -> dict[str, str]:
    """The category of each product named in the quarter's 一村一品 records."""
    return dict(zip(dataset.products["product"].tolist(), dataset.products["category"].tolist()))


def _industry_kept(industries: pd.Series, f: VillageFilter, categories: dict[str, str]) -> pd.Series:
    """Industries (product names) that pass the filter's categories and products."""
    keep = pd.Series(True, index=industries.index)
    if f.products:
        keep &= member(industries, set(f.products))
    if f.categories:
        chosen = set(f.categories)
        keep &= pd.Series([categories.get(i) in chosen for i in industries.tolist()], index=industries.index,
                          dtype=bool)
    return keep


@per_dataset(limit=FILTERED_KEPT)
def apply(dataset: Dataset, f: VillageFilter) -> Dataset:
    """The dataset restricted to the filter, each kind of record by what it has (see the
    module's table)."""
    if f.is_empty:
        return dataset
    villages = dataset.villages[matching_villages(dataset, f)]
    codes = set(villages["code"].tolist())
    categories = product_categories(dataset)

    def by_village(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[member(frame["village_code"], codes)]

    def by_county(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[member(frame["county_code"], set(f.counties))] if f.counties else frame

    towns = by_county(dataset.town_industries)
    if f.towns:
        towns = towns[member(towns["town_code"], set(f.towns))]
    if f.products:
        towns = towns[member(towns["industry"], set(f.products))]
    if f.categories:
        towns = towns[member(towns["category"], set(f.categories))]

    parks = by_county(dataset.parks)
    parks = parks[_industry_kept(parks["product"], f, categories)]
    if f.towns:
        town_villages = set(dataset.villages.loc[member(dataset.villages["town_code"], set(f.towns)),
                                                 "code"].tolist())
        scope = dataset.park_villages[member(dataset.park_villages["village_code"], town_villages)]
        parks = parks[member(parks["id"], set(scope["park_id"].tolist()))]

    enterprises = by_county(dataset.enterprises)
    enterprises = enterprises[_industry_kept(enterprises["industry"], f, categories)]

    aquaculture = by_county(dataset.aquaculture)
    if f.categories and config.AQUACULTURE_CATEGORY not in f.categories:
        aquaculture = aquaculture.iloc[:0]
    return replace(
        dataset,
        villages=villages,
        products=_chosen_products(by_village(dataset.products), f),
        town_industries=towns,
        parks=parks,
        park_villages=dataset.park_villages[member(dataset.park_villages["park_id"], set(parks["id"].tolist()))],
        enterprises=enterprises,
        cooperatives=by_village(dataset.cooperatives),
        aquaculture=aquaculture,
        linkages=by_village(dataset.linkages),
    )


@per_dataset(limit=FILTERED_KEPT)
def options(dataset: Dataset, f: VillageFilter) -> dict[str, list[str]]:
    """Choices for each filter widget given the others (towns of the chosen counties, …)."""
    villages = dataset.villages
    if f.counties:
        villages = villages[member(villages["county_code"], set(f.counties))]
    products = dataset.products[member(dataset.products["village_code"], set(villages["code"].tolist()))]
    if f.categories:
        products = products[member(products["category"], set(f.categories))]
    return {
        "counties": sorted(set(dataset.villages["county_code"].tolist())),
        "towns": sorted(set(villages["town_code"].tolist())),
        "categories": sorted(set(dataset.products["category"].tolist())),
        "products": sorted(set(products["product"].tolist())),
    }
