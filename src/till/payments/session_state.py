"""The payment columns of a checkout session, moved by conditional UPDATEs.

A session takes one pay attempt at a time. :func:`claim` marks it
``processing`` for one payment id; a second attempt finds the claim and is
refused until the first ends. A claim left ``processing`` longer than
:data:`STALE_CLAIM` belongs to a process that died mid-charge and may be
taken over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.models import OPEN, CheckoutSession

STALE_CLAIM = timedelta(minutes=2)


def _won(result: object) -> bool:
    return int(getattr(result, "rowcount", 0)) == 1


async def claim(
    db: AsyncSession,
    session: CheckoutSession,
    payment_id: str,
    moment: datetime,
    max_attempts: int,
) -> bool:
    """Claim an open session for ``payment_id``.

    Wins only if nobody claimed it since ``session`` was read (its
    ``payment_id`` is unchanged), no attempt is running (none, the last one
    failed or waits for a 3-D Secure challenge the new attempt replaces, or
    a stale claim), and the per-session attempt cap is not reached.
    """
    table = CheckoutSession
    seen = (
        table.payment_id.is_(None)
        if session.payment_id is None
        else table.payment_id == session.payment_id
    )
    free = or_(
        table.payment_status.is_(None),
        table.payment_status.in_(("failed", "requires_customer_action")),
        and_(
            table.payment_status == "processing",
            table.pay_attempt_started_at < moment - STALE_CLAIM,
        ),
    )
    result = await db.execute(
        update(table)
        .where(
            table.id == session.id,
            table.status == OPEN,
            table.expires_at > moment,
            table.pay_attempts < max_attempts,
            seen,
            free,
        )
        .values(
            payment_id=payment_id,
            payment_status="processing",
            pay_attempt_started_at=moment,
            pay_attempts=table.pay_attempts + 1,
            last_activity_at=moment,
        )
        .execution_options(synchronize_session=False)
    )
    return _won(result)


async def set_status(
    db: AsyncSession, session_id: str, payment_id: str, status: str, moment: datetime
) -> bool:
    """Report ``payment_id``'s status on its open session, if it still holds
    the claim."""
    result = await db.execute(
        update(CheckoutSession)
        .where(
            CheckoutSession.id == session_id,
            CheckoutSession.payment_id == payment_id,
            CheckoutSession.status == OPEN,
        )
        .values(payment_status=status, last_activity_at=moment)
        .execution_options(synchronize_session=False)
    )
    return _won(result)


async def note_buyer(
    db: AsyncSession,
    session_id: str,
    customer_id: str,
    email: str,
    name: str,
    moment: datetime,
) -> None:
    """After completion: who paid, as ``GET /checkouts/{id}`` reports it."""
    await db.execute(
        update(CheckoutSession)
        .where(CheckoutSession.id == session_id)
        .values(
            customer_id=customer_id,
            customer_email=email,
            customer_name=name or None,
            completed_at=moment,
            last_activity_at=moment,
        )
        .execution_options(synchronize_session=False)
    )
