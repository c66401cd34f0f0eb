"""industry_map: one FeatureGroup per chosen layer, each with its own legend; counts, classes
and tooltips checked on the layer objects and on the rendered HTML."""
from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import replace

import folium
import pandas as pd
import pytest
import shapely

from fupin_geo import config
from fupin_geo.analysis import filters, indicators
from fupin_geo.analysis.filters import VillageFilter
from fupin_geo.maps.industry_view import LAYERS, MEASURES, ViewState
from fupin_geo.data import geodata
from fupin_geo.geo.basemaps import BASEMAPS
from fupin_geo.maps import common, industry_map
from fupin_geo.maps.elements import GeoJsonLayer, Labels, Legend, PointLayer
from tests import mapscript

SUIXI = "440823"
JISHUI = "440881108210"  # 急水村: a public 一村一品 village, in the demo with its product
PAYLOAD = "<img src=x onerror=alert(1)>"
CLOSER = "</script><script>alert(2)</script>"
TEMPLATE = "{{ 7*7 }}"

# What each layer draws: its legend titles and the class names of its drawn elements.
EXPECTED = {
    "choropleth": (["县区：贫困村数"], ["fupin-choropleth"]),
    "aquaculture": (["水产养殖"], ["fupin-aquaculture"]),
    "villages": (["一村一品类别"], ["fupin-villages", "fupin-no-industry"]),
    "linkage": (["联农带农覆盖"], ["fupin-coverage"]),
    "towns": (["一镇一业"], ["fupin-town-label"]),
    "parks": (["现代农业产业园"], ["fupin-park-scope", "fupin-parks"]),
    "enterprises": (["龙头企业"], ["fupin-enterprises"]),
    "cooperatives": (["合作社"], ["fupin-cooperatives"]),
    "processing": (["农产品加工"], ["fupin-processing"]),
    "gaps": (["短板：无害化卫生户厕"], ["fupin-gap-toilet"]),
}


def children(group: folium.FeatureGroup, kind) -> list:
    return [c for c in group._children.values() if isinstance(c, kind)]


def class_of(element) -> str:
    return json.loads(element.class_json)


def drawn(groups, class_name: str) -> list[dict]:
    """Features of every layer with `class_name` in `groups`, as their rendered page sends them."""
    return mapscript.features(mapscript.render(*groups), class_name)


def payload(page: str, class_name: str) -> mapscript.Payload:
    (found,) = [p for p in mapscript.payloads(page) if p.class_name == class_name]
    return found


def circle_radius(found: mapscript.Payload) -> float:
    return float(re.search(r"L\.circleMarker\(latlng, Object\.assign\(\{radius: ([\d.]+)\}", found.script).group(1))


def group_of(dataset, key: str, **kwargs) -> folium.FeatureGroup:
    (group,) = industry_map.layers(dataset, ViewState(layers=(key,)), **kwargs)
    return group


# --- layers and legends ---------------------------------------------------------------------------
@pytest.mark.parametrize("key", LAYERS)
def test_each_layer_is_one_group_with_its_own_legend(dataset, key):
    group = group_of(dataset, key)
    assert isinstance(group, folium.FeatureGroup) and group.layer_name == LAYERS[key]
    titles, class_names = EXPECTED[key]
    if key in ("parks", "enterprises"):  # one layer of badges per level (a layer has one badge size)
        class_names = class_names + [f"fupin-{key}"] * (getattr(dataset, key)["level"].nunique() - 1)
    assert [legend.title for legend in children(group, Legend)] == titles
    found = mapscript.payloads(mapscript.render(group))
    assert len(found) == len(children(group, (GeoJsonLayer, PointLayer)))  # each layer's data is found
    drawn_classes = [p.class_name for p in found] + [class_of(c) for c in children(group, Labels)]
    assert sorted(drawn_classes) == sorted(class_names)
    assert all(p.collection["features"] for p in found)
    # the legend belongs to this group (it is shown and hidden with it), not to the map
    page = industry_map.industry_map(dataset, ViewState(layers=(key,))).get_root().render()
    for legend in children(group, Legend):
        assert legend._parent is group
    legends = re.findall(r'setAttribute\("data-legend", ("[^"]*")\)', page)
    assert [json.loads(t) for t in legends] == titles


def test_no_layer_asked_no_group(dataset):
    assert industry_map.layers(dataset, ViewState(layers=())) == []
    page = industry_map.industry_map(dataset, ViewState(layers=())).get_root().render()
    assert "data-legend" not in page
    assert not [c for c, _ in re.findall(r'"className":"(fupin-[a-z-]+)"(,|})', page)
                if c != "fupin-county-lines"]
    assert [name for name, _ in mapscript.layers(page)] == ["", "fupin-county-lines"]  # land, counties


def test_layers_come_in_drawing_order_and_only_when_asked(dataset):
    chosen = ("enterprises", "villages", "choropleth")
    groups = industry_map.layers(dataset, ViewState(layers=chosen))
    assert [g.layer_name for g in groups] == ["县区着色", "贫困村", "龙头企业"]
    every = industry_map.layers(dataset, ViewState(layers=tuple(LAYERS)))
    assert [g.layer_name for g in every] == list(LAYERS.values())
    assert all(not g.control for g in every)


# --- villages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("f", [VillageFilter(), VillageFilter(counties=(SUIXI,)),
                               VillageFilter(counties=(SUIXI,), products=("火龙果",)),
                               VillageFilter(categories=("畜牧",))], ids=["all", "遂溪", "遂溪火龙果", "畜牧"])
def test_one_village_feature_per_filtered_village(dataset, f):
    shown = filters.apply(dataset, f)
    villages = drawn([group_of(shown, "villages")], "fupin-villages")
    assert sorted(v["properties"]["code"] for v in villages) == sorted(shown.villages["code"])
    assert len(villages) == indicators.industry_counts(shown)["贫困村"]


def test_villages_without_industry_get_an_extra_highlighted_layer(dataset):
    lacking = set(dataset.villages["code"]) - set(dataset.products["village_code"])
    assert lacking  # the demo keeps a few, so that the layer is seen
    group = group_of(dataset, "villages")
    page = mapscript.render(group)
    extra = mapscript.features(page, "fupin-no-industry")
    assert sorted(f["properties"]["code"] for f in extra) == sorted(lacking)
    names = dataset.villages.set_index("code")["name"]
    assert mapscript.tip_lines(page, "fupin-no-industry") == {c: [names[c], config.NO_INDUSTRY_LABEL] for c in lacking}
    # drawn in the no-industry colour, ringed differently and larger than the ordinary villages
    assert {f["properties"]["color"] for f in extra} == {config.NO_INDUSTRY_COLOR}
    layer, villages = payload(page, "fupin-no-industry"), payload(page, "fupin-villages")
    assert layer.style["color"] != common.VILLAGE_STYLE["color"] == villages.style["color"]
    assert circle_radius(layer) > circle_radius(villages) == config.VILLAGE_RADIUS
    (legend,) = children(group, Legend)
    assert (config.NO_INDUSTRY_LABEL, config.NO_INDUSTRY_COLOR) in legend.entries
    # the ordinary village layer still has them, drawn in the no-industry colour
    ordinary = {f["properties"]["code"]: f for f in mapscript.features(page, "fupin-villages")}
    assert all(ordinary[c]["properties"]["color"] == config.NO_INDUSTRY_COLOR for c in lacking)


def test_no_extra_layer_when_every_village_has_an_industry(dataset):
    shown = filters.apply(dataset, VillageFilter(categories=("水产",)))
    group = group_of(shown, "villages")
    assert drawn([group], "fupin-no-industry") == []
    assert config.NO_INDUSTRY_LABEL not in dict(children(group, Legend)[0].entries)


# --- badges -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("key, frame, letter", [
    ("parks", "parks", "园"), ("enterprises", "enterprises", "企"), ("cooperatives", "cooperatives", "社"),
    ("processing", "enterprises", "加"),
])
def test_one_badge_per_record(dataset, key, frame, letter):
    records = getattr(dataset, frame)
    if key == "processing":
        records = records[records["is_processing"]]
    assert 0 < len(records)
    group = group_of(dataset, key)
    found = [p for p in mapscript.payloads(mapscript.render(group)) if p.class_name == f"fupin-{key}"]
    features = []
    for layer in found:
        assert layer.kind == mapscript.POINTS
        assert "L.divIcon(" in layer.script and "L.circleMarker(" not in layer.script
        assert f'+ "{letter}" + "</span>"' in layer.script
        features += layer.collection["features"]
    assert sorted(f["properties"]["code"] for f in features) == sorted(records["id"])
    by_id = records.set_index("id")
    for feature in features:
        assert feature["geometry"]["coordinates"] == [by_id.loc[feature["properties"]["code"], "lon"],
                                                      by_id.loc[feature["properties"]["code"], "lat"]]


def test_processing_is_a_subset_of_enterprises(dataset):
    processing = drawn([group_of(dataset, "processing")], "fupin-processing")
    assert len(processing) == int(dataset.enterprises["is_processing"].sum()) < len(dataset.enterprises)


def test_badge_colours_follow_the_level(dataset):
    parks = dataset.parks.set_index("id")
    for feature in drawn([group_of(dataset, "parks")], "fupin-parks"):
        level = parks.loc[feature["properties"]["code"], "level"]
        assert feature["properties"]["color"] == industry_map.LEVEL_COLORS[level]


@pytest.mark.parametrize("key", ["parks", "enterprises"])
def test_the_higher_the_level_the_larger_the_badge(dataset, key):
    records = getattr(dataset, key).set_index("id")
    sizes = {}
    for layer in mapscript.payloads(mapscript.render(group_of(dataset, key))):
        if layer.class_name == f"fupin-{key}":
            (size,) = set(re.findall(r"width:(\d+)px", layer.script))
            for feature in layer.collection["features"]:
                sizes.setdefault(records.loc[feature["properties"]["code"], "level"], set()).add(int(size))
    assert len(sizes) > 1 and all(len(s) == 1 for s in sizes.values())
    ordered = [sizes[level].pop() for level in config.LEVELS if level in sizes]  # 国家, 省, 市
    assert ordered == sorted(ordered, reverse=True) and len(set(ordered)) == len(ordered)


def test_park_scope_and_tooltip_count_the_villages_it_covers(dataset):
    page = mapscript.render(group_of(dataset, "parks"))
    scopes = mapscript.features(page, "fupin-park-scope")
    badges = mapscript.tip_lines(page, "fupin-parks")
    assert sorted(f["properties"]["code"] for f in scopes) == sorted(badges) == sorted(dataset.parks["id"])
    for park in dataset.parks.itertuples():
        mine = dataset.park_villages[dataset.park_villages["park_id"] == park.id]
        lines = badges[park.id]
        count = f"范围内贫困村 {len(mine)} 个，已签带动协议 {int(mine['agreement_signed'].sum())} 个"
        assert lines[0].startswith(park.name) and f"{park.year}年" in lines[1] and lines[-1] == count
        scope = next(f for f in scopes if f["properties"]["code"] == park.id)
        # the scope area is a polygon: its tooltip is HTML, the same lines escaped
        assert scope["properties"]["tip"] == "<br>".join(html.escape(line) for line in lines)
        polygon = shapely.geometry.shape(scope["geometry"])
        covered = dataset.villages[dataset.villages["code"].isin(mine["village_code"])]
        points = shapely.points(covered["lon"], covered["lat"])
        assert all(polygon.contains(p) for p in points)


def test_park_tooltips_say_which_records_are_generated_and_which_public(dataset):
    badges = mapscript.tip_lines(mapscript.render(group_of(dataset, "parks")), "fupin-parks")
    sources = dict(zip(dataset.parks["id"], dataset.parks["source"]))
    assert config.DEMO_SOURCE in sources.values() and set(sources.values()) != {config.DEMO_SOURCE}
    for code, lines in badges.items():
        if sources[code] == config.DEMO_SOURCE:  # the banner's word, not "编造"
            assert "演示数据（程序生成）" in lines
        else:
            assert any(line.startswith("公开资料 · 位置") for line in lines)


@pytest.mark.parametrize("missing", [float("nan"), None, "", "  "])
def test_a_park_without_lead_enterprise_shows_a_dash_not_nan(dataset, missing):
    parks = dataset.parks.copy()
    parks["lead_enterprises"] = parks["lead_enterprises"].astype(object)
    parks.loc[parks.index[0], "lead_enterprises"] = missing
    page = mapscript.render(group_of(replace(copy.copy(dataset), parks=parks), "parks"))
    lines = mapscript.tip_lines(page, "fupin-parks")[parks["id"].iloc[0]]
    assert "牵头企业：—" in lines and not any("nan" in line.lower() for line in lines)
    scope = next(f for f in mapscript.features(page, "fupin-park-scope")
                 if f["properties"]["code"] == parks["id"].iloc[0])
    assert "牵头企业：—" in scope["properties"]["tip"] and "nan" not in scope["properties"]["tip"].lower()


def test_enterprise_reach_is_that_of_the_whole_city_even_when_filtered(dataset):
    shown = filters.apply(dataset, VillageFilter(counties=(SUIXI,)))
    reach = indicators.leading_enterprises(dataset).set_index("id")
    tips = mapscript.tip_lines(mapscript.render(group_of(shown, "enterprises", full=dataset)), "fupin-enterprises")
    assert sorted(tips) == sorted(shown.enterprises["id"])
    for code, lines in tips.items():
        villages, households = int(reach.loc[code, "villages"]), int(reach.loc[code, "poor_households"])
        assert f"带动贫困村 {villages} 个、贫困户 {households} 户" in lines
        assert ("达到扶贫龙头企业标准" in lines) == bool(reach.loc[code, "is_leading"])
    every = mapscript.tip_lines(mapscript.render(group_of(dataset, "enterprises")), "fupin-enterprises")
    assert any("达到扶贫龙头企业标准" in lines for lines in every.values())


def test_town_labels_name_the_town_and_its_industry(dataset):
    (labels,) = children(group_of(dataset, "towns"), Labels)
    names = geodata.towns().set_index("code")["name"]
    expected = [f"{names.get(r.town_code, r.town_code)}·{r.industry}" for r in dataset.town_industries.itertuples()
                if r.town_code in set(dataset.villages["town_code"])]
    assert sorted(html.unescape(text) for _, _, text in labels.items) == sorted(expected)
    # each label sits at the centre of its town's poverty villages
    centres = dataset.villages.groupby("town_code")[["lon", "lat"]].mean()
    first = dataset.town_industries.iloc[0]
    x, y, _ = next(item for item in labels.items if html.unescape(item[2]).endswith(f"·{first.industry}")
                   and item[2].startswith(names.get(first.town_code, first.town_code)))
    assert (x, y) == pytest.approx(tuple(centres.loc[first.town_code]), abs=1e-5)


def test_aquaculture_sites_and_their_kinds(dataset):
    group = group_of(dataset, "aquaculture")
    sites = drawn([group], "fupin-aquaculture")
    assert sorted(f["properties"]["code"] for f in sites) == sorted(dataset.aquaculture["id"])
    kinds = dataset.aquaculture.set_index("id")["kind"]
    # 深水网箱 are areas at sea; ponds and factory farms are sites on land
    for feature in sites:
        polygon = feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert polygon == (kinds[feature["properties"]["code"]] == "深水网箱")
    assert {"深水网箱", "池塘", "工厂化"} <= set(kinds)
    (legend,) = children(group, Legend)
    assert [label for label, _ in legend.entries] == sorted(set(dataset.aquaculture["kind"]),
                                                            key=list(industry_map.AQUACULTURE_COLORS).index)


# --- the county choropleth ----------------------------------------------------------------------
def test_county_measure_equals_hand_computation(dataset):
    counties = list(geodata.counties(config.ZHANJIANG)["adcode"])
    with_industry = set(dataset.products["village_code"])
    rows = dataset.villages.to_dict("records")
    expected = {
        "villages": {c: sum(v["county_code"] == c for v in rows) for c in counties},
        "poor_households": {c: sum(v["poor_households"] for v in rows if v["county_code"] == c) for c in counties},
        "industry_villages": {c: sum(v["county_code"] == c and v["code"] in with_industry for v in rows)
                              for c in counties},
    }
    for measure in MEASURES:
        values = industry_map.county_measure(dataset, measure)
        assert values.to_dict() == expected[measure], measure
        assert len(values) == 9 and values.dtype.kind == "i"
    with pytest.raises(ValueError):
        industry_map.county_measure(dataset, "gdp")


def test_county_measure_is_zero_where_nothing_matches(dataset):
    shown = filters.apply(dataset, VillageFilter(counties=(SUIXI,)))
    values = industry_map.county_measure(shown, "villages")
    assert values[SUIXI] == len(shown.villages) and values.drop(SUIXI).eq(0).all()


@pytest.mark.parametrize("values", [[0] * 9, [1], [3, 0, 1], [7, 2], [1, 3, 12, 10, 36, 32, 44, 62, 18],
                                    [78, 215, 1048, 667, 2566, 2488, 3170, 4858, 1380], [5, 5, 5], [1001]])
def test_class_breaks(values):
    values = pd.Series(values)
    breaks = industry_map.class_breaks(values)
    assert breaks == sorted(set(breaks)) and all(isinstance(b, int) for b in breaks)
    assert 1 <= len(breaks) <= len(industry_map.CHOROPLETH_COLORS)
    assert breaks[-1] >= values.max()  # every value has a class
    assert breaks[-1] == max(int(values.max()), 1)  # and the top class ends at the maximum
    assert breaks[0] >= 1


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("f", [VillageFilter(), VillageFilter(counties=(SUIXI,))], ids=["all", "遂溪"])
def test_choropleth_colours_and_legend(dataset, measure, f):
    shown = filters.apply(dataset, f)
    group = group_of(shown, "choropleth") if measure == "villages" else industry_map.layers(
        shown, ViewState(layers=("choropleth",), measure=measure))[0]
    values = industry_map.county_measure(shown, measure)
    breaks = industry_map.class_breaks(values)
    (legend,) = children(group, Legend)
    assert legend.title == f"县区：{MEASURES[measure]}"
    ranges = [tuple(int(x) for x in label.split("–")) for label, _ in legend.entries]
    assert ranges[0][0] == 0 and ranges[-1][1] == breaks[-1] >= values.max()
    for (low, high), (next_low, _) in zip(ranges, ranges[1:]):
        assert low <= high and next_low == high + 1  # contiguous, no gap, no overlap
    assert [c for _, c in legend.entries] == list(industry_map.CHOROPLETH_COLORS[:len(ranges)])
    features = drawn([group], "fupin-choropleth")
    assert sorted(f["properties"]["code"] for f in features) == sorted(values.index)
    for feature in features:
        value = values[feature["properties"]["code"]]
        (color,) = [c for (low, high), (_, c) in zip(ranges, legend.entries) if low <= value <= high]
        assert feature["properties"]["color"] == color
        assert f"{MEASURES[measure]}：{value}" in feature["properties"]["tip"]
    # darker means more: the largest county is in the top class
    top = next(f for f in features if f["properties"]["code"] == values.idxmax())
    assert top["properties"]["color"] == legend.entries[-1][1]


# --- escaping ---------------------------------------------------------------------------------------
HOSTILE_VILLAGE = PAYLOAD + CLOSER + TEMPLATE
HOSTILE_COOPERATIVE = CLOSER + PAYLOAD + TEMPLATE


@pytest.fixture(scope="module")
def hostile(dataset):
    """A copy of the demo quarter with HTML (and template syntax) in every name a tooltip shows."""
    frames = {name: frame.copy() for name, frame in dataset.frames().items()}
    villages = frames["villages"]
    lacking = sorted(set(villages["code"]) - set(frames["products"]["village_code"]))[0]
    villages.loc[villages["code"].isin([JISHUI, lacking]), "name"] = HOSTILE_VILLAGE
    frames["products"].loc[frames["products"]["village_code"] == JISHUI, "product"] = PAYLOAD
    frames["parks"]["name"] = PAYLOAD
    frames["parks"]["product"] = CLOSER
    frames["parks"]["lead_enterprises"] = PAYLOAD
    frames["enterprises"]["name"] = PAYLOAD + CLOSER
    frames["enterprises"]["industry"] = PAYLOAD
    frames["cooperatives"]["name"] = HOSTILE_COOPERATIVE
    frames["aquaculture"]["name"] = PAYLOAD + TEMPLATE
    frames["town_industries"]["industry"] = PAYLOAD
    return replace(copy.copy(dataset), **frames)


@pytest.fixture(scope="module")
def hostile_page(hostile) -> str:
    return industry_map.industry_map(hostile, ViewState(layers=tuple(LAYERS))).get_root().render()


def hostile_villages(hostile) -> list[str]:
    return sorted(hostile.villages.loc[hostile.villages["name"] == HOSTILE_VILLAGE, "code"])


def test_hostile_names_cannot_break_out_of_the_page(hostile_page):
    assert hostile_page.count("</script>") == len(re.findall(r"<script\b", hostile_page))
    assert "<img" not in hostile_page and "alert(2)</script>" not in hostile_page
    assert "onerror=alert(1)" in hostile_page.replace("\\u003e", ">")  # the data is there, as text
    # nothing read the names as a template: "{{ 7*7 }}" is neither evaluated nor left to open one
    assert "{{" not in hostile_page and "7*7" in hostile_page


# Point layers: the hostile text of each record, exactly as it must be in its tooltip's lines
# (plain text shown with textContent: any escaping would be shown to the user as "&lt;").
HOSTILE_LINES = {
    "fupin-villages": lambda r: [f"{HOSTILE_VILLAGE} · {geodata.county_name(r.county_code)}"],
    "fupin-no-industry": lambda r: [HOSTILE_VILLAGE, config.NO_INDUSTRY_LABEL],
    "fupin-parks": lambda r: [f"{PAYLOAD}（{r.level}级）", f"主导产业：{CLOSER} · {r.year}年", f"牵头企业：{PAYLOAD}"],
    "fupin-enterprises": lambda r: [f"{PAYLOAD}{CLOSER}（{r.level}级）", f"行业：{PAYLOAD}"],
    "fupin-processing": lambda r: [f"{PAYLOAD}{CLOSER}（{r.level}级）", f"行业：{PAYLOAD}"],
    "fupin-cooperatives": lambda r: [HOSTILE_COOPERATIVE],
}


def hostile_records(hostile, class_name: str) -> pd.DataFrame:
    if class_name in ("fupin-villages", "fupin-no-industry"):
        villages = hostile.villages[hostile.villages["code"].isin(hostile_villages(hostile))]
        if class_name == "fupin-no-industry":
            villages = villages[~villages["code"].isin(hostile.products["village_code"])]
        return villages.set_index("code")
    frame = {"fupin-parks": hostile.parks, "fupin-enterprises": hostile.enterprises,
             "fupin-cooperatives": hostile.cooperatives,
             "fupin-processing": hostile.enterprises[hostile.enterprises["is_processing"]]}[class_name]
    return frame.set_index("id")


@pytest.mark.parametrize("class_name", HOSTILE_LINES)
def test_point_tooltips_show_hostile_names_as_exact_plain_text(hostile, hostile_page, class_name):
    lines = mapscript.tip_lines(hostile_page, class_name)
    records = hostile_records(hostile, class_name)
    assert len(records) and set(records.index) <= set(lines)
    for code, record in records.iterrows():
        expected = HOSTILE_LINES[class_name](record)
        assert lines[code][:len(expected)] == expected, lines[code]
    if class_name == "fupin-villages":  # 急水村's products, all renamed, are its second line
        assert set(lines[JISHUI][1].split("、")) == {PAYLOAD}
    # no line anywhere in the layer is HTML-escaped: the text is never read as markup
    every = [line for tip in lines.values() for line in tip]
    assert not [line for line in every if re.search(r"&(lt|gt|amp|quot|#\d+);", line)]


@pytest.mark.parametrize("class_name", ["fupin-park-scope", "fupin-aquaculture"])
def test_polygon_tooltips_escape_hostile_names(hostile, class_name):
    features = drawn(industry_map.layers(hostile, ViewState(layers=tuple(LAYERS))), class_name)
    assert features
    tips = [f["properties"]["tip"] for f in features]
    for tip in tips:
        text = re.sub(r"</?b>|<br>", "", tip)  # the only markup we write ourselves
        assert "<" not in text and ">" not in text, tip
    # every park and site has a hostile name: each tooltip shows it escaped, template syntax as text
    name = PAYLOAD if class_name == "fupin-park-scope" else PAYLOAD + TEMPLATE
    assert all(html.escape(name) in tip for tip in tips)


def test_town_labels_escape_hostile_industries(hostile):
    (labels,) = children(group_of(hostile, "towns"), Labels)
    assert all("<" not in text for _, _, text in labels.items)
    assert any(html.escape(PAYLOAD) in text for _, _, text in labels.items)


# --- extent and the whole map -------------------------------------------------------------------------
def test_focus_bounds(dataset):
    city = industry_map.focus_bounds(dataset.villages.iloc[:0])
    assert city == pytest.approx(tuple(geodata.city_outline(config.ZHANJIANG).bounds))
    some = dataset.villages[dataset.villages["county_code"] == SUIXI]
    minx, miny, maxx, maxy = industry_map.focus_bounds(some)
    m = industry_map.FOCUS_MARGIN_DEG
    assert (minx, miny, maxx, maxy) == pytest.approx(
        (some["lon"].min() - m, some["lat"].min() - m, some["lon"].max() + m, some["lat"].max() + m))
    assert minx < city[2] and maxx - minx < city[2] - city[0]  # tighter than the city
    one = dataset.villages[dataset.villages["code"] == JISHUI]
    bounds = industry_map.focus_bounds(one)
    assert bounds[2] - bounds[0] == pytest.approx(2 * m) and bounds[3] - bounds[1] == pytest.approx(2 * m)


def test_industry_map_fits_the_villages_or_keeps_the_view(dataset):
    shown = filters.apply(dataset, VillageFilter(counties=(SUIXI,)))
    fitted = industry_map.industry_map(shown, ViewState(layers=("villages",)))
    page = fitted.get_root().render()
    minx, miny, maxx, maxy = industry_map.focus_bounds(shown.villages)
    assert re.search(rf"fitBounds\(\s*\[\[{miny}, {minx}\], \[{maxy}, {maxx}\]\]", page)
    kept = industry_map.industry_map(shown, ViewState(layers=("villages",), view=(21.2, 110.1, 11.0)))
    assert kept.location == [21.2, 110.1] and kept.options["zoom"] == 11.0
    assert "fitBounds" not in kept.get_root().render()


def test_focus_view_shows_the_villages_whole(dataset):
    some = dataset.villages[dataset.villages["county_code"] == SUIXI]
    lat, lon, zoom = industry_map.focus_view(some)
    minx, miny, maxx, maxy = industry_map.focus_bounds(some)
    assert miny < lat < maxy and minx < lon < maxx
    # one zoom step (0.25) closer would no longer hold the extent in the assumed map size
    scale = 256 * 2 ** (zoom + config.ZOOM_SNAP)
    assert (maxx - minx) / 360 * scale > config.MAP_FIT_WIDTH_PX or zoom == config.MAX_ZOOM \
        or _height_px(miny, maxy, scale) > config.MAP_HEIGHT
    assert _height_px(miny, maxy, 256 * 2 ** zoom) <= config.MAP_HEIGHT
    assert (maxx - minx) / 360 * 256 * 2 ** zoom <= config.MAP_FIT_WIDTH_PX
    assert industry_map.focus_view(dataset.villages)[2] < zoom  # the city needs a wider view


def _height_px(miny, maxy, scale):
    import math
    y = [math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (miny, maxy)]
    return (y[1] - y[0]) / (2 * math.pi) * scale


def test_base_map_is_the_same_whatever_the_filters(dataset):
    """The base is all st_folium hashes for its key: nothing of the data may be in it."""
    from streamlit_folium import _get_map_string, generate_js_hash

    def key(**options):
        return generate_js_hash(_get_map_string(industry_map.base_map(**options)), "k", False)

    assert key() == key()
    assert key() != key(basemap=BASEMAPS["amap"])


def test_base_map_has_county_lines_and_names_and_nothing_of_the_page(dataset):
    m = industry_map.base_map()
    kids = list(m._children.values())
    assert "__fupinView" not in m.get_root().render()  # the page adds the URL sync (ui.edge.view_sync)
    lines = [k for k in kids if isinstance(k, GeoJsonLayer) and class_of(k) == "fupin-county-lines"]
    assert len(lines) == 1 and lines[0].feature_count() == 9
    labels = [k for k in kids if isinstance(k, Labels)]
    assert sorted(text for _, _, text in labels[0].items) == sorted(geodata.counties(config.ZHANJIANG)["name"])
    assert not [k for k in kids if isinstance(k, folium.FeatureGroup)]  # layers come separately
