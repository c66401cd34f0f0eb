"""Every ledger record knows the quarter its county last reported it in (schema.REPORTED):
a new quarter starts as a copy of the one before it, and the pages say which counties have
reported. Optional, so the rows already held stay as they are (empty = their own quarter).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from fupin_geo.data.migrations import gis

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen: the ledger tables as of this migration.
TABLES = ("villages", "products", "town_industries", "parks", "park_villages", "enterprises",
          "cooperatives", "aquaculture", "linkages", "pairings", "cooperation_projects",
          "city_stats", "village_infrastructure", "measure_status", "cooperation_flows")
COLUMN = "reported_quarter"


def upgrade() -> None:
    gis.drop_views(TABLES)  # PostgreSQL views list a table's columns as they were made
    for table in TABLES:
        op.add_column(table, sa.Column(COLUMN, sa.String(), nullable=True))
    gis.create_views(TABLES)


def downgrade() -> None:
    gis.drop_views(TABLES)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column(COLUMN)
    gis.create_views(TABLES)
