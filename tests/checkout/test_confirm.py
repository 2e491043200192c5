"""confirm: true skips the page, so everything needed to pay must be given."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkout.support import FULL_DE_ADDRESS, FULL_US_ADDRESS, one_time
from tests.support.factory import MerchantKit
from till.checkout.models import CheckoutSession
from till.core.clock import FrozenClock

CUSTOMER = {"email": "ada@example.com", "name": "Ada", "phone_number": "+1 206 555"}


async def _confirm(
    client: AsyncClient, merchant: MerchantKit, **fields: Any
) -> tuple[int, dict[str, Any]]:
    pid = await one_time(client, merchant)
    body = {
        "product_cart": [{"product_id": pid, "quantity": 1}],
        "confirm": True,
        **fields,
    }
    reply = await client.post("/checkouts", json=body, headers=merchant.headers())
    return reply.status_code, reply.json()


async def test_confirmed_session_with_everything_lives_fifteen_minutes(
    client: AsyncClient, merchant: MerchantKit, clock: FrozenClock, db: AsyncSession
) -> None:
    status, data = await _confirm(
        client, merchant, customer=CUSTOMER, billing_address=FULL_US_ADDRESS
    )
    assert status == 200, data
    session = await db.get(CheckoutSession, data["session_id"])
    assert session is not None
    assert session.confirm is True
    assert session.expires_at == clock.now() + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"billing_address": FULL_US_ADDRESS}, "customer.email"),
        ({"customer": CUSTOMER}, "billing_address"),
        (
            {
                "customer": CUSTOMER,
                "billing_address": {"country": "US", "zipcode": "1"},
            },
            "billing_address.state",
        ),
        (
            {"customer": CUSTOMER, "billing_address": {**FULL_DE_ADDRESS, "city": ""}},
            "billing_address.city",
        ),
        (
            {
                "customer": CUSTOMER,
                "billing_address": {**FULL_DE_ADDRESS, "street": None},
            },
            "billing_address.street",
        ),
        (
            {
                "customer": CUSTOMER,
                "billing_address": {"country": "DE"},
                "minimal_address": True,
            },
            "billing_address.zipcode",
        ),
        (
            {
                "customer": {"email": "ada@example.com"},
                "billing_address": FULL_DE_ADDRESS,
                "feature_flags": {"require_phone_number": True},
            },
            "customer.phone_number",
        ),
        (
            {
                "customer": CUSTOMER,
                "billing_address": FULL_DE_ADDRESS,
                "feature_flags": {"require_tax_id": True},
            },
            "tax_id",
        ),
        (
            {
                "customer": CUSTOMER,
                "billing_address": FULL_DE_ADDRESS,
                "tax_id": "DE000000000",
            },
            "tax_id",
        ),
    ],
)
async def test_confirm_without_a_needed_detail_is_422_naming_it(
    client: AsyncClient, merchant: MerchantKit, fields: dict[str, Any], missing: str
) -> None:
    status, data = await _confirm(client, merchant, **fields)
    assert status == 422, data
    assert data["field"] == missing


async def test_minimal_address_needs_only_country_and_zipcode(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    address = {"country": "DE", "zipcode": "10117"}
    status, data = await _confirm(
        client,
        merchant,
        customer=CUSTOMER,
        billing_address=address,
        minimal_address=True,
    )
    assert status == 200, data


async def test_single_page_flow_defaults_to_minimal_address(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    status, data = await _confirm(
        client,
        merchant,
        customer=CUSTOMER,
        billing_address={"country": "DE", "zipcode": "10117"},
        feature_flags={"single_page": True},
    )
    assert status == 200, data


async def test_confirm_with_a_valid_tax_id_is_accepted(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    status, data = await _confirm(
        client,
        merchant,
        customer=CUSTOMER,
        billing_address=FULL_DE_ADDRESS,
        tax_id="DE136695976",
        feature_flags={"require_tax_id": True},
    )
    assert status == 200, data


async def test_existing_customer_supplies_the_email(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    reply = await client.post(
        "/customers",
        json={"email": "cy@example.com", "name": "Cy"},
        headers=merchant.headers(),
    )
    status, data = await _confirm(
        client,
        merchant,
        customer={"customer_id": reply.json()["customer_id"]},
        billing_address=FULL_DE_ADDRESS,
    )
    assert status == 200, data


async def test_payment_method_needs_an_existing_customer(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    status, data = await _confirm(
        client,
        merchant,
        customer=CUSTOMER,
        billing_address=FULL_DE_ADDRESS,
        payment_method_id="pm_123",
    )
    assert status == 422
    assert data["field"] == "customer.customer_id"
