"""Cells as clerks type them: √/×/有/无 in yes/no columns, blank yes/no cells, numbers with
thousands separators and units, and shares typed as percentages without the % sign."""
from __future__ import annotations

import pytest

from fupin_geo.data import ledger
from fupin_geo.data.ledger_import import validate_workbook
from fupin_geo.data.spreadsheet import read
from tests.ledger_rows import HEADER, QUARTER, check, problems, village, xlsx


@pytest.fixture
def store(q4_store):
    return q4_store


# 槟榔村 (遂溪县 河头镇) is a demo village that is a 干净整洁村 and a 新农村示范村 in the base
# quarter; 白水村 (遂溪县 附城镇) is a real village unit the demo quarter does not have.
BINGLANG = {"村代码": "440823102216", "村名": "槟榔村", "镇街代码": "440823102"}
BAISHUI = {"村代码": "440823115200", "村名": "白水村", "镇街代码": "440823115"}


def villages(store, *rows):
    return check(store, xlsx({"贫困村": [HEADER, *rows]}))


def stored(preview, code: str):
    assert preview.ok, problems(preview)
    return preview.dataset.villages.set_index("code").loc[code]


# --- yes/no -----------------------------------------------------------------------------------
@pytest.mark.parametrize("yes, no", [("√", "×"), ("✓", "✗"), ("有", "无"), ("√", "✘"), ("有", "没有")])
def test_ticks_crosses_and_you_wu_are_yes_and_no(store, yes, no):
    preview = villages(store, village(**{"干净整洁村": yes, "新农村示范村": no, "农田水利项目": f" {yes} "}))
    guanhu = stored(preview, "440823115207")
    assert (guanhu["clean_village"], guanhu["model_village"], guanhu["irrigation_project"]) == (True, False, True)


def test_a_blank_yes_no_cell_keeps_the_existing_record_value(store):
    preview = villages(store, village(**BINGLANG, **{"干净整洁村": None, "新农村示范村": " ", "农田水利项目": "否"}))
    binglang = stored(preview, "440823102216")
    assert binglang["clean_village"] and binglang["model_village"]  # True in the base quarter
    assert not [p for p in problems(preview) if p[2] in ("干净整洁村", "新农村示范村")]


def test_a_blank_yes_no_cell_keeps_the_value_of_a_village_matched_by_name(store):
    preview = villages(store, village(**{**BINGLANG, "村代码": None, "干净整洁村": None}))
    assert stored(preview, "440823102216")["clean_village"]


def test_a_blank_yes_no_cell_of_a_new_record_is_an_error_not_a_silent_no(store):
    preview = villages(store, village(**BINGLANG), village(**BAISHUI, **{"干净整洁村": None}))
    assert not preview.ok
    assert ("错误", 3, "干净整洁村", "「干净整洁村」没有填写；应填 是 或 否（√/×、有/无 也可以）") in problems(preview)


def test_without_a_base_dataset_a_blank_yes_no_cell_is_an_error():
    data = xlsx({"贫困村": [HEADER, village(**{"农田水利项目": None})]})
    checked = validate_workbook(read("台账.xlsx", data), QUARTER, previous=None)
    assert [(p.level, p.row, p.column) for p in checked.problems if p.column == "农田水利项目"] == \
        [("错误", 2, "农田水利项目")]


def test_stored_data_still_reads_a_blank_yes_no_as_no():
    from fupin_geo.data import schema

    assert schema._coerce(None, schema.VILLAGES.column("clean_village")) == (False, None)


# --- numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["1,156", "１，１５６", " 1,156 "])
def test_thousands_separators_are_read(store, typed):
    preview = villages(store, village(**{"总户数": typed}))
    assert stored(preview, "440823115207")["households"] == 1156
    assert not [p for p in problems(preview) if p[2] == "总户数"]


def test_units_are_dropped_with_one_hint_per_column(store):
    rows = [village(**{"总户数": "500户", "贫困人口": "150 人"}),
            village(**{**BINGLANG, "总户数": "1,156户", "贫困人口": 150}),
            village(**{**BAISHUI, "总户数": "83 户"})]
    preview = villages(store, *rows)
    assert stored(preview, "440823115200")["households"] == 83
    assert stored(preview, "440823102216")["households"] == 1156
    hints = [p for p in problems(preview) if p[0] == "提示"]
    households = [p for p in hints if p[2].startswith("总户数")]
    assert len(households) == 1 and "“户”" in households[0][3] and "3 个单元格" in households[0][3]
    people = [p for p in hints if p[2].startswith("贫困人口")]
    assert len(people) == 1 and "“人”" in people[0][3] and "1 个单元格" in people[0][3]


def test_units_of_amounts_and_areas_are_read(store):
    from fupin_geo.data.ledger_import import _convert_cell
    from fupin_geo.data import schema

    area = schema.AQUACULTURE.column("area_mu")
    amount = schema.COOPERATION_PROJECTS.column("amount_wan")
    assert _convert_cell("1,156亩", area, QUARTER)[:2] == ("1156", None)
    assert _convert_cell("12.5万元", amount, QUARTER)[:2] == ("12.5", None)
    # a unit the column is not counted in is not silently dropped
    value, problem, _ = _convert_cell("125000元", amount, QUARTER)
    assert problem and "万元" in problem


def test_a_wrong_unit_is_an_error(store):
    preview = villages(store, village(**{"总户数": "500人"}))
    assert not preview.ok
    assert any(p[2] == "总户数" and "以户为单位" in p[3] for p in problems(preview) if p[0] == "错误")


# --- shares -----------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", [99.1, "99.1"])
def test_a_share_above_one_is_read_as_a_percentage_with_a_hint(store, typed):
    preview = villages(store, village(**{"无害化卫生户厕普及率": typed}))
    assert stored(preview, "440823115207")["toilet_rate"] == pytest.approx(0.991)
    hint = [p for p in problems(preview) if p[2].startswith("无害化卫生户厕普及率")]
    assert hint == [("提示", 2, hint[0][2], "填的是 99.1，按百分数读作 99.1%；此列可填 0–1 的小数或 0–100%")]


def test_shares_typed_as_percentages_in_many_rows_give_one_hint(store):
    rows = [village(**{"村代码": code, "村名": name, "无害化卫生户厕普及率": share}) for code, name, share in
            (("440823115207", "官湖村", 85), ("440823115201", "四九村", 90.5), ("440823115200", "白水村", 0.7))]
    preview = villages(store, *rows)
    assert preview.ok, problems(preview)
    hints = [p for p in problems(preview) if p[2].startswith("无害化卫生户厕普及率")]
    assert len(hints) == 1 and hints[0][1] == 2
    assert "按百分数读作 85%（本列共 2 个这样的单元格，都已按百分数读入）" in hints[0][3]
    assert stored(preview, "440823115201")["toilet_rate"] == pytest.approx(0.905)
    assert stored(preview, "440823115200")["toilet_rate"] == pytest.approx(0.7)


@pytest.mark.parametrize("typed, expected", [(0.85, 0.85), ("85%", 0.85), ("８５％", 0.85), (1, 1.0), (0, 0.0)])
def test_shares_from_zero_to_one_and_percent_signs_read_as_before(store, typed, expected):
    preview = villages(store, village(**{"无害化卫生户厕普及率": typed}))
    assert stored(preview, "440823115207")["toilet_rate"] == pytest.approx(expected)
    assert not [p for p in problems(preview) if p[2].startswith("无害化卫生户厕普及率")]


def test_a_share_above_one_hundred_is_an_error_that_says_what_is_expected(store):
    preview = villages(store, village(**{"无害化卫生户厕普及率": 120}))
    assert not preview.ok
    [message] = [p[3] for p in problems(preview) if p[2].startswith("无害化卫生户厕普及率")]
    assert "120" in message and "0–1 的小数或 0–100%" in message


def test_commit_of_cells_read_leniently_stores_clean_values(store):
    preview = villages(store, village(**{"总户数": "1,156户", "干净整洁村": "√", "无害化卫生户厕普及率": 99.1}))
    ledger.commit(store, preview, user="clerk")
    saved = store.load(QUARTER).villages.set_index("code").loc["440823115207"]
    assert saved["households"] == 1156 and saved["clean_village"] and saved["toilet_rate"] == pytest.approx(0.991)
