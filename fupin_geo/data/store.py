"""The database: one table per entity, every row tagged with the quarter it belongs to.

A quarter's data is one version (a quarterly snapshot). Reads take the latest quarter unless
one is chosen; writing a quarter replaces it whole inside one transaction, so a failed write
leaves the previous version as it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import exc

from .. import config
from . import schema

_SQL_TYPES = {str: sa.String, int: sa.BigInteger, float: sa.Float, bool: sa.Boolean}


def _table(metadata: sa.MetaData, entity: schema.Entity) -> sa.Table:
    key = set(entity.key) | {"quarter"}
    columns = [
        sa.Column(c.name, _SQL_TYPES[c.kind], primary_key=c.name in key, nullable=not c.required)
        for c in entity.all_columns
    ]
    return sa.Table(entity.table, metadata, *columns)


METADATA = sa.MetaData()
TABLES = {e.table: _table(METADATA, e) for e in schema.ENTITIES}


def _add_optional_columns(connection) -> None:
    """Give tables made by an earlier version the optional columns added since (empty)."""
    inspector = sa.inspect(connection)
    for name, table in TABLES.items():
        present = {c["name"] for c in inspector.get_columns(name)}
        for column in table.columns:
            if column.name not in present and column.nullable:
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(sa.text(f'ALTER TABLE "{name}" ADD COLUMN "{column.name}" {kind}'))


class StoreError(RuntimeError):
    """A database problem, told in one sentence a user can act on."""


@dataclass
class Dataset:
    """All entities of one quarter, validated."""

    quarter: str
    villages: pd.DataFrame
    products: pd.DataFrame
    town_industries: pd.DataFrame
    parks: pd.DataFrame
    park_villages: pd.DataFrame
    enterprises: pd.DataFrame
    cooperatives: pd.DataFrame
    aquaculture: pd.DataFrame
    linkages: pd.DataFrame
    pairings: pd.DataFrame
    cooperation_projects: pd.DataFrame
    city_stats: pd.DataFrame
    # --- 湛柳协作 flows (issue 10) ---
    cooperation_flows: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "quarter"}

    def records_by_source(self) -> list[tuple[str, int, int]]:
        """(entity label, records from public sources, invented demo records) for every
        entity that has records."""
        counts = []
        for entity in schema.ENTITIES:
            frame = getattr(self, entity.table)
            demo = int((frame["source"] == config.DEMO_SOURCE).sum())
            if len(frame):
                counts.append((entity.label, len(frame) - demo, demo))
        return counts

    @property
    def demo_records(self) -> int:
        """How many records in this quarter are invented demo data."""
        return sum(int((f["source"] == config.DEMO_SOURCE).sum()) for f in self.frames().values())

    @classmethod
    def from_frames(cls, quarter: str, frames: dict[str, pd.DataFrame]) -> "Dataset":
        """Validate every frame (raises schema.SchemaError naming the bad records, among them
        any record of another quarter)."""
        dataset, errors = cls.checked(quarter, frames)
        if errors:
            raise schema.SchemaError(errors)
        return dataset

    @classmethod
    def checked(cls, quarter: str, frames: dict[str, pd.DataFrame]
                ) -> tuple["Dataset", list[schema.RecordError]]:
        """The records of every frame that pass validation, and an error naming each one
        that does not (those are left out)."""
        checked, errors = {}, []
        for entity in schema.ENTITIES:
            frame = frames.get(entity.table)
            if frame is None:
                checked[entity.table] = schema.empty(entity)
            else:
                checked[entity.table], problems = schema.check(entity, frame, quarter)
                errors += problems
        return cls(quarter=quarter, **checked), errors


def shown_url(url: str) -> str:
    """The database URL for messages: password hidden, never an exception."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError, TypeError):
        # unparsable: still hide whatever sits where a password would
        return re.sub(r":[^:/@]*@", ":***@", str(url)).strip()


def _describe_failure(url: str, error: Exception) -> StoreError:
    return StoreError(
        f"无法打开数据库 {shown_url(url)}：{type(error).__name__}。"
        "请检查环境变量 FUPIN_DB_URL 或数据库文件是否完好；若是本机默认数据库，"
        "可删除 data/fupin.sqlite 后重新启动，程序会重建演示数据。"
    )


def _unparsable(url: str) -> StoreError:
    return StoreError(
        f"数据库地址“{shown_url(url)}”无法识别：请把环境变量 {config.DB_URL_ENV} 设为 SQLAlchemy 地址，"
        "例如 sqlite:///data/fupin.sqlite 或 postgresql://用户名@主机/数据库名，或删除该变量以使用本机默认数据库。"
    )


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
            self.engine = sa.create_engine(self.url)
            with self.engine.begin() as connection:
                METADATA.create_all(connection)
                _add_optional_columns(connection)
        # ImportError: the URL names a server database whose driver is not installed.
        except (exc.SQLAlchemyError, OSError, ValueError, ImportError) as error:
            raise _describe_failure(self.url, error) from error

    def _run(self, work):
        try:
            with self.engine.begin() as connection:
                return work(connection)
        except exc.SQLAlchemyError as error:
            raise _describe_failure(self.url, error) from error

    def quarters(self) -> list[str]:
        """The quarters held, oldest first (a quarter written wrongly is no quarter: see
        stray_records)."""
        table = TABLES["villages"]
        rows = self._run(lambda c: c.execute(sa.select(table.c.quarter).distinct()).all())
        return sorted(r[0] for r in rows if schema.is_quarter(r[0]))

    def stray_records(self) -> list[schema.RecordError]:
        """Records of every table whose quarter is not a quarter (e.g. "zzzz"): no page
        shows them; this names them."""
        def read(connection):
            frames = {}
            for name, table in TABLES.items():
                values = connection.execute(sa.select(table.c.quarter).distinct()).scalars().all()
                bad = [q for q in values if q is not None and not schema.is_quarter(q)]
                if bad or None in values:  # only the stray rows are read, however big the table
                    wanted = sa.or_(table.c.quarter.in_(bad), table.c.quarter.is_(None))
                    frames[name] = pd.read_sql(sa.select(table).where(wanted), connection, dtype=object)
            return frames

        errors = []
        for name, frame in self._run(read).items():
            errors += schema.check(schema.BY_TABLE[name], frame)[1]
        return errors

    def is_empty(self) -> bool:
        return not self.quarters()

    def load(self, quarter: str | None = None) -> Dataset:
        """The data of `quarter`, or of the latest quarter when None."""
        available = self.quarters()
        if not available:
            raise StoreError("数据库中还没有任何数据。")
        if quarter is None:
            quarter = available[-1]
        if quarter not in available:
            raise StoreError(f"没有 {quarter} 的数据；现有季度：{'、'.join(available)}。")

        return Dataset.from_frames(quarter, self._read(quarter))

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

    def _read(self, quarter: str) -> dict[str, pd.DataFrame]:
        def read(connection):
            # object columns: a bad value (text in a number column, a lone surrogate) reaches
            # validation as it is stored, instead of failing in the read
            return {
                name: pd.read_sql(sa.select(table).where(table.c.quarter == quarter), connection,
                                  dtype=object)
                for name, table in TABLES.items()
            }

        return self._run(read)

    def save(self, dataset: Dataset) -> None:
        """Replace the quarter of `dataset` with its records, all or nothing."""
        checked = Dataset.from_frames(dataset.quarter, dataset.frames())
        self._run(lambda connection: self._write(connection, checked))

    @staticmethod
    def _write(connection, dataset: Dataset) -> None:
        frames = dataset.frames()
        for name, table in TABLES.items():
            connection.execute(sa.delete(table).where(table.c.quarter == dataset.quarter))
            records = frames[name].astype(object).where(frames[name].notna(), None)
            rows = records.to_dict("records")
            if rows:
                connection.execute(sa.insert(table), rows)

    def replace_all(self, datasets: list[Dataset]) -> None:
        """Replace every quarter in the database by `datasets`, all or nothing."""
        checked = [Dataset.from_frames(d.quarter, d.frames()) for d in datasets]

        def write(connection):
            for table in TABLES.values():
                connection.execute(sa.delete(table))
            for dataset in checked:
                self._write(connection, dataset)

        self._run(write)

    def ensure_seeded(self) -> None:
        """Fill an empty database with the demo data set (first start)."""
        if self.is_empty():
            from . import demo

            for dataset in demo.build_demo():
                self.save(dataset)

