"""Abandoned checkouts: one ``detected``, and one ``recovered`` if paid later."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from httpx import AsyncClient
from sqlalchemy import update

from tests.support.factory import MerchantKit, one_time_product
from tests.webhooks.conftest import add_endpoint
from tests.webhooks.receiver import Receiver
from till.checkout import transitions
from till.checkout.models import CheckoutSession
from till.core.clock import FrozenClock
from till.http.context import AppContext
from till.webhooks.abandoned import on_session_completed
from till.webhooks.worker import run_once

AFTER = timedelta(minutes=60)  # the default TILL_ABANDONED_AFTER_MINUTES


async def _session(client: AsyncClient, kit: MerchantKit) -> str:
    product = await client.post(
        "/products", json=one_time_product(1500), headers=kit.headers()
    )
    assert product.status_code == 200, product.text
    body = {
        "product_cart": [{"product_id": product.json()["product_id"], "quantity": 1}],
        "customer": {"email": "ada@example.com", "name": "Ada"},
        "metadata": {"campaign": "spring"},
    }
    reply = await client.post("/checkouts", json=body, headers=kit.headers())
    assert reply.status_code == 200, reply.text
    return str(reply.json()["session_id"])


def _events(receiver: Receiver) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.received]


async def _set(ctx: AppContext, session_id: str, **values: Any) -> None:
    async with ctx.sessions() as db:
        await db.execute(
            update(CheckoutSession)
            .where(CheckoutSession.id == session_id)
            .values(**values)
        )
        await db.commit()


async def _pay(ctx: AppContext, session_id: str, payment_id: str) -> bool:
    """What the payment flow does in its transaction when a charge succeeds."""
    moment = ctx.clock.now()
    async with ctx.sessions() as db:
        assert await transitions.complete(db, session_id, payment_id, moment)
        session = await db.get_one(CheckoutSession, session_id)
        recovered = await on_session_completed(db, session, moment)
        await db.commit()
    return recovered


async def test_unpaid_session_is_detected_once_after_the_quiet_period(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    session_id = await _session(wh_client, shop)

    clock.advance(AFTER - timedelta(seconds=1))
    await run_once(ctx)
    assert receiver.received == []
    clock.advance(timedelta(seconds=1))
    await run_once(ctx)
    clock.advance(timedelta(hours=5))
    await run_once(ctx)

    [event] = _events(receiver)
    assert event["type"] == "abandoned_checkout.detected"
    data = event["data"]
    assert data["payload_type"] == "AbandonedCheckout"
    assert data["checkout_session_id"] == session_id
    assert data["status"] == "abandoned"
    assert data["abandonment_reason"] == "checkout_incomplete"
    assert data["abandoned_at"] == "2026-06-01T13:00:00Z"
    assert data["customer_email"] == "ada@example.com"
    assert data["total_amount"] == 1500
    assert data["metadata"] == {"campaign": "spring"}


async def test_activity_postpones_detection(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    session_id = await _session(wh_client, shop)
    clock.advance(timedelta(minutes=50))
    async with ctx.sessions() as db:
        await transitions.touch(db, session_id, clock.now())
        await db.commit()

    clock.advance(timedelta(minutes=20))
    await run_once(ctx)
    assert receiver.received == []
    clock.advance(timedelta(minutes=40))
    await run_once(ctx)
    assert [e["type"] for e in _events(receiver)] == ["abandoned_checkout.detected"]


async def test_failed_payment_not_retried_is_abandoned_with_that_reason(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    session_id = await _session(wh_client, shop)
    await _set(ctx, session_id, payment_status="failed", payment_id="pay_failed1")

    clock.advance(AFTER)
    await run_once(ctx)

    [event] = _events(receiver)
    assert event["data"]["abandonment_reason"] == "payment_failed"
    assert event["data"]["payment_id"] == "pay_failed1"


async def test_payment_in_progress_is_not_abandoned(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    session_id = await _session(wh_client, shop)
    await _set(ctx, session_id, payment_status="processing")

    clock.advance(AFTER * 3)
    await run_once(ctx)

    assert receiver.received == []


async def test_paying_an_abandoned_session_reports_recovery_once(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    session_id = await _session(wh_client, shop)
    clock.advance(AFTER)
    await run_once(ctx)

    clock.advance(timedelta(hours=2))
    assert await _pay(ctx, session_id, "pay_later1") is True
    async with ctx.sessions() as db:
        session = await db.get_one(CheckoutSession, session_id)
        assert await on_session_completed(db, session, clock.now()) is False
        await db.commit()
    await run_once(ctx)
    clock.advance(AFTER * 2)
    await run_once(ctx)

    types = [e["type"] for e in _events(receiver)]
    assert types == ["abandoned_checkout.detected", "abandoned_checkout.recovered"]
    recovered = _events(receiver)[1]["data"]
    assert recovered["status"] == "recovered"
    assert recovered["recovered_payment_id"] == "pay_later1"
    assert recovered["recovered_at"] == "2026-06-01T15:00:00Z"
    assert recovered["metadata"] == {"campaign": "spring"}


async def test_session_paid_in_time_is_neither_abandoned_nor_recovered(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    session_id = await _session(wh_client, shop)
    clock.advance(timedelta(minutes=10))

    assert await _pay(ctx, session_id, "pay_quick1") is False
    clock.advance(AFTER * 2)
    await run_once(ctx)

    assert receiver.received == []


async def test_session_list_filters_abandoned_sessions(
    ctx: AppContext, clock: FrozenClock, wh_client: AsyncClient, shop: MerchantKit
) -> None:
    quiet = await _session(wh_client, shop)
    clock.advance(AFTER + timedelta(seconds=1))
    fresh = await _session(wh_client, shop)
    await run_once(ctx)

    def ids(reply: Any) -> list[str]:
        return [item["id"] for item in reply.json()["items"]]

    abandoned = await wh_client.get("/checkouts?abandoned=true", headers=shop.headers())
    others = await wh_client.get("/checkouts?abandoned=false", headers=shop.headers())
    assert quiet in ids(abandoned) and fresh not in ids(abandoned)
    assert fresh in ids(others) and quiet not in ids(others)
