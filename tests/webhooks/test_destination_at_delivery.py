"""Delivery checks the destination again and connects to the checked address."""

from __future__ import annotations

import dataclasses

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from tests.support.factory import MerchantKit
from tests.webhooks.conftest import add_endpoint, emit
from tests.webhooks.receiver import Receiver
from till.http.context import AppContext
from till.webhooks import ssrf
from till.webhooks.models import WebhookAttempt, WebhookDelivery
from till.webhooks.worker import run_once


def _fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"no such host {host}")
        return table[host]

    monkeypatch.setattr(ssrf, "resolve_host", resolve)


async def test_a_name_that_turns_private_after_creation_is_refused_at_delivery(
    ctx: AppContext,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dns = {"hooks.example.com": ["93.184.216.34"]}
    _fake_dns(monkeypatch, dns)
    await add_endpoint(wh_client, shop, "https://hooks.example.com/in", mode="live")
    await emit(ctx, shop, mode="live")
    dns["hooks.example.com"] = ["127.0.0.1"]  # DNS rebinding towards Till itself
    strict = dataclasses.replace(
        ctx, settings=dataclasses.replace(ctx.settings, webhook_allow_private=False)
    )

    assert await run_once(strict) == 1

    async with ctx.sessions() as db:
        [attempt] = list(
            await db.scalars(
                select(WebhookAttempt)
                .join(WebhookDelivery)
                .where(WebhookDelivery.merchant_id == shop.merchant_id)
            )
        )
    assert attempt.status_code is None
    assert attempt.error is not None
    assert attempt.error.startswith("refused: ")
    assert "loopback" in attempt.error
    assert receiver.received == []


async def test_delivery_connects_to_the_checked_address_naming_the_host(
    ctx: AppContext,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "receiver.test" exists only in the checked answer: the request can
    # reach the receiver only through the pinned address.
    _fake_dns(monkeypatch, {"receiver.test": ["127.0.0.1"]})
    port = receiver.url.split(":")[2].split("/")[0]
    await add_endpoint(wh_client, shop, f"http://receiver.test:{port}/hook?x=1")
    event_id = await emit(ctx, shop)

    await run_once(ctx)

    [got] = receiver.received
    assert got.headers["webhook-id"] == event_id
    assert got.headers["host"] == f"receiver.test:{port}"
    assert got.path == "/hook?x=1"
