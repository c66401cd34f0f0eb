"""`python -m fupin_geo`: each subcommand, and each bad argument ends in Chinese with status 2."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pyogrio
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from fupin_geo import cli, config
from fupin_geo.data import demo, schema
from fupin_geo.data.store import TABLES, Store

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_CLICK = ("Usage:", "Options:", "Commands:", "Error:", "Show this message", "Aborted",
                 "Traceback", "[required]")


def run(db_url: str, *args: str, input: str | None = None):
    result = CliRunner().invoke(cli.main, list(args), input=input, env={config.DB_URL_ENV: db_url},
                                prog_name="python -m fupin_geo")
    # every ending is a SystemExit from cli.main; anything else escaped as a traceback
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}")
    return result


def assert_chinese_failure(result) -> None:
    assert result.exit_code == cli.EXIT_BAD_INPUT, result.output
    message = result.stderr.strip()
    assert message.startswith("错误："), message
    assert CJK.search(message.removeprefix("错误："))
    assert len(message.splitlines()) == 1, message  # one sentence, no traceback
    for english in ENGLISH_CLICK:
        assert english not in result.output, result.output


@pytest.fixture
def fresh_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.sqlite'}"


TINY_DEMO_QUARTERS = ["2019Q2", "2019Q3"]


@pytest.fixture
def fast_demo(monkeypatch, make_dataset):
    """`demo` writes two one-village quarters instead of building the demo (seconds each)."""
    tiny = [make_dataset(villages=[{}], quarter=q) for q in TINY_DEMO_QUARTERS]
    monkeypatch.setattr(demo, "build_demo", lambda: tiny)


@pytest.fixture
def one_quarter_url(tmp_path, demo_datasets) -> str:
    """A database holding only 2019Q1: a reset to the (tiny) demo replaces it."""
    url = f"sqlite:///{tmp_path / 'one.sqlite'}"
    Store(url).save(demo_datasets[0])
    return url


# --- help ----------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["--help"], ["info", "--help"], ["demo", "--help"], ["export", "-h"]])
def test_help_is_chinese(seeded_db_url, args):
    result = run(seeded_db_url, *args)
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：python -m fupin_geo")
    assert "选项" in result.stdout and "显示本帮助并退出。" in result.stdout
    for english in ENGLISH_CLICK:
        assert english not in result.stdout


def test_group_help_lists_every_command(seeded_db_url):
    text = run(seeded_db_url, "--help").stdout
    assert {"info", "demo", "export"} <= set(re.findall(r"^  (\w+)\s", text, re.M))


def test_no_command_shows_the_help_and_exits_2(seeded_db_url):
    result = run(seeded_db_url)
    assert result.exit_code == 2
    assert "用法：" in result.stderr and "命令" in result.stderr


# --- info and demo -------------------------------------------------------------------------
def test_info_lists_quarters_counts_and_says_demo(seeded_db_url, dataset):
    result = run(seeded_db_url, "info")
    assert result.exit_code == 0
    assert "季度：2019Q1、2019Q2、2019Q3、2019Q4" in result.stdout
    village_row = next(line for line in result.stdout.splitlines() if line.startswith("贫困村"))
    assert village_row.split()[-1] == str(len(dataset.villages))
    assert "演示数据" in result.stdout


def test_info_on_an_empty_database(fresh_url):
    result = run(fresh_url, "info")
    assert result.exit_code == 0
    assert "数据库为空" in result.stdout


def test_demo_fills_an_empty_database(fresh_url, fast_demo):
    result = run(fresh_url, "demo")
    assert result.exit_code == 0, result.output
    assert Store(fresh_url).quarters() == TINY_DEMO_QUARTERS
    assert "已写入演示数据" in result.stdout


def test_demo_leaves_data_alone_without_reset(one_quarter_url, fast_demo):
    result = run(one_quarter_url, "demo")
    assert result.exit_code == 0
    assert "未作改动" in result.stdout
    assert Store(one_quarter_url).quarters() == ["2019Q1"]


@pytest.mark.parametrize("answer", [None, "n\n", "\n"], ids=["no terminal", "no", "default"])
def test_demo_reset_unconfirmed_changes_nothing(one_quarter_url, fast_demo, answer):
    result = run(one_quarter_url, "demo", "--reset", input=answer)
    assert_chinese_failure(result)
    assert "数据库未作改动" in result.stderr
    assert Store(one_quarter_url).quarters() == ["2019Q1"]


def test_demo_reset_no_terminal_says_how_to_confirm(one_quarter_url, fast_demo):
    assert "--yes" in run(one_quarter_url, "demo", "--reset").stderr


@pytest.mark.parametrize("args,answer", [(["--reset", "--yes"], None), (["--reset"], "y\n")])
def test_demo_reset_confirmed_replaces(one_quarter_url, fast_demo, args, answer):
    result = run(one_quarter_url, "demo", *args, input=answer)
    assert result.exit_code == 0, result.output
    assert Store(one_quarter_url).quarters() == TINY_DEMO_QUARTERS


# --- export --------------------------------------------------------------------------------
def test_export_xlsx_as_in_the_readme(seeded_db_url, dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(seeded_db_url, "export", "--quarter", "2019Q4", "--format", "xlsx", "--out", "q4.xlsx")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "q4.xlsx")
    assert book.sheetnames == ["说明"] + [e.label for e in schema.ENTITIES]
    villages = book["贫困村"]
    assert villages["A1"].value == "村代码"
    assert villages["A2"].data_type == "s" and villages["A2"].value in set(dataset.villages["code"])
    assert "演示数据" in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["q4.xlsx"]  # no temporary file left


def test_export_each_other_format(seeded_db_url, tmp_path):
    for fmt, name in (("csv", "q1.zip"), ("geojson", "q1.geojson"), ("gpkg", "q1.gpkg")):
        out = tmp_path / name
        result = run(seeded_db_url, "export", "-q", "2019Q1", "-f", fmt.upper(), "-o", str(out))
        assert result.exit_code == 0, result.output
    assert "villages.csv" in zipfile.ZipFile(tmp_path / "q1.zip").namelist()
    assert json.loads((tmp_path / "q1.geojson").read_text(encoding="utf-8"))["features"]
    layers = dict(pyogrio.list_layers(tmp_path / "q1.gpkg"))
    assert "villages" in layers and pyogrio.read_info(tmp_path / "q1.gpkg", layer="villages")["crs"] == "EPSG:4326"


def test_export_replaces_an_existing_file(seeded_db_url, tmp_path):
    out = tmp_path / "q4.xlsx"
    out.write_bytes(b"old")
    assert run(seeded_db_url, "export", "-q", "2019Q4", "-f", "xlsx", "-o", str(out)).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "说明"


def test_export_names_records_with_bad_wkt_and_goes_on(make_dataset, tmp_path):
    url = f"sqlite:///{tmp_path / 'bad.sqlite'}"
    store = Store(url)
    store.save(make_dataset(villages=[{}]))
    latest = store.latest_revision("2019Q4")
    with store.engine.begin() as connection:  # a stored row of the latest revision that validation would refuse
        connection.execute(sa.insert(TABLES["aquaculture"]), [dict(
            id="A9", name="坏网箱", kind="深水网箱", county_code="440882", geometry_wkt="POINT (1 2",
            area_mu=1.0, quarter="2019Q4", source=config.DEMO_SOURCE, revision=latest)])
    result = run(url, "export", "-q", "2019Q4", "-f", "gpkg", "-o", str(tmp_path / "bad.gpkg"))
    assert result.exit_code == 0, result.output
    assert "已跳过：水产养殖" in result.stderr and "[A9]（坏网箱）" in result.stderr
    assert "POINT (1 2" in result.stderr
    assert "跳过 1 条" in result.stdout
    assert pyogrio.read_info(tmp_path / "bad.gpkg", layer="villages")["features"] == 1


BAD_EXPORTS = {
    "unknown quarter": ["export", "-q", "2019Q9", "-f", "xlsx", "-o", "{tmp}/x.xlsx"],
    "wrong format": ["export", "-q", "2019Q4", "-f", "pdf", "-o", "{tmp}/x.pdf"],
    "missing folder": ["export", "-q", "2019Q4", "-f", "xlsx", "-o", "{tmp}/nowhere/x.xlsx"],
    "out is a folder": ["export", "-q", "2019Q4", "-f", "xlsx", "-o", "{tmp}"],
    "out under a file": ["export", "-q", "2019Q4", "-f", "xlsx", "-o", "{tmp}/file.txt/x.xlsx"],
    "missing quarter": ["export", "-f", "xlsx", "-o", "{tmp}/x.xlsx"],
    "missing format": ["export", "-q", "2019Q4", "-o", "{tmp}/x.xlsx"],
    "missing out": ["export", "-q", "2019Q4", "-f", "xlsx"],
    "option without value": ["export", "-q"],
    "unknown option": ["export", "--foo"],
    "extra argument": ["export", "-q", "2019Q4", "-f", "xlsx", "-o", "{tmp}/x.xlsx", "more"],
    "unknown command": ["nope"],
    "unknown demo option": ["demo", "--force"],
}


@pytest.mark.parametrize("args", BAD_EXPORTS.values(), ids=BAD_EXPORTS.keys())
def test_bad_arguments_end_in_one_chinese_sentence(seeded_db_url, tmp_path, args):
    (tmp_path / "file.txt").write_text("x")
    result = run(seeded_db_url, *[a.format(tmp=tmp_path) for a in args])
    assert_chinese_failure(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]  # nothing written


def test_unwritable_folder(seeded_db_url, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    # root writes through file modes; /sys refuses everyone
    target = folder if not _can_write(folder) else Path("/sys")
    try:
        result = run(seeded_db_url, "export", "-q", "2019Q4", "-f", "xlsx", "-o", str(target / "x.xlsx"))
        assert_chinese_failure(result)
        assert "没有写入权限" in result.stderr
    finally:
        folder.chmod(0o700)


def _can_write(folder: Path) -> bool:
    try:
        (folder / "probe").write_text("x")
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


@pytest.mark.parametrize("command", [["info"], ["demo"], ["export", "-q", "2019Q4", "-f", "xlsx", "-o", "x.xlsx"]])
def test_unparsable_database_url_is_one_chinese_sentence(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("notaurl::::// ", *command)
    assert_chinese_failure(result)
    assert "FUPIN_DB_URL" in result.stderr and "无法识别" in result.stderr


def test_database_password_is_never_shown(tmp_path):
    result = run("postgresql+nodriver://user:s3cret@localhost/fupin", "info")
    assert result.exit_code == 2
    assert "s3cret" not in result.output and "***" in result.stderr
