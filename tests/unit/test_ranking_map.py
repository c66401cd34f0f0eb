"""The 短板排查 map's colour classes and extent: fitted to the villages shown."""
from __future__ import annotations

import json
import re

from fupin_geo import config
from fupin_geo.analysis import ranking
from fupin_geo.analysis.filters import VillageFilter
from fupin_geo.data import geodata
from fupin_geo.geo.display import fit_view
from fupin_geo.maps import ranking_map
from tests import mapscript

SUIXI = "440823"
PROJECTOR_MAP_PX = 470  # the map's width at 1280×720 with the sidebar open (476 px measured in Chromium)


def suixi(dataset):
    return ranking.rank(dataset, scope=VillageFilter(counties=(SUIXI,)))


def legend_entries(page: str, title_start: str) -> list[str]:
    """The labels of the legend whose title starts so."""
    for raw in re.findall(r"div\.innerHTML = (\"(?:[^\"\\]|\\.)*\")", page):
        markup = json.loads(raw)
        if re.match(rf"<b>{re.escape(title_start)}", markup):
            return re.findall(r"</span>([^<]*)</div>", markup)
    raise AssertionError(f"no legend {title_start}")


def test_every_class_is_used_for_a_county_whose_scores_are_all_low(dataset):
    ranked = suixi(dataset)
    assert ranked["score"].max() < 40  # what made every village the palest colour under fixed classes
    page = mapscript.render(ranking_map.score_layer(ranked))
    colors = [f["properties"]["color"] for f in mapscript.features(page, "fupin-scores")]
    assert set(colors) == set(ranking_map.SCORE_COLORS)
    by_code = dict(zip(ranked["code"], colors))
    assert by_code[ranked.iloc[0]["code"]] == ranking_map.SCORE_COLORS[-1]  # the worst shown: darkest
    assert by_code[ranked.iloc[-1]["code"]] == ranking_map.SCORE_COLORS[0]
    # about a fifth of the villages in each class
    counts = [colors.count(c) for c in ranking_map.SCORE_COLORS]
    assert max(counts) - min(counts) <= len(ranked) // 5


def test_the_legend_states_the_class_bounds_of_the_scores_shown(dataset):
    ranked = suixi(dataset)
    page = mapscript.render(ranking_map.score_layer(ranked))
    labels = legend_entries(page, "短板得分")
    assert len(labels) == len(ranking_map.SCORE_COLORS)
    bounds = [tuple(float(x) for x in label.split("–")) for label in labels]
    assert bounds[0][0] == round(ranked["score"].min(), 1) and bounds[-1][1] == round(ranked["score"].max(), 1)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))  # classes follow each other
    for code, score, color in zip(ranked["code"], ranked["score"],
                                  [f["properties"]["color"] for f in mapscript.features(page, "fupin-scores")]):
        low, high = bounds[ranking_map.SCORE_COLORS.index(color)]
        assert low <= round(score, 1) <= high, code


def test_few_distinct_scores_get_the_darkest_classes():
    breaks = ranking_map.score_breaks([10.0, 10.0, 10.0, 30.0])
    assert breaks == [10.0, 30.0]
    assert ranking_map.score_color(30.0, breaks) == ranking_map.SCORE_COLORS[-1]
    assert ranking_map.score_color(10.0, breaks) == ranking_map.SCORE_COLORS[-2]


def test_the_map_fits_the_chosen_county(dataset):
    ranked = suixi(dataset)
    lat, lon, zoom = ranking_map.focus_view(ranked)
    minx, miny, maxx, maxy = geodata.counties(config.ZHANJIANG).set_index("adcode").loc[SUIXI].geometry.bounds
    assert minx < lon < maxx and miny < lat < maxy
    city_zoom = fit_view(tuple(geodata.city_outline(config.ZHANJIANG).bounds))[2]
    assert zoom > city_zoom


def test_the_whole_county_fits_the_narrow_map_of_a_projector_screen(dataset):
    """At 1280×720 the map is about 470 px wide: every ranked village must be inside it."""
    import math

    ranked = suixi(dataset)
    lat, lon, zoom = ranking_map.focus_view(ranked)
    scale = 256 * 2 ** zoom / 360  # px per degree of longitude at this zoom
    half_width = PROJECTOR_MAP_PX / 2
    assert ((ranked["lon"] - lon).abs() * scale).max() < half_width

    def y(lat_deg):  # Web Mercator y in px at this zoom
        return 256 * 2 ** zoom * (1 - math.log(math.tan(math.radians(lat_deg)) + 1 / math.cos(math.radians(lat_deg)))
                                  / math.pi) / 2
    assert max(abs(y(v) - y(lat)) for v in ranked["lat"]) < config.MAP_HEIGHT / 2
