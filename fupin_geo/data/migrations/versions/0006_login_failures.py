"""Wrong passwords slow down their source, not the account (issue 26): a table of recent
failures per typed user name and source replaces the users' own failure count and lock, which
anyone could set off for the administrator.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed", sa.Float(), nullable=False),
        sa.Column("audited_at", sa.Float(), nullable=True),
        sa.Column("unaudited", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("username", "source"),
    )
    op.create_index("ix_login_failures_last_failed", "login_failures", ["last_failed"])
    # a lock in progress ends with the columns that held it (SQLite: the table is rebuilt)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.Float(), nullable=True))
    op.drop_index("ix_login_failures_last_failed", table_name="login_failures")
    op.drop_table("login_failures")
