"""The background loop: woken by a commit, bounded, stops cleanly."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from httpx import AsyncClient

from tests.support.factory import MerchantKit
from tests.webhooks.conftest import add_endpoint, emit
from tests.webhooks.receiver import Receiver
from till.http.context import AppContext
from till.webhooks import runner
from till.webhooks.runner import WorkerLoop


async def _until(condition: Callable[[], bool], seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def test_a_commit_with_events_wakes_the_loop_at_once(
    ctx: AppContext,
    wh_client: AsyncClient,
    shop: MerchantKit,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With polling slowed to a crawl, only the wake-up can explain a prompt
    # delivery.
    monkeypatch.setattr(runner, "POLL_SECONDS", 60.0)
    await add_endpoint(wh_client, shop, receiver.url)
    loop = WorkerLoop(ctx, concurrency=4)
    task = asyncio.create_task(loop.run())
    await asyncio.sleep(0.1)  # let the loop go idle

    event_id = await emit(ctx, shop)
    waited = await _until(lambda: receiver.ids() == {event_id: 1}, 20)

    loop.stop()
    await asyncio.wait_for(task, 10)
    # Far below the 60 s poll; normally a few milliseconds, with slack for a
    # busy test machine.
    assert waited < 5.0


async def test_loop_delivers_many_with_bounded_concurrency(
    ctx: AppContext, wh_client: AsyncClient, shop: MerchantKit, receiver: Receiver
) -> None:
    await add_endpoint(wh_client, shop, receiver.url)
    receiver.delay = 0.05
    ids = [await emit(ctx, shop) for _ in range(30)]
    loop = WorkerLoop(ctx, concurrency=3)
    task = asyncio.create_task(loop.run())

    await _until(lambda: len(receiver.ids()) == 30, 30)
    loop.stop()
    await asyncio.wait_for(task, 10)

    assert receiver.ids() == dict.fromkeys(ids, 1)
    assert receiver.most_in_flight == 3
