"""The delivery log and re-sending: Till's additions to /webhooks."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient

from tests.support.factory import MerchantKit
from tests.webhooks.conftest import add_endpoint, emit
from tests.webhooks.receiver import Receiver
from till.core.clock import FrozenClock
from till.http.context import AppContext
from till.webhooks.worker import RETRY_DELAYS, run_once


async def test_log_lists_each_attempt_of_a_delivery(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    receiver.answer(500)
    event_id = await emit(ctx, shop)
    await run_once(ctx)
    clock.advance(RETRY_DELAYS[0])
    await run_once(ctx)

    reply = await wh_client.get(
        f"/webhooks/{endpoint['id']}/deliveries", headers=shop.headers()
    )

    assert reply.status_code == 200, reply.text
    [delivery] = reply.json()["data"]
    assert delivery["event_id"] == event_id
    assert delivery["event_type"] == "payment.succeeded"
    assert delivery["status"] == "succeeded"
    assert delivery["attempt_count"] == 2
    first, second = delivery["attempts"]
    assert (first["status_code"], first["succeeded"]) == (500, False)
    assert (second["status_code"], second["succeeded"]) == (200, True)
    assert first["attempted_at"] == "2026-06-01T12:00:00Z"
    assert second["attempted_at"] == "2026-06-01T12:00:05Z"
    assert second["response_body"] == "ok"
    one = await wh_client.get(
        f"/webhooks/{endpoint['id']}/deliveries/{delivery['id']}",
        headers=shop.headers(),
    )
    assert one.json() == delivery


async def test_log_filters_by_status_and_pages(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    receiver.answer(500)
    for _ in range(3):
        await emit(ctx, shop)
    await run_once(ctx)
    base = f"/webhooks/{endpoint['id']}/deliveries"

    pending = await wh_client.get(f"{base}?status=pending", headers=shop.headers())
    done = await wh_client.get(f"{base}?status=succeeded", headers=shop.headers())
    page = await wh_client.get(f"{base}?limit=2", headers=shop.headers())
    rest = await wh_client.get(
        f"{base}?limit=2&iterator={page.json()['iterator']}", headers=shop.headers()
    )

    assert len(pending.json()["data"]) == 1
    assert len(done.json()["data"]) == 2
    assert len(page.json()["data"]) == 2 and page.json()["done"] is False
    assert len(rest.json()["data"]) == 1 and rest.json()["done"] is True
    bad = await wh_client.get(f"{base}?status=lost", headers=shop.headers())
    assert bad.status_code == 422


async def test_resend_delivers_the_same_event_again(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    event_id = await emit(ctx, shop)
    await run_once(ctx)
    log = await wh_client.get(
        f"/webhooks/{endpoint['id']}/deliveries", headers=shop.headers()
    )
    original = log.json()["data"][0]["id"]

    reply = await wh_client.post(
        f"/webhooks/{endpoint['id']}/deliveries/{original}/resend",
        headers=shop.headers(),
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "pending"
    assert reply.json()["resent_from"] == original
    assert await run_once(ctx) == 1

    assert receiver.ids() == {event_id: 2}
    assert receiver.received[0].body == receiver.received[1].body


async def test_resend_of_a_delivery_still_retrying_is_409(
    ctx: AppContext,
    clock: FrozenClock,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    receiver.answer(500)
    await emit(ctx, shop)
    await run_once(ctx)
    log = await wh_client.get(
        f"/webhooks/{endpoint['id']}/deliveries", headers=shop.headers()
    )
    delivery = log.json()["data"][0]["id"]

    reply = await wh_client.post(
        f"/webhooks/{endpoint['id']}/deliveries/{delivery}/resend",
        headers=shop.headers(),
    )

    assert reply.status_code == 409
    assert reply.json()["code"] == "DELIVERY_IN_PROGRESS"
    clock.advance(timedelta(seconds=5))
    assert await run_once(ctx) == 1


async def test_resend_to_a_disabled_endpoint_is_409(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(wh_client, shop, receiver.url)
    await emit(ctx, shop)
    await run_once(ctx)
    log = await wh_client.get(
        f"/webhooks/{endpoint['id']}/deliveries", headers=shop.headers()
    )
    delivery = log.json()["data"][0]["id"]
    await wh_client.patch(
        f"/webhooks/{endpoint['id']}", json={"disabled": True}, headers=shop.headers()
    )

    reply = await wh_client.post(
        f"/webhooks/{endpoint['id']}/deliveries/{delivery}/resend",
        headers=shop.headers(),
    )

    assert reply.status_code == 409
    assert reply.json()["code"] == "WEBHOOK_DISABLED"


async def test_delivery_of_another_endpoint_is_404(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    first = await add_endpoint(wh_client, shop, receiver.url)
    second = await add_endpoint(wh_client, shop, receiver.url + "?2")
    await emit(ctx, shop)
    await run_once(ctx)
    log = await wh_client.get(
        f"/webhooks/{first['id']}/deliveries", headers=shop.headers()
    )
    delivery = log.json()["data"][0]["id"]

    reply = await wh_client.get(
        f"/webhooks/{second['id']}/deliveries/{delivery}", headers=shop.headers()
    )

    assert reply.status_code == 404
