"""Abandoned checkouts: detected once, recovered once.

A checkout session is abandoned when, ``TILL_ABANDONED_AFTER_MINUTES``
(default 60) after the buyer's last activity, it is still unpaid: nobody paid,
the last payment failed and was not retried, or a 3-D Secure challenge was
left unanswered. A payment still ``processing`` is not abandonment. Sessions
that expired unpaid count too, since a 15-minute ``confirm`` session always
expires before the hour is up.

``abandoned_at`` is set by one conditional ``UPDATE``; the worker that wins it
records ``abandoned_checkout.detected`` in the same transaction, so several
workers never report one session twice. ``recovered_at`` works the same way
for ``abandoned_checkout.recovered`` when such a session is paid later.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from till.checkout.models import COMPLETED, CheckoutSession
from till.events import EventType
from till.http.context import AppContext
from till.webhooks.outbox import record_event, wire_time

log = structlog.get_logger(__name__)

BATCH = 200
# A payment in one of these states is over or stalled on the buyer's side.
UNPAID = ("failed", "requires_customer_action")


def _abandonable(cutoff: datetime) -> list[Any]:
    return [
        CheckoutSession.status != COMPLETED,
        CheckoutSession.abandoned_at.is_(None),
        CheckoutSession.last_activity_at <= cutoff,
        or_(
            CheckoutSession.payment_status.is_(None),
            CheckoutSession.payment_status.in_(UNPAID),
        ),
    ]


async def detect_abandoned(ctx: AppContext) -> int:
    """Mark and report every session abandoned as of now; returns how many."""
    moment = ctx.clock.now()
    cutoff = moment - timedelta(minutes=ctx.settings.abandoned_after_minutes)
    total = 0
    while True:
        async with ctx.sessions() as db:
            seen, won = await _detect_batch(db, cutoff, moment)
            await db.commit()
        total += won
        if seen < BATCH:
            return total


async def _detect_batch(
    db: AsyncSession, cutoff: datetime, moment: datetime
) -> tuple[int, int]:
    sessions = list(
        await db.scalars(
            select(CheckoutSession)
            .where(*_abandonable(cutoff))
            .order_by(CheckoutSession.last_activity_at)
            .limit(BATCH)
        )
    )
    won = 0
    for session in sessions:
        if await _mark_abandoned(db, session, cutoff, moment):
            await _report(db, session, EventType.ABANDONED_CHECKOUT_DETECTED, moment)
            won += 1
    return len(sessions), won


async def _mark_abandoned(
    db: AsyncSession, session: CheckoutSession, cutoff: datetime, moment: datetime
) -> bool:
    result = await db.execute(
        update(CheckoutSession)
        .where(CheckoutSession.id == session.id, *_abandonable(cutoff))
        .values(abandoned_at=moment)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # The row is already updated; only the loaded copy needs the value.
    set_committed_value(session, "abandoned_at", moment)
    log.info(
        "checkout.abandoned",
        session_id=session.id,
        merchant_id=session.merchant_id,
    )
    return True


async def on_session_completed(
    db: AsyncSession, session: CheckoutSession, moment: datetime
) -> bool:
    """Call inside the payment's transaction once ``session`` is completed.

    Records ``abandoned_checkout.recovered`` if the session had been reported
    abandoned and not yet recovered; returns whether it did. Flushes first,
    so the completed state and ``payment_id`` are what the event reports.
    """
    await db.flush()
    result = await db.execute(
        update(CheckoutSession)
        .where(
            CheckoutSession.id == session.id,
            CheckoutSession.abandoned_at.is_not(None),
            CheckoutSession.recovered_at.is_(None),
        )
        .values(recovered_at=moment)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    await db.refresh(session)
    await _report(db, session, EventType.ABANDONED_CHECKOUT_RECOVERED, moment)
    log.info(
        "checkout.recovered", session_id=session.id, merchant_id=session.merchant_id
    )
    return True


async def _report(
    db: AsyncSession, session: CheckoutSession, event_type: EventType, moment: datetime
) -> None:
    await record_event(
        db,
        merchant_id=session.merchant_id,
        mode=session.mode,
        event_type=event_type,
        data=abandoned_checkout_data(session),
        moment=moment,
    )


def abandoned_checkout_data(session: CheckoutSession) -> dict[str, Any]:
    """The event's ``data``: the session as a merchant needs it to win the
    buyer back, with the metadata the session carried."""
    recovered = session.recovered_at is not None
    return {
        "payload_type": "AbandonedCheckout",
        "checkout_session_id": session.id,
        "status": "recovered" if recovered else "abandoned",
        "abandonment_reason": _reason(session),
        "abandoned_at": _time(session.abandoned_at),
        "recovered_at": _time(session.recovered_at),
        "payment_id": session.payment_id if not recovered else None,
        "recovered_payment_id": session.payment_id if recovered else None,
        "brand_id": session.merchant_id,
        "customer_id": session.customer_id,
        "customer_email": session.customer_email,
        "customer_name": session.customer_name,
        "total_amount": session.total_amount,
        "currency": session.currency,
        "product_cart": list(session.product_cart),
        "metadata": dict(session.meta),
    }


def _reason(session: CheckoutSession) -> str:
    # Once recovered, the failed attempt before the successful one is known
    # only from the attempt count.
    if session.payment_status == "failed" or session.pay_attempts > 1:
        return "payment_failed"
    return "checkout_incomplete"


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else wire_time(moment)
