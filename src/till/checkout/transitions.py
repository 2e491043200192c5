"""The moves of a session's state machine, one conditional UPDATE each.

::

    open ──complete──▶ completed      (paid while still inside its time)
      └────expire────▶ expired        (ended early, or found past its time)

Each function returns whether its UPDATE changed the row: when two requests
race (two buyers pay, a buyer pays while the merchant expires the session),
the database lets exactly one win, and the loser reads ``False``.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy import case, literal, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.models import COMPLETED, EXPIRED, OPEN, CheckoutSession

log = structlog.get_logger(__name__)


async def complete(
    db: AsyncSession, session_id: str, payment_id: str, moment: datetime
) -> bool:
    """open → completed, only while ``expires_at`` is still ahead."""
    result = await db.execute(
        update(CheckoutSession)
        .where(
            CheckoutSession.id == session_id,
            CheckoutSession.status == OPEN,
            CheckoutSession.expires_at > moment,
        )
        .values(
            status=COMPLETED,
            payment_id=payment_id,
            payment_status="succeeded",
            completed_at=moment,
            last_activity_at=moment,
        )
        .execution_options(synchronize_session=False)
    )
    won = _won(result)
    if won:
        log.info("checkout.session_completed", session_id=session_id)
    return won


async def expire(db: AsyncSession, session_id: str, moment: datetime) -> bool:
    """open → expired at once; ``expires_at`` is brought forward to ``moment``."""
    result = await db.execute(
        update(CheckoutSession)
        .where(CheckoutSession.id == session_id, CheckoutSession.status == OPEN)
        .values(
            status=EXPIRED,
            expires_at=case(
                (
                    CheckoutSession.expires_at > moment,
                    literal(moment, CheckoutSession.expires_at.type),
                ),
                else_=CheckoutSession.expires_at,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    won = _won(result)
    if won:
        log.info("checkout.session_expired", session_id=session_id)
    return won


async def touch(db: AsyncSession, session_id: str, moment: datetime) -> bool:
    """Record buyer activity on an open session (abandonment is measured
    from the last activity)."""
    result = await db.execute(
        update(CheckoutSession)
        .where(CheckoutSession.id == session_id, CheckoutSession.status == OPEN)
        .values(last_activity_at=moment)
        .execution_options(synchronize_session=False)
    )
    return _won(result)


def _won(result: object) -> bool:
    return int(getattr(result, "rowcount", 0)) == 1
