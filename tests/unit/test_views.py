"""Saved views: kept in the database beside the ledger, in an order, across data resets."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from fupin_geo.data import views as views_module
from fupin_geo.data.store import Store, StoreError
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
