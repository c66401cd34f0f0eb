"""PostgreSQL only: PostGIS geometry columns (GiST-indexed) and a view of the newest quarter per
entity, so GIS staff open the layers in QGIS/ArcGIS directly. Nothing changes on SQLite.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

from fupin_geo.data.migrations import gis

# Frozen: the tables and the condition of the views as this migration made them (0004
# replaces them: gis.VIEW_TABLES and gis.LATEST_CONDITION are the current ones).
VIEW_TABLES = ("villages", "products", "town_industries", "parks", "park_villages", "enterprises",
               "cooperatives", "aquaculture", "linkages", "pairings", "cooperation_projects",
               "city_stats")
NEWEST_QUARTER = "quarter = (SELECT max(quarter) FROM villages)"

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not gis.is_postgresql():
        return
    gis.require_postgis()
    gis.add_geometry_columns()
    gis.create_views(VIEW_TABLES, NEWEST_QUARTER)


def downgrade() -> None:
    if not gis.is_postgresql():
        return
    gis.drop_views(VIEW_TABLES)
    for table in gis.GEOMETRIES:
        op.drop_column(table, gis.GEOMETRY_COLUMN)
