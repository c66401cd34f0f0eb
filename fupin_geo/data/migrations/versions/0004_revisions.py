"""Revisions (main's store.py after d65a071): every ledger table gets a `revision` column in its
key, the data already held becomes revision 1 of its quarter (one `revisions` row each); the
tables users, audit_log, revisions and saved_views; the entities village_infrastructure,
measure_status and cooperation_flows; the optional position_quality of parks, enterprises and
aquaculture. On PostgreSQL the latest_<table> views now show the newest quarter's latest
revision only (and exist for the new entities too).

SQLite cannot change a primary key in place: its tables are rebuilt (op.batch_alter_table,
a copy inside the same transaction); PostgreSQL alters them.

A database made by main after revisions landed but before migrations (create_all, no
alembic_version) is stamped 0001 like any older one: this migration then adds only what it
lacks (each step checks first), and leaves its revisions as they are.

Frozen: later schema changes go into new migrations.

Revision ID: 0004
Revises: 0003
"""
import datetime

import sqlalchemy as sa
from alembic import op

from fupin_geo.data.migrations import gis

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The ledger tables of 0001 and their keys (without quarter): revision joins each key.
KEYS = {
    "villages": ("code",),
    "products": ("village_code", "product"),
    "town_industries": ("town_code",),
    "parks": ("id",),
    "park_villages": ("park_id", "village_code"),
    "enterprises": ("id",),
    "cooperatives": ("id",),
    "aquaculture": ("id",),
    "linkages": ("source_type", "source_id", "village_code", "link_type"),
    "pairings": ("zj_county_code",),
    "cooperation_projects": ("id",),
    "city_stats": ("indicator",),
}
# Sites whose position may be approximate (schema.SITE_POSITION, optional).
POSITION_QUALITY_TABLES = ("parks", "enterprises", "aquaculture")
# The views as 0003 made them (dropped here, replaced by gis.create_views()).
OLD_VIEW_TABLES = tuple(KEYS)
FIRST_REVISION_NOTE = "升级数据库结构（迁移 0004）前已有的数据"


def upgrade() -> None:
    gis.drop_views(OLD_VIEW_TABLES)
    postgresql = gis.is_postgresql()
    inspector = sa.inspect(op.get_bind())
    for table, key in KEYS.items():
        primary_key = [*key, "quarter", "revision"]
        # (column names from a query, not reflection: SQLAlchemy knows no PostGIS type)
        present = set(op.get_bind().exec_driver_sql(f"SELECT * FROM {table} WHERE 1 = 0").keys())
        if "revision" in present:  # made by main's create_all: only the optional columns
            if table in POSITION_QUALITY_TABLES and "position_quality" not in present:
                op.add_column(table, sa.Column("position_quality", sa.String(), nullable=True))
        elif postgresql:
            op.add_column(table, sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
            op.alter_column(table, "revision", server_default=None)
            op.drop_constraint(f"{table}_pkey", table, type_="primary")
            op.create_primary_key(f"{table}_pkey", table, primary_key)
            if table in POSITION_QUALITY_TABLES:
                op.add_column(table, sa.Column("position_quality", sa.String(), nullable=True))
        else:
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column("revision", sa.Integer(), nullable=True))
                if table in POSITION_QUALITY_TABLES:
                    batch.add_column(sa.Column("position_quality", sa.String(), nullable=True))
            op.execute(f"UPDATE {table} SET revision = 1")
            with op.batch_alter_table(table, recreate="always",
                                      copy_from=_with_key(table, primary_key)):
                pass  # the rebuilt table takes copy_from's columns and key; the rows are copied

    existing = set(inspector.get_table_names())

    def create_table(name: str, *columns) -> sa.Table | None:
        return None if name in existing else op.create_table(name, *columns)

    revisions = create_table(
        "revisions",
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=True),
        sa.Column("file_sha256", sa.String(), nullable=True),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("quarter", "revision"),
    )
    create_table(
        "users",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.Float(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("username"),
    )
    create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(), nullable=True),
        sa.Column("file_sha256", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("page", sa.String(), nullable=False),
        sa.Column("params", sa.String(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    create_table(
        "village_infrastructure",
        sa.Column("village_code", sa.String(), nullable=False),
        sa.Column("yishiyiyi_projects", sa.BigInteger(), nullable=False),
        sa.Column("land_consolidation_projects", sa.BigInteger(), nullable=False),
        sa.Column("road_hardened", sa.Boolean(), nullable=False),
        sa.Column("ecommerce_point", sa.Boolean(), nullable=False),
        sa.Column("cold_storage", sa.Boolean(), nullable=False),
        sa.Column("insured_poor_households", sa.BigInteger(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("village_code", "quarter", "revision"),
    )
    create_table(
        "measure_status",
        sa.Column("measure", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("measure", "quarter", "revision"),
    )
    create_table(
        "cooperation_flows",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("zj_county_code", sa.String(), nullable=False),
        sa.Column("lz_county_code", sa.String(), nullable=False),
        sa.Column("year", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", "quarter", "revision"),
    )

    # Every quarter held (in any table) becomes revision 1, written by the system.
    if revisions is not None:
        _first_revisions(revisions)
    op.execute("UPDATE data_version SET version = version + 1")
    gis.create_views()


def _first_revisions(revisions: sa.Table) -> None:
    held = " UNION ".join(f"SELECT quarter FROM {table}" for table in KEYS)
    quarters = [row[0] for row in op.get_bind().exec_driver_sql(held) if row[0] is not None]
    created_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    op.bulk_insert(revisions, [
        dict(quarter=quarter, revision=1, created_at=created_at, author="系统", kind="保存",
             note=FIRST_REVISION_NOTE, file_name=None, file_sha256=None, restored_from=None)
        for quarter in sorted(quarters)])


def _with_key(table: str, primary_key: list[str]) -> sa.Table:
    """`table` as it is now (reflected), with `primary_key` as its key and every key column
    NOT NULL."""
    current = sa.Table(table, sa.MetaData(), autoload_with=op.get_bind())
    columns = [sa.Column(c.name, c.type, primary_key=c.name in primary_key,
                         nullable=c.nullable and c.name not in primary_key)
               for c in current.columns]
    return sa.Table(table, sa.MetaData(), *columns)


def downgrade() -> None:
    raise NotImplementedError("0004 is not reversible: older revisions of a quarter have no place in 0003's tables")
