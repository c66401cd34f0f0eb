"""One colour for one meaning on each map: what the legends say, checked as a viewer sees it."""
from __future__ import annotations

import pytest

from fupin_geo import config
from fupin_geo.analysis import linkage
from fupin_geo.maps import linkage_map
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
