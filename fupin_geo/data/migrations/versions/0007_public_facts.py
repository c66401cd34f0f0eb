"""Room for public facts the ledger could not hold: a village's 出列 quarter (optional), and
湛柳 projects whose year or amount no source gives (both optional now).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from fupin_geo.data.migrations import gis

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Frozen: the tables this migration changes.
TABLES = ("villages", "cooperation_projects")


def upgrade() -> None:
    gis.drop_views(TABLES)  # PostgreSQL views list a table's columns as they were made
    op.add_column("villages", sa.Column("exit_quarter", sa.String(), nullable=True))
    with op.batch_alter_table("cooperation_projects") as batch:
        batch.alter_column("year", existing_type=sa.BigInteger(), nullable=True)
        batch.alter_column("amount_wan", existing_type=sa.Float(), nullable=True)
    gis.create_views(TABLES)


def downgrade() -> None:
    gis.drop_views(TABLES)
    with op.batch_alter_table("cooperation_projects") as batch:
        batch.alter_column("year", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("amount_wan", existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table("villages") as batch:
        batch.drop_column("exit_quarter")
    gis.create_views(TABLES)
