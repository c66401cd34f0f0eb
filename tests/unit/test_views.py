"""Saved views: kept in the database beside the ledger, in an order, across data resets;
written like every other write (the write lock, the audit log)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from fupin_geo.data import audit
from fupin_geo.data import views as views_module
from fupin_geo.data.store import SAVED_VIEWS, Store, StoreError
from fupin_geo.data.views import SavedViews


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'views.sqlite'}")


def test_add_list_move_delete(store):
    views = SavedViews(store)
    first = views.add("  遂溪\n火龙果 ", "industry_map", {"county": "440823", "present": "1", "step": "2"}, "2019Q2")
    second = views.add("湛柳", "cooperation", {"city": "450200"}, None)
    saved = views.all()
    assert [(v.id, v.name, v.page, v.quarter) for v in saved] == [
        (first, "遂溪 火龙果", "industry_map", "2019Q2"), (second, "湛柳", "cooperation", None)]
    assert saved[0].params == {"county": "440823"}  # presentation's own parameters are not kept
    views.move(second, -1)
    assert [v.id for v in views.all()] == [second, first]
    views.delete(second)
    assert [v.id for v in views.all()] == [first]


def test_a_view_needs_a_name_and_long_names_are_cut(store):
    views = SavedViews(store)
    with pytest.raises(StoreError, match="名称"):
        views.add(" \n ", "overview", {}, None)
    views.add("长" * 500, "overview", {}, None)
    assert len(views.all()[0].name) == views_module.NAME_MAX


def test_views_survive_replacing_the_data(store, demo_datasets):
    views = SavedViews(store)
    views.add("总览", "", {}, None)
    store.replace_all(demo_datasets[-1:])
    assert [v.name for v in SavedViews(store).all()] == ["总览"]


def test_damaged_parameters_read_as_none(store):
    views = SavedViews(store)
    view_id = views.add("x", "overview", {"a": "1"}, None)
    store._run(lambda c: c.execute(sa.update(views_module.SAVED_VIEWS).values(params="{not json")))
    assert views.all()[0].params == {} and views.all()[0].id == view_id


def test_changes_by_a_user_are_in_the_audit_log(store):
    views = SavedViews(store)
    first = views.add("<b>甲</b>", "overview", {}, None, by="editor1")
    views.add("乙", "overview", {}, None)  # no user (a script): no audit row
    views.move(first, 1, by="editor1")
    views.delete(first, by="admin1")
    views.delete(first, by="admin1")  # gone already: nothing happens, nothing is logged
    log = audit.entries(store)
    assert log[["用户", "操作", "内容"]].values.tolist() == [
        ["admin1", "删除视图", "视图：<b>甲</b>"],
        ["editor1", "调整视图顺序", "视图：<b>甲</b>"],
        ["editor1", "保存视图", "视图：<b>甲</b>"]]
    assert [v.name for v in views.all()] == ["乙"]


def test_a_view_saved_while_another_writer_holds_the_lock_waits_and_lands_after_it(store):
    """Saving takes the write lock first, like every write: it waits for the other writer
    and then numbers its view after that writer's. (A read transaction that writes later
    fails at once here: SQLite refuses to upgrade it while another writer holds the lock.)"""
    views = SavedViews(store)
    views.add("甲", "overview", {}, None)
    holding, asked, release = threading.Event(), threading.Event(), threading.Event()

    def hold(connection):  # another writer, inside its transaction until released
        connection.execute(sa.insert(SAVED_VIEWS).values(name="乙", page="overview", params="{}",
                                                         position=2, created="2020-01-01T00:00:00+00:00"))
        holding.set()
        assert release.wait(120)

    def asks_for_the_lock(conn, cursor, statement, *args):
        if threading.current_thread() is adder and statement.startswith("BEGIN IMMEDIATE"):
            asked.set()

    outcome = {}

    def add():
        try:
            outcome["id"] = views.add("丙", "overview", {}, None, by="editor1")
        except StoreError as error:
            outcome["error"] = error
        finally:
            asked.set()

    holder = threading.Thread(target=store.write, args=(hold,))
    holder.start()
    assert holding.wait(120)
    sa.event.listen(store.engine, "before_cursor_execute", asks_for_the_lock)
    adder = threading.Thread(target=add)
    try:
        adder.start()
        assert asked.wait(120)  # the adder waits for the lock (or has already failed)
    finally:
        release.set()
        holder.join(120)
        adder.join(120)
        sa.event.remove(store.engine, "before_cursor_execute", asks_for_the_lock)
    assert "error" not in outcome, outcome.get("error")
    assert [(v.name, v.position) for v in views.all()] == [("甲", 1), ("乙", 2), ("丙", 3)]
