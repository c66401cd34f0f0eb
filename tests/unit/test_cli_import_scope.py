"""`python -m fupin_geo import`: a county's file updates that county only; --replace deletes
what the file leaves out after listing it, and a mass deletion needs --yes; a new quarter
starts from the last one; an unchanged file saves nothing; last quarter's file is taken as
--quarter's."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from fupin_geo import cli, config
from fupin_geo.data import ledger_merge, schema, template
from fupin_geo.data.dataset import Dataset
from fupin_geo.data.store import Store

QUARTER = "2019Q4"
SUIXI = "440823"


@pytest.fixture
def url(tmp_path, demo_datasets) -> str:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url).save(demo_datasets[-1])
    return url


def run(url: str, *args: str):
    result = CliRunner().invoke(cli.main, list(args), env={config.DB_URL_ENV: url}, prog_name="python -m fupin_geo")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def suixi_file(tmp_path, dataset: Dataset, table: str, drop: int = 0, quarter: str = QUARTER) -> str:
    frame = dataset.frames()[table]
    mine = frame[(ledger_merge.record_counties(schema.BY_TABLE[table], frame) == SUIXI).to_numpy()]
    path = tmp_path / f"遂溪_{table}.xlsx"
    path.write_bytes(template.workbook(Dataset.from_frames(quarter, {table: mine.iloc[drop:].assign(quarter=quarter)})))
    return str(path)


def test_a_countys_file_into_a_new_quarter_carries_the_others_over(url, tmp_path, dataset):
    result = run(url, "import", suixi_file(tmp_path, dataset, "villages"), "--quarter", "2020Q1")
    assert result.exit_code == 0, result.output
    assert "2020Q1 是新的季度：以 2019Q4 的全部记录为基础" in result.output
    assert "不会删除任何记录" in result.output
    after = Store(url).load("2020Q1")
    for name, frame in dataset.frames().items():
        assert len(after.frames()[name]) == len(frame), name
    status = ledger_merge.reporting_status(after).set_index("县区")["状态"]
    assert status["遂溪县"] == ledger_merge.PARTLY and status["雷州市"] == ledger_merge.CARRIED


def test_replace_lists_the_deletions_and_a_mass_deletion_needs_yes(url, tmp_path, dataset):
    path = suixi_file(tmp_path, dataset, "linkages", drop=12)
    plain = run(url, "import", path, "--quarter", QUARTER, "--dry-run")
    assert "不会删除任何记录" in plain.output and "将删除" not in plain.output
    refused = run(url, "import", path, "--quarter", QUARTER, "--replace", "遂溪")
    assert refused.exit_code == cli.EXIT_BAD_INPUT
    assert refused.output.count("将删除：「联农带农关系」") == 12
    assert "--yes" in refused.stderr
    assert len(Store(url).load(QUARTER).linkages) == len(dataset.linkages)
    done = run(url, "import", path, "--quarter", QUARTER, "--replace", "遂溪县", "--yes")
    assert done.exit_code == 0, done.output
    assert len(Store(url).load(QUARTER).linkages) == len(dataset.linkages) - 12


def test_an_unchanged_file_saves_no_version(url, tmp_path, dataset):
    result = run(url, "import", suixi_file(tmp_path, dataset, "villages"), "--quarter", QUARTER)
    assert result.exit_code == 0, result.output
    assert "没有变化，不会保存新版本" in result.output
    assert Store(url).latest_revision(QUARTER) == 1


def test_last_quarters_file_is_imported_as_the_chosen_quarter_with_one_hint(url, tmp_path, dataset):
    path = suixi_file(tmp_path, dataset, "villages", quarter=QUARTER)
    result = run(url, "import", path, "--quarter", "2020Q1")
    assert result.exit_code == 0, result.output
    assert result.output.count("已按所选季度 2020Q1 替换") == 1
    villages = Store(url).load("2020Q1").villages
    assert (villages.loc[villages["county_code"] == SUIXI, "reported_quarter"] == "2020Q1").all()


def test_a_deletion_that_would_orphan_records_is_refused_unless_asked(url, tmp_path, dataset):
    code = sorted(set(dataset.products["village_code"]) & set(dataset.cooperatives["village_code"]))[0]
    frame = dataset.villages[dataset.villages["code"] == code][["code", "name"]]
    path = tmp_path / "删除.csv"
    pd.DataFrame({"村代码": frame["code"], "村名": frame["name"], "删除": ["是"]}).to_csv(path, index=False)
    refused = run(url, "import", str(path), "--quarter", QUARTER)
    assert refused.exit_code == cli.EXIT_BAD_INPUT
    assert "仍引用已删除的贫困村" in refused.output
    done = run(url, "import", str(path), "--quarter", QUARTER, "--delete-dependants", "--yes")
    assert done.exit_code == 0, done.output
    assert f"将删除：「贫困村」{code}" in done.output and "所引用的贫困村已删除" in done.output
    assert code not in set(Store(url).load(QUARTER).villages["code"])
