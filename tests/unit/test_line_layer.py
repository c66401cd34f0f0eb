"""LineLayer and the 联农带农 / 短板排查 map builders: what the browser receives."""
from __future__ import annotations

import folium
import pytest

from fupin_geo import config
from fupin_geo.analysis import linkage, ranking
from fupin_geo.maps import linkage_map, ranking_map
from fupin_geo.maps.elements import LineLayer
from tests import mapscript

HOSTILE = ["![x](http://a.b/x.png)", "<img src=x onerror=alert(1)>", "{{7*7}}", "一\n二", "长" * 5000,
           "</script><script>alert(1)</script>", "{% if 1 %}x{% endif %}"]


def two_lines(names=("企业甲", "村乙", "村丙"), **options):
    return LineLayer([110.0, 110.1, 110.2], [21.0, 21.1, 21.2], list(names), [0, 0], [1, 2],
                     ["#0072B2", "#E69F00"], [1, 3.5], [["订单"], ["务工", "第二行"]],
                     name="关系", style={"opacity": 0.5}, class_name="fupin-test-lines", **options)


def test_lines_decode_as_sent():
    page = mapscript.render(two_lines())
    found = mapscript.lines(page, "fupin-test-lines")
    assert [(line["start"], line["end"]) for line in found] == [("企业甲", "村乙"), ("企业甲", "村丙")]
    assert [line["to"] for line in found] == [(110.1, 21.1), (110.2, 21.2)]
    assert [line["color"] for line in found] == ["#0072B2", "#E69F00"]
    assert [line["width"] for line in found] == [1, 3.5]
    assert [line["tip"] for line in found] == [["订单"], ["务工", "第二行"]]
    # a shared end is sent once
    (data, style), = mapscript.line_payloads(page)
    assert data["name"].count("企业甲") == 1 and style["className"] == "fupin-test-lines"


def test_hostile_names_stay_text():
    layer = LineLayer([110.0] * len(HOSTILE), [21.0] * len(HOSTILE), HOSTILE, [0] * 6, list(range(1, 7)),
                      ["#000000"] * 6, [1] * 6, [[h] for h in HOSTILE[1:]], name="n", style={}, class_name="c")
    page = mapscript.render(layer)
    assert "<img src=x" not in page and "</script><script>alert" not in page
    assert "{{7*7}}" not in page and "{% if" not in page  # sent as \u007b: no template sees them
    (data, _), = mapscript.line_payloads(page)
    assert data["name"] == HOSTILE  # exactly the text, decoded
    assert "textContent" in mapscript.element_script(layer) and "innerHTML" not in mapscript.element_script(layer)


@pytest.mark.parametrize("change, message", [
    (dict(colors=["red", "#000000"]), "#rrggbb"),
    (dict(ends=[1, 7]), "node indices"),
    (dict(widths=[1]), "differ in length"),
])
def test_bad_input_is_refused(change, message):
    args = dict(xs=[110.0, 110.1, 110.2], ys=[21.0, 21.1, 21.2], names=["a", "b", "c"], starts=[0, 0],
                ends=[1, 2], colors=["#000000", "#000000"], widths=[1, 2], tips=[[], []])
    args.update(change)
    with pytest.raises(ValueError, match=message):
        LineLayer(**args, name="n", style={}, class_name="c")


def test_many_lines_go_on_a_canvas():
    n = 3001
    layer = LineLayer([110.0, 110.1], [21.0, 21.1], ["a", "b"], [0] * n, [1] * n, ["#000000"] * n, [1] * n,
                      [[]] * n, name="n", style={}, class_name="c")
    assert "L.canvas(" in mapscript.element_script(layer)
    assert "L.canvas(" not in mapscript.element_script(two_lines())


# --- the 联农带农 map ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def linkage_page(dataset):
    return linkage_map.linkage_map(dataset, selected=("企业", "E01")).get_root().render()


def test_every_linkage_is_one_line_coloured_by_its_type(dataset, linkage_page):
    found = mapscript.lines(linkage_page, "fupin-links")
    assert len(found) == len(dataset.linkages)
    expected = sorted(linkage_map.LINK_TYPE_COLORS[t] for t in dataset.linkages["link_type"])
    assert sorted(line["color"] for line in found) == expected
    biggest = dataset.linkages["households"].max()
    assert max(line["width"] for line in found) == (
        1 + linkage_map.LINE_EXTRA_PX if biggest >= linkage_map.LINE_FULL_HOUSEHOLDS
        else pytest.approx(1 + 5 * (biggest / 200) ** 0.5, abs=0.05))


def test_villages_are_coloured_by_coverage(dataset, linkage_page):
    points = mapscript.features(linkage_page, "fupin-coverage")
    assert len(points) == len(dataset.villages)
    coverage = linkage.village_coverage(dataset)["coverage"]
    by_code = {p["properties"]["code"]: p["properties"]["color"] for p in points}
    assert all(by_code[code] == config.COVERAGE_COLORS[cls] for code, cls in coverage.items())


def test_unsigned_park_villages_are_ringed(dataset, linkage_page):
    scope = dataset.park_villages
    unsigned = set(scope.loc[~scope["agreement_signed"], "village_code"])
    assert unsigned, "the demo should have park villages without an agreement"
    ringed = {f["properties"]["code"] for f in mapscript.features(linkage_page, "fupin-unsigned")}
    assert ringed == unsigned


def test_the_selected_enterprise_shows_its_villages(dataset, linkage_page):
    mine = dataset.linkages[(dataset.linkages["source_type"] == "企业") & (dataset.linkages["source_id"] == "E01")]
    heavy = mapscript.lines(linkage_page, "fupin-selected-links")
    assert len(heavy) == len(mine) and {line["start"] for line in heavy} == set(
        dataset.enterprises.loc[dataset.enterprises["id"] == "E01", "name"])
    ringed = {f["properties"]["code"] for f in mapscript.features(linkage_page, "fupin-selected-villages")}
    assert ringed == set(mine["village_code"])


def test_the_base_map_does_not_depend_on_the_choices(dataset):
    assert linkage_map.base_map().get_root().render().count("L.polyline") == 0
    a = linkage_map.layers(dataset)
    b = linkage_map.layers(dataset, selected=("企业", "E02"))
    assert len(b) == len(a) + 1 and all(isinstance(g, folium.FeatureGroup) for g in a + b)


def test_source_at_finds_a_clicked_enterprise(dataset):
    row = dataset.enterprises.iloc[3]
    assert linkage_map.source_at(dataset, row["lat"], row["lon"]) == ("企业", row["id"])
    assert linkage_map.source_at(dataset, 25.0, 100.0) is None


# --- the 短板排查 map ----------------------------------------------------------------------------
def test_ranking_layers(dataset):
    ranked = ranking.rank(dataset)
    top = ranked.head(7)
    site = (float(top.iloc[0]["lon"]), float(top.iloc[0]["lat"]))
    reached = ranking.reached(top, *site, 10)
    suggested = ranking.suggest_sites(ranking.candidate_sites(dataset), top, 2, 5)
    page = mapscript.render(ranking_map.score_layer(ranked), ranking_map.top_layer(top),
                            ranking_map.candidate_layer(*site, 10, reached),
                            ranking_map.suggestion_layer(suggested, top, 5))
    scores = mapscript.features(page, "fupin-scores")
    assert len(scores) == len(ranked)
    tips = mapscript.tip_lines(page, "fupin-scores")
    first = ranked.iloc[0]
    assert tips[first["code"]][0].startswith("第 1 名 ") and tips[first["code"]][2:] == first["reason"].split("；")
    assert [f["properties"]["code"] for f in mapscript.features(page, "fupin-top")] == top["code"].tolist()
    assert '"1"' in page and '"7"' in page  # rank labels
    assert {f["properties"]["code"] for f in mapscript.features(page, "fupin-reached")} == set(reached["code"])
    assert first["code"] in set(reached["code"])
    suggested_codes = [c for s in suggested for c in s["codes"]]
    drawn = mapscript.features(page, "fupin-suggested")
    assert sorted(f["properties"]["code"] for f in drawn) == sorted(suggested_codes)
    assert page.count("L.circle(") == 1 + len(suggested)  # one radius circle per site


def test_no_candidate_no_layer():
    assert ranking_map.candidate_layer(None, None, 5, None) is None
    assert ranking_map.suggestion_layer([], None, 5) is None
