"""The tables as main created them before migrations existed (commit d65a071).

Frozen here on purpose: later changes to schema.ENTITIES go into new migrations, never into
this file. A database of that time has these tables and no alembic_version; it is stamped as
this revision and upgraded from here.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aquaculture",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("county_code", sa.String(), nullable=False),
        sa.Column("geometry_wkt", sa.String(), nullable=False),
        sa.Column("area_mu", sa.Float(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", "quarter"),
    )
    op.create_table(
        "city_stats",
        sa.Column("indicator", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("indicator", "quarter"),
    )
    op.create_table(
        "cooperation_projects",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("work_area", sa.String(), nullable=False),
        sa.Column("zj_county_code", sa.String(), nullable=False),
        sa.Column("lz_county_code", sa.String(), nullable=False),
        sa.Column("year", sa.BigInteger(), nullable=False),
        sa.Column("amount_wan", sa.Float(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", "quarter"),
    )
    op.create_table(
        "cooperatives",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("village_code", sa.String(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("members", sa.BigInteger(), nullable=False),
        sa.Column("poor_members", sa.BigInteger(), nullable=False),
        sa.Column("is_poverty_coop", sa.Boolean(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", "quarter"),
    )
    op.create_table(
        "enterprises",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("industry", sa.String(), nullable=False),
        sa.Column("county_code", sa.String(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("is_processing", sa.Boolean(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", "quarter"),
    )
    op.create_table(
        "linkages",
        sa.Column("source_type", sa.String(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("village_code", sa.String(), nullable=False),
        sa.Column("link_type", sa.String(), nullable=False),
        sa.Column("households", sa.BigInteger(), nullable=False),
        sa.Column("poor_households", sa.BigInteger(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("source_type", "source_id", "village_code", "link_type", "quarter"),
    )
    op.create_table(
        "pairings",
        sa.Column("zj_county_code", sa.String(), nullable=False),
        sa.Column("lz_county_code", sa.String(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("zj_county_code", "quarter"),
    )
    op.create_table(
        "park_villages",
        sa.Column("park_id", sa.String(), nullable=False),
        sa.Column("village_code", sa.String(), nullable=False),
        sa.Column("agreement_signed", sa.Boolean(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("park_id", "village_code", "quarter"),
    )
    op.create_table(
        "parks",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("product", sa.String(), nullable=False),
        sa.Column("county_code", sa.String(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("year", sa.BigInteger(), nullable=False),
        sa.Column("lead_enterprises", sa.String(), nullable=True),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", "quarter"),
    )
    op.create_table(
        "products",
        sa.Column("village_code", sa.String(), nullable=False),
        sa.Column("product", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("village_code", "product", "quarter"),
    )
    op.create_table(
        "town_industries",
        sa.Column("town_code", sa.String(), nullable=False),
        sa.Column("county_code", sa.String(), nullable=False),
        sa.Column("industry", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("town_code", "quarter"),
    )
    op.create_table(
        "villages",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("county_code", sa.String(), nullable=False),
        sa.Column("town_code", sa.String(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("position_quality", sa.String(), nullable=False),
        sa.Column("households", sa.BigInteger(), nullable=False),
        sa.Column("poor_households", sa.BigInteger(), nullable=False),
        sa.Column("poor_people", sa.BigInteger(), nullable=False),
        sa.Column("poor_households_in_coop", sa.BigInteger(), nullable=False),
        sa.Column("labour_households", sa.BigInteger(), nullable=False),
        sa.Column("labour_households_in_project", sa.BigInteger(), nullable=False),
        sa.Column("poor_labourers", sa.BigInteger(), nullable=False),
        sa.Column("trained_labourers", sa.BigInteger(), nullable=False),
        sa.Column("toilet_rate", sa.Float(), nullable=False),
        sa.Column("clean_village", sa.Boolean(), nullable=False),
        sa.Column("model_village", sa.Boolean(), nullable=False),
        sa.Column("irrigation_project", sa.Boolean(), nullable=False),
        sa.Column("quarter", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", "quarter"),
    )


def downgrade() -> None:
    for table in ("aquaculture", "city_stats", "cooperation_projects", "cooperatives", "enterprises",
                  "linkages", "pairings", "park_villages", "parks", "products", "town_industries",
                  "villages"):
        op.drop_table(table)
