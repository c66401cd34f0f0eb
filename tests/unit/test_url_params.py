"""url_params: every URL parameter's parser takes only what a page can use and answers None
(or drops the item) for anything else, hostile values included, without an error."""
from __future__ import annotations

import pytest

from fupin_geo import config
from fupin_geo.analysis import url_params
from fupin_geo.maps import industry_view as view_state
from fupin_geo.maps.industry_view import ViewState, from_query

SUIXI = "440823"
GUANHU = "440823115207"
HOSTILE = {
    "superscript two": "²",
    "arabic-indic four": "٤",
    "5,000 digits": "9" * 5_000,
    "minus one": "-1",
    "exponent": "1e3",
    "full-width digits": "２０１９",
    "newline": "2019\n",
    "html": "<img src=x onerror=alert(1)>",
    "template": "{{7*7}}",
    "5,000 characters": "测" * 5_000,
    "empty": "",
    "none": None,
    "empty list": [],
}
ids = list(HOSTILE)
values = list(HOSTILE.values())


@pytest.mark.parametrize("value", values, ids=ids)
def test_year_refuses_hostile_values(value):
    assert url_params.year(value) is None
    assert url_params.year(value, [2017, 2018, 2019]) is None


@pytest.mark.parametrize("value", values, ids=ids)
def test_quarter_refuses_hostile_values(value):
    assert url_params.quarter(value) is None
    assert url_params.quarter(value, ["2019Q4"]) is None


@pytest.mark.parametrize("value", values, ids=ids)
def test_codes_refuse_hostile_values(value):
    assert url_params.county(value) is None and url_params.county(value, {SUIXI}) is None
    assert url_params.town(value) is None
    assert url_params.village(value) is None


@pytest.mark.parametrize("value", values, ids=ids)
def test_choices_and_lists_refuse_hostile_values(value):
    assert url_params.choice(value, {"both", config.LIUZHOU}) is None
    assert url_params.layers(value, view_state.LAYERS)[0] == ()
    assert url_params.counties(value)[0] == ()
    assert url_params.names(value, set(config.FLOW_UNITS))[0] == ()


@pytest.mark.parametrize("value", values, ids=ids)
def test_extent_refuses_hostile_values(value):
    assert url_params.extent(value, config.MIN_ZOOM, config.MAX_ZOOM) is None
    hostile = "" if value is None or isinstance(value, list) else value
    places = [f"21.2,110.1,{hostile}"]  # a zoom is never negative; a latitude may be -1
    places += [f"{hostile},110.1,11", f"21.2,{hostile},11"] if hostile != "-1" else []
    for text in places:
        assert url_params.extent(text, config.MIN_ZOOM, config.MAX_ZOOM) is None, text


def test_good_values_are_read():
    assert url_params.year("2019") == 2019 and url_params.year(["2018", "2019"], [2019]) == 2019
    assert url_params.year("2016", [2017, 2018]) is None
    assert url_params.quarter("2019Q4") == "2019Q4" and url_params.quarter("2019Q5") is None
    assert url_params.county(SUIXI) == SUIXI and url_params.county(SUIXI, {"440825"}) is None
    assert url_params.village(GUANHU) == GUANHU
    assert url_params.choice("both", {"both"}) == "both"
    assert url_params.layers("parks,roads,,parks", view_state.LAYERS) == (("parks",), ("roads",))
    assert url_params.extent("21.20000,110.10000,12.5", config.MIN_ZOOM, config.MAX_ZOOM) == (21.2, 110.1, 12.5)
    assert url_params.extent("-33.5,-70.25,300", config.MIN_ZOOM, config.MAX_ZOOM) == (-33.5, -70.25, config.MAX_ZOOM)


def test_too_long_values_are_not_read():
    assert url_params.one("x" * url_params.MAX_VALUE_CHARS) is not None
    assert url_params.one("x" * (url_params.MAX_VALUE_CHARS + 1)) is None
    long_list = ",".join([SUIXI] * (url_params.MAX_VALUE_CHARS // 7 + 1))
    assert url_params.counties(long_list) == ((), (long_list,))


@pytest.mark.parametrize("value", values, ids=ids)
def test_ignored_values_are_named_short_and_on_one_line(value):
    text = url_params.shown("year", value)
    assert text.startswith("year=") and "\n" not in text
    assert len(text) <= len("year=") + url_params.SHOWN_CHARS + 1


@pytest.mark.parametrize("param", ["county", "town", "cat", "product", "layers", "basemap", "measure", "gap",
                                   "view", "village"])
@pytest.mark.parametrize("value", [v for v in values if v not in ("", [])],
                         ids=[i for i, v in zip(ids, values) if v not in ("", [])])
def test_the_industry_view_drops_every_hostile_value_and_names_it_briefly(param, value):
    known = {"counties": {SUIXI}, "towns": {"440823115"}, "categories": set(config.PRODUCT_CATEGORIES),
             "products": {"火龙果"}}
    state = from_query({param: value}, known)
    assert state == ViewState()
    assert state.problems and all(p.startswith(f"{param}=") and "\n" not in p
                                  and len(p) <= len(param) + 2 + url_params.SHOWN_CHARS for p in state.problems)


@pytest.mark.parametrize("params", [{"village": "٤" * 12}, {"village": "４" * 12}, {"view": "٢١,١١٠,١١"},
                                    {"view": "21.2,110.1," + "1" * 5_000}, {"county": "٤٤٠٨٢٣"}])
def test_the_industry_view_reads_ascii_digits_only(params):
    state = from_query(params)
    assert state == ViewState() and len(state.problems) == 1
