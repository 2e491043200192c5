"""Recording what the processor answered, once.

Both a fresh charge (``pay.py``) and a finished 3-D Secure challenge
(``complete.py``) end here. Each outcome is one transaction that opens with
the payment's conditional status move, so whoever loses a race (a replayed
challenge, a completion racing a new attempt) writes nothing and reports the
state the winner left.

A success also completes the checkout session. That move must win too; when
it does not (another payment completed the session, or it was ended), or a
discount code's last use went to someone else meanwhile, the whole
transaction is rolled back, the payment is recorded as cancelled and the
charge is refunded: a buyer is never charged without a completed purchase.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout import transitions as sessions
from till.checkout.models import CheckoutSession, effective_status
from till.core.errors import TillError
from till.core.ids import new_id
from till.customers.models import Customer
from till.discounts.service import consume_usage
from till.events import EventType
from till.http.context import AppContext
from till.payments import session_state
from till.payments import transitions as payments
from till.payments.applied import discount_details
from till.payments.attempt import PayAttempt, return_redirect
from till.payments.models import Payment
from till.payments.processors import ChargeOutcome, ChargeStatus, FailureCode
from till.payments.schemas import payment_out
from till.payments.startup import processor_of
from till.pricing import DiscountRefused, Quote
from till.subscriptions.models import Subscription
from till.subscriptions.schemas import subscription_out
from till.subscriptions.start import start_subscriptions
from till.webhooks.abandoned import on_session_completed
from till.webhooks.outbox import record_event

log = structlog.get_logger(__name__)


class PurchaseLost(Exception):
    """The charge succeeded but the purchase cannot be completed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_FAULT = PurchaseLost(
    "processing_error",
    "Something went wrong while recording your payment. You have not been "
    "charged; please try again.",
)


def action_digest(action_token: str) -> str:
    return hashlib.sha256(action_token.encode()).hexdigest()


async def settle(
    ctx: AppContext, payment_id: str, outcome: ChargeOutcome, source: str
) -> PayAttempt:
    """Record ``outcome`` for a payment currently in status ``source``."""
    if outcome.status is ChargeStatus.SUCCEEDED:
        return await _succeed(ctx, payment_id, outcome, source)
    if outcome.status is ChargeStatus.FAILED:
        code = outcome.error_code or FailureCode.PROCESSING_ERROR
        message = outcome.error_message or code.message
        return await _fail(ctx, payment_id, outcome, source, code.value, message)
    return await _await_action(ctx, payment_id, outcome, source)


async def attempt_of(ctx: AppContext, payment_id: str) -> PayAttempt:
    """The attempt as the payment row now stands (for the loser of a race,
    or a replayed 3-D Secure completion)."""
    async with ctx.sessions() as db:
        payment = await db.get(Payment, payment_id)
        assert payment is not None and payment.checkout_session_id is not None
        session = await db.get(CheckoutSession, payment.checkout_session_id)
        assert session is not None
    return _attempt(payment, session)


def _attempt(payment: Payment, session: CheckoutSession) -> PayAttempt:
    if payment.status == payments.SUCCEEDED:
        redirect = None
        if session.return_url:
            redirect = return_redirect(
                session.return_url, session.id, payment.id, "succeeded"
            )
        return PayAttempt("succeeded", session.id, payment.id, redirect_url=redirect)
    if payment.status == payments.REQUIRES_ACTION:
        return PayAttempt("requires_customer_action", session.id, payment.id)
    return PayAttempt(
        "failed",
        session.id,
        payment.id,
        error_code=payment.error_code,
        error_message=payment.error_message,
    )


def _card_values(outcome: ChargeOutcome) -> dict[str, Any]:
    values: dict[str, Any] = {"processor_ref": outcome.processor_ref or None}
    card = outcome.card
    if card is not None:
        values.update(
            card_brand=card.brand.value,
            card_last4=card.last4,
            card_exp_month=card.exp_month,
            card_exp_year=card.exp_year,
            card_holder_name=card.holder_name,
        )
    return values


# Success ---------------------------------------------------------------


async def _succeed(
    ctx: AppContext, payment_id: str, outcome: ChargeOutcome, source: str
) -> PayAttempt:
    moment = ctx.clock.now()
    values = _card_values(outcome)
    values.update(error_code=None, error_message=None)
    if outcome.method_token is not None:
        values.update(method_token=outcome.method_token, payment_method_id=new_id("pm"))
    if source == payments.REQUIRES_ACTION:
        values["three_ds_status"] = "authenticated"
    async with ctx.sessions() as db:
        if not await payments.move(
            db, payment_id, (source,), payments.SUCCEEDED, moment, **values
        ):
            await db.rollback()
            return await _lost_race(ctx, payment_id, outcome)
        try:
            payment, session = await _complete_purchase(db, payment_id, moment)
        except (PurchaseLost, DiscountRefused) as lost:
            await db.rollback()
            return await _undo(ctx, payment_id, outcome, source, _lost(lost))
        except Exception:
            # A fault while recording must not keep money the books do not
            # show: the charge is undone and the buyer may simply try again.
            log.exception("payment.recording_failed", payment_id=payment_id)
            await db.rollback()
            return await _undo(ctx, payment_id, outcome, source, _FAULT)
        await db.commit()
    log.info(
        "payment.succeeded",
        merchant_id=payment.merchant_id,
        payment_id=payment.id,
        session_id=session.id,
        total_amount=payment.total_amount,
        currency=payment.currency,
    )
    return _attempt(payment, session)


async def _complete_purchase(
    db: AsyncSession, payment_id: str, moment: datetime
) -> tuple[Payment, CheckoutSession]:
    payment = await db.get(Payment, payment_id)
    assert payment is not None and payment.checkout_session_id is not None
    session = await db.get(CheckoutSession, payment.checkout_session_id)
    assert session is not None
    await _complete_session(db, session, payment)
    customer = await db.get(Customer, payment.customer_id)
    assert customer is not None
    await session_state.note_buyer(
        db, session.id, customer.id, customer.email, customer.name, moment
    )

    quote = Quote.from_dict(payment.quote)
    discount_ids = [applied.discount_id for applied in quote.discounts_applied]
    await consume_usage(db, discount_ids)
    payment.discounts = await discount_details(db, discount_ids)
    subscriptions = await start_subscriptions(db, payment, session, quote, moment)
    _link(payment, subscriptions)
    await db.flush()

    await _announce(db, payment, customer, EventType.PAYMENT_SUCCEEDED, moment)
    for sub in subscriptions:
        await record_event(
            db,
            merchant_id=sub.merchant_id,
            mode=sub.mode,
            event_type=EventType.SUBSCRIPTION_ACTIVE,
            data=subscription_out(sub, customer).model_dump(mode="json"),
            moment=moment,
        )
    await on_session_completed(db, session, moment)
    return payment, session


async def _complete_session(
    db: AsyncSession, session: CheckoutSession, payment: Payment
) -> None:
    # The attempt began while the session was open; a 3-D Secure challenge
    # that ends after the session's time is still honoured, so the check is
    # made at the moment the attempt started.
    if await sessions.complete(db, session.id, payment.id, payment.created_at):
        return
    await db.refresh(session)
    if effective_status(session, payment.created_at) == "completed":
        raise PurchaseLost(
            "session_completed",
            "This checkout was already paid by another payment. "
            "You have not been charged.",
        )
    raise PurchaseLost(
        "session_expired",
        "This checkout ended before the payment finished. You have not been charged.",
    )


def _link(payment: Payment, subscriptions: list[Subscription]) -> None:
    payment.subscription_ids = [sub.id for sub in subscriptions]
    payment.subscription_id = subscriptions[0].id if len(subscriptions) == 1 else None
    payment.service_periods = [
        {
            "subscription_id": sub.id,
            "starts_at": sub.previous_billing_date.isoformat(),
            "ends_at": sub.next_billing_date.isoformat(),
        }
        for sub in subscriptions
    ]


async def _lost_race(
    ctx: AppContext, payment_id: str, outcome: ChargeOutcome
) -> PayAttempt:
    """Another move settled the payment first. If that move was not this
    success (a new attempt cancelled the challenge, a stale claim was
    failed), the money just taken belongs to nobody and goes back."""
    attempt = await attempt_of(ctx, payment_id)
    if attempt.status != "succeeded" and outcome.processor_ref:
        async with ctx.sessions() as db:
            payment = await db.get(Payment, payment_id)
        assert payment is not None
        log.warning("payment.success_after_settled", payment_id=payment_id)
        if payment.total_amount > 0:
            await _refund(ctx, payment, outcome.processor_ref)
    return attempt


def _lost(error: Exception) -> PurchaseLost:
    if isinstance(error, PurchaseLost):
        return error
    assert isinstance(error, TillError)
    return PurchaseLost(
        "discount_unavailable",
        f"{error.message} Remove the code and pay again. You have not been charged.",
    )


async def _undo(
    ctx: AppContext,
    payment_id: str,
    outcome: ChargeOutcome,
    source: str,
    lost: PurchaseLost,
) -> PayAttempt:
    """Record the payment as cancelled and give the money back."""
    moment = ctx.clock.now()
    values = _card_values(outcome)
    async with ctx.sessions() as db:
        moved = await payments.move(
            db,
            payment_id,
            (source,),
            payments.CANCELLED,
            moment,
            error_code=lost.code,
            error_message=lost.message,
            **values,
        )
        payment = await db.get(Payment, payment_id)
        assert payment is not None and payment.checkout_session_id is not None
        if moved:
            await session_state.set_status(
                db, payment.checkout_session_id, payment_id, "failed", moment
            )
            await announce_payment(db, payment, EventType.PAYMENT_CANCELLED, moment)
        await db.commit()
    log.warning(
        "payment.cancelled_after_charge",
        payment_id=payment_id,
        session_id=payment.checkout_session_id,
        reason=lost.code,
    )
    if moved and payment.total_amount > 0 and outcome.processor_ref:
        await _refund(ctx, payment, outcome.processor_ref)
    return await attempt_of(ctx, payment_id)


async def _refund(ctx: AppContext, payment: Payment, processor_ref: str) -> None:
    # Known shortcoming: this refund is not recorded as a refund object and
    # is not retried if the processor is down; it is logged for a person to
    # follow up. A refunds table with a retrying worker would close that gap.
    try:
        result = await processor_of(ctx).refund(
            processor_ref, payment.total_amount, payment.currency
        )
    except TillError as exc:
        log.error("payment.refund_failed", payment_id=payment.id, code=exc.code)
        return
    log.info(
        "payment.refunded_after_cancel",
        payment_id=payment.id,
        status=result.status.value,
        processor_ref=result.processor_ref,
    )


# Failure and customer action ------------------------------------------------


async def _fail(
    ctx: AppContext,
    payment_id: str,
    outcome: ChargeOutcome,
    source: str,
    code: str,
    message: str,
) -> PayAttempt:
    moment = ctx.clock.now()
    values = _card_values(outcome)
    values.update(error_code=code, error_message=message)
    if source == payments.REQUIRES_ACTION:
        failed_check = code == FailureCode.AUTHENTICATION_FAILED.value
        values["three_ds_status"] = "failed" if failed_check else "authenticated"
    async with ctx.sessions() as db:
        if not await payments.move(
            db, payment_id, (source,), payments.FAILED, moment, **values
        ):
            await db.rollback()
            return await attempt_of(ctx, payment_id)
        payment = await db.get(Payment, payment_id)
        assert payment is not None and payment.checkout_session_id is not None
        await session_state.set_status(
            db, payment.checkout_session_id, payment_id, "failed", moment
        )
        await announce_payment(db, payment, EventType.PAYMENT_FAILED, moment)
        await db.commit()
    log.info(
        "payment.failed",
        merchant_id=payment.merchant_id,
        payment_id=payment_id,
        session_id=payment.checkout_session_id,
        code=code,
    )
    return PayAttempt(
        "failed",
        payment.checkout_session_id,
        payment_id,
        error_code=code,
        error_message=message,
    )


async def _await_action(
    ctx: AppContext, payment_id: str, outcome: ChargeOutcome, source: str
) -> PayAttempt:
    assert outcome.action_token is not None and outcome.action_url is not None
    moment = ctx.clock.now()
    values = _card_values(outcome)
    values["action_token_hash"] = action_digest(outcome.action_token)
    async with ctx.sessions() as db:
        if not await payments.move(
            db, payment_id, (source,), payments.REQUIRES_ACTION, moment, **values
        ):
            await db.rollback()
            return await attempt_of(ctx, payment_id)
        payment = await db.get(Payment, payment_id)
        assert payment is not None and payment.checkout_session_id is not None
        await session_state.set_status(
            db,
            payment.checkout_session_id,
            payment_id,
            payments.REQUIRES_ACTION,
            moment,
        )
        await db.commit()
    log.info("payment.awaiting_customer_action", payment_id=payment_id)
    return PayAttempt(
        "requires_customer_action",
        payment.checkout_session_id,
        payment_id,
        action_url=outcome.action_url,
    )


# Events -----------------------------------------------------------------


async def _announce(
    db: AsyncSession,
    payment: Payment,
    customer: Customer,
    event: EventType,
    moment: datetime,
) -> None:
    await record_event(
        db,
        merchant_id=payment.merchant_id,
        mode=payment.mode,
        event_type=event,
        data=payment_out(payment, customer).model_dump(mode="json"),
        moment=moment,
    )


async def announce_payment(
    db: AsyncSession, payment: Payment, event: EventType, moment: datetime
) -> None:
    customer = await db.get(Customer, payment.customer_id)
    assert customer is not None
    await _announce(db, payment, customer, event, moment)
