"""payments, subscriptions and refunds

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import till.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("checkout_session_id", sa.String(length=40), nullable=True),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("refunded_amount", sa.BigInteger(), nullable=False),
        sa.Column("quote", sa.JSON(), nullable=False),
        sa.Column("billing", sa.JSON(), nullable=False),
        sa.Column("product_cart", sa.JSON(), nullable=False),
        sa.Column("discounts", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("custom_field_responses", sa.JSON(), nullable=False),
        sa.Column("tax_id", sa.String(length=64), nullable=True),
        sa.Column("customer_business_name", sa.String(length=200), nullable=True),
        sa.Column("card_brand", sa.String(length=20), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("card_exp_month", sa.Integer(), nullable=True),
        sa.Column("card_exp_year", sa.Integer(), nullable=True),
        sa.Column("card_holder_name", sa.String(length=200), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.String(length=500), nullable=True),
        sa.Column("processor_ref", sa.String(length=100), nullable=True),
        sa.Column("action_token_hash", sa.String(length=64), nullable=True),
        sa.Column("three_ds_status", sa.String(length=32), nullable=True),
        sa.Column("method_token", sa.Text(), nullable=True),
        sa.Column("payment_method_id", sa.String(length=40), nullable=True),
        sa.Column("subscription_id", sa.String(length=40), nullable=True),
        sa.Column("subscription_ids", sa.JSON(), nullable=False),
        sa.Column("service_periods", sa.JSON(), nullable=False),
        sa.Column("client_ip_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_payments_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_payments_merchant_id_merchants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(
        "ix_payments_action_token_hash", "payments", ["action_token_hash"], unique=False
    )
    op.create_index(
        "ix_payments_checkout_session_id",
        "payments",
        ["checkout_session_id"],
        unique=False,
    )
    op.create_index(
        "ix_payments_client", "payments", ["client_ip_hash", "created_at"], unique=False
    )
    op.create_index(
        "ix_payments_customer_id", "payments", ["customer_id"], unique=False
    )
    op.create_index(
        "ix_payments_owner",
        "payments",
        ["merchant_id", "mode", "created_at"],
        unique=False,
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("payment_id", sa.String(length=40), nullable=False),
        sa.Column("checkout_session_id", sa.String(length=40), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("recurring_pre_tax_amount", sa.BigInteger(), nullable=False),
        sa.Column("tax_inclusive", sa.Boolean(), nullable=False),
        sa.Column("payment_frequency_count", sa.Integer(), nullable=False),
        sa.Column("payment_frequency_interval", sa.String(length=8), nullable=False),
        sa.Column("subscription_period_count", sa.Integer(), nullable=False),
        sa.Column("subscription_period_interval", sa.String(length=8), nullable=False),
        sa.Column("trial_period_days", sa.Integer(), nullable=False),
        sa.Column(
            "next_billing_date", till.db.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "previous_billing_date", till.db.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("expires_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancel_at_next_billing_date", sa.Boolean(), nullable=False),
        sa.Column("cancelled_at", till.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=20), nullable=True),
        sa.Column("cancel_reason", sa.String(length=64), nullable=True),
        sa.Column("cancellation_comment", sa.String(length=1000), nullable=True),
        sa.Column("discount_id", sa.String(length=40), nullable=True),
        sa.Column("discount_cycles_remaining", sa.Integer(), nullable=True),
        sa.Column("discounts", sa.JSON(), nullable=False),
        sa.Column("billing", sa.JSON(), nullable=False),
        sa.Column("tax_id", sa.String(length=64), nullable=True),
        sa.Column("customer_business_name", sa.String(length=200), nullable=True),
        sa.Column("custom_field_responses", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("payment_method_id", sa.String(length=40), nullable=True),
        sa.Column("method_token", sa.Text(), nullable=True),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_subscriptions_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_subscriptions_merchant_id_merchants"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_subscriptions_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
    )
    op.create_index(
        "ix_subscriptions_customer_id", "subscriptions", ["customer_id"], unique=False
    )
    op.create_index(
        "ix_subscriptions_due",
        "subscriptions",
        ["status", "next_billing_date"],
        unique=False,
    )
    op.create_index(
        "ix_subscriptions_owner",
        "subscriptions",
        ["merchant_id", "mode", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_subscriptions_payment_id", "subscriptions", ["payment_id"], unique=False
    )
    op.create_table(
        "refunds",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("payment_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("is_partial", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("processor_ref", sa.String(length=100), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.String(length=500), nullable=True),
        sa.Column("created_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", till.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_refunds_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"],
            ["merchants.id"],
            name=op.f("fk_refunds_merchant_id_merchants"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_refunds_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
    )
    op.create_index(
        "ix_refunds_owner",
        "refunds",
        ["merchant_id", "mode", "created_at"],
        unique=False,
    )
    op.create_index("ix_refunds_payment_id", "refunds", ["payment_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_refunds_payment_id", table_name="refunds")
    op.drop_index("ix_refunds_owner", table_name="refunds")
    op.drop_table("refunds")
    op.drop_index("ix_subscriptions_payment_id", table_name="subscriptions")
    op.drop_index("ix_subscriptions_owner", table_name="subscriptions")
    op.drop_index("ix_subscriptions_due", table_name="subscriptions")
    op.drop_index("ix_subscriptions_customer_id", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_index("ix_payments_owner", table_name="payments")
    op.drop_index("ix_payments_customer_id", table_name="payments")
    op.drop_index("ix_payments_client", table_name="payments")
    op.drop_index("ix_payments_checkout_session_id", table_name="payments")
    op.drop_index("ix_payments_action_token_hash", table_name="payments")
    op.drop_table("payments")
