"""Helpers for checkout tests: products and codes made through the API."""

from __future__ import annotations

import re
from typing import Any

from httpx import AsyncClient

from tests.support.factory import MerchantKit, one_time_product, recurring_product

FULL_US_ADDRESS = {
    "country": "US",
    "state": "WA",
    "city": "Seattle",
    "street": "1 Pike St",
    "zipcode": "98101",
}
FULL_DE_ADDRESS = {
    "country": "DE",
    "city": "Berlin",
    "street": "Unter den Linden 1",
    "zipcode": "10117",
}


async def product(
    client: AsyncClient, kit: MerchantKit, body: dict[str, Any], mode: str = "test"
) -> str:
    reply = await client.post("/products", json=body, headers=kit.headers(mode))
    assert reply.status_code == 200, reply.text
    return str(reply.json()["product_id"])


async def one_time(
    client: AsyncClient, kit: MerchantKit, price: int = 1000, **extra: Any
) -> str:
    return await product(client, kit, one_time_product(price, **extra))


async def recurring(
    client: AsyncClient, kit: MerchantKit, price: int = 1200, **extra: Any
) -> str:
    return await product(client, kit, recurring_product(price, **extra))


async def pay_what_you_want(
    client: AsyncClient, kit: MerchantKit, minimum: int = 500
) -> str:
    extra = {"price_extra": {"pay_what_you_want": True, "suggested_price": minimum}}
    return await product(client, kit, one_time_product(minimum, **extra))


async def discount(
    client: AsyncClient, kit: MerchantKit, code: str, **body: Any
) -> dict[str, Any]:
    payload = {"code": code, "type": "percentage", "amount": 1000, **body}
    reply = await client.post("/discounts", json=payload, headers=kit.headers())
    assert reply.status_code == 200, reply.text
    data: dict[str, Any] = reply.json()
    return data


async def create(
    client: AsyncClient, kit: MerchantKit, body: dict[str, Any], mode: str = "test"
) -> str:
    reply = await client.post("/checkouts", json=body, headers=kit.headers(mode))
    assert reply.status_code == 200, reply.text
    return str(reply.json()["session_id"])


def field_of(reply_json: dict[str, Any]) -> str:
    """The field an error names, with list positions written ``[i]``."""
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", str(reply_json.get("field")))
