"""Two replicas of the app on one PostgreSQL database, and nginx in front of them
(deploy/nginx.conf): a write seen by one replica is seen by the other within seconds.

No browser: the replicas are spoken to in Streamlit's own WebSocket protocol
(bench/harness.py), which also tells what a page shows (the sidebar's quarter options).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bench.harness import Session
from fupin_geo.data.store import Store
from tests.conftest import build_dataset
from tools.render_nginx import render

from tests.browser.conftest import _free_port, serve_app

QUARTER_LABEL = "数据季度"
PICKUP_SECONDS = 60  # the cache re-reads the data version every 2 s; the rest is a loaded machine


def quarter_options(url: str) -> list[str]:
    """The quarters the overview page offers in its sidebar, as a new browser tab sees them."""
    async def visit():
        async with Session(url) as session:
            run = await session.run()
            return list(run.widgets("selectbox")[QUARTER_LABEL].options)

    # in a thread of its own: Playwright's sync API (other browser tests) keeps an event loop
    # running in the main thread, where asyncio.run refuses to start another
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, visit()).result()


@pytest.fixture(scope="module")
def shared_db(pg_cluster):
    url = pg_cluster.create_database()
    Store(url).save(build_dataset([{}, {}], quarter="2019Q4"))
    return url


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, shared_db):
    folder = tmp_path_factory.mktemp("replicas")
    with serve_app(folder, shared_db) as first, serve_app(folder, shared_db) as second:
        yield first, second


@contextlib.contextmanager
def nginx_in_front(folder: Path, urls: list[str]):
    if shutil.which("nginx") is None:
        pytest.fail("nginx is missing: run bash scripts/test.sh (it installs Debian's nginx)")
    port = _free_port()
    conf = render(folder, f"127.0.0.1:{port}", [int(u.rsplit(":", 1)[1]) for u in urls])
    subprocess.run(["nginx", "-p", str(folder), "-c", str(conf), "-g", "daemon on;"], check=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run(["nginx", "-p", str(folder), "-c", str(conf), "-s", "stop"], check=False)


def test_a_write_shows_on_the_other_replica_within_seconds(replicas, shared_db):
    first, second = replicas
    # both replicas have read (and cached) the ledger
    assert quarter_options(first) == ["2019Q4"]
    assert quarter_options(second) == ["2019Q4"]

    # a write that neither replica made (as an import on the command line would)
    Store(shared_db).save(build_dataset([{}], quarter="2020Q1"))

    deadline = time.monotonic() + PICKUP_SECONDS
    seen = quarter_options(second)
    while seen != ["2019Q4", "2020Q1"] and time.monotonic() < deadline:
        seen = quarter_options(second)  # each visit is a full page run: the poll interval
    assert seen == ["2019Q4", "2020Q1"]
    assert quarter_options(first) == ["2019Q4", "2020Q1"]


def test_nginx_passes_websockets_and_keeps_a_browser_on_one_replica(replicas, tmp_path):
    with nginx_in_front(tmp_path, list(replicas)) as proxy:
        # a page run through the proxy: the WebSocket upgrade works
        assert quarter_options(proxy)[0] == "2019Q4"
        with urllib.request.urlopen(f"{proxy}/") as response:
            cookie = response.headers["Set-Cookie"].split(";")[0]
        assert cookie.startswith("fupin_replica=")
        for _ in range(6):  # one browser: its cookie on every request
            request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": cookie})
            urllib.request.urlopen(request).read()
        for _ in range(20):  # new browsers, no cookie yet
            urllib.request.urlopen(f"{proxy}/_stcore/health").read()
    routes = [line.split() for line in (tmp_path / "access.log").read_text().splitlines()]
    key = cookie.split("=", 1)[1]
    assert len({upstream for sent, upstream, *_ in routes if sent == key}) == 1
    newcomers = {upstream for sent, upstream, *_ in routes if sent == "-"}
    assert newcomers == {f"127.0.0.1:{url.rsplit(':', 1)[1]}" for url in replicas}
