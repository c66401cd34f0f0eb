"""What the benchmarks share: paths, a Streamlit server of our own, a client of Streamlit's
WebSocket protocol, the page's own clock in Chromium, st_folium without a browser, and output.

Every benchmark runs from the repo root as a module (`.venv/bin/python -m bench.load`), so
`bench` and `fupin_geo` import as in the tests and no script changes sys.path.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from fupin_geo import config

REPO = Path(__file__).resolve().parents[1]


# --- output --------------------------------------------------------------------------------------
def log(text: str) -> None:
    """Progress, on stderr: the tables alone go to stdout."""
    print(text, file=sys.stderr, flush=True)


def machine() -> str:
    """The header line's facts: date, versions, CPU and the load average now."""
    import folium

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    return (f"{datetime.date.today().isoformat()} · Python {platform.python_version()} · "
            f"folium {folium.__version__} · streamlit-folium {_version('streamlit-folium')} · "
            f"{cpu} ({os.cpu_count()} CPUs) · load average {os.getloadavg()[0]:.2f}")


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


def spread(values: list[float | None]) -> str:
    """min / median / max in whole units (ms), or — when nothing was measured."""
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    return f"{min(values):.0f} / {statistics.median(values):.0f} / {max(values):.0f}"


def width(text: str) -> int:
    """Columns a terminal gives `text`: two for each wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def print_table(lines: list[list[str]]) -> None:
    """`lines` (headers first) in columns as wide as their widest cell."""
    widths = [max(width(row[i]) for row in lines) for i in range(len(lines[0]))]
    for k, row in enumerate(lines):
        print("  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))


# --- a Streamlit server of our own ---------------------------------------------------------------
STARTUP_SECONDS = 180  # a loaded 2-core machine takes minutes to import and seed at 20,000 villages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # the server's process (its group is ended at the end)


@contextlib.contextmanager
def serve(folder: Path, db_url: str, log_path: Path, script: str = "app.py", **extra_env: str):
    """`streamlit run script` in `folder` on a free loopback port, as scripts/run.sh starts
    the app (no file watcher: its polling threads took CPU from the server under measurement).
    Yields a Server once /_stcore/health answers; the process group is ended afterwards."""
    port = free_port()
    env = dict(os.environ, **{config.DB_URL_ENV: db_url}, **extra_env)
    with open(log_path, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not healthy(url):
            try:
                process.wait(timeout=0.25)
                raise RuntimeError(f"streamlit exited: {log_path.read_text()[-2000:]}")
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not ready after {STARTUP_SECONDS} s; see {log_path}")
        yield Server(url, process.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def make_database(size: str, folder: Path):
    """A SQLite database of a size ('demo', or a number of villages for `scaled_dataset` with
    one enterprise per ten villages) in `folder`: its path and its latest dataset."""
    from fupin_geo.data import demo
    from fupin_geo.data.store import Store

    path = folder / f"{size}.sqlite"
    store = Store(f"sqlite:///{path}")
    if size == "demo":
        demo.ensure_seeded(store)
        return path, store.load()
    from bench.synthetic import scaled_dataset

    dataset = scaled_dataset(int(size), n_enterprises=max(24, int(size) // 10))
    store.save(dataset)
    return path, dataset


def app_folder(work: Path, name: str, script: str, industry_page: str | None = None) -> Path:
    """A folder Streamlit can run `script` from as app.py, with the repo's settings and its
    static files (Leaflet, the basemap GeoJSON) served at /app/static as for the app. With
    `industry_page`, the folder has the repo's pages but that script as pages/industry_map.py.
    The server needs PYTHONPATH=REPO to import fupin_geo from there."""
    folder = work / name
    folder.mkdir()
    (folder / "app.py").write_text(script)
    if industry_page is not None:
        (folder / "pages").mkdir()
        for page in (REPO / "pages").glob("*.py"):
            (folder / "pages" / page.name).symlink_to(page)
        (folder / "pages" / "industry_map.py").unlink()
        (folder / "pages" / "industry_map.py").write_text(industry_page)
    shutil.copytree(REPO / ".streamlit", folder / ".streamlit")
    (folder / "static").symlink_to(REPO / "static", target_is_directory=True)
    return folder


# --- the page's own clock in headless Chromium ---------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
TIMEOUT_MS = 600_000  # a loaded 2-core machine takes minutes at 20,000 villages
# How often settle() asks whether the page is settled: often enough not to keep the next
# change waiting long, seldom enough to cost the page little (no figure is taken by polling).
POLL_MS = 50
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

# The villages drawn on the Leaflet map of one map frame (a marker each, or one canvas layer
# of them); -1 before the frame has a map.
VILLAGES_IN_FRAME = """f => {
    const w = f.contentWindow; if (!w || !w.map) return -1;
    let k = 0; for (const l of Object.values(w.map._layers)) {
        if (!l.options || l.options.className !== 'fupin-villages') continue;
        if (l.getLatLng) k++;  // a marker each (SVG; canvas before the canvas point layer)
        else if (l.pointCount && l.paints) k += l.pointCount(); }  // one canvas layer, painted
    return k; }"""
# True when some map frame has exactly `n` villages drawn on its map.
_VILLAGES_DRAWN = f"""n => [...document.querySelectorAll('{MAP_FRAME}')].some(
    f => ({VILLAGES_IN_FRAME})(f) === n)"""

# Runs in the page before its own scripts (top window only). Counts the map iframes created
# and the WebSocket bytes received, and keeps the page's own clock (performance.now(), ms since
# the navigation began) for the figures: the frame that first showed the sidebar (the shell),
# when the input that changes a filter happened (its event's timeStamp, once armed), and when
# the villages were drawn (checked on animation frames in the page). A clock in Python started
# before Playwright's click (which first waits for the element to hold still over animation
# frames) and stopped by polling every 50 ms read up to ~0.1 s more than the page lived through.
PAGE_PROBE = """
if (window.top === window) {
    window.__mapFramesAdded = 0;
    window.__shellAt = null;
    new MutationObserver(records => {
        for (const r of records) for (const n of r.addedNodes) {
            if (n.nodeType !== 1) continue;
            const sel = 'MAP_FRAME';
            window.__mapFramesAdded += n.matches(sel) ? 1 : n.querySelectorAll(sel).length;
        }
        if (window.__shellAt === null && document.querySelector('[data-testid="stSidebar"]')) {
            window.__shellAt = false;  // found; the time is that of the frame that shows it
            requestAnimationFrame(() => { window.__shellAt = performance.now(); });
        }
    }).observe(document, {childList: true, subtree: true});
    // WebSocket bytes from the server, counted in the page (no frame has to travel to Python)
    window.__wsBytesIn = 0;
    window.WebSocket = class extends window.WebSocket {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", e => {
                const d = e.data;
                window.__wsBytesIn += d.byteLength ?? d.size ?? d.length ?? 0;
            });
        }
    };
    window.__armed = false;
    window.__inputAt = null;
    for (const type of ["keydown", "pointerdown"])
        window.addEventListener(type, e => {
            if (window.__armed) { window.__armed = false; window.__inputAt = e.timeStamp; }
        }, true);
    const drawn = VILLAGES_DRAWN;
    // Resolves with the time of the first animation frame at which `n` villages are drawn.
    // A check that takes long (20,000 SVG markers) waits ten times its own cost before the
    // next, so the counting takes at most a tenth of the thread it is measuring.
    window.__drawnAt = (n, timeoutMs) => new Promise((resolve, reject) => {
        const giveUp = performance.now() + timeoutMs;
        const check = () => {
            const t = performance.now();
            if (drawn(n)) return resolve(t);
            if (t > giveUp) return reject(new Error(`${n} villages never drawn`));
            const cost = performance.now() - t;
            if (cost < 1) requestAnimationFrame(check);
            else setTimeout(() => requestAnimationFrame(check), 10 * cost);
        };
        check();
    });
}
""".replace("MAP_FRAME", MAP_FRAME).replace("VILLAGES_DRAWN", _VILLAGES_DRAWN)

# True once the page has finished what it was doing: Streamlit no longer running, no map
# zooming or panning, and the browser's main thread idle (an idle callback ran). A person
# changes a filter on such a page; without this wait a change also pays for the tail of the
# one before it (the zoom animation it started, React rendering its table).
_SETTLED = """() => new Promise(resolve => {
    if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return resolve(false);
    for (const f of document.querySelectorAll('%s')) {
        const m = f.contentWindow && f.contentWindow.map;
        if (m && (m._animatingZoom || (m._panAnim && m._panAnim._inProgress))) return resolve(false);
    }
    requestIdleCallback(() => resolve(true), {timeout: 2000});
})""" % MAP_FRAME


def settle(page) -> None:
    """Wait until the page is settled (_SETTLED) twice in a row."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    in_a_row = 0
    while in_a_row < 2:
        in_a_row = in_a_row + 1 if page.evaluate(_SETTLED) else 0
        if not in_a_row:
            if time.monotonic() > deadline:
                raise RuntimeError("the page never settled")
            page.wait_for_timeout(POLL_MS)


def new_context(browser, *init_scripts: str):
    """A browser context (one visitor, its own cache) with PAGE_PROBE and `init_scripts`."""
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    for script in (PAGE_PROBE, *init_scripts):
        context.add_init_script(script)
    return context


# --- st_folium without a browser -----------------------------------------------------------------
@contextlib.contextmanager
def captured_component():
    """st_folium with its last step (sending to the browser) replaced by keeping the arguments."""
    import streamlit_folium

    captured: dict = {}
    original = streamlit_folium._component_func

    def stub(**kwargs):
        captured.clear()
        captured.update(kwargs)
        return None

    streamlit_folium._component_func = stub
    try:
        yield captured
    finally:
        streamlit_folium._component_func = original


# --- a client of Streamlit's WebSocket protocol --------------------------------------------------
# It speaks what Streamlit's front end speaks on /_stcore/stream: BackMsg.rerun_script (a
# ClientState with the page and the widget values) out, ForwardMsgs in until script_finished.
# Used by bench/load.py (simulated users) and by the replica test, which reads what a page
# shows (widget options, text) from the elements a run sends. Loopback only.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# A page with a map sends a few MB per run (the map's HTML and data as component arguments).
MAX_MESSAGE_BYTES = 64 * 2**20


class RunFailed(RuntimeError):
    """The script raised, did not compile, or the connection broke."""


@dataclass
class Run:
    seconds: float
    elements: list = field(default_factory=list)  # Element protos, in the order received
    messages: int = 0
    bytes: int = 0

    def widgets(self, kind: str) -> dict[str, object]:
        """label -> element proto of the widgets of `kind` ('multiselect', 'selectbox', …)."""
        found = {}
        for element in self.elements:
            if element.WhichOneof("type") == kind:
                widget = getattr(element, kind)
                found[widget.label] = widget
        return found

    def texts(self) -> list[str]:
        """Markdown, headings, alerts and captions shown by the run."""
        out = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind in ("markdown", "heading", "alert", "text"):
                out.append(getattr(element, kind).body)
        return out


class Session:
    """One simulated browser tab: one WebSocket, one Streamlit session."""

    def __init__(self, base_url: str, page: str = ""):
        parsed = urlparse(base_url)
        if parsed.hostname not in LOCAL_HOSTS:
            raise ValueError(f"only loopback servers are allowed, not {parsed.hostname!r}")
        self.url = f"ws://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"
        self.page = page
        self.widget_states: dict[str, WidgetState] = {}
        self.socket = None

    async def __aenter__(self) -> Session:
        self.socket = await websockets.connect(self.url, subprotocols=["streamlit"],
                                               max_size=MAX_MESSAGE_BYTES, open_timeout=30,
                                               ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    def set_multiselect(self, widget, values: list[str]) -> None:
        """Choose `values` (formatted as shown) in a multiselect or a row of pills."""
        state = WidgetState(id=widget.id)
        state.string_array_value.data.extend(values)
        self.widget_states[widget.id] = state

    def set_selectbox(self, widget, value: str) -> None:
        state = WidgetState(id=widget.id)
        state.string_value = value
        self.widget_states[widget.id] = state

    async def run(self, timeout: float = 120) -> Run:
        """Ask for a rerun with the current widget values; wait for its end."""
        message = BackMsg()
        message.rerun_script.page_name = self.page
        message.rerun_script.widget_states.widgets.extend(self.widget_states.values())
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        run = Run(seconds=0.0)
        deadline = started + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise RunFailed(f"no script_finished within {timeout} s")
            try:
                raw = await _receive(self.socket, remaining)
            except websockets.ConnectionClosed as error:
                raise RunFailed(f"connection closed: {error}") from error
            run.messages += 1
            run.bytes += len(raw)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "exception":
                    raise RunFailed(f"the script raised: {element.exception.type}: "
                                    f"{element.exception.message[:200]}")
                run.elements.append(element)
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RunFailed("the script did not compile")
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.elements.clear()  # st.rerun(): the next run's elements replace these
                    continue
                run.seconds = time.perf_counter() - started
                return run


async def _receive(socket, timeout: float) -> bytes:
    raw = await asyncio.wait_for(socket.recv(), timeout)
    if isinstance(raw, str):
        raise RunFailed("unexpected text frame")
    return raw
