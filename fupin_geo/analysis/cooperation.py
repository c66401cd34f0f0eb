"""湛柳协作: the Zhanjiang–Liuzhou pairings, the projects by the memorandum's work areas and
the flows between the cities (funds, labour transfers, purchases of 柳州 products).

Plain frames in, frames out. Tables carry Chinese column names for display; the arcs are
plain records the map and the static map both draw.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import config
from ..data import geodata
from ..data.dataset import Dataset

PAIR = "结对县区"
# The by-year row of projects whose year no source gives (a public project of several years).
NO_YEAR = "年份不详"


@dataclass(frozen=True)
class Arc:
    """A curve from a 湛江 county to its paired 柳州 county (or back)."""

    from_lon: float
    from_lat: float
    to_lon: float
    to_lat: float
    color: str
    weight: float  # line width in pixels
    bend: float  # how far the curve bows out, as a share of its length
    tip: tuple[str, ...]  # tooltip lines, plain text
    kind: str  # "结对" or a flow kind


def _name(code: str) -> str:
    try:
        return geodata.county_name(code)
    except KeyError:
        return str(code)


def pair_label(zj: str, lz: str) -> str:
    return f"{_name(zj)}—{_name(lz)}"


def anchors() -> dict[str, tuple[float, float]]:
    """A point inside each county of both cities (lon, lat), where arcs start and end."""
    counties = geodata.counties()
    points = counties.geometry.representative_point()
    return {code: (float(p.x), float(p.y)) for code, p in zip(counties["adcode"], points)}


def for_county(dataset: Dataset, zj_county: str | None) -> Dataset:
    """The cooperation records of one 湛江 county's pairing (all when None)."""
    if not zj_county:
        return dataset
    from dataclasses import replace

    pick = lambda frame: frame[frame["zj_county_code"] == zj_county].reset_index(drop=True)  # noqa: E731
    return replace(dataset, pairings=pick(dataset.pairings),
                   cooperation_projects=pick(dataset.cooperation_projects),
                   cooperation_flows=pick(dataset.cooperation_flows))


def pairings_table(dataset: Dataset) -> pd.DataFrame:
    pairs = dataset.pairings
    return pd.DataFrame({
        "湛江县区": [_name(c) for c in pairs["zj_county_code"]],
        "柳州县区": [_name(c) for c in pairs["lz_county_code"]],
        "数据来源": pairs["source"].tolist(),
    })


def _pair_column(frame: pd.DataFrame) -> pd.Series:
    return pd.Series([pair_label(zj, lz) for zj, lz in zip(frame["zj_county_code"], frame["lz_county_code"])],
                     index=frame.index, dtype=object)


def _flow_totals(flows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Flow amounts per `by` value, one column per kind (named with its unit)."""
    columns = {kind: f"{kind}（{unit}）" for kind, unit in config.FLOW_UNITS.items()}
    if flows.empty:
        return pd.DataFrame(columns=list(columns.values()))
    table = flows.pivot_table(index=by, columns="kind", values="amount", aggfunc="sum", fill_value=0.0)
    return table.reindex(columns=list(columns), fill_value=0.0).rename(columns=columns)


# A head count (劳务协作, 人) has no decimals; an amount of money (万元) has one.
HEADS = "人"


def _heads_whole(table: pd.DataFrame) -> pd.DataFrame:
    """The flow columns counted in people as whole numbers."""
    for kind, unit in config.FLOW_UNITS.items():
        column = f"{kind}（{unit}）"
        if unit == HEADS and column in table:
            table[column] = table[column].round().astype(int)
    return table


def amount_text(amount: float, unit: str) -> str:
    """An amount with its unit: 1,875 人, 2,491.1 万元."""
    return f"{amount:,.0f} {unit}" if unit == HEADS else f"{amount:,.1f} {unit}"


def by_pairing(dataset: Dataset) -> pd.DataFrame:
    """One row per pairing: projects, their amount, and the flows of every kind."""
    pairs = dataset.pairings
    labels = [pair_label(zj, lz) for zj, lz in zip(pairs["zj_county_code"], pairs["lz_county_code"])]
    projects = dataset.cooperation_projects.assign(pair=_pair_column(dataset.cooperation_projects))
    flows = dataset.cooperation_flows.assign(pair=_pair_column(dataset.cooperation_flows))
    counts = projects.groupby("pair").agg(n=("id", "size"), amount=("amount_wan", "sum"))
    table = pd.DataFrame(index=pd.Index(labels, name=PAIR))
    table["项目数"] = counts["n"].reindex(table.index).fillna(0).astype(int)
    table["项目金额（万元）"] = counts["amount"].reindex(table.index).fillna(0.0).round(1)
    table = table.join(_flow_totals(flows, "pair").reindex(table.index).fillna(0.0).round(1))
    return _heads_whole(table).reset_index()


def by_year(dataset: Dataset) -> pd.DataFrame:
    """One row per year: projects, their amount, and the flows of every kind; projects
    without a year in a last row NO_YEAR, so the rows add up to every project."""
    projects, flows = dataset.cooperation_projects, dataset.cooperation_flows
    undated = projects["year"].isna()
    keys = [int(y) if not u else NO_YEAR for y, u in zip(projects["year"].tolist(), undated.tolist())]
    counts = projects.assign(year=keys).groupby("year", sort=False).agg(n=("id", "size"), amount=("amount_wan", "sum"))
    table = pd.DataFrame(index=pd.Index(years(dataset) + ([NO_YEAR] if undated.any() else []), name="年份",
                                        dtype=object))
    table["项目数"] = counts["n"].reindex(table.index).fillna(0).astype(int)
    table["项目金额（万元）"] = counts["amount"].reindex(table.index).fillna(0.0).round(1)
    table = table.join(_flow_totals(flows, "year").reindex(table.index).fillna(0.0).round(1))
    return _heads_whole(table).reset_index()


def by_work_area(dataset: Dataset) -> pd.DataFrame:
    """Projects per work area of the memorandum (all ten, in its order, zeros included)."""
    projects = dataset.cooperation_projects
    grouped = projects.groupby("work_area").agg(n=("id", "size"), amount=("amount_wan", "sum"))
    index = pd.Index(config.COOPERATION_WORK_AREAS, name="工作领域")
    return pd.DataFrame({
        "项目数": grouped["n"].reindex(index).fillna(0).astype(int),
        "金额（万元）": grouped["amount"].reindex(index).fillna(0.0).round(1),
    }, index=index).reset_index()


def project_table(dataset: Dataset) -> pd.DataFrame:
    """Every project; an empty year or amount is one no source gives."""
    projects = dataset.cooperation_projects.sort_values(["year", "zj_county_code", "work_area"], na_position="last")
    return pd.DataFrame({
        "年份": projects["year"].tolist(),
        PAIR: _pair_column(projects).tolist(),
        "工作领域": projects["work_area"].tolist(),
        "项目名称": projects["name"].tolist(),
        "金额（万元）": projects["amount_wan"].tolist(),
        "数据来源": projects["source"].tolist(),
    })


def summary(dataset: Dataset) -> dict[str, float]:
    """Headline numbers of the cooperation (all years in the data)."""
    flows = dataset.cooperation_flows
    totals = flows.groupby("kind")["amount"].sum()
    return {
        "结对县区": len(dataset.pairings),
        "协作项目": len(dataset.cooperation_projects),
        "项目金额（万元）": round(float(dataset.cooperation_projects["amount_wan"].sum()), 1),
        **{f"{kind}（{unit}）": round(float(totals.get(kind, 0.0))) if unit == HEADS else
           round(float(totals.get(kind, 0.0)), 1) for kind, unit in config.FLOW_UNITS.items()},
    }


def years(dataset: Dataset) -> list[int]:
    """The years of the projects and flows (a project without a year adds none)."""
    return sorted({int(y) for y in dataset.cooperation_projects["year"].dropna().tolist()}
                  | {int(y) for y in dataset.cooperation_flows["year"].tolist()})


def pairing_arcs(dataset: Dataset) -> list[Arc]:
    """One gently bowed arc per pairing, 湛江 → 柳州."""
    points = anchors()
    arcs = []
    for zj, lz, source in zip(dataset.pairings["zj_county_code"], dataset.pairings["lz_county_code"],
                              dataset.pairings["source"]):
        if zj not in points or lz not in points:
            continue
        (x1, y1), (x2, y2) = points[zj], points[lz]
        arcs.append(Arc(x1, y1, x2, y2, config.PAIRING_COLOR, 3.0, 0.12,
                        (f"结对：{pair_label(zj, lz)}", f"来源：{source}"), "结对"))
    return arcs


def flow_arcs(dataset: Dataset, year: int | None = None, kinds: tuple[str, ...] | None = None) -> list[Arc]:
    """One arc per pairing and flow kind (summed over the years, or of `year`), its width
    growing with the amount (square root, so areas compare), drawn in the flow's direction."""
    flows = dataset.cooperation_flows
    if year is not None:
        flows = flows[flows["year"] == year]
    kinds = tuple(config.FLOW_UNITS) if kinds is None else kinds
    flows = flows[flows["kind"].isin(list(kinds))]
    if flows.empty:
        return []
    totals = flows.groupby(["kind", "zj_county_code", "lz_county_code"], as_index=False)["amount"].sum()
    largest = totals.groupby("kind")["amount"].transform("max")
    share = (totals["amount"] / largest.where(largest > 0)).fillna(0.0) ** 0.5
    points = anchors()
    arcs = []
    for row, part in zip(totals.itertuples(), share):
        if row.zj_county_code not in points or row.lz_county_code not in points:
            continue
        order = list(config.FLOW_UNITS).index(row.kind)
        (zx, zy), (lx, ly) = points[row.zj_county_code], points[row.lz_county_code]
        west = config.FLOW_TO_LIUZHOU[row.kind]
        start, end = ((zx, zy), (lx, ly)) if west else ((lx, ly), (zx, zy))
        weight = config.ARC_MIN_WEIGHT + (config.ARC_MAX_WEIGHT - config.ARC_MIN_WEIGHT) * float(part)
        unit = config.FLOW_UNITS[row.kind]
        direction = "湛江 → 柳州" if west else "柳州 → 湛江"
        period = f"{year}年" if year is not None else "各年合计"
        # each kind bows out a little further (and to the other side when it runs back east,
        # since the start and end swap), so the kinds of one pairing do not overlap
        arcs.append(Arc(*start, *end, config.FLOW_COLORS[row.kind], round(weight, 1), 0.22 + 0.1 * order,
                        (f"{row.kind}：{pair_label(row.zj_county_code, row.lz_county_code)}",
                         f"{direction} · {period} {amount_text(row.amount, unit)}"), row.kind))
    return arcs
