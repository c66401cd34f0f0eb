"""The tracker of the plan's 27 measures: each with its status in a quarter, the KPI it is
measured by (value, target, gap) and a traffic light; filtered by 科室.

Every 科室 the plan names for a measure leads it (data/measures.py). A KPI whose target is a
planner's reference (config.InfraIndicator.reference) is shown as 规划参考: the plan sets no
number there, so it is never counted as met or missed, and never asks a 科室 to check a report."""
from __future__ import annotations

import pandas as pd

from .. import config
from ..data import measures as plan
from ..data.dataset import Dataset
from . import indicators, infrastructure

NO_STATUS = "无记录"
REFERENCE = "规划参考"
# Traffic light per status; a measure without a status record is grey like 未启动.
LIGHTS = {**config.MEASURE_STATUSES, NO_STATUS: "#cccccc"}


def kpi_values(dataset: Dataset, reported_quarters: list[str]) -> dict[str, dict]:
    """Every KPI a measure can name: label, value text, target text, gap text, met (None = no
    data, or a 规划参考 target) and reference."""
    out: dict[str, dict] = {}
    for kpi in indicators.compute_kpis(dataset, reported_quarters):
        gap = None
        if kpi.value is not None and not kpi.met:
            gap = (f"差 {(kpi.target.goal - kpi.value) * 100:.1f} 个百分点" if kpi.target.unit == "%"
                   else f"差 {kpi.target.goal - kpi.value:g} {kpi.target.unit}")
        out[kpi.target.key] = dict(label=kpi.target.label, value=kpi.formatted(), goal=kpi.goal_text(),
                                   met=kpi.met, gap=gap, reference=False)
    for summary in infrastructure.city_summaries(dataset):
        indicator = summary.indicator
        value = "无数据" if summary.value is None else f"{summary.value:.1%}"
        if indicator.reference:
            out[indicator.key] = dict(label=indicator.label, value=value, met=None, gap=None, reference=True,
                                      goal=f"{REFERENCE} {indicator.target:.0%}，非工作方案目标")
            continue
        gap = None if summary.met in (None, True) else f"差 {summary.gap:.1f} 个百分点"
        out[indicator.key] = dict(label=indicator.label, value=value, goal=f"目标 {indicator.target:.0%}",
                                  met=summary.met, gap=gap, reference=False)
    return out


def tracker(dataset: Dataset, reported_quarters: list[str], unit: str | None = None) -> pd.DataFrame:
    """One row per measure (those `unit` leads, alone or jointly, when given), plan order.

    Columns (Chinese, for display): 序号, 状态 (its colour: LIGHTS), 措施, 牵头科室 (every lead, joined
    with 、), 考核指标 (label: value · target · gap), 指标达标 (是/否/—, or 规划参考 when every KPI
    with data is a reference), 提示, 进展说明, 工作方案原文.
    """
    status = dataset.measure_status.drop_duplicates("measure").set_index("measure")
    kpis = kpi_values(dataset, reported_quarters)
    rows = []
    for measure in plan.load():
        if unit and unit not in measure.leads:
            continue
        state = status["status"].get(measure.number, NO_STATUS)
        note = status["note"].get(measure.number) if measure.number in status.index else None
        named = [kpis[k] for k in measure.kpis if k in kpis]
        kpi_text = "；".join(
            f"{k['label']} {k['value']}（{k['goal']}{'，' + k['gap'] if k['gap'] else ''}）" for k in named)
        met = [k["met"] for k in named if k["met"] is not None]
        referenced = any(k["reference"] and k["value"] != "无数据" for k in named)
        row = {
            "序号": measure.number,
            "状态": state,
            "措施": measure.title,
            "牵头科室": "、".join(measure.leads),
            "考核指标": kpi_text or "—",
            "指标达标": ("是" if all(met) else "否") if met else (REFERENCE if referenced else "—"),
            # a measure reported done while its KPI still misses the target is worth a question
            "提示": "已报完成但指标未达标，请核实" if state == "已完成" and met and not all(met) else "",
            "进展说明": note if isinstance(note, str) and note else "—",
            "工作方案原文": measure.wording,
        }
        rows.append(row)
    return pd.DataFrame(rows)


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many measures of the table are in each status (every status, 0 included)."""
    counts = table["状态"].value_counts() if len(table) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in LIGHTS if s != NO_STATUS or counts.get(s, 0)}


def status_history(datasets: list[Dataset], unit: str | None = None) -> pd.DataFrame:
    """Measures × quarters: the status of each measure in each quarter (plan order)."""
    chosen = [m for m in plan.load() if not unit or unit in m.leads]
    table = {"序号": [m.number for m in chosen], "措施": [m.title for m in chosen]}
    for dataset in datasets:
        status = dataset.measure_status.drop_duplicates("measure").set_index("measure")["status"]
        table[dataset.quarter] = [status.get(m.number, NO_STATUS) for m in chosen]
    return pd.DataFrame(table)
