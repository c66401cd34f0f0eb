"""Property-based tests (hypothesis) of the coordinate parser and the village name matcher."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_geo.data import geodata
from fupin_geo.data.coordinates import CoordinateError, parse_coordinate
from fupin_geo.data.ledger_import import VillageMatcher

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
def test_every_village_is_found_by_its_name_and_town_whatever_the_suffix(index, spelling):
    unit = UNITS.iloc[index]
    name = spelling.format(full=unit["name"], short=unit["short_name"])
    match = MATCHER.match(name, town_code=unit["town_code"])
    if match.code is not None:
        assert match.code == unit["code"]
    else:
        assert any(unit["code"] in c for c in match.candidates)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="的一是不了人我在有他这为之大来以个中上们", min_size=1, max_size=6))
def test_unknown_names_give_candidates_or_closest_names_never_a_wrong_unique_code(name):
    match = MATCHER.match(name + "庄园")
    if match.code is not None:
        from fupin_geo.data.ledger_import import village_key
        assert village_key(UNITS.set_index("code").loc[match.code, "name"]) == village_key(name + "庄园")
