"""What a paid session's subscription lines become."""

from __future__ import annotations

from datetime import timedelta

from tests.payments.support import Shop
from till.core.clock import FrozenClock
from till.subscriptions.models import Subscription


async def _subscriptions(shop: Shop, session_id: str) -> list[Subscription]:
    [payment] = await shop.payments_of(session_id)
    async with shop.ctx.sessions() as db:
        subs = [await db.get(Subscription, sid) for sid in payment.subscription_ids]
    return [s for s in subs if s is not None]


async def test_a_limited_discount_counts_the_cycle_just_billed(shop: Shop) -> None:
    code = await shop.discount("THREEMONTHS", subscription_cycles=3)
    sid = await shop.session(await shop.recurring(1200), discount_codes=["THREEMONTHS"])
    await shop.pay(sid)

    [sub] = await _subscriptions(shop, sid)
    assert sub.discount_id == code["discount_id"]
    assert sub.discount_cycles_remaining == 2
    assert sub.recurring_pre_tax_amount == 1080  # cycle 2 is still discounted
    assert [d["cycles_remaining"] for d in sub.discounts] == [2]


async def test_a_trial_uses_no_discount_cycle(shop: Shop, clock: FrozenClock) -> None:
    await shop.discount("TRIALTHREE", subscription_cycles=3)
    plan = await shop.recurring(1200, trial_days=7)
    sid = await shop.session(plan, discount_codes=["TRIALTHREE"])
    await shop.pay(sid)

    [sub] = await _subscriptions(shop, sid)
    assert sub.discount_cycles_remaining == 3
    assert sub.next_billing_date == clock.now() + timedelta(days=7)


async def test_a_code_restricted_to_another_product_stays_off(shop: Shop) -> None:
    book = await shop.one_time(1000)
    await shop.discount("BOOKS", restricted_to=[book])
    plan = await shop.recurring(1200)
    sid = await shop.session(book, plan, discount_codes=["BOOKS"])
    await shop.pay(sid)

    [sub] = await _subscriptions(shop, sid)
    assert sub.discount_id is None
    assert sub.discounts == []
    assert sub.recurring_pre_tax_amount == 1200


async def test_each_subscription_line_starts_its_own_subscription(
    shop: Shop, clock: FrozenClock
) -> None:
    monthly = await shop.recurring(1000, name="Monthly")
    yearly = await shop.product(
        {
            "name": "Yearly",
            "tax_category": "saas",
            "price": {
                "type": "recurring_price",
                "price": 9000,
                "currency": "USD",
                "payment_frequency_count": 1,
                "payment_frequency_interval": "Year",
                "subscription_period_count": 10,
                "subscription_period_interval": "Year",
            },
        }
    )
    sid = await shop.session(monthly, yearly, metadata={"k": "v"})
    await shop.pay(sid)

    subs = {s.product_id: s for s in await _subscriptions(shop, sid)}
    assert subs[monthly].next_billing_date == clock.now().replace(month=7)
    assert subs[yearly].next_billing_date == clock.now().replace(year=2027)
    assert {s.meta["k"] for s in subs.values()} == {"v"}
    [payment] = await shop.payments_of(sid)
    assert payment.subscription_id is None  # several: read subscription_ids
    assert len(payment.service_periods) == 2
