from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime

# A deleted code frees its text for a new discount, so uniqueness covers only
# the discounts that are not deleted.
_LIVE = text("deleted_at IS NULL")


class Discount(Base):
    __tablename__ = "discounts"
    __table_args__ = (
        Index(
            "uq_discounts_code",
            "merchant_id",
            "mode",
            "code",
            unique=True,
            postgresql_where=_LIVE,
            sqlite_where=_LIVE,
        ),
        Index("ix_discounts_owner", "merchant_id", "mode", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"))
    mode: Mapped[str] = mapped_column(String(4))
    # Always uppercase; buyers' input is uppercased before it is compared.
    code: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(16))
    # Basis points for ``percentage``; minor units of ``currency`` for ``flat``.
    amount: Mapped[int] = mapped_column(BigInteger)
    # Only flat codes carry one; a flat code without it counts in the minor
    # units of whatever currency the cart is priced in.
    currency: Mapped[str | None] = mapped_column(String(3))
    usage_limit: Mapped[int | None]
    times_used: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    restricted_to: Mapped[list[Any]] = mapped_column(default=list)
    subscription_cycles: Mapped[int | None]
    name: Mapped[str | None] = mapped_column(String(200))
    preserve_on_plan_change: Mapped[bool] = mapped_column(default=False)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
