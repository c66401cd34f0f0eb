"""County names on the 湛柳协作 map: placed so that no two overlap, at every zoom the page uses,
and rendered as text by PlacedLabels."""
from __future__ import annotations

import itertools
import json

import pytest

from fupin_geo import config
from fupin_geo.maps import cooperation_map, label_placement
from fupin_geo.maps.elements import OfflineMap
from fupin_geo.maps.elements.placed_labels import PlacedLabels
from fupin_geo.maps.label_placement import DOT_PX, Placement, place, project, text_size

HOSTILE = "</script><img src=x onerror=alert(1)>"


def boxes(points, placements, zoom):
    """Each name's box in absolute pixels at `zoom`."""
    out = []
    for (lon, lat, text), p in zip(points, placements):
        x, y = project(lon, lat, zoom)
        left, top, right, bottom = p.box(*text_size(text))
        out.append((x + left, y + top, x + right, y + bottom))
    return out


def overlapping(found):
    return [(i, j) for (i, a), (j, b) in itertools.combinations(enumerate(found), 2)
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def page_zooms() -> set[float]:
    """The zooms the page opens at: both cities or one, on the page's map and shorter ones."""
    return {cooperation_map.focus(city, height)[1]
            for city in cooperation_map.CITIES for height in (config.MAP_HEIGHT, 600, 480, 400)}


def step_at(steps, zoom):
    """The placements PlacedLabels' script takes at `zoom` (the last step at or below it)."""
    chosen = steps[0][1]
    for at, placed in steps:
        if at <= zoom + 1e-6:
            chosen = placed
    return chosen


def test_names_beside_their_points_would_collide_at_the_default_zoom():
    """The crowd is real: every name east of its point overlaps another in both cities."""
    points = cooperation_map.label_items()
    zoom = cooperation_map.focus("both")[1]
    east = [label_placement.FIRST_CHOICE] * len(points)
    names = {frozenset((points[i][2], points[j][2])) for i, j in overlapping(boxes(points, east, zoom))}
    assert frozenset(("赤坎", "霞山")) in names
    assert any(len(pair & {"城中", "鱼峰", "柳南", "柳北", "柳江", "柳城"}) == 2 for pair in names)


@pytest.mark.parametrize("zoom", sorted(page_zooms() | {cooperation_map.MIN_ZOOM, 7.0, 8.0, 10.0, 12.0}))
def test_no_two_names_overlap_at_any_zoom_the_page_shows(zoom):
    points = cooperation_map.label_items()
    placed = step_at(cooperation_map.label_steps(), zoom)
    found = boxes(points, placed, zoom)
    assert overlapping(found) == []
    # and no name covers another county's point (where its arcs end)
    for i, box in enumerate(found):
        for j, (lon, lat, _) in enumerate(points):
            x, y = project(lon, lat, zoom)
            if i != j:
                assert not (box[0] < x + DOT_PX and x - DOT_PX < box[2] and box[1] < y + DOT_PX
                            and y - DOT_PX < box[3]), (points[i][2], points[j][2])


def test_steps_cover_every_zoom_from_the_lowest_and_end_with_names_beside_their_points():
    steps = cooperation_map.label_steps()
    zooms = [z for z, _ in steps]
    assert zooms[0] == cooperation_map.MIN_ZOOM
    assert all(b - a == pytest.approx(cooperation_map.LABEL_ZOOM_STEP) for a, b in zip(zooms, zooms[1:]))
    last = steps[-1][1]
    assert not any(p.leader for p in last)
    moved = [p for p in step_at(steps, cooperation_map.focus("both")[1]) if p.leader]
    assert moved  # at the default zoom some names need a leader line


def test_a_tight_crowd_gets_leaders_and_no_overlap():
    points = [(110.0 + 0.001 * k, 21.0, f"名称{k}") for k in range(8)]
    placed = place(points, 8.0)
    assert overlapping(boxes(points, placed, 8.0)) == []
    assert sum(p.leader for p in placed) >= 6
    assert place(points, 8.0) == placed  # deterministic


def test_a_name_alone_sits_east_of_its_point():
    (p,) = place([(110.0, 21.0, "遂溪")], 7.0)
    assert p == label_placement.FIRST_CHOICE == Placement(label_placement.GAP_PX, -label_placement.LINE_PX / 2, False)


def test_projection_matches_leaflet():
    # Leaflet: map.project([0, 0], 0) is (128, 128); one zoom doubles the pixels
    assert project(0.0, 0.0, 0) == pytest.approx((128.0, 128.0))
    x1, y1 = project(110.0, 21.0, 7)
    x2, y2 = project(110.0, 21.0, 8)
    assert (x2, y2) == pytest.approx((2 * x1, 2 * y1))


def test_placed_labels_send_names_as_data_never_markup():
    steps = [(6.0, [Placement(3.0, -8.0, False), Placement(10.0, 20.0, True)])]
    labels = PlacedLabels([(110.1, 21.0, "遂溪"), (110.2, 21.1, HOSTILE)], steps, name="县区名称")
    m = OfflineMap(bounds=(109.6, 20.2, 111.0, 22.0))
    labels.add_to(m)
    page = m.get_root().render()
    assert "<img src=x" not in page and "textContent = item[2]" in page
    marker = f"var {labels.get_name()} = (function (items, steps) {{"
    assert marker in page
    tail = page[page.index(marker):]
    args = tail[tail.index("})(") + 3:]
    items, rest = json.JSONDecoder().raw_decode(args)
    assert [i[2] for i in items] == ["遂溪", HOSTILE]
    encoded = json.JSONDecoder().raw_decode(args[rest:].lstrip(", "))[0]
    assert encoded == [[6.0, [0, [10.0, 20.0, 1]]]]  # 0: the first choice, east of the point
    with pytest.raises(ValueError):
        PlacedLabels([(110.1, 21.0, "遂溪")], steps, name="x")  # two placements for one name


def test_the_cooperation_map_carries_the_placed_names():
    page = cooperation_map.base_map().get_root().render()
    assert ".fupin-placed-label" in page and 'L.divIcon({className: "fupin-label"' not in page
    for _, _, name in cooperation_map.label_items():
        assert json.dumps(name, ensure_ascii=False) in page or json.dumps(name) in page


def test_the_briefing_map_names_do_not_overlap(dataset):
    """The 湛柳 map of the briefing places its names by the same rule: no two names' drawn
    text overlaps, and every county is named once."""
    from fupin_geo.report import static_maps

    figure = static_maps.cooperation_figure(dataset)
    figure.draw_without_rendering()
    (axes,) = figure.axes
    names = [t for t in axes.texts if t.get_text()]
    assert sorted(t.get_text() for t in names) == sorted(n for _, _, n in cooperation_map.label_items())
    from matplotlib.text import Text

    boxes = [Text.get_window_extent(t) for t in names]  # the text alone, without its leader
    clashes = [(names[i].get_text(), names[j].get_text()) for i, j in itertools.combinations(range(len(boxes)), 2)
               if boxes[i].overlaps(boxes[j])]
    assert clashes == []
    assert any(t.arrow_patch is not None for t in names)  # some names needed a leader line
