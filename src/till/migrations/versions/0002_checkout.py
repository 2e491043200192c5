"""checkout sessions and discounts

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import till.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # discounts: start
    op.create_table(
        "discounts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("usage_limit", sa.Integer(), nullable=True),
        sa.Column("times_used", sa.Integer(), nullable=False),
        sa.Column("starts_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("restricted_to", sa.JSON(), nullable=False),
        sa.Column("subscription_cycles", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("preserve_on_plan_change", sa.Boolean(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("deleted_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_discounts_merchant_id_merchants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discounts")),
    )
    op.create_index(
        "ix_discounts_owner",
        "discounts",
        ["merchant_id", "mode", "created_at"],
        unique=False,
    )
    op.create_index(
        "uq_discounts_code",
        "discounts",
        ["merchant_id", "mode", "code"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    # discounts: end
    # checkout_sessions: start
    op.create_table(
        "checkout_sessions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("link_id", sa.String(length=40), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("quote", sa.JSON(), nullable=False),
        sa.Column("price_specs", sa.JSON(), nullable=False),
        sa.Column("product_cart", sa.JSON(), nullable=False),
        sa.Column("discount_codes", sa.JSON(), nullable=False),
        sa.Column("seller_country", sa.String(length=2), nullable=False),
        sa.Column("trial_period_days", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.String(length=40), nullable=True),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("customer_phone", sa.String(length=40), nullable=True),
        sa.Column("billing_address", sa.JSON(), nullable=True),
        sa.Column("tax_id", sa.String(length=64), nullable=True),
        sa.Column("customer_business_name", sa.String(length=200), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("return_url", sa.String(length=2000), nullable=True),
        sa.Column("cancel_url", sa.String(length=2000), nullable=True),
        sa.Column("confirm", sa.Boolean(), nullable=False),
        sa.Column("minimal_address", sa.Boolean(), nullable=False),
        sa.Column("feature_flags", sa.JSON(), nullable=False),
        sa.Column("customization", sa.JSON(), nullable=False),
        sa.Column("custom_fields", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("payment_id", sa.String(length=40), nullable=True),
        sa.Column("payment_status", sa.String(length=32), nullable=True),
        sa.Column(
            "pay_attempt_started_at", till.db.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("pay_attempts", sa.Integer(), nullable=False),
        sa.Column(
            "last_activity_at", till.db.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("abandoned_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("recovered_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_checkout_sessions_merchant_id_merchants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkout_sessions")),
    )
    op.create_index(
        "ix_checkout_sessions_expiry",
        "checkout_sessions",
        ["status", "expires_at"],
        unique=False,
    )
    op.create_index(
        "ix_checkout_sessions_owner",
        "checkout_sessions",
        ["merchant_id", "mode", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_checkout_sessions_link",
        "checkout_sessions",
        ["link_id", "status"],
        unique=False,
    )
    # checkout_sessions: end


def downgrade() -> None:
    # checkout_sessions: start
    op.drop_index("ix_checkout_sessions_link", table_name="checkout_sessions")
    op.drop_index("ix_checkout_sessions_owner", table_name="checkout_sessions")
    op.drop_index("ix_checkout_sessions_expiry", table_name="checkout_sessions")
    op.drop_table("checkout_sessions")
    # checkout_sessions: end
    # discounts: start
    op.drop_index("uq_discounts_code", table_name="discounts")
    op.drop_index("ix_discounts_owner", table_name="discounts")
    op.drop_table("discounts")
    # discounts: end
