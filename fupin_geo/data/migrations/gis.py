"""PostGIS objects for GIS staff (QGIS/ArcGIS open them directly): geometry columns and views.

Helpers for migrations: a migration that changes a table some view reads calls
`drop_views` first and `create_views` last, so the views list the new columns too.
Only PostgreSQL has them; on SQLite every helper does nothing.
"""
from __future__ import annotations

from alembic import op

SRID = 4326  # everything is stored in WGS-84 lon/lat (config.STORE_CRS)
# table -> (PostGIS geometry type, SQL expression that makes the geometry from the row).
# Aquaculture records are areas (POLYGON) or, when only a position is known, POINTs: the
# column takes any geometry type, with the SRID fixed.
GEOMETRIES = {
    "villages": ("Point", f"ST_SetSRID(ST_MakePoint(lon, lat), {SRID})"),
    "parks": ("Point", f"ST_SetSRID(ST_MakePoint(lon, lat), {SRID})"),
    "enterprises": ("Point", f"ST_SetSRID(ST_MakePoint(lon, lat), {SRID})"),
    "cooperatives": ("Point", f"ST_SetSRID(ST_MakePoint(lon, lat), {SRID})"),
    "aquaculture": ("Geometry", f"ST_GeomFromText(geometry_wkt, {SRID})"),
}
GEOMETRY_COLUMN = "geom"
# The tables that get a view "latest_<table>" (migration 0004 on): the records of the newest
# quarter, at that quarter's latest revision.
VIEW_TABLES = ("villages", "products", "town_industries", "parks", "park_villages", "enterprises",
               "cooperatives", "aquaculture", "linkages", "pairings", "cooperation_projects",
               "city_stats", "village_infrastructure", "measure_status", "cooperation_flows")
# Which rows a view shows: the newest well-formed quarter named in `revisions`, and of it only
# the latest revision (older revisions stay in the table, for history and restore).
LATEST_CONDITION = (
    "(quarter, revision) = (SELECT quarter, max(revision) FROM revisions "
    "WHERE quarter = (SELECT max(quarter) FROM revisions WHERE quarter ~ '^[0-9]{4}Q[1-4]$') "
    "GROUP BY quarter)")


def is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def require_postgis() -> None:
    bind = op.get_bind()
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").first()
    if available is None:
        from . import MigrationError

        raise MigrationError("PostgreSQL 服务器上没有安装 PostGIS：请安装 postgresql-15-postgis-3"
                             "（或与服务器版本对应的 PostGIS 软件包）后再启动。")
    bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")


def add_geometry_columns() -> None:
    """Generated columns: PostgreSQL computes them from lon/lat or the WKT on every write."""
    for table, (kind, expression) in GEOMETRIES.items():
        op.execute(f"ALTER TABLE {table} ADD COLUMN {GEOMETRY_COLUMN} geometry({kind}, {SRID}) "
                   f"GENERATED ALWAYS AS ({expression}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_{GEOMETRY_COLUMN} ON {table} "
                   f"USING GIST ({GEOMETRY_COLUMN})")


def create_views(tables=VIEW_TABLES, condition: str = LATEST_CONDITION) -> None:
    """The views as of the newest migration; an older migration passes its own frozen
    `tables` and `condition`, so it keeps doing what it did when it was written."""
    if not is_postgresql():
        return
    for table in tables:
        op.execute(f"CREATE VIEW latest_{table} AS SELECT * FROM {table} WHERE {condition}")


def drop_views(tables=VIEW_TABLES) -> None:
    if not is_postgresql():
        return
    for table in tables:
        op.execute(f"DROP VIEW IF EXISTS latest_{table}")
