"""The demo banner (ui.demo_banner) through AppTest: one line naming 演示数据 on every map page,
and beside it a popover with the counts of public and generated records, by kind."""
from __future__ import annotations

import pytest

from fupin_geo import ui
from fupin_geo.analysis import indicators
from fupin_geo.data.store import Store
from tests.app import tab

MAP_PAGES = ["pages/overview.py", "pages/industry_map.py", "pages/linkage.py", "pages/underserved.py",
             "pages/infrastructure.py", "pages/quarters.py", "pages/cooperation.py"]


def open_page(path: str):
    at = tab.app_test().run()
    if path != "pages/overview.py":
        at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("path", MAP_PAGES)
def test_every_map_page_says_in_one_line_that_it_shows_demo_data(app_env, path):
    at = open_page(path)
    banner = at.get_by_key(ui.DEMO_BANNER)
    [line] = banner.warning
    assert line.value.startswith("**演示数据**：")
    assert "程序生成" in line.value and "公开资料" in line.value and "编造" not in line.value
    # one paragraph: no line break, neither Markdown's ("  \n") nor a blank line
    assert "\n" not in line.value


def test_the_banner_offers_the_counts_of_public_and_generated_records_by_kind(app_env):
    dataset = Store(app_env).load()
    counts = indicators.records_by_source(dataset)
    generated = sum(n for _, _, n in counts)
    assert generated and any(public for _, public, _ in counts)  # the demo has both
    at = open_page("pages/overview.py")
    text = "\n".join(m.value for m in at.get_by_key(ui.DEMO_BANNER).markdown)
    assert f"**{generated:,}** 条记录" in text
    for label, public, invented in counts:
        assert f"- {label}：公开资料 {public:,} 条，程序生成 {invented:,} 条" in text
    assert "编造" not in text
