"""Delivery: signed, retried on schedule, recorded, at least once."""

from __future__ import annotations

import json
from datetime import timedelta

from dodopayments import DodoPayments
from httpx import AsyncClient
from sqlalchemy import select
from standardwebhooks import Webhook

from tests.support.factory import MerchantKit
from tests.support.server import free_port
from tests.webhooks.conftest import add_endpoint, emit
from tests.webhooks.receiver import Receiver
from till.core.clock import FrozenClock
from till.events import EventType
from till.http.context import AppContext
from till.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from till.webhooks.worker import RETRY_DELAYS, claim_due, run_once


async def _deliveries(ctx: AppContext, event_id: str) -> list[WebhookDelivery]:
    async with ctx.sessions() as db:
        rows = await db.scalars(
            select(WebhookDelivery).where(WebhookDelivery.event_id == event_id)
        )
        return list(rows)


async def _attempts(ctx: AppContext, delivery_id: str) -> list[WebhookAttempt]:
    async with ctx.sessions() as db:
        rows = await db.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery_id)
            .order_by(WebhookAttempt.number)
        )
        return list(rows)


async def test_event_arrives_signed_for_standardwebhooks_and_the_sdk(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    event_id = await emit(ctx, shop)

    assert await run_once(ctx) == 1

    [got] = receiver.received
    assert got.headers["webhook-id"] == event_id
    envelope = Webhook(endpoint["secret"]).verify(got.body, got.headers)
    assert set(envelope) == {"business_id", "type", "timestamp", "data"}
    assert envelope["business_id"] == shop.merchant_id
    assert envelope["type"] == "payment.succeeded"
    assert envelope["timestamp"] == "2026-06-01T12:00:00Z"
    assert envelope["data"]["payload_type"] == "Payment"
    assert envelope["data"]["metadata"] == {"order": "A-17"}
    sdk = DodoPayments(bearer_token="unused", base_url="http://127.0.0.1:9")
    event = sdk.webhooks.unwrap(got.body, headers=got.headers, key=endpoint["secret"])
    assert event.type == "payment.succeeded"
    assert event.business_id == shop.merchant_id


async def test_tampered_body_fails_verification(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    await emit(ctx, shop)
    await run_once(ctx)

    [got] = receiver.received
    forged = got.body.replace("1000", "1")
    try:
        Webhook(endpoint["secret"]).verify(forged, got.headers)
    except Exception as exc:
        assert type(exc).__name__ == "WebhookVerificationError"
    else:
        raise AssertionError("a changed body verified")


async def test_500_500_200_gives_three_attempts_with_one_webhook_id(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    receiver.answer(500, 500)
    event_id = await emit(ctx, shop)

    assert await run_once(ctx) == 1
    assert await run_once(ctx) == 0  # not due for 5 s
    clock.advance(RETRY_DELAYS[0])
    assert await run_once(ctx) == 1
    clock.advance(RETRY_DELAYS[1] - timedelta(seconds=1))
    assert await run_once(ctx) == 0
    clock.advance(timedelta(seconds=1))
    assert await run_once(ctx) == 1

    assert receiver.ids() == {event_id: 3}
    assert len({r.body for r in receiver.received}) == 1  # byte-identical
    [delivery] = await _deliveries(ctx, event_id)
    assert delivery.status == "succeeded"
    attempts = await _attempts(ctx, delivery.id)
    assert [a.status_code for a in attempts] == [500, 500, 200]
    assert [a.succeeded for a in attempts] == [False, False, True]
    start = clock.now() - RETRY_DELAYS[0] - RETRY_DELAYS[1]
    assert [a.attempted_at for a in attempts] == [
        start,
        start + RETRY_DELAYS[0],
        start + RETRY_DELAYS[0] + RETRY_DELAYS[1],
    ]
    assert all(a.duration_ms >= 0 for a in attempts)
    assert attempts[0].response_body == "ok"


async def test_delivery_fails_after_the_last_retry(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    receiver.answer(*([503] * 20))
    event_id = await emit(ctx, shop)

    await run_once(ctx)
    for delay in RETRY_DELAYS:
        clock.advance(delay)
        assert await run_once(ctx) == 1
    clock.advance(timedelta(days=3))
    assert await run_once(ctx) == 0

    [delivery] = await _deliveries(ctx, event_id)
    assert delivery.status == "failed"
    assert delivery.finished_at == clock.now() - timedelta(days=3)
    assert len(await _attempts(ctx, delivery.id)) == 1 + len(RETRY_DELAYS)
    assert receiver.ids() == {event_id: 8}


async def test_endpoint_is_disabled_after_five_events_fail_in_a_row(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    receiver.answer(*([500] * 100))
    for _ in range(5):
        await emit(ctx, shop)
    await run_once(ctx)
    for delay in RETRY_DELAYS:
        clock.advance(delay)
        await run_once(ctx)

    async with ctx.sessions() as db:
        row = await db.get_one(WebhookEndpoint, endpoint["id"])
    assert row.disabled is True
    assert row.disabled_reason == "deliveries of 5 events in a row failed"
    reply = await wh_client.get(f"/webhooks/{endpoint['id']}", headers=shop.headers())
    assert reply.json()["disabled"] is True
    later = await emit(ctx, shop)
    assert await _deliveries(ctx, later) == []


async def test_a_success_resets_the_failure_count(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    receiver.answer(*([500] * 8))
    await emit(ctx, shop)
    await run_once(ctx)
    for delay in RETRY_DELAYS:
        clock.advance(delay)
        await run_once(ctx)
    async with ctx.sessions() as db:
        assert (await db.get_one(WebhookEndpoint, endpoint["id"])).failed_streak == 1

    await emit(ctx, shop)
    await run_once(ctx)

    async with ctx.sessions() as db:
        assert (await db.get_one(WebhookEndpoint, endpoint["id"])).failed_streak == 0


async def test_filter_types_choose_which_endpoints_hear_an_event(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    await add_endpoint(
        wh_client, shop, receiver.url + "?refunds", filter_types=["refund.succeeded"]
    )
    await add_endpoint(wh_client, shop, receiver.url + "?all", filter_types=[])

    paid = await emit(ctx, shop, EventType.PAYMENT_SUCCEEDED)
    refunded = await emit(
        ctx, shop, EventType.REFUND_SUCCEEDED, {"refund_id": "ref_1", "metadata": {}}
    )
    await run_once(ctx)

    heard = sorted((r.path, r.headers["webhook-id"]) for r in receiver.received)
    assert heard == sorted(
        [("/hook?all", paid), ("/hook?all", refunded), ("/hook?refunds", refunded)]
    )
    refund_body = json.loads(
        next(r.body for r in receiver.received if r.path == "/hook?refunds")
    )
    assert refund_body["data"]["payload_type"] == "Refund"


async def test_events_stay_within_their_merchant_and_mode(
    ctx: AppContext,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
    wh_db: object,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    live = await emit(ctx, shop, mode="live")

    assert await _deliveries(ctx, live) == []
    assert await run_once(ctx) == 0
    assert receiver.received == []


async def test_a_claim_left_by_a_crashed_worker_is_delivered_after_its_lease(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    event_id = await emit(ctx, shop)
    [abandoned] = await claim_due(ctx, 10)  # the worker dies holding it
    assert abandoned.event_id == event_id

    assert await run_once(ctx) == 0
    clock.advance(timedelta(seconds=61))
    assert await run_once(ctx) == 1

    assert receiver.ids() == {event_id: 1}
    [delivery] = await _deliveries(ctx, event_id)
    assert delivery.status == "succeeded"


async def test_refused_connection_is_recorded_and_retried(
    ctx: AppContext, clock: FrozenClock, wh_client: AsyncClient, shop: MerchantKit
) -> None:
    await add_endpoint(wh_client, shop, f"http://127.0.0.1:{free_port()}/gone")
    event_id = await emit(ctx, shop)

    await run_once(ctx)

    [delivery] = await _deliveries(ctx, event_id)
    [attempt] = await _attempts(ctx, delivery.id)
    assert attempt.status_code is None
    assert attempt.error is not None and "Connect" in attempt.error
    assert delivery.status == "pending"
    assert delivery.next_attempt_at == clock.now() + RETRY_DELAYS[0]


async def test_only_the_first_2_kb_of_an_answer_are_kept(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    receiver.reply_body = b"x" * 5000
    event_id = await emit(ctx, shop)

    await run_once(ctx)

    [delivery] = await _deliveries(ctx, event_id)
    [attempt] = await _attempts(ctx, delivery.id)
    assert attempt.response_body == "x" * 2048


async def test_deleting_an_endpoint_cancels_its_pending_deliveries(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    event_id = await emit(ctx, shop)

    reply = await wh_client.delete(
        f"/webhooks/{endpoint['id']}", headers=shop.headers()
    )
    assert reply.status_code == 204
    assert await run_once(ctx) == 0

    [delivery] = await _deliveries(ctx, event_id)
    assert delivery.status == "cancelled"
    assert receiver.received == []


async def test_disabling_an_endpoint_cancels_deliveries_not_yet_sent(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    event_id = await emit(ctx, shop)

    reply = await wh_client.patch(
        f"/webhooks/{endpoint['id']}", json={"disabled": True}, headers=shop.headers()
    )
    assert reply.status_code == 200
    await run_once(ctx)

    [delivery] = await _deliveries(ctx, event_id)
    assert delivery.status == "cancelled"
    assert receiver.received == []
