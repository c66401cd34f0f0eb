"""Benchmark: 短板排查 ranking and site suggestions, and the 联农带农 map, each beside a naive
baseline measured in the same run.

Run from the repo root:

    .venv/bin/python -m bench.bench_linkage_ranking            # 20,000 villages / 2,000 enterprises
    .venv/bin/python -m bench.bench_linkage_ranking --quick    # naive baselines on samples only

What is measured (bench/README.md has the full description):

1. Ranking: `ranking.rank(dataset)` end to end on 20,000 villages (distances to every 产业园,
   扶贫龙头企业 and 加工企业, the parts, scores, sort and one reason sentence per village), and
   its distance step alone (`distances.nearest_km` of 20,000 villages to 2,000 enterprises).
   Baseline: a double loop in Python over (village, enterprise) pairs on the same projected
   coordinates (math.hypot), giving the same nearest distances.
2. Suggestions: `ranking.suggest_sites` with k = 10 over 20,000 candidate villages (plus the
   town centres), radius 5 km, targets the top 2,000 villages of the ranking (and, second
   row, all 20,000). Baseline: the greedy algorithm as a double loop (for each round, for each
   candidate, for each target: distance, radius test, not yet reached?), timed on the first
   --naive-candidates candidates of round one and extrapolated to all candidates and k rounds
   (marked "extrapolated"); its round-one gains for those candidates are checked equal to ours.
3. Linkage map: `linkage_map.layers` with 20,000 link lines (the first 20,000 of the data
   set's linkages), through the real st_folium with only its last call stubbed (as in
   bench_overview_map.py); bytes sent = script + feature_group + header + html. Baseline: one
   folium.PolyLine with a tooltip per line in one FeatureGroup, sent the same way.

Targets (exit status 1 if one fails): ranking under 1 s; k = 10 suggestions under 3 s; the
20,000-line map under 3 MB sent and under 1 s on the server. Timings are the best of --repeats
runs by wall clock, printed with that run's CPU seconds (time.process_time); the targets are
judged on CPU seconds, since on this shared 2-CPU machine the wall clock mostly measures the
other processes.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import math
import sys
import time

import folium
import numpy as np

from bench.harness import captured_component, machine
from bench.synthetic import scaled_dataset
from fupin_geo import ui
from fupin_geo.analysis import linkage, ranking
from fupin_geo.geo import distances
from fupin_geo.maps import linkage_map

logging.getLogger("streamlit").setLevel(logging.ERROR)

VILLAGES, ENTERPRISES = 20_000, 2_000
K, RADIUS_KM, TOP = 10, 5.0, 2_000
LINES = 20_000
TARGET_RANK_S, TARGET_SUGGEST_S, TARGET_MAP_S, TARGET_MAP_BYTES = 1.0, 3.0, 1.0, 3e6
PARTS = ("script", "feature_group", "header", "html")


CPU = {}  # the CPU seconds (time.process_time) of the last `best` call's best run


def best(fn, repeats: int) -> tuple[float, object]:
    """Best wall-clock seconds of `repeats` runs, and the result; CPU["last"] holds that
    run's CPU seconds (on a shared, overloaded machine the wall clock mostly measures the
    other processes: the targets are judged on CPU seconds, both are printed)."""
    times, result = [], None
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, CPU["last"] = min(times)
    return wall, result


def naive_nearest(vx, vy, sx, sy, count: int) -> tuple[float, np.ndarray]:
    """Nearest site of the first `count` villages by a double loop; seconds and km."""
    vx, vy, sx, sy = (a.tolist() for a in (vx, vy, sx, sy))
    out = []
    start = time.perf_counter()
    for i in range(count):
        nearest = math.inf
        for j in range(len(sx)):
            d = math.hypot(vx[i] - sx[j], vy[i] - sy[j])
            if d < nearest:
                nearest = d
        out.append(nearest / 1000)
    return time.perf_counter() - start, np.array(out)


def naive_round_one(cx, cy, tx, ty, weights, count: int, radius_m: float) -> tuple[float, list[float]]:
    """Round one of the greedy double loop for the first `count` candidates."""
    cx, cy, tx, ty, weights = (a.tolist() for a in (cx, cy, tx, ty, weights))
    reached = [False] * len(tx)
    gains = []
    start = time.perf_counter()
    for i in range(count):
        gain = 0.0
        for j in range(len(tx)):
            if not reached[j] and math.hypot(cx[i] - tx[j], cy[i] - ty[j]) <= radius_m:
                gain += weights[j]
        gains.append(gain)
    return time.perf_counter() - start, gains


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="naive ranking on 1,000 villages only (extrapolated)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-candidates", type=int, default=200,
                        help="candidates timed in the naive greedy round (extrapolated to all)")
    args = parser.parse_args()
    load_start = machine()
    print(f"building {VILLAGES:,} villages / {ENTERPRISES:,} enterprises …", file=sys.stderr)
    dataset = scaled_dataset(VILLAGES, n_enterprises=ENTERPRISES)
    results: list[tuple[str, bool, str]] = []
    ranking.rank(scaled_dataset(218))  # warm-up: projections, geodata, towns

    # --- 1. ranking ------------------------------------------------------------------------
    print("ranking …", file=sys.stderr)
    villages, enterprises = dataset.villages, dataset.enterprises
    rank_s, ranked = best(lambda: ranking.rank(dataset), args.repeats)
    rank_cpu = CPU["last"]
    site_count = sum(len(f) for f in ranking.sites(dataset).values())
    dist_s, ours_km = best(lambda: distances.nearest_km(villages["lon"], villages["lat"],
                                                        enterprises["lon"], enterprises["lat"]), args.repeats)
    dist_cpu = CPU["last"]
    vx, vy = distances.project(villages["lon"], villages["lat"])
    sx, sy = distances.project(enterprises["lon"], enterprises["lat"])
    count = 1_000 if args.quick else len(villages)
    cpu = time.process_time()
    naive_s, naive_km = naive_nearest(vx, vy, sx, sy, count)
    naive_cpu = (time.process_time() - cpu) * len(villages) / count
    same = float(np.max(np.abs(naive_km - ours_km[:count])))
    naive_full = naive_s * len(villages) / count
    note = "" if count == len(villages) else f" (extrapolated from {count:,})"
    rows = [
        [f"{len(villages):,}", f"{len(enterprises):,}", "ours: rank() end to end", f"{rank_s:.3f}", f"{rank_cpu:.3f}",
         f"{site_count:,} sites (parks, leading, processing)"],
        [f"{len(villages):,}", f"{len(enterprises):,}", "ours: nearest_km (STRtree)", f"{dist_s:.3f}",
         f"{dist_cpu:.3f}", "distances to the 2,000 enterprises only"],
        [f"{len(villages):,}", f"{len(enterprises):,}", "naive: double loop, nearest", f"{naive_full:.3f}",
         f"{naive_cpu:.3f}", f"{naive_cpu / dist_cpu:,.0f}x the CPU of nearest_km{note}; max |Δ| {same:.2e} km"],
    ]
    print(f"\n短板排查 ranking · {load_start}\n")
    print(table(["villages", "sites", "what", "wall s", "CPU s", "notes"], rows))
    results.append((f"ranking {VILLAGES:,} villages against {ENTERPRISES:,}+ sites under {TARGET_RANK_S} s (CPU)",
                    rank_cpu < TARGET_RANK_S, f"{rank_cpu:.3f} s CPU, {rank_s:.3f} s wall"))

    # --- 2. suggestions --------------------------------------------------------------------
    print("suggestions …", file=sys.stderr)
    candidates = ranking.candidate_sites(dataset)
    rows = []
    for label, targets in ((f"top {TOP:,}", ranked.head(TOP)), (f"all {len(ranked):,}", ranked)):
        ours_s, chosen = best(lambda targets=targets: ranking.suggest_sites(candidates, targets, K, RADIUS_KM),
                               args.repeats)
        ours_cpu = CPU["last"]
        cx, cy = distances.project(candidates["lon"], candidates["lat"])
        tx, ty = distances.project(targets["lon"], targets["lat"])
        n = args.naive_candidates
        cpu = time.process_time()
        naive_s, gains = naive_round_one(cx, cy, tx, ty, targets["poor_households"].to_numpy(float), n,
                                         RADIUS_KM * 1000)
        site_index, target_index = distances.pairs_within(candidates["lon"], candidates["lat"], targets["lon"],
                                                          targets["lat"], RADIUS_KM)
        ours_gains = np.bincount(site_index, weights=targets["poor_households"].to_numpy(float)[target_index],
                                 minlength=len(candidates))[:n]
        agree = bool(np.allclose(ours_gains, gains))
        naive_cpu = (time.process_time() - cpu) * len(candidates) / n * K
        naive_full = naive_s * len(candidates) / n * K
        covered = sum(s["gain"] for s in chosen)
        rows.append([f"{len(candidates):,}", label, str(K), f"{ours_s:.3f}", f"{ours_cpu:.3f}", f"{naive_full:,.1f}",
                     f"{naive_cpu:,.1f}", f"{naive_cpu / ours_cpu:,.0f}x",
                     f"{len(chosen)} sites, {covered:,.0f} poor households; naive timed on {n} candidates "
                     f"x 1 round, extrapolated; round-one gains equal: {agree}"])
        if label.startswith("top"):
            results.append((f"k = {K} suggestions over {len(candidates):,} candidates under {TARGET_SUGGEST_S} s (CPU)",
                            ours_cpu < TARGET_SUGGEST_S and agree, f"{ours_cpu:.3f} s CPU, {ours_s:.3f} s wall"))
    print(f"\nWhere to act: greedy k = {K}, radius {RADIUS_KM:g} km (candidates: villages + town centres)\n")
    print(table(["candidates", "targets", "k", "ours wall s", "ours CPU s", "naive wall s", "naive CPU s",
                 "CPU ratio", "notes"], rows))

    # --- 3. linkage map --------------------------------------------------------------------
    print("linkage map …", file=sys.stderr)
    lines = linkage.link_lines(dataset).head(LINES)
    rows = []

    def ours():
        with captured_component() as captured:
            ui.show_map(linkage_map.base_map(), key="linkage_map",
                        layers=linkage_map.layers(dataset, lines=lines))
        return dict(captured)

    def naive():
        group = folium.FeatureGroup(name="联农带农关系")
        for r in lines.itertuples():
            folium.PolyLine([[r.slat, r.slon], [r.vlat, r.vlon]], color=linkage_map.LINK_TYPE_COLORS[r.link_type],
                            weight=2, tooltip=f"{r.source_name} → {r.village_name}<br>{r.link_type}"
                                              f" · 农户 {r.households} 户").add_to(group)
        with captured_component() as captured:
            ui.show_map(folium.Map(location=[21.0, 110.2], zoom_start=9), key="linkage_map", layers=[group])
        return dict(captured)

    measured = {}
    for name, fn, repeats in (("ours", ours, args.repeats), ("naive", naive, 1)):
        seconds, captured = best(fn, repeats)
        sent = sum(len(str(captured.get(p) or "").encode("utf-8")) for p in PARTS)
        measured[name] = (CPU["last"], seconds, sent)
        rows.append([f"{len(lines):,}", name, str(repeats), f"{seconds:.3f}", f"{CPU['last']:.3f}",
                     f"{sent / 1e6:.2f} MB"])
    print(f"\n联农带农 map with {len(lines):,} lines, server side (build + st_folium) and bytes sent "
          f"(script + feature_group + header + html)\n")
    print(table(["lines", "map", "runs", "wall s", "CPU s", "sent"], rows))
    cpu_s, seconds, sent = measured["ours"]
    results.append((f"{LINES:,}-line map built under {TARGET_MAP_S} s (CPU)", cpu_s < TARGET_MAP_S,
                    f"{cpu_s:.3f} s CPU, {seconds:.3f} s wall"))
    results.append((f"{LINES:,}-line map sends under {TARGET_MAP_BYTES / 1e6:g} MB", sent < TARGET_MAP_BYTES,
                    f"{sent / 1e6:.2f} MB"))

    print(f"\nload average at end {__import__('os').getloadavg()[0]:.2f}\n")
    for text, ok, value in results:
        print(f"{'PASS' if ok else 'FAIL'}  {text}: {value}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
