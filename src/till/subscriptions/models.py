"""Subscriptions: one per subscription line of a paid checkout session.

Statuses and the moves between them::

    pending ──▶ active ──▶ on_hold ──▶ active
                  │  ╲        │
                  │   ╲       ▼
                  │    ▶ cancelled
                  ▼
               expired            (failed: the first charge never succeeded)

Every move is one conditional ``UPDATE ... WHERE status IN (...)``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime

STATUSES = ("pending", "active", "on_hold", "cancelled", "failed", "expired")
# Statuses a merchant may still cancel or schedule a cancellation in.
LIVE_STATUSES = ("pending", "active", "on_hold")


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        Index("ix_subscriptions_owner", "merchant_id", "mode", "created_at"),
        Index("ix_subscriptions_customer_id", "customer_id"),
        Index("ix_subscriptions_payment_id", "payment_id"),
        Index("ix_subscriptions_due", "status", "next_billing_date"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"))
    mode: Mapped[str] = mapped_column(String(4))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    product_name: Mapped[str] = mapped_column(String(200), default="")
    # The payment that started it, and the session it was bought through.
    payment_id: Mapped[str] = mapped_column(String(40))
    checkout_session_id: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    # Each renewal's amount after discounts, before tax (with the tax inside
    # when ``tax_inclusive``).
    recurring_pre_tax_amount: Mapped[int] = mapped_column(BigInteger)
    tax_inclusive: Mapped[bool]
    payment_frequency_count: Mapped[int] = mapped_column(Integer)
    payment_frequency_interval: Mapped[str] = mapped_column(String(8))
    subscription_period_count: Mapped[int] = mapped_column(Integer)
    subscription_period_interval: Mapped[str] = mapped_column(String(8))
    trial_period_days: Mapped[int] = mapped_column(Integer, default=0)
    next_billing_date: Mapped[datetime] = mapped_column(UTCDateTime)
    previous_billing_date: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_at_next_billing_date: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who cancelled or scheduled the cancellation: "api_key", "customer", ...
    cancelled_by: Mapped[str | None] = mapped_column(String(20))
    cancel_reason: Mapped[str | None] = mapped_column(String(64))
    cancellation_comment: Mapped[str | None] = mapped_column(String(1000))
    # The first discount on the line and the billed cycles it has left
    # (None: every cycle); ``discounts`` holds each one in stack order.
    discount_id: Mapped[str | None] = mapped_column(String(40))
    discount_cycles_remaining: Mapped[int | None] = mapped_column(Integer)
    discounts: Mapped[list[Any]] = mapped_column(default=list)
    billing: Mapped[dict[str, Any]]
    tax_id: Mapped[str | None] = mapped_column(String(64))
    customer_business_name: Mapped[str | None] = mapped_column(String(200))
    custom_field_responses: Mapped[list[Any]] = mapped_column(default=list)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    # The saved card renewals charge: the opaque id shown on the wire and the
    # processor's secret token behind it.
    payment_method_id: Mapped[str | None] = mapped_column(String(40))
    method_token: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
