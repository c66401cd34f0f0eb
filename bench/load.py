"""Load test: simulated users that speak Streamlit's WebSocket protocol (no browsers).

Run from the repo root:

    .venv/bin/python -m bench.load                       # 1, 5, 10, 20, 50 users, 40 s each
    .venv/bin/python -m bench.load --users 1,20 --seconds 20 --think 5
    .venv/bin/python -m bench.load --replicas 1,2         # nginx + 1, then 2 replicas on PostgreSQL
                                                         # (scripts/serve-replicas.sh), compared
    .venv/bin/python -m bench.load --url http://127.0.0.1:8080 --pid 123 --pid 456   # a running
                                                         # server (e.g. nginx + replicas)

Without --url it starts the app itself (`streamlit run app.py`, SQLite with the demo data in a
temporary folder, a free loopback port) and, as the baseline, a trivial Streamlit page with
the same filter widget and a table only (bench/load_baseline_app.py): what Streamlit itself
costs per run on this machine, beside what the 产业地图 page costs.

Users open the 产业地图 page one every --arrival seconds (a new session each; this first run
is reported apart, bounded by --open-timeout), and once
all users have it open the measured window of --seconds starts: each user repeats choose
another county in the 县（市、区） filter (by its widget id, as the browser does), wait for
script_finished, think for --think seconds (±50 %, random; the first pause is a random part
of it, so users do not act in lockstep). Runs that end after the window are not counted;
each run is bounded by --timeout, each level by the window plus the opening.

Printed per level: sessions opened (and the median time of that first run), runs/s,
p50/p95/p99 latency of filter runs (send → script_finished), errors (exceptions, timeouts,
broken connections), server RSS (max) and CPU (mean % of one core; with several --pid, the
sum) over the level.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from bench.harness import REPO, Session, free_port, port_is_free, serve

PAGE = "industry_map"
COUNTY_LABEL = "县（市、区）"
BASELINE_APP = "bench/load_baseline_app.py"


@dataclass
class Level:
    users: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    opened: int = 0
    open_latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    rss_mb: float = 0.0
    cpu_percent: float = 0.0


async def user(base_url: str, page: str, level: Level, window: Window, think: float,
               timeout: float, rng: random.Random, arrive_after: float = 0.0,
               open_timeout: float = 300) -> None:
    opening = True
    try:
        await asyncio.sleep(arrive_after)
        async with Session(base_url, page) as session:
            first = await session.run(timeout=open_timeout)
            opening = False
            window.arrived()
            level.opened += 1
            level.open_latencies.append(first.seconds)
            # the county filter: pills, or a multiselect in trees before d988e4e
            county = {**first.widgets("multiselect"), **first.widgets("button_group")}[COUNTY_LABEL]
            choices = [[]] + [[getattr(option, "content", option)] for option in county.options]
            await window.started.wait()
            # users do not act in lockstep: each starts after a random part of its think time
            await asyncio.sleep(think * rng.uniform(0.0, 1.0))
            while time.perf_counter() < window.stop_at:
                session.set_multiselect(county, rng.choice(choices))
                run = await session.run(timeout=timeout)
                if time.perf_counter() > window.stop_at:
                    break
                level.latencies.append(run.seconds)
                pause = think * rng.uniform(0.5, 1.5)
                await asyncio.sleep(min(pause, max(0.0, window.stop_at - time.perf_counter())))
    except Exception as error:  # RunFailed, timeouts, websockets' handshake and protocol errors
        level.errors.append(f"{type(error).__name__}: {error}"[:200])
    finally:
        if opening:  # a user who could not open the page does not hold the others back
            window.arrived()


class Window:
    """The measured part of a level: it starts once every user has opened the page."""

    def __init__(self, users: int, seconds: float):
        self.waiting = users
        self.seconds = seconds
        self.started = asyncio.Event()
        self.stop_at = float("inf")

    def arrived(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.stop_at = time.perf_counter() + self.seconds
            self.started.set()


def processes(pids: list[int]) -> list[psutil.Process]:
    found = []
    for pid in pids:
        parent = psutil.Process(pid)
        found += [parent, *parent.children(recursive=True)]
    return found


async def sample(procs: list[psutil.Process], level: Level, stop: asyncio.Event) -> None:
    """Max RSS over the level, sampled every 0.5 s."""
    while not stop.is_set():
        with contextlib.suppress(psutil.Error):
            rss = sum(p.memory_info().rss for p in procs) / 2**20
            level.rss_mb = max(level.rss_mb, rss)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


def cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total


async def run_level(base_url: str, page: str, pids: list[int], users: int, seconds: float,
                    think: float, timeout: float, seed: int, arrival: float = 1.0,
                    open_timeout: float = 300) -> Level:
    level = Level(users)
    procs = processes(pids)
    rng = random.Random(seed)
    window = Window(users, seconds)
    tasks = [asyncio.create_task(user(base_url, page, level, window, think, timeout,
                                      random.Random(rng.random()), i * arrival, open_timeout))
             for i in range(users)]
    await window.started.wait()
    started = time.perf_counter()
    cpu_before = cpu_seconds(procs)
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample(procs, level, stop))
    await asyncio.gather(*tasks)
    level.seconds = time.perf_counter() - started
    level.cpu_percent = 100 * (cpu_seconds(procs) - cpu_before) / level.seconds
    stop.set()
    await sampler
    return level


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def table(title: str, levels: list[Level]) -> str:
    def ms(v):
        return "–" if v is None else f"{v * 1000:,.0f}"

    lines = [f"### {title}", "",
             "| users | opened (p50 ms) | runs | runs/s | p50 ms | p95 ms | p99 ms | errors "
             "| server RSS MB | server CPU % |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for lv in levels:
        lines.append(
            f"| {lv.users} | {lv.opened} ({ms(percentile(lv.open_latencies, 50))}) | {len(lv.latencies)} | "
            f"{len(lv.latencies) / lv.seconds:.2f} | "
            f"{ms(percentile(lv.latencies, 50))} | {ms(percentile(lv.latencies, 95))} | "
            f"{ms(percentile(lv.latencies, 99))} | {len(lv.errors)} | {lv.rss_mb:,.0f} | "
            f"{lv.cpu_percent:.0f} |")
    return "\n".join(lines)


async def warm_up(url: str, page: str, timeout: float, sessions: int) -> None:
    """Runs before measuring: the first run of a process imports and caches everything.
    Behind nginx each new session lands on a random replica: several reach all of them."""
    for _ in range(sessions):
        async with Session(url, page) as session:
            await session.run(timeout=timeout)


def measure(title: str, url: str, page: str, pids: list[int], args) -> str:
    return table(title, measure_levels(title, url, page, pids, args))


def measure_levels(title: str, url: str, page: str, pids: list[int], args) -> list[Level]:
    asyncio.run(warm_up(url, page, args.timeout, 1 if len(pids) <= 2 else 3 * len(pids)))
    levels = []
    for users in args.users:
        level = asyncio.run(run_level(url, page, pids, users, args.seconds, args.think,
                                      args.timeout, args.seed, args.arrival, args.open_timeout))
        levels.append(level)
        print(f"{title}: {users} users: {len(level.latencies)} runs, {len(level.errors)} errors"
              + (f" (first: {level.errors[0]})" if level.errors else ""), file=sys.stderr)
        print(table(title, [level]).splitlines()[-1], file=sys.stderr)  # kept if a later level fails
    return levels


@contextlib.contextmanager
def replicas(count: int, folder: Path):
    """scripts/serve-replicas.sh COUNT (PostgreSQL, COUNT replicas, nginx); yields (url, pids)."""
    port, first = free_port(), free_port()
    while first + count > 65535 or any(not port_is_free(first + i) for i in range(count)):
        first = free_port()
    run_dir = folder / f"run-{count}"
    env = dict(os.environ, PORT=str(port), REPLICA_PORT=str(first), RUN_DIR=str(run_dir),
               FUPIN_PG_DIR=str(folder / "pg"))
    env.pop("FUPIN_DB_URL", None)
    log_path = folder / f"serve-{count}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(["bash", "scripts/serve-replicas.sh", str(count)], cwd=REPO,
                                   env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while "Ctrl-C" not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"serve-replicas.sh did not start; see {log_path}")
            time.sleep(0.5)
        pids = [int(line) for line in (run_dir / "pids").read_text().split()]
        yield f"http://127.0.0.1:{port}", pids
    except SystemExit:
        print(log_path.read_text()[-3000:], file=sys.stderr)  # the folder is removed afterwards
        raise
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def compare(tables: dict[int, list[Level]]) -> str:
    counts = sorted(tables)
    head = " | ".join(f"{n} replica{'s' if n > 1 else ''}: runs/s · p95 ms" for n in counts)
    lines = ["### What another replica adds (same load, nginx in front)", "",
             f"| users | {head} | runs/s ratio {counts[-1]}:{counts[0]} |",
             "|---:|" + "---:|" * (len(counts) + 1)]
    for i, users_level in enumerate(tables[counts[0]]):
        cells = []
        for n in counts:
            lv = tables[n][i]
            p95 = percentile(lv.latencies, 95)
            cells.append(f"{len(lv.latencies) / lv.seconds:.2f} · "
                         + ("–" if p95 is None else f"{p95 * 1000:,.0f}"))
        first, last = tables[counts[0]][i], tables[counts[-1]][i]
        ratio = (len(last.latencies) / last.seconds) / (len(first.latencies) / first.seconds) \
            if first.latencies else float("nan")
        lines.append(f"| {users_level.users} | {' | '.join(cells)} | {ratio:.2f} |")
    return "\n".join(lines)


def machine() -> str:
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
            f"(1/5/15 min) at the end; Python {sys.version.split()[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="1,5,10,20,50",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--seconds", type=float, default=40, help="length of each level")
    parser.add_argument("--think", type=float, default=5, help="mean pause between a user's runs")
    parser.add_argument("--timeout", type=float, default=60, help="longest wait for one run")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--arrival", type=float, default=1.0,
                        help="seconds between two users opening the page (before the window)")
    parser.add_argument("--open-timeout", type=float, default=300,
                        help="longest wait for a user's first page run")
    parser.add_argument("--url", help="a running server (loopback only) instead of our own")
    parser.add_argument("--pid", type=int, action="append", default=[],
                        help="server process to measure (with --url; repeat for replicas)")
    parser.add_argument("--title", default=None, help="table title (with --url)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--replicas", type=lambda s: [int(x) for x in s.split(",")],
                        help="e.g. 1,2: run scripts/serve-replicas.sh with each count (PostgreSQL, "
                             "nginx) and compare")
    args = parser.parse_args()

    print(f"Simulated users, think time {args.think:g} s (±50 %), {args.seconds:g} s per level, "
          f"page {PAGE}", file=sys.stderr)
    tables = []
    if args.replicas:
        measured = {}
        with tempfile.TemporaryDirectory(prefix="fupin-replicas-") as folder:
            Path(folder).chmod(0o755)  # PostgreSQL runs as its own user inside it
            for count in args.replicas:
                with replicas(count, Path(folder)) as (url, pids):
                    title = f"nginx → {count} replica(s), PostgreSQL, demo data"
                    levels = measure_levels(title, url, PAGE, pids, args)
                measured[count] = levels
                tables.append(table(title, levels))
            subprocess.run(["bash", "-c", f"{sys.executable} tools/pgcluster.py stop {folder}/pg"],
                           cwd=REPO, check=False)
        tables.append(compare(measured))
    elif args.url:
        tables.append(measure(args.title or f"{PAGE} via {args.url}", args.url, PAGE, args.pid, args))
    else:
        with tempfile.TemporaryDirectory(prefix="fupin-load-") as folder:
            db_url = f"sqlite:///{folder}/fupin.sqlite"
            subprocess.run([sys.executable, "-m", "fupin_geo", "demo"], cwd=REPO, check=True,
                           env=dict(os.environ, FUPIN_DB_URL=db_url), stdout=subprocess.DEVNULL)
            with serve(REPO, db_url, Path(folder) / "app.log") as server:
                tables.append(measure("产业地图 (app.py, SQLite, demo data)", server.url, PAGE, [server.pid], args))
            if not args.no_baseline:
                with serve(REPO, db_url, Path(folder) / "baseline.log", script=BASELINE_APP) as server:
                    tables.append(measure("baseline: one multiselect + a table (load_baseline_app.py)",
                                          server.url, "", [server.pid], args))
    print("\n\n".join(tables))
    print(f"\nMachine: {machine()}")


if __name__ == "__main__":
    main()
