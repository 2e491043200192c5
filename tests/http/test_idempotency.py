from __future__ import annotations

import asyncio
from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.factory import MerchantKit, one_time_product
from till.catalog.models import Product
from till.core.clock import FrozenClock


async def _count(db: AsyncSession, merchant: MerchantKit) -> int:
    db.expire_all()
    await db.rollback()
    return int(
        await db.scalar(
            select(func.count()).where(Product.merchant_id == merchant.merchant_id)
        )
        or 0
    )


async def test_retry_with_same_key_returns_first_reply(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    headers = merchant.headers() | {"Idempotency-Key": "order-1"}
    first = await client.post("/products", json=one_time_product(), headers=headers)
    again = await client.post("/products", json=one_time_product(), headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await _count(db, merchant) == 1


async def test_same_key_with_other_body_is_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    headers = merchant.headers() | {"Idempotency-Key": "order-2"}
    await client.post("/products", json=one_time_product(), headers=headers)
    other = await client.post("/products", json=one_time_product(99), headers=headers)
    assert other.status_code == 409
    assert other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_keys_are_scoped_to_the_merchant(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    key = {"Idempotency-Key": "shared"}
    a = await client.post(
        "/products", json=one_time_product(), headers=merchant.headers() | key
    )
    b = await client.post(
        "/products", json=one_time_product(), headers=other_merchant.headers() | key
    )
    assert a.json()["product_id"] != b.json()["product_id"]


async def test_failed_create_does_not_burn_the_key(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    headers = merchant.headers() | {"Idempotency-Key": "retry-after-fix"}
    bad = await client.post("/customers", json={"email": "x"}, headers=headers)
    assert bad.status_code == 422
    good = await client.post(
        "/customers", json={"email": "x@y.io", "name": "X"}, headers=headers
    )
    assert good.status_code == 200


async def test_concurrent_identical_creates_make_one_object(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    headers = merchant.headers() | {"Idempotency-Key": "burst"}
    replies = await asyncio.gather(
        *[
            client.post("/products", json=one_time_product(), headers=headers)
            for _ in range(50)
        ]
    )
    assert {r.status_code for r in replies} == {200}
    assert len({r.json()["product_id"] for r in replies}) == 1
    assert await _count(db, merchant) == 1


async def test_key_older_than_a_day_starts_afresh(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession, clock: FrozenClock
) -> None:
    headers = merchant.headers() | {"Idempotency-Key": "yesterday"}
    first = await client.post("/products", json=one_time_product(), headers=headers)
    clock.advance(timedelta(hours=25))
    # Another body is fine once the key has expired: it is a new request.
    again = await client.post("/products", json=one_time_product(77), headers=headers)
    assert again.status_code == 200
    assert "idempotent-replayed" not in again.headers
    assert again.json()["product_id"] != first.json()["product_id"]
    assert await _count(db, merchant) == 2
    replay = await client.post("/products", json=one_time_product(77), headers=headers)
    assert replay.json() == again.json()
