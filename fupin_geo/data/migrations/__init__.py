"""Schema migrations (Alembic), run at start-up by `store.Store` and by `python -m fupin_geo migrate`.

Every schema change is one new file in `versions/` (see README, "Schema changes"): the tables
themselves stay built from `schema.ENTITIES` in store.py, and a test
(tests/unit/test_migrations.py) checks that the migrations produce exactly those tables.

A database made before migrations existed (main at d65a071: the tables, no `alembic_version`)
is recognised and marked as revision 0001, then upgraded like any other: never rebuilt.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

FOLDER = Path(__file__).resolve().parent
# The revision whose tables are those main created before migrations existed.
BASELINE = "0001"
# Any constant shared by every process of the app: concurrent start-ups of several replicas
# on one PostgreSQL database migrate one after the other (pg_advisory_xact_lock).
ADVISORY_LOCK_ID = 4408_2019


class MigrationError(RuntimeError):
    """A migration cannot run; the message is one Chinese sentence."""


def _config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine) -> tuple[str | None, str]:
    """Bring the database to the newest revision; returns (revision before, revision after).

    One transaction on PostgreSQL (its DDL is transactional): a failed migration changes nothing.
    """
    # fupin_write: on SQLite the store's engine then takes the write lock first (BEGIN
    # IMMEDIATE), so two processes starting at once migrate one after the other there too.
    with engine.connect() as connection, connection.execution_options(fupin_write=True).begin():
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(ADVISORY_LOCK_ID)))
        before = current(connection)
        if before is None and sa.inspect(connection).has_table("villages"):
            command.stamp(_config(connection), BASELINE)
            before = BASELINE
        newest = head()
        if before != newest:
            if before is not None and before not in _known_revisions():
                raise MigrationError(
                    f"数据库的结构版本 {before} 比本程序新（本程序最新为 {newest}）：请升级程序后再打开。")
            command.upgrade(_config(connection), "head")
        return before, current(connection)


def _known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
