"""Revisions: every save is a new revision; old ones are read, compared and restored."""
from __future__ import annotations

import pytest

from fupin_geo.data import diff
from fupin_geo.data.store import Store, StoreError


@pytest.fixture
def store(tmp_path, make_dataset):
    store = Store(f"sqlite:///{tmp_path / 'rev.sqlite'}")
    store.save(make_dataset([{"name": "甲村"}, {"name": "乙村"}], quarter="2020Q1"), author="alice")
    store.save(make_dataset([{"name": "甲村", "households": 150}, {"name": "乙村"},
                             {"name": "丙村"}], quarter="2020Q1"), author="bob", note="二次上报")
    return store


def test_every_save_is_a_new_revision_and_load_reads_the_latest(store):
    revisions = store.revisions("2020Q1")
    assert [(r.revision, r.author) for r in revisions] == [(1, "alice"), (2, "bob")]
    assert revisions[1].note == "二次上报" and revisions[1].created_at.endswith("+00:00")
    assert sorted(store.load("2020Q1").villages["name"]) == ["丙村", "乙村", "甲村"]
    assert sorted(store.load("2020Q1", revision=1).villages["name"]) == ["乙村", "甲村"]
    assert store.quarters() == ["2020Q1"]


def test_an_unknown_revision_is_a_chinese_error(store):
    with pytest.raises(StoreError, match="没有第 9 版"):
        store.load("2020Q1", revision=9)


def test_compare_two_revisions_field_by_field(store):
    changes = diff.compare(store.load("2020Q1", 1), store.load("2020Q1", 2))
    rows = changes.rows
    added = rows[rows["变化"] == "新增"]
    assert added["记录"].tolist() == ["440882101202（丙村）"]
    changed = rows[rows["变化"] == "修改"]
    assert changed[["记录", "字段", "原值", "新值"]].values.tolist() == [
        ["440882101200（甲村）", "总户数", "100", "150"]]
    counts = changes.counts().set_index("表")
    assert counts.loc["贫困村", "新增"] == 1 and counts.loc["贫困村", "修改"] == 1
    assert counts.loc["贫困村", "删除"] == 0
    assert diff.compare(store.load("2020Q1", 2), store.load("2020Q1", 2)).empty


def test_restore_is_a_new_revision_with_the_old_records(store):
    number = store.restore("2020Q1", 1, author="carol")
    assert number == 3
    latest = store.revisions("2020Q1")[-1]
    assert (latest.kind, latest.restored_from, latest.author) == ("恢复", 1, "carol")
    assert sorted(store.load("2020Q1").villages["name"]) == ["乙村", "甲村"]
    # nothing is lost: revision 2 is still there
    assert len(store.load("2020Q1", 2).villages) == 3


def test_placing_a_village_on_the_map_is_a_revision_with_who(tmp_path, make_dataset):
    from fupin_geo.data import ledger
    from fupin_geo.data import audit

    store = Store(f"sqlite:///{tmp_path / 'place.sqlite'}")
    store.save(make_dataset([{"name": "甲村"}], quarter="2020Q1"))
    code = store.load("2020Q1").villages["code"].iloc[0]
    number = ledger.place_village(store, "2020Q1", code, 110.1, 21.1, user="editor1")  # in 遂溪县
    village = store.load("2020Q1").villages.iloc[0]
    assert (village["lon"], village["lat"], village["position_quality"]) == (110.1, 21.1, "地图标注")
    latest = store.revisions("2020Q1")[-1]
    assert (latest.revision, latest.author, latest.kind) == (number, "editor1", "编辑")
    assert audit.entries(store).iloc[0]["用户"] == "editor1"
    with pytest.raises(ValueError, match="不在湛江市陆地范围内"):
        ledger.place_village(store, "2020Q1", code, 111.5, 20.2, user="editor1")  # at sea
    assert store.latest_revision("2020Q1") == number
