"""The running app, opened in Debian's headless Chromium through Playwright.

The server runs in its own process group on a free port with a fresh database (so the test
also covers a first start); readiness is polled on /_stcore/health, never waited for blindly.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fupin_geo import config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
STARTUP_SECONDS = 90
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def serve_app(folder: Path, db_url: str):
    """Run the app against `db_url` on a free port; yields its base URL."""
    port = _free_port()
    log_path = folder / f"streamlit-{port}.log"
    env = dict(os.environ, **{config.DB_URL_ENV: db_url})
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=config.REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        try:
            while not _healthy(url):
                # waiting on the process doubles as the poll interval and notices a crash at once
                try:
                    process.wait(timeout=0.25)
                    pytest.fail(f"streamlit exited:\n{log_path.read_text()}")
                except subprocess.TimeoutExpired:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit not ready after {STARTUP_SECONDS}s")
            yield url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app on a new, empty database: it seeds the demo data itself (a first start)."""
    folder = tmp_path_factory.mktemp("server")
    with serve_app(folder, f"sqlite:///{folder / 'fupin.sqlite'}") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run bash scripts/test.sh (it installs chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class RecordedPage:
    """A page plus every URL it (and its frames) requested."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def block_foreign_hosts(self) -> None:
        """Answer every request to another host with an error before it leaves the machine
        (online basemaps are tested without sending them anything)."""
        from urllib.parse import urlparse

        def handle(route):
            if urlparse(route.request.url).hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                route.abort("blockedbyclient")

        self.page.route("**/*", handle)

    def foreign_requests(self) -> list[str]:
        from urllib.parse import urlparse

        return [u for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                and urlparse(u).hostname not in LOCAL_HOSTS]


@pytest.fixture
def recorded_page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    page = context.new_page()
    yield RecordedPage(page)
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def serve():
    """serve_app, for tests that need the app on data of their own."""
    return serve_app
