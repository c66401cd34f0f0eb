"""The tracker of the 27 measures: statuses, KPI values and the 科室 filter, on hand-made data."""
from __future__ import annotations

from fupin_geo import config
from fupin_geo.analysis import measures as tracker
from fupin_geo.data import measures as plan

# The measures whose only KPI is a 规划参考 target (the plan names the work, not a number).
REFERENCE_MEASURES = {12: "ecommerce", 19: "insurance", 24: "yishiyiyi", 26: "farmland"}


def status_rows(pairs):
    return [dict(measure=n, status=s, note=f"第{n}项说明") for n, s in pairs]


def test_every_measure_is_listed_with_its_status_or_no_record(make_dataset):
    dataset = make_dataset([{}], measure_status=status_rows([(1, "已完成"), (25, "滞后")]))
    table = tracker.tracker(dataset, [])
    assert table["序号"].tolist() == list(range(1, 28))
    status = dict(zip(table["序号"], table["状态"]))
    assert status[1] == "已完成" and status[25] == "滞后" and status[2] == tracker.NO_STATUS
    notes = dict(zip(table["序号"], table["进展说明"]))
    assert notes[25] == "第25项说明" and notes[2] == "—"


def test_filter_by_unit_lists_every_measure_it_leads_jointly_or_alone(make_dataset):
    dataset = make_dataset([{}])
    table = tracker.tracker(dataset, [], unit="扶贫协作与开发指导科")
    # the plan names it for items 3, 6, 7 and 10; every unit named there is a 牵头科室
    assert table["序号"].tolist() == [3, 6, 7, 10]
    assert dict(zip(table["序号"], table["牵头科室"])) == {
        3: "发展规划与乡村产业发展科、扶贫协作与开发指导科", 6: "种植业科、扶贫协作与开发指导科",
        7: "扶贫协作与开发指导科", 10: "扶贫协作与开发指导科、扶贫规划科"}
    assert "配合单位" not in table.columns and "本科室角色" not in table.columns
    assert tracker.tracker(dataset, [], unit="渔业渔港管理科")["序号"].tolist() == [5]
    assert tracker.tracker(dataset, [], unit="人事科")["序号"].tolist() == [27]
    assert tracker.status_history([dataset], unit="种植业科")["序号"].tolist() == [2, 6, 11, 15]


def test_a_reference_target_is_never_missed_nor_questioned(make_dataset):
    # every measure reported done, and no village has any of the infrastructure: each reference
    # target is at 0 % of its 100 %, yet the plan set no number, so nothing is "否" or 请核实
    nothing = [dict(village_code=f"4408821012{i:02d}", yishiyiyi_projects=0, land_consolidation_projects=0,
                    road_hardened=False, ecommerce_point=False, cold_storage=False, insured_poor_households=0)
               for i in range(2)]
    dataset = make_dataset([{}, {}], measure_status=status_rows([(n, "已完成") for n in range(1, 28)]),
                           village_infrastructure=nothing)
    table = tracker.tracker(dataset, []).set_index("序号")
    for number, key in REFERENCE_MEASURES.items():
        row = table.loc[number]
        label = config.INFRA_BY_KEY[key].label
        assert row["指标达标"] == tracker.REFERENCE, number
        assert row["提示"] == "", number
        assert row["考核指标"] == f"{label} 0.0%（规划参考 100%，非工作方案目标）", number
        assert "差" not in row["考核指标"] and "目标 100%" not in row["考核指标"], number
    # a target of the plan's own still is: item 8 at 0 % of 100 % (no cooperative)
    assert table.loc[8, "指标达标"] == "否" and table.loc[8, "提示"] == "已报完成但指标未达标，请核实"


def test_a_reference_target_without_data_is_a_dash(make_dataset):
    row = tracker.tracker(make_dataset([{}]), []).set_index("序号").loc[12]
    assert row["指标达标"] == "—" and row["考核指标"].startswith("电商服务站点 无数据（规划参考")


def test_the_demo_asks_no_question_from_a_reference_target(demo_datasets):
    quarters = [d.quarter for d in demo_datasets]
    for dataset in demo_datasets:
        table = tracker.tracker(dataset, quarters).set_index("序号")
        for number in REFERENCE_MEASURES:
            assert table.loc[number, "指标达标"] in (tracker.REFERENCE, "—"), (dataset.quarter, number)
            assert table.loc[number, "提示"] == "", (dataset.quarter, number)


def test_kpi_value_and_gap_of_a_measure(make_dataset):
    # 8 个贫困村 (item 8): one of two villages has a poverty cooperative -> 50 %, 50 points short
    dataset = make_dataset(
        [{}, {}], measure_status=status_rows([(8, "已完成")]),
        cooperatives=[dict(id="C1", name="合作社", village_code="440882101200", lon=110.1, lat=20.9,
                           members=5, poor_members=2, is_poverty_coop=True)])
    row = tracker.tracker(dataset, []).set_index("序号").loc[8]
    assert row["考核指标"] == "有扶贫合作社的村 50.0%（目标 100%，差 50.0 个百分点）"
    assert row["指标达标"] == "否"
    assert row["提示"] == "已报完成但指标未达标，请核实"
    assert tracker.tracker(dataset, []).set_index("序号").loc[4, "考核指标"] == "—"


def test_status_counts_include_zeros(make_dataset):
    dataset = make_dataset([{}], measure_status=status_rows([(n, "推进中") for n in range(1, 28)]))
    counts = tracker.status_counts(tracker.tracker(dataset, []))
    assert counts == {"未启动": 0, "推进中": 27, "已完成": 0, "滞后": 0}


def test_status_history_over_quarters(make_dataset):
    q1 = make_dataset([{}], quarter="2019Q1", measure_status=status_rows([(27, "未启动")]))
    q2 = make_dataset([{}], quarter="2019Q2", measure_status=status_rows([(27, "已完成")]))
    history = tracker.status_history([q1, q2], unit="人事科")
    assert history.to_dict("records") == [{"序号": 27, "措施": plan.load()[26].title,
                                           "2019Q1": "未启动", "2019Q2": "已完成"}]


def test_demo_statuses_move_forward(demo_datasets):
    # in the demo, a measure never goes back from 已完成, and Q4 has more done than Q1
    history = tracker.status_history(demo_datasets)
    quarters = [d.quarter for d in demo_datasets]
    for row in history.itertuples(index=False):
        states = list(row[2:])
        if "已完成" in states:
            assert all(s == "已完成" for s in states[states.index("已完成"):])
    assert (history[quarters[-1]] == "已完成").sum() > (history[quarters[0]] == "已完成").sum()
