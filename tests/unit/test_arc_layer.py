"""ArcLayer: arcs sent as data, tooltips as text, only our own colours in the markup."""
from __future__ import annotations

import json

import pytest

from fupin_geo.maps.elements import ArcLayer, OfflineMap

HOSTILE = "</script><img src=x onerror=alert(1)>{{7*7}}"


def arcs(n: int = 2, tip: str = "结对") -> ArcLayer:
    return ArcLayer([(110.0 + i * 0.1, 21.0) for i in range(n)], [(109.4, 25.2)] * n, ["#6b5b4b"] * n,
                    [3.0] * n, [0.1] * n, [[tip, "第二行"]] * n, name="结对", class_name="fupin-pairings")


def render(layer: ArcLayer) -> str:
    m = OfflineMap(bounds=(108.5, 20.2, 111.0, 26.1))
    layer.add_to(m)
    return m.get_root().render()


def sent_data(page: str) -> dict:
    """The data argument of the arc layer's function in the rendered page."""
    start = page.index("})(", page.index("var arc_layer_")) + len("})(")
    return json.JSONDecoder().raw_decode(page, start)[0]


def test_data_sent_once_and_added_to_the_map():
    page = render(arcs(3))
    data = sent_data(page)
    assert data["x1"] == [110.0, 110.1, 110.2] and data["y2"] == [25.2] * 3
    assert data["palette"] == ["#6b5b4b"] and data["tip"][0] == ["结对", "第二行"]
    assert ".addTo(map_" in page and "fupin-pairings" in page


def test_hostile_tooltip_is_inert():
    page = render(arcs(1, HOSTILE))
    assert HOSTILE not in page and "<img src=x" not in page
    assert "{{7*7}}" not in page  # never reaches a template engine as a template
    assert sent_data(page)["tip"][0][0] == HOSTILE  # yet arrives intact, as text
    assert page.count("</script>") == page.count("<script")
    assert "textContent" in page and "innerHTML" not in page


def test_bad_colour_and_ragged_columns_are_refused():
    with pytest.raises(ValueError, match="#rrggbb"):
        ArcLayer([(1, 2)], [(3, 4)], ["red;background:url(x)"], [1], [0.1], [["a"]], name="x", class_name="x")
    with pytest.raises(ValueError, match="length"):
        ArcLayer([(1, 2)], [(3, 4)], ["#000000"], [1, 2], [0.1], [["a"]], name="x", class_name="x")
