"""`python -m fupin_geo rank` through click's CliRunner, on the seeded demo database."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from fupin_geo import cli, config
from fupin_geo.data.store import Store

SUIXI = "440823"


@pytest.fixture
def run(monkeypatch, seeded_db_url):
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)

    def invoke(*args):
        return CliRunner().invoke(cli.main, list(args))

    return invoke


@pytest.fixture(scope="module")
def suixi_villages(seeded_db_url):
    villages = Store(seeded_db_url).load().villages
    return villages[villages["county_code"] == SUIXI]


def test_top_ten_of_a_county_as_csv(run, tmp_path, suixi_villages):
    out = tmp_path / "top10.csv"
    result = run("rank", "--county", "遂溪县", "--top", "10", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "已写入" in result.output and "演示数据" in result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"村代码": str})
    assert len(table) == 10 and table["排名"].tolist() == list(range(1, 11))
    assert set(table["县（市、区）"]) == {"遂溪县"}
    assert set(table["村代码"]) <= set(suixi_villages["code"])
    assert table["短板得分"].is_monotonic_decreasing
    assert table["原因"].str.len().min() > 0


def test_a_county_by_code_or_short_name_is_the_same(run):
    by_name = run("rank", "--county", "遂溪县", "--top", "5", "--format", "csv")
    by_code = run("rank", "--county", SUIXI, "--top", "5", "--format", "csv")
    by_short = run("rank", "--county", "遂溪", "--top", "5", "--format", "csv")
    assert by_name.exit_code == by_code.exit_code == by_short.exit_code == 0
    assert by_name.output == by_code.output == by_short.output
    assert by_name.output.count("\n") == 6  # header and five villages


def test_xlsx_is_inferred_from_the_file_name(run, tmp_path):
    out = tmp_path / "短板.xlsx"
    result = run("rank", "--top", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("排名", "村名") and [r[0] for r in rows[1:4]] == [1, 2, 3]
    assert "权重" in rows[5][0]


def test_weights_change_the_list(run):
    default = run("rank", "--top", "5", "--format", "csv").output
    infra = run("rank", "--top", "5", "--format", "csv", "--weight", "infrastructure=5", "--weight", "linkage=0").output
    assert default != infra


def test_table_on_the_terminal(run):
    result = run("rank", "--county", "雷州", "--top", "2")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("  1. ") and "雷州市" in lines[0] and "得分" in lines[0]
    assert lines[-1].startswith("数据季度")


@pytest.mark.parametrize("args, message", [
    (("--county", "北京市"), "没有这个县"),
    (("--county", "遂"), "没有这个县"),
    (("--top", "0"), "--top"),
    (("--format", "xlsx"), "--out"),
    (("--weight", "beauty=3"), "没有分项"),
    (("--weight", "coop=很多"), "权重应为数字"),
    (("--quarter", "2018Q1"), "没有 2018Q1 的数据"),
])
def test_unusable_input_is_one_chinese_sentence_with_status_2(run, args, message):
    result = run("rank", *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert result.output.startswith("错误：")


def test_an_unwritable_file_is_a_chinese_error(run, tmp_path):
    result = run("rank", "--out", str(tmp_path / "missing-folder" / "x.csv"))
    assert result.exit_code == 2 and "无法写入" in result.output
