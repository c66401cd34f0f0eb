"""PostgreSQL only: PostGIS geometry columns (GiST-indexed) and a view of the newest quarter per
entity, so GIS staff open the layers in QGIS/ArcGIS directly. Nothing changes on SQLite.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

from fupin_geo.data.migrations import gis

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if not gis.is_postgresql():
        return
    gis.require_postgis()
    gis.add_geometry_columns()
    gis.create_views()


def downgrade() -> None:
    if not gis.is_postgresql():
        return
    gis.drop_views()
    for table in gis.GEOMETRIES:
        op.drop_column(table, gis.GEOMETRY_COLUMN)
