"""POST /checkouts: every field accepted, stored, and refused by name."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkout.support import (
    FULL_DE_ADDRESS,
    create,
    field_of,
    one_time,
    pay_what_you_want,
    recurring,
)
from tests.support.factory import MerchantKit
from till.checkout.models import CheckoutSession
from till.core.clock import FrozenClock


async def _stored(db: AsyncSession, session_id: str) -> CheckoutSession:
    session = await db.get(CheckoutSession, session_id, populate_existing=True)
    assert session is not None
    return session


async def test_create_returns_id_and_hosted_page_url(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    pid = await one_time(client, merchant, 1000)
    body = {"product_cart": [{"product_id": pid, "quantity": 2}]}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())

    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert data["session_id"].startswith("cks_")
    assert data["checkout_url"] == f"http://testserver/session/{data['session_id']}"
    session = await _stored(db, data["session_id"])
    assert session.status == "open"
    assert session.origin == "api"
    assert session.total_amount == 2000
    assert session.currency == "USD"
    assert session.expires_at == clock.now() + timedelta(hours=24)
    assert session.price_specs[0]["unit_price"] == 1000
    assert session.product_cart == [{"product_id": pid, "quantity": 2, "amount": None}]


async def test_every_create_field_is_stored(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await recurring(client, merchant, 1200, trial_days=7)
    body: dict[str, Any] = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "customer": {
            "email": "ada@example.com",
            "name": "Ada",
            "phone_number": "+4930",
        },
        "billing_address": {**FULL_DE_ADDRESS, "state": "BE"},
        "return_url": "https://shop.example/done",
        "cancel_url": "https://shop.example/cart",
        "minimal_address": True,
        "metadata": {"order": "A-1", "n": 3, "vip": True},
        "tax_id": "DE136695976",
        "customer_business_name": "Ada GmbH",
        "subscription_data": {"trial_period_days": 30},
        "feature_flags": {"allow_discount_code": False, "require_phone_number": True},
        "customization": {"theme": "dark", "show_order_details": False},
        "custom_fields": [
            {"field_type": "dropdown", "key": "size", "label": "Size", "options": ["S"]}
        ],
        "allowed_payment_method_types": ["credit", "debit"],
        "show_saved_payment_methods": True,
        "force_3ds": True,
    }
    session = await _stored(db, await create(client, merchant, body))

    assert session.customer_email == "ada@example.com"
    assert session.customer_name == "Ada"
    assert session.customer_phone == "+4930"
    assert session.billing_address == {**FULL_DE_ADDRESS, "state": "BE"}
    assert (session.return_url, session.cancel_url) == (
        "https://shop.example/done",
        "https://shop.example/cart",
    )
    assert session.minimal_address is True
    assert session.meta == {"order": "A-1", "n": 3, "vip": True}
    assert session.tax_id == "DE136695976"
    assert session.customer_business_name == "Ada GmbH"
    assert session.trial_period_days == 30
    assert session.quote["trial_period_days"] == 30
    assert session.feature_flags["allow_discount_code"] is False
    assert session.feature_flags["require_phone_number"] is True
    assert session.feature_flags["allow_tax_id"] is True  # default filled in
    assert session.feature_flags["single_page"] is False
    assert session.customization["theme"] == "dark"
    assert session.customization["show_order_details"] is False
    assert session.customization["show_on_demand_tag"] is True
    assert session.custom_fields[0]["key"] == "size"
    assert session.custom_fields[0]["required"] is False
    assert session.options["allowed_payment_method_types"] == ["credit", "debit"]
    assert session.options["show_saved_payment_methods"] is True
    assert session.options["force_3ds"] is True
    assert session.options["subscription_data"] == {"trial_period_days": 30}


async def test_existing_customer_is_copied_onto_the_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await one_time(client, merchant)
    reply = await client.post(
        "/customers",
        json={"email": "bo@example.com", "name": "Bo"},
        headers=merchant.headers(),
    )
    customer_id = reply.json()["customer_id"]
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "customer": {"customer_id": customer_id},
    }
    session = await _stored(db, await create(client, merchant, body))
    assert session.customer_id == customer_id
    assert session.customer_email == "bo@example.com"
    assert session.customer_name == "Bo"


async def test_customer_of_another_merchant_is_404_naming_the_field(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    reply = await client.post(
        "/customers",
        json={"email": "x@example.com", "name": "X"},
        headers=other_merchant.headers(),
    )
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "customer": {"customer_id": reply.json()["customer_id"]},
    }
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 404
    assert reply.json()["field"] == "customer.customer_id"


async def test_pay_what_you_want_amount_prices_the_line(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await pay_what_you_want(client, merchant, minimum=500)
    body = {"product_cart": [{"product_id": pid, "quantity": 1, "amount": 750}]}
    session = await _stored(db, await create(client, merchant, body))
    assert session.total_amount == 750
    assert session.product_cart[0]["amount"] == 750


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"product_cart": []}, "product_cart", 422),
        ({"quantity": 0}, "product_cart[0].quantity", 422),
        ({"quantity": 10_001}, "product_cart[0].quantity", 422),
        ({"quantity": "many"}, "product_cart[0].quantity", 422),
        ({"amount": 900}, "product_cart[0].amount", 422),
        ({"return_url": "javascript:alert(1)"}, "return_url", 422),
        ({"cancel_url": "ftp://shop.example/"}, "cancel_url", 422),
        ({"return_url": "/relative/path"}, "return_url", 422),
        ({"metadata": {"k" * 41: "v"}}, "metadata", 422),
        ({"metadata": {str(i): i for i in range(51)}}, "metadata", 422),
        ({"metadata": {"k": "v" * 501}}, "metadata", 422),
        ({"discount_codes": ["A"], "discount_code": "B"}, "discount_code", 422),
        ({"customer": {"name": "No Email"}}, "customer", 422),
        ({"customer": {"email": "not-an-email"}}, "customer.email", 422),
        ({"billing_address": {"country": "Germany"}}, "billing_address.country", 422),
        ({"billing_address": {"country": "XX"}}, "billing_address.country", 422),
        ({"billing_address": {"country": "KP"}}, "billing_address.country", 422),
        (
            {"billing_address": {"country": "US", "state": "ZZ"}},
            "billing_address.state",
            422,
        ),
        ({"tax_id": "DE136695976"}, "billing_address", 422),
        (
            {"subscription_data": {"trial_period_days": -1}},
            "subscription_data.trial_period_days",
            422,
        ),
        (
            {"subscription_data": {"trial_period_days": 10_001}},
            "subscription_data.trial_period_days",
            422,
        ),
        ({"payment_method_id": "pm_1"}, "payment_method_id", 422),
        ({"customization": {"theme": "neon"}}, "customization.theme", 422),
        (
            {"customization": {"theme_config": {"light": {"bg_primary": "red;}"}}}},
            "customization.theme_config.light.bg_primary",
            422,
        ),
        (
            {"feature_flags": {"require_tax_id": True, "allow_tax_id": False}},
            "feature_flags.require_tax_id",
            422,
        ),
        (
            {
                "custom_fields": [
                    {"field_type": "text", "key": f"k{i}", "label": "L"}
                    for i in range(6)
                ]
            },
            "custom_fields",
            422,
        ),
        (
            {"custom_fields": [{"field_type": "text", "key": "a", "label": "L"}] * 2},
            "custom_fields[1].key",
            422,
        ),
        (
            {"custom_fields": [{"field_type": "dropdown", "key": "a", "label": "L"}]},
            "custom_fields[0]",
            422,
        ),
        ({"discount_codes": ["NOPE"]}, "discount_codes[0]", 400),
        ({"discount_code": "NOPE"}, "discount_code", 400),
    ],
)
async def test_bad_input_is_refused_naming_the_field(
    client: AsyncClient,
    merchant: MerchantKit,
    change: dict[str, Any],
    field: str,
    status: int,
) -> None:
    pid = await one_time(client, merchant, 1000)
    line: dict[str, Any] = {"product_id": pid, "quantity": 1}
    change = dict(change)  # parameters are shared by both backends' runs
    for key in ("quantity", "amount"):
        if key in change:
            line[key] = change.pop(key)
    body = {"product_cart": [line], **change}

    reply = await client.post("/checkouts", json=body, headers=merchant.headers())

    assert reply.status_code == status, reply.text
    assert field_of(reply.json()) == field
    assert reply.json()["code"]


async def test_more_than_twenty_lines_is_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}] * 21}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == "product_cart"


async def test_a_product_twice_in_the_cart_is_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}] * 2}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == "product_cart[1].product_id"


async def test_unknown_product_is_404_naming_the_line(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    body = {
        "product_cart": [
            {"product_id": pid, "quantity": 1},
            {"product_id": "pdt_missing", "quantity": 1},
        ]
    }
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 404
    assert reply.json()["field"] == "product_cart[1].product_id"


async def test_product_of_another_merchant_or_mode_is_404(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    theirs = await one_time(client, other_merchant)
    body = {"product_cart": [{"product_id": theirs, "quantity": 1}]}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 404
    assert reply.json()["field"] == "product_cart[0].product_id"

    mine_in_test = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": mine_in_test, "quantity": 1}]}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers("live"))
    assert reply.status_code == 404


async def test_archived_product_is_refused_naming_the_line(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    await client.delete(f"/products/{pid}", headers=merchant.headers())
    body = {"product_cart": [{"product_id": pid, "quantity": 1}]}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 409
    assert reply.json()["code"] == "PRODUCT_ARCHIVED"
    assert reply.json()["field"] == "product_cart[0].product_id"


async def test_mixed_currencies_are_refused_naming_the_line(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    usd = await one_time(client, merchant, currency="USD")
    eur = await one_time(client, merchant, currency="EUR")
    body = {
        "product_cart": [
            {"product_id": usd, "quantity": 1},
            {"product_id": eur, "quantity": 1},
        ]
    }
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["code"] == "MIXED_CURRENCIES"
    assert reply.json()["field"] == "product_cart[1]"


async def test_amount_on_a_fixed_price_is_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await recurring(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": 1, "amount": 5000}]}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == "product_cart[0].amount"


async def test_idempotent_retry_returns_the_first_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}]}
    headers = {**merchant.headers(), "Idempotency-Key": "order-77"}
    first = await client.post("/checkouts", json=body, headers=headers)
    second = await client.post("/checkouts", json=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()

    listed = await client.get("/checkouts", headers=merchant.headers())
    assert [s["id"] for s in listed.json()["items"]] == [first.json()["session_id"]]


async def test_malformed_json_is_400_not_500(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    headers = {**merchant.headers(), "content-type": "application/json"}
    reply = await client.post("/checkouts", content=b"{", headers=headers)
    assert reply.status_code == 400


async def test_fifty_concurrent_identical_creates_make_one_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}]}
    headers = {**merchant.headers(), "Idempotency-Key": "burst"}
    replies = await asyncio.gather(
        *[client.post("/checkouts", json=body, headers=headers) for _ in range(50)]
    )
    assert {r.status_code for r in replies} == {200}
    assert len({r.json()["session_id"] for r in replies}) == 1
    count = await db.scalar(
        select(func.count()).where(CheckoutSession.merchant_id == merchant.merchant_id)
    )
    assert count == 1


async def test_overlong_address_part_is_422_not_500(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "billing_address": {"country": "DE", "street": "x" * 301},
    }
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert reply.json()["field"] == "billing_address.street"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer": {"email": "a@b.co", "name": "A\x07"}}, "customer.name"),
        ({"tax_id": "DE\x07", "billing_address": {"country": "DE"}}, "tax_id"),
        (
            {"billing_address": {"country": "DE", "city": "\x07"}},
            "billing_address.city",
        ),
        ({"discount_codes": ["\x07"]}, "discount_codes[0]"),
        ({"customer": {"customer_id": "cus_\x07"}}, "customer.customer_id"),
    ],
)
async def test_control_characters_are_refused_by_name(
    client: AsyncClient, merchant: MerchantKit, change: dict[str, Any], field: str
) -> None:
    pid = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}], **change}
    for path in ("/checkouts", "/checkouts/preview"):
        reply = await client.post(path, json=body, headers=merchant.headers())
        assert reply.status_code == 422, reply.text
        assert field_of(reply.json()) == field


async def test_quantity_must_be_a_whole_number_not_a_boolean(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": True}]}
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    assert reply.status_code == 422
    assert field_of(reply.json()) == "product_cart[0].quantity"
