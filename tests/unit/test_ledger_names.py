"""Ledger import (issue 24): towns written by name, a 村 and a 社区 of the same name told apart,
an index of names built once, and the progress of a long sheet."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest

from fupin_geo.data import ledger
from fupin_geo.data import ledger_import
from tests.ledger_rows import HEADER, village

QUARTER = "2019Q4"
# As in test_ledger_import: 官湖村 is a real village unit of 遂溪县 附城镇 (440823115207); 附城镇 is
# also a town of 雷州市 (440882117). 城月镇 (440823107) has both 城月社区居民委员会 (440823107001)
# and 城月村民委员会 (440823107201).



def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "贫困村"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def store(q4_store):
    return q4_store


def check(store, rows: list[list], header=HEADER, **options):
    return ledger.check(store, "台账.xlsx", xlsx([header, *rows]), QUARTER, **options)


def messages(preview, column: str | None = None) -> list[str]:
    table = preview.ledger.problem_table()
    if column is not None:
        table = table[table["列"].str.contains(column)]
    return table["说明"].tolist()


def codes(preview) -> list[str]:
    return preview.ledger.frames["villages"]["code"].tolist()


# --- towns by name ------------------------------------------------------------------------------
@pytest.mark.parametrize("town", ["附城镇", "附城", " 附城镇 "])
def test_the_town_column_accepts_the_towns_name_with_or_without_its_suffix(store, town):
    preview = check(store, [village(**{"村代码": None, "镇街代码": town})])
    assert preview.ok, messages(preview)
    villages = preview.ledger.frames["villages"]
    assert villages["code"].tolist() == ["440823115207"] and villages["town_code"].tolist() == ["440823115"]


def test_a_town_name_shared_by_two_counties_is_told_apart_by_the_county_or_named_with_codes(store):
    # 山柑村 is a village of 雷州市 附城镇 (440882117202)
    leizhou = check(store, [village(**{"村代码": None, "村名": "山柑村", "县区代码": "雷州市", "镇街代码": "附城镇",
                                       "经度": None, "纬度": None, "位置精度": None})])
    assert leizhou.ok, messages(leizhou)
    assert leizhou.ledger.frames["villages"][["code", "town_code"]].values.tolist() == [["440882117202", "440882117"]]
    unknown_county = check(store, [village(**{"村代码": None, "县区代码": None, "镇街代码": "附城镇"})])
    found = " ".join(messages(unknown_county, "镇街"))
    assert "440823115" in found and "440882117" in found and "县区" in found


def test_a_town_name_column_fills_a_blank_town_code_and_must_agree_with_a_written_one(store):
    header = [*HEADER[:4], "镇街名称", *HEADER[4:]]

    def with_name(name, **changes):
        row = village(**changes)
        return [*row[:4], name, *row[4:]]

    blank_code = check(store, [with_name("附城镇", **{"村代码": None, "镇街代码": None})], header=header)
    assert blank_code.ok, messages(blank_code)
    assert blank_code.ledger.frames["villages"]["town_code"].tolist() == ["440823115"]
    assert not any("镇街名称" in note for note in blank_code.ledger.notes)  # read, not ignored
    agree = check(store, [with_name("附城镇")], header=header)
    assert agree.ok, messages(agree)
    disagree = check(store, [with_name("城月镇")], header=header)
    found = " ".join(messages(disagree, "镇街"))
    assert not disagree.ok and "440823115" in found and "附城镇" in found and "城月镇" in found


def test_a_wrong_town_gives_the_closest_towns_of_its_county_with_their_codes(store):
    preview = check(store, [village(**{"村代码": None, "镇街代码": "城月新镇"})])
    found = messages(preview, "镇街")
    assert len(found) == 1 and not preview.ok, messages(preview)
    assert found[0].startswith("没有这个镇街；最接近的有：") and "城月镇（440823107）" in found[0]
    assert re.findall(r"（(\d{9})）", found[0]) and all(
        code.startswith("440823") for code in re.findall(r"（(\d{9})）", found[0]))


# --- a 村 and a 社区 of the same name in one town -------------------------------------------------
@pytest.mark.parametrize("name, code", [
    ("城月村", "440823107201"), ("城月村委会", "440823107201"), ("城月村民委员会", "440823107201"),
    ("城月社区", "440823107001"), ("城月居委会", "440823107001"), ("城月社区居民委员会", "440823107001"),
])
def test_a_name_that_says_village_or_community_picks_that_kind(store, name, code):
    preview = check(store, [village(**{"村代码": None, "村名": name, "镇街代码": None})])
    assert preview.ok, messages(preview)
    assert codes(preview) == [code]


def test_a_name_still_ambiguous_within_one_town_asks_for_the_village_code(store):
    preview = check(store, [village(**{"村代码": None, "村名": "城月", "镇街代码": "440823107"})])
    found = " ".join(messages(preview, "村名"))
    assert "多个同名村" in found and "440823107001" in found and "440823107201" in found
    assert "12 位村代码" in found and "镇街代码区分" not in found


def test_a_name_shared_by_several_towns_still_asks_for_the_code_or_the_town(store):
    preview = check(store, [village(**{"村代码": None, "村名": "新村", "镇街代码": None, "县区代码": None})])
    found = " ".join(messages(preview, "村名"))
    assert "多个同名村" in found and "镇街代码" in found


# --- speed: the index is built once ---------------------------------------------------------------
def test_unknown_names_do_not_rebuild_the_index_for_every_row(monkeypatch):
    matcher = ledger_import.VillageMatcher()
    calls = []
    original = ledger_import.village_key
    monkeypatch.setattr(ledger_import, "village_key", lambda name: calls.append(name) or original(name))
    names = [f"不存在{i}村" for i in range(200)]
    for name in names * 2:
        assert matcher.match(name, county_code="440823").code is None
    # one key per name written, none of the county's ~300 names again
    assert len(calls) <= 2 * len(names) * 2
    first = matcher.match("官湖乡村", county_code="440823")
    assert "官湖村民委员会" in first.closest and matcher.match("官湖乡村", county_code="440823") == first


@pytest.mark.parametrize("county", ["440823", "440882", None])
def test_closest_names_are_the_ones_difflib_gives_over_the_whole_county(county):
    import difflib

    units = ledger_import.geodata.village_units("440800")
    pool = units if county is None else units[units["county_code"] == county]
    keys = {ledger_import.village_key(n): n for n in pool["name"]}
    matcher = ledger_import.VillageMatcher()
    known = {ledger_import.village_key(n) for n in units["name"]}
    for name in ("官湖乡村", "北坡新村", "东风庄", "城月街村", "乌石镇村", "龙王庙", "甲乙丙"):
        assert ledger_import.village_key(name) not in known, name
        expected = tuple(keys[k] for k in difflib.get_close_matches(
            ledger_import.village_key(name), list(keys), n=3, cutoff=0.4))
        assert matcher.match(name, county_code=county).closest == expected, name


# --- progress on a long sheet ---------------------------------------------------------------------
ROWS = 12_000


def test_a_long_sheet_reports_its_progress_at_least_every_5000_rows_with_the_stage_named(store):
    lines = [",".join(HEADER)]
    for i in range(ROWS):
        row = village(**{"村代码": None, "村名": f"测试{i % 300}村"})
        lines.append(",".join(str(v) for v in row))
    calls: list[tuple[float, str]] = []
    preview = ledger.check(store, "贫困村.csv", ("\n".join(lines) + "\n").encode(), QUARTER,
                           progress=lambda share, text: calls.append((share, text)))
    assert not preview.ok  # unknown names: every row refused
    shares = [share for share, _ in calls]
    assert shares == sorted(shares) and 0 <= shares[0] and shares[-1] <= 1.0
    stages: dict[str, list[int]] = {}
    for _, text in calls:
        found = re.search(r"^(.*?)第 ([\d,]+) / ([\d,]+) 行", text)
        if found:
            assert int(found[3].replace(",", "")) == ROWS, text
            stages.setdefault(found[1], []).append(int(found[2].replace(",", "")))
    assert len(stages) >= 3, [text for _, text in calls]  # reading, matching names, positions
    for stage, done in stages.items():
        assert "贫困村" in stage, stage
        steps = [b - a for a, b in zip([0, *done], [*done, ROWS])]
        assert max(steps) <= 5_000 and done == sorted(done), (stage, done)
    assert any("村名" in stage for stage in stages) and any("位置" in stage for stage in stages)
    assert any(re.search(r"核对「贫困村」.*列", text) for _, text in calls)  # the columns, one by one
