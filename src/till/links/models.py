from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime


class ShortLink(Base):
    """A named URL, ``/l/{slug}``, for one product with saved parameters.

    The slug is unique across all merchants because the short URL carries
    nothing else to tell merchants apart. Completed payments are not counted
    here: they are counted from the sessions that carry this link's id, so
    there is no second number that could drift from the sessions.
    """

    __tablename__ = "short_links"
    __table_args__ = (
        Index("ix_short_links_owner", "merchant_id", "mode", "created_at"),
        Index("uq_short_links_slug", "slug", unique=True),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"))
    mode: Mapped[str] = mapped_column(String(4))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    # Query parameters as a visit would send them, e.g. {"quantity": "2"}.
    params: Mapped[dict[str, Any]] = mapped_column("static_checkout_params")
    active: Mapped[bool] = mapped_column(default=True)
    inactive_message: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_limit: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
