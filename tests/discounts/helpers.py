"""Build discounts and products through the API, as a merchant would."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.support.factory import MerchantKit, one_time_product


async def create_discount(
    client: AsyncClient, kit: MerchantKit, mode: str = "test", **body: Any
) -> dict[str, Any]:
    body.setdefault("type", "percentage")
    body.setdefault("amount", 1000)
    reply = await client.post("/discounts", json=body, headers=kit.headers(mode))
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


async def create_product(
    client: AsyncClient, kit: MerchantKit, mode: str = "test", **extra: Any
) -> str:
    reply = await client.post(
        "/products", json=one_time_product(**extra), headers=kit.headers(mode)
    )
    assert reply.status_code == 200, reply.text
    product_id: str = reply.json()["product_id"]
    return product_id
