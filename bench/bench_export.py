"""Benchmark: the quarter workbook (data/export.workbook, XlsxWriter) against a naive openpyxl
writer of the same cells, in the same process.

Run from the repo root:

    .venv/bin/python -m bench.bench_export                 # 218 and 2,277 villages
    .venv/bin/python -m bench.bench_export --sizes 218,2277,20000 --repeats 3

One measurement: write every entity of a ready Dataset to .xlsx bytes in memory. The
baseline is what one writes first with openpyxl (normal mode, one cell at a time, text cells
given number_format "@"); it writes the same values. Also timed: the zipped CSV and the
GeoPackage. Not timed: making the data set. Timings depend on the machine (and on how busy
it is); the test suite never asserts them.
"""
from __future__ import annotations

import argparse
import io
import logging
import statistics
import time

import openpyxl

from bench.harness import machine
from bench.synthetic import scaled_dataset
from fupin_geo.data import export, schema
from fupin_geo.data.dataset import Dataset

logging.getLogger("streamlit").setLevel(logging.ERROR)


def naive_openpyxl(dataset: Dataset) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for entity in schema.ENTITIES:
        sheet = book.create_sheet(entity.label)
        sheet.append([c.label for c in entity.all_columns])
        frame = dataset.frames()[entity.table]
        for row_number, row in enumerate(export._entity_rows(entity, frame), start=2):
            for column_number, (value, column) in enumerate(zip(row, entity.all_columns), start=1):
                cell = sheet.cell(row=row_number, column=column_number, value=value)
                if column.kind in (str, bool):
                    cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(function, repeats: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        data = function()
        times.append(time.perf_counter() - start)
        size = len(data if isinstance(data, bytes) else data.data)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="218,2277")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"Quarter export, median of {args.repeats} · {machine()}\n")
    print(f"{'villages':>9} {'records':>8} {'what':<28} {'median s':>9} {'MB':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        dataset = scaled_dataset(size)
        records = sum(len(f) for f in dataset.frames().values())
        rows = [
            ("xlsx, ours (XlsxWriter)", lambda dataset=dataset: export.workbook(dataset)),
            ("xlsx, naive openpyxl", lambda dataset=dataset: naive_openpyxl(dataset)),
            ("csv zip, ours", lambda dataset=dataset: export.csv_zip(dataset)),
            ("gpkg, ours (pyogrio)", lambda dataset=dataset: export.geopackage(dataset)),
        ]
        for label, function in rows:
            seconds, nbytes = timed(function, args.repeats)
            print(f"{size:>9,} {records:>8,} {label:<28} {seconds:>9.2f} {nbytes / 1e6:>6.2f}")


if __name__ == "__main__":
    main()
