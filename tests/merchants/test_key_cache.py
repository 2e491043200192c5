"""Checked API keys are remembered briefly; revocation still holds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.factory import MerchantKit
from till.core.clock import FrozenClock
from till.merchants import service
from till.merchants.key_cache import KeyCache
from till.merchants.keys import Principal
from till.merchants.models import ApiKey

ALICE = Principal("bus_a", "test", "key_a")
BOB = Principal("bus_b", "test", "key_b")


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Ticker]:
    """The process's key cache, on a clock the test moves."""
    ticker = Ticker()
    monkeypatch.setattr(service, "KEY_CACHE", KeyCache(10.0, now=ticker))
    yield ticker


def test_entry_lives_for_its_lifetime_only() -> None:
    ticker = Ticker()
    cache = KeyCache(10.0, now=ticker)
    cache.put(("db", "d1"), ALICE)
    ticker.now += 9.9
    assert cache.get(("db", "d1")) == ALICE
    assert cache.get(("other-db", "d1")) is None
    ticker.now += 0.1
    assert cache.get(("db", "d1")) is None


def test_forgotten_key_is_not_learned_again_for_a_lifetime() -> None:
    ticker = Ticker()
    cache = KeyCache(10.0, now=ticker)
    cache.put(("db", "d1"), ALICE)
    cache.put(("db", "d2"), BOB)
    cache.forget(ALICE.key_id)
    assert cache.get(("db", "d1")) is None
    cache.put(("db", "d1"), ALICE)  # a read from before the revoke committed
    assert cache.get(("db", "d1")) is None
    assert cache.get(("db", "d2")) == BOB
    ticker.now += 10.0
    cache.put(("db", "d1"), ALICE)
    assert cache.get(("db", "d1")) == ALICE


def test_full_cache_drops_expired_entries_first() -> None:
    ticker = Ticker()
    cache = KeyCache(10.0, size=2, now=ticker)
    cache.put(("db", "old"), ALICE)
    ticker.now += 11
    cache.put(("db", "d2"), BOB)
    cache.put(("db", "d3"), BOB)
    assert cache.get(("db", "d2")) == BOB
    assert cache.get(("db", "d3")) == BOB
    cache.put(("db", "d4"), ALICE)  # full of live entries: start afresh
    assert cache.get(("db", "d4")) == ALICE
    assert cache.get(("db", "d2")) is None


async def test_revoke_elsewhere_takes_effect_within_the_lifetime(
    ticker: Ticker, client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    headers = merchant.headers()
    assert (await client.get("/products", headers=headers)).status_code == 200
    # Another process revokes the key: this one cannot be told.
    await db.execute(
        update(ApiKey)
        .where(ApiKey.id == merchant.test.key_id)
        .values(revoked_at=FrozenClock().now())
    )
    await db.commit()
    assert (await client.get("/products", headers=headers)).status_code == 200
    ticker.now += 10.0
    refused = await client.get("/products", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "INVALID_API_KEY"


async def test_revoke_in_this_process_takes_effect_at_once(
    ticker: Ticker,
    client: AsyncClient,
    merchant: MerchantKit,
    db: AsyncSession,
    clock: FrozenClock,
) -> None:
    headers = merchant.headers()
    assert (await client.get("/products", headers=headers)).status_code == 200
    await service.revoke_key(db, clock, merchant.test.key_id)
    await db.commit()
    assert (await client.get("/products", headers=headers)).status_code == 401
    live = await client.get("/products", headers=merchant.headers("live"))
    assert live.status_code == 200
