"""A tab's first map page: what lies below the map waits until the browser reports the map
drawn (fupin_geo.ui.edge.below_map), then comes, and stays for the rest of the session."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config, ui
from fupin_geo.ui.edge import below_map
from fupin_geo.ui.panels import ranking
from tests.app.kpi import kpi_cards

REPORTER = "map_drawn"  # the name below_map declares its component under
# page, the caption shown in its later part's place, and an element type only that part draws
LATER_PARTS = [
    ("pages/overview.py", "查找贫困村、下载和分县情况表正在加载……", "dataframe"),
    ("pages/linkage.py", "明细表正在加载……", "dataframe"),
    ("pages/underserved.py", "排名表正在加载……", "download_button"),
    ("pages/infrastructure.py", "分县情况表和未达标村清单正在加载……", "dataframe"),
    ("pages/cooperation.py", "协作项目表和图表正在加载……", "dataframe"),
]


def first_visit(page: str) -> AppTest:
    at = AppTest.from_file(str(config.REPO_DIR / "app.py"), default_timeout=90).run()  # 总览
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def reporters(at: AppTest) -> list:
    return [e for e in at.get("component_instance") if e.proto.component_name.endswith(REPORTER)]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize(("page", "waiting", "later_type"), LATER_PARTS)
def test_the_later_part_waits_for_the_map_report_then_stays(app_env, page, waiting, later_type):
    at = first_visit(page)
    assert at.get(later_type) == []
    assert waiting in captions(at)
    assert len(reporters(at)) == 1

    at.session_state["_below_map_report"] = True  # what the reporter sends once the map is drawn
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get(later_type)
    assert waiting not in captions(at)
    assert reporters(at) == []

    # the report is a widget value that Streamlit drops once the reporter is gone: the tab keeps
    # knowing, on this page and on the next
    at.run()
    assert at.get(later_type) and reporters(at) == []
    assert at.session_state[below_map.MAP_DRAWN] is True


def test_underserved_draws_its_suggestions_table_and_sliders_after_the_map(app_env):
    at = first_visit("pages/underserved.py")
    assert at.dataframe == [] and "点位表正在加载……" in captions(at)
    # the weights' and the sites' sliders too; until they come, the page uses their defaults
    assert at.slider == [] and [n.key for n in at.number_input] == [ranking.RNK_TOP]
    assert {ranking.WEIGHTS_WAITING, ranking.SITES_WAITING} <= set(captions(at))
    before = [m.value for m in at.markdown]
    at.session_state["_below_map_report"] = True
    at.run()
    assert len(at.dataframe) == 2  # the suggested sites beside the map, the ranking below it
    assert "点位表正在加载……" not in captions(at)
    assert {s.key for s in at.slider} == {ranking.RNK_RADIUS, *map(ranking.weight_key, config.RANK_WEIGHTS)}
    assert {n.key for n in at.number_input} == {ranking.RNK_TOP, ranking.RNK_K}
    assert not {ranking.WEIGHTS_WAITING, ranking.SITES_WAITING} & set(captions(at))
    assert [m.value for m in at.markdown] == before  # the same suggestions: defaults as the sliders'
    assert any(f"建议的 {config.SITES_DEFAULT} 个点位" in text for text in before)


def test_quarters_draws_its_charts_and_county_table_after_the_map(app_env):
    at = first_visit("pages/quarters.py")
    assert at.get("vega_lite_chart") == [] and at.get("dataframe") == []
    assert "变化清单和趋势图正在加载……" in captions(at)
    assert "表格正在加载……" in captions(at)  # in the closed expander above the map
    at.session_state["_below_map_report"] = True
    at.run()
    assert at.get("vega_lite_chart")
    assert len(at.dataframe) == 5  # the county table in its expander and four change lists
    assert "表格正在加载……" not in captions(at)


def test_overview_shows_its_kpi_cards_and_map_first_then_search_link_download_and_table(app_env):
    at = first_visit("pages/overview.py")
    assert len(kpi_cards(at)) == len(config.TARGETS) and at.get("component_instance")
    assert at.selectbox(key=ui.session.QUARTER_WIDGET)  # the sidebar's quarter stays at hand
    for later in ("dataframe", "download_button", "page_link"):
        assert at.get(later) == [], later
    assert [box.label for box in at.main.selectbox] == []
    at.session_state["_below_map_report"] = True
    at.run()
    assert [box.label for box in at.main.selectbox] == ["查找贫困村"]
    assert at.get("page_link") and at.get("download_button") and len(at.dataframe) == 1
    assert len(kpi_cards(at)) == len(config.TARGETS)


@pytest.mark.parametrize("page", ["pages/industry_map.py", "pages/measures.py"])
def test_other_pages_draw_all_of_themselves_at_once(app_env, page):
    # 产业地图 gained nothing from it (bench/README.md, "Map pages as a tab's first page")
    at = first_visit(page)
    assert reporters(at) == []
    assert not [c for c in captions(at) if "正在加载" in c]
