"""Reading sessions, and ending one on the merchant's request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout import transitions
from till.checkout.errors import SessionCompleted, SessionExpired, SessionNotFound
from till.checkout.models import (
    COMPLETED,
    EXPIRED,
    OPEN,
    CheckoutSession,
    effective_status,
)
from till.core.clock import as_utc
from till.http.pagination import Page
from till.merchants.keys import Principal

Status = Literal["open", "completed", "expired"]
Origin = Literal["api", "link"]
ORIGINS: tuple[Origin, ...] = ("api", "link")


async def get_session(
    db: AsyncSession, who: Principal, session_id: str
) -> CheckoutSession:
    """A session of the caller's merchant and mode; anyone else's is 404."""
    session = await _find(db, session_id)
    if session is None or not who.owns(session):
        raise SessionNotFound(session_id)
    return session


async def get_public_session(db: AsyncSession, session_id: str) -> CheckoutSession:
    """A session by id alone, for the hosted page: the id is the secret."""
    session = await _find(db, session_id)
    if session is None:
        raise SessionNotFound(session_id)
    return session


async def _find(db: AsyncSession, session_id: str) -> CheckoutSession | None:
    # An id from a URL may hold anything; PostgreSQL refuses some characters
    # (NUL) outright, and none of them can be in an id.
    if len(session_id) > 64 or not session_id.isascii() or not session_id.isprintable():
        return None
    return await db.get(CheckoutSession, session_id)


def ensure_open(session: CheckoutSession, moment: datetime) -> None:
    """Refuse any change to a session that is paid or past its time."""
    status = effective_status(session, moment)
    if status == COMPLETED:
        raise SessionCompleted(session.id)
    if status == EXPIRED:
        raise SessionExpired(session.id)


async def expire_session(
    db: AsyncSession, who: Principal, session_id: str, moment: datetime
) -> CheckoutSession:
    """End an open session now. A paid one is 409 SESSION_ALREADY_COMPLETED,
    an ended one 409 SESSION_EXPIRED."""
    session = await get_session(db, who, session_id)
    ensure_open(session, moment)
    if not await transitions.expire(db, session_id, moment):
        # Paid or ended between the read and the UPDATE: report what won.
        await db.refresh(session)
        ensure_open(session, moment)
    await db.refresh(session)
    return session


async def list_sessions(
    db: AsyncSession,
    who: Principal,
    page: Page,
    moment: datetime,
    *,
    status: Status | None = None,
    origin: Origin | None = None,
    created_at_gte: datetime | None = None,
    created_at_lte: datetime | None = None,
    abandoned: bool | None = None,
) -> list[CheckoutSession]:
    """Sessions newest first; ``status`` is judged as of ``moment``.

    ``abandoned=True`` keeps the unpaid sessions the abandonment check has
    marked (``abandoned_at`` set), ``False`` every other session.
    """
    query = select(CheckoutSession).where(
        CheckoutSession.merchant_id == who.merchant_id,
        CheckoutSession.mode == who.mode,
    )
    if status is not None:
        query = query.where(_status_is(status, moment))
    if abandoned is not None:
        query = query.where(_abandoned() if abandoned else ~_abandoned())
    if origin is not None:
        query = query.where(CheckoutSession.origin == origin)
    if created_at_gte is not None:
        query = query.where(CheckoutSession.created_at >= as_utc(created_at_gte))
    if created_at_lte is not None:
        query = query.where(CheckoutSession.created_at <= as_utc(created_at_lte))
    query = query.order_by(CheckoutSession.created_at.desc(), CheckoutSession.id)
    return list(await db.scalars(page.apply(query)))


@dataclass(frozen=True)
class OriginCounts:
    """Sessions created in a window, and how many of them were paid or
    marked abandoned (an abandoned session that was paid later is paid)."""

    created: int
    paid: int
    abandoned: int


async def count_by_origin(
    db: AsyncSession, who: Principal, *, created_at_gte: datetime
) -> dict[str, OriginCounts]:
    """The checkout funnel per origin (``api``, ``link``), in one query."""
    paid = CheckoutSession.status == COMPLETED
    rows = await db.execute(
        select(
            CheckoutSession.origin,
            func.count(),
            func.count(case((paid, 1))),
            func.count(case((_abandoned(), 1))),
        )
        .where(
            CheckoutSession.merchant_id == who.merchant_id,
            CheckoutSession.mode == who.mode,
            CheckoutSession.created_at >= as_utc(created_at_gte),
        )
        .group_by(CheckoutSession.origin)
    )
    found = {str(o): OriginCounts(int(c), int(p), int(a)) for o, c, p, a in rows}
    return {origin: found.get(origin, OriginCounts(0, 0, 0)) for origin in ORIGINS}


def _abandoned() -> ColumnElement[bool]:
    return and_(
        CheckoutSession.status != COMPLETED, CheckoutSession.abandoned_at.is_not(None)
    )


def _status_is(status: Status, moment: datetime) -> ColumnElement[bool]:
    past = CheckoutSession.expires_at <= moment
    if status == OPEN:
        return and_(CheckoutSession.status == OPEN, ~past)
    if status == EXPIRED:
        return or_(
            CheckoutSession.status == EXPIRED,
            and_(CheckoutSession.status == OPEN, past),
        )
    return CheckoutSession.status == COMPLETED


def checkout_url(public_url: str, session_id: str) -> str:
    """Where the buyer pays: the hosted page of the session."""
    return f"{public_url}/session/{session_id}"
