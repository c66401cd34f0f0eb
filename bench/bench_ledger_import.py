"""Benchmark: importing a 50,000-row village ledger (validate + commit as a revision), beside a
row-by-row INSERT baseline of the same rows in the same run; with --refused, checking files whose
every row is refused, beside today's name matcher kept here as the baseline.

Run from the repo root:

    .venv/bin/python -m bench.bench_ledger_import              # 50,000 villages
    .venv/bin/python -m bench.bench_ledger_import --rows 5000  # quicker
    .venv/bin/python -m bench.bench_ledger_import --refused    # 50,000 refused rows, two files

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

--refused: two files of the same villages whose every row is refused (issue 24: a 50,000-row file
of unknown codes took 7 min), checked against geodata/villages.csv as in the app:
  * unknown codes: every 村代码 is well formed but not a real code (the copies' county + 9xxxxx,
    the demo's own villages county + 8xxxxx), every 村名 unknown too;
  * unknown names: 村代码 left blank, every 村名 unknown, so each row is answered with the closest
    names of its county.
An unknown name is a demo village's name with one character from UNKNOWN_FILLER put in after its
first (官湖村 -> 官东湖村), the character chosen by the copy's round: ~8,700 different names.
Timed: ledger.check end to end (read + validate; no diff, the file has errors), once with the
matcher of fupin_geo (ours), once with `NaiveVillageMatcher` below (the matcher before issue 24:
a county filter and village_key of every name of the county, then difflib, for each unknown
row). The baseline's cost is the same for every row, so it is run on the first --baseline-rows
rows (default 5,000) and shown scaled to the whole file as well (marked ≈). Target: each file's
check < 30 s. Peak memory: tracemalloc peak of one extra, untimed check of ours.
"""
from __future__ import annotations

import argparse
import dataclasses
import difflib
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import sqlalchemy as sa

from bench.harness import log
from bench.synthetic import demo_quarter, scaled_dataset
from fupin_geo import config
from fupin_geo.data import ledger
from fupin_geo.data import geodata, ledger_import, spreadsheet, template
from fupin_geo.data.store import TABLES, Store

TARGET_S = 30.0
# The character put into each unknown name (see the module docstring): 40 of them, so the
# ~229 rounds of 218 demo names give ~8,700 different names, not one per row
UNKNOWN_FILLER = "东西南北上下前后左右大小高低长短内外里坡岭塘湾洋围坑寮埇坎墩仔尾头角洲坪嶺圳"


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


class NaiveVillageMatcher(ledger_import.VillageMatcher):
    """The name matcher before issue 24, kept as the baseline of --refused: for every unknown
    name it filters the county's units and computes village_key of each, then runs difflib."""

    def __init__(self):
        super().__init__()
        self.units = geodata.village_units(config.ZHANJIANG).set_index("code", drop=False)

    def describe(self, code: str) -> str:
        unit = self.units.loc[code]
        return f"{unit['name']}（{self.towns.get(unit['town_code'], unit['town_code'])}，{code}）"

    def match(self, name: str, town_code: str | None = None, county_code: str | None = None, nearest=True):
        # `nearest` is ignored: the old matcher looked for the closest names of every unknown row
        key = ledger_import.village_key(name)
        codes = self.by_key.get(key, [])
        for column, wanted in (("town_code", town_code), ("county_code", county_code)):
            if wanted and len(codes) > 1:
                narrowed = [c for c in codes if self.units.at[c, column] == wanted]
                codes = narrowed or codes
        if len(codes) == 1:
            return ledger_import.Match(codes[0])
        if codes:
            return ledger_import.Match(None, candidates=tuple(self.describe(c) for c in codes))
        pool = self.units
        if county_code:
            pool = pool[pool["county_code"] == county_code]
        keys = {ledger_import.village_key(n): n for n in pool["name"]}
        closest = difflib.get_close_matches(key, list(keys), n=3, cutoff=0.4)
        return ledger_import.Match(None, closest=tuple(keys[k] for k in closest))


def refused_ledger(rows: int, blank_codes: bool) -> bytes:
    """The 贫困村 sheet of `rows` villages, every name unknown (and every code blank, or
    unknown as the copies' codes are), see the module docstring."""
    dataset = scaled_dataset(rows, validate=False)
    villages = dataset.villages.copy()
    names = villages["name"].tolist()
    for i, name in enumerate(names):
        filler = UNKNOWN_FILLER[(i // 218) % len(UNKNOWN_FILLER)]
        names[i] = name[:1] + filler + name[1:]
    villages["name"] = names
    if blank_codes:
        villages["code"] = None
    else:  # the demo's own 218 villages have real codes: give them unknown ones (county + 8xxxxx)
        codes = villages["code"].tolist()
        villages["code"] = [c[:6] + f"8{i:05d}" if i < 218 else c for i, c in enumerate(codes)]
    only = dataclasses.replace(
        dataset, **{name: frame.iloc[0:0] for name, frame in dataset.frames().items() if name != "villages"})
    return template.workbook(dataclasses.replace(only, villages=villages))


def timed_check(store: Store, data: bytes, village_matcher) -> tuple[float, int]:
    """(seconds of ledger.check, errors) with `village_matcher` as the app's matcher."""
    ledger_import.matcher = lambda: village_matcher
    started = time.perf_counter()
    preview = ledger.check(store, "ledger.xlsx", data, "2019Q4")
    return time.perf_counter() - started, len(preview.ledger.errors)


def refused(rows: int, baseline_rows: int) -> int:
    ours_matcher = ledger_import.VillageMatcher()
    naive = NaiveVillageMatcher()
    lines, ok = [], True
    with tempfile.TemporaryDirectory() as folder:
        store = fresh_store(Path(folder), "refused.sqlite")
        for label, blank in (("unknown codes", False), ("unknown names", True)):
            log(f"{label}: building {rows:,} rows …")
            data = refused_ledger(rows, blank)
            part = data if baseline_rows >= rows else refused_ledger(baseline_rows, blank)
            log(f"{label}: ours …")
            ours_s, errors = timed_check(store, data, ours_matcher)
            log(f"{label}: ours {ours_s:.1f} s, {errors:,} errors")
            log(f"{label}: baseline on {min(baseline_rows, rows):,} rows …")
            naive_s, naive_errors = timed_check(store, part, naive)
            scaled = naive_s * rows / min(baseline_rows, rows)
            log(f"{label}: peak memory (untimed) …")
            tracemalloc.start()
            timed_check(store, data, ours_matcher)
            peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            ok = ok and ours_s < TARGET_S
            lines.append(f"| {label} | {len(data) / 1e6:.1f} MB | {errors:,} | **{ours_s:.1f}** | {peak_mb:.0f} MB "
                         f"| {naive_s:.1f} s for {min(baseline_rows, rows):,} rows ({naive_errors:,} errors) "
                         f"| {'' if baseline_rows >= rows else '≈ '}{scaled:.0f} |")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"## Ledger import, {rows:,} refused village rows: check against geodata/villages.csv")
    print(f"{platform.python_version()} · {platform.machine()} · {time.strftime('%Y-%m-%d %H:%M')}")
    print()
    print(f"| file | .xlsx | errors | ours: check s (target < {TARGET_S:.0f}) | ours: peak mem (tracemalloc) "
          f"| baseline: measured | baseline: s for all {rows:,} rows |")
    print("|---|---:|---:|---:|---:|---|---:|")
    print("\n".join(lines))
    print()
    print(f"process peak RSS: {rss_mb:.0f} MB")
    print(f"target: {'OK' if ok else 'FAIL'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--refused", action="store_true",
                        help="check files whose every row is refused (unknown codes, unknown names)")
    parser.add_argument("--baseline-rows", type=int, default=5_000,
                        help="--refused: rows the baseline matcher checks (its time is scaled to --rows)")
    args = parser.parse_args()
    if args.refused:
        return refused(args.rows, args.baseline_rows)

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
