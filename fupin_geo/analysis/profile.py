"""A village's card: what a person wants to know at a glance, as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import geodata
from ..data.dataset import Dataset


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
    # who is linked to the village: one row per link (主体, 类型, 联结方式, 带动农户, 其中贫困户)
    links: pd.DataFrame = field(default_factory=pd.DataFrame)
    # parks whose scope covers the village, with the agreement state
    parks: list[str] = field(default_factory=list)
    indicators: dict[str, str] = field(default_factory=dict)


def town_name(code: str) -> str:
    towns = geodata.towns()
    match = towns.loc[towns["code"] == code, "name"]
    return match.iloc[0] if len(match) else code


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def _links(dataset: Dataset, code: str) -> pd.DataFrame:
    links = dataset.linkages[dataset.linkages["village_code"] == code]
    names = {
        "企业": dataset.enterprises.set_index("id")["name"],
        "产业园": dataset.parks.set_index("id")["name"],
        "合作社": dataset.cooperatives.set_index("id")["name"],
    }
    subject = [names[t].get(i, i) for t, i in zip(links["source_type"], links["source_id"])]
    return pd.DataFrame({
        "带动主体": subject,
        "类型": links["source_type"].tolist(),
        "联结方式": links["link_type"].tolist(),
        "带动农户": links["households"].tolist(),
        "其中贫困户": links["poor_households"].tolist(),
    })


EXIT_LABEL = "出列（退出省定贫困村名单）"


def exit_text(exit_quarter) -> str | None:
    """「2019Q4 已出列」, or None where no 出列 is recorded (still on the list, or unknown)."""
    return f"{exit_quarter} 已出列" if isinstance(exit_quarter, str) and exit_quarter else None


def _indicators(village: pd.Series) -> dict[str, str]:
    yes_no = {True: "是", False: "否"}
    exited = exit_text(village["exit_quarter"])
    return {
        "贫困户入社": _share(village["poor_households_in_coop"], village["poor_households"]),
        "参与长效产业项目": _share(village["labour_households_in_project"], village["labour_households"]),
        "贫困劳动力培训": _share(village["trained_labourers"], village["poor_labourers"]),
        "无害化卫生户厕": f"{village['toilet_rate']:.1%}",
        "干净整洁村": yes_no[bool(village["clean_village"])],
        "新农村示范村": yes_no[bool(village["model_village"])],
        "农田水利项目": yes_no[bool(village["irrigation_project"])],
        # only where the ledger records it: an empty cell says nothing either way
        **({EXIT_LABEL: exited} if exited else {}),
    }


def village_profile(dataset: Dataset, code: str) -> VillageProfile | None:
    rows = dataset.villages[dataset.villages["code"] == code]
    if rows.empty:
        return None
    village = rows.iloc[0]
    products = dataset.products[dataset.products["village_code"] == code]
    coops = dataset.cooperatives[dataset.cooperatives["village_code"] == code]
    scope = dataset.park_villages[dataset.park_villages["village_code"] == code]
    park_names = dataset.parks.set_index("id")["name"]
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
        links=_links(dataset, code),
        parks=[f"{park_names.get(p, p)}（{'已签带动协议' if s else '未签带动协议'}）"
               for p, s in zip(scope["park_id"], scope["agreement_signed"])],
        indicators=_indicators(village),
    )


HISTORY_MEASURES = {
    "贫困户入社率": ("poor_households_in_coop", "poor_households"),
    "参与长效产业项目": ("labour_households_in_project", "labour_households"),
    "贫困劳动力培训": ("trained_labourers", "poor_labourers"),
    "无害化卫生户厕": ("toilet_rate", None),
}


def village_history(datasets: list[Dataset], code: str) -> pd.DataFrame:
    """The village's shares per quarter (rows: quarters in order; columns: measures, 0..1)."""
    rows = {}
    for dataset in datasets:
        match = dataset.villages[dataset.villages["code"] == code]
        if match.empty:
            continue
        village = match.iloc[0]
        rows[dataset.quarter] = {
            label: (float(village[part]) if whole is None
                    else (float(village[part]) / village[whole] if village[whole] else float("nan")))
            for label, (part, whole) in HISTORY_MEASURES.items()
        } | {"一村一品数": int((dataset.products["village_code"] == code).sum())}
    return pd.DataFrame.from_dict(rows, orient="index").sort_index()
