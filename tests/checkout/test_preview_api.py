"""POST /checkouts/preview: the quote create would store, and nothing else."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkout.support import (
    FULL_DE_ADDRESS,
    create,
    discount,
    one_time,
    recurring,
)
from tests.support.factory import MerchantKit
from till.checkout.models import CheckoutSession
from till.pricing import Quote


async def test_preview_equals_the_quote_the_session_stores(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    saas = await one_time(client, merchant, 1999)
    plan = await recurring(client, merchant, 1200, trial_days=14)
    await discount(client, merchant, "TENOFF", amount=1000)
    body: dict[str, Any] = {
        "product_cart": [
            {"product_id": saas, "quantity": 3},
            {"product_id": plan, "quantity": 1},
        ],
        "billing_address": FULL_DE_ADDRESS,
        "discount_codes": ["tenoff"],
    }
    preview = await client.post(
        "/checkouts/preview", json=body, headers=merchant.headers()
    )
    assert preview.status_code == 200, preview.text

    session = await db.get(CheckoutSession, await create(client, merchant, body))
    assert session is not None
    assert preview.json() == Quote.from_dict(session.quote).to_preview_dict()
    # 3 x 19.99 less 10 % (2.00 a unit) is 53.97; German VAT at 19 % on it
    # is 10.2543, rounded to 10.25. The subscription is in its trial: due 0.
    assert preview.json()["current_breakup"] == {
        "subtotal": 5997,
        "discount": 600,
        "tax": 1025,
        "total_amount": 6422,
    }
    assert session.total_amount == preview.json()["total_price"]
    assert preview.json()["trial_period_days"] == 14


async def test_preview_creates_no_session(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}]}
    reply = await client.post(
        "/checkouts/preview", json=body, headers=merchant.headers()
    )
    assert reply.status_code == 200
    listed = await client.get("/checkouts", headers=merchant.headers())
    assert listed.json()["items"] == []


async def test_invalid_tax_id_is_reported_not_refused(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant, 1000)
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "billing_address": {"country": "DE"},
        "tax_id": "DE000000000",
    }
    reply = await client.post(
        "/checkouts/preview", json=body, headers=merchant.headers()
    )
    assert reply.status_code == 200
    assert reply.json()["tax_id_err_msg"]
    assert reply.json()["total_tax"] == 190  # priced as a consumer


async def test_valid_foreign_vat_id_is_reverse_charged(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant, 1000)
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "billing_address": {"country": "DE"},
        "tax_id": "DE136695976",
    }
    reply = await client.post(
        "/checkouts/preview", json=body, headers=merchant.headers()
    )
    assert reply.status_code == 200
    assert reply.json()["total_tax"] == 0
    assert reply.json()["total_price"] == 1000
    assert reply.json()["tax_id_err_msg"] is None
    assert reply.json()["tax_id_format_name"]


async def test_preview_without_address_prices_in_the_merchant_country(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await one_time(client, merchant, 1000)
    body = {"product_cart": [{"product_id": pid, "quantity": 1}]}
    reply = await client.post(
        "/checkouts/preview", json=body, headers=merchant.headers()
    )
    assert reply.json()["billing_country"] == "US"


async def test_preview_refuses_what_create_refuses(
    client: AsyncClient, merchant: MerchantKit, other_merchant: MerchantKit
) -> None:
    theirs = await one_time(client, other_merchant)
    body = {"product_cart": [{"product_id": theirs, "quantity": 1}]}
    reply = await client.post(
        "/checkouts/preview", json=body, headers=merchant.headers()
    )
    assert reply.status_code == 404
    assert reply.json()["field"] == "product_cart[0].product_id"


async def test_supported_countries_lists_alpha_2_codes(client: AsyncClient) -> None:
    reply = await client.get("/checkout/supported_countries")
    assert reply.status_code == 200
    countries = reply.json()
    assert {"DE", "US", "IN", "GB"} <= set(countries)
    assert "KP" not in countries
    assert all(len(code) == 2 and code.isupper() for code in countries)
    assert countries == sorted(countries)
