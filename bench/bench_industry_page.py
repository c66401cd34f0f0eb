"""Benchmark: the 产业地图 page (pages/industry_map.py), server side, against a naive folium page.

Run from the repo root:

    .venv/bin/python -m bench.bench_industry_page               # demo 218/24 and 20,000/2,000 (minutes)
    .venv/bin/python -m bench.bench_industry_page --quick       # no baseline above 5,000 villages
    .venv/bin/python -m bench.bench_industry_page --sizes 218:24,5000:500 --repeats 5 --no-apptest
    .venv/bin/python -m bench.bench_industry_page --profile 20000:2000   # cProfile one rerun, then exit
    .venv/bin/python -m bench.bench_industry_page --layer-bytes 20000:2000  # bytes sent per layer, then exit

Sizes are VILLAGES:ENTERPRISES (bench.synthetic.scaled_dataset(villages, n_enterprises=...)).

What is measured (see bench/README.md for the full description):

1. Direct, one filter change ("rerun"): what the page does on the server after a filter
   widget changes, called in the page's order on a ready Dataset:
     filters.options (the filter widgets' choices)        -> "controls"
     filters.apply                                        -> "filter"
     indicators.industry_counts                           -> "counts"
     industry_map.focus_view + industry_map.base_map      -> "base"
     industry_map.layers (+ common.selection_highlight)     -> "layers"
     ui.show_map, i.e. the real streamlit_folium.st_folium with only its last call into the
       Streamlit component (_component_func) stubbed to keep the arguments -> "st_folium"
     tables.village_table                                 -> "table"
   for two views (no filter = every village; county 440823 遂溪) and two layer sets (the
   default layers; all 8 layers). "baseline" does the same, but draws the same layers the
   naive way (folium.Map with its CDN defaults and OSM tiles; one folium.CircleMarker with a
   tooltip per village; one folium.Marker per park, enterprise, cooperative, processing
   enterprise and town label; folium.GeoJson with a style_function for counties, choropleth
   and aquaculture) and hands it to ui.show_map in the same way (layers as feature groups).
2. Bytes of what st_folium hands to the component: script, feature_group, header, html.
3. Peak memory: tracemalloc during one extra, untimed rerun.
4. AppTest: a full page rerun through streamlit.testing.v1.AppTest (app.py, switched to
   pages/industry_map.py) on a temporary SQLite database holding the data set; after a warm
   first run and one warm filter cycle, the time of
   `at.pills(key="industry_counties").select("440823").run()` (all -> 遂溪) and of
   the matching `.unselect("440823").run()` (遂溪 -> all).

Targets (exit status 1 if one fails; SKIP when not measured):
  * pans and zooms never rerun the page: ui.show_map passes returned_objects=["last_object_clicked"]
    (asserted on the arguments st_folium receives and those the component receives);
  * a filter change: under 0.3 s with the demo data, under 2 s with 20,000 villages and 2,000
    enterprises (direct measure, slowest view; and AppTest, slower direction);
  * what st_folium sends at 20,000 villages (script + feature_group + header + html): under 5 MB.
Timings depend on the machine; the test suite never asserts them.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import html
import io
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field, replace

import folium
import shapely

from bench.harness import REPO, captured_component, machine
from bench.synthetic import scaled_dataset
from fupin_geo import config, ui
from fupin_geo.analysis import filters, indicators, industries, tables
from fupin_geo.analysis.filters import VillageFilter
from fupin_geo.maps.industry_view import DEFAULT_LAYERS, LAYERS, ViewState
from fupin_geo.data import geodata
from fupin_geo.data.dataset import Dataset
from fupin_geo.geo.basemaps import BASEMAPS, DEFAULT_BASEMAP
from fupin_geo.geo.display import Display
from fupin_geo.maps import common, industry_map
from tests.app.kpi import card_values  # reads the page's figure cards as the AppTests do

# Without a running app Streamlit warns "missing ScriptRunContext" on every call; harmless.
logging.getLogger("streamlit").setLevel(logging.ERROR)

DEFAULT_SIZES = ((218, 24), (20_000, 2_000))
QUICK_BASELINE_MAX = 5_000        # --quick: no baseline above this many villages
BASELINE_SINGLE_RUN_FROM = 10_000  # the baseline runs once (not best of N) from here on
SUIXI = "440823"
LAYER_SETS = {"default": tuple(DEFAULT_LAYERS), "all": tuple(LAYERS)}
VIEWS = {"none": VillageFilter(), SUIXI: VillageFilter(counties=(SUIXI,))}
RETURNED = ["last_object_clicked"]
PAYLOAD_PARTS = ("script", "feature_group", "header", "html")
STEPS = ("controls", "filter", "counts", "base", "layers", "st_folium", "table")
MAP_STEPS = ("base", "layers", "st_folium")

TARGET_RERUN = {218: 0.3, 20_000: 2.0}  # villages -> seconds
TARGET_BYTES = (20_000, 5e6)
COMPONENT = "streamlit_folium.st_folium"
APP_PAGE = "pages/industry_map.py"
COUNTY_WIDGET = "industry_counties"  # session-state key of the page's county filter (pills)


# --- the page's view of a filter change --------------------------------------------------------
def view_state(layers: tuple[str, ...], f: VillageFilter) -> ViewState:
    """What ui.industry_controls returns after a filter change (the link's extent is dropped
    when the filters change, so `view` is None and the map fits the filtered villages)."""
    return ViewState(counties=f.counties, towns=f.towns, categories=f.categories, products=f.products,
                     layers=layers, basemap=DEFAULT_BASEMAP, view=None, village=None)


def ours_map(shown: Dataset, full: Dataset, view: ViewState):
    """pages/industry_map.py's map: base map plus layer groups."""
    basemap = BASEMAPS[view.basemap]
    display = Display(basemap.crs)
    industry_map.focus_view(shown.villages)  # the page moves the map there with centre and zoom
    base = industry_map.base_map(basemap=basemap, token=None)
    yield base
    groups = industry_map.layers(shown, view, full=full, basemap=basemap)
    highlight = common.selection_highlight(full, view.village, display)
    yield groups + ([highlight] if highlight else [])


def naive_map(shown: Dataset, full: Dataset, view: ViewState):
    """The same layers drawn the naive way (no legends, no park scope areas)."""
    villages = shown.villages
    minx, miny, maxx, maxy = industry_map.focus_bounds(villages)
    base = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=9)  # CDN + OSM tiles
    base.fit_bounds([[miny, minx], [maxy, maxx]])
    counties = geodata.counties(config.ZHANJIANG)[["adcode", "name", "geometry"]]
    folium.GeoJson(counties, name="县（市、区）",
                   style_function=lambda f: {"color": config.COUNTY_LINE_COLOR, "weight": 1.2,
                                             "fillColor": config.LAND_COLOR, "fillOpacity": 0.3}).add_to(base)
    yield base

    def markers(group, frame, tips):
        for lat, lon, tip in zip(frame["lat"].tolist(), frame["lon"].tolist(), tips):
            folium.Marker([lat, lon], tooltip=tip).add_to(group)

    groups = []
    for key in LAYERS:
        if key not in view.layers:
            continue
        group = folium.FeatureGroup(name=LAYERS[key], control=False)
        if key == "choropleth":
            values = industry_map.county_measure(shown, view.measure)
            breaks = industry_map.class_breaks(values)
            colors = {code: industry_map._class_color(v, breaks) for code, v in values.items()}
            def county_style(feature, colors=colors):
                return {"fillColor": colors[feature["properties"]["adcode"]], "color": "#666", "weight": 1,
                        "fillOpacity": 0.7}

            folium.GeoJson(counties, style_function=county_style,
                           tooltip=folium.GeoJsonTooltip(["name"])).add_to(group)
        elif key == "aquaculture":
            import geopandas

            sites = shown.aquaculture[["id", "name", "kind"]]
            frame = geopandas.GeoDataFrame(sites, geometry=shapely.from_wkt(shown.aquaculture["geometry_wkt"]),
                                           crs="EPSG:4326")
            folium.GeoJson(frame, style_function=lambda f: {"color": industry_map.AQUACULTURE_COLORS[
                f["properties"]["kind"]], "weight": 1},
                tooltip=folium.GeoJsonTooltip(["name", "kind"])).add_to(group)
        elif key == "villages":
            categories = industries.village_categories(shown)
            tips = common.village_tips(shown)
            for lat, lon, category, tip in zip(villages["lat"].tolist(), villages["lon"].tolist(),
                                               categories["category"].tolist(), tips):
                folium.CircleMarker([lat, lon], radius=config.VILLAGE_RADIUS, color="#ffffff", weight=1.2,
                                    fill=True, fill_color=common.category_color(category), fill_opacity=0.95,
                                    tooltip=tip).add_to(group)
        elif key == "towns":
            town_industry = shown.town_industries.set_index("town_code")["industry"]
            with_industry = villages[villages["town_code"].isin(town_industry.index)]
            centres = with_industry.groupby("town_code")[["lon", "lat"]].mean()
            names = geodata.towns().set_index("code")["name"]
            for town, lon, lat in zip(centres.index, centres["lon"], centres["lat"]):
                text = html.escape(f"{names.get(town, town)}·{town_industry[town]}")
                folium.Marker([lat, lon], icon=folium.DivIcon(html=f"<div>{text}</div>")).add_to(group)
        elif key == "parks":
            markers(group, shown.parks, [html.escape(n) for n in shown.parks["name"]])
        elif key in ("enterprises", "processing"):
            frame = shown.enterprises[shown.enterprises["is_processing"]] if key == "processing" else shown.enterprises
            markers(group, frame, [f"{html.escape(n)}（{lv}级）<br>{html.escape(i)}"
                                   for n, lv, i in zip(frame["name"], frame["level"], frame["industry"])])
        elif key == "cooperatives":
            markers(group, shown.cooperatives, [html.escape(n) for n in shown.cooperatives["name"]])
        groups.append(group)
    yield groups


BUILDERS = {"ours": ours_map, "baseline": naive_map}


# --- one rerun --------------------------------------------------------------------------------
def rerun(builder, full: Dataset, view: ViewState, captured: dict, clock=time.perf_counter) -> dict[str, float]:
    """The server-side work of one filter change, in the page's order; seconds per step.

    Cold: `full` is copied first, so nothing kept by fupin_geo.memo for an earlier run is found
    (the work of a filter shown for the first time; bench_browser's server columns time the
    app's warm reruns)."""
    full = replace(full)
    f = VillageFilter(view.counties, view.towns, view.categories, view.products)
    marks = [clock()]
    filters.options(full, f)
    marks.append(clock())
    shown = filters.apply(full, f)
    marks.append(clock())
    indicators.industry_counts(shown)
    marks.append(clock())
    parts = builder(shown, full, view)
    base = next(parts)
    marks.append(clock())
    groups = next(parts)
    marks.append(clock())
    ui.show_map(base, key="industry_map", layers=groups, center=None, zoom=None)
    marks.append(clock())
    tables.village_table(shown)
    marks.append(clock())
    # pans and zooms: only the click is sent back, never on hover (checked on every run)
    assert captured["returned_objects"] == RETURNED, captured["returned_objects"]
    assert captured["return_on_hover"] is False
    return {step: b - a for step, a, b in zip(STEPS, marks, marks[1:])}


@dataclass
class Result:
    size: tuple[int, int]
    layers: str
    view: str
    builder: str
    runs: list[dict[str, float]] = field(default_factory=list)
    payload: dict[str, int] = field(default_factory=dict)
    peak_bytes: int | None = None

    @property
    def best(self) -> dict[str, float]:
        return min(self.runs, key=lambda r: sum(r.values()))

    @property
    def best_total(self) -> float:
        return sum(self.best.values())

    @property
    def best_map(self) -> float:
        return sum(self.best[s] for s in MAP_STEPS)

    @property
    def median_total(self) -> float:
        return statistics.median(sum(r.values()) for r in self.runs)

    @property
    def payload_total(self) -> int:
        return sum(self.payload.values())


def payload_bytes(captured: dict) -> dict[str, int]:
    return {k: len((captured.get(k) or "").encode("utf-8")) for k in PAYLOAD_PARTS}


def peak_memory(builder, full: Dataset, view: ViewState, captured: dict) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        rerun(builder, full, view, captured)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(builder: str, size, layers: str, view_name: str, full: Dataset, repeats: int,
            memory: bool, captured: dict) -> Result:
    result = Result(size, layers, view_name, builder)
    view = view_state(LAYER_SETS[layers], VIEWS[view_name])
    for _ in range(repeats):
        gc.collect()
        result.runs.append(rerun(BUILDERS[builder], full, view, captured))
        result.payload = payload_bytes(captured)
        print(f"  {builder:<8} {size_text(size):>13} {layers:<7} filter={view_name:<6} "
              f"{sum(result.runs[-1].values()):8.3f} s", file=sys.stderr, flush=True)
    if memory:
        result.peak_bytes = peak_memory(BUILDERS[builder], full, view, captured)
    return result


def check_show_map_arguments() -> tuple[bool, str]:
    """Call ui.show_map with a spy in place of st_folium: which objects it asks to be returned."""
    seen: dict = {}
    original = ui.mapview.st_folium

    def spy(fig, **kwargs):
        seen.update(kwargs)
        return None

    ui.mapview.st_folium = spy
    try:
        ui.show_map(folium.Map(tiles=None), key="industry_map", layers=[folium.FeatureGroup()])
    finally:
        ui.mapview.st_folium = original
    ok = seen.get("returned_objects") == RETURNED and not seen.get("return_on_hover", False)
    return ok, (f"ui.show_map passes returned_objects={seen.get('returned_objects')!r}, "
                f"return_on_hover={seen.get('return_on_hover', False)!r}")


# --- AppTest ----------------------------------------------------------------------------------
@dataclass
class AppResult:
    size: tuple[int, int]
    layers: str
    first_run: float = 0.0
    to_county: list[float] = field(default_factory=list)   # all -> 440823
    to_all: list[float] = field(default_factory=list)      # 440823 -> all
    json_args_all: int = 0     # bytes of the component's JSON arguments, no filter
    json_args_county: int = 0
    error: str | None = None


def component_args(at) -> tuple[int, dict]:
    import json

    found = [e for e in at.get("component_instance") if e.proto.component_name == COMPONENT]
    assert len(found) == 1, f"{len(found)} st_folium components"
    text = found[0].proto.json_args
    return len(text.encode("utf-8")), json.loads(text)


def apptest_measure(size, dataset: Dataset, layers: str, repeats: int, db_url: str) -> AppResult:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    result = AppResult(size, layers)
    st.cache_data.clear()
    st.cache_resource.clear()
    os.environ[config.DB_URL_ENV] = db_url
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=900)
    if layers != "default":
        at.query_params["layers"] = ",".join(LAYER_SETS[layers])

    def run(action) -> float:
        gc.collect()
        start = time.perf_counter()
        action().run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError("; ".join(str(e.value) for e in at.exception))
        return elapsed

    counties = lambda: at.pills(key=COUNTY_WIDGET)  # noqa: E731
    try:
        result.first_run = run(lambda: at.switch_page(APP_PAGE))
        result.json_args_all, args = component_args(at)
        assert args["returned_objects"] == RETURNED and args["return_on_hover"] is False
        shown = len(dataset.villages)
        villages_card = card_values(at, "counts").get("贫困村")
        assert villages_card == f"{shown:,}", f"page does not count all villages: {villages_card}"
        run(lambda: counties().select(SUIXI))  # warm filter cycle, not counted
        run(lambda: counties().unselect(SUIXI))
        for _ in range(repeats):
            result.to_county.append(run(lambda: counties().select(SUIXI)))
            result.json_args_county, args = component_args(at)
            assert counties().value == [SUIXI]
            result.to_all.append(run(lambda: counties().unselect(SUIXI)))
            assert counties().value == []
            print(f"  apptest  {size_text(size):>13} {layers:<7} all->{SUIXI} {result.to_county[-1]:.3f} s, "
                  f"{SUIXI}->all {result.to_all[-1]:.3f} s", file=sys.stderr, flush=True)
    except Exception as error:  # noqa: BLE001 - reported in the table and as FAIL
        result.error = f"{type(error).__name__}: {error}"
        print(f"  apptest  {size_text(size)} {layers}: {result.error}", file=sys.stderr, flush=True)
    return result


@contextlib.contextmanager
def temporary_database(dataset: Dataset):
    from fupin_geo.data.store import Store

    with tempfile.TemporaryDirectory(prefix="fupin-bench-") as folder:
        url = f"sqlite:///{folder}/fupin.sqlite"
        start = time.perf_counter()
        Store(url).save(dataset)
        print(f"temporary database for {size_text((len(dataset.villages), len(dataset.enterprises)))} "
              f"saved in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
        yield url


# --- output -----------------------------------------------------------------------------------
def table(headers: list[str], rows: list[list[str]], left: int = 4) -> str:
    """Plain-text table: the first `left` columns left-aligned, the others right-aligned."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def size_text(size) -> str:
    return f"{size[0]:,}/{size[1]:,}"


def mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 1e6:.2f} MB"


def time_table(results: list[Result]) -> str:
    rows = [[size_text(r.size), r.layers, r.view, r.builder, str(len(r.runs)), f"{r.best_total:.3f}",
             f"{r.median_total:.3f}", *(f"{r.best[s]:.3f}" for s in STEPS)] for r in results]
    return table(["vill./ent.", "layers", "filter", "map", "runs", "best s", "median s",
                  *(f"{s} s" for s in STEPS)], rows)


def bytes_table(results: list[Result]) -> str:
    rows = [[size_text(r.size), r.layers, r.view, r.builder, *(mb(r.payload[k]) for k in PAYLOAD_PARTS),
             mb(r.payload_total), mb(r.peak_bytes)] for r in results]
    return table(["vill./ent.", "layers", "filter", "map", *PAYLOAD_PARTS, "total sent", "peak mem"], rows)


def factor_table(results: list[Result]) -> str:
    rows = []
    for r in results:
        if r.builder != "ours":
            continue
        base = find(results, r.size, r.layers, r.view, "baseline")
        if base is None:
            rows.append([size_text(r.size), r.layers, r.view, f"{r.best_map:.3f}", "not run", "-", "-", "-", "-"])
            continue
        rows.append([size_text(r.size), r.layers, r.view, f"{r.best_map:.3f}", f"{base.best_map:.3f}",
                     ratio(base.best_map, r.best_map), ratio(base.best_total, r.best_total),
                     ratio(base.payload_total, r.payload_total), ratio(base.peak_bytes, r.peak_bytes)])
    return table(["vill./ent.", "layers", "filter", "ours map s", "base map s", "map x", "rerun x",
                  "bytes b/o", "mem b/o"], rows, left=3)


def apptest_table(results: list[AppResult]) -> str:
    rows = []
    for r in results:
        if r.error:
            rows.append([size_text(r.size), r.layers, "ERROR", r.error[:60], "", "", "", "", ""])
            continue
        rows.append([size_text(r.size), r.layers, f"{r.first_run:.2f}", str(len(r.to_county)),
                     f"{min(r.to_county):.3f}", f"{statistics.median(r.to_county):.3f}",
                     f"{min(r.to_all):.3f}", f"{statistics.median(r.to_all):.3f}",
                     f"{mb(r.json_args_all)} / {mb(r.json_args_county)}"])
    return table(["vill./ent.", "layers", "first s", "runs", f"->{SUIXI} best", "median",
                  "->all best", "median", "component JSON all / county"], rows, left=2)


def ratio(a, b) -> str:
    return "-" if a is None or not b else f"{a / b:.1f}x"


def find(results, size, layers, view, builder):
    return next((r for r in results if (r.size, r.layers, r.view, r.builder) == (size, layers, view, builder)),
                None)


def check_targets(results: list[Result], app_results: list[AppResult], structural: tuple[bool, str],
                  sizes) -> tuple[list[str], bool]:
    lines, ok = [], True

    def verdict(passed: bool | None, text: str):
        nonlocal ok
        ok = ok and passed is not False
        lines.append(f"{'SKIP' if passed is None else 'PASS' if passed else 'FAIL'}  {text}")

    verdict(structural[0], f"pans/zooms never rerun the page: {structural[1]} "
                           "(and the component received exactly that on every run)")
    for villages, limit in TARGET_RERUN.items():
        size = next((s for s in sizes if s[0] == villages), None)
        for layers in LAYER_SETS:
            mine = [r for r in results if r.size == size and r.layers == layers and r.builder == "ours"]
            label = f"filter change, {size_text(size) if size else f'{villages:,}/?'} {layers} layers, under {limit} s"
            if not mine:
                verdict(None, f"{label} (direct): not measured")
            else:
                worst = max(mine, key=lambda r: r.best_total)
                verdict(worst.best_total < limit,
                        f"{label} (direct, slowest view: filter={worst.view}): {worst.best_total:.3f} s")
            app = next((a for a in app_results if a.size == size and a.layers == layers), None)
            if app is None:
                verdict(None, f"{label} (AppTest): not measured")
            elif app.error:
                verdict(False, f"{label} (AppTest): {app.error}")
            else:
                worst = max(min(app.to_county), min(app.to_all))
                verdict(worst < limit, f"{label} (AppTest, slower direction, best of {len(app.to_all)}): "
                                       f"{worst:.3f} s")
    villages, limit = TARGET_BYTES
    size = next((s for s in sizes if s[0] == villages), None)
    for layers in LAYER_SETS:
        mine = [r for r in results if r.size == size and r.layers == layers and r.builder == "ours"]
        if not mine:
            verdict(None, f"{villages:,} villages, {layers} layers: sent under {limit / 1e6:g} MB: not measured")
            continue
        worst = max(mine, key=lambda r: r.payload_total)
        verdict(worst.payload_total < limit, f"{size_text(size)}, {layers} layers (filter={worst.view}): sent "
                                             f"under {limit / 1e6:g} MB: {mb(worst.payload_total)}")
    return lines, ok


# --- profile ----------------------------------------------------------------------------------
def profile(size, layers: str = "all", limit: int = 35) -> None:
    full = scaled_dataset(size[0], n_enterprises=size[1])
    view = view_state(LAYER_SETS[layers], VIEWS["none"])
    with captured_component() as captured:
        rerun(ours_map, full, view, captured)  # warm caches, as in the benchmark
        profiler = cProfile.Profile()
        gc.collect()
        profiler.enable()
        steps = rerun(ours_map, full, view, captured)
        profiler.disable()
    print("steps (under the profiler): " + ", ".join(f"{k} {v:.3f} s" for k, v in steps.items()))
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(limit)
        print(f"=== ours, {size_text(size)}, {layers} layers, no filter, sorted by {key} ===\n{out.getvalue()}")


def layer_bytes(size) -> None:
    """Bytes per layer of the map st_folium sends (all layers, no filter), and per feature."""
    full = scaled_dataset(size[0], n_enterprises=size[1])
    rows = []
    with captured_component() as captured:
        for key in LAYERS:
            view = view_state((key,), VIEWS["none"])
            rerun(ours_map, full, view, captured)
            sent = payload_bytes(captured)
            count = captured["feature_group"].count('"type":"Feature"')
            rows.append([key, LAYERS[key], f"{sent['feature_group']:,}", f"{count:,}",
                         f"{sent['feature_group'] / count:.0f}" if count else "-"])
        rows.append(["(base map)", "script+header+html", f"{sent['script'] + sent['header'] + sent['html']:,}",
                     "", ""])
    print(f"Bytes per layer, {size_text(size)}, no filter\n")
    print(table(["layer", "label", "bytes", "features", "bytes/feature"], rows, left=2))


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for item in text.split(","):
        if not item.strip():
            continue
        villages, _, enterprises = item.replace("_", "").partition(":")
        villages = int(villages)
        sizes.append((villages, int(enterprises) if enterprises else max(24, villages // 10)))
    return sorted(set(sizes))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(f"{v}:{e}" for v, e in DEFAULT_SIZES),
                        help="comma-separated VILLAGES:ENTERPRISES (default %(default)s; "
                             "without :ENTERPRISES, villages/10 but at least 24)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per measurement (best counts)")
    parser.add_argument("--quick", action="store_true", help=f"no baseline above {QUICK_BASELINE_MAX:,} villages")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--no-apptest", action="store_true", help="skip the AppTest page reruns")
    parser.add_argument("--profile", metavar="V:E", help="cProfile one rerun (all layers, no filter) and exit")
    parser.add_argument("--layer-bytes", metavar="V:E", help="bytes sent per layer (no filter) and exit")
    args = parser.parse_args(argv)

    if args.layer_bytes:
        for size in parse_sizes(args.layer_bytes):
            layer_bytes(size)
        return 0

    if args.profile:
        for size in parse_sizes(args.profile):
            profile(size)
        return 0

    structural = check_show_map_arguments()
    sizes = parse_sizes(args.sizes)
    datasets = {}
    for size in sizes:  # not timed
        start = time.perf_counter()
        datasets[size] = scaled_dataset(size[0], n_enterprises=size[1])
        print(f"data set of {size_text(size)} villages/enterprises made and validated in "
              f"{time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)

    load_at_start = os.getloadavg()[0]
    results: list[Result] = []
    with captured_component() as captured:
        for builder in BUILDERS:  # warm-up: geodata caches, templates
            rerun(BUILDERS[builder], datasets[sizes[0]], view_state(LAYER_SETS["all"], VIEWS["none"]), captured)
        for size in sizes:
            full = datasets[size]
            for layers in LAYER_SETS:
                for view_name in VIEWS:
                    results.append(measure("ours", size, layers, view_name, full, args.repeats,
                                           not args.no_memory, captured))
                    if args.quick and size[0] > QUICK_BASELINE_MAX:
                        continue
                    repeats = 1 if size[0] >= BASELINE_SINGLE_RUN_FROM else args.repeats
                    results.append(measure("baseline", size, layers, view_name, full, repeats,
                                           not args.no_memory, captured))

    app_results: list[AppResult] = []
    if not args.no_apptest:
        for size in sizes:
            with temporary_database(datasets[size]) as url:
                for layers in LAYER_SETS:
                    app_results.append(apptest_measure(size, datasets[size], layers, args.repeats, url))

    lines, ok = check_targets(results, app_results, structural, sizes)
    print(f"\n产业地图 page, server side of one filter change · {machine()} at end, "
          f"{load_at_start:.2f} at start\n")
    print("Time (seconds; best run, split by step; 'filter' = county filter of the view after the change)\n")
    print(time_table(results))
    print("\nBytes handed to the st_folium component (MB = 10^6 bytes) and tracemalloc peak of one rerun\n")
    print(bytes_table(results))
    print("\nBaseline / ours (map = base + layers + st_folium; rerun = every step)\n")
    print(factor_table(results))
    if app_results:
        print("\nAppTest: full page rerun after changing the county filter (seconds)\n")
        print(apptest_table(app_results))
    print()
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
