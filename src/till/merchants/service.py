"""Merchants and their API keys."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock
from till.core.ids import new_id
from till.merchants import keys
from till.merchants.errors import (
    ApiKeyNotFound,
    InvalidMode,
    MalformedApiKey,
    MerchantNotFound,
    UnknownApiKey,
)
from till.merchants.key_cache import KeyCache
from till.merchants.models import ApiKey, Merchant

log = structlog.get_logger(__name__)

KEY_CACHE = KeyCache()


@dataclass(frozen=True)
class IssuedKey:
    """A key as created: the only moment its secret exists in clear."""

    key: ApiKey
    secret: str


async def create_merchant(
    db: AsyncSession, clock: Clock, name: str, *, country: str = "US"
) -> Merchant:
    merchant = Merchant(
        id=new_id("bus"),
        name=name,
        country=country,
        created_at=clock.now(),
        allowed_return_hosts=[],
        embed_origins=[],
    )
    db.add(merchant)
    await db.flush()
    log.info("merchant.created", merchant_id=merchant.id)
    return merchant


async def get_merchant(db: AsyncSession, merchant_id: str) -> Merchant:
    merchant = await db.get(Merchant, merchant_id)
    if merchant is None:
        raise MerchantNotFound(merchant_id)
    return merchant


async def list_merchants(db: AsyncSession) -> list[Merchant]:
    rows = await db.scalars(select(Merchant).order_by(Merchant.created_at))
    return list(rows)


async def create_key(
    db: AsyncSession, clock: Clock, merchant_id: str, mode: str, name: str = ""
) -> IssuedKey:
    if mode not in keys.MODES:
        raise InvalidMode(mode)
    await get_merchant(db, merchant_id)
    secret = keys.generate_secret(mode)
    key = ApiKey(
        id=new_id("key"),
        merchant_id=merchant_id,
        mode=mode,
        name=name,
        display_prefix=keys.display_prefix(secret),
        secret_hash=keys.digest(secret),
        created_at=clock.now(),
    )
    db.add(key)
    await db.flush()
    log.info("api_key.created", merchant_id=merchant_id, key_id=key.id, mode=mode)
    return IssuedKey(key=key, secret=secret)


async def revoke_key(
    db: AsyncSession, clock: Clock, key_id: str, *, merchant_id: str | None = None
) -> None:
    query = update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
    if merchant_id is not None:
        query = query.where(ApiKey.merchant_id == merchant_id)
    result = await db.execute(query.values(revoked_at=clock.now()))
    await db.flush()
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise ApiKeyNotFound(key_id)
    KEY_CACHE.forget(key_id)
    log.info("api_key.revoked", key_id=key_id)


async def list_keys(
    db: AsyncSession, merchant_id: str, *, mode: str | None = None
) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.merchant_id == merchant_id)
    if mode is not None:
        query = query.where(ApiKey.mode == mode)
    rows = await db.scalars(query.order_by(ApiKey.created_at.desc(), ApiKey.id))
    return list(rows)


async def authenticate(db: AsyncSession, secret: str) -> keys.Principal:
    """Resolve a presented secret to the merchant and mode it speaks for.

    Valid keys are remembered for a few seconds (see ``key_cache``).
    """
    if not keys.looks_like_key(secret):
        raise MalformedApiKey()
    slot = (repr(getattr(db.bind, "url", None)), keys.digest(secret))
    known = KEY_CACHE.get(slot)
    if known is not None:
        return known
    row = (
        await db.execute(
            select(ApiKey.id, ApiKey.merchant_id, ApiKey.mode, Merchant.country)
            .join(Merchant, Merchant.id == ApiKey.merchant_id)
            .where(ApiKey.secret_hash == slot[1], ApiKey.revoked_at.is_(None))
        )
    ).first()
    if row is None:
        raise UnknownApiKey()
    principal = keys.Principal(row.merchant_id, row.mode, row.id, row.country)
    KEY_CACHE.put(slot, principal)
    return principal


async def update_settings(
    db: AsyncSession, merchant_id: str, changes: dict[str, object]
) -> Merchant:
    """Apply validated settings; ``changes`` holds only the fields sent."""
    merchant = await get_merchant(db, merchant_id)
    for name, value in changes.items():
        setattr(merchant, name, value)
    await db.flush()
    # Cached keys carry the merchant's country; this process reads it afresh.
    KEY_CACHE.forget_merchant(merchant_id)
    log.info(
        "merchant.settings_changed", merchant_id=merchant_id, fields=sorted(changes)
    )
    return merchant
