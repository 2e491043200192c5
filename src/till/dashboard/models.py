"""Who may sign in to the dashboard, and who is signed in right now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from till.db import Base, UTCDateTime


class DashboardUser(Base):
    """A person who signs in to one merchant's dashboard."""

    __tablename__ = "dashboard_users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(ForeignKey("merchants.id"), index=True)
    # Stored lowercased: one person, one account, however they type it.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Failed sign-ins since the last success; drives the lock-out delay.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DashboardSession(Base):
    """A signed-in browser. Only the SHA-256 digest of its cookie is kept.

    The cookie carries 190 random bits, so a fast digest suffices: a stolen
    copy of this table does not let anyone sign in.
    """

    __tablename__ = "dashboard_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("dashboard_users.id"), index=True)
    # The test/live switch: which mode every view shows.
    mode: Mapped[str] = mapped_column(String(4), default="test")
    # Echoed in every form; a cross-site page cannot read it.
    csrf_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
