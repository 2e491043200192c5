"""payment links and short links

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import till.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "short_links",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("static_checkout_params", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("inactive_message", sa.String(length=500), nullable=True),
        sa.Column("expires_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completion_limit", sa.Integer(), nullable=True),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_short_links_merchant_id_merchants"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_short_links_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_short_links")),
    )
    op.create_index(
        "ix_short_links_owner",
        "short_links",
        ["merchant_id", "mode", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_short_links_product_id"), "short_links", ["product_id"], unique=False
    )
    op.create_index("uq_short_links_slug", "short_links", ["slug"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_short_links_slug", table_name="short_links")
    op.drop_index(op.f("ix_short_links_product_id"), table_name="short_links")
    op.drop_index("ix_short_links_owner", table_name="short_links")
    op.drop_table("short_links")
