"""Benchmark: uploads that would take the server's memory (issue 26 §2), each checked in a
child process of its own so that its peak RSS is its own.

    .venv/bin/python -m bench.import_bombs                 # four files, ours and the baseline (~5 min)
    .venv/bin/python -m bench.import_bombs --valid-rows 5000   # quicker

Files (bench/bomb_files.py, and the template filled with bench/synthetic.py's villages):
  * near-bomb: a 3 MB .xlsx whose shared-string table unpacks to 293 MB (~100:1);
  * 1,000,000 rows: 19.5 MB, four columns;
  * copied text: a 0.2 MB file whose 100,000 cells name one 30,000-character string;
  * largest accepted: 99,990 rows of 30 different short texts, just under every cap (9.5 MB,
    160 MB unpacked): the most a file the caps let through asks of the reader;
  * valid: the import template with `--valid-rows` villages (its invented villages are not in
    geodata, so their rows are reported as unknown: the check still reads and checks them all),
    and the same with as many villages as the row cap lets through (config.MAX_SHEET_ROWS).
Readers: **ours** is `ledger.check` (what `import --dry-run` and the page run) into an empty
SQLite store; **baseline** is `pandas.read_excel(..., sheet_name=None, engine="calamine")`,
the whole workbook loaded as the reader did before. A child past `--limit-mb` of RSS or
`--limit-s` seconds is stopped, and its row says so. "RSS after" is the child's RSS once the
result is dropped (ours also gives the memory back, as ledger.check does), beside its RSS
before it read anything. Bounds: ours under 1 GB and 60 s for every file.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psutil

from bench.harness import REPO, log, machine, print_table

BOUND_MB, BOUND_S = 1024, 60
# Rows above the first village in the template's 贫困村 sheet (title, 填报单位, header), and a
# few to spare: the largest village ledger the row cap lets through.
TEMPLATE_HEAD_ROWS = 10
POLL_S = 0.05


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1024 / 1024


def peak_rss_mb() -> float:
    """This process's peak RSS since it started (VmHWM: ru_maxrss would carry the parent's
    peak over from the fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, path: str, db_url: str) -> None:
    """Check one file in this process and print what it took, as one JSON line."""
    data = Path(path).read_bytes()
    name = Path(path).name
    if mode == "ours":
        from fupin_geo.data import ledger
        from fupin_geo.data.store import Store

        store = Store(db_url)
        store.quarters()
    else:
        import pandas as pd
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    if mode == "ours":
        try:
            preview = ledger.check(store, name, data, "2019Q4")
            result = f"checked: {len(preview.ledger.errors):,} errors"
        except ledger.FileRefused as error:
            preview, result = None, f"refused: {error}"
    else:
        frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine")
        result = f"read {sum(len(f) for f in frames.values()):,} rows"
    seconds = time.perf_counter() - started
    if mode == "ours":
        del preview
        from fupin_geo.data import upload_limits

        upload_limits.release_memory()
    else:
        del frames
        gc.collect()
    print(json.dumps({"seconds": seconds, "peak": peak_rss_mb(),
                      "after": rss_mb(), "before": before, "result": result}, ensure_ascii=False), flush=True)


@dataclasses.dataclass
class Run:
    seconds: float | None = None
    peak: float = 0.0
    after: float | None = None
    before: float | None = None
    result: str = ""


def measure(mode: str, path: Path, db_url: str, limit_mb: float, limit_s: float) -> Run:
    """Run `child` in a process of its own, stopping it past the limits."""
    process = subprocess.Popen([sys.executable, "-m", "bench.import_bombs", "--child", mode, str(path), db_url],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched, started, run = psutil.Process(process.pid), time.perf_counter(), Run()
    while process.poll() is None:
        try:
            run.peak = max(run.peak, watched.memory_info().rss / 1024 / 1024)
        except psutil.NoSuchProcess:
            break
        elapsed = time.perf_counter() - started
        if run.peak > limit_mb or elapsed > limit_s:
            process.kill()
            process.wait()
            run.result = (f"stopped at {limit_mb:,.0f} MB of RSS after {elapsed:.0f} s" if run.peak > limit_mb
                          else f"stopped at {limit_s:.0f} s, {run.peak:,.0f} MB of RSS")
            return run
        time.sleep(POLL_S)
    out, err = process.communicate()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode or not lines:
        run.result = f"failed ({process.returncode}): {err.strip().splitlines()[-1] if err.strip() else ''}"
        return run
    found = json.loads(lines[-1])
    return Run(found["seconds"], max(run.peak, found["peak"]), found["after"], found["before"], found["result"])


def valid_ledger(rows: int) -> bytes:
    from bench.synthetic import scaled_dataset
    from fupin_geo.data import template

    dataset = scaled_dataset(rows)
    only = dataclasses.replace(
        dataset, **{name: frame.iloc[0:0] for name, frame in dataset.frames().items() if name != "villages"})
    return template.workbook(only)


def files(folder: Path, valid_rows: int) -> list[tuple[str, Path]]:
    from bench import bomb_files
    from fupin_geo import config

    at_cap = config.MAX_SHEET_ROWS - TEMPLATE_HEAD_ROWS
    made = []
    for label, build in (("near-bomb (shared strings)", lambda: bomb_files.near_bomb(293)),
                         ("1,000,000 rows", lambda: bomb_files.many_rows(1_000_000)),
                         ("copied text (one long string)", lambda: bomb_files.copied_text(100_000)),
                         ("largest accepted: 99,990 × 30 text cells", lambda: bomb_files.full_text(99_990)),
                         (f"valid ledger, {valid_rows:,} villages", lambda: valid_ledger(valid_rows)),
                         (f"valid ledger at the cap, {at_cap:,} villages", lambda: valid_ledger(at_cap))):
        log(f"building {label} …")
        path = folder / f"{len(made) + 1}.xlsx"
        path.write_bytes(build())
        made.append((label, path))
    return made


def unpacked_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as archive:
        return sum(m.file_size for m in archive.infolist()) / 1024 / 1024  # MB as config counts them


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("MODE", "PATH", "DB_URL"), help=argparse.SUPPRESS)
    parser.add_argument("--valid-rows", type=int, default=50_000)
    parser.add_argument("--limit-mb", type=float, default=3_000, help="stop a child past this RSS")
    parser.add_argument("--limit-s", type=float, default=120, help="stop a child after this long")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0

    header = machine()
    lines = [["file", ".xlsx", "unpacked", "reader", "s", "peak RSS", "RSS after (before)", "result"]]
    failed = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for label, path in files(folder, args.valid_rows):
            size = f"{path.stat().st_size / 1e6:.1f} MB"
            for mode in ("ours", "baseline"):
                log(f"{label}: {mode} …")
                db_url = f"sqlite:///{folder / (mode + path.stem + '.sqlite')}"
                run = measure(mode, path, db_url, args.limit_mb, args.limit_s)
                log(f"{label}: {mode} {run.result[:100]}")
                lines.append([label, size, f"{unpacked_mb(path):.0f} MB", mode,
                              "—" if run.seconds is None else f"{run.seconds:.1f}", f"{run.peak:,.0f} MB",
                              "—" if run.after is None else f"{run.after:,.0f} MB ({run.before:,.0f} MB)",
                              run.result[:90]])
                if mode == "ours" and (run.seconds is None or run.seconds > BOUND_S or run.peak > BOUND_MB):
                    failed.append(label)
    print(f"## Uploads that would take the server's memory · {header}")
    print()
    print_table(lines)
    print()
    for label in failed:
        print(f"FAIL  {label}: ours over {BOUND_MB} MB or {BOUND_S} s")
    if not failed:
        print(f"PASS  ours under {BOUND_MB} MB of peak RSS and {BOUND_S} s for every file")
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
