"""fupin_geo.memo: results kept per Dataset object, and the functions that use it."""
from __future__ import annotations

import copy
import gc
import pickle
import threading
from dataclasses import fields, replace

import pandas as pd
import pytest

from fupin_geo import config
from fupin_geo import memo
from fupin_geo.analysis import filters, industries, indicators, tables
from fupin_geo.maps import common


@pytest.fixture
def fresh(dataset):
    """A copy of the demo quarter with no memo (the session's dataset is shared)."""
    return replace(dataset)


def counted():
    calls = []

    @memo.per_dataset
    def size(dataset, column):
        calls.append(column)
        return len(dataset.villages[column])

    return size, calls


def test_computed_once_per_dataset_and_arguments(fresh, dataset):
    size, calls = counted()
    assert size(fresh, "code") == size(fresh, "code") == len(fresh.villages)
    assert size(fresh, "name") == len(fresh.villages)
    assert calls == ["code", "name"]
    other = replace(fresh)  # equal records, another object: its own memo
    size(other, "code")
    assert calls == ["code", "name", "code"]


def test_limit_drops_the_least_recently_used():
    calls = []

    @memo.per_dataset(limit=2)
    def twice(dataset, x):
        calls.append(x)
        return 2 * x

    class Holder:  # any object with a __dict__ can hold a memo
        pass

    h = Holder()
    assert [twice(h, 1), twice(h, 2), twice(h, 1), twice(h, 3)] == [2, 4, 2, 6]  # 2 goes, 1 stays
    twice(h, 1)
    twice(h, 2)
    assert calls == [1, 2, 3, 2]


def test_pickles_copies_and_replacements_carry_no_memo(fresh):
    before = pickle.dumps(fresh)
    kept = industries.village_categories(fresh)
    assert memo._memo_of(fresh)  # kept for the object ...
    assert not fresh.__dict__.keys() - {f.name for f in fields(fresh)}  # ... not on it
    for other in (pickle.loads(pickle.dumps(fresh)), copy.deepcopy(fresh), replace(fresh)):
        assert industries.village_categories(other) is not kept
    # st.cache_data hashes its arguments by pickling: a memo must not change the hash
    assert pickle.dumps(fresh) == before == pickle.dumps(replace(fresh))


def test_a_dataset_s_results_go_with_it(fresh):
    other = replace(fresh)
    industries.village_categories(other)
    key = id(other)
    assert key in memo._RESULTS
    del other
    gc.collect()
    assert key not in memo._RESULTS


@pytest.mark.parametrize("fn", [industries.village_categories, tables.village_table,
                                indicators.leading_enterprises, indicators.industry_counts,
                                indicators.records_by_source, common.village_tips])
def test_memoised_results_equal_a_fresh_computation(fresh, fn):
    kept = fn(fresh)
    assert fn(fresh) is kept
    recomputed = fn.uncached(replace(fresh))
    if isinstance(kept, pd.DataFrame):
        pd.testing.assert_frame_equal(kept, recomputed)
    else:
        assert kept == recomputed


def test_apply_gives_one_object_per_filter_so_its_results_are_kept_too(fresh):
    suixi = filters.VillageFilter(counties=("440823",))
    shown = filters.apply(fresh, suixi)
    assert filters.apply(fresh, filters.VillageFilter(counties=("440823",))) is shown
    assert filters.apply(fresh, filters.VillageFilter(counties=("440882",))) is not shown
    assert set(shown.villages["county_code"]) == {"440823"}
    pd.testing.assert_frame_equal(tables.village_table(shown),
                                  tables.village_table.uncached(filters.apply.uncached(fresh, suixi)))
    assert filters.apply(fresh, filters.VillageFilter()) is fresh  # no filter: the dataset itself


def test_filtered_datasets_kept_are_bounded(fresh):
    towns = sorted(set(fresh.villages["town_code"]))[: filters.FILTERED_KEPT + 5]
    for town in towns:
        filters.apply(fresh, filters.VillageFilter(towns=(town,)))
    kept = memo._memo_of(fresh)[filters.apply.uncached]
    assert len(kept) == min(len(towns), filters.FILTERED_KEPT)


def test_sessions_computing_at_once_all_get_the_result(fresh):
    results, errors = [], []

    def work():
        try:
            results.append(tables.village_table(fresh))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 8
    for table in results:
        pd.testing.assert_frame_equal(table, results[0])
    assert tables.village_table(fresh) is tables.village_table(fresh)


def test_village_points_are_prepared_once_and_drawn_alike(fresh):
    from fupin_geo.geo.display import Display
    from fupin_geo.geo.coords import CoordSystem
    from fupin_geo.maps.elements import PointLayer

    first, second = common.village_layer(fresh), common.village_layer(fresh)
    assert first is not second and first.data_json is second.data_json  # the JSON made once
    tips, villages = common.village_tips(fresh), fresh.villages
    colors = [common.category_color(c) for c in industries.village_categories(fresh)["category"]]
    plain = PointLayer(villages["lon"].round(config.COORD_DECIMALS).tolist(),
                       villages["lat"].round(config.COORD_DECIMALS).tolist(),
                       villages["code"].tolist(), colors, tips, name="贫困村", style=common.VILLAGE_STYLE,
                       class_name="fupin-villages")
    assert first.columns == plain.columns and first.data_json == plain.data_json
    shifted = common.village_layer(fresh, display=Display(CoordSystem.GCJ02))
    assert shifted.columns["x"] != first.columns["x"]  # each display has its own
