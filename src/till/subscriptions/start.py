"""Starting subscriptions when a checkout session is paid.

Each later period is charged by ``till.subscriptions.renew``, which the
worker runs; it reads what this module stores (the saved method, the
recurring amount, the first billing moment, the discount's cycles).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from till.checkout.models import CheckoutSession
from till.checkout.quoting import spec_from_json
from till.core.ids import new_id
from till.payments.applied import discount_details
from till.payments.models import Payment
from till.pricing import PriceSpec, Quote, QuoteLine, add_interval
from till.subscriptions.models import Subscription

log = structlog.get_logger(__name__)


async def start_subscriptions(
    db: AsyncSession,
    payment: Payment,
    session: CheckoutSession,
    quote: Quote,
    moment: datetime,
) -> list[Subscription]:
    """One active subscription per subscription line of ``quote``; flushes."""
    lines = [line for line in quote.lines if line.is_subscription]
    if not lines:
        return []
    specs = {spec.product_id: spec for spec in map(spec_from_json, session.price_specs)}
    discount_ids = [d.discount_id for d in quote.discounts_applied]
    details = await discount_details(db, discount_ids)
    subscriptions = [
        _subscription(payment, line, specs[line.product_id], details, moment)
        for line in lines
    ]
    db.add_all(subscriptions)
    await db.flush()
    for sub in subscriptions:
        log.info(
            "subscription.started",
            merchant_id=sub.merchant_id,
            subscription_id=sub.id,
            payment_id=payment.id,
        )
    return subscriptions


def _subscription(
    payment: Payment,
    line: QuoteLine,
    spec: PriceSpec,
    details: Sequence[Mapping[str, Any]],
    moment: datetime,
) -> Subscription:
    trial = line.trial_period_days or 0
    billing_starts = moment + timedelta(days=trial)
    discounts = _line_discounts(line.product_id, details, trial)
    return Subscription(
        id=new_id("sub"),
        merchant_id=payment.merchant_id,
        mode=payment.mode,
        customer_id=payment.customer_id,
        product_id=line.product_id,
        product_name=line.name,
        payment_id=payment.id,
        checkout_session_id=payment.checkout_session_id,
        quantity=line.quantity,
        status="active",
        currency=line.currency,
        recurring_pre_tax_amount=pre_tax_amount(line),
        tax_inclusive=line.tax_inclusive,
        payment_frequency_count=spec.payment_frequency_count,
        payment_frequency_interval=spec.payment_frequency_interval,
        subscription_period_count=spec.subscription_period_count,
        subscription_period_interval=spec.subscription_period_interval,
        trial_period_days=trial,
        next_billing_date=_next_billing(spec, moment, trial),
        previous_billing_date=moment,
        expires_at=add_interval(
            billing_starts,
            spec.subscription_period_count,
            spec.subscription_period_interval,
        ),
        cancel_at_next_billing_date=False,
        discount_id=discounts[0]["discount_id"] if discounts else None,
        discount_cycles_remaining=discounts[0]["cycles_remaining"]
        if discounts
        else None,
        discounts=discounts,
        billing=dict(payment.billing),
        tax_id=payment.tax_id,
        customer_business_name=payment.customer_business_name,
        custom_field_responses=list(payment.custom_field_responses or []),
        meta=dict(payment.meta or {}),
        payment_method_id=payment.payment_method_id,
        method_token=payment.method_token,
        created_at=moment,
        updated_at=moment,
    )


def pre_tax_amount(line: QuoteLine) -> int:
    # What each renewal costs after discounts, before tax is added (for a
    # tax-inclusive price the tax is inside it, as ``tax_inclusive`` says).
    return (line.recurring_subtotal or 0) - (line.recurring_discount or 0)


def _next_billing(spec: PriceSpec, moment: datetime, trial: int) -> datetime:
    if trial > 0:
        return moment + timedelta(days=trial)
    return add_interval(
        moment, spec.payment_frequency_count, spec.payment_frequency_interval
    )


def _line_discounts(
    product_id: str, details: Sequence[Mapping[str, Any]], trial: int
) -> list[dict[str, Any]]:
    """The codes on this line, with the billed cycles each has left.

    Without a trial the first cycle was just billed with the discount, so
    one cycle is used; a trial is not a cycle, so none is.
    """
    used = 0 if trial > 0 else 1
    own: list[dict[str, Any]] = []
    for detail in details:
        restricted = detail["restricted_to"]
        if restricted and product_id not in restricted:
            continue
        cycles = detail["subscription_cycles"]
        remaining = None if cycles is None else max(cycles - used, 0)
        own.append({**detail, "position": len(own), "cycles_remaining": remaining})
    return own
