"""The download buttons of 总览 and 产业地图: there, labelled, and built only when clicked."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.data import export
from fupin_geo.data.store import Store
from tests.app import tab

APP = config.REPO_DIR / "app.py"
INDUSTRY = "pages/industry_map.py"
SUIXI = "440823"


@pytest.fixture
def builds(monkeypatch):
    """Counts every export built: a page run must build none (files are built on click)."""
    calls: list[str] = []
    for name in ("workbook", "table_workbook", "table_csv"):
        original = getattr(export, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(export, name, counted)
    return calls


def buttons(at: AppTest) -> dict[str, object]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


def test_overview_offers_the_quarter_as_a_workbook(app_env, builds):
    at = tab.app_test().run()  # 总览 complete: its button comes after its map (below_map)
    assert not at.exception, [e.value for e in at.exception]
    latest = Store(app_env).quarters()[-1]
    shown = buttons(at)
    assert list(shown) == [f"下载 {latest} 全部数据（Excel）"]
    button = shown[f"下载 {latest} 全部数据（Excel）"]
    assert button.deferred_file_id and not button.url  # a callable: built when clicked
    assert button.ignore_rerun  # a click does not rerun the page
    assert builds == []


def test_overview_button_follows_the_quarter_chosen(app_env, builds):
    at = tab.app_test().run()
    at.sidebar.selectbox[0].select("2019Q2").run()
    assert "下载 2019Q2 全部数据（Excel）" in buttons(at)
    assert builds == []


def test_industry_map_offers_the_filtered_list_and_the_quarter(app_env, builds):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["county"] = SUIXI
    at.switch_page(INDUSTRY).run()
    assert not at.exception, [e.value for e in at.exception]
    loaded = Store(app_env).load()
    suixi = int((loaded.villages["county_code"] == SUIXI).sum())
    shown = buttons(at)
    assert set(shown) == {"村庄列表（Excel）", "村庄列表（CSV）", f"下载 {loaded.quarter} 全部数据（Excel）"}
    assert f"（{suixi} 行）" in shown["村庄列表（Excel）"].help  # the filtered table, not all 218
    assert suixi < len(loaded.villages)
    assert all(b.deferred_file_id and b.ignore_rerun for b in shown.values())
    assert builds == []
