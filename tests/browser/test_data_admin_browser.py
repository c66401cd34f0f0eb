"""数据管理 in a real browser: log in, upload a ledger with a mistake, read the problem table,
upload the corrected ledger, commit, and see the 总览 map change."""
from __future__ import annotations

import dataclasses
import io

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

from fupin_geo import config
from fupin_geo.data import demo, geodata, template, users
from fupin_geo.data.store import Store
from tests.browser.timeouts import TIMEOUT_MS

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory):
    folder = tmp_path_factory.mktemp("admin-server")
    url = f"sqlite:///{folder / 'fupin.sqlite'}"
    store = Store(url)
    demo.ensure_seeded(store)
    users.add(store, "clerk", "clerk-password", "editor")
    with serve(folder, url) as app:
        yield app, store


def ledgers(store: Store) -> tuple[bytes, bytes, str]:
    """(a ledger with one mistake, the corrected ledger, the name of the village it adds):
    the current villages plus one more real village unit of the same town."""
    current = store.load()
    first = current.villages.iloc[0]
    units = geodata.village_units(config.ZHANJIANG)
    spare = units[(units["town_code"] == first["town_code"]) & ~units["code"].isin(current.villages["code"])].iloc[0]
    added = dict(first, code=spare["code"], name=spare["name"], source="县区台账")
    good = dataclasses.replace(current,
                               villages=pd.concat([current.villages, pd.DataFrame([added])], ignore_index=True))
    wrong = dict(added, poor_households_in_coop=int(first["poor_households"]) + 1)
    bad = dataclasses.replace(current, villages=pd.concat([current.villages, pd.DataFrame([wrong])], ignore_index=True))
    return template.workbook(bad), template.workbook(good), spare["name"]


def upload(page, name: str, data: bytes) -> None:
    page.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    expect(page.get_by_text(name).first).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="核对文件").click()


def test_log_in_upload_fix_commit_and_the_map_changes(server, recorded_page, artifacts):
    app, store = server
    bad, good, added_name = ledgers(store)
    page = recorded_page.page
    page.goto(f"{app}/data_admin")
    expect(page.get_by_label("用户名")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("clerk-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("tab", name="导入台账")).to_be_visible(timeout=TIMEOUT_MS)
    # the uploader's English is written over in Chinese (ui/edge/uploader.py)
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    expect(dropzone).to_be_visible(timeout=TIMEOUT_MS)
    shown = dropzone.evaluate("""zone => [...zone.querySelectorAll(
        "button p, [data-testid=stFileUploaderDropzoneInstructions] span")]
        .map(e => [getComputedStyle(e).fontSize, getComputedStyle(e, "::after").content])""")
    assert [size for size, _ in shown] == ["0px", "0px"]
    assert shown[0][1] == '"选择文件"' and f"不超过 {config.MAX_UPLOAD_MB} MB" in shown[1][1]

    upload(page, "第四季度台账.xlsx", bad)
    expect(page.get_by_text("发现 1 处错误")).to_be_visible(timeout=TIMEOUT_MS)
    # the problem table is drawn on a canvas: read it as the clerk gets it, downloaded
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载问题清单（.xlsx）").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(book["问题清单"].iter_rows(values_only=True))
    assert rows[0] == ("级别", "工作表", "行", "村名", "列", "值", "说明")
    # the added village is the last row: header on row 1, 218 villages, then it
    level, sheet, row, village, column, _, message = rows[1]
    assert (level, sheet, int(row), column) == ("错误", "贫困村", config.POVERTY_VILLAGE_COUNT + 2,
                                                "加入合作社贫困户数")
    assert village == added_name and "大于「贫困户数」" in message
    page.screenshot(path=str(artifacts / "data-admin-problems.png"), full_page=True)
    assert store.latest_revision("2019Q4") == 1  # nothing written

    upload(page, "第四季度台账-改.xlsx", good)
    expect(page.get_by_text("新增")).not_to_have_count(0, timeout=TIMEOUT_MS)
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入为 2019Q4 的第 2 版")).to_be_visible(timeout=TIMEOUT_MS)
    assert store.revisions("2019Q4")[-1].author == "clerk"

    page.goto(app)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(config.POVERTY_VILLAGE_COUNT + 1,
                                                                    timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"省定贫困村 {config.POVERTY_VILLAGE_COUNT + 1} 个")).to_be_visible()
    page.screenshot(path=str(artifacts / "data-admin-after-import.png"), full_page=True)
    assert recorded_page.foreign_requests() == []
    assert added_name
