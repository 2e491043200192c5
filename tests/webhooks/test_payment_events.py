"""End to end: a buyer pays, the merchant's endpoint hears of it, signed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from dodopayments import DodoPayments
from standardwebhooks import Webhook

from tests.payments.support import Shop, open_shop
from tests.support.factory import MerchantKit
from tests.webhooks.conftest import add_endpoint
from tests.webhooks.receiver import Receiver
from till.config import Settings
from till.core.clock import FrozenClock
from till.webhooks.worker import run_once


@pytest.fixture
async def hook_shop(
    wh_settings: Settings, clock: FrozenClock, shop: MerchantKit
) -> AsyncIterator[Shop]:
    async for opened in open_shop(wh_settings, clock, shop):
        yield opened


async def test_paid_session_delivers_payment_and_subscription_events(
    hook_shop: Shop, receiver: Receiver
) -> None:
    endpoint = await add_endpoint(hook_shop.client, hook_shop.kit, receiver.url)
    plan = await hook_shop.recurring(1200)
    metadata = {"user_id": "u_42", "campaign": "spring"}
    session_id = await hook_shop.session(plan, metadata=metadata)

    attempt = await hook_shop.pay(session_id)
    assert attempt.status == "succeeded"
    await run_once(hook_shop.ctx)

    sdk = DodoPayments(bearer_token="unused", base_url="http://127.0.0.1:9")
    by_type = {}
    for got in receiver.received:
        envelope = Webhook(endpoint["secret"]).verify(got.body, got.headers)
        event = sdk.webhooks.unwrap(
            got.body, headers=got.headers, key=endpoint["secret"]
        )
        assert event.type == envelope["type"]
        by_type[envelope["type"]] = json.loads(got.body)["data"]

    assert set(by_type) == {"payment.succeeded", "subscription.active"}
    payment = by_type["payment.succeeded"]
    assert payment["payment_id"] == attempt.payment_id
    assert payment["checkout_session_id"] == session_id
    assert payment["metadata"] == metadata
    assert by_type["subscription.active"]["metadata"] == metadata


async def test_declined_card_delivers_payment_failed(
    hook_shop: Shop, receiver: Receiver
) -> None:
    await add_endpoint(
        hook_shop.client, hook_shop.kit, receiver.url, filter_types=["payment.failed"]
    )
    session_id = await hook_shop.session(await hook_shop.one_time(500))

    attempt = await hook_shop.pay(session_id, "4000 0000 0000 0002")
    assert attempt.status == "failed"
    await run_once(hook_shop.ctx)

    [got] = receiver.received
    data = json.loads(got.body)
    assert data["type"] == "payment.failed"
    assert data["data"]["error_code"] == "card_declined"
    assert data["data"]["checkout_session_id"] == session_id
