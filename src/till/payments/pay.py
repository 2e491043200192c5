"""Paying a checkout session: exactly one successful payment per session.

An attempt goes through five short steps, none of which holds a transaction
open while the processor is asked::

    prepare   read the session, check the limits and the buyer's details,
              re-price the cart with them (the total the page showed)
    customer  find or create the customer (its own transaction)
    claim     one conditional UPDATE marks the session "processing" for a new
              payment id, and the payment row is inserted as "processing";
              a second attempt finds the claim and gets 409
    charge    the processor, outside any transaction
    settle    record the outcome (``settle.py``); a success completes the
              session in the same transaction, or is undone and refunded

Whatever the interleaving (double clicks, two tabs, twenty concurrent
requests), the claim lets one attempt run at a time and the session's own
``open → completed`` move lets one payment complete it.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.models import CheckoutSession
from till.checkout.quoting import quote_for_session
from till.checkout.service import ensure_open, get_public_session
from till.core.errors import TillError
from till.core.ids import new_id
from till.customers.models import Customer
from till.events import EventType
from till.http.context import AppContext
from till.payments import session_state
from till.payments import transitions as payments
from till.payments.applied import discount_details
from till.payments.attempt import PayAttempt, return_redirect
from till.payments.buyer import BuyerDetails, CheckedBuyer, check_buyer
from till.payments.customer import resolve_customer
from till.payments.errors import PaymentInProgress, TooManyPayAttempts
from till.payments.limits import (
    PayLimits,
    check_limits,
    client_fingerprint,
    limits_of,
)
from till.payments.models import Payment
from till.payments.processors import (
    CardInput,
    ChargeOutcome,
    ChargeRequest,
    FailureCode,
    ProcessorUnavailable,
)
from till.payments.settle import announce_payment, settle
from till.payments.startup import processor_of
from till.pricing import InvalidTaxId, Quote

__all__ = [
    "BuyerDetails",
    "PayAttempt",
    "action_return_url",
    "pay_session",
    "return_redirect",
]

log = structlog.get_logger(__name__)


def action_return_url(ctx: AppContext, session_id: str) -> str:
    """Where a 3-D Secure challenge sends the buyer back: the session's page."""
    return f"{ctx.settings.public_url}/session/{session_id}"


async def pay_session(
    ctx: AppContext,
    session_id: str,
    buyer: BuyerDetails,
    card: CardInput,
    client_ip: str,
) -> PayAttempt:
    """Charge ``card`` for the session's cart as re-priced with ``buyer``.

    Returns the attempt: succeeded, failed (a decline the buyer can act on;
    the session stays open for another try) or requires_customer_action.

    Raises SessionNotFound (404), SessionExpired / SessionCompleted /
    PaymentInProgress (409), TooManyPayAttempts (429), and FieldInvalid or a
    pricing error (4xx naming the field) for details the buyer must correct.
    """
    moment = ctx.clock.now()
    limits = limits_of(ctx)
    fingerprint = client_fingerprint(ctx.settings.secret_bytes, client_ip)
    async with ctx.sessions() as db:
        session = await get_public_session(db, session_id)
        _ensure_payable(session, moment)
        await check_limits(db, session, fingerprint, moment, limits)
        checked, quote = await _prepare(db, session, buyer, card, moment)
    customer = await resolve_customer(ctx, session, checked, moment)
    payment = await _claim(ctx, session, checked, quote, customer, fingerprint, limits)
    outcome = await _charge(ctx, session, payment, quote, card)
    return await settle(ctx, payment.id, outcome, payments.PROCESSING)


async def _prepare(
    db: AsyncSession,
    session: CheckoutSession,
    buyer: BuyerDetails,
    card: CardInput,
    moment: datetime,
) -> tuple[CheckedBuyer, Quote]:
    checked = check_buyer(session, buyer, card)
    quote = await quote_for_session(
        db,
        session,
        moment=moment,
        billing_address=checked.billing,
        tax_id=checked.tax_id or "",
        discount_codes=checked.discount_codes,
        amounts=checked.amounts,
    )
    # A buyer who gave a tax id must not be charged as a consumer without
    # knowing: the page shows the reason and the buyer fixes or removes it.
    if checked.tax_id and quote.tax_id_err_msg is not None:
        raise InvalidTaxId(quote.tax_id_err_msg)
    return checked, quote


def _ensure_payable(session: CheckoutSession, moment: datetime) -> None:
    ensure_open(session, moment)
    if _running(session, moment):
        raise PaymentInProgress(session.id)


def _running(session: CheckoutSession, moment: datetime) -> bool:
    started = session.pay_attempt_started_at
    return (
        session.payment_status == payments.PROCESSING
        and started is not None
        and started >= moment - session_state.STALE_CLAIM
    )


async def _claim(
    ctx: AppContext,
    session: CheckoutSession,
    buyer: CheckedBuyer,
    quote: Quote,
    customer: Customer,
    fingerprint: str,
    limits: PayLimits,
) -> Payment:
    moment = ctx.clock.now()
    payment_id = new_id("pay")
    async with ctx.sessions() as db:
        await _retire_previous(db, session, moment)
        won = await session_state.claim(
            db, session, payment_id, moment, limits.per_session
        )
        if not won:
            await db.rollback()
            raise await _refusal(db, session.id, moment, limits)
        payment = await _new_payment(
            db, payment_id, session, buyer, quote, customer, moment
        )
        payment.client_ip_hash = fingerprint
        db.add(payment)
        await db.commit()
    log.info(
        "payment.attempt_started",
        merchant_id=session.merchant_id,
        session_id=session.id,
        payment_id=payment_id,
        total_amount=payment.total_amount,
        currency=payment.currency,
    )
    return payment


async def _retire_previous(
    db: AsyncSession, session: CheckoutSession, moment: datetime
) -> None:
    """End the attempt a new one replaces, in the claim's transaction.

    A 3-D Secure challenge the buyer walked away from is cancelled, so it can
    no longer complete the session; a claim left by a process that died
    mid-charge is marked failed. If the claim then loses, the rollback
    undoes this too.

    Known shortcoming: a process that died after the processor charged but
    before recording it leaves a charge nobody refunds; the failed payment
    keeps its id, which the processor saw, for a person to reconcile. Asking
    the processor for the charge's state by payment id before failing it
    would close the gap once an adapter can answer that.
    """
    previous = session.payment_id
    if previous is None:
        return
    if session.payment_status == payments.REQUIRES_ACTION:
        target, event = payments.CANCELLED, EventType.PAYMENT_CANCELLED
        message = "Replaced by a new payment attempt before 3-D Secure finished."
        code = "replaced"
    elif _running(session, moment) or session.payment_status != payments.PROCESSING:
        return
    else:
        target, event = payments.FAILED, EventType.PAYMENT_FAILED
        message = FailureCode.PROCESSING_ERROR.message
        code = FailureCode.PROCESSING_ERROR.value
    source = session.payment_status
    assert source is not None
    if await payments.move(
        db, previous, (source,), target, moment, error_code=code, error_message=message
    ):
        payment = await db.get(Payment, previous)
        assert payment is not None
        await announce_payment(db, payment, event, moment)


async def _refusal(
    db: AsyncSession, session_id: str, moment: datetime, limits: PayLimits
) -> TillError:
    """Why the claim lost, read from the session as it now stands."""
    session = await db.get(CheckoutSession, session_id, populate_existing=True)
    assert session is not None
    try:
        ensure_open(session, moment)
    except TillError as closed:
        return closed
    if session.pay_attempts >= limits.per_session:
        return TooManyPayAttempts("on this checkout")
    return PaymentInProgress(session_id)


async def _new_payment(
    db: AsyncSession,
    payment_id: str,
    session: CheckoutSession,
    buyer: CheckedBuyer,
    quote: Quote,
    customer: Customer,
    moment: datetime,
) -> Payment:
    discount_ids = [applied.discount_id for applied in quote.discounts_applied]
    return Payment(
        id=payment_id,
        merchant_id=session.merchant_id,
        mode=session.mode,
        checkout_session_id=session.id,
        customer_id=customer.id,
        status=payments.PROCESSING,
        total_amount=quote.total_price,
        tax=quote.total_tax,
        currency=quote.currency,
        quote=quote.to_dict(),
        billing=buyer.billing,
        product_cart=[
            {"product_id": line.product_id, "quantity": line.quantity}
            for line in quote.lines
        ],
        discounts=await discount_details(db, discount_ids),
        meta=dict(session.meta or {}),
        custom_field_responses=buyer.custom_field_responses,
        tax_id=buyer.tax_id,
        customer_business_name=buyer.business_name,
        subscription_ids=[],
        service_periods=[],
        created_at=moment,
        updated_at=moment,
    )


async def _charge(
    ctx: AppContext,
    session: CheckoutSession,
    payment: Payment,
    quote: Quote,
    card: CardInput,
) -> ChargeOutcome:
    """Ask the processor; a processor that cannot be reached is a failed
    attempt the buyer may retry, never a payment left "processing"."""
    request = ChargeRequest(
        payment_id=payment.id,
        amount=payment.total_amount,
        currency=payment.currency,
        card=card,
        action_return_url=action_return_url(ctx, session.id),
        force_3ds=bool((session.options or {}).get("force_3ds")),
        # Renewals charge the card again later, so subscriptions keep it.
        save_method=any(line.is_subscription for line in quote.lines),
    )
    unreachable = ChargeOutcome.failed("", FailureCode.PROCESSING_ERROR)
    try:
        return await processor_of(ctx).charge(request)
    except ProcessorUnavailable as exc:
        log.warning(
            "payment.processor_unavailable", payment_id=payment.id, detail=exc.detail
        )
        return unreachable
    except Exception:
        # Release the session before the error reaches the caller, so the
        # buyer can try again at once instead of after the stale-claim delay.
        await settle(ctx, payment.id, unreachable, payments.PROCESSING)
        raise
