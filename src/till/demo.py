"""The demo merchant that ``make run`` seeds into an empty database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from till.catalog import service as catalog
from till.catalog.schemas import ProductCreate
from till.core.clock import Clock
from till.merchants import service as merchants
from till.merchants.keys import Principal
from till.merchants.models import Merchant

DEMO_PRODUCTS = [
    {
        "name": "Pro plan",
        "description": "Everything in Till's demo, billed monthly.",
        "tax_category": "saas",
        "price": {
            "type": "recurring_price",
            "price": 1200,
            "currency": "USD",
            "payment_frequency_count": 1,
            "payment_frequency_interval": "Month",
            "subscription_period_count": 20,
            "subscription_period_interval": "Year",
            "trial_period_days": 14,
        },
    },
    {
        "name": "Starter credits",
        "description": "10,000 API credits, used at your own pace.",
        "tax_category": "saas",
        "price": {"type": "one_time_price", "price": 1900, "currency": "USD"},
    },
    {
        "name": "Field guide (e-book)",
        "tax_category": "e_book",
        "price": {"type": "one_time_price", "price": 900, "currency": "USD"},
    },
    {
        "name": "Tip jar",
        "description": "Pay what you want, from one dollar.",
        "tax_category": "digital_products",
        "price": {
            "type": "one_time_price",
            "price": 100,
            "currency": "USD",
            "pay_what_you_want": True,
            "suggested_price": 500,
        },
    },
]


DEMO_LOGIN = "demo@till.local"


@dataclass(frozen=True)
class DemoOutcome:
    merchant_id: str
    secret: str | None
    # The dashboard password, when this run created the demo user.
    login_password: str | None = None


async def seed_demo(db: AsyncSession, clock: Clock, *, if_empty: bool) -> DemoOutcome:
    existing = await db.scalar(select(Merchant).order_by(Merchant.created_at))
    if if_empty and existing is not None:
        password = await _demo_login(db, clock, existing.id)
        return DemoOutcome(existing.id, secret=None, login_password=password)
    merchant = await merchants.create_merchant(db, clock, "Demo Store")
    merchant.allowed_return_hosts = ["localhost", "127.0.0.1"]
    merchant.embed_origins = ["http://localhost:*", "http://127.0.0.1:*"]
    issued = await merchants.create_key(db, clock, merchant.id, "test", "demo")
    who = Principal(merchant_id=merchant.id, mode="test", key_id=issued.key.id)
    for spec in DEMO_PRODUCTS:
        await catalog.create_product(db, clock, who, ProductCreate.model_validate(spec))
    password = await _demo_login(db, clock, merchant.id)
    return DemoOutcome(merchant.id, secret=issued.secret, login_password=password)


async def _demo_login(db: AsyncSession, clock: Clock, merchant_id: str) -> str | None:
    """Create the demo dashboard user if missing; its password if created."""
    from till.dashboard import auth

    if await auth.find_user(db, DEMO_LOGIN) is not None:
        return None
    password = auth.generate_password()
    await auth.create_user(db, clock, merchant_id, DEMO_LOGIN, password)
    return password
