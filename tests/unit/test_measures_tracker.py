"""The tracker of the 27 measures: statuses, KPI values and the 科室 filter, on hand-made data."""
from __future__ import annotations

from fupin_geo.analysis import measures as tracker
from fupin_geo.data import measures as plan


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


def test_filter_by_unit_lists_lead_and_partner_measures(make_dataset):
    dataset = make_dataset([{}])
    table = tracker.tracker(dataset, [], unit="扶贫协作与开发指导科")
    # the plan names it for items 3, 6, 7 and 10 (lead only in 7 and 10)
    assert table["序号"].tolist() == [3, 6, 7, 10]
    assert dict(zip(table["序号"], table["本科室角色"])) == {3: "配合", 6: "配合", 7: "牵头", 10: "牵头"}
    assert tracker.tracker(dataset, [], unit="人事科")["序号"].tolist() == [27]


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
