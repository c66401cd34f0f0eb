"""Browser benchmark of the 产业地图: filter change -> points redrawn, first map after the
shell, iframes replaced, and a rerun's server time; this tree beside an older commit.

Run from the repo root (needs /usr/bin/chromium; several minutes):

    .venv/bin/python -m bench.bench_browser                       # before = d65a071, demo + 20,000
    .venv/bin/python -m bench.bench_browser --before main --sizes demo --repeats 5
    .venv/bin/python -m bench.bench_browser --before none         # this tree only

The older commit is checked out with `git worktree add --detach` into a temporary folder
(removed at the end) and run with this tree's Python environment, on a copy of the same
database, so the table shows before/after from one run on one machine. Timings are printed,
never asserted; see bench/README.md for what each column means.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import (CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, REPO, TIMEOUT_MS, log, make_database, new_context,
                           serve, settle)
from fupin_geo import config
from fupin_geo.analysis import filters

SUIXI = "440823"
DEFAULT_BEFORE = "d65a071"  # the tree before issue 11's "map never rebuilt" work

# Runs in the measured tree (its own code): a rerun's server time through AppTest.
_SERVER_RERUN = r"""
import json, sys, time
from streamlit.testing.v1 import AppTest
repeats = int(sys.argv[1])
at = AppTest.from_file("app.py", default_timeout=600)
at.switch_page("pages/industry_map.py").run()
def box():  # the county filter: pills, or a multiselect in trees before d988e4e
    try:
        return at.pills(key="industry_counties")
    except KeyError:
        return at.multiselect(key="industry_counties")
t = time.perf_counter(); box().select("440823").run(); first = time.perf_counter() - t  # cold: 遂溪 never shown
box().unselect("440823").run()
to_county, to_all = [], []
for _ in range(repeats):
    t = time.perf_counter(); box().select("440823").run(); to_county.append(time.perf_counter() - t)
    t = time.perf_counter(); box().unselect("440823").run(); to_all.append(time.perf_counter() - t)
assert not at.exception, [e.value for e in at.exception]
print(json.dumps({"server_to_county": to_county, "server_to_all": to_all, "server_first_county": [first]}))
"""


def type_county(page, label: str):
    """Type the county's name into the filter, short of the key press that chooses it."""
    box = page.get_by_label("县（市、区）", exact=True)
    box.click()
    box.fill(label)


def press_enter(page):
    """The key press that chooses the typed county (the issue's clock starts here)."""
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def received(page) -> int:
    """WebSocket bytes the page has received from the server so far (see harness.PAGE_PROBE)."""
    return page.evaluate("window.__wsBytesIn")


def main_thread(cdp) -> tuple[float, float]:
    """Seconds the page's renderer main thread has spent so far: all tasks, and JavaScript.

    Chromium's own counters (CDP Performance.getMetrics), cumulative. The map frame is
    served by the same host, so it runs in the same renderer and on the same thread."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["TaskDuration"], metrics["ScriptDuration"]


def clear_county(page):
    page.get_by_test_id("stMultiSelect").first.locator("[aria-label=\"Clear all\"]").click()


def county_actions(page):
    """(prepare, choose, clear) for 遂溪 on the page's county filter, the latter two timed.

    The filter is a row of pills: one click chooses, the same click again clears. Trees
    before d988e4e have a multiselect: the name is typed untimed (prepare), the Enter
    key chooses, its "Clear all" clears."""
    pill = page.get_by_role("button", name="遂溪县", exact=True)
    if pill.count():
        click = lambda _page: pill.click()  # noqa: E731
        return (lambda _page: None), click, click
    return (lambda p: type_county(p, "遂溪县")), press_enter, clear_county


# What browser_measures records per timed round (seconds, counts, bytes)
MEASURES = ("shell", "first_points", "to_county", "to_all", "to_county_again", "to_all_again", "iframes_added",
            "bytes_county", "bytes_all",
            "busy_county", "script_county", "busy_all", "script_all")


def drawn_at(page, n: int) -> float:
    """The page's time (s) of the first animation frame with `n` villages drawn (see harness.PAGE_PROBE)."""
    return page.evaluate("([n, t]) => window.__drawnAt(n, t)", [n, TIMEOUT_MS]) / 1000


def timed_change(page, cdp, act, n: int, settled: bool) -> dict:
    """Do `act` (the input that changes a filter) and time it until `n` villages are drawn:
    seconds on the page's clock from the input event, seconds on a clock in Python around
    it (for comparison), the main thread's busy seconds, and WebSocket bytes received."""
    page.evaluate("window.__armed = true; window.__inputAt = null")
    before, busy_before = received(page), main_thread(cdp)
    start = time.perf_counter()
    act(page)
    end = drawn_at(page, n)
    outer = time.perf_counter() - start
    busy_after = main_thread(cdp)
    if settled:
        settle(page)  # untimed; by then the whole rerun has arrived (with --no-settle: until drawn)
    return {"seconds": end - page.evaluate("window.__inputAt") / 1000, "outer": outer,
            "busy": busy_after[0] - busy_before[0], "script": busy_after[1] - busy_before[1],
            "bytes": received(page) - before}


def browser_measures(url: str, dataset, repeats: int, browser, warmup: bool = True, settled: bool = True) -> dict:
    n_all = len(dataset.villages)
    n_county = len(filters.apply(dataset, filters.VillageFilter(counties=(SUIXI,))).villages)
    out = {key: [] for key in MEASURES}
    for i in range(0 if warmup else 1, repeats + 1):  # round 0 warms the server's caches, untimed
        context = new_context(browser)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        start = time.perf_counter()
        page.goto(url + "/industry_map", wait_until="commit")
        page.get_by_test_id("stSidebar").wait_for(timeout=TIMEOUT_MS)
        outer_shell = time.perf_counter() - start
        first = drawn_at(page, n_all)
        outer_first = time.perf_counter() - start
        shell = page.evaluate("window.__shellAt") / 1000
        added = page.evaluate("window.__mapFramesAdded")
        if settled:
            settle(page)
        prepare, choose, clear = county_actions(page)
        prepare(page)
        county = timed_change(page, cdp, choose, n_county, settled)
        to_all = timed_change(page, cdp, clear, n_all, settled)
        # the same two changes again on the same page: the first change of a page also pays
        # for code the browser runs for the first time (e.g. the county box's list)
        prepare(page)
        county_again = timed_change(page, cdp, choose, n_county, settled)
        all_again = timed_change(page, cdp, clear, n_all, settled)
        # let a replaced frame's removal finish before counting
        page.wait_for_function(f"() => document.querySelectorAll('{MAP_FRAME}').length === 1")
        replaced = page.evaluate("window.__mapFramesAdded") - added
        context.close()
        if i:
            for key, value in (("shell", shell), ("first_points", first), ("to_county", county["seconds"]),
                               ("to_all", to_all["seconds"]), ("to_county_again", county_again["seconds"]),
                               ("to_all_again", all_again["seconds"]), ("iframes_added", replaced),
                               ("bytes_county", county["bytes"]), ("bytes_all", to_all["bytes"]),
                               ("busy_county", county["busy"]), ("script_county", county["script"]),
                               ("busy_all", to_all["busy"]), ("script_all", to_all["script"])):
                out[key].append(value)
        log(f"    round {i}: shell {shell:.2f} s, points {first:.2f} s (Python's clock {outer_shell:.2f} / "
            f"{outer_first:.2f}), ->遂溪 {county['seconds']:.2f} s "
            f"(Python's clock {county['outer']:.2f}), ->all {to_all['seconds']:.2f} s (Python's clock "
            f"{to_all['outer']:.2f}), again {county_again['seconds']:.2f} / {all_again['seconds']:.2f} s, "
            f"iframes added by the 4 changes {replaced}, WebSocket in "
            f"{county['bytes'] / 1000:.0f} / {to_all['bytes'] / 1000:.0f} kB, main thread busy "
            f"{county['busy']:.2f} / {to_all['busy']:.2f} s "
            f"(JavaScript {county['script']:.2f} / {to_all['script']:.2f} s)")
    return out


def server_rerun(tree: Path, db_url: str, repeats: int) -> dict:
    env = dict(os.environ, **{config.DB_URL_ENV: db_url})
    done = subprocess.run([sys.executable, "-c", _SERVER_RERUN, str(repeats)], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=3600)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def stats(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def busy(tasks: list[float], script: list[float]) -> str:
    """Median seconds the page's main thread was busy during a change, and of that in JavaScript."""
    if not tasks:
        return "—"
    return f"{statistics.median(tasks):.2f} ({statistics.median(script):.2f})"


def kilobytes(county: list[int], to_all: list[int]) -> str:
    """Median WebSocket kB received per change, →遂溪 / →all."""
    if not county:
        return "—"
    return f"{statistics.median(county) / 1000:.0f} / {statistics.median(to_all) / 1000:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="git ref of the 'before' tree, or 'none'")
    parser.add_argument("--sizes", default="demo,20000", help="comma-separated: demo and/or numbers of villages")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--server-repeats", type=int, default=3)
    parser.add_argument("--no-warmup", action="store_true", help="time the first round too (cold caches)")
    parser.add_argument("--no-settle", action="store_true",
                        help="change the filter the moment the points of the change before are drawn "
                             "(the clock of runs before settle() came in)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="fupin-bench-"))
    trees: list[tuple[str, Path]] = []
    if args.before != "none":
        before = work / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.before], cwd=REPO, check=True,
                       capture_output=True)
        commit = subprocess.run(["git", "log", "-1", "--format=%h %s", args.before], cwd=REPO,
                                capture_output=True, text=True).stdout.strip()
        trees.append((f"before ({commit[:7]})", before))
    head = subprocess.run(["git", "log", "-1", "--format=%h", "HEAD"], cwd=REPO, capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True).stdout.strip()
    trees.append((f"after ({head}{'+' if dirty else ''})", REPO))
    load_start = os.getloadavg()[0]
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size in args.sizes.split(","):
                log(f"data set {size} …")
                path, dataset = make_database(size, work)
                for name, tree in trees:
                    copy = work / f"{name.split()[0]}-{size}.sqlite"
                    shutil.copy(path, copy)
                    db_url = f"sqlite:///{copy}"
                    log(f"  {name}: browser")
                    with serve(tree, db_url, work / f"{name.split()[0]}-{size}.log") as server:
                        try:
                            measured = browser_measures(server.url, dataset, args.repeats, browser, not args.no_warmup,
                                                        not args.no_settle)
                        except Exception as error:  # noqa: BLE001 - one tree failing must not lose the other
                            log(f"  {name}: browser measure failed: {error!s:.300}")
                            measured = {k: [] for k in MEASURES}
                    log(f"  {name}: server rerun (AppTest)")
                    measured |= server_rerun(tree, db_url, args.server_repeats)
                    rows.append((size, name, len(dataset.villages), measured))
            browser.close()
    finally:
        if args.before != "none":
            subprocess.run(["git", "worktree", "remove", "--force", str(work / "before")], cwd=REPO)
        shutil.rmtree(work, ignore_errors=True)

    print(f"产业地图 in Chromium (headless) · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · "
          f"{os.cpu_count()} CPUs · load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    print("seconds, min / median / max of the timed rounds"
          + (" (cold: no warm-up round)" if args.no_warmup else " (one warm-up round before them)")
          + ("; each filter change the moment the change before has drawn its points\n" if args.no_settle
             else "; each filter change on a settled page\n"))
    headers = ["data", "tree", "shell", "first points", "points−shell", "filter →遂溪", "filter →all",
               "again →遂溪", "again →all",
               "iframes replaced", "kB in →遂溪 / →all", "busy →遂溪", "busy →all", "server →遂溪", "server →all",
               "server →遂溪 first"]
    lines = [headers]
    for size, name, villages, m in rows:
        gap = [p - s for p, s in zip(m["first_points"], m["shell"])]
        lines.append([f"{size} ({villages:,} villages)", name, stats(m["shell"]), stats(m["first_points"]),
                      stats(gap), stats(m["to_county"]), stats(m["to_all"]), stats(m["to_county_again"]),
                      stats(m["to_all_again"]), f"{sum(m['iframes_added'])} of {4 * len(m['iframes_added'])} changes",
                      kilobytes(m["bytes_county"], m["bytes_all"]),
                      busy(m["busy_county"], m["script_county"]), busy(m["busy_all"], m["script_all"]),
                      stats(m["server_to_county"]), stats(m["server_to_all"]),
                      stats(m.get("server_first_county", []))])
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(headers))]
    for k, row in enumerate(lines):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
