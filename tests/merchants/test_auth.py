"""Who may call what: keys, modes and merchants never cross."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.factory import MerchantKit
from till.core.clock import FrozenClock
from till.merchants import service


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "MISSING_API_KEY"),
        ("Basic abc", "MALFORMED_API_KEY"),
        ("Bearer ", "MALFORMED_API_KEY"),
        ("Bearer not-a-key", "MALFORMED_API_KEY"),
        ("Bearer till_test_sk_" + "A" * 32, "INVALID_API_KEY"),
    ],
)
async def test_bad_credentials_get_401_with_stable_code(
    client: AsyncClient, header: str | None, code: str
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    reply = await client.get("/products", headers=headers)
    assert reply.status_code == 401
    assert reply.json()["code"] == code


async def test_revoked_key_is_refused_at_once(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession, clock: FrozenClock
) -> None:
    assert (
        await client.get("/products", headers=merchant.headers())
    ).status_code == 200
    await service.revoke_key(db, clock, merchant.test.key_id)
    await db.commit()
    reply = await client.get("/products", headers=merchant.headers())
    assert reply.status_code == 401
    assert reply.json()["code"] == "INVALID_API_KEY"


async def test_keys_are_stored_only_as_digests(
    merchant: MerchantKit, db: AsyncSession
) -> None:
    stored = await service.list_keys(db, merchant.merchant_id)
    for key in stored:
        assert merchant.test_key not in (key.secret_hash, key.display_prefix)
        assert merchant.live_key not in (key.secret_hash, key.display_prefix)
        assert len(key.secret_hash) == 64


async def test_key_prefix_tells_test_from_live(merchant: MerchantKit) -> None:
    assert merchant.test_key.startswith("till_test_sk_")
    assert merchant.live_key.startswith("till_live_sk_")
