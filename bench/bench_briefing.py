"""Benchmark: the one-click briefing (city, 2019Q4 demo data), PPTX and PDF together, as the
会议简报 page builds it, beside a naive baseline in the same process.

    .venv/bin/python -m bench.bench_briefing [--repeats N] [--county 遂溪县]

ours:     content (KPIs, tables, four static maps, 湛柳 summary) built once, then the deck
          and the PDF rendered from it (report.briefing.make with both formats).
baseline: what one would do naively: the whole briefing built separately for each format
          (content — maps included — drawn twice).
Target: the city briefing, both files, under 30 s (DESIGN/issue 10). Timings depend on the
machine and its load; tests never assert them. WeasyPrint's first import (~1-8 s) is paid
once per process before timing.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

from fupin_geo.data import demo
from fupin_geo.report import briefing, content, fonts

TARGET_SECONDS = 30.0


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--county", default=None)
    args = parser.parse_args()
    datasets = demo.build_demo()
    dataset, quarters = datasets[-1], [d.quarter for d in datasets]
    county = content.county_code(args.county)
    fonts.register()
    import weasyprint  # noqa: F401  (import once, untimed)

    stages: dict[str, list[float]] = {"content (maps, tables)": [], "pptx": [], "pdf": [],
                                      "ours: total, both files": [], "baseline: content per format": []}
    for _ in range(args.repeats):
        made = {}
        t_content = timed(lambda made=made: made.setdefault("b", content.build(dataset, quarters, county)))
        t_pptx = timed(lambda made=made: briefing.render(made["b"], "pptx"))
        t_pdf = timed(lambda made=made: briefing.render(made["b"], "pdf"))
        stages["content (maps, tables)"].append(t_content)
        stages["pptx"].append(t_pptx)
        stages["pdf"].append(t_pdf)
        stages["ours: total, both files"].append(t_content + t_pptx + t_pdf)
        stages["baseline: content per format"].append(
            timed(lambda: [briefing.render(content.build(dataset, quarters, county), fmt) for fmt in ("pptx", "pdf")]))
    print(f"# briefing benchmark · {args.county or '全市'} · 2019Q4 demo · {args.repeats} runs · "
          f"{platform.machine()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f}")
    print("| stage | min s | median s | max s |\n|---|---|---|---|")
    for name, values in stages.items():
        print(f"| {name} | {min(values):.2f} | {statistics.median(values):.2f} | {max(values):.2f} |")
    ours = statistics.median(stages["ours: total, both files"])
    verdict = "PASS" if ours < TARGET_SECONDS else "FAIL"
    print(f"\ntarget: both files under {TARGET_SECONDS:.0f} s → {verdict} (median {ours:.1f} s)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
