"""Looking codes up for a cart, and counting their uses."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.databases import ScratchDatabase
from tests.support.factory import MerchantKit
from till.config import Settings
from till.core.clock import FrozenClock
from till.db import make_engine, make_sessionmaker
from till.discounts import service
from till.discounts.models import Discount
from till.discounts.schemas import DiscountCreate
from till.pricing import (
    BillingLocation,
    CartLine,
    DiscountCodeExpired,
    DiscountNotApplicable,
    DiscountUsageLimitReached,
    InvalidDiscountCode,
    PriceSpec,
    build_quote,
)


async def _discount(
    db: AsyncSession, clock: FrozenClock, kit: MerchantKit, **fields: object
) -> Discount:
    fields.setdefault("type", "percentage")
    fields.setdefault("amount", 1000)
    discount = await service.create_discount(
        db, clock, kit.test, DiscountCreate.model_validate(fields)
    )
    await db.commit()
    return discount


async def _times_used(db: AsyncSession, discount_id: str) -> int:
    db.expire_all()
    used = await db.scalar(
        select(Discount.times_used).where(Discount.id == discount_id)
    )
    assert used is not None
    return used


async def test_codes_resolve_in_order_without_case(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    first = await _discount(db, clock, merchant, code="FIRST", amount=1500)
    second = await _discount(
        db, clock, merchant, code="SECOND", type="flat", amount=300,
        subscription_cycles=2, usage_limit=9,
    )  # fmt: skip
    specs = await service.resolve_codes(db, merchant.test, [" second", "First"])
    assert [s.discount_id for s in specs] == [second.id, first.id]
    flat = specs[0]
    assert (flat.code, flat.type, flat.amount) == ("SECOND", "flat", 300)
    assert (flat.subscription_cycles, flat.usage_limit, flat.times_used) == (2, 9, 0)
    assert specs[1].type == "percentage"
    assert await service.resolve_codes(db, merchant.test, []) == []


async def test_unknown_deleted_or_foreign_code_is_invalid_naming_its_position(
    db: AsyncSession,
    clock: FrozenClock,
    merchant: MerchantKit,
    other_merchant: MerchantKit,
) -> None:
    await _discount(db, clock, merchant, code="KNOWN")
    deleted = await _discount(db, clock, merchant, code="DELETED")
    await _discount(db, clock, other_merchant, code="THEIRS")
    await service.delete_discount(db, clock, merchant.test, deleted.id)
    await db.commit()
    for unknown in ("NOPE", "deleted", "theirs"):
        with pytest.raises(InvalidDiscountCode) as refused:
            await service.resolve_codes(db, merchant.test, ["known", unknown])
        assert refused.value.field == "discount_codes[1]"
        assert refused.value.code == "INVALID_DISCOUNT_CODE"
    with pytest.raises(InvalidDiscountCode):
        await service.resolve_codes(db, merchant.live, ["KNOWN"])


async def test_public_page_resolves_by_merchant_and_mode(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    discount = await _discount(db, clock, merchant, code="PAGE")
    specs = await service.resolve_codes_for_merchant(
        db, merchant.merchant_id, "test", ["page"]
    )
    assert [s.discount_id for s in specs] == [discount.id]
    with pytest.raises(InvalidDiscountCode):
        await service.resolve_codes_for_merchant(
            db, merchant.merchant_id, "live", ["page"]
        )


async def test_flat_code_in_another_currency_does_not_apply(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    await _discount(db, clock, merchant, code="EUROS", type="flat", amount=200,
                    currency="EUR")  # fmt: skip
    await _discount(db, clock, merchant, code="ANYCUR", type="flat", amount=200)
    await _discount(db, clock, merchant, code="PCT")
    codes = ["pct", "anycur", "euros"]
    with pytest.raises(DiscountNotApplicable) as refused:
        await service.resolve_codes(db, merchant.test, codes, currency="USD")
    assert refused.value.field == "discount_codes[2]"
    assert refused.value.code == "DISCOUNT_NOT_AVAILABLE_FOR_PRODUCT"
    specs = await service.resolve_codes(db, merchant.test, codes, currency="EUR")
    assert [s.code for s in specs] == ["PCT", "ANYCUR", "EUROS"]


def _quote(specs: list[object], moment: datetime, product_id: str = "pdt_a") -> None:
    price = PriceSpec(product_id, "A", "USD", 1000, "saas")
    build_quote(
        [CartLine(price, 1)],
        specs,  # type: ignore[arg-type]
        BillingLocation("DE"),
        tax_id=None,
        seller_country="DE",
        moment=moment,
    )


async def test_resolved_codes_are_refused_by_pricing_with_their_own_codes(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    now = clock.now()
    used_up = await _discount(db, clock, merchant, code="USEDUP", usage_limit=1)
    await service.consume_usage(db, [used_up.id])
    await db.commit()
    await _discount(db, clock, merchant, code="LATER", starts_at=now + timedelta(1))
    await _discount(db, clock, merchant, code="OVER", expires_at=now)
    cases = {
        "usedup": DiscountUsageLimitReached,
        "later": DiscountCodeExpired,
        "over": DiscountCodeExpired,
    }
    for code, refusal in cases.items():
        db.expire_all()
        specs = await service.resolve_codes(db, merchant.test, [code])
        with pytest.raises(refusal):
            _quote(list(specs), now)


async def test_restricted_code_is_refused_for_a_cart_without_its_products(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    from tests.support.factory import one_time_product
    from till.catalog.schemas import ProductCreate
    from till.catalog.service import create_product

    body = ProductCreate.model_validate(one_time_product())
    product = await create_product(db, clock, merchant.test, body)
    await _discount(db, clock, merchant, code="ONLYONE", restricted_to=[product.id])
    specs = await service.resolve_codes(db, merchant.test, ["onlyone"])
    assert specs[0].restricted_to == frozenset({product.id})
    with pytest.raises(DiscountNotApplicable):
        _quote(list(specs), clock.now(), product_id="pdt_other")
    _quote(list(specs), clock.now(), product_id=product.id)


async def test_consume_counts_each_code_once_until_the_limit(
    db: AsyncSession, clock: FrozenClock, merchant: MerchantKit
) -> None:
    limited = await _discount(db, clock, merchant, usage_limit=2)
    unlimited = await _discount(db, clock, merchant)
    limited_id, limited_code, unlimited_id = limited.id, limited.code, unlimited.id
    await service.consume_usage(db, [limited_id, unlimited_id, limited_id])
    await service.consume_usage(db, [limited_id, unlimited_id])
    await db.commit()
    assert await _times_used(db, limited_id) == 2
    assert await _times_used(db, unlimited_id) == 2
    with pytest.raises(DiscountUsageLimitReached) as refused:
        await service.consume_usage(db, [unlimited_id, limited_id])
    assert refused.value.field == "discount_codes[1]"
    assert limited_code in refused.value.message
    await db.rollback()
    assert await _times_used(db, unlimited_id) == 2


async def test_limit_holds_under_concurrent_payments(
    database: ScratchDatabase,
    settings: Settings,
    db: AsyncSession,
    clock: FrozenClock,
    merchant: MerchantKit,
) -> None:
    if not database.is_postgres:
        pytest.skip("real concurrent writers need PostgreSQL")
    discount = await _discount(db, clock, merchant, usage_limit=5)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    start = asyncio.Event()

    async def pay() -> bool:
        async with sessions() as session:
            await session.connection()  # each payment holds its own connection
            await start.wait()
            try:
                await service.consume_usage(session, [discount.id])
            except DiscountUsageLimitReached:
                await session.rollback()
                return False
            await asyncio.sleep(0.01)  # keep the row lock while others queue
            await session.commit()
            return True

    try:
        tasks = [asyncio.create_task(pay()) for _ in range(20)]
        await asyncio.sleep(0.2)
        start.set()
        outcomes = await asyncio.gather(*tasks)
    finally:
        await engine.dispose()
    assert outcomes.count(True) == 5
    assert await _times_used(db, discount.id) == 5


def test_generated_codes_differ() -> None:
    codes = {service.generate_code() for _ in range(200)}
    assert len(codes) == 200
