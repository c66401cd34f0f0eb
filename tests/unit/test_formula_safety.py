"""No download turns a stored name into a live formula (CSV/formula injection).

Names that Excel or WPS would run as a formula are put into the demo quarter (villages,
enterprises, cooperatives, a 湛柳 project), then every table the app or the command line hands
out is opened again: no xlsx cell is a formula, and no CSV field starts with = + - @ TAB CR
unless it was neutralised with a leading ' (numbers stay numbers)."""
from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from fupin_geo import cli, config
from fupin_geo.analysis import infrastructure, ranking
from fupin_geo.data import audit, export, ledger_report, table_export, template
from fupin_geo.data.dataset import Dataset
from fupin_geo.data.store import Store
from tests.ledger_rows import HEADER, check, village

HOSTILE = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1)")


def _rename(frame: pd.DataFrame, positions, first: int = 0, column: str = "name") -> pd.DataFrame:
    frame = frame.copy()
    for number, position in enumerate(positions, start=first):
        frame.loc[frame.index[position], column] = HOSTILE[number % len(HOSTILE)]
    return frame


@pytest.fixture(scope="module")
def hostile(dataset) -> Dataset:
    """The demo 2019Q4 with hostile names where every download shows them: the first villages
    (the template's example rows), villages below an infrastructure target, the first
    enterprises and cooperatives, and the first 湛柳 project."""
    frames = dataset.frames()
    villages = frames["villages"]
    below = set(infrastructure.below_target_table(dataset)["村代码"].head(4))
    positions = list(range(4)) + [i for i, code in enumerate(villages["code"]) if code in below]
    frames["villages"] = _rename(villages, positions)
    # the template's example rows are each table's first two: the other two names here
    for table in ("enterprises", "cooperatives", "cooperation_projects"):
        frames[table] = _rename(frames[table], range(min(2, len(frames[table]))), first=2)
    return Dataset.from_frames(dataset.quarter, frames)


@pytest.fixture(scope="module")
def hostile_url(hostile, tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.sqlite'}"
    Store(url).save(hostile, author="测试")
    return url


# --- reading back ----------------------------------------------------------------------------
def assert_no_formula(data: bytes) -> set[str]:
    """Every cell of every sheet is a value, not a formula; the text values found."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    # a string cell is shown as typed, never run; anything else starting with = is
                    assert not cell.value.startswith("=") or cell.data_type == "s", cell.coordinate
                    texts.add(cell.value)
    return texts


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_csv_safe(data: bytes) -> set[str]:
    """No field a spreadsheet would run; the fields found."""
    fields = {field for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for field in row}
    for field in fields:
        assert not field.startswith(export.FORMULA_STARTS) or _number(field), field
    return fields


def assert_all_hostile_shown(texts: set[str], neutralised: bool = False) -> None:
    shown = {("'" + name) if neutralised else name for name in HOSTILE}
    assert shown <= texts, shown - texts


# --- downloads of the pages --------------------------------------------------------------------
def test_the_ranking_downloads_hold_no_formula(hostile):
    table = ranking.export_table(ranking.rank(hostile))
    assert_all_hostile_shown(assert_no_formula(ranking.to_xlsx(table, note="权重：测试")))
    assert_all_hostile_shown(assert_csv_safe(ranking.to_csv(table)), neutralised=True)


def test_the_below_target_downloads_hold_no_formula(hostile):
    table = infrastructure.below_target_table(hostile)
    assert set(HOSTILE) <= set(table["村名"])
    assert_all_hostile_shown(assert_no_formula(table_export.to_xlsx_bytes(table, "未达标村", ["数据季度"])))
    assert_all_hostile_shown(assert_csv_safe(table_export.to_csv_bytes(table)), neutralised=True)


def test_the_template_with_data_holds_no_formula(hostile):
    assert_all_hostile_shown(assert_no_formula(template.workbook(hostile)))
    assert_all_hostile_shown(assert_no_formula(template.template(hostile)))  # the example rows


def test_the_quarter_exports_hold_no_formula(hostile):
    assert_all_hostile_shown(assert_no_formula(export.workbook(hostile)))
    archive = zipfile.ZipFile(io.BytesIO(export.csv_zip(hostile)))
    fields = set()
    for name in archive.namelist():
        if name.endswith(".csv"):
            fields |= assert_csv_safe(archive.read(name))
    assert_all_hostile_shown(fields, neutralised=True)


def test_a_csv_keeps_numbers_as_numbers():
    frame = pd.DataFrame({"村名": ["-1+1", "官湖村"], "差距（百分点）": [-1.5, 2.0], "排名": [1, 2]})
    rows = list(csv.reader(io.StringIO(export.table_csv(frame).decode("utf-8-sig"))))
    assert rows[1:] == [["'-1+1", "-1.5", "1"], ["官湖村", "2.0", "2"]]
    assert table_export.to_csv_bytes(frame) == ranking.to_csv(frame) == export.table_csv(frame)


def test_the_problem_list_and_the_audit_log_hold_no_formula(q4_store):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "贫困村"
    sheet.append(HEADER)
    for number, name in enumerate(HOSTILE):
        # each name on a row with an error, so the problem list shows it
        sheet.append(village(**{"村代码": f"44082311520{number}", "村名": name, "贫困户数": 600}))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # the clerk typed text, not a formula
    buffer = io.BytesIO()
    book.save(buffer)
    preview = check(q4_store, buffer.getvalue())
    assert_all_hostile_shown(assert_no_formula(ledger_report.problems_workbook(preview.ledger)))
    for name in HOSTILE:
        audit.record(q4_store, "clerk", "导入", name, quarter="2019Q4", revision=1, file_name=name + ".xlsx")
    assert_all_hostile_shown(assert_no_formula(audit.workbook(q4_store)))


# --- the command line --------------------------------------------------------------------------
def run(url: str, *args: str):
    result = CliRunner().invoke(cli.main, list(args), env={config.DB_URL_ENV: url}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_rank_on_the_command_line_holds_no_formula(hostile_url, tmp_path):
    out = tmp_path / "rank.xlsx"
    run(hostile_url, "rank", "--format", "xlsx", "--out", str(out))
    assert_all_hostile_shown(assert_no_formula(out.read_bytes()))
    printed = run(hostile_url, "rank", "--format", "csv").stdout_bytes
    assert_all_hostile_shown(assert_csv_safe(printed), neutralised=True)
    saved = tmp_path / "rank.csv"
    run(hostile_url, "rank", "--out", str(saved))
    assert_all_hostile_shown(assert_csv_safe(saved.read_bytes()), neutralised=True)


def test_template_and_export_on_the_command_line_hold_no_formula(hostile, hostile_url, tmp_path):
    out = tmp_path / "template.xlsx"
    run(hostile_url, "template", "--out", str(out))
    assert_all_hostile_shown(assert_no_formula(out.read_bytes()))
    out = tmp_path / "export.xlsx"
    run(hostile_url, "export", "--quarter", hostile.quarter, "--format", "xlsx", "--out", str(out))
    assert_all_hostile_shown(assert_no_formula(out.read_bytes()))
