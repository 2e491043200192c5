"""Real processes: a server killed before delivering, and rival workers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from standardwebhooks import Webhook

from tests.support.factory import MerchantKit
from tests.support.server import start_server
from tests.webhooks.conftest import add_endpoint, sample_payment
from tests.webhooks.receiver import Receiver
from till.events import EventType
from till.http.context import AppContext
from till.webhooks.models import WebhookAttempt, WebhookDelivery
from till.webhooks.outbox import record_event


async def _until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not met within {seconds} s")
        await asyncio.sleep(0.05)


async def test_event_committed_before_a_crash_is_delivered_after_restart(
    ctx: AppContext,
    shop: MerchantKit,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    url = ctx.settings.database_url
    with start_server(url, tmp_path, TILL_RUN_WORKER="false") as server:
        # The endpoint is made through the server, which seals its secret
        # with the server's own key.
        async with httpx.AsyncClient(base_url=server.url) as api:
            made = await api.post(
                "/webhooks", json={"url": receiver.url}, headers=shop.headers()
            )
            assert made.status_code == 200, made.text
            endpoint_id = made.json()["id"]
            secret = (
                await api.get(f"/webhooks/{endpoint_id}/secret", headers=shop.headers())
            ).json()["secret"]
        async with ctx.sessions() as db:
            event_id = await record_event(
                db,
                merchant_id=shop.merchant_id,
                mode="test",
                event_type=EventType.PAYMENT_SUCCEEDED,
                data=sample_payment(),
                moment=ctx.clock.now(),
            )
            await db.commit()
        server.kill()  # SIGKILL: no shutdown code runs
        assert receiver.received == []

    with start_server(url, tmp_path, TILL_RUN_WORKER="true"):
        await _until(lambda: len(receiver.received) == 1, 30)

    [got] = receiver.received
    assert got.headers["webhook-id"] == event_id
    assert Webhook(secret).verify(got.body, got.headers)["type"] == "payment.succeeded"


def _start_worker(ctx: AppContext, log_path: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        TILL_DATABASE_URL=ctx.settings.database_url,
        TILL_SECRET_KEY=ctx.settings.secret_key,
        TILL_WEBHOOK_ALLOW_PRIVATE="true",
        TILL_LOG_LEVEL="info",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "till.cli", "worker", "--concurrency", "16"],
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )


async def test_two_workers_deliver_500_events_each_exactly_once(
    ctx: AppContext,
    wh_client: httpx.AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    if not ctx.settings.database_url.startswith("postgresql"):
        pytest.skip("rival workers need PostgreSQL's row locks")
    await add_endpoint(wh_client, shop, receiver.url)
    async with ctx.sessions() as db:
        for n in range(500):
            await record_event(
                db,
                merchant_id=shop.merchant_id,
                mode="test",
                event_type=EventType.PAYMENT_SUCCEEDED,
                data={**sample_payment(), "payment_id": f"pay_{n}"},
                moment=ctx.clock.now(),
            )
        await db.commit()

    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers = [_start_worker(ctx, path) for path in logs]
    try:
        await _until(lambda: len(receiver.ids()) == 500, 60)
        await asyncio.sleep(0.5)  # room for a duplicate to show up, if any
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(10)

    assert set(receiver.ids().values()) == {1}
    assert all(w.returncode == 0 for w in workers)
    async with ctx.sessions() as db:
        statuses = dict(
            (
                await db.execute(
                    select(WebhookDelivery.status, func.count())
                    .where(WebhookDelivery.merchant_id == shop.merchant_id)
                    .group_by(WebhookDelivery.status)
                )
            ).all()
        )
        successes = await db.scalar(
            select(func.count())
            .select_from(WebhookAttempt)
            .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
            .where(
                WebhookDelivery.merchant_id == shop.merchant_id,
                WebhookAttempt.succeeded.is_(True),
            )
        )
    assert statuses == {"succeeded": 500}
    assert successes == 500
    shares = [path.read_text().count("webhooks.delivered") for path in logs]
    assert sum(shares) == 500
    assert min(shares) > 0, shares  # both workers took part
