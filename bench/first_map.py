"""What the first map of a page waits for: the 产业地图 page beside the same map alone and beside
a folium map with one point, each loaded afresh in headless Chromium.

Run from the repo root (needs /usr/bin/chromium; about ten minutes with the defaults):

    .venv/bin/python -m bench.first_map                 # 7 rounds per app and cache state
    .venv/bin/python -m bench.first_map --repeats 11

The four apps, on one demo database, each in a Streamlit server of its own:
- 产业地图: the page as users open it (app.py, /industry_map).
- only its map: app.py with its navigation and sidebar as always, but the 产业地图 page draws
  nothing but its map: the page's map in its default view, built exactly as the page builds
  it (base map, layers, ui.show_map), in the page's map column;
- the map alone: the same map in a script without app.py: no navigation, and nothing in the
  sidebar but the title;
- one point: st_folium with our offline Leaflet map and a single point, the least that
  Streamlit and st_folium do to show a map (the naive baseline).

Each round opens the app in a new page. "cold": a new browser context each round, so the
browser's cache is empty (a first visit). "warm": one context for all rounds, so Streamlit's
and Leaflet's files come from the cache (a returning user; Streamlit marks its bundles
immutable). Before the timed rounds one untimed round warms the server's caches.

For 产业地图 also "from 总览": in the warm context, 总览 is opened and let settle, and then
产业地图 is clicked in the sidebar's navigation, as a user arriving on the start page does.
There is no new shell then: its times run from the pointer going down on the link.

Times are on the page's clock, in ms after the shell (the frame that first shows the sidebar,
as in bench_browser.py):
- widgets: the first of Streamlit's lazily loaded widgets (selectbox, pills, multiselect,
  text input, metric, download button) in the page;
- frame: the map's iframe added to the page;
- points: the villages drawn (the one point for the baseline);
- frame → points: st_folium's own code, Leaflet and the map's script in the frame.
Printed, never asserted; bench/results/ keeps what each run showed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import harness
from bench.harness import REPO, print_table, spread

# The page's own clock for the lazily loaded widgets and the map frame, kept in the page (top
# window) from its first script on. Streamlit loads these element types' code on demand and
# shows each behind a placeholder until then.
_LAZY_WIDGETS = ["stSelectbox", "stButtonGroup", "stMultiSelect", "stTextInput", "stMetric", "stDownloadButton"]
_FIRST_SEEN = """
if (window.top === window) {
    window.__firstSeen = {};
    const wanted = %s;
    new MutationObserver(records => {
        const t = performance.now();
        for (const r of records) for (const n of r.addedNodes) {
            if (n.nodeType !== 1) continue;
            for (const id of wanted)
                if (!(id in window.__firstSeen)
                        && (n.matches(`[data-testid="${id}"]`) || n.querySelector(`[data-testid="${id}"]`)))
                    window.__firstSeen[id] = t;
        }
    }).observe(document, {childList: true, subtree: true});
}
""" % ([*_LAZY_WIDGETS, "stCustomComponentV1"],)

_HEADER = """\
import streamlit as st
from fupin_geo import config, ui
from fupin_geo.maps import assets

st.set_page_config(page_title=config.APP_TITLE, layout="wide")
assets.ensure_vendor_assets()
st.sidebar.markdown(f"### {config.APP_TITLE}")
"""

# The page's map with the page's default view (pages/industry_map.py, nothing chosen).
_MAP = """
from fupin_geo.maps.industry_view import ViewState
from fupin_geo.geo import basemaps
from fupin_geo.maps import industry_map

full = ui.current_dataset()
basemap = basemaps.BASEMAPS[basemaps.DEFAULT_BASEMAP]
map_column, _ = st.columns([5, 2], gap="medium")
with map_column:
    city_map = industry_map.base_map(basemap=basemap)
    groups = industry_map.layers(full, ViewState(), full=full, basemap=basemap)
    lat, lon, zoom = industry_map.focus_view(full.villages)
    ui.show_map(city_map, key="industry_map", layers=groups, center=(lat, lon), zoom=zoom)
"""
MAP_ALONE_APP = _HEADER + _MAP
# pages/industry_map.py in app.py's navigation, drawing only the map
MAP_ONLY_PAGE = """
import streamlit as st
from fupin_geo import ui
ui.ensure_app_navigation()
""" + _MAP

# One point on our offline Leaflet map, straight through st_folium.
ONE_POINT_APP = _HEADER + """
import folium
from streamlit_folium import st_folium
from fupin_geo.maps.elements.offline_map import OfflineMap

from fupin_geo.data import geodata

city = geodata.city_outline(config.ZHANJIANG)  # the city's extent, one point inside it
point = city.representative_point()
m = OfflineMap(bounds=tuple(city.bounds))
folium.CircleMarker([point.y, point.x], radius=6, className="fupin-villages").add_to(m)
st_folium(m, key="one_point", height=config.MAP_HEIGHT, returned_objects=[])
"""


def load_once(context, url: str, points: int) -> dict:
    """Open `url` in a new page of `context`; the page's times (ms after the shell)."""
    page = context.new_page()
    page.goto(url, wait_until="commit")
    drawn = page.evaluate("([n, t]) => window.__drawnAt(n, t)", [points, harness.TIMEOUT_MS])
    shell = page.evaluate("window.__shellAt")
    seen = page.evaluate("window.__firstSeen")
    page.close()
    widgets = [seen[k] for k in _LAZY_WIDGETS if k in seen]
    frame = seen.get("stCustomComponentV1")
    return {"points": drawn - shell, "frame": None if frame is None else frame - shell,
            "widgets": min(widgets) - shell if widgets else None}


# Starts watching for a map frame added after the call (the frames already there, e.g. 总览's
# map, are left out): window.__newMap resolves with the times of the first animation frames
# that showed such a frame, and that frame holding `n` villages.
_WATCH_NEW_MAP = """([n, timeoutMs]) => {
    const MAP_FRAME = '%s';
    const old = new Set(document.querySelectorAll(MAP_FRAME));
    const giveUp = performance.now() + timeoutMs;
    let frameAt = null;
    window.__newMap = new Promise((resolve, reject) => {
        const check = () => {
            const t = performance.now();
            const fresh = [...document.querySelectorAll(MAP_FRAME)].filter(f => !old.has(f));
            if (fresh.length && frameAt === null) frameAt = t;
            if (fresh.some(f => window.__villagesIn(f) === n)) return resolve([frameAt, t]);
            if (t > giveUp) return reject(new Error(`${n} villages never drawn`));
            requestAnimationFrame(check);
        };
        check();
    });
}""" % harness.MAP_FRAME
# The villages drawn in one map frame, counted as the page probe counts them.
_VILLAGES_IN = f"window.__villagesIn = {harness.VILLAGES_IN_FRAME};"


def from_overview(context, url: str, points: int) -> dict:
    """Open 总览, let it settle, click 产业地图 in the navigation: ms from the click."""
    page = context.new_page()
    page.goto(url + "/", wait_until="commit")
    page.evaluate("([n, t]) => window.__drawnAt(n, t)", [points, harness.TIMEOUT_MS])
    harness.settle(page)
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name="产业地图")
    page.evaluate(_WATCH_NEW_MAP, [points, harness.TIMEOUT_MS])
    page.evaluate("window.__armed = true; window.__inputAt = null")
    link.click()
    frame_at, points_at = page.evaluate("window.__newMap")
    clicked = page.evaluate("window.__inputAt")
    page.close()
    return {"points": points_at - clicked, "frame": frame_at - clicked, "widgets": None}


def new_context(browser):
    return harness.new_context(browser, _FIRST_SEEN, _VILLAGES_IN)


def measure(browser, url: str, points: int, repeats: int, overview: bool = False) -> dict[str, list[dict]]:
    """Per cache state, the times of `repeats` rounds (after one untimed round each); with
    `overview`, also from 总览 through the navigation (url is then the app's root)."""
    out = {"cold": [], "warm": []}
    for i in range(repeats + 1):
        context = new_context(browser)
        times = load_once(context, url, points)
        context.close()
        if i:
            out["cold"].append(times)
    context = new_context(browser)
    try:
        for i in range(repeats + 1):
            times = load_once(context, url, points)
            if i:
                out["warm"].append(times)
        if overview:
            root = url.rsplit("/", 1)[0]
            out["from 总览"] = [from_overview(context, root, points) for _ in range(repeats)]
    finally:
        context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="fupin-first-map-"))
    load_start = os.getloadavg()[0]
    rows = []
    try:
        path, dataset = harness.make_database("demo", work)
        villages = len(dataset.villages)
        os.environ["PYTHONPATH"] = str(REPO)  # app.py imports fupin_geo from the repo
        app_script = (REPO / "app.py").read_text()
        apps = [("产业地图", REPO, "/industry_map", villages),
                ("only its map", harness.app_folder(work, "only", app_script, MAP_ONLY_PAGE), "/industry_map",
                 villages),
                ("the map alone", harness.app_folder(work, "alone", MAP_ALONE_APP), "/", villages),
                ("one point", harness.app_folder(work, "point", ONE_POINT_APP), "/", 1)]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
            for name, folder, route, points in apps:
                harness.log(f"{name} …")
                with harness.serve(folder, f"sqlite:///{path}", work / f"{folder.name}.log") as server:
                    measured = measure(browser, server.url + route, points, args.repeats, overview=folder == REPO)
                for state, rounds in measured.items():
                    rows.append((name, state, rounds))
                    harness.log(f"  {state}: points " + ", ".join(f"{r['points']:.0f}" for r in rounds))
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"First map after the shell, demo data ({villages} villages), headless Chromium · "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {os.cpu_count()} CPUs · "
          f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    print(f"ms after the shell, min / median / max of {args.repeats} rounds\n")
    headers = ["app", "cache", "widgets", "frame", "points", "frame → points"]
    lines = [headers]
    for name, state, rounds in rows:
        lines.append([name, state, spread([r["widgets"] for r in rounds]), spread([r["frame"] for r in rounds]),
                      spread([r["points"] for r in rounds]),
                      spread([r["points"] - r["frame"] for r in rounds if r["frame"] is not None])])
    print_table(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
