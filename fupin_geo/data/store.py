"""The database: one table per entity, every row tagged with its quarter and revision.

Every save of a quarter is a new **revision** of it (who, when, why, from which file); old
revisions are never deleted, so any can be read, compared and restored (a restore is itself a
new revision). Reads take the latest revision of the latest quarter unless told otherwise.
A write is one transaction: a failed or killed write leaves the previous revision as it was;
two writers of the same quarter both land, one after the other (SQLite: ``BEGIN IMMEDIATE``
and a busy timeout; elsewhere the revision key refuses a duplicate and the write is retried).

Only SQLAlchemy Core, no dialect-specific SQL except behind ``_is_sqlite``: the tables are
built from ``schema.ENTITIES`` and port to PostgreSQL as they are.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event, exc

from .. import config
from . import migrations, schema
from .dataset import Dataset

_SQL_TYPES = {str: sa.String, int: sa.BigInteger, float: sa.Float, bool: sa.Boolean}
REVISION = "revision"


def _table(metadata: sa.MetaData, entity: schema.Entity) -> sa.Table:
    key = set(entity.key) | {"quarter"}
    columns = [
        sa.Column(c.name, _SQL_TYPES[c.kind], primary_key=c.name in key, nullable=not c.required)
        for c in entity.all_columns
    ]
    columns.append(sa.Column(REVISION, sa.Integer, primary_key=True))
    return sa.Table(entity.table, metadata, *columns)


METADATA = sa.MetaData()
TABLES = {e.table: _table(METADATA, e) for e in schema.ENTITIES}
# One row (id 1): a counter bumped by every write, so caches in any process can tell that the
# ledger changed with one cheap query (migration 0002).
DATA_VERSION = sa.Table(
    "data_version", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
)

# One row per revision of a quarter: the record of who wrote what, when and from which file.
REVISIONS = sa.Table(
    "revisions", METADATA,
    sa.Column("quarter", sa.String, primary_key=True),
    sa.Column(REVISION, sa.Integer, primary_key=True),
    sa.Column("created_at", sa.String, nullable=False),  # ISO 8601, UTC
    sa.Column("author", sa.String, nullable=False),
    sa.Column("kind", sa.String, nullable=False),  # 导入 / 恢复 / 编辑 / 演示数据 / 保存
    sa.Column("note", sa.String, nullable=False, default=""),
    sa.Column("file_name", sa.String),
    sa.Column("file_sha256", sa.String),
    sa.Column("restored_from", sa.Integer),
)

# Users of 数据管理: passwords only as argon2 hashes (see users.py).
USERS = sa.Table(
    "users", METADATA,
    sa.Column("username", sa.String, primary_key=True),
    sa.Column("password_hash", sa.String, nullable=False),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("created_at", sa.String, nullable=False),
)

# Recent wrong passwords per typed user name and source (users.py, migration 0006): what slows
# a guesser down. The row with username "" counts every name from its source and says when
# the source's failures last reached the audit log. Not copied to another database: it is
# forgotten after config.LOGIN_FAILURES_FORGOTTEN_S anyway.
LOGIN_FAILURES = sa.Table(
    "login_failures", METADATA,
    sa.Column("username", sa.String, primary_key=True),  # as typed, cut to users.NAME_KEPT
    sa.Column("source", sa.String, primary_key=True),  # an address, or 会话 and a session's id
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failed", sa.Float, nullable=False, index=True),  # epoch seconds
    sa.Column("audited_at", sa.Float),  # source rows: the last audit row of failed logins
    sa.Column("unaudited", sa.Integer, nullable=False),  # source rows: failures not in the log yet
)

# The audit trail: imports, restores, edits, logins, user changes (see audit.py).
AUDIT = sa.Table(
    "audit_log", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String, nullable=False),
    sa.Column("username", sa.String, nullable=False),
    sa.Column("action", sa.String, nullable=False),
    sa.Column("detail", sa.String, nullable=False, default=""),
    sa.Column("quarter", sa.String),
    sa.Column(REVISION, sa.Integer),
    sa.Column("file_name", sa.String),
    sa.Column("file_sha256", sa.String),
)

# Saved views (views.py): named page views for presentation mode. Not ledger data: no quarter
# key, untouched by replace_all.
SAVED_VIEWS = sa.Table(
    "saved_views", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("page", sa.String, nullable=False),  # the page's url_path, e.g. "industry_map"
    sa.Column("params", sa.String, nullable=False),  # the page's URL query parameters, JSON
    sa.Column("quarter", sa.String, nullable=True),  # data quarter shown; None = the latest
    sa.Column("position", sa.Integer, nullable=False),  # order in presentation mode
    sa.Column("created", sa.String, nullable=False),  # ISO time, UTC
)

# What moving to another database copies: everything but the cache counter (DATA_VERSION).
COPIED_TABLES = (*TABLES.values(), REVISIONS, USERS, AUDIT, SAVED_VIEWS)

# How long a writer waits for another writer's transaction (SQLite busy timeout, seconds),
# and how often a write whose revision number was taken meanwhile is retried.
BUSY_TIMEOUT_S = 60
WRITE_ATTEMPTS = 5


class StoreError(RuntimeError):
    """A database problem, told in one sentence a user can act on."""


class StaleRevision(StoreError):
    """A save based on a revision that is no longer the quarter's latest: someone else wrote
    the quarter meanwhile. The caller re-checks its change against the latest, or refuses."""

    def __init__(self, quarter: str, expected: int | None, latest: int | None):
        self.quarter, self.expected, self.latest = quarter, expected, latest
        super().__init__(f"{quarter} 在此期间已有新版本（第 {latest} 版）。")


# `expected_latest` of Store.save when the caller does not mind what it writes over (demo
# data, a restore the user chose): any other value is the revision the change was made on.
ANY_REVISION = object()


def shown_url(url: str) -> str:
    """The database URL for messages: password hidden, never an exception."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError, TypeError):
        # unparsable: still hide whatever sits where a password would
        return re.sub(r":[^:/@]*@", ":***@", str(url)).strip()


@dataclass(frozen=True)
class Revision:
    quarter: str
    revision: int
    created_at: str
    author: str
    kind: str
    note: str = ""
    file_name: str | None = None
    file_sha256: str | None = None
    restored_from: int | None = None


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _describe_failure(url: str, error: Exception) -> StoreError:
    return StoreError(
        f"无法打开数据库 {shown_url(url)}：{type(error).__name__}。"
        "请检查环境变量 FUPIN_DB_URL 或数据库文件是否完好；若是本机默认数据库，"
        "可删除 data/fupin.sqlite 后重新启动，程序会重建演示数据。"
    )


def _bump_data_version(connection) -> None:
    """Every write path calls this inside its transaction (readers' caches depend on it)."""
    connection.execute(sa.update(DATA_VERSION).where(DATA_VERSION.c.id == 1)
                       .values(version=DATA_VERSION.c.version + 1))


def _unparsable(url: str) -> StoreError:
    return StoreError(
        f"数据库地址“{shown_url(url)}”无法识别：请把环境变量 {config.DB_URL_ENV} 设为 SQLAlchemy 地址，"
        "例如 sqlite:///data/fupin.sqlite 或 postgresql://用户名@主机/数据库名，或删除该变量以使用本机默认数据库。"
    )


def _sqlite_transactions(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions, so a writer can take the write lock
    first (BEGIN IMMEDIATE): two writers then queue instead of failing on upgrade."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        writing = connection.get_execution_options().get("fupin_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _is_sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _is_retryable(error: exc.SQLAlchemyError) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    return isinstance(error, exc.IntegrityError) or "locked" in text or "busy" in text


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or config.database_url()
        try:
            parsed = sa.engine.make_url(self.url)
        except (exc.ArgumentError, ValueError, TypeError) as error:
            raise _unparsable(self.url) from error
        try:
            if parsed.drivername.startswith("sqlite") and parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(self.engine_url(self.url), pool_pre_ping=True)
            if _is_sqlite(self.engine):
                _sqlite_transactions(self.engine)
            # Tables are created and upgraded by the migrations, never rebuilt.
            migrations.upgrade(self.engine)
        except migrations.MigrationError as error:
            raise StoreError(str(error)) from error
        # ImportError: the URL names a server database whose driver is not installed.
        except (exc.SQLAlchemyError, OSError, ValueError, ImportError) as error:
            raise _describe_failure(self.url, error) from error

    def _begin(self, write: bool = False):
        connection = self.engine.connect()
        if write:
            connection.execution_options(fupin_write=True)
        return _Transaction(connection)

    def _run(self, work):
        try:
            with self._begin() as connection:
                return work(connection)
        except exc.SQLAlchemyError as error:
            raise _describe_failure(self.url, error) from error

    @staticmethod
    def engine_url(url: str) -> sa.URL:
        """`url` parsed; plain postgresql:// means psycopg 3, the driver we ship (SQLAlchemy's
        default would be psycopg2)."""
        parsed = sa.engine.make_url(url)
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed

    def data_version(self) -> int:
        """A number that changes whenever any process writes the ledger (cache key)."""
        return self._run(lambda c: c.execute(
            sa.select(DATA_VERSION.c.version).where(DATA_VERSION.c.id == 1)).scalar_one())

    def read(self, work):
        """Run `work(connection)` in one read transaction."""
        return self._run(work)

    def write(self, work):
        """Run `work(connection)` in one write transaction, retried when another writer took
        the same revision number meanwhile; the transaction commits only if `work` returns."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._begin(write=True) as connection:
                    return work(connection)
            except exc.SQLAlchemyError as error:
                if attempt + 1 < WRITE_ATTEMPTS and _is_retryable(error):
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise _describe_failure(self.url, error) from error

    # --- reading -----------------------------------------------------------------------
    def quarters(self) -> list[str]:
        """The quarters held, oldest first (a quarter written wrongly is no quarter: see
        stray_records)."""
        rows = self._run(lambda c: c.execute(sa.select(REVISIONS.c.quarter).distinct()).all())
        return sorted(r[0] for r in rows if schema.is_quarter(r[0]))

    def stray_records(self) -> list[schema.RecordError]:
        """Records of every table whose quarter is not a quarter (e.g. "zzzz"): no page
        shows them; this names them."""
        def read(connection):
            frames = {}
            for name, table in TABLES.items():
                # each stray quarter as of its latest revision (that of the revisions table when
                # it lists one, else the newest in this table): older revisions are history
                latest = dict(connection.execute(
                    sa.select(table.c.quarter, sa.func.max(table.c[REVISION])).group_by(table.c.quarter)).all())
                bad = [q for q in latest if q is None or not schema.is_quarter(q)]
                if not bad:  # only the stray rows are read, however big the table
                    continue
                listed = _latest_of(connection, [q for q in bad if q is not None])
                wanted = [sa.and_(table.c.quarter.is_(None) if q is None else table.c.quarter == q,
                                  table.c[REVISION] == listed.get(q, latest[q])) for q in bad]
                frame = pd.read_sql(sa.select(*(table.c[c] for c in schema.BY_TABLE[name].column_names))
                                    .where(sa.or_(*wanted)), connection, dtype=object)
                if len(frame):
                    frames[name] = frame
            return frames

        errors = []
        for name, frame in self._run(read).items():
            errors += schema.check(schema.BY_TABLE[name], frame)[1]
        return errors

    def is_empty(self) -> bool:
        return not self.quarters()

    def revisions(self, quarter: str) -> list[Revision]:
        """Every revision of `quarter`, oldest first."""
        query = sa.select(REVISIONS).where(REVISIONS.c.quarter == quarter).order_by(REVISIONS.c.revision)
        rows = self._run(lambda c: c.execute(query).mappings().all())
        return [Revision(**row) for row in rows]

    def latest_revision(self, quarter: str) -> int | None:
        return self._run(lambda c: _latest(c, quarter))

    def load(self, quarter: str | None = None, revision: int | None = None) -> Dataset:
        """The data of `quarter` (latest when None) as of `revision` (latest when None)."""
        available = self.quarters()
        if not available:
            raise StoreError("数据库中还没有任何数据。")
        if quarter is None:
            quarter = available[-1]
        if quarter not in available:
            raise StoreError(f"没有 {quarter} 的数据；现有季度：{'、'.join(available)}。")

        return Dataset.from_frames(quarter, self._read(quarter, revision))

    def load_checked(self, quarter: str | None = None) -> tuple[Dataset, list[schema.RecordError]]:
        """Like load, but records that fail validation are left out and named instead, with
        those of no valid quarter: pages show the rest and say what they skipped."""
        available = self.quarters()
        if quarter is None and available:
            quarter = available[-1]
        if quarter not in available:
            self.load(quarter)  # raises the StoreError that says why
        dataset, errors = Dataset.checked(quarter, self._read(quarter))
        return dataset, errors + self.stray_records()

    def _read(self, quarter: str, revision: int | None = None) -> dict[str, pd.DataFrame]:
        def read(connection):
            # object columns: a bad value (text in a number column, a lone surrogate) reaches
            # validation as it is stored, instead of failing in the read
            chosen = _latest(connection, quarter) if revision is None else revision
            exists = connection.execute(sa.select(REVISIONS.c.revision).where(
                REVISIONS.c.quarter == quarter, REVISIONS.c.revision == chosen)).first()
            if exists is None:
                raise StoreError(f"{quarter} 没有第 {chosen} 版。")
            return {
                name: pd.read_sql(
                    sa.select(*(table.c[c] for c in schema.BY_TABLE[name].column_names))
                    .where(table.c.quarter == quarter, table.c[REVISION] == chosen),
                    connection, dtype=object)
                for name, table in TABLES.items()
            }

        return self._run(read)

    # --- writing -----------------------------------------------------------------------
    def save(self, dataset: Dataset, author: str = "系统", kind: str = "保存", note: str = "",
             file_name: str | None = None, file_sha256: str | None = None,
             restored_from: int | None = None, audit: dict | None = None,
             expected_latest=ANY_REVISION) -> int:
        """Write `dataset` as a new revision of its quarter, all or nothing; its number.

        `audit`, when given, is an audit-log row (action, detail, username) written in the
        same transaction, so the log never claims a write that did not happen or misses one.
        `expected_latest`: the revision `dataset` was derived from (None: the quarter had
        none); if the quarter's latest is another by the time of writing, nothing is written
        and StaleRevision is raised, so that no one's change is silently overwritten.
        """
        checked = Dataset.from_frames(dataset.quarter, dataset.frames())
        meta = dict(author=author, kind=kind, note=note, file_name=file_name,
                    file_sha256=file_sha256, restored_from=restored_from)

        def work(connection):
            if expected_latest is not ANY_REVISION:
                latest = _latest(connection, checked.quarter)
                if latest != expected_latest:
                    raise StaleRevision(checked.quarter, expected_latest, latest)
            number = self._write(connection, checked, meta)
            if audit is not None:
                row = dict(at=now_iso(), detail="", file_name=file_name, file_sha256=file_sha256)
                row.update(audit, quarter=checked.quarter, revision=number)
                connection.execute(sa.insert(AUDIT), [row])
            return number

        return self.write(work)

    @staticmethod
    def _write(connection, dataset: Dataset, meta: dict) -> int:
        number = (_latest(connection, dataset.quarter) or 0) + 1
        connection.execute(sa.insert(REVISIONS), [dict(
            quarter=dataset.quarter, revision=number, created_at=now_iso(), **meta)])
        _bump_data_version(connection)
        frames = dataset.frames()
        for name, table in TABLES.items():
            frame = frames[name]
            if frame.empty:
                continue
            records = frame.astype(object).where(frame.notna(), None)
            rows = records.to_dict("records")
            for row in rows:
                row[REVISION] = number
            connection.execute(sa.insert(table), rows)
        return number

    def restore(self, quarter: str, revision: int, author: str, note: str = "",
                expected_latest=ANY_REVISION) -> int:
        """Make revision `revision` of `quarter` the latest again, as a new revision.
        `expected_latest`: the latest revision the user saw when choosing (see save)."""
        old = self.load(quarter, revision)
        return self.save(old, author=author, kind="恢复", restored_from=revision,
                         note=note or f"恢复为第 {revision} 版", expected_latest=expected_latest,
                         audit=dict(username=author, action="恢复",
                                    detail=f"{quarter} 恢复为第 {revision} 版"))

    def replace_all(self, datasets: list[Dataset], author: str = "系统") -> None:
        """Replace every quarter and revision in the database by `datasets`, all or nothing."""
        checked = [Dataset.from_frames(d.quarter, d.frames()) for d in datasets]

        def work(connection):
            for table in [*TABLES.values(), REVISIONS]:
                connection.execute(sa.delete(table))
            for dataset in checked:
                self._write(connection, dataset, dict(author=author, kind="演示数据", note="替换全部数据"))

        self.write(work)

    def copy_all_from(self, source: "Store") -> dict[str, int]:
        """Every row of `source` into this database, which must hold none: every revision of
        every quarter with its record (who, when, which file), the users, the audit log and
        the saved views. One transaction; the rows copied per table."""
        def read(connection):
            return {t.name: [dict(r) for r in connection.execute(sa.select(t)).mappings()] for t in COPIED_TABLES}

        rows = source.read(read)

        def work(connection):
            held = [t.name for t in COPIED_TABLES
                    if connection.execute(sa.select(sa.func.count()).select_from(t)).scalar()]
            if held:
                raise StoreError(f"目标数据库已有数据（表 {'、'.join(held)}），未复制。请换一个空数据库。")
            for table in COPIED_TABLES:
                if rows[table.name]:
                    connection.execute(sa.insert(table), rows[table.name])
            if connection.dialect.name == "postgresql":
                # ids were copied as they were: the sequences must continue after them
                for table in (AUDIT, SAVED_VIEWS):
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")
            _bump_data_version(connection)
            return {name: len(table_rows) for name, table_rows in rows.items()}

        return self.write(work)



def _latest(connection, quarter: str) -> int | None:
    return connection.execute(
        sa.select(sa.func.max(REVISIONS.c.revision)).where(REVISIONS.c.quarter == quarter)).scalar()


def _latest_of(connection, quarters: list[str]) -> dict[str, int]:
    """The latest revision the revisions table lists for each of `quarters` that it lists."""
    if not quarters:
        return {}
    return dict(connection.execute(
        sa.select(REVISIONS.c.quarter, sa.func.max(REVISIONS.c.revision))
        .where(REVISIONS.c.quarter.in_(quarters)).group_by(REVISIONS.c.quarter)).all())


class _Transaction:
    """`with`: a connection inside one transaction, committed on success, else rolled back."""

    def __init__(self, connection: sa.Connection):
        self.connection = connection

    def __enter__(self) -> sa.Connection:
        try:
            self.transaction = self.connection.begin()
        except BaseException:
            self.connection.close()
            raise
        return self.connection

    def __exit__(self, kind, value, traceback):
        try:
            if kind is None:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        finally:
            self.connection.close()
        return False
