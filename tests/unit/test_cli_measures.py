"""`python -m fupin_geo measures`: the tracker on the command line."""
from __future__ import annotations

from click.testing import CliRunner

from fupin_geo import cli, config


def test_lists_a_units_measures_with_their_status(monkeypatch, seeded_db_url):
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)
    result = CliRunner().invoke(cli.main, ["measures", "--unit", "人事科", "--quarter", "2019Q1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2019Q1：人事科 共 1 项措施"
    assert lines[1].startswith("27. [") and "挂点帮扶村工作任务 · 牵头：人事科" in lines[1]
    assert "演示数据" in lines[-1]


def test_a_joint_lead_sees_its_measures_with_every_lead(monkeypatch, seeded_db_url):
    # the plan names 扶贫协作与开发指导科 in items 3, 6, 7 and 10: it leads each, 3, 6 and 10 jointly
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)
    result = CliRunner().invoke(cli.main, ["measures", "--unit", "扶贫协作与开发指导科"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("扶贫协作与开发指导科 共 4 项措施")
    leads = {int(line.split(".")[0]): line.split(" · 牵头：")[1] for line in lines[1:5]}
    assert leads == {3: "发展规划与乡村产业发展科、扶贫协作与开发指导科", 6: "种植业科、扶贫协作与开发指导科",
                     7: "扶贫协作与开发指导科", 10: "扶贫协作与开发指导科、扶贫规划科"}
    assert "配合" not in result.output


def test_unknown_unit_or_quarter_is_one_chinese_sentence(monkeypatch, seeded_db_url):
    monkeypatch.setenv(config.DB_URL_ENV, seeded_db_url)
    result = CliRunner().invoke(cli.main, ["measures", "--unit", "不存在科"])
    assert result.exit_code == 2 and "工作方案中没有科室“不存在科”" in result.output
    result = CliRunner().invoke(cli.main, ["measures", "--quarter", "2030Q1"])
    assert result.exit_code == 2 and "没有 2030Q1 的数据" in result.output
    assert "Traceback" not in result.output
