"""The work plan's 27 measures (湛农通〔2019〕287号, 产业扶贫 items 1–27), shipped as data.

`measures.csv` beside this module holds one row per measure: its number, the plan's section,
a short title, the plan's wording (verbatim), its 牵头科室 (every unit the plan names in the
item's parenthesis, joined with "、": item 1's "（牵头科室，下同：…）" makes each such list a
list of leads, so two units named there lead the measure jointly) and the KPI keys it is
measured by (config.TARGETS or config.INFRA_INDICATORS keys, joined with ";").
tests/unit/test_measures_data.py checks the file against the plan's text (tests/data/).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config

COLUMNS = ("number", "section", "title", "wording", "leads", "kpi")
LABELS = {"number": "序号", "section": "方案部分", "title": "措施", "wording": "工作方案原文",
          "leads": "牵头科室", "kpi": "考核指标"}


@dataclass(frozen=True)
class Measure:
    number: int
    section: str
    title: str
    wording: str
    leads: tuple[str, ...]  # every 科室 the plan names for the measure, in its order
    kpis: tuple[str, ...]


def _split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(text).split(sep) if part.strip())


@functools.cache
def load(path: Path = config.MEASURES_FILE) -> tuple[Measure, ...]:
    """The measures in plan order (read once per process)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name} 缺少列：{'、'.join(missing)}")
    return tuple(
        Measure(int(row["number"]), row["section"], row["title"], row["wording"],
                _split(row["leads"], "、"), _split(row["kpi"], ";"))
        for row in frame.to_dict("records")
    )


def units() -> list[str]:
    """Every 科室 named in the plan's measures, in order of first appearance."""
    return list(dict.fromkeys(unit for measure in load() for unit in measure.leads))
