"""数据管理 in a real browser, as a county clerk: one county's file into a new quarter keeps
every other county (and 填报进度 says who has reported); replacing a county's records lists
what will be deleted and needs a tick before anything is deleted."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fupin_geo.data import demo, ledger_merge, schema, template, users
from fupin_geo.data.dataset import Dataset
from fupin_geo.data.store import Store
from tests.browser.timeouts import TIMEOUT_MS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_QUARTER = "2020Q1"
SUIXI = "440823"
DROPPED = 12  # linkages the second file leaves out: more than MASS_DELETION_RECORDS


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory):
    folder = tmp_path_factory.mktemp("scope-server")
    url = f"sqlite:///{folder / 'fupin.sqlite'}"
    store = Store(url)
    demo.ensure_seeded(store)
    users.add(store, "clerk", "clerk-password", "editor")
    with serve(folder, url) as app:
        yield app, store


def suixi_file(dataset: Dataset, table: str, quarter: str, drop: int = 0) -> bytes:
    frame = dataset.frames()[table]
    mine = frame[(ledger_merge.record_counties(schema.BY_TABLE[table], frame) == SUIXI).to_numpy()]
    return template.workbook(Dataset.from_frames(quarter, {table: mine.iloc[drop:].assign(quarter=quarter)}))


def upload(page, name: str, data: bytes) -> None:
    page.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    expect(page.get_by_text(name).first).to_be_visible(timeout=TIMEOUT_MS)


def test_a_countys_file_into_a_new_quarter_then_a_confirmed_replacement(server, recorded_page, artifacts):
    app, store = server
    before = store.load()
    assert ledger_merge.MASS_DELETION_RECORDS < DROPPED
    page = recorded_page.page
    # tall enough that the county list opens below its box (at the bottom edge it does not open)
    page.set_viewport_size({"width": 1440, "height": 1600})
    page.goto(f"{app}/data_admin")
    expect(page.get_by_label("用户名")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("clerk-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("tab", name="导入台账")).to_be_visible(timeout=TIMEOUT_MS)

    # 1. 遂溪县's villages as the first file of 2020Q1
    page.get_by_role("textbox", name="导入为季度").fill(NEW_QUARTER)
    upload(page, "遂溪县2020年第一季度贫困村.xlsx", suixi_file(before, "villages", NEW_QUARTER))
    page.get_by_role("button", name="核对文件").click()
    new_quarter = page.get_by_text("2020Q1 是新的季度：以 2019Q4 的全部记录为基础", exact=False)
    expect(new_quarter).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("不会删除任何记录。")).to_be_visible()
    page.get_by_text("导入后会怎样").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "import-new-quarter-preview.png"), full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入为 2020Q1 的第 1 版")).to_be_visible(timeout=TIMEOUT_MS)
    after = store.load(NEW_QUARTER)
    for name, frame in before.frames().items():
        assert len(after.frames()[name]) == len(frame), name

    page.get_by_role("tab", name="填报进度").click()
    # the panel's warning (the sidebar says the same under the quarter)
    warning = (page.locator('[data-testid="stMain"] [data-testid="stAlertContainer"]')
               .filter(has_text="部分填报 1 个（遂溪县）"))
    expect(warning).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "import-reporting-progress.png"), full_page=True)

    # 2. 遂溪县's linkages, 12 left out, replacing the county's: listed, then a tick
    page.get_by_role("tab", name="导入台账").click()
    upload(page, "遂溪县联农带农.xlsx", suixi_file(after, "linkages", NEW_QUARTER, drop=DROPPED))
    page.get_by_text("删除记录（可选；默认不删除任何记录）").click()
    page.get_by_text("替换所选县区的记录").click()
    chooser = page.locator('[data-testid="stMultiSelect"]')
    chooser.scroll_into_view_if_needed()
    chooser.get_by_role("button", name="Open").click()  # the list's own button (react-aria ComboBox)
    expect(page.get_by_role("option").first).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("option", name="遂溪县").click()
    page.keyboard.press("Escape")
    expect(page.locator('[data-testid="stMultiSelect"]').get_by_text("遂溪县")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="核对文件").click()
    expect(page.get_by_text(f"将删除的记录（{DROPPED} 条）")).to_be_visible(timeout=TIMEOUT_MS)
    commit = page.get_by_role("button", name="确认导入")
    expect(commit).to_be_disabled()
    page.get_by_text(f"将删除的记录（{DROPPED} 条）").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "import-deletion-confirmation.png"), full_page=True)
    page.get_by_text(f"我已核对删除清单，确认删除这 {DROPPED} 条记录").click()
    expect(commit).to_be_enabled(timeout=TIMEOUT_MS)
    commit.click()
    expect(page.get_by_text("已导入为 2020Q1 的第 2 版")).to_be_visible(timeout=TIMEOUT_MS)
    final = store.load(NEW_QUARTER)
    assert len(final.linkages) == len(before.linkages) - DROPPED
    assert len(final.villages) == len(before.villages)

    # a new visit opens the newest quarter, and says under it who still shows 2019Q4's figures
    page.goto(app)
    line = page.locator('[data-testid="stSidebar"]').get_by_text("未填报 8 个", exact=False)
    expect(line).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "import-sidebar-reporting-line.png"))
    assert recorded_page.foreign_requests() == []
