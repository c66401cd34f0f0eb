"""view_state: the 产业地图's view as URL query parameters, parsed forgivingly."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest

from fupin_geo import config
from fupin_geo.maps import industry_view as view_state
from fupin_geo.maps.industry_view import DEFAULT_LAYERS, LAYERS, MEASURES, ViewState, from_query
from fupin_geo.geo import basemaps

SUIXI, XUWEN = "440823", "440825"
GUANHU = "440823115207"
KNOWN = {"counties": {SUIXI, XUWEN, "440882"}, "towns": {"440823115", "440823101"},
         "categories": set(config.PRODUCT_CATEGORIES), "products": {"火龙果", "对虾", "菠萝"}}

STATES = [
    ViewState(),
    ViewState(counties=(SUIXI,)),
    ViewState(counties=(SUIXI, XUWEN), towns=("440823115",)),
    ViewState(categories=("种植", "水产"), products=("火龙果",)),
    ViewState(layers=()),
    ViewState(layers=("villages",)),
    ViewState(layers=tuple(LAYERS)),
    ViewState(layers=("villages", "parks"), basemap="amap"),
    *(ViewState(basemap=key) for key in basemaps.BASEMAPS),
    *(ViewState(layers=("choropleth",), measure=key) for key in MEASURES),
    ViewState(view=(21.2, 110.1, 11.0)),
    ViewState(view=(20.91234, 110.08765, 12.5)),
    ViewState(view=(-33.5, -70.25, config.MIN_ZOOM)),
    ViewState(village=GUANHU),
    ViewState(counties=(SUIXI,), products=("火龙果",), layers=("villages", "parks"), basemap="amap",
              measure="poor_households", view=(21.2, 110.1, 11.0), village=GUANHU),
]


@pytest.mark.parametrize("state", STATES, ids=lambda s: urlencode(s.to_query()) or "default")
def test_round_trip(state):
    query = state.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    back = from_query(query, KNOWN)
    assert back == state and back.problems == ()
    # and through a real URL (what a person copies), without the known-values check
    assert from_query(dict(parse_qsl(urlencode(query), keep_blank_values=True))) == state


def test_defaults_give_an_empty_query():
    assert ViewState().to_query() == {}
    assert ViewState(layers=DEFAULT_LAYERS, basemap=basemaps.DEFAULT_BASEMAP).to_query() == {}
    assert from_query({}) == ViewState() and from_query({}).problems == ()
    assert ViewState().layers == ("aquaculture", "villages", "parks", "enterprises")
    assert ViewState().basemap == "offline" and ViewState().measure == "villages"


def test_only_what_differs_from_the_default_is_written():
    query = ViewState(counties=(SUIXI, XUWEN), basemap="osm").to_query()
    assert query == {"county": f"{SUIXI},{XUWEN}", "basemap": "osm"}
    assert ViewState(layers=()).to_query() == {"layers": ""}  # "no layer" differs from the default
    assert ViewState(view=(21.2, 110.1, 11)).to_query() == {"view": "21.20000,110.10000,11"}


def test_problems_do_not_make_states_unequal():
    assert ViewState(problems=("county=1",)) == ViewState()


# --- forgiving parsing -----------------------------------------------------------------------------
@pytest.mark.parametrize("params, expected, problems", [
    ({"county": "999999"}, ViewState(), ["county=999999"]),
    ({"county": f"999999,{SUIXI}"}, ViewState(counties=(SUIXI,)), ["county=999999"]),
    ({"town": "440823999"}, ViewState(), ["town=440823999"]),
    ({"cat": "矿业,种植"}, ViewState(categories=("种植",)), ["cat=矿业"]),
    ({"product": "榴莲"}, ViewState(), ["product=榴莲"]),
    ({"layers": "villages,roads"}, ViewState(layers=("villages",)), ["layers=roads"]),
    ({"layers": "<script>"}, ViewState(), ["layers=<script>"]),  # none usable: the default layers
    ({"layers": ""}, ViewState(layers=()), []),
    ({"basemap": "google"}, ViewState(), ["basemap=google"]),
    ({"basemap": ""}, ViewState(), ["basemap="]),
    ({"measure": "gdp"}, ViewState(), ["measure=gdp"]),
    ({"view": "abc"}, ViewState(), ["view=abc"]),
    ({"view": "21.2,110.1"}, ViewState(), ["view=21.2,110.1"]),
    ({"view": "21.2,110.1,11,4"}, ViewState(), ["view=21.2,110.1,11,4"]),
    ({"view": "95,110.1,11"}, ViewState(), ["view=95,110.1,11"]),
    ({"view": "21.2,190,11"}, ViewState(), ["view=21.2,190,11"]),
    ({"view": "21.2,110.1,-3"}, ViewState(), ["view=21.2,110.1,-3"]),
    ({"view": "nan,nan,11"}, ViewState(), ["view=nan,nan,11"]),
    ({"village": "44082311520"}, ViewState(), ["village=44082311520"]),
    ({"village": "4408231152077"}, ViewState(), ["village=4408231152077"]),
    ({"village": "guanhu"}, ViewState(), ["village=guanhu"]),
    ({"village": "<img src=x>"}, ViewState(), ["village=<img src=x>"]),
    ({"county": "999999", "basemap": "google", "village": "x", "view": "1,2"}, ViewState(),
     ["county=999999", "basemap=google", "view=1,2", "village=x"]),
])
def test_bad_values_are_dropped_and_reported(params, expected, problems):
    state = from_query(params, KNOWN)
    assert state == expected
    assert sorted(state.problems) == sorted(problems)


def test_unknown_parameters_are_ignored():
    state = from_query({"utm_source": "wechat", "county": SUIXI}, KNOWN)
    assert state == ViewState(counties=(SUIXI,)) and state.problems == ()


def test_layers_are_checked_even_without_known_values():
    state = from_query({"layers": "villages,roads", "county": "999999"})
    assert state.layers == ("villages",) and state.counties == ("999999",)
    assert state.problems == ("layers=roads",)


def test_lists_are_deduplicated_and_empty_items_skipped():
    state = from_query({"county": f"{SUIXI},,{SUIXI},{XUWEN},", "layers": "parks,,parks"}, KNOWN)
    assert state.counties == (SUIXI, XUWEN) and state.layers == ("parks",) and state.problems == ()


def test_repeated_parameters_use_the_last_value():
    state = from_query({"basemap": ["osm", "amap"], "county": [XUWEN, SUIXI]}, KNOWN)
    assert state.basemap == "amap" and state.counties == (SUIXI,)
    assert from_query({"county": []}, KNOWN).counties == ()


@pytest.mark.parametrize("zoom, clamped", [
    ("1", config.MIN_ZOOM), ("0", config.MIN_ZOOM), (str(config.MIN_ZOOM), config.MIN_ZOOM),
    ("11", 11), ("11.25", 11.25), (str(config.MAX_ZOOM), config.MAX_ZOOM), ("19", config.MAX_ZOOM),
    ("300", config.MAX_ZOOM),
])
def test_zoom_is_clamped_to_the_maps_range(zoom, clamped):
    state = from_query({"view": f"21.2,110.1,{zoom}"})
    assert state.view == (21.2, 110.1, clamped) and state.problems == ()


def test_view_keeps_five_decimals():
    assert view_state.format_view(21.123456789, 110.987654321, 11.0) == "21.12346,110.98765,11"
    assert view_state.format_view(21.2, 110.1, 12.5) == "21.20000,110.10000,12.5"
    assert from_query({"view": "21.12346,110.98765,11"}).view == (21.12346, 110.98765, 11)


def test_every_field_is_known():
    assert view_state.FIELDS == ["counties", "towns", "categories", "products", "layers", "basemap", "measure", "gap",
                                 "view", "village", "problems"]
