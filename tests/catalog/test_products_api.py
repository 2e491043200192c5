from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from tests.support.factory import MerchantKit, one_time_product, recurring_product


def _with(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    target = body
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("price.price", -1, "price.one_time_price.price"),
        ("price.price", 10**13, "price.one_time_price.price"),
        ("price.price", "ten", "price.one_time_price.price"),
        ("price.currency", "ABC", "price.one_time_price.currency"),
        ("price.currency", "XAU", "price.one_time_price.currency"),
        ("price.type", "usage_based_price", "price"),
        ("tax_category", "groceries", "tax_category"),
        ("name", "", "name"),
        ("metadata", {"k" * 41: "v"}, "metadata"),
        ("image", "javascript:alert(1)", "image"),
    ],
)
async def test_invalid_product_is_422_naming_the_field(
    client: AsyncClient, merchant: MerchantKit, path: str, value: Any, field: str
) -> None:
    body = _with(one_time_product(), path, value)
    reply = await client.post("/products", json=body, headers=merchant.headers())
    assert reply.status_code == 422, reply.text
    assert reply.json()["field"] == field
    assert field in reply.json()["message"]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("price.trial_period_days", 10_001, "price.recurring_price.trial_period_days"),
        ("price.trial_period_days", -1, "price.recurring_price.trial_period_days"),
        (
            "price.payment_frequency_count",
            0,
            "price.recurring_price.payment_frequency_count",
        ),
        (
            "price.payment_frequency_interval",
            "Fortnight",
            "price.recurring_price.payment_frequency_interval",
        ),
    ],
)
async def test_invalid_recurring_price_is_422(
    client: AsyncClient, merchant: MerchantKit, path: str, value: Any, field: str
) -> None:
    body = _with(recurring_product(), path, value)
    reply = await client.post("/products", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == field


async def test_pay_what_you_want_suggestion_below_minimum_is_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    body = one_time_product(
        500, price_extra={"pay_what_you_want": True, "suggested_price": 400}
    )
    reply = await client.post("/products", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert "suggested_price" in reply.json()["message"]


async def test_currency_is_uppercased(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.post(
        "/products", json=one_time_product(currency="eur"), headers=merchant.headers()
    )
    assert reply.status_code == 200
    assert reply.json()["price"]["currency"] == "EUR"


async def test_archive_hides_from_default_list_but_stays_readable(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    h = merchant.headers()
    pid = (await client.post("/products", json=one_time_product(), headers=h)).json()[
        "product_id"
    ]
    assert (await client.delete(f"/products/{pid}", headers=h)).status_code == 204
    assert (await client.get(f"/products/{pid}", headers=h)).json()["archived"] is True
    active = (await client.get("/products", headers=h)).json()["items"]
    archived = (await client.get("/products?archived=true", headers=h)).json()["items"]
    assert [p["product_id"] for p in active] == []
    assert [p["product_id"] for p in archived] == [pid]
    await client.post(f"/products/{pid}/unarchive", headers=h)
    assert (await client.get(f"/products/{pid}", headers=h)).json()["archived"] is False


async def test_list_paginates_and_filters_recurring(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    h = merchant.headers()
    for i in range(3):
        await client.post("/products", json=one_time_product(name=f"p{i}"), headers=h)
    await client.post("/products", json=recurring_product(), headers=h)
    first = (await client.get("/products?page_size=2&page_number=0", headers=h)).json()
    second = (await client.get("/products?page_size=2&page_number=1", headers=h)).json()
    names = [p["name"] for p in first["items"] + second["items"]]
    assert sorted(names) == ["Plan", "p0", "p1", "p2"]
    recurring = (await client.get("/products?recurring=true", headers=h)).json()
    assert [p["name"] for p in recurring["items"]] == ["Plan"]


@pytest.mark.parametrize("query", ["page_size=0", "page_size=101", "page_number=-1"])
async def test_bad_page_parameters_are_422(
    client: AsyncClient, merchant: MerchantKit, query: str
) -> None:
    reply = await client.get(f"/products?{query}", headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] in ("page_size", "page_number")


async def test_update_changes_price_and_keeps_the_rest(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    h = merchant.headers()
    created = (
        await client.post(
            "/products", json=one_time_product(metadata={"a": "1"}), headers=h
        )
    ).json()
    reply = await client.patch(
        f"/products/{created['product_id']}",
        json={"price": {"type": "one_time_price", "price": 2500, "currency": "USD"}},
        headers=h,
    )
    assert reply.status_code == 200
    assert reply.json()["price"]["price"] == 2500
    assert reply.json()["metadata"] == {"a": "1"}
    assert reply.json()["name"] == "Widget"
