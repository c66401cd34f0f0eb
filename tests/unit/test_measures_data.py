"""The shipped 27 measures (fupin_geo/data/measures.csv) against the work plan's own text.

The plan (湛农通〔2019〕287号, a public document) is kept verbatim in tests/data/ so that these
checks run wherever the repository does; where the original under ../shared/seed/ is at hand
the copy is checked against it. The plan is parsed here on its own terms (numbered items, the
科室 in the closing parenthesis), independently of how the CSV was made.
"""
from __future__ import annotations

import re

import pytest

from fupin_geo import config
from fupin_geo.data import measures

PLAN_COPY = config.REPO_DIR / "tests" / "data" / "work_plan_2019_287.txt"
SEED_NAME = "000_e2fd2408011eca9c.txt"
CANDIDATES = [config.REPO_DIR.parent / "shared" / "seed", config.REPO_DIR.parent.parent / "shared" / "seed"]
# Item 1's parenthesis says once for all items what the 科室 in each item's parenthesis are.
LEADS_NOTE = "（牵头科室，下同："


def _plan_text() -> str:
    return PLAN_COPY.read_text(encoding="utf-8")


def _measures_part(text: str) -> str:
    """The plan's 产业扶贫 part (一–六), where the 27 numbered measures are."""
    return text[text.index("一、推进贫困地区"):text.index("七、完善农业产业扶贫工作机制")]


def test_the_copy_is_the_plan_itself():
    originals = [folder / SEED_NAME for folder in CANDIDATES if (folder / SEED_NAME).exists()]
    if not originals:
        pytest.skip(f"the original {SEED_NAME} is not in any of {', '.join(map(str, CANDIDATES))}")
    assert _plan_text() == originals[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan_items() -> dict[int, tuple[str, list[str]]]:
    """number -> (wording, 科室 named in its parenthesis), from the plan's 产业扶贫 part (一–六)."""
    body = _measures_part(_plan_text())
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


def test_the_plan_says_once_that_every_unit_named_is_a_lead():
    body = _measures_part(_plan_text())
    # said in item 1 and nowhere else: it holds for every item's parenthesis ("下同")
    assert body.count(LEADS_NOTE) == 1 and body.count("牵头科室") == 1
    assert "配合" not in body and "协助" not in body


def test_every_measures_leads_are_the_units_in_its_parenthesis(plan_items):
    # every 科室 in an item's parenthesis is one of its 牵头科室, joint leads included
    for measure in measures.load():
        assert list(measure.leads) == plan_items[measure.number][1], measure.number
        for unit in measure.leads:
            assert unit.endswith("科"), unit
    joint = {m.number: set(m.leads) for m in measures.load() if len(m.leads) > 1}
    assert joint == {number: set(units) for number, (_, units) in plan_items.items() if len(units) > 1}
    assert set(joint) == {3, 5, 6, 10, 15}
    assert joint[3] == {"发展规划与乡村产业发展科", "扶贫协作与开发指导科"}


def test_each_unit_finds_every_measure_it_leads(plan_items):
    for unit in measures.units():
        named = [number for number, (_, units) in sorted(plan_items.items()) if unit in units]
        assert [m.number for m in measures.load() if unit in m.leads] == named, unit


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
    assert {"toilet_villages", "toilet_city", "clean_village_city"} <= by_number[25]
    assert "training" in by_number[21]


def test_units_list_has_each_unit_once():
    units = measures.units()
    assert len(units) == len(set(units))
    assert units[0] == "发展规划与乡村产业发展科"
    assert "人事科" in units and "畜牧科与饲料科" in units
