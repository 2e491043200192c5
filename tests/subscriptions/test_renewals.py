"""Renewing due subscriptions from the worker's periodic step."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.payments.support import SUCCESS, Shop
from tests.support.databases import ScratchDatabase
from till.core.clock import FrozenClock
from till.payments.models import Payment
from till.pricing import Quote
from till.subscriptions.models import Subscription
from till.subscriptions.renew import renew_due
from till.webhooks.worker import run_once

SAVED_CHARGES_DECLINE = "4000 0000 0000 0341"


async def _subscribe(
    shop: Shop, number: str = SUCCESS, **product: object
) -> tuple[Subscription, Payment]:
    plan = await shop.recurring(1200, **product)
    sid = await shop.session(plan, metadata={"order": "42"})
    attempt = await shop.pay(sid, number)
    assert attempt.status == "succeeded"
    [first] = await shop.payments_of(sid)
    sub = await _subscription(shop, first.subscription_ids[0])
    return sub, first


async def _subscription(shop: Shop, subscription_id: str) -> Subscription:
    async with shop.ctx.sessions() as db:
        sub = await db.get(Subscription, subscription_id)
    assert sub is not None
    return sub


async def _renewals(shop: Shop, sub: Subscription) -> list[Payment]:
    async with shop.ctx.sessions() as db:
        rows = await db.scalars(
            select(Payment)
            .where(Payment.subscription_id == sub.id, Payment.id != sub.payment_id)
            .order_by(Payment.created_at, Payment.id)
        )
        return list(rows)


def _recurring_total(first: Payment) -> tuple[int, int]:
    [line] = Quote.from_dict(first.quote).lines
    assert line.recurring_amount is not None and line.recurring_tax is not None
    return line.recurring_amount, line.recurring_tax


async def test_a_due_subscription_is_charged_once_and_moves_one_period(
    shop: Shop, clock: FrozenClock
) -> None:
    sub, first = await _subscribe(shop)
    due = sub.next_billing_date
    clock.advance(due - clock.now() + timedelta(minutes=1))

    await run_once(shop.ctx)

    [renewal] = await _renewals(shop, sub)
    total, tax = _recurring_total(first)
    assert renewal.status == "succeeded"
    assert (renewal.total_amount, renewal.tax) == (total, tax)
    assert renewal.total_amount == sub.recurring_pre_tax_amount + tax
    assert renewal.meta == {"order": "42"}
    assert renewal.checkout_session_id is None
    assert renewal.service_periods[0]["starts_at"] == due.isoformat()
    after = await _subscription(shop, sub.id)
    assert after.status == "active"
    assert after.previous_billing_date == due
    assert after.next_billing_date == due.replace(month=due.month + 1)
    assert await shop.event_count("payment.succeeded", renewal.id) == 1
    assert await shop.event_count("subscription.renewed", sub.id) == 1


async def test_running_the_step_twice_charges_the_period_once(
    shop: Shop, clock: FrozenClock
) -> None:
    sub, _ = await _subscribe(shop)
    clock.advance(sub.next_billing_date - clock.now() + timedelta(minutes=1))

    await renew_due(shop.ctx)
    await renew_due(shop.ctx)
    await run_once(shop.ctx)

    assert len(await _renewals(shop, sub)) == 1
    assert await shop.event_count("subscription.renewed", sub.id) == 1


async def test_a_subscription_not_yet_due_is_left_alone(
    shop: Shop, clock: FrozenClock
) -> None:
    sub, _ = await _subscribe(shop)
    clock.advance(sub.next_billing_date - clock.now() - timedelta(minutes=1))

    await renew_due(shop.ctx)

    assert await _renewals(shop, sub) == []
    after = await _subscription(shop, sub.id)
    assert after.next_billing_date == sub.next_billing_date


async def test_a_declined_saved_card_puts_the_subscription_on_hold(
    shop: Shop, clock: FrozenClock
) -> None:
    sub, _ = await _subscribe(shop, SAVED_CHARGES_DECLINE)
    due = sub.next_billing_date
    clock.advance(due - clock.now() + timedelta(minutes=1))

    await run_once(shop.ctx)
    await run_once(shop.ctx)

    [renewal] = await _renewals(shop, sub)
    assert renewal.status == "failed"
    assert renewal.error_code == "card_declined"
    after = await _subscription(shop, sub.id)
    assert after.status == "on_hold"
    assert after.next_billing_date == due  # the unpaid period stays due
    assert await shop.event_count("payment.failed", renewal.id) == 1
    assert await shop.event_count("subscription.on_hold", sub.id) == 1
    assert await shop.event_count("subscription.renewed", sub.id) == 0


async def test_a_scheduled_cancellation_cancels_without_charging(
    shop: Shop, clock: FrozenClock
) -> None:
    sub, _ = await _subscribe(shop)
    reply = await shop.client.patch(
        f"/subscriptions/{sub.id}",
        json={"cancel_at_next_billing_date": True},
        headers=shop.kit.headers(),
    )
    assert reply.status_code == 200, reply.text
    clock.advance(sub.next_billing_date - clock.now() + timedelta(minutes=1))

    await run_once(shop.ctx)

    assert await _renewals(shop, sub) == []
    after = await _subscription(shop, sub.id)
    assert after.status == "cancelled"
    assert after.cancelled_at == clock.now()
    assert await shop.event_count("subscription.cancelled", sub.id) == 1


async def test_a_subscription_past_its_period_expires_without_charging(
    shop: Shop, clock: FrozenClock
) -> None:
    sub, _ = await _subscribe(shop)
    async with shop.ctx.sessions() as db:
        row = await db.get(Subscription, sub.id)
        assert row is not None
        row.expires_at = row.next_billing_date
        await db.commit()
    clock.advance(sub.next_billing_date - clock.now() + timedelta(minutes=1))

    await renew_due(shop.ctx)

    assert await _renewals(shop, sub) == []
    assert (await _subscription(shop, sub.id)).status == "expired"
    assert await shop.event_count("subscription.expired", sub.id) == 1


async def test_a_trial_is_first_charged_when_it_ends(
    shop: Shop, clock: FrozenClock
) -> None:
    sub, first = await _subscribe(shop, trial_days=7)
    assert first.total_amount == 0
    trial_end = clock.now() + timedelta(days=7)
    assert sub.next_billing_date == trial_end
    clock.advance(timedelta(days=7))

    await run_once(shop.ctx)

    [renewal] = await _renewals(shop, sub)
    total, _ = _recurring_total(first)
    assert renewal.status == "succeeded"
    assert renewal.total_amount == total >= 1200
    after = await _subscription(shop, sub.id)
    assert after.previous_billing_date == trial_end
    assert after.next_billing_date == trial_end.replace(month=trial_end.month + 1)


async def test_a_limited_discount_counts_down_on_each_renewal(
    shop: Shop, clock: FrozenClock
) -> None:
    await shop.discount("RENEWTHREE", subscription_cycles=3)
    plan = await shop.recurring(1200)
    sid = await shop.session(plan, discount_codes=["RENEWTHREE"])
    await shop.pay(sid)
    [first] = await shop.payments_of(sid)
    sub = await _subscription(shop, first.subscription_ids[0])
    assert sub.discount_cycles_remaining == 2
    clock.advance(sub.next_billing_date - clock.now() + timedelta(minutes=1))

    await renew_due(shop.ctx)

    [renewal] = await _renewals(shop, sub)
    assert renewal.total_amount - renewal.tax == 1080
    after = await _subscription(shop, sub.id)
    assert after.discount_cycles_remaining == 1
    assert [d["cycles_remaining"] for d in after.discounts] == [1]

    # The third cycle is the code's last; the fourth is at full price.
    for expected in (1080, 1200):
        clock.advance(after.next_billing_date - clock.now() + timedelta(minutes=1))
        await renew_due(shop.ctx)
        after = await _subscription(shop, sub.id)
        latest = (await _renewals(shop, sub))[-1]
        assert latest.total_amount - latest.tax == expected
    assert after.discount_cycles_remaining == 0


async def test_ten_concurrent_steps_charge_a_due_subscription_once(
    shop: Shop, clock: FrozenClock, database: ScratchDatabase
) -> None:
    if not database.is_postgres:
        pytest.skip("concurrency is proven on PostgreSQL")
    sub, _ = await _subscribe(shop)
    clock.advance(sub.next_billing_date - clock.now() + timedelta(minutes=1))

    await asyncio.gather(*(renew_due(shop.ctx) for _ in range(10)))

    [renewal] = await _renewals(shop, sub)
    assert renewal.status == "succeeded"
    assert await shop.event_count("subscription.renewed", sub.id) == 1
