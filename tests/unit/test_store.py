"""store.Store: the database, quarterly snapshots, and failures told in one Chinese sentence."""
from __future__ import annotations

import dataclasses
import os
import socket
import time

import pandas as pd
import pytest
import sqlalchemy as sa

from fupin_geo import config
from fupin_geo.data import demo
from fupin_geo.data.schema import SchemaError
from fupin_geo.data.store import METADATA, TABLES, Store, StoreError


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


def assert_same(a, b):
    """Two datasets hold the same records (index and row order aside)."""
    assert a.quarter == b.quarter
    for name, frame in a.frames().items():
        other = b.frames()[name]
        keys = list(frame.columns)
        pd.testing.assert_frame_equal(
            frame.sort_values(keys).reset_index(drop=True),
            other.sort_values(keys).reset_index(drop=True),
            check_dtype=False, obj=name,
        )


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module", params=BACKENDS)
def filled(request, tmp_path_factory, demo_datasets):
    """A module-private database with the four demo quarters, on each backend (tests below
    may write to it only through `fresh`): ("sqlite", path) or ("postgresql", database name)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("store") / "filled.sqlite"
        url = sqlite_url(path)
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    store = Store(url)
    for dataset in demo_datasets:
        store.save(dataset)
    store.engine.dispose()  # a PostgreSQL template must have no open connection
    return request.param, (path if request.param == "sqlite" else sa.make_url(url).database)


@pytest.fixture
def fresh(request, filled, tmp_path) -> Store:
    """A writable copy of `filled` (copying is faster than seeding again)."""
    backend, where = filled
    if backend == "sqlite":
        copy = tmp_path / "copy.sqlite"
        copy.write_bytes(where.read_bytes())
        return Store(sqlite_url(copy))
    return Store(request.getfixturevalue("pg_cluster").create_database(template=where))


# --- which database -----------------------------------------------------------------------
def test_default_url_is_the_embedded_sqlite_file(monkeypatch):
    monkeypatch.delenv(config.DB_URL_ENV, raising=False)
    assert config.database_url() == f"sqlite:///{config.DATA_DIR / 'fupin.sqlite'}"
    # an empty variable is "not set", not an empty URL
    monkeypatch.setenv(config.DB_URL_ENV, "")
    assert config.database_url() == f"sqlite:///{config.DEFAULT_DB_PATH}"


def test_environment_variable_chooses_the_database(monkeypatch, tmp_path):
    url = sqlite_url(tmp_path / "elsewhere.sqlite")
    monkeypatch.setenv(config.DB_URL_ENV, url)
    assert config.database_url() == url
    store = Store()  # no URL given: the variable decides
    assert store.url == url
    assert (tmp_path / "elsewhere.sqlite").is_file()


# --- creating and seeding ---------------------------------------------------------------------
def test_new_database_gets_every_table_and_starts_empty(empty_db_url):
    store = Store(empty_db_url)
    # spatial_ref_sys: PostGIS's own table of coordinate systems (PostgreSQL only)
    assert set(sa.inspect(store.engine).get_table_names()) - {"spatial_ref_sys"} == {
        *METADATA.tables, "alembic_version"}
    assert set(TABLES) | {"revisions", "users", "login_failures", "audit_log", "data_version", "saved_views"} == set(
        METADATA.tables)
    assert store.is_empty() and store.quarters() == []
    with pytest.raises(StoreError, match="还没有任何数据"):
        store.load()


def test_ensure_seeded_fills_an_empty_database_with_the_demo_quarters(empty_db_url, demo_datasets):
    store = Store(empty_db_url)
    demo.ensure_seeded(store)
    assert store.quarters() == ["2019Q1", "2019Q2", "2019Q3", "2019Q4"]
    assert_same(store.load("2019Q3"), demo_datasets[2])


def test_ensure_seeded_leaves_a_filled_database_alone(fresh, make_dataset):
    mine = make_dataset([{"name": "自己的村"}], quarter="2019Q4")
    fresh.save(mine)
    demo.ensure_seeded(fresh)
    assert fresh.load("2019Q4").villages["name"].tolist() == ["自己的村"]


# --- quarters and loading -------------------------------------------------------------------------
def test_quarters_and_default_load_is_the_latest(fresh):
    assert fresh.quarters() == list(config.PLAN_QUARTERS)
    assert fresh.load().quarter == "2019Q4"


def test_load_a_chosen_quarter_returns_that_quarters_records(fresh, demo_datasets):
    loaded = fresh.load("2019Q2")
    assert loaded.quarter == "2019Q2"
    assert set(loaded.villages["quarter"]) == {"2019Q2"}
    assert_same(loaded, demo_datasets[1])
    # a later quarter has other figures, so this really is Q2's data
    assert not loaded.villages["poor_households_in_coop"].equals(
        fresh.load("2019Q4").villages["poor_households_in_coop"])


def test_unknown_quarter_is_a_chinese_store_error_listing_what_exists(fresh):
    with pytest.raises(StoreError) as raised:
        fresh.load("2018Q4")
    message = str(raised.value)
    assert "没有 2018Q4 的数据" in message
    assert "2019Q1" in message and "2019Q4" in message


# --- saving --------------------------------------------------------------------------------
def test_save_replaces_its_quarter_only(fresh, make_dataset):
    before_q1 = fresh.load("2019Q1")
    replacement = make_dataset([{"name": "甲村"}, {"name": "乙村"}], quarter="2019Q3")
    fresh.save(replacement)

    q3 = fresh.load("2019Q3")
    assert sorted(q3.villages["name"]) == ["乙村", "甲村"]
    assert q3.products.empty and q3.enterprises.empty  # the old Q3 records are gone, all tables
    assert_same(fresh.load("2019Q1"), before_q1)  # other quarters untouched
    assert len(fresh.load("2019Q4").villages) == config.POVERTY_VILLAGE_COUNT
    assert fresh.quarters() == list(config.PLAN_QUARTERS)


def test_save_adds_a_new_quarter(fresh, make_dataset):
    fresh.save(make_dataset([{}], quarter="2020Q1"))
    assert fresh.quarters()[-1] == "2020Q1"
    assert fresh.load().quarter == "2020Q1"


def test_a_save_that_fails_validation_loses_nothing(fresh):
    before = fresh.load("2019Q4")
    bad_villages = before.villages.astype({"poor_households": object})
    bad_villages.loc[bad_villages.index[3], "poor_households"] = "很多"
    with pytest.raises(SchemaError, match="贫困户数"):
        fresh.save(dataclasses.replace(before, villages=bad_villages))
    assert_same(fresh.load("2019Q4"), before)


def test_a_write_that_fails_half_way_is_rolled_back(fresh, make_dataset):
    """The last table refuses the insert: the tables written before it are restored."""
    before = fresh.load("2019Q4")
    version_before = fresh.data_version()
    refuse_inserts_into_city_stats(fresh)
    attempt = make_dataset([{"name": "新村"}], quarter="2019Q4",
                           city_stats=[dict(indicator="toilet_rate_city", value=0.99)])
    with pytest.raises(StoreError) as raised:
        fresh.save(attempt)
    assert_one_clear_message(raised.value, fresh.engine.url.database.rsplit("/", 1)[-1])
    assert_same(fresh.load("2019Q4"), before)
    assert fresh.data_version() == version_before  # the failed write did not count


def refuse_inserts_into_city_stats(store: Store) -> None:
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON city_stats "
                                       "BEGIN SELECT RAISE(ABORT, 'refused'); END")
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused'; END $$")
            connection.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON city_stats "
                                       "FOR EACH ROW EXECUTE FUNCTION refuse()")


def test_round_trip_keeps_types(fresh, make_dataset):
    dataset = make_dataset([{"clean_village": True, "toilet_rate": 0.125, "households": 7}],
                           quarter="2019Q1")
    fresh.save(dataset)
    village = fresh.load("2019Q1").villages.iloc[0]
    assert bool(village["clean_village"]) is True
    assert village["toilet_rate"] == 0.125 and village["households"] == 7
    assert village["source"] == config.DEMO_SOURCE


# --- the change counter that keys every process's cache -----------------------------------------
def test_every_write_changes_the_data_version_seen_by_another_process(fresh, make_dataset):
    other = Store(fresh.url)  # another process on the same database (a replica, the CLI)
    seen = other.data_version()
    assert fresh.data_version() == seen
    fresh.save(make_dataset([{}], quarter="2020Q1"))
    after_save = other.data_version()
    assert after_save != seen
    fresh.replace_all([make_dataset([{}], quarter="2019Q1")])
    assert other.data_version() not in (seen, after_save)
    assert other.quarters() == ["2019Q1"]


def test_reading_does_not_change_the_data_version(fresh):
    seen = fresh.data_version()
    fresh.load("2019Q2")
    fresh.quarters()
    Store(fresh.url)  # opening again (migrations at start-up) is no write either
    assert fresh.data_version() == seen


# --- a database that cannot be used ---------------------------------------------------------
def assert_one_clear_message(error: StoreError, shown: str, opening: str = "无法打开数据库"):
    message = str(error)
    assert message.startswith(opening), message
    assert shown in message
    assert "FUPIN_DB_URL" in message
    assert "\n" not in message and "Traceback" not in message


def test_garbage_bytes_as_sqlite_file(tmp_path):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(os.urandom(1024) + b"not a database" * 100)
    with pytest.raises(StoreError) as raised:
        Store(sqlite_url(path))
    assert_one_clear_message(raised.value, str(path))


def test_truncated_sqlite_file(tmp_path):
    path = tmp_path / "truncated.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(StoreError) as raised:
        Store(sqlite_url(path)).load()
    assert_one_clear_message(raised.value, "truncated.sqlite")


def test_sqlite_path_under_a_file_is_unreachable(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as raised:
        Store(sqlite_url(blocker / "db" / "fupin.sqlite"))
    assert_one_clear_message(raised.value, "a-file")


def test_sqlite_path_that_is_a_directory(tmp_path):
    with pytest.raises(StoreError) as raised:
        Store(sqlite_url(tmp_path))
    assert_one_clear_message(raised.value, str(tmp_path))


# an address that is no URL at all is named as such; a URL of an unknown database cannot be opened
@pytest.mark.parametrize("url, opening", [("not a url", "数据库地址“not a url”无法识别"),
                                          ("nosuchdb://host/db", "无法打开数据库")])
def test_malformed_or_unknown_url(url, opening):
    with pytest.raises(StoreError) as raised:
        Store(url)
    assert_one_clear_message(raised.value, url, opening)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on exit: nothing listens there


def test_server_database_that_cannot_be_reached_fails_fast_and_hides_the_password():
    """postgresql:// on a closed local port (no network involved). Whether or not a driver
    is installed, the user sees a StoreError, never an ImportError or a traceback."""
    url = f"postgresql://fupin:secret-pw@127.0.0.1:{_closed_port()}/fupin"
    started = time.monotonic()
    with pytest.raises(StoreError) as raised:
        Store(url)
    assert time.monotonic() - started < 10
    assert_one_clear_message(raised.value, "127.0.0.1")
    assert "secret-pw" not in str(raised.value)


def test_from_frames_refuses_records_of_another_quarter(make_dataset):
    from fupin_geo.data.dataset import Dataset

    frames = make_dataset([{}, {}]).frames()
    frames["villages"].loc[1, "quarter"] = "2019Q3"
    with pytest.raises(SchemaError) as raised:
        Dataset.from_frames("2019Q4", frames)
    assert "第2条 [440882101201]（测试01村）：属于季度“2019Q3”，不属于 2019Q4" in str(raised.value)
    dataset, errors = Dataset.checked("2019Q4", frames)
    assert dataset.villages["code"].tolist() == ["440882101200"] and len(errors) == 1


def test_load_checked_leaves_out_bad_rows_and_rows_of_no_quarter(tmp_path, make_dataset):
    fresh = Store(sqlite_url(tmp_path / "small.sqlite"))
    fresh.save(make_dataset([{}, {}]))
    fresh.save(make_dataset([{}, {}]))  # two revisions: only the latest one's rows count
    columns = ", ".join(c.name for c in TABLES["villages"].columns)
    # a quarter in Arabic-Indic digits is no quarter
    copied = ", ".join("'٢٠١٩Q4'" if c.name == "quarter" else c.name for c in TABLES["villages"].columns)
    with fresh.engine.begin() as connection:
        connection.execute(sa.text("UPDATE villages SET lat = 'nan' WHERE code = '440882101201'"))
        # every revision of the village copied to the stray quarter, as a hand edit would
        connection.execute(sa.text(f"INSERT INTO villages ({columns}) SELECT {copied}"
                                   " FROM villages WHERE code = '440882101200'"))
    assert fresh.quarters() == ["2019Q4"]
    dataset, errors = fresh.load_checked()
    assert dataset.villages["code"].tolist() == ["440882101200"]
    assert [e.record.split(" ", 1)[1] for e in errors] == ["[440882101201]（测试01村）", "[440882101200]（测试00村）"]
    assert "「纬度」应为数字" in errors[0].message and "「季度」格式不对" in errors[1].message


def test_a_database_of_an_earlier_version_gets_the_optional_columns(tmp_path, make_dataset):
    """main before migrations, with revisions but without position_quality: the migrations
    adopt it (0004 adds only what is missing)."""
    path = tmp_path / "old.sqlite"
    old = sa.MetaData()
    for name, table in TABLES.items():  # the tables as they were, without position_quality
        sa.Table(name, old, *(sa.Column(c.name, c.type, primary_key=c.primary_key) for c in table.columns
                              if not (name in ("parks", "enterprises", "aquaculture") and c.name == "position_quality")
                              and c.name not in ("reported_quarter", "exit_quarter")))  # (0005, 0006: later)
    engine = sa.create_engine(sqlite_url(path))
    old.create_all(engine)
    engine.dispose()
    store = Store(sqlite_url(path))
    store.save(make_dataset([{}]))
    assert "position_quality" in {c["name"] for c in sa.inspect(store.engine).get_columns("parks")}
    assert len(store.load().villages) == 1
