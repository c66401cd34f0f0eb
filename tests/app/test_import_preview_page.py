"""The import's preview in the 数据管理 page (AppTest): what a file will do is said before the
commit, every deletion is listed, a mass deletion needs a tick, an unchanged file offers no
commit, a file of last quarter can be taken as this one's, and 填报进度 says who reported."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fupin_geo import config
from fupin_geo.data import ledger_merge, schema, template, users
from fupin_geo.data.dataset import Dataset
from fupin_geo.data.store import Store

QUARTER = "2019Q4"
SUIXI = "440823"


@pytest.fixture
def db(tmp_path, monkeypatch, dataset):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Store(url).save(dataset)
    users.add(Store(url), "editor1", "editor-pass-1", "editor")
    monkeypatch.setenv(config.DB_URL_ENV, url)
    return url


def suixi(dataset: Dataset, table: str, drop: int = 0, quarter: str = QUARTER) -> bytes:
    frame = dataset.frames()[table]
    mine = frame[(ledger_merge.record_counties(schema.BY_TABLE[table], frame) == SUIXI).to_numpy()]
    return template.workbook(Dataset.from_frames(quarter, {table: mine.iloc[drop:].assign(quarter=quarter)}))


def _page(data: bytes, quarter: str, counties: tuple[str, ...], replace_quarter: bool) -> None:
    """The import panel of an editor logged in (a commit re-reads the login), with `data`
    checked as the form would check it."""
    import streamlit as st

    from fupin_geo.data import users
    from fupin_geo.data.ledger_merge import Replacement
    from fupin_geo.ui import login
    from fupin_geo.ui.panels import import_panel
    from fupin_geo.ui.session import store

    if login.SESSION not in st.session_state:
        login.start(users.login(store(), "editor1", "editor-pass-1").user)
    if "checked_once" not in st.session_state:
        st.session_state["checked_once"] = True
        options = import_panel.Options(quarter, "WGS-84", False, Replacement(frozenset(counties)), False)
        import_panel._check("台账.xlsx", data, options, replace_quarter=replace_quarter)
    import_panel.import_panel(login.current_user())


def page(data: bytes, quarter: str = QUARTER, counties: tuple[str, ...] = (), replace_quarter=False) -> AppTest:
    at = AppTest.from_function(_page, args=(data, quarter, counties, replace_quarter), default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join(t.value for t in at.text)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(t.value for t in at.dataframe if column in t.value.columns)


def commit_button(at: AppTest):
    return next(b for b in at.button if b.label == "确认导入")


def test_one_countys_file_into_a_new_quarter_says_so_and_commits(db, dataset):
    at = page(suixi(dataset, "villages", quarter="2020Q1"), quarter="2020Q1")
    shown = texts(at)
    assert "2020Q1 是新的季度：以 2019Q4 的全部记录为基础" in shown
    assert "本文件填报的县区：遂溪县。" in shown and "不会删除任何记录。" in shown
    button = commit_button(at)
    assert not button.disabled
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已导入为 2020Q1 的第 1 版" in s.value for s in at.success)
    after = Store(db).load("2020Q1")
    assert len(after.villages) == len(dataset.villages) and len(after.linkages) == len(dataset.linkages)


def test_a_mass_deletion_is_listed_and_needs_a_tick(db, dataset):
    at = page(suixi(dataset, "linkages", drop=12), counties=(SUIXI,))
    deleted = table_with(at, "原因")
    assert len(deleted) == 12 and set(deleted["表"]) == {"联农带农关系"} and set(deleted["县区"]) == {"遂溪县"}
    assert any("将删除 12 条记录" in w.value for w in at.warning)
    assert commit_button(at).disabled
    at.checkbox(key="confirm_deletion").check().run()
    commit_button(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(Store(db).load(QUARTER).linkages) == len(dataset.linkages) - 12


def test_an_unchanged_file_offers_no_commit(db, dataset):
    at = page(suixi(dataset, "villages"))
    assert any("没有变化，不需要导入" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "确认导入"]


def test_last_quarters_file_is_one_error_and_one_choice(db, dataset):
    at = page(suixi(dataset, "villages", quarter=QUARTER), quarter="2020Q1")
    problems = table_with(at, "说明")
    assert len(problems) == 1 and "与所选的 2020Q1 不同" in problems["说明"].iloc[0]
    at.button(key="take_quarter").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2020Q1 是新的季度" in texts(at)
    assert not commit_button(at).disabled


def _progress_page() -> None:
    from fupin_geo.ui.panels import reporting

    reporting.reporting_panel()


def test_reporting_progress_names_the_counties_still_on_last_quarter(db, dataset):
    from fupin_geo.data import ledger

    preview = ledger.check(Store(db), "遂溪.xlsx", suixi(dataset, "villages", quarter="2020Q1"), "2020Q1")
    ledger.commit(Store(db), preview, user="遂溪录入员")
    at = AppTest.from_function(_progress_page, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    table = table_with(at, "沿用自").set_index("县区")
    assert table.loc["遂溪县", "状态"] == "部分填报" and table.loc["雷州市", "状态"] == "未填报"
    assert table.loc["雷州市", "沿用自"] == QUARTER
    assert any("沿用 2019Q4" in w.value and "雷州市" in w.value for w in at.warning)


def test_every_page_says_under_the_quarter_which_counties_still_show_last_quarter(db, dataset, navigation_mode):
    from fupin_geo.data import ledger

    before = AppTest.from_file(str(config.REPO_DIR / "app.py"), default_timeout=90).run()
    assert not [c for c in before.sidebar.caption if "沿用" in c.value]  # 2019Q4: every county reported
    preview = ledger.check(Store(db), "遂溪.xlsx", suixi(dataset, "villages", quarter="2020Q1"), "2020Q1")
    ledger.commit(Store(db), preview, user="遂溪录入员")
    import streamlit as st

    st.cache_data.clear()  # the data version is read at most every DATA_VERSION_TTL_S
    at = AppTest.from_file(str(config.REPO_DIR / "app.py"), default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox[0].value == "2020Q1"
    lines = [c.value.replace("\\", "") for c in at.sidebar.caption if "沿用" in c.value]
    assert len(lines) == 1 and "部分填报 1 个（遂溪县）" in lines[0]
    assert "未填报 8 个" in lines[0] and "雷州市" in lines[0] and "沿用 2019Q4" in lines[0]
