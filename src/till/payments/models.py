"""Payments: one row per pay attempt on a checkout session.

A row is written before the processor is asked (status ``processing``) and
moves once to its outcome by a conditional ``UPDATE`` (see
``till.payments.transitions``), so a crash mid-charge leaves a trace and two
completions of one 3-D Secure challenge cannot both count.

The card number and the CVC are never stored: only brand, last four digits,
expiry and the holder's name.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_owner", "merchant_id", "mode", "created_at"),
        Index("ix_payments_checkout_session_id", "checkout_session_id"),
        Index("ix_payments_customer_id", "customer_id"),
        Index("ix_payments_client", "client_ip_hash", "created_at"),
        Index("ix_payments_action_token_hash", "action_token_hash"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"))
    mode: Mapped[str] = mapped_column(String(4))
    checkout_session_id: Mapped[str | None] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    # An IntentStatus of the wire format: processing, requires_customer_action,
    # succeeded, failed or cancelled.
    status: Mapped[str] = mapped_column(String(32))
    total_amount: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # What succeeded refunds gave back; a refund reserves its amount with a
    # conditional UPDATE so concurrent refunds cannot exceed the total.
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # The quote charged (``Quote.to_dict()``): line items and subscriptions are
    # built from it, so a 3-D Secure completion uses the amounts shown.
    quote: Mapped[dict[str, Any]]
    billing: Mapped[dict[str, Any]]
    product_cart: Mapped[list[Any]]
    discounts: Mapped[list[Any]] = mapped_column(default=list)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    custom_field_responses: Mapped[list[Any]] = mapped_column(default=list)
    tax_id: Mapped[str | None] = mapped_column(String(64))
    customer_business_name: Mapped[str | None] = mapped_column(String(200))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    card_exp_month: Mapped[int | None] = mapped_column(Integer)
    card_exp_year: Mapped[int | None] = mapped_column(Integer)
    card_holder_name: Mapped[str | None] = mapped_column(String(200))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(String(500))
    processor_ref: Mapped[str | None] = mapped_column(String(100))
    # SHA-256 of the pending 3-D Secure token: finds the payment when the
    # buyer returns, without keeping a token that could complete it.
    action_token_hash: Mapped[str | None] = mapped_column(String(64))
    three_ds_status: Mapped[str | None] = mapped_column(String(32))
    # A card saved for renewals: the processor's token (a secret) and the
    # opaque id the API shows in its place.
    method_token: Mapped[str | None] = mapped_column(Text)
    payment_method_id: Mapped[str | None] = mapped_column(String(40))
    subscription_id: Mapped[str | None] = mapped_column(String(40))
    subscription_ids: Mapped[list[Any]] = mapped_column(default=list)
    # What the payment paid for, per subscription: {subscription_id,
    # starts_at, ends_at} as ISO 8601, fixed when it succeeded.
    service_periods: Mapped[list[Any]] = mapped_column(default=list)
    # Keyed hash of the buyer's IP address, for the card-testing limits; the
    # address itself is never stored.
    client_ip_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
