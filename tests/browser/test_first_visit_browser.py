"""A fresh server as scripts/run.sh starts it (database seeded by `python -m fupin_geo demo`
first), its very first visit, and a download, in a real browser."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time

import openpyxl
import pytest
from playwright.sync_api import expect

from fupin_geo import config
from tests.browser.cards import card_value
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
NAV_LINKS = '[data-testid="stSidebarNav"] a'
# The navigation app.py declares, in its order (read from the source, so a new page is expected too)
CHINESE_PAGES = re.findall(r'st\.Page\("pages/[^"]+", title="([^"]+)"',
                           (config.REPO_DIR / "app.py").read_text(encoding="utf-8"))
# Streamlit's names for the files under pages/ (what a visitor saw before st.navigation ran)
_STEMS = [p.stem for p in (config.REPO_DIR / "pages").glob("*.py")]
FILE_NAMES = ("app", *_STEMS, *(s.replace("_", " ") for s in _STEMS))
SUIXI = "440823"

# Every name the sidebar navigation ever shows, and when (ms after the page started loading).
_RECORD_NAVIGATION = """
window.__navSeen = {};
new MutationObserver(() => {
    for (const a of document.querySelectorAll('[data-testid="stSidebarNav"] a')) {
        const name = a.innerText.split("\\n").pop().trim();
        if (name && !(name in window.__navSeen)) window.__navSeen[name] = performance.now();
    }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def seeded_database(folder) -> str:
    """A database filled through the command line, as scripts/run.sh does before the server."""
    url = f"sqlite:///{folder / 'fupin.sqlite'}"
    subprocess.run([sys.executable, "-m", "fupin_geo", "demo"], cwd=config.REPO_DIR, check=True,
                   env=dict(os.environ, **{config.DB_URL_ENV: url}), capture_output=True)
    return url


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeded")
    return folder, seeded_database(folder)


def fresh_copy(seeded, tmp_path) -> str:
    shutil.copy(seeded[0] / "fupin.sqlite", tmp_path / "fupin.sqlite")
    return f"sqlite:///{tmp_path / 'fupin.sqlite'}"


def nav_names(page) -> list[str]:
    return [t.split("\n")[-1].strip() for t in page.locator(NAV_LINKS).all_inner_texts()]


def test_first_visit_of_a_fresh_server_shows_chinese_navigation_and_the_map(
        serve, seeded, tmp_path, recorded_page, artifacts):
    page = recorded_page.page
    page.add_init_script(_RECORD_NAVIGATION)
    with serve(tmp_path, fresh_copy(seeded, tmp_path)) as url:
        start = time.monotonic()
        page.goto(url)
        expect(page.locator(NAV_LINKS)).to_have_count(len(CHINESE_PAGES), timeout=TIMEOUT_MS)
        navigation = time.monotonic() - start
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator("path.leaflet-interactive")).to_have_count(
            config.POVERTY_VILLAGE_COUNT, timeout=TIMEOUT_MS)
        drawn = time.monotonic() - start
        print(f"\nfresh server, first visit: navigation {navigation:.2f} s, "
              f"{config.POVERTY_VILLAGE_COUNT} villages drawn {drawn:.2f} s after page.goto")
        assert nav_names(page) == CHINESE_PAGES
        # Before app.py's st.navigation, Streamlit may show the pages/ file names for a moment
        # (its legacy mode on a fresh server; see ui.ensure_app_navigation): report how long.
        seen = page.evaluate("window.__navSeen")
        legacy = {n: t for n, t in seen.items() if n not in CHINESE_PAGES}
        assert set(seen) - set(legacy) == set(CHINESE_PAGES)
        assert not set(legacy) - set(FILE_NAMES), seen
        if legacy:
            shown_for = min(seen[n] for n in CHINESE_PAGES) - min(legacy.values())
            print(f"pages/ file names shown for {shown_for:.0f} ms before the Chinese navigation")
        expect(page.get_by_role("heading", name="湛江市产业扶贫总览")).to_be_visible()
        expect(page.get_by_text("演示数据").first).to_be_visible()
        assert recorded_page.foreign_requests() == []
        page.screenshot(path=str(artifacts / "first-visit.png"), full_page=True)


def test_first_visit_straight_to_a_page_runs_it_through_the_app(serve, seeded, tmp_path, recorded_page, artifacts,
                                                                demo_datasets):
    page = recorded_page.page
    with serve(tmp_path, fresh_copy(seeded, tmp_path)) as url:
        page.goto(f"{url}/industry_map?county={SUIXI}")
        expect(page.get_by_role("heading", name="产业地图")).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.locator(NAV_LINKS)).to_have_count(len(CHINESE_PAGES), timeout=TIMEOUT_MS)
        assert nav_names(page) == CHINESE_PAGES
        # the shared sidebar of app.py is there (the quarter), and the URL's filter held
        expect(page.get_by_text("数据季度", exact=True)).to_be_visible()
        villages = demo_datasets[-1].villages
        suixi = int((villages["county_code"] == SUIXI).sum())
        expect(card_value(page, "贫困村")).to_have_text(str(suixi), timeout=TIMEOUT_MS)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        assert f"county={SUIXI}" in page.url
        assert recorded_page.foreign_requests() == []
        page.screenshot(path=str(artifacts / "first-visit-industry.png"), full_page=True)


def test_download_the_filtered_village_list(app_url, recorded_page, demo_datasets, artifacts):
    page = recorded_page.page
    page.goto(f"{app_url}/industry_map?county={SUIXI}")
    button = page.get_by_role("button", name="村庄列表（Excel）")
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"村庄列表_{demo_datasets[-1].quarter}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "村名" and "代码" in header
    codes = [row[header.index("代码")] for row in sheet.iter_rows(min_row=2)]
    villages = demo_datasets[-1].villages
    assert sorted(c.value for c in codes) == sorted(villages.loc[villages["county_code"] == SUIXI, "code"])
    assert {c.data_type for c in codes} == {"s"}
    assert recorded_page.foreign_requests() == []
    page.screenshot(path=str(artifacts / "download.png"), full_page=True)
