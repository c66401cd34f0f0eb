"""Property-based tests (hypothesis) of the coordinate parser, the village name matcher and the
column-wise validation."""
from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fupin_geo.data import geodata, schema
from fupin_geo.data.coordinates import CoordinateError, parse_coordinate
from fupin_geo.data.ledger_import import RURAL, VillageMatcher, village_key, village_kind

UNITS = geodata.village_units("440800")
MATCHER = VillageMatcher(UNITS)


@given(st.integers(0, 179), st.integers(0, 59), st.integers(0, 59),
       st.sampled_from(["{d}°{m}′{s}″", "{d} {m} {s}", "{d}度{m}分{s}秒", "{d}°{m}'{s}\"", "{d}:{m}:{s}"]))
def test_degrees_minutes_seconds_in_every_spelling(d, m, s, spelling):
    text = spelling.format(d=d, m=m, s=s)
    assert parse_coordinate(text) == pytest.approx(d + m / 60 + s / 3600, abs=1e-9)


@given(st.floats(-180, 180, allow_nan=False))
def test_decimal_degrees_as_numbers_and_text(value):
    assert parse_coordinate(value) == value
    assert parse_coordinate(f"{value!r}") == pytest.approx(value) if "e" not in repr(value) else True


@given(st.text(max_size=30))
def test_any_text_is_a_coordinate_or_a_chinese_error(text):
    try:
        result = parse_coordinate(text)
    except CoordinateError as error:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error))
    else:
        assert result is None or isinstance(result, float)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(UNITS) - 1),
       st.sampled_from(["{full}", "{short}村委会", "{short}村民委员会", "{short}", " {full} "]))
@example(UNITS["code"].tolist().index("440823107001"), "{short}村委会")  # 城月社区居民委员会
def test_every_village_is_found_by_its_name_and_town_whatever_the_suffix(index, spelling):
    unit = UNITS.iloc[index]
    name = spelling.format(full=unit["name"], short=unit["short_name"])
    match = MATCHER.match(name, town_code=unit["town_code"])
    if match.code is not None and match.code != unit["code"]:
        # a 社区 written as 村委会 where its town also has a 村 of that name: the name says 村
        twin = UNITS.set_index("code").loc[match.code]
        assert village_kind(name) == RURAL != village_kind(unit["name"]) and village_kind(twin["name"]) == RURAL
        assert (twin["town_code"], village_key(twin["name"])) == (unit["town_code"], village_key(unit["name"]))
    elif match.code is None:
        assert any(unit["code"] in c for c in match.candidates)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="的一是不了人我在有他这为之大来以个中上们", min_size=1, max_size=6))
def test_unknown_names_give_candidates_or_closest_names_never_a_wrong_unique_code(name):
    match = MATCHER.match(name + "庄园")
    if match.code is not None:
        assert village_key(UNITS.set_index("code").loc[match.code, "name"]) == village_key(name + "庄园")


# --- schema.coerce_column: the column-wise fast path gives exactly what _coerce gives ----------
_CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=14), st.sampled_from(["440823", "440823115207", " 是 ", "否", "85%", "近似", "\u200b1\u200b",
                                           "2019Q4", "POINT (110.1 21.2)", "\x00", "1e3", "12.0", " 7 "]),
)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([c for e in schema.ENTITIES for c in e.all_columns]), st.lists(_CELLS, max_size=12))
def test_coerce_column_is_coerce_of_each_cell(column, cells):
    values, problems = schema.coerce_column(cells, column)
    for position, cell in enumerate(cells):
        value, problem = schema._coerce(cell, column)
        assert problems.get(position) == problem, (cell, column.name)
        assert _same(values[position], value), (cell, column.name, values[position], value)


_TRICKY = [None, "", " ", "\u200b", "\u200b是\u200b", " 440823 ", "\ufeff2019Q4", True, False, 0, 1, -1, 2**63, 1.0,
           0.5, 1.5, -0.0, float("nan"), float("inf"), 2.0**70, "1", "0.85", "是", "否", "x", "近似", "生产", "\x00",
           "\ud800", "440823115207", "POINT (110.1 21.2)", "POLYGON EMPTY"]


def test_coerce_column_on_tricky_cells_of_every_column():
    for column in {c for e in schema.ENTITIES for c in e.all_columns}:
        values, problems = schema.coerce_column(_TRICKY, column)
        for position, cell in enumerate(_TRICKY):
            value, problem = schema._coerce(cell, column)
            assert problems.get(position) == problem, (cell, column.name)
            assert _same(values[position], value), (cell, column.name, values[position], value)
