from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (Index("ix_products_owner", "merchant_id", "mode", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"))
    mode: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(String(2000))
    tax_category: Mapped[str] = mapped_column(String(32))
    is_recurring: Mapped[bool]
    currency: Mapped[str] = mapped_column(String(3))
    # The unit price (the minimum for pay-what-you-want), also inside ``price``;
    # kept as a column so lists can sort and show it without parsing JSON.
    amount: Mapped[int] = mapped_column(BigInteger)
    # The price object exactly as the wire format describes it.
    price: Mapped[dict[str, Any]]
    archived: Mapped[bool] = mapped_column(default=False)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
