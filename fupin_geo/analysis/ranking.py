"""短板排查: a ranking of underserved villages made of parts a planner can read, the reason
for each rank in one sentence, exports, and where a new site would help most.

Each part is scaled 0..1 (1 = the worst shortfall):
  linkage         1 − the share of poor households reached by some 带动主体 (linkage.py)
  coop            the share of poor households outside cooperatives (plan item 9)
  industry        1 when the village has no 一村一品 industry (item 2)
  distance        the mean, over 产业园 / 扶贫龙头企业 / 加工企业, of the straight-line distance
                  to the nearest one divided by config.DISTANCE_FULL_KM (capped at 1; 1 when
                  there is none)
  infrastructure  the mean of the 户厕 gap (1 − rate) / config.TOILET_GAP_FULL (capped at 1) and
                  1 when the village is not a 干净整洁村 (item 25)
The score is 100 × Σ weight·part / Σ weight. Ties go to more poor households, then the code.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from .. import config
from ..data import export, geodata
from ..data.dataset import Dataset
from ..geo import distances
from . import filters, linkage
from .filters import VillageFilter
from ..memo import per_dataset

PARTS = tuple(config.RANK_WEIGHTS)
SITE_KINDS = {"park": "产业园", "leading": "龙头企业", "processing": "加工企业"}


def sites(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """The sites distances are measured to: parks, 扶贫龙头企业 (by the plan's bar) and
    processing enterprises, each a frame with lon/lat."""
    reach = linkage.enterprise_reach(dataset)
    return {"park": dataset.parks, "leading": reach[reach["is_leading"]],
            "processing": dataset.enterprises[dataset.enterprises["is_processing"]]}


@per_dataset
def village_parts(dataset: Dataset) -> pd.DataFrame:
    """Per village (in the dataset's order): the figures behind the parts, and the parts."""
    villages = dataset.villages
    coverage = linkage.village_coverage(dataset)
    coops = linkage.cooperative_coverage(dataset)
    has_industry = linkage.has_any(villages["code"], dataset.products["village_code"])
    frame = pd.DataFrame({
        "code": villages["code"].tolist(), "name": villages["name"].tolist(),
        "county_code": villages["county_code"].tolist(), "town_code": villages["town_code"].tolist(),
        "lon": villages["lon"].to_numpy(float), "lat": villages["lat"].to_numpy(float),
        "poor_households": villages["poor_households"].to_numpy(int),
        "linked": coverage["links"].to_numpy() > 0, "linked_share": coverage["share"].to_numpy(),
        "coop_out_share": 1.0 - coops["share"].to_numpy(), "has_industry": has_industry,
        "toilet_rate": villages["toilet_rate"].to_numpy(float),
        "clean_village": villages["clean_village"].to_numpy(bool),
    })
    scaled = []
    found = sites(dataset)
    nearest = distances.nearest_km_each(frame["lon"], frame["lat"],
                                        [(f["lon"], f["lat"]) for f in found.values()])
    for kind, km in zip(found, nearest):
        frame[f"km_{kind}"] = km
        scaled.append(np.minimum(km / config.DISTANCE_FULL_KM, 1.0))  # inf (no site) -> 1
    frame["linkage"] = 1.0 - frame["linked_share"]
    frame["coop"] = frame["coop_out_share"].clip(0.0, 1.0)
    frame["industry"] = (~frame["has_industry"]).astype(float)
    frame["distance"] = np.mean(scaled, axis=0)
    toilet_gap = np.minimum(np.maximum(config.TOILET_TARGET_VILLAGES - frame["toilet_rate"], 0.0)
                            / config.TOILET_GAP_FULL, 1.0)
    frame["infrastructure"] = (toilet_gap + (~frame["clean_village"]).astype(float)) / 2
    return frame


def score(parts: pd.DataFrame, weights: dict[str, float]) -> np.ndarray:
    """100 × Σ weight·part / Σ weight (0 everywhere when every weight is 0)."""
    total = float(sum(max(0.0, float(weights.get(p, 0))) for p in PARTS))
    if total == 0:
        return np.zeros(len(parts))
    combined = sum(max(0.0, float(weights.get(p, 0))) * parts[p].to_numpy(float) for p in PARTS)
    return 100.0 * combined / total


def _km(value: float) -> str:
    return f"{value:.1f} 公里"


def _pct(share: float) -> str:
    """A share as a whole percentage, with one decimal where rounding would hide a gap
    (99.6 % is not 100 %) or invent one (0.4 % is not 0 %)."""
    text = f"{share:.0%}"
    if text in ("100%", "0%") and 0 < share < 1:
        text = f"{share:.1%}"
    return text


def reasons(frame: pd.DataFrame, weights: dict[str, float]) -> list[str]:
    """Why each village ranks where it does, in one Chinese sentence from its own numbers;
    the clauses in the order of what they add to its score (parts without weight, or at
    zero, say nothing). Built column by column: 20,000 sentences in a few hundred ms."""
    w = {p: max(0.0, float(weights.get(p, 0))) for p in PARTS}
    n = len(frame)
    texts: dict[str, list[str]] = {}
    linked, linked_share = frame["linked"].tolist(), frame["linked_share"].tolist()
    texts["linkage"] = [("" if s >= 1 else "未与任何企业、产业园或合作社联结" if not k
                         else f"{_pct(1 - s)} 贫困户未被带动")
                        for k, s in zip(linked, linked_share)] if w["linkage"] else [""] * n
    texts["coop"] = [f"{_pct(s)} 贫困户未入社" if s > 0 else "" for s in frame["coop_out_share"].tolist()] \
        if w["coop"] else [""] * n
    texts["industry"] = ["" if h else "尚无一村一品产业" for h in frame["has_industry"].tolist()] \
        if w["industry"] else [""] * n
    if w["distance"]:
        columns = [(label, frame[f"km_{kind}"].tolist()) for kind, label in SITE_KINDS.items()]
        distance_texts = []
        for i in range(n):
            far = [f"{label} {_km(km[i])}" for label, km in columns if config.DISTANCE_NOTE_KM <= km[i] < np.inf]
            missing = [label for label, km in columns if km[i] == np.inf]
            distance_texts.append("，".join(([f"距最近{'、'.join(far)}（直线距离）"] if far else [])
                                           + ([f"没有{'、'.join(missing)}"] if missing else [])))
        texts["distance"] = distance_texts
    else:
        texts["distance"] = [""] * n
    if w["infrastructure"]:
        target = config.TOILET_TARGET_VILLAGES
        texts["infrastructure"] = [
            "，".join(([f"户厕普及率 {_pct(rate)}"] if rate < target else [])
                     + ([] if clean else ["未达干净整洁村标准"]))
            for rate, clean in zip(frame["toilet_rate"].tolist(), frame["clean_village"].tolist())]
    else:
        texts["infrastructure"] = [""] * n
    added = {p: (w[p] * frame[p].to_numpy(float)).tolist() for p in PARTS}
    out = []
    for i in range(n):
        clauses = sorted(((added[p][i], k, texts[p][i]) for k, p in enumerate(PARTS) if texts[p][i]),
                         key=lambda c: (-c[0], c[1]))
        out.append("；".join(t for _, _, t in clauses) if clauses else "各项均无明显短板")
    return out


def rank(dataset: Dataset, weights: dict[str, float] | None = None, scope: VillageFilter = filters.EVERY_VILLAGE,
         parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The villages of `scope`, most underserved first, with score, rank (1..n) and reason.

    Distances are measured to every site of the dataset (a park across a county line still
    counts); `parts` (village_parts of the dataset) may be passed in to reuse it."""
    weights = dict(config.RANK_WEIGHTS if weights is None else weights)
    frame = village_parts(dataset) if parts is None else parts
    frame = frame[filters.matching_villages(dataset, scope).to_numpy()].copy()  # parts: in the dataset's order
    frame["score"] = score(frame, weights).round(1)
    frame = frame.sort_values(["score", "poor_households", "code"], ascending=[False, False, True],
                              ignore_index=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    frame["reason"] = reasons(frame, weights)
    return frame


def export_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked list as handed over: Chinese columns, distances in km (1 decimal)."""
    towns = dict(zip(*(geodata.towns()[c].tolist() for c in ("code", "name"))))

    def km(kind: str) -> list:
        return [None if np.isinf(v) else round(float(v), 1) for v in ranked[f"km_{kind}"]]

    return pd.DataFrame({
        "排名": ranked["rank"].tolist(),
        "村名": ranked["name"].tolist(),
        "县（市、区）": [geodata.county_name(c) for c in ranked["county_code"].tolist()],
        "镇（街道）": [towns.get(t, t) for t in ranked["town_code"].tolist()],
        "短板得分": ranked["score"].tolist(),
        "原因": ranked["reason"].tolist(),
        "贫困户": ranked["poor_households"].tolist(),
        "被带动贫困户比例": ranked["linked_share"].round(3).tolist(),
        "未入社贫困户比例": ranked["coop_out_share"].round(3).tolist(),
        "有一村一品": np.where(ranked["has_industry"], "是", "否"),
        "距最近产业园（公里，直线距离）": km("park"),
        "距最近龙头企业（公里，直线距离）": km("leading"),
        "距最近加工企业（公里，直线距离）": km("processing"),
        "户厕普及率": ranked["toilet_rate"].round(3).tolist(),
        "干净整洁村": np.where(ranked["clean_village"], "是", "否"),
        "村代码": ranked["code"].tolist(),
    })


def _note(weights: dict[str, float]) -> str:
    shown = "，".join(f"{config.RANK_PART_LABELS[p]} {weights.get(p, 0):g}" for p in PARTS)
    return f"权重：{shown}。距离为直线距离。"


def to_csv(table: pd.DataFrame) -> bytes:
    """CSV that Excel opens with its Chinese intact (UTF-8 with BOM) and runs no formula from."""
    return export.table_csv(table)


def to_xlsx(table: pd.DataFrame, sheet: str = "短板排查", note: str | None = None) -> bytes:
    """An .xlsx workbook with one sheet (and the note, e.g. the weights, under the table)."""
    return export.table_workbook(table, sheet, note_below=note)


def export_note(weights: dict[str, float], quarter: str, demo: bool) -> str:
    text = f"数据季度 {quarter}。{_note(weights)}"
    return text + ("数据为程序生成的演示数据，不是真实数据。" if demo else "")


# --- where to act -----------------------------------------------------------------------------
def reached(targets: pd.DataFrame, lon: float, lat: float, radius_km: float) -> pd.DataFrame:
    """The rows of `targets` (lon/lat) within `radius_km` of (lon, lat), nearest first, with km."""
    _, index = distances.pairs_within([lon], [lat], targets["lon"], targets["lat"], radius_km)
    found = targets.iloc[np.sort(index)].copy()
    found["km"] = distances.nearest_km(found["lon"], found["lat"], [lon], [lat]) if len(found) else []
    return found.sort_values(["km", "code"], ignore_index=True)


def candidate_sites(dataset: Dataset, scope: VillageFilter = filters.EVERY_VILLAGE) -> pd.DataFrame:
    """Where a new site may go: every village of the scope, and every town centre (the mean
    position of its poverty villages). Columns: kind (村/镇), code, name, lon, lat."""
    villages = dataset.villages
    villages = villages[filters.matching_villages(dataset, scope)]
    towns = dict(zip(*(geodata.towns()[c].tolist() for c in ("code", "name"))))
    centres = villages.groupby("town_code")[["lon", "lat"]].mean()
    return pd.concat([
        pd.DataFrame({"kind": "村", "code": villages["code"].tolist(), "name": villages["name"].tolist(),
                      "lon": villages["lon"].to_numpy(float), "lat": villages["lat"].to_numpy(float)}),
        pd.DataFrame({"kind": "镇", "code": centres.index.tolist(),
                      "name": [f"{towns.get(t, t)}中心" for t in centres.index],
                      "lon": centres["lon"].to_numpy(float), "lat": centres["lat"].to_numpy(float)}),
    ], ignore_index=True)


def suggest_sites(candidates: pd.DataFrame, targets: pd.DataFrame, k: int, radius_km: float,
                  weight: str = "poor_households", reached_already=()) -> list[dict]:
    """Greedy maximum coverage: k candidate sites that together reach the most `weight` of
    `targets` within `radius_km`. Each round takes the candidate that adds the most weight of
    targets not reached yet (by earlier rounds or `reached_already`, target codes); ties go to
    the earlier candidate. Stops early when no candidate adds anything.

    Returns one dict per site: candidate row fields, gain (weight added), codes (the targets it
    adds, nearest first) — the greedy answer is within 1 − 1/e of the best possible."""
    if k <= 0 or candidates.empty or targets.empty:
        return []
    site_index, target_index = distances.pairs_within(candidates["lon"], candidates["lat"],
                                                      targets["lon"], targets["lat"], radius_km)
    values = targets[weight].to_numpy(float)
    open_ = ~targets["code"].isin(set(reached_already)).to_numpy()
    codes = targets["code"].to_numpy(object)
    chosen: list[dict] = []
    for _ in range(k):
        gains = np.bincount(site_index, weights=values[target_index] * open_[target_index],
                            minlength=len(candidates))
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        mine = target_index[(site_index == best) & open_[target_index]]
        row = candidates.iloc[best]
        km = distances.nearest_km(targets["lon"].to_numpy(float)[mine], targets["lat"].to_numpy(float)[mine],
                                  [row["lon"]], [row["lat"]])
        order = np.lexsort((codes[mine].astype(str), km))
        chosen.append({**row.to_dict(), "gain": float(gains[best]), "codes": [str(c) for c in codes[mine][order]],
                       "km": km[order].tolist()})
        open_[mine] = False
    return chosen
