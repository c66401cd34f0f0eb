"""Migrations: a database made before them is upgraded with its data intact, the migrations
build exactly the tables store.py describes, and PostGIS gets geometry columns and views."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy.dialects.postgresql.base import ischema_names

from fupin_geo import cli, config
from fupin_geo.data import audit, migrations, users
from fupin_geo.data.migrations import gis
from fupin_geo.data.store import METADATA, Store
from fupin_geo.data.views import SavedViews

LEGACY_DDL = Path(__file__).resolve().parents[1] / "data"
# The ledger tables of d65a071, and the optional columns added to them since (empty after the
# upgrade: the old database never had them).
OLD_TABLES = ("villages", "products", "town_industries", "parks", "park_villages", "enterprises",
              "cooperatives", "aquaculture", "linkages", "pairings", "cooperation_projects",
              "city_stats")
NEW_COLUMNS = {"parks": ("position_quality",), "enterprises": ("position_quality",),
               "aquaculture": ("position_quality",), "villages": ("exit_quarter",)}


def build_legacy_database(url: str, datasets) -> None:
    """Tables as main made them at d65a071 (saved DDL, no alembic_version), filled with
    `datasets` through plain inserts into the reflected tables."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    ddl = (LEGACY_DDL / f"schema_d65a071_{engine.dialect.name}.sql").read_text()
    with engine.begin() as connection:
        for statement in ddl.split(";"):
            if "CREATE TABLE" in statement:  # (the first one follows the header comment)
                connection.exec_driver_sql(statement)
        legacy = sa.MetaData()
        legacy.reflect(connection)
        for dataset in datasets:
            for name, frame in legacy_frames(dataset, legacy).items():
                rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
                if rows:
                    connection.execute(sa.insert(legacy.tables[name]), rows)
    engine.dispose()


def legacy_frames(dataset, legacy: sa.MetaData) -> dict[str, pd.DataFrame]:
    """What of `dataset` the d65a071 tables can hold: their tables, their columns, and the
    records with a value in each column they required (a public project without a year)."""
    held = {}
    for name, frame in dataset.frames().items():
        if name in legacy.tables:
            columns = legacy.tables[name].columns
            required = [c.name for c in columns if not c.nullable]
            held[name] = frame.loc[frame[required].notna().all(axis=1), [c.name for c in columns]]
    return held


def test_a_database_made_before_migrations_is_upgraded_with_its_data_intact(empty_db_url, demo_datasets):
    build_legacy_database(empty_db_url, demo_datasets[:2])
    legacy = sa.MetaData()
    with sa.create_engine(empty_db_url).connect() as connection:
        assert not sa.inspect(connection).has_table("alembic_version")  # really the old shape
        legacy.reflect(connection)

    store = Store(empty_db_url)  # start-up migrates

    with store.engine.connect() as connection:
        assert migrations.current(connection) == migrations.head()
    assert store.quarters() == ["2019Q1", "2019Q2"]
    for expected in demo_datasets[:2]:
        loaded = store.load(expected.quarter)
        held = {name for name, frame in loaded.frames().items() if len(frame)}
        assert held <= set(OLD_TABLES), held - set(OLD_TABLES)  # the new entities start empty
        old = legacy_frames(expected, legacy)
        for name in OLD_TABLES:
            frame = expected.frames()[name]
            frame = frame.loc[old[name].index]  # what the old tables could hold
            keys = [c for c in frame.columns if c not in NEW_COLUMNS.get(name, ())]
            pd.testing.assert_frame_equal(
                loaded.frames()[name][keys].sort_values(keys).reset_index(drop=True),
                frame[keys].sort_values(keys).reset_index(drop=True), check_dtype=False, obj=name)
            for column in NEW_COLUMNS.get(name, ()):
                assert loaded.frames()[name][column].isna().all(), (name, column)
    # what was there is revision 1 of its quarter, each with its revisions row
    with store.engine.connect() as connection:
        for name in OLD_TABLES:
            assert connection.exec_driver_sql(
                f"SELECT DISTINCT revision FROM {name}").scalars().all() in ([1], []), name
        assert connection.exec_driver_sql(
            "SELECT quarter, revision, author FROM revisions ORDER BY quarter").all() == [
            ("2019Q1", 1, "系统"), ("2019Q2", 1, "系统")]
    # and it keeps working: a write after the upgrade counts as a change
    version = store.data_version()
    store.save(demo_datasets[2])
    assert store.data_version() != version and store.quarters()[-1] == "2019Q3"


class ReflectedGeometry(sa.types.UserDefinedType):
    cache_ok = True

    def __init__(self, *args, **kwargs):  # geometry(Point, 4326): arguments are not needed here
        super().__init__()


def test_migrations_build_exactly_the_tables_store_py_describes(empty_db_url, monkeypatch):
    """Fails when someone changes schema.ENTITIES (or store.py) without a migration."""
    # SQLAlchemy has no PostGIS types; the geometry columns are left out of the comparison below
    monkeypatch.setitem(ischema_names, "geometry", ReflectedGeometry)
    store = Store(empty_db_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            # PostGIS's own table and our generated geometry columns live outside METADATA
            "include_name": lambda name, kind, parent: name not in {
                "spatial_ref_sys", "alembic_version", gis.GEOMETRY_COLUMN,
                *(f"ix_{t}_{gis.GEOMETRY_COLUMN}" for t in gis.GEOMETRIES)},
        })
        differences = compare_metadata(context, METADATA)
    assert differences == []


def test_migrate_command_upgrades_an_old_database_and_then_has_nothing_to_do(
        tmp_path, monkeypatch, demo_datasets):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    build_legacy_database(url, demo_datasets[:1])
    monkeypatch.setenv(config.DB_URL_ENV, url)
    first = CliRunner().invoke(cli.main, ["migrate"])
    assert first.exit_code == 0, first.output
    assert f"从版本 {migrations.BASELINE} 升级到 {migrations.head()}" in first.output
    second = CliRunner().invoke(cli.main, ["migrate"])
    assert second.exit_code == 0 and "已是最新版本" in second.output
    assert Store(url).load().villages.shape[0] == len(demo_datasets[0].villages)


def test_migrate_command_on_an_unusable_database_is_one_chinese_sentence(tmp_path, monkeypatch):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database" * 500)
    monkeypatch.setenv(config.DB_URL_ENV, f"sqlite:///{damaged}")
    result = CliRunner().invoke(cli.main, ["migrate"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith("错误：无法升级数据库")
    assert "Traceback" not in result.output


def test_a_database_newer_than_the_program_is_refused_not_touched(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    Store(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(Exception, match="比本程序新") as raised:
        Store(url)
    assert type(raised.value).__name__ == "StoreError"


# --- PostGIS: what QGIS opens ----------------------------------------------------------------
@pytest.fixture(scope="module")
def gis_store(pg_cluster, demo_datasets):
    store = Store(pg_cluster.create_database())
    for dataset in demo_datasets:
        store.save(dataset)
    return store


def test_every_spatial_table_has_a_gist_indexed_geometry_column_in_wgs84(gis_store):
    with gis_store.engine.connect() as connection:
        columns = dict(connection.execute(sa.text(
            "SELECT f_table_name, type || ':' || srid FROM geometry_columns "
            "WHERE f_table_schema = 'public' AND f_table_name NOT LIKE 'latest_%'")).all())
        indexes = connection.execute(sa.text(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'")).all()
    assert columns == {"villages": "POINT:4326", "parks": "POINT:4326", "enterprises": "POINT:4326",
                       "cooperatives": "POINT:4326", "aquaculture": "GEOMETRY:4326"}
    assert {table for table, _ in indexes} == set(columns)


def test_geometries_follow_the_records_lon_lat_and_wkt(gis_store, demo_datasets):
    latest = demo_datasets[-1]
    village = latest.villages.iloc[7]
    area = latest.aquaculture[latest.aquaculture["geometry_wkt"].str.startswith("POLYGON")].iloc[0]
    with gis_store.engine.connect() as connection:
        x, y = connection.execute(sa.text(
            "SELECT ST_X(geom), ST_Y(geom) FROM villages WHERE code = :c AND quarter = :q"),
            dict(c=village["code"], q=latest.quarter)).one()
        kind, valid = connection.execute(sa.text(
            "SELECT GeometryType(geom), ST_Equals(geom, ST_GeomFromText(:w, 4326)) "
            "FROM aquaculture WHERE id = :i AND quarter = :q"),
            dict(w=area["geometry_wkt"], i=area["id"], q=latest.quarter)).one()
    assert (x, y) == (village["lon"], village["lat"])
    assert kind == "POLYGON" and valid


def test_latest_views_hold_the_newest_quarter_only(gis_store, demo_datasets):
    with gis_store.engine.connect() as connection:
        for table in gis.VIEW_TABLES:
            rows = connection.exec_driver_sql(
                f"SELECT quarter, count(*) FROM latest_{table} GROUP BY quarter").all()
            expected = len(demo_datasets[-1].frames()[table])
            assert rows == ([("2019Q4", expected)] if expected else []), table


def test_moving_from_sqlite_to_postgresql_is_one_command(tmp_path, monkeypatch, pg_url, make_dataset):
    source = f"sqlite:///{tmp_path / 'bureau.sqlite'}"
    build_legacy_database(source, [make_dataset([{"name": "甲村"}, {}], quarter="2019Q3"),
                                   make_dataset([{"name": "乙村"}], quarter="2019Q4")])
    # the bureau's history since: a second revision, a user, an audit entry, a saved view
    old = Store(source)
    old.save(make_dataset([{"name": "丙村"}, {}], quarter="2019Q4"), author="张三", kind="导入", note="第二版")
    users.add(old, "zhangsan", "correct horse 1", "editor")
    audit.record(old, "zhangsan", "登录")
    SavedViews(old).add("遂溪概况", "industry_map", {"county": "440823"}, "2019Q4")
    monkeypatch.setenv(config.DB_URL_ENV, pg_url)
    result = CliRunner().invoke(cli.main, ["migrate", "--copy-from", source])
    assert result.exit_code == 0, result.output
    assert "复制 2 个季度" in result.output and "3 个版本" in result.output
    moved = Store(pg_url)
    assert moved.quarters() == ["2019Q3", "2019Q4"]
    assert sorted(moved.load("2019Q3").villages["name"]) == ["测试01村", "甲村"]
    # every revision came along, with who wrote it; the first one can still be opened
    assert [(r.revision, r.author, r.note) for r in moved.revisions("2019Q4")] == \
        [(r.revision, r.author, r.note) for r in old.revisions("2019Q4")]
    assert list(moved.load("2019Q4", 1).villages["name"]) == ["乙村"]
    assert sorted(moved.load("2019Q4").villages["name"]) == ["丙村", "测试01村"]
    assert users.login(moved, "zhangsan", "correct horse 1").user == users.User("zhangsan", "editor")
    assert "登录" in set(audit.entries(moved)["操作"])
    assert [v.name for v in SavedViews(moved).all()] == ["遂溪概况"]
    # ids continue after the copied ones
    audit.record(moved, "zhangsan", "退出")
    SavedViews(moved).add("全市", "overview", {}, None)
    assert len(SavedViews(moved).all()) == 2
    # a second copy into the now filled database is refused, and changes nothing
    again = CliRunner().invoke(cli.main, ["migrate", "--copy-from", source])
    assert again.exit_code == 2 and "已有数据" in again.output
    assert len(Store(pg_url).load("2019Q4").villages) == 2


def test_latest_views_show_only_the_latest_revision_of_the_newest_quarter(pg_cluster, make_dataset):
    store = Store(pg_cluster.create_database())
    store.save(make_dataset([{"name": "甲村"}], quarter="2019Q3"))
    store.save(make_dataset([{"name": "乙村"}, {}], quarter="2019Q4"))
    store.save(make_dataset([{"name": "丙村"}], quarter="2019Q4"))  # revision 2 of 2019Q4
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, quarter, revision FROM latest_villages").all()
    assert rows == [("丙村", "2019Q4", 2)]


def test_0006_keeps_the_users_and_lifts_their_old_locks(empty_db_url):
    """The users' own failure count and lock (anyone could set it off) give way to counts per
    source: a user locked before the upgrade logs in after it, with the same password."""
    from alembic import command

    if empty_db_url.startswith("sqlite"):
        Path(sa.make_url(empty_db_url).database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(Store.engine_url(empty_db_url))
    with engine.begin() as connection:
        command.upgrade(migrations._config(connection), "0005")
        connection.execute(sa.text(
            "INSERT INTO users (username, password_hash, role, failed_logins, locked_until, created_at) "
            "VALUES ('zhangsan', :hash, 'editor', 4, :until, '2026-01-01T00:00:00+00:00')"),
            dict(hash=users._HASHER.hash("correct horse 1"), until=9e12))
    engine.dispose()
    store = Store(empty_db_url)  # start-up migrates
    with store.engine.connect() as connection:
        assert migrations.current(connection) == migrations.head()
        assert {c["name"] for c in sa.inspect(connection).get_columns("users")} == {
            "username", "password_hash", "role", "created_at"}
    assert users.login(store, "zhangsan", "correct horse 1", source="10.0.0.1").user == \
        users.User("zhangsan", "editor")
