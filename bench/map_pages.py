"""The map pages that draw what lies below their map after it (fupin_geo.ui.edge.below_map), each
opened as a tab's first page: when the map is drawn and when the rest is, as shipped and, as
the baseline, with all of the page in one run (as before below_map).

Run from the repo root (needs /usr/bin/chromium; about five minutes with the defaults):

    .venv/bin/python -m bench.map_pages                 # 5 cold rounds per page and app
    .venv/bin/python -m bench.map_pages --repeats 9 --pages /quarters /        # any page
    .venv/bin/python -m bench.map_pages --cache warm    # a browser that has been here before
    git worktree add /tmp/before HEAD~1 && .venv/bin/python -m bench.map_pages --against /tmp/before

Both apps run on one demo database, each in a Streamlit server of its own; "all at once" is
app.py with the session marked as having drawn a map before each page runs, which is what
every later page of a tab sees. Each round opens the page in a new tab, alternating between
the two apps: with `--cache cold` (the default) in a new browser context, whose cache is
empty, as on a browser's first visit; with `--cache warm` in one context per app, whose
cache holds Streamlit's front end from the rounds before (its files are cached for a year),
as for a person who has used the app before. `--against TREE` adds a third app, another
checkout (an earlier commit) as it ships, to the same alternation: a before/after in one
sitting, so both see the same load on the machine. Times are on the page's clock, in
ms after the shell (the frame that first shows the sidebar, as in bench_browser.py):
- frame: the first map frame added to the page;
- map: every map frame on the page has drawn its layers (checked on animation frames);
- all: the map drawn, below_map's reporter gone, and no element still waiting for its code
  (Streamlit's skeletons) — the page complete.
Printed, never asserted; bench/results/ keeps what each run showed.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import harness
from bench.harness import REPO

# the pages that call below_map.ready (产业地图 gained nothing from it: bench/README.md, map pages)
MAP_PAGES = ["/", "/linkage", "/underserved", "/infrastructure", "/quarters", "/cooperation"]

# app.py, but every page runs as in a tab that has drawn a map already: all of it in one run
_ALL_AT_ONCE = ("page.run()\n", "from fupin_geo.ui.edge import below_map  # noqa: E402\n"
                "st.session_state[below_map.MAP_DRAWN] = True  # bench: the whole page in one run\n"
                "page.run()\n")

# Resolves with [frame, map, all] (page clock, ms) as defined in the module's docstring. A map
# frame counts as drawn as below_map's reporter counts it (fupin_geo/ui/edge/map_drawn/index.html).
_PAGE_TIMES = """timeoutMs => new Promise((resolve, reject) => {
    const MAP = 'MAP_FRAME';
    const drawn = f => { try { const w = f.contentWindow;
        return Boolean(w && w.map && w.map._loaded && w.__GLOBAL_DATA__ && "last_feature_group" in w.__GLOBAL_DATA__);
    } catch (e) { return false; } };
    const giveUp = performance.now() + timeoutMs;
    let frame = null, map = null;
    const check = () => {
        const t = performance.now();
        const frames = [...document.querySelectorAll(MAP)];
        if (frames.length && frame === null) frame = t;
        if (map === null && frames.length && frames.every(drawn)) map = t;
        if (map !== null && !document.querySelector('iframe[title$="map_drawn"]')
                && !document.querySelector('[data-testid="stSkeleton"]')) return resolve([frame, map, t]);
        if (t > giveUp) return reject(new Error("the page never completed"));
        requestAnimationFrame(check);
    };
    check();
})""".replace("MAP_FRAME", harness.MAP_FRAME)


def load_once(context, url: str) -> dict:
    """Open `url` in a new tab of `context`: its times, ms after the shell."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        frame, drawn, complete = page.evaluate(_PAGE_TIMES, harness.TIMEOUT_MS)
        shell = page.evaluate("window.__shellAt")
    finally:
        page.close()
    return {"frame": frame - shell, "map": drawn - shell, "all": complete - shell}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pages", nargs="+", default=MAP_PAGES)
    parser.add_argument("--cache", choices=("cold", "warm"), default="cold")
    parser.add_argument("--against", type=Path, help="another checkout of the repo, measured alongside")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="fupin-map-pages-"))
    load_start = os.getloadavg()[0]
    apps = ["after the map", "all at once"]
    if args.against:
        apps.append(f"{args.against.name} as shipped")
    times: dict[tuple[str, str], list[dict]] = {(p, a): [] for p in args.pages for a in apps}
    try:
        path, _ = harness.make_database("demo", work)
        os.environ["PYTHONPATH"] = str(REPO)  # the baseline's app.py imports fupin_geo from the repo
        script = (REPO / "app.py").read_text(encoding="utf-8")
        assert script.count(_ALL_AT_ONCE[0]) == 1, "app.py no longer ends its run with page.run()"
        baseline = harness.app_folder(work, "all_at_once", script.replace(*_ALL_AT_ONCE),
                                 industry_page=(REPO / "pages" / "industry_map.py").read_text(encoding="utf-8"))
        db = f"sqlite:///{path}"
        with contextlib.ExitStack() as servers, sync_playwright() as playwright:
            urls = [servers.enter_context(harness.serve(REPO, db, work / "shipped.log")).url,
                    servers.enter_context(harness.serve(baseline, db, work / "baseline.log")).url]
            if args.against:  # imports its own fupin_geo
                urls.append(servers.enter_context(harness.serve(args.against.resolve(), db, work / "against.log",
                                                                PYTHONPATH=str(args.against.resolve()))).url)
            browser = playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
            kept = {app: harness.new_context(browser) for app in apps} if args.cache == "warm" else {}
            for route in args.pages:
                harness.log(f"{route} …")
                for i in range(args.repeats + 1):  # the first round of each only warms the servers
                    for app, url in zip(apps, urls):
                        context = kept.get(app) or harness.new_context(browser)
                        try:
                            measured = load_once(context, url + route)
                        finally:
                            if app not in kept:
                                context.close()
                        if i:
                            times[(route, app)].append(measured)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"Map pages opened as a tab's first page, demo data, headless Chromium, {args.cache} cache · "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {os.cpu_count()} CPUs · "
          f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    print(f"ms after the shell, min / median / max of {args.repeats} rounds\n")
    headers = ["page", "app", "frame", "map", "all"]
    lines = [headers]
    for (route, app), rounds in times.items():
        lines.append([route, app, *(harness.spread([r[k] for r in rounds]) for k in ("frame", "map", "all"))])
    harness.print_table(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
