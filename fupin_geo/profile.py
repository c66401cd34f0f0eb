"""A village's card: what a person wants to know at a glance, as plain values."""
from __future__ import annotations

from dataclasses import dataclass

from . import geodata
from .store import Dataset


@dataclass(frozen=True)
class VillageProfile:
    code: str
    name: str
    county: str
    town: str
    products: list[str]
    households: int
    poor_households: int
    poor_people: int
    cooperatives: list[str]
    poor_households_in_coop: int
    position_quality: str
    source: str
    quarter: str


def town_name(code: str) -> str:
    towns = geodata.towns()
    match = towns.loc[towns["code"] == code, "name"]
    return match.iloc[0] if len(match) else code


def village_profile(dataset: Dataset, code: str) -> VillageProfile | None:
    rows = dataset.villages[dataset.villages["code"] == code]
    if rows.empty:
        return None
    village = rows.iloc[0]
    products = dataset.products[dataset.products["village_code"] == code]
    coops = dataset.cooperatives[dataset.cooperatives["village_code"] == code]
    return VillageProfile(
        code=code,
        name=village["name"],
        county=geodata.county_name(village["county_code"]),
        town=town_name(village["town_code"]),
        products=[f"{p}（{c}）" for p, c in zip(products["product"], products["category"])],
        households=int(village["households"]),
        poor_households=int(village["poor_households"]),
        poor_people=int(village["poor_people"]),
        cooperatives=coops["name"].tolist(),
        poor_households_in_coop=int(village["poor_households_in_coop"]),
        position_quality=village["position_quality"],
        source=village["source"],
        quarter=dataset.quarter,
    )
