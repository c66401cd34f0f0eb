"""One colour for one meaning on each map: what the legends say, checked as a viewer sees it."""
from __future__ import annotations

import re

import pytest

from fupin_geo import config
from fupin_geo.analysis import linkage
from fupin_geo.maps import common, industry_map, linkage_map
from fupin_geo.maps.industry_view import ViewState
from tests import mapscript
from tests.colors import DISTINCT, delta_e, legends, too_close


def test_the_measure_tells_the_known_pairs_apart():
    assert delta_e("#e66101", "#D55E00") < DISTINCT and delta_e("#009E73", "#1a9641") < DISTINCT
    assert delta_e("#0072B2", "#D55E00") > DISTINCT and delta_e("#000000", "#000000") == 0


# --- 联农带农 ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def linkage_page(dataset):
    return linkage_map.linkage_map(dataset).get_root().render()


def test_link_types_share_no_colour_with_anything_else_on_the_map(dataset, linkage_page):
    drawn = {line["color"] for line in mapscript.lines(linkage_page, "fupin-links")}
    assert drawn == {linkage_map.LINK_TYPE_COLORS[t] for t in dataset.linkages["link_type"]}
    shown = legends(linkage_page)
    lines = dict(shown["联结方式（线宽：带动农户）"])
    assert set(lines) == set(dataset.linkages["link_type"])
    others = {
        "覆盖": dict(shown["联农带农覆盖"]),
        "带动主体": {label: c for label, c in shown["带动主体"] if c},
        "未签协议": dict(shown["产业园"]),
        "选中主体的村": {"圈": linkage_map.SELECTED_COLOR},
    }
    assert set(others["覆盖"].values()) == set(config.COVERAGE_COLORS.values())
    for meaning, palette in others.items():
        assert not too_close({"联结方式": lines, meaning: palette}), meaning


def test_the_legend_names_every_kind_of_source(dataset, linkage_page):
    assert "合作社" in set(linkage.link_lines(dataset)["source_type"])  # drawn as lines from their villages
    labels = [label for label, _ in legends(linkage_page)["带动主体"]]
    for kind in config.LINK_SOURCES:
        assert any(kind in label for label in labels), kind


# --- 产业地图 ------------------------------------------------------------------------------------
# Leaflet's own panes (leafletjs.com/reference.html#map-pane): markers, then tooltips.
MARKER_PANE_Z, TOOLTIP_PANE_Z = 600, 650
POINT_LAYERS = ("aquaculture", "villages", "parks", "enterprises", "cooperatives", "processing")


@pytest.fixture(scope="module")
def industry_legends(dataset):
    page = industry_map.industry_map(dataset, ViewState(layers=POINT_LAYERS)).get_root().render()
    return legends(page)


def test_levels_and_industries_never_share_a_colour(industry_legends):
    shown = industry_legends
    levels = [dict(shown["现代农业产业园"]), dict(shown["龙头企业"])]
    assert levels[0] == levels[1]  # parks and enterprises: one scheme for the level
    assert [label[:label.index("级")] for label in levels[0]] == list(config.LEVELS)
    palettes = {"一村一品": dict(shown["一村一品类别"]), "级别": levels[0], "合作社": dict(shown["合作社"]),
                "加工企业": dict(shown["农产品加工"])}
    assert palettes["一村一品"][config.NO_INDUSTRY_LABEL] == config.NO_INDUSTRY_COLOR
    assert not too_close(palettes)


def test_aquaculture_is_told_apart_from_every_industry_but_its_own(industry_legends):
    shown = industry_legends
    others = {label: c for label, c in shown["一村一品类别"] if label != config.AQUACULTURE_CATEGORY}
    assert others and not too_close({"水产养殖": dict(shown["水产养殖"]), "其他产业": others})


def test_county_names_are_drawn_above_the_badges(dataset):
    page = industry_map.industry_map(dataset, ViewState(layers=("parks", "enterprises"))).get_root().render()
    pane = re.search(r'createPane\(\s*"' + re.escape(common.LABEL_PANE) + r'"\);\s*\S+\.style\.zIndex = (\d+);', page)
    assert pane and MARKER_PANE_Z < int(pane.group(1)) < TOOLTIP_PANE_Z
    assert "style.pointerEvents = 'none'" in page[pane.end():pane.end() + 200]  # badges below stay clickable
    names = re.search(r'pane: "' + re.escape(common.LABEL_PANE) + r'",\s*icon: L\.divIcon\(\{className: "fupin-label"',
                      page)
    assert names, "the county names are not put in their pane"
    badges = [p for p in mapscript.payloads(page) if p.class_name in ("fupin-parks", "fupin-enterprises")]
    assert badges and all("pane:" not in p.script for p in badges)  # Leaflet's marker pane
