"""Every route tried across the merchant and mode boundaries."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.support.factory import MerchantKit, one_time_product


async def _objects(client: AsyncClient, owner: MerchantKit) -> dict[str, str]:
    product = await client.post(
        "/products", json=one_time_product(), headers=owner.headers()
    )
    customer = await client.post(
        "/customers",
        json={"email": "buyer@example.com", "name": "Buyer"},
        headers=owner.headers(),
    )
    return {
        "product": product.json()["product_id"],
        "customer": customer.json()["customer_id"],
    }


CROSSING = [
    ("GET", "/products/{product}", None),
    ("PATCH", "/products/{product}", {"name": "stolen"}),
    ("DELETE", "/products/{product}", None),
    ("POST", "/products/{product}/unarchive", None),
    ("GET", "/customers/{customer}", None),
    ("PATCH", "/customers/{customer}", {"name": "stolen"}),
]


@pytest.mark.parametrize(("method", "path", "body"), CROSSING)
async def test_other_merchant_gets_404_on_every_route(
    client: AsyncClient,
    merchant: MerchantKit,
    other_merchant: MerchantKit,
    method: str,
    path: str,
    body: dict[str, str] | None,
) -> None:
    ids = await _objects(client, merchant)
    reply = await client.request(
        method, path.format(**ids), json=body, headers=other_merchant.headers()
    )
    assert reply.status_code == 404
    assert reply.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize(("method", "path", "body"), CROSSING)
async def test_live_key_cannot_touch_test_objects(
    client: AsyncClient,
    merchant: MerchantKit,
    method: str,
    path: str,
    body: dict[str, str] | None,
) -> None:
    ids = await _objects(client, merchant)
    reply = await client.request(
        method, path.format(**ids), json=body, headers=merchant.headers("live")
    )
    assert reply.status_code == 404


@pytest.mark.parametrize("path", ["/products", "/customers"])
async def test_lists_show_only_own_merchant_and_mode(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit, path: str
) -> None:
    await _objects(client, merchant)
    for kit, mode in ((other_merchant, "test"), (merchant, "live")):
        reply = await client.get(path, headers=kit.headers(mode))
        assert reply.status_code == 200
        assert reply.json()["items"] == []
    own = await client.get(path, headers=merchant.headers())
    assert len(own.json()["items"]) == 1
