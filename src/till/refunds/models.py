"""Refunds: money given back on a succeeded payment, in whole or by line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime


class Refund(Base):
    __tablename__ = "refunds"
    __table_args__ = (
        Index("ix_refunds_owner", "merchant_id", "mode", "created_at"),
        Index("ix_refunds_payment_id", "payment_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"))
    mode: Mapped[str] = mapped_column(String(4))
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    # succeeded or failed (the processor answers at once; "pending" and
    # "review" of the wire format are not used yet).
    status: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    is_partial: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(Text)
    # What each cart line gave back: [{"item_id": product id, "amount": n}],
    # tax included; a whole refund lists every line it emptied.
    items: Mapped[list[Any]] = mapped_column(default=list)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    processor_ref: Mapped[str | None] = mapped_column(String(100))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
