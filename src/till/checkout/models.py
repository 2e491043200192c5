from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime

OPEN, COMPLETED, EXPIRED = "open", "completed", "expired"
STATUSES = (OPEN, COMPLETED, EXPIRED)


class CheckoutSession(Base):
    """One buyer's checkout: the cart, who pays, and the quote they were shown.

    ``status`` is stored as ``open`` until a transition changes it, but an open
    session whose ``expires_at`` has passed is expired already: readers use
    :func:`effective_status` rather than the column alone, so no sweeper has
    to run for expiry to take effect.
    """

    __tablename__ = "checkout_sessions"
    __table_args__ = (
        Index("ix_checkout_sessions_owner", "merchant_id", "mode", "created_at"),
        Index("ix_checkout_sessions_expiry", "status", "expires_at"),
        # Payment links count their completed sessions.
        Index("ix_checkout_sessions_link", "link_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"))
    mode: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    origin: Mapped[str] = mapped_column(String(8), default="api")
    link_id: Mapped[str | None] = mapped_column(String(40))

    # Pricing: the quote shown at creation, and the inputs to re-price it.
    currency: Mapped[str] = mapped_column(String(3))
    total_amount: Mapped[int] = mapped_column(BigInteger)
    quote: Mapped[dict[str, Any]]
    price_specs: Mapped[list[Any]]
    product_cart: Mapped[list[Any]]
    discount_codes: Mapped[list[Any]] = mapped_column(default=list)
    seller_country: Mapped[str] = mapped_column(String(2))
    trial_period_days: Mapped[int | None] = mapped_column(Integer)

    # The buyer, as far as the merchant prefilled it.
    customer_id: Mapped[str | None] = mapped_column(String(40))
    customer_email: Mapped[str | None] = mapped_column(String(254))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_phone: Mapped[str | None] = mapped_column(String(40))
    billing_address: Mapped[dict[str, Any] | None]
    tax_id: Mapped[str | None] = mapped_column(String(64))
    customer_business_name: Mapped[str | None] = mapped_column(String(200))

    # What the merchant asked for the page and the payment.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    return_url: Mapped[str | None] = mapped_column(String(2000))
    cancel_url: Mapped[str | None] = mapped_column(String(2000))
    confirm: Mapped[bool] = mapped_column(default=False)
    minimal_address: Mapped[bool] = mapped_column(default=False)
    feature_flags: Mapped[dict[str, Any]]
    customization: Mapped[dict[str, Any]]
    custom_fields: Mapped[list[Any]] = mapped_column(default=list)
    options: Mapped[dict[str, Any]]

    # The payment, once the buyer pays.
    payment_id: Mapped[str | None] = mapped_column(String(40))
    payment_status: Mapped[str | None] = mapped_column(String(32))
    pay_attempt_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pay_attempts: Mapped[int] = mapped_column(Integer, default=0)

    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recovered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def effective_status(session: CheckoutSession, moment: datetime) -> str:
    """``open``, ``completed`` or ``expired`` as of ``moment``."""
    if session.status == OPEN and session.expires_at <= moment:
        return EXPIRED
    return session.status
