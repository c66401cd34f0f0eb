"""The 工作措施 page through AppTest: the tracker, the 科室 filter, a quarter change, and the
link from 总览's KPI cards."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config, ui
from fupin_geo.data import measures as plan
from fupin_geo.data.store import Store
from fupin_geo.ui.panels import measures as panel
from tests.app import tab
from tests.app.kpi import kpi_cards

APP = config.REPO_DIR / "app.py"
PAGE = "pages/measures.py"


def open_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def statuses(url: str, quarter: str | None = None) -> dict[int, str]:
    frame = Store(url).load(quarter).measure_status
    return dict(zip(frame["measure"], frame["status"]))


def test_all_27_measures_with_their_status(app_env):
    at = open_page()
    assert at.title[0].value == "工作措施进展"
    assert "演示数据" in at.warning[0].value
    table = at.dataframe[0].value
    assert table["序号"].tolist() == list(range(1, 28))
    assert dict(zip(table["序号"], table["状态"])) == statuses(app_env)
    assert table["牵头科室"].tolist() == ["、".join(m.leads) for m in plan.load()]
    counts = {m.label: m.value for m in at.metric}
    expected = statuses(app_env)
    assert counts == {s: f"{list(expected.values()).count(s)} 项" for s in config.MEASURE_STATUSES}
    history = at.dataframe[1].value
    assert list(history.columns) == ["序号", "措施", *config.PLAN_QUARTERS]


def test_filter_by_unit_shows_its_own_list_and_keeps_it_in_the_url(app_env):
    at = open_page()
    at.selectbox(key=panel.UNIT_KEY).select("农村合作经济与改革科").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["序号"].tolist() == [8, 9, 14, 16, 17, 18, 24]
    assert set(table["牵头科室"]) == {"农村合作经济与改革科"}
    assert at.query_params["unit"] == "农村合作经济与改革科"
    assert "农村合作经济与改革科：7 项措施" in [s.value for s in at.subheader]


def test_measure_3_has_both_leads_and_each_finds_it(app_env):
    at = open_page()
    table = at.dataframe[0].value.set_index("序号")
    assert table.loc[3, "牵头科室"] == "发展规划与乡村产业发展科、扶贫协作与开发指导科"
    assert "配合单位" not in table.columns
    assert "第一个为牵头科室" not in at.selectbox(key=panel.UNIT_KEY).help
    for unit in ("发展规划与乡村产业发展科", "扶贫协作与开发指导科"):
        at.selectbox(key=panel.UNIT_KEY).select(unit).run()
        assert not at.exception
        assert 3 in at.dataframe[0].value["序号"].tolist(), unit
        assert "本科室角色" not in at.dataframe[0].value.columns


def test_reference_targets_read_as_such_never_as_missed(app_env):
    at = open_page()
    table = at.dataframe[0].value.set_index("序号")
    for number in (12, 19, 24, 26):
        assert table.loc[number, "指标达标"] == "规划参考", number
        assert "规划参考 100%" in table.loc[number, "考核指标"], number
        assert "目标 100%" not in table.loc[number, "考核指标"], number
        assert "请核实" not in table.loc[number, "提示"], number
    assert any("规划参考" in c.value for c in at.caption)


def test_a_link_opens_the_units_list(app_env):
    at = open_page({"unit": "人事科"})
    assert at.dataframe[0].value["序号"].tolist() == [27]


def test_quarter_change_changes_the_statuses(app_env):
    at = open_page()
    at.sidebar.selectbox(key=ui.session.QUARTER_WIDGET).select("2019Q1").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert dict(zip(table["序号"], table["状态"])) == statuses(app_env, "2019Q1")
    assert statuses(app_env, "2019Q1") != statuses(app_env, "2019Q4")


def test_overview_kpi_cards_link_here(app_env):
    at = tab.app_test(timeout=90).run()  # 总览 complete (its link comes after the map: below_map)
    links = at.get("page_link")
    assert [link.proto.page for link in links] == ["measures"]  # the url path of pages/measures.py
    assert len(kpi_cards(at)) == 10  # the cards are still there


@pytest.mark.parametrize("hostile", ["![x](http://a.b/x.png)", "<img src=x onerror=alert(1)>"])
def test_hostile_unit_in_the_url_of_the_measures_page_is_ignored(app_env, hostile):
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["unit"] = hostile
    at.run()
    at.switch_page("pages/measures.py").run()
    assert not at.exception
    assert at.selectbox(key="measures_unit").value == "__all__"
    assert json.dumps([m.value for m in at.markdown]).count("a.b/x.png") == 0
