from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.support.factory import MerchantKit


async def test_settings_round_trip(client: AsyncClient, merchant: MerchantKit) -> None:
    body = {
        "country": "de",
        "allowed_return_hosts": ["Shop.Example.com", "*.example.org"],
        "embed_origins": ["https://shop.example.com", "http://localhost:*"],
        "default_return_url": "https://shop.example.com/thanks",
    }
    reply = await client.patch("/merchant", json=body, headers=merchant.headers())
    assert reply.status_code == 200, reply.text
    read = (await client.get("/merchant", headers=merchant.headers())).json()
    assert read["country"] == "DE"
    assert read["allowed_return_hosts"] == ["shop.example.com", "*.example.org"]
    assert read["embed_origins"] == ["https://shop.example.com", "http://localhost:*"]
    assert read["business_id"] == merchant.merchant_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"allowed_return_hosts": ["https://x.com/path"]}, "allowed_return_hosts[0]"),
        ({"embed_origins": ["javascript:alert(1)"]}, "embed_origins[0]"),
        ({"embed_origins": ["https://x.com/path"]}, "embed_origins[0]"),
        ({"default_return_url": "ftp://x.com"}, "default_return_url"),
        ({"business_id": "bus_other"}, "business_id"),
    ],
)
async def test_bad_settings_are_422_naming_field(
    client: AsyncClient, merchant: MerchantKit, body: dict[str, object], field: str
) -> None:
    reply = await client.patch("/merchant", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == field


async def test_settings_belong_to_the_caller(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    await client.patch(
        "/merchant", json={"country": "FR"}, headers=other_merchant.headers()
    )
    mine = (await client.get("/merchant", headers=merchant.headers())).json()
    assert mine["country"] == "US"


@pytest.mark.parametrize("field", ["name", "country", "locale"])
async def test_required_setting_cannot_be_cleared(
    client: AsyncClient, merchant: MerchantKit, field: str
) -> None:
    reply = await client.patch(
        "/merchant", json={field: None}, headers=merchant.headers()
    )
    assert reply.status_code == 422
    assert reply.json()["field"] == field


async def test_null_list_setting_clears_it(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    h = merchant.headers()
    await client.patch("/merchant", json={"allowed_return_hosts": ["a.com"]}, headers=h)
    reply = await client.patch(
        "/merchant",
        json={"allowed_return_hosts": None, "embed_origins": None},
        headers=h,
    )
    assert reply.status_code == 200
    assert reply.json()["allowed_return_hosts"] == []
    assert reply.json()["embed_origins"] == []
