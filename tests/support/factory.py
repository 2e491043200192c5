"""Build test objects through the same services the API uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from till.core.clock import Clock
from till.merchants import service as merchants
from till.merchants.keys import Principal


@dataclass(frozen=True)
class MerchantKit:
    merchant_id: str
    test_key: str
    live_key: str
    test: Principal
    live: Principal

    def headers(self, mode: str = "test") -> dict[str, str]:
        key = self.test_key if mode == "test" else self.live_key
        return {"Authorization": f"Bearer {key}"}


async def make_merchant(
    db: AsyncSession, clock: Clock, name: str = "Test Shop", **settings: Any
) -> MerchantKit:
    merchant = await merchants.create_merchant(db, clock, name)
    for field, value in settings.items():
        setattr(merchant, field, value)
    test = await merchants.create_key(db, clock, merchant.id, "test")
    live = await merchants.create_key(db, clock, merchant.id, "live")
    await db.commit()
    return MerchantKit(
        merchant_id=merchant.id,
        test_key=test.secret,
        live_key=live.secret,
        test=Principal(merchant.id, "test", test.key.id),
        live=Principal(merchant.id, "live", live.key.id),
    )


def one_time_product(
    price: int = 1000, currency: str = "USD", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": extra.pop("name", "Widget"),
        "tax_category": extra.pop("tax_category", "saas"),
        "price": {"type": "one_time_price", "price": price, "currency": currency},
    }
    body["price"].update(extra.pop("price_extra", {}))
    body.update(extra)
    return body


def recurring_product(
    price: int = 1200, currency: str = "USD", trial_days: int = 0, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": extra.pop("name", "Plan"),
        "tax_category": extra.pop("tax_category", "saas"),
        "price": {
            "type": "recurring_price",
            "price": price,
            "currency": currency,
            "payment_frequency_count": 1,
            "payment_frequency_interval": "Month",
            "subscription_period_count": 20,
            "subscription_period_interval": "Year",
            "trial_period_days": trial_days,
        },
    }
    body.update(extra)
    return body
