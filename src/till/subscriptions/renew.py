"""Renewing subscriptions whose ``next_billing_date`` has come.

The worker's periodic step calls :func:`renew_due`. Each due period is won by
exactly one caller, however many workers run: one conditional ``UPDATE`` moves
the dates on only while the row is still ``active`` with the ``due`` moment
read, and its rowcount decides. The winner writes a ``processing`` payment in
that same transaction and commits before the card is charged, so a crash mid
charge leaves a trace and never a second charge. The charge itself runs
outside any transaction; its outcome is recorded in one more transaction with
its events.

A due subscription is, in this order: cancelled when a cancellation was
scheduled, expired when its subscription period has ended, otherwise charged
for the renewal. A free trial's end is its first billing moment, charged the
same way.

Not built yet, on purpose:
- Dunning: an ``on_hold`` subscription is never retried. The unpaid period
  stays due (``next_billing_date`` is put back), so a future retry or a
  reactivation would bill it.
- A renewal payment left ``processing`` by a crash between the claim and the
  outcome is not reconciled with the processor.
- A worker that was down for several periods catches up one period per step.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any, cast

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.models import CheckoutSession
from till.checkout.quoting import quote_for_session
from till.core.ids import new_id
from till.customers.models import Customer
from till.events import EventType
from till.http.context import AppContext
from till.payments import transitions as payments
from till.payments.models import Payment
from till.payments.processors import ChargeOutcome, ChargeStatus, FailureCode
from till.payments.settle import announce_payment
from till.payments.startup import processor_of
from till.pricing import Breakup, Quote, QuoteLine, add_interval
from till.pricing.inputs import Interval
from till.subscriptions.models import Subscription
from till.subscriptions.schemas import subscription_out
from till.subscriptions.start import pre_tax_amount
from till.webhooks.outbox import record_event

log = structlog.get_logger(__name__)

BATCH = 100


async def renew_due(ctx: AppContext, limit: int = BATCH) -> int:
    """Handle up to ``limit`` due subscriptions; returns how many this call
    won (renewed, put on hold, cancelled or expired)."""
    moment = ctx.clock.now()
    async with ctx.sessions() as db:
        rows = await db.execute(
            select(Subscription.id, Subscription.next_billing_date)
            .where(
                Subscription.status == "active",
                Subscription.next_billing_date <= moment,
            )
            .order_by(Subscription.next_billing_date, Subscription.id)
            .limit(limit)
        )
        due = [(row[0], row[1]) for row in rows.all()]
    won = 0
    for subscription_id, billing_moment in due:
        try:
            won += await renew_one(ctx, subscription_id, billing_moment)
        except Exception:
            # One broken subscription must not hold up the others.
            log.exception(
                "subscription.renewal_crashed", subscription_id=subscription_id
            )
    return won


async def renew_one(ctx: AppContext, subscription_id: str, due: datetime) -> bool:
    """Settle the period of ``subscription_id`` due at ``due``, if this call
    wins it; ``False`` when another caller did or nothing is due."""
    moment = ctx.clock.now()
    async with ctx.sessions() as db:
        sub = await db.get(Subscription, subscription_id)
        if sub is None or sub.status != "active" or sub.next_billing_date != due:
            return False
        if sub.cancel_at_next_billing_date:
            return await _end(db, sub, due, "cancelled", moment)
        if sub.expires_at is not None and due >= sub.expires_at:
            return await _end(db, sub, due, "expired", moment)
        following = next_billing_after(sub, due)
        if not await _claim(db, sub, due, following, moment):
            await db.rollback()
            return False
        payment = await _renewal_payment(db, sub, following, moment)
        db.add(payment)
        await db.commit()
    outcome = await _charge(ctx, sub.method_token, payment)
    if outcome.status is ChargeStatus.SUCCEEDED:
        await _record_success(ctx, payment.id, sub.id, outcome, due, following)
    else:
        await _record_failure(ctx, payment.id, sub.id, outcome, due, following)
    return True


def next_billing_after(sub: Subscription, due: datetime) -> datetime:
    """The first billing moment after ``due``, counted from the first billing
    moment (the end of any trial) so month ends do not drift."""
    anchor = sub.created_at + timedelta(days=sub.trial_period_days)
    count = sub.payment_frequency_count
    interval = cast(Interval, sub.payment_frequency_interval)
    cycle = 1
    while (moment := add_interval(anchor, cycle * count, interval)) <= due:
        cycle += 1
    return moment


# Claiming and ending ---------------------------------------------------------


async def _claim(
    db: AsyncSession,
    sub: Subscription,
    due: datetime,
    following: datetime,
    moment: datetime,
) -> bool:
    result = await db.execute(
        update(Subscription)
        .where(
            Subscription.id == sub.id,
            Subscription.status == "active",
            Subscription.next_billing_date == due,
        )
        .values(
            next_billing_date=following, previous_billing_date=due, updated_at=moment
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def _end(
    db: AsyncSession, sub: Subscription, due: datetime, status: str, moment: datetime
) -> bool:
    values: dict[str, Any] = {"status": status, "updated_at": moment}
    if status == "cancelled":
        values["cancelled_at"] = moment
    result = await db.execute(
        update(Subscription)
        .where(
            Subscription.id == sub.id,
            Subscription.status == "active",
            Subscription.next_billing_date == due,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(result, "rowcount", 0)) != 1:
        await db.rollback()
        return False
    event = (
        EventType.SUBSCRIPTION_CANCELLED
        if status == "cancelled"
        else EventType.SUBSCRIPTION_EXPIRED
    )
    await _announce(db, sub.id, event, moment)
    await db.commit()
    log.info(
        f"subscription.{status}", merchant_id=sub.merchant_id, subscription_id=sub.id
    )
    return True


# The renewal payment ---------------------------------------------------------


async def _renewal_payment(
    db: AsyncSession, sub: Subscription, following: datetime, moment: datetime
) -> Payment:
    quote = await _renewal_quote(db, sub, following)
    return Payment(
        id=new_id("pay"),
        merchant_id=sub.merchant_id,
        mode=sub.mode,
        checkout_session_id=None,
        customer_id=sub.customer_id,
        status=payments.PROCESSING,
        total_amount=quote.total_price,
        tax=quote.total_tax,
        currency=sub.currency,
        quote=quote.to_dict(),
        billing=dict(sub.billing),
        product_cart=[{"product_id": sub.product_id, "quantity": sub.quantity}],
        discounts=[d for d in sub.discounts if _still_applies(d)],
        meta=dict(sub.meta or {}),
        custom_field_responses=list(sub.custom_field_responses or []),
        tax_id=sub.tax_id,
        customer_business_name=sub.customer_business_name,
        payment_method_id=sub.payment_method_id,
        subscription_id=sub.id,
        subscription_ids=[sub.id],
        service_periods=[],
        created_at=moment,
        updated_at=moment,
    )


def _still_applies(discount: dict[str, Any]) -> bool:
    remaining = discount.get("cycles_remaining")
    return remaining is None or remaining > 0


async def _renewal_quote(
    db: AsyncSession, sub: Subscription, following: datetime
) -> Quote:
    """The starting payment's quote cut down to this subscription's line,
    billed at its recurring amount.

    The subscription row keeps only the pre-tax amount; the renewal's tax was
    fixed at purchase in the quote line's ``recurring_tax`` and is reused.
    """
    first = await db.get(Payment, sub.payment_id)
    assert first is not None
    original = Quote.from_dict(first.quote)
    line = next(x for x in original.lines if x.product_id == sub.product_id)
    if sub.discount_cycles_remaining == 0:
        line = await _full_price_line(db, sub, line)
    tax = line.recurring_tax or 0
    pre_tax = pre_tax_amount(line)
    total = pre_tax if sub.tax_inclusive else pre_tax + tax
    subtotal = line.recurring_subtotal or 0
    breakup = Breakup(subtotal, subtotal - pre_tax, tax, total)
    renewal_line = dataclasses.replace(
        line,
        subtotal_amount=breakup.subtotal,
        discount_total=breakup.discount,
        tax=tax,
        total_amount=total,
        due_now=True,
        trial_period_days=None,
        next_billing_date=following,
    )
    return dataclasses.replace(
        original,
        lines=(renewal_line,),
        current_breakup=breakup,
        recurring_breakup=breakup,
        total_price=total,
        total_tax=tax,
        next_billing_date=following,
        trial_period_days=None,
        discounts_applied=(),
    )


async def _full_price_line(
    db: AsyncSession, sub: Subscription, line: QuoteLine
) -> QuoteLine:
    """The line priced without its discount, once the discount's cycles are
    used up: the same pure pricing, from the prices the session stored and
    the address the buyer paid with, with no codes."""
    session = (
        await db.get(CheckoutSession, sub.checkout_session_id)
        if sub.checkout_session_id
        else None
    )
    if session is None:
        return line
    quote = await quote_for_session(
        db,
        session,
        moment=session.created_at,
        billing_address=sub.billing or None,
        tax_id=sub.tax_id,
        discount_codes=[],
    )
    return next(x for x in quote.lines if x.product_id == sub.product_id)


async def _charge(
    ctx: AppContext, method_token: str | None, payment: Payment
) -> ChargeOutcome:
    if method_token is None:
        log.warning("subscription.no_saved_method", payment_id=payment.id)
        return ChargeOutcome.failed("", FailureCode.PROCESSING_ERROR)
    try:
        return await processor_of(ctx).charge_saved_method(
            method_token, payment.total_amount, payment.currency, payment.id
        )
    except Exception:
        # Recorded as a failed charge so the period is not silently lost.
        log.exception("subscription.renewal_charge_crashed", payment_id=payment.id)
        return ChargeOutcome.failed("", FailureCode.PROCESSING_ERROR)


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


# Recording the outcome -------------------------------------------------------


async def _record_success(
    ctx: AppContext,
    payment_id: str,
    subscription_id: str,
    outcome: ChargeOutcome,
    due: datetime,
    following: datetime,
) -> None:
    moment = ctx.clock.now()
    period = {
        "subscription_id": subscription_id,
        "starts_at": due.isoformat(),
        "ends_at": following.isoformat(),
    }
    async with ctx.sessions() as db:
        values = _card_values(outcome)
        if not await payments.move(
            db,
            payment_id,
            (payments.PROCESSING,),
            payments.SUCCEEDED,
            moment,
            service_periods=[period],
            **values,
        ):
            await db.rollback()
            return
        await _count_discount_cycle(db, subscription_id, moment)
        payment = await db.get(Payment, payment_id)
        assert payment is not None
        await announce_payment(db, payment, EventType.PAYMENT_SUCCEEDED, moment)
        await _announce(db, subscription_id, EventType.SUBSCRIPTION_RENEWED, moment)
        await db.commit()
    log.info(
        "subscription.renewed",
        merchant_id=payment.merchant_id,
        subscription_id=subscription_id,
        payment_id=payment_id,
        total_amount=payment.total_amount,
    )


async def _count_discount_cycle(
    db: AsyncSession, subscription_id: str, moment: datetime
) -> None:
    """The cycle just billed used one cycle of every limited discount."""
    sub = await db.get(Subscription, subscription_id, populate_existing=True)
    assert sub is not None
    if not sub.discounts:
        return
    discounts = [_used_one(d) for d in sub.discounts]
    remaining = sub.discount_cycles_remaining
    await db.execute(
        update(Subscription)
        .where(Subscription.id == subscription_id)
        .values(
            discounts=discounts,
            discount_cycles_remaining=None
            if remaining is None
            else max(remaining - 1, 0),
            updated_at=moment,
        )
        .execution_options(synchronize_session=False)
    )


def _used_one(discount: dict[str, Any]) -> dict[str, Any]:
    remaining = discount.get("cycles_remaining")
    if remaining is None:
        return dict(discount)
    return {**discount, "cycles_remaining": max(remaining - 1, 0)}


async def _record_failure(
    ctx: AppContext,
    payment_id: str,
    subscription_id: str,
    outcome: ChargeOutcome,
    due: datetime,
    following: datetime,
) -> None:
    moment = ctx.clock.now()
    code = outcome.error_code or FailureCode.PROCESSING_ERROR
    message = outcome.error_message or code.message
    async with ctx.sessions() as db:
        values = _card_values(outcome)
        if not await payments.move(
            db,
            payment_id,
            (payments.PROCESSING,),
            payments.FAILED,
            moment,
            error_code=code.value,
            error_message=message,
            **values,
        ):
            await db.rollback()
            return
        payment = await db.get(Payment, payment_id)
        assert payment is not None
        await announce_payment(db, payment, EventType.PAYMENT_FAILED, moment)
        if await _hold(db, subscription_id, due, following, moment):
            await _announce(db, subscription_id, EventType.SUBSCRIPTION_ON_HOLD, moment)
        await db.commit()
    log.warning(
        "subscription.renewal_failed",
        merchant_id=payment.merchant_id,
        subscription_id=subscription_id,
        payment_id=payment_id,
        code=code.value,
    )


async def _hold(
    db: AsyncSession,
    subscription_id: str,
    due: datetime,
    following: datetime,
    moment: datetime,
) -> bool:
    # The unpaid period stays due: next_billing_date goes back to ``due``.
    # previous_billing_date keeps ``due`` too (the period that was attempted).
    result = await db.execute(
        update(Subscription)
        .where(
            Subscription.id == subscription_id,
            Subscription.status == "active",
            Subscription.next_billing_date == following,
        )
        .values(status="on_hold", next_billing_date=due, updated_at=moment)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def _announce(
    db: AsyncSession, subscription_id: str, event: EventType, moment: datetime
) -> None:
    sub = await db.get(Subscription, subscription_id, populate_existing=True)
    assert sub is not None
    customer = await db.get(Customer, sub.customer_id)
    assert customer is not None
    await record_event(
        db,
        merchant_id=sub.merchant_id,
        mode=sub.mode,
        event_type=event,
        data=subscription_out(sub, customer).model_dump(mode="json"),
        moment=moment,
    )
