"""The audit log as people read it: 北京时间, "—" for what an entry does not have, and an
export whose cells never become formulas. Stored times stay UTC ISO."""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from fupin_geo.data import audit
from fupin_geo.data.store import AUDIT, Store


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'audit.sqlite'}")


@pytest.mark.parametrize("stored, shown", [
    ("2026-12-07T13:34:05+00:00", "2026-12-07 21:34:05"),
    ("2026-12-31T20:00:00+00:00", "2027-01-01 04:00:00"),  # the next day in 北京
    ("2026-12-07T13:34:05", "2026-12-07 21:34:05"),  # no offset: UTC all the same
    ("2026-12-07T21:34:05+08:00", "2026-12-07 21:34:05"),
    (None, "—"),
])
def test_stored_utc_times_are_shown_in_beijing_time(stored, shown):
    assert audit.beijing_time(stored) == shown


def test_entries_show_beijing_time_and_a_dash_for_what_a_login_lacks(store):
    audit.record(store, "clerk", "登录")
    audit.record(store, "clerk", "导入", "2019Q4 导入 台账.xlsx", quarter="2019Q4", revision=3,
                 file_name="台账.xlsx", file_sha256="ab" * 32)
    stored = store.read(lambda c: c.execute(sa.select(AUDIT.c.at).order_by(AUDIT.c.id)).scalars().all())
    assert all(at.endswith("+00:00") for at in stored)  # kept as UTC ISO
    log = audit.entries(store)
    assert "时间（北京时间）" in log.columns and "时间（UTC）" not in log.columns
    assert log["时间（北京时间）"].tolist() == [audit.beijing_time(at) for at in reversed(stored)]
    imported, login = log.to_dict("records")
    assert [login[c] for c in ("季度", "版本", "文件", "文件 SHA-256")] == ["—"] * 4
    assert (imported["季度"], imported["版本"], imported["文件"]) == ("2019Q4", 3, "台账.xlsx")
    assert "None" not in log.astype(str).to_numpy().ravel().tolist()


def test_the_exported_log_keeps_text_as_text(store):
    audit.record(store, "clerk", "导入", "=cmd|' /C calc'!A0", quarter="2019Q4", revision=1,
                 file_name="=HYPERLINK(\"http://x\").xlsx")
    audit.record(store, "clerk", "登录")
    sheet = openpyxl.load_workbook(io.BytesIO(audit.workbook(store))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间（北京时间）"
    assert rows[1][2] == "登录" and rows[1][4] == "—"
    assert rows[2][3] == "=cmd|' /C calc'!A0"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
