"""Finishing a payment that waited for the buyer's 3-D Secure challenge."""

from __future__ import annotations

import structlog
from sqlalchemy import select

from till.http.context import AppContext
from till.payments import transitions as payments
from till.payments.attempt import PayAttempt
from till.payments.models import Payment
from till.payments.processors import (
    ActionTokenExpired,
    ChargeOutcome,
    ChargeStatus,
    FailureCode,
    InvalidActionToken,
)
from till.payments.settle import action_digest, attempt_of, settle
from till.payments.startup import processor_of

log = structlog.get_logger(__name__)


async def complete_action(
    ctx: AppContext, action_token: str, approved: bool
) -> PayAttempt:
    """Settle the payment behind ``action_token`` with the challenge's result.

    Called by the challenge page when the buyer approves or fails it. A
    token completed before (a reload, a double click, a second tab) changes
    nothing and returns the attempt as it stands: the payment's conditional
    status move lets exactly one completion count. A challenge the buyer took
    too long over fails the payment (``authentication_failed``); the buyer
    may try again on the session.

    Raises InvalidActionToken (400) for a token no payment is waiting on.
    """
    async with ctx.sessions() as db:
        payment = await db.scalar(
            select(Payment).where(
                Payment.action_token_hash == action_digest(action_token)
            )
        )
    if payment is None:
        raise InvalidActionToken("no payment is waiting for it")
    if payment.status != payments.REQUIRES_ACTION:
        log.info(
            "payment.action_replayed", payment_id=payment.id, status=payment.status
        )
        return await attempt_of(ctx, payment.id)
    outcome = await _outcome(ctx, payment, action_token, approved)
    return await settle(ctx, payment.id, outcome, payments.REQUIRES_ACTION)


async def _outcome(
    ctx: AppContext, payment: Payment, action_token: str, approved: bool
) -> ChargeOutcome:
    failed = ChargeOutcome.failed(
        payment.processor_ref or "", FailureCode.AUTHENTICATION_FAILED
    )
    try:
        outcome = await processor_of(ctx).complete_action(action_token, approved)
    except ActionTokenExpired:
        log.info("payment.action_expired", payment_id=payment.id)
        return failed
    # A processor never asks twice; if one did, nobody is left to answer.
    if outcome.status is ChargeStatus.REQUIRES_CUSTOMER_ACTION:
        return failed
    return outcome
