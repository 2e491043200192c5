"""Paying a session: what a success, a decline and a refusal leave behind."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.payments.support import DE_ADDRESS, DECLINED, INSUFFICIENT, Shop
from till.checkout.errors import SessionCompleted, SessionExpired
from till.core.clock import FrozenClock
from till.customers.models import Customer
from till.discounts.models import Discount
from till.pricing import Quote
from till.subscriptions.models import Subscription

METADATA = {"order": "A-17", "priority": 2, "gift": True}


async def test_success_records_everything_the_session_promised(
    shop: Shop, clock: FrozenClock
) -> None:
    book = await shop.one_time(2500, name="Book")
    plan = await shop.recurring(1200, name="Plan")
    code = await shop.discount("TENOFF")
    sid = await shop.session(
        book,
        plan,
        metadata=METADATA,
        discount_codes=["tenoff"],
        billing_address=DE_ADDRESS,
        return_url="https://shop.example/done?ref=x",
    )
    promised = Quote.from_dict((await shop.stored_session(sid)).quote)

    attempt = await shop.pay(sid, email="ada@example.com", billing_address=DE_ADDRESS)

    assert attempt.status == "succeeded"
    assert attempt.payment_id is not None and attempt.payment_id.startswith("pay_")
    [payment] = await shop.payments_of(sid)
    assert payment.id == attempt.payment_id
    assert payment.status == "succeeded"
    assert payment.meta == METADATA
    assert payment.total_amount == promised.total_price
    assert payment.tax == promised.total_tax > 0
    assert payment.currency == "USD"
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert payment.product_cart == [
        {"product_id": book, "quantity": 1},
        {"product_id": plan, "quantity": 1},
    ]
    assert [d["discount_id"] for d in payment.discounts] == [code["discount_id"]]

    async with shop.ctx.sessions() as db:
        customer = await db.get(Customer, payment.customer_id)
        assert customer is not None and customer.email == "ada@example.com"
        [sub] = await db.scalars(
            select(Subscription).where(Subscription.payment_id == payment.id)
        )
        discount = await db.get(Discount, code["discount_id"])
        assert discount is not None and discount.times_used == 1

    assert sub.status == "active"
    assert sub.product_id == plan
    assert sub.meta == METADATA
    assert sub.customer_id == customer.id
    assert sub.previous_billing_date == clock.now()
    assert sub.next_billing_date == clock.now().replace(month=7)
    plan_line = next(line for line in promised.lines if line.product_id == plan)
    assert sub.recurring_pre_tax_amount == 1200 - (plan_line.recurring_discount or 0)
    assert payment.subscription_ids == [sub.id]

    session = await shop.stored_session(sid)
    assert (session.status, session.payment_id) == ("completed", payment.id)
    assert session.payment_status == "succeeded"
    reply = await shop.client.get(f"/checkouts/{sid}", headers=shop.kit.headers())
    assert reply.json()["payment_id"] == payment.id
    assert reply.json()["payment_status"] == "succeeded"

    assert attempt.redirect_url is not None
    query = parse_qs(urlsplit(attempt.redirect_url).query)
    assert query == {
        "ref": ["x"],
        "session_id": [sid],
        "payment_id": [payment.id],
        "status": ["succeeded"],
    }
    assert await shop.event_count("payment.succeeded", payment.id) == 1
    assert await shop.event_count("subscription.active", sub.id) == 1


async def test_success_without_return_url_shows_the_receipt(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    attempt = await shop.pay(sid)
    assert attempt.status == "succeeded"
    assert attempt.redirect_url is None


async def test_decline_then_success_on_the_same_session(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time(), return_url="https://shop.example/r")

    declined = await shop.pay(sid, DECLINED)
    assert declined.status == "failed"
    assert declined.error_code == "card_declined"
    assert declined.error_message == "Your card was declined."
    assert declined.redirect_url is None
    session = await shop.stored_session(sid)
    assert (session.status, session.payment_status) == ("open", "failed")

    poor = await shop.pay(sid, INSUFFICIENT)
    assert poor.error_code == "insufficient_funds"

    paid = await shop.pay(sid)
    assert paid.status == "succeeded"

    by_id = {p.id: p for p in await shop.payments_of(sid)}
    attempts = [declined, poor, paid]
    statuses = [by_id[str(a.payment_id)].status for a in attempts]
    assert statuses == ["failed", "failed", "succeeded"]
    first = by_id[str(declined.payment_id)]
    assert first.error_code == "card_declined"
    assert first.error_message == "Your card was declined."
    assert first.card_last4 == "0002"
    assert await shop.event_count("payment.failed", first.id) == 1
    session = await shop.stored_session(sid)
    assert (session.status, session.payment_id) == ("completed", paid.payment_id)
    assert session.pay_attempts == 3


async def test_an_expired_session_takes_no_payment(
    shop: Shop, clock: FrozenClock
) -> None:
    sid = await shop.session(await shop.one_time())
    clock.advance(timedelta(hours=24))
    with pytest.raises(SessionExpired):
        await shop.pay(sid)
    assert await shop.payments_of(sid) == []


async def test_a_paid_session_takes_no_second_payment(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    await shop.pay(sid)
    with pytest.raises(SessionCompleted) as refused:
        await shop.pay(sid)
    assert refused.value.status == 409
    assert [p.status for p in await shop.payments_of(sid)] == ["succeeded"]


async def test_a_free_trial_charges_nothing_now_and_bills_after_the_trial(
    shop: Shop, clock: FrozenClock
) -> None:
    plan = await shop.recurring(1500, trial_days=14)
    sid = await shop.session(plan, billing_address=DE_ADDRESS)

    attempt = await shop.pay(sid, billing_address=DE_ADDRESS)

    [payment] = await shop.payments_of(sid)
    assert attempt.status == "succeeded"
    assert (payment.total_amount, payment.tax) == (0, 0)
    async with shop.ctx.sessions() as db:
        sub = await db.get(Subscription, payment.subscription_id)
    assert sub is not None
    assert sub.trial_period_days == 14
    assert sub.next_billing_date == clock.now() + timedelta(days=14)
    assert sub.recurring_pre_tax_amount == 1500
    assert sub.payment_method_id is not None and sub.method_token is not None
