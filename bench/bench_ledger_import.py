"""Benchmark: importing a 50,000-row village ledger (validate + commit as a revision), beside a
row-by-row INSERT baseline of the same rows in the same run.

Run from the repo root:

    .venv/bin/python bench/bench_ledger_import.py              # 50,000 villages
    .venv/bin/python bench/bench_ledger_import.py --rows 5000  # quicker

The ledger: `bench.synthetic.scaled_dataset(n)` (the demo's 218 villages plus copies with new
codes and jittered positions), written by `fupin_geo.data.template.workbook` as an .xlsx with
only the 贫困村 sheet (the other tables are carried over from the current revision, as for a
clerk's one-sheet upload). The database: a fresh SQLite file holding the demo's 2019Q4 as
revision 1. The copies' codes (county + 9xxxxx) are not real village codes, so the name
matcher is built from the ledger's own villages instead of geodata/villages.csv (for the
218 real ones that is the same answer); every other check runs as in the app.

Timed (time.perf_counter, one run each; the target is < 30 s for check + commit):
  * read: spreadsheet.read (openpyxl read-only, merged-cell/formula scan of the XML)
  * check: ledger.check end to end (read + validate + diff against revision 1)
  * commit: ledger.commit (Store.save: validate again, one transaction, executemany)
  * baseline: the same village rows inserted one INSERT statement per row (one transaction),
    into a copy of the table, nothing else
Peak memory: tracemalloc peak of one extra, untimed check + commit (tracemalloc slows
allocation several-fold), and the process's peak RSS at the end.
"""
from __future__ import annotations

import argparse
import dataclasses
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

import sqlalchemy as sa  # noqa: E402

from bench.synthetic import demo_quarter, scaled_dataset  # noqa: E402
from fupin_geo.analysis import ledger  # noqa: E402
from fupin_geo.data import ledger_import, spreadsheet, template  # noqa: E402
from fupin_geo.data.store import TABLES, Store  # noqa: E402

TARGET_S = 30.0


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fresh_store(folder: Path, name: str) -> Store:
    store = Store(f"sqlite:///{folder / name}")
    store.save(demo_quarter(), author="bench")
    return store


def row_by_row_insert(store: Store, rows: list[dict]) -> float:
    """The naive way: one INSERT per row (one transaction), into a copy of the village table."""
    metadata = sa.MetaData()
    copy = TABLES["villages"].to_metadata(metadata, name="villages_baseline")
    metadata.create_all(store.engine)
    started = time.perf_counter()
    with store.engine.begin() as connection:
        for row in rows:
            connection.execute(sa.insert(copy).values(**row))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()

    log(f"building {args.rows:,} villages …")
    dataset = scaled_dataset(args.rows)
    villages_only = dataclasses.replace(
        dataset, **{name: frame.iloc[0:0] for name, frame in dataset.frames().items() if name != "villages"})
    data = template.workbook(villages_only)
    log(f"ledger: {len(data) / 1e6:.1f} MB")
    units = dataset.villages[["code", "name", "town_code", "county_code"]].assign(
        short_name=dataset.villages["name"], city_code="440800")
    matcher = ledger_import.VillageMatcher(units)
    ledger_import.matcher = lambda: matcher  # see the module docstring

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        store = fresh_store(folder, "ours.sqlite")
        log("read …")
        started = time.perf_counter()
        spreadsheet.read("ledger.xlsx", data)
        read_s = time.perf_counter() - started
        log("check …")
        started = time.perf_counter()
        preview = ledger.check(store, "ledger.xlsx", data, "2019Q4")
        check_s = time.perf_counter() - started
        errors = preview.ledger.errors
        if errors:
            log(f"unexpected errors: {errors[:3]}")
            return 1
        log("commit …")
        started = time.perf_counter()
        number = ledger.commit(store, preview, user="bench")
        commit_s = time.perf_counter() - started
        assert len(store.load("2019Q4", number).villages) == args.rows

        log("baseline …")
        rows = dataset.villages.astype(object).where(dataset.villages.notna(), None).to_dict("records")
        for row in rows:
            row["revision"] = 1
        baseline_s = row_by_row_insert(store, rows)
        log("executemany of the same rows …")
        metadata = sa.MetaData()
        copy = TABLES["villages"].to_metadata(metadata, name="villages_many")
        metadata.create_all(store.engine)
        started = time.perf_counter()
        with store.engine.begin() as connection:
            connection.execute(sa.insert(copy), rows)
        many_s = time.perf_counter() - started

        log("peak memory (untimed run) …")
        other = fresh_store(folder, "memory.sqlite")
        tracemalloc.start()
        ledger.commit(other, ledger.check(other, "ledger.xlsx", data, "2019Q4"), user="bench")
        peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    total = check_s + commit_s
    print(f"## Ledger import, {args.rows:,} village rows ({len(data) / 1e6:.1f} MB .xlsx)")
    print(f"{platform.python_version()} · {platform.machine()} · {time.strftime('%Y-%m-%d %H:%M')}")
    print()
    print("| step | seconds |")
    print("|---|---:|")
    print(f"| read the workbook (part of check) | {read_s:.1f} |")
    print(f"| check: read + validate + diff | {check_s:.1f} |")
    print(f"| commit: validate + one transaction (executemany) | {commit_s:.1f} |")
    print(f"| **check + commit** (target < {TARGET_S:.0f} s) | **{total:.1f}** |")
    print(f"| village rows only, executemany (ours) | {many_s:.2f} |")
    print(f"| village rows only, row-by-row INSERT (baseline) | {baseline_s:.2f} |")
    print()
    print(f"peak memory of check + commit (tracemalloc): {peak_mb:.0f} MB · process peak RSS: {rss_mb:.0f} MB")
    print(f"target: {'OK' if total < TARGET_S else 'FAIL'}")
    return 0 if total < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
