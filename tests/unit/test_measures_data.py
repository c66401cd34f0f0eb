"""The shipped 27 measures (fupin_geo/data/measures.csv) against the work plan's own text.

The plan is read from ../shared/seed/ (beside the clone in CI; two levels up in a worktree
under /work/wt/). It is parsed here on its own terms (numbered items, the 科室 in the closing
parenthesis), independently of how the CSV was made.
"""
from __future__ import annotations

import re

import pytest

from fupin_geo import config
from fupin_geo.data import measures

SEED_NAME = "000_e2fd2408011eca9c.txt"
CANDIDATES = [config.REPO_DIR.parent / "shared" / "seed", config.REPO_DIR.parent.parent / "shared" / "seed"]


def _seed_text() -> str:
    for folder in CANDIDATES:
        if (folder / SEED_NAME).exists():
            return (folder / SEED_NAME).read_text(encoding="utf-8")
    pytest.skip(f"the work plan {SEED_NAME} is not in any of {', '.join(map(str, CANDIDATES))}")


@pytest.fixture(scope="module")
def plan_items() -> dict[int, tuple[str, list[str]]]:
    """number -> (wording, 科室 named in its parenthesis), from the plan's 产业扶贫 part (一–六)."""
    text = _seed_text()
    body = text[text.index("一、推进贫困地区"):text.index("七、完善农业产业扶贫工作机制")]
    items: dict[int, tuple[str, list[str]]] = {}
    for line in body.splitlines():
        match = re.match(r"^[\s\u3000]*(\d+)\.\s*(.+)（([^（）]+)）\s*$", line)
        if match:
            number = int(match.group(1))
            assert number not in items, f"item {number} twice in the plan"
            units = match.group(3).split("：")[-1].split("、")
            items[number] = (match.group(2).strip(), units)
    return items


def test_the_plan_has_27_items(plan_items):
    assert sorted(plan_items) == list(range(1, 28))


def test_every_number_is_shipped_once_in_plan_order():
    numbers = [m.number for m in measures.load()]
    assert numbers == list(range(1, 28))


def test_wording_is_the_plans(plan_items):
    for measure in measures.load():
        assert measure.wording == plan_items[measure.number][0], measure.number


def test_every_unit_is_spelled_as_in_the_plan(plan_items):
    for measure in measures.load():
        assert list(measure.units) == plan_items[measure.number][1], measure.number
        # and the spelling occurs in the plan's text as such
        for unit in measure.units:
            assert unit.endswith("科"), unit


def test_titles_are_short_and_unique():
    titles = [m.title for m in measures.load()]
    assert len(set(titles)) == 27
    assert all(0 < len(t) <= 12 for t in titles)


def test_kpi_keys_exist():
    known = {t.key for t in config.TARGETS} | set(config.INFRA_BY_KEY)
    used = {k for m in measures.load() for k in m.kpis}
    assert used <= known, used - known
    # the plan's numbered targets are each tracked by the measure that sets them
    by_number = {m.number: set(m.kpis) for m in measures.load()}
    assert "park_agreement" in by_number[1] and "industry" in by_number[2]
    assert {"coop_village"} <= by_number[8] and {"coop_household"} <= by_number[9]
    assert {"toilet_villages", "toilet_city", "clean_village"} <= by_number[25]
    assert "training" in by_number[21]


def test_units_list_has_each_unit_once():
    units = measures.units()
    assert len(units) == len(set(units))
    assert units[0] == "发展规划与乡村产业发展科"
    assert "人事科" in units and "畜牧科与饲料科" in units
