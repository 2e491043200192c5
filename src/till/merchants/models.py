from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime


class Merchant(Base):
    """A business selling through Till; ``business_id`` on the wire."""

    __tablename__ = "merchants"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Where the merchant is established: decides reverse charge for B2B buyers.
    country: Mapped[str] = mapped_column(String(2), default="US")
    locale: Mapped[str] = mapped_column(String(16), default="en")
    default_return_url: Mapped[str | None] = mapped_column(String(2000))
    allowed_return_hosts: Mapped[list[Any]] = mapped_column(default=list)
    embed_origins: Mapped[list[Any]] = mapped_column(default=list)
    # Theme and theme_config the hosted page uses where a session sets none.
    checkout_theme: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiKey(Base):
    """A secret key; only its SHA-256 digest is kept.

    Keys carry 190 bits of randomness, so a fast digest is enough: there is
    nothing to brute-force that a slow password hash would protect.
    """

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    mode: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(200), default="")
    display_prefix: Mapped[str] = mapped_column(String(40))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
