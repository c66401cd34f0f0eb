"""Filters of the 产业地图: which villages, parks, enterprises … a view shows.

An empty selection means "all". The same filtered Dataset feeds the map, the counts and the
table, so the three always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ..data.store import Dataset


@dataclass(frozen=True)
class VillageFilter:
    counties: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.counties or self.towns or self.categories or self.products)


def matching_villages(dataset: Dataset, f: VillageFilter) -> pd.Series:
    """A boolean per village of the dataset."""
    villages = dataset.villages
    keep = pd.Series(True, index=villages.index)
    if f.counties:
        keep &= villages["county_code"].isin(f.counties)
    if f.towns:
        keep &= villages["town_code"].isin(f.towns)
    if f.categories or f.products:
        keep &= villages["code"].isin(_chosen_products(dataset.products, f)["village_code"])
    return keep


def _chosen_products(products: pd.DataFrame, f: VillageFilter) -> pd.DataFrame:
    """The 一村一品 records of the filter's categories and products."""
    if f.categories:
        products = products[products["category"].isin(f.categories)]
    if f.products:
        products = products[products["product"].isin(f.products)]
    return products


def apply(dataset: Dataset, f: VillageFilter) -> Dataset:
    """The dataset restricted to the filter: villages and what belongs to them; parks,
    enterprises and aquaculture restricted by county (they have no village of their own)."""
    if f.is_empty:
        return dataset
    villages = dataset.villages[matching_villages(dataset, f)]
    codes = set(villages["code"])

    def by_village(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["village_code"].isin(codes)]

    def by_county(frame: pd.DataFrame, column: str = "county_code") -> pd.DataFrame:
        return frame[frame[column].isin(f.counties)] if f.counties else frame

    products = _chosen_products(by_village(dataset.products), f)
    parks = by_county(dataset.parks)
    if f.products:
        parks = parks[parks["product"].isin(f.products)]
    return replace(
        dataset,
        villages=villages,
        products=products,
        town_industries=dataset.town_industries[dataset.town_industries["town_code"].isin(villages["town_code"])],
        parks=parks,
        park_villages=dataset.park_villages[dataset.park_villages["park_id"].isin(parks["id"])],
        enterprises=by_county(dataset.enterprises),
        cooperatives=by_village(dataset.cooperatives),
        aquaculture=by_county(dataset.aquaculture),
        linkages=by_village(dataset.linkages),
    )


def options(dataset: Dataset, f: VillageFilter) -> dict[str, list[str]]:
    """Choices for each filter widget given the others (towns of the chosen counties, …)."""
    villages = dataset.villages
    if f.counties:
        villages = villages[villages["county_code"].isin(f.counties)]
    products = dataset.products[dataset.products["village_code"].isin(villages["code"])]
    if f.categories:
        products = products[products["category"].isin(f.categories)]
    return {
        "counties": sorted(dataset.villages["county_code"].unique()),
        "towns": sorted(villages["town_code"].unique()),
        "categories": sorted(dataset.products["category"].unique()),
        "products": sorted(products["product"].unique()),
    }
