"""Each transition is one conditional UPDATE; only one of two racers wins."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.checkout.support import create, one_time
from tests.support.databases import ScratchDatabase
from tests.support.factory import MerchantKit
from till.checkout import transitions
from till.checkout.models import CheckoutSession
from till.config import Settings
from till.core.clock import FrozenClock
from till.db import make_engine, make_sessionmaker


async def _open_session(client: AsyncClient, merchant: MerchantKit) -> str:
    pid = await one_time(client, merchant)
    return await create(
        client, merchant, {"product_cart": [{"product_id": pid, "quantity": 1}]}
    )


async def _read(db: AsyncSession, sid: str) -> CheckoutSession:
    session = await db.get(CheckoutSession, sid, populate_existing=True)
    assert session is not None
    return session


async def test_complete_wins_once(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    sid = await _open_session(client, merchant)
    assert await transitions.complete(db, sid, "pay_1", clock.now())
    assert not await transitions.complete(db, sid, "pay_2", clock.now())
    await db.commit()
    session = await _read(db, sid)
    assert (session.status, session.payment_id) == ("completed", "pay_1")
    assert session.completed_at == clock.now()


async def test_complete_refuses_a_session_past_its_time(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    sid = await _open_session(client, merchant)
    late = clock.now() + timedelta(hours=24)
    assert not await transitions.complete(db, sid, "pay_1", late)
    assert await transitions.expire(db, sid, late)
    await db.commit()
    session = await _read(db, sid)
    assert session.status == "expired"
    # Expiring a session already past its time keeps its original end.
    assert session.expires_at == late


async def test_touch_moves_last_activity_of_open_sessions_only(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    sid = await _open_session(client, merchant)
    later = clock.now() + timedelta(minutes=3)
    assert await transitions.touch(db, sid, later)
    assert await transitions.expire(db, sid, later)
    assert not await transitions.touch(db, sid, later + timedelta(minutes=1))
    await db.commit()
    assert (await _read(db, sid)).last_activity_at == later


async def test_concurrent_complete_and_expire_have_one_winner(
    client: AsyncClient,
    merchant: MerchantKit,
    clock: FrozenClock,
    settings: Settings,
    database: ScratchDatabase,
) -> None:
    if not database.is_postgres:
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    engine = make_engine(settings.database_url)
    maker = make_sessionmaker(engine)
    try:
        for _ in range(5):
            sid = await _open_session(client, merchant)
            results = await asyncio.gather(
                _pay(maker, sid, "pay_a", clock),
                _pay(maker, sid, "pay_b", clock),
                _end(maker, sid, clock),
            )
            assert sum(results) == 1
    finally:
        await engine.dispose()


async def _pay(
    maker: async_sessionmaker[AsyncSession],
    sid: str,
    payment_id: str,
    clock: FrozenClock,
) -> bool:
    async with maker() as db:
        won = await transitions.complete(db, sid, payment_id, clock.now())
        await db.commit()
        return won


async def _end(
    maker: async_sessionmaker[AsyncSession], sid: str, clock: FrozenClock
) -> bool:
    async with maker() as db:
        won = await transitions.expire(db, sid, clock.now())
        await db.commit()
        return won
