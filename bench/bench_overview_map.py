"""Benchmark: the 总览 map (common.overview_map) against a naive folium map, server side.

Run from the repo root:

    .venv/bin/python -m bench.bench_overview_map            # 218, 2,277, 20,000 villages (minutes)
    .venv/bin/python -m bench.bench_overview_map --quick    # no baseline at 20,000 (seconds)
    .venv/bin/python -m bench.bench_overview_map --sizes 218,5000 --repeats 5
    .venv/bin/python -m bench.bench_overview_map --profile 20000   # cProfile of ours, then exit

What one measurement is: build the map from a ready Dataset, then hand it to the real
`streamlit_folium.st_folium` with the arguments `fupin_geo.ui.show_map` uses, with only the
final call into the Streamlit component (`_component_func`) replaced by a stub that keeps its
arguments. So everything st_folium does on the server is timed: `get_root().render()`,
`render()`, `_get_html`, `_get_header`, `_get_map_string` (generate_leaflet_string and its
regex passes), bounds, the walk for js/css links and the hash of the script. Not timed:
making the data set, and Streamlit's own serialisation of the component arguments.

Size = bytes (UTF-8) of html + header + script as passed to the component.
Peak memory = tracemalloc peak during one extra, untimed run (tracemalloc slows Python
allocations several-fold, so it never runs during a timed run).

Targets (exit status 1 if one fails; a target whose numbers were not measured is SKIP):
  * 218 villages: ours under 0.15 s;
  * 20,000 villages: ours under 1.5 s and at least 30x faster than the baseline.
Timings depend on the machine; the test suite never asserts them.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import logging
import os
import pstats
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field

import folium
import streamlit_folium

from bench.harness import captured_component, machine
from bench.synthetic import scaled_dataset
from fupin_geo import config
from fupin_geo.data.dataset import Dataset
from fupin_geo.maps import common

# Without a running app Streamlit warns "missing ScriptRunContext" on every call; harmless.
logging.getLogger("streamlit").setLevel(logging.ERROR)

DEFAULT_SIZES = (218, 2_277, 20_000)
# --quick skips the baseline above this size (its 20,000 run alone takes minutes).
QUICK_BASELINE_MAX = 5_000
# The baseline is run once (not best of N) from this size on.
BASELINE_SINGLE_RUN_FROM = 10_000

TARGET_SMALL = (218, 0.15)  # villages, seconds
TARGET_LARGE = (20_000, 1.5)
TARGET_SPEEDUP = (20_000, 30.0)


# --- the two maps ----------------------------------------------------------------------------
def ours(dataset: Dataset) -> folium.Map:
    return common.overview_map(dataset)


def baseline(dataset: Dataset) -> folium.Map:
    """The naive way: a plain folium.Map, one folium.Marker with the village name as tooltip
    per village (default OSM tiles, default icons)."""
    villages = dataset.villages
    m = folium.Map(location=[float(villages["lat"].mean()), float(villages["lon"].mean())], zoom_start=9)
    for lat, lon, name in zip(villages["lat"], villages["lon"], villages["name"]):
        folium.Marker([float(lat), float(lon)], tooltip=name).add_to(m)
    return m


BUILDERS = {"ours": ours, "baseline": baseline}


def show_server_side(m: folium.Map) -> None:
    """What fupin_geo.ui.show_map does, minus the browser: same st_folium arguments."""
    streamlit_folium.st_folium(m, key="overview_map", height=config.MAP_HEIGHT, use_container_width=True,
                               returned_objects=["last_object_clicked"], feature_group_to_add=None)


@dataclass
class Run:
    build: float
    render: float

    @property
    def total(self) -> float:
        return self.build + self.render


@dataclass
class Result:
    builder: str
    size: int
    runs: list[Run] = field(default_factory=list)
    payload_bytes: int = 0
    peak_bytes: int | None = None

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda r: r.total)

    @property
    def median(self) -> float:
        return statistics.median(r.total for r in self.runs)


def timed_run(builder, dataset: Dataset, captured: dict) -> tuple[Run, int]:
    gc.collect()
    start = time.perf_counter()
    m = builder(dataset)
    built = time.perf_counter()
    show_server_side(m)
    done = time.perf_counter()
    payload = sum(len(captured[k].encode("utf-8")) for k in ("html", "header", "script"))
    return Run(built - start, done - built), payload


def peak_memory(builder, dataset: Dataset) -> int:
    """Peak bytes allocated while building and rendering (the data set already exists)."""
    gc.collect()
    tracemalloc.start()
    try:
        show_server_side(builder(dataset))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(name: str, dataset: Dataset, repeats: int, memory: bool, captured: dict) -> Result:
    result = Result(name, len(dataset.villages))
    for _ in range(repeats):
        run, payload = timed_run(BUILDERS[name], dataset, captured)
        result.runs.append(run)
        result.payload_bytes = payload
        print(f"  {name:<8} {result.size:>7,} villages: {run.total:8.3f} s", file=sys.stderr, flush=True)
    if memory:
        result.peak_bytes = peak_memory(BUILDERS[name], dataset)
    return result


# --- output ----------------------------------------------------------------------------------
def table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain-text table: the first two columns left-aligned, numbers right-aligned."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 1e6:.2f} MB"


def results_table(results: list[Result]) -> str:
    rows = [[f"{r.size:,}", r.builder, str(len(r.runs)), f"{r.best.total:.3f}", f"{r.median:.3f}",
             f"{r.best.build:.3f}", f"{r.best.render:.3f}", mb(r.payload_bytes), mb(r.peak_bytes)]
            for r in results]
    return table(["villages", "map", "runs", "best s", "median s", "build s", "render s",
                  "HTML+script", "peak mem"], rows)


def speedup_table(results: list[Result]) -> str:
    rows = []
    for size in sorted({r.size for r in results}):
        mine = next((r for r in results if r.size == size and r.builder == "ours"), None)
        base = next((r for r in results if r.size == size and r.builder == "baseline"), None)
        if mine is None:
            continue
        if base is None:
            rows.append([f"{size:,}", f"{mine.best.total:.3f}", "not run", "-", "-", "-"])
            continue
        rows.append([f"{size:,}", f"{mine.best.total:.3f}", f"{base.best.total:.3f}",
                     f"{base.best.total / mine.best.total:.1f}x",
                     ratio(base.payload_bytes, mine.payload_bytes), ratio(base.peak_bytes, mine.peak_bytes)])
    return table(["villages", "ours s", "baseline s", "speed-up", "bytes: base/ours", "memory: base/ours"], rows)


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"{a / b:.1f}x"


def check_targets(results: list[Result]) -> tuple[list[str], bool]:
    def find(builder, size):
        return next((r for r in results if r.builder == builder and r.size == size), None)

    lines, ok = [], True

    def verdict(passed: bool | None, text: str):
        nonlocal ok
        ok = ok and passed is not False
        lines.append(f"{'SKIP' if passed is None else 'PASS' if passed else 'FAIL'}  {text}")

    for size, limit in (TARGET_SMALL, TARGET_LARGE):
        mine = find("ours", size)
        if mine is None:
            verdict(None, f"{size:,} villages under {limit} s: not measured")
        else:
            verdict(mine.best.total < limit, f"{size:,} villages under {limit} s: {mine.best.total:.3f} s")
    size, factor = TARGET_SPEEDUP
    mine, base = find("ours", size), find("baseline", size)
    if mine is None or base is None:
        verdict(None, f"{size:,} villages at least {factor:g}x faster than the baseline: not measured")
    else:
        speedup = base.best.total / mine.best.total
        verdict(speedup >= factor, f"{size:,} villages at least {factor:g}x faster than the baseline: {speedup:.1f}x")
    return lines, ok


def profile(size: int, limit: int = 30) -> None:
    dataset = scaled_dataset(size)
    with captured_component():
        show_server_side(ours(dataset))  # warm caches, as in the benchmark
        profiler = cProfile.Profile()
        gc.collect()
        profiler.enable()
        show_server_side(ours(dataset))
        profiler.disable()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(limit)
        print(f"=== ours at {size:,} villages, sorted by {key} ===\n{out.getvalue()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated village counts (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of ours per size (best counts)")
    parser.add_argument("--quick", action="store_true",
                        help=f"skip the baseline above {QUICK_BASELINE_MAX:,} villages")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="cProfile ours at SIZE villages and exit")
    args = parser.parse_args(argv)

    if args.profile:
        profile(args.profile)
        return 0

    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    datasets = {}
    for size in sizes:  # not timed
        start = time.perf_counter()
        datasets[size] = scaled_dataset(size)
        print(f"data set of {size:,} villages made and validated in {time.perf_counter() - start:.1f} s",
              file=sys.stderr, flush=True)

    # Other processes skew timings: the load average at start and end is printed with the tables.
    load_at_start = os.getloadavg()[0]
    results: list[Result] = []
    with captured_component() as captured:
        # Warm-up, not counted: loads the cached geodata and compiles the templates once, as a
        # running app has done before its first page view is measured by anyone.
        for builder in BUILDERS.values():
            timed_run(builder, datasets[sizes[0]], captured)
        for size in sizes:
            dataset = datasets[size]
            results.append(measure("ours", dataset, args.repeats, not args.no_memory, captured))
            if args.quick and size > QUICK_BASELINE_MAX:
                continue
            repeats = 1 if size >= BASELINE_SINGLE_RUN_FROM else args.repeats
            results.append(measure("baseline", dataset, repeats, not args.no_memory, captured))

    lines, ok = check_targets(results)
    print(f"\n总览 map, server side (build + st_folium rendering) · {machine()} at end, "
          f"{load_at_start:.2f} at start\n")
    print(results_table(results))
    print()
    print(speedup_table(results))
    print()
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
