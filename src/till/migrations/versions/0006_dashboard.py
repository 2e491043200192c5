"""dashboard users

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import till.db

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_users",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_dashboard_users_merchant_id_merchants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_users")),
        sa.UniqueConstraint("email", name=op.f("uq_dashboard_users_email")),
    )
    op.create_index(
        op.f("ix_dashboard_users_merchant_id"), "dashboard_users", ["merchant_id"]
    )
    op.create_table(
        "dashboard_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("csrf_secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["dashboard_users.id"],
            name=op.f("fk_dashboard_sessions_user_id_dashboard_users"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_dashboard_sessions")),
    )
    op.create_index(
        op.f("ix_dashboard_sessions_user_id"), "dashboard_sessions", ["user_id"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_dashboard_sessions_user_id"), table_name="dashboard_sessions"
    )
    op.drop_table("dashboard_sessions")
    op.drop_index(op.f("ix_dashboard_users_merchant_id"), table_name="dashboard_users")
    op.drop_table("dashboard_users")
