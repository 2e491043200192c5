from __future__ import annotations

import asyncio

import pytest
from httpx import AsyncClient

from tests.support.factory import MerchantKit


async def test_email_is_unique_ignoring_case(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    h = merchant.headers()
    first = await client.post(
        "/customers", json={"email": "Ann@Example.com", "name": "Ann"}, headers=h
    )
    assert first.status_code == 200
    again = await client.post(
        "/customers", json={"email": "ann@example.COM", "name": "Ann"}, headers=h
    )
    assert again.status_code == 409
    assert again.json()["code"] == "CUSTOMER_EMAIL_EXISTS"


async def test_same_email_allowed_in_other_mode(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    body = {"email": "ann@example.com", "name": "Ann"}
    assert (
        await client.post("/customers", json=body, headers=merchant.headers())
    ).status_code == 200
    live = await client.post("/customers", json=body, headers=merchant.headers("live"))
    assert live.status_code == 200


async def test_concurrent_creates_with_one_email_make_one_customer(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    body = {"email": "race@example.com", "name": "Racer"}
    replies = await asyncio.gather(
        *[
            client.post("/customers", json=body, headers=merchant.headers())
            for _ in range(8)
        ]
    )
    assert sorted(r.status_code for r in replies).count(200) == 1
    assert {r.status_code for r in replies} <= {200, 409}
    listed = await client.get(
        "/customers?email=race@example.com", headers=merchant.headers()
    )
    assert len(listed.json()["items"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "name": "x"}, "email"),
        ({"name": "x"}, "email"),
        ({"email": "a@b.co", "name": "x", "phone_number": "call me"}, "phone_number"),
        ({"email": "a@b.co", "name": "x" * 201}, "name"),
    ],
)
async def test_invalid_customer_is_422_naming_field(
    client: AsyncClient, merchant: MerchantKit, body: dict[str, str], field: str
) -> None:
    reply = await client.post("/customers", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == field


async def test_update_and_filter(client: AsyncClient, merchant: MerchantKit) -> None:
    h = merchant.headers()
    created = (
        await client.post(
            "/customers", json={"email": "b@x.io", "name": "Bea"}, headers=h
        )
    ).json()
    await client.post("/customers", json={"email": "c@x.io", "name": "Cal"}, headers=h)
    updated = await client.patch(
        f"/customers/{created['customer_id']}",
        json={"name": "Beatrice", "metadata": {"tier": "gold"}},
        headers=h,
    )
    assert updated.json()["name"] == "Beatrice"
    assert updated.json()["metadata"] == {"tier": "gold"}
    found = (await client.get("/customers?name=beat", headers=h)).json()["items"]
    assert [c["email"] for c in found] == ["b@x.io"]


async def test_update_to_taken_email_is_409(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    h = merchant.headers()
    a = (
        await client.post(
            "/customers", json={"email": "a@x.io", "name": "A"}, headers=h
        )
    ).json()
    await client.post("/customers", json={"email": "b@x.io", "name": "B"}, headers=h)
    reply = await client.patch(
        f"/customers/{a['customer_id']}", json={"email": "B@X.IO"}, headers=h
    )
    assert reply.status_code == 409
