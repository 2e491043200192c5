"""Products through the dashboard: the catalog service's rules, in forms."""

from __future__ import annotations

import re
from typing import Any

from httpx import AsyncClient

from tests.dashboard.support import Dashboard
from tests.support.factory import MerchantKit, one_time_product

ONE_TIME = {
    "name": "Field guide",
    "description": "A book.",
    "tax_category": "e_book",
    "kind": "one_time",
    "currency": "USD",
    "price": "12.50",
}


async def _create(dash: Dashboard, **fields: str) -> str:
    reply = await dash.post("/dashboard/products", {**ONE_TIME, **fields})
    assert reply.status_code == 303, reply.text
    location = reply.headers["location"]
    assert re.fullmatch(r"/dashboard/products/pdt_\w+", location)
    return location.rsplit("/", 1)[1]


async def _api(
    client: AsyncClient, kit: MerchantKit, product_id: str
) -> dict[str, Any]:
    reply = await client.get(f"/products/{product_id}", headers=kit.headers())
    assert reply.status_code == 200
    return dict(reply.json())


async def test_one_time_product_is_created_in_minor_units(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    product_id = await _create(dash)
    product = await _api(dash.client, merchant, product_id)
    assert product["price"]["type"] == "one_time_price"
    assert product["price"]["price"] == 1250
    assert product["tax_category"] == "e_book"


async def test_recurring_product_keeps_its_billing_terms(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    product_id = await _create(
        dash,
        name="Pro",
        kind="recurring",
        price="9",
        payment_frequency_count="1",
        payment_frequency_interval="Month",
        subscription_period_count="2",
        subscription_period_interval="Year",
        trial_period_days="14",
    )
    price = (await _api(dash.client, merchant, product_id))["price"]
    assert price["type"] == "recurring_price"
    assert (price["price"], price["trial_period_days"]) == (900, 14)
    assert price["payment_frequency_interval"] == "Month"
    page = await dash.get(f"/dashboard/products/{product_id}")
    assert "1 month" in page.text and "14 days" in page.text


async def test_pay_what_you_want_keeps_minimum_and_suggestion(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    product_id = await _create(
        dash, kind="pay_what_you_want", price="1", suggested_price="5.00"
    )
    price = (await _api(dash.client, merchant, product_id))["price"]
    assert price["pay_what_you_want"] is True
    assert (price["price"], price["suggested_price"]) == (100, 500)


async def test_invalid_form_is_shown_again_with_the_field_named(
    dash: Dashboard,
) -> None:
    reply = await dash.post(
        "/dashboard/products", {**ONE_TIME, "name": "", "price": "12.345"}
    )
    assert reply.status_code == 422
    assert 'id="price-error"' in reply.text
    assert "USD amounts have 2 decimals at most." in reply.text
    schema = await dash.post(
        "/dashboard/products",
        {**ONE_TIME, "kind": "pay_what_you_want", "price": "5", "suggested_price": "1"},
    )
    assert schema.status_code == 422
    assert "suggested_price must be at or above price" in schema.text
    listing = await dash.get("/dashboard/products")
    assert "Field guide" not in listing.text


async def test_edit_changes_the_product_and_the_form_is_prefilled(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    product_id = await _create(dash)
    form = await dash.get(f"/dashboard/products/{product_id}/edit")
    assert 'value="12.50"' in form.text
    reply = await dash.post(
        f"/dashboard/products/{product_id}",
        {**ONE_TIME, "name": "Guide v2", "price": "15"},
    )
    assert reply.status_code == 303
    product = await _api(dash.client, merchant, product_id)
    assert (product["name"], product["price"]["price"]) == ("Guide v2", 1500)


async def test_archive_and_unarchive_move_the_product_between_lists(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    product_id = await _create(dash, name="Seasonal")
    await dash.post(f"/dashboard/products/{product_id}/archive")
    assert (await _api(dash.client, merchant, product_id))["archived"] is True
    assert "Seasonal" not in (await dash.get("/dashboard/products")).text
    assert "Seasonal" in (await dash.get("/dashboard/products?archived=true")).text
    await dash.post(f"/dashboard/products/{product_id}/unarchive")
    assert (await _api(dash.client, merchant, product_id))["archived"] is False


async def test_detail_shows_payment_link_copy_button_and_qr(dash: Dashboard) -> None:
    product_id = await _create(dash)
    page = (await dash.get(f"/dashboard/products/{product_id}")).text
    link = f"http://testserver/buy/{product_id}"
    assert f'data-copy="{link}"' in page
    assert f'src="/buy/{product_id}/qr.svg"' in page
    assert f'href="/buy/{product_id}/qr.png"' in page


async def test_amounts_follow_the_merchants_locale(
    dash: Dashboard, merchant: MerchantKit
) -> None:
    await dash.client.patch(
        "/merchant", json={"locale": "de"}, headers=merchant.headers()
    )
    await dash.client.post(
        "/products",
        json=one_time_product(price=123456, currency="EUR", name="Teuer"),
        headers=merchant.headers(),
    )
    listing = (await dash.get("/dashboard/products")).text
    assert "1.234,56\xa0€" in listing


async def test_list_is_paginated_newest_first(
    dash: Dashboard, merchant: MerchantKit, clock: object
) -> None:
    for number in range(21):
        await dash.client.post(
            "/products",
            json=one_time_product(name=f"Item {number:02d}"),
            headers=merchant.headers(),
        )
    first = (await dash.get("/dashboard/products")).text
    assert 'rel="next"' in first
    second = (await dash.get("/dashboard/products?page=1")).text
    names = set(re.findall(r"Item \d\d", first)) | set(re.findall(r"Item \d\d", second))
    assert len(names) == 21
    assert len(re.findall(r"Item \d\d", first)) == 20


async def test_empty_list_says_what_to_do_next(dash: Dashboard) -> None:
    page = (await dash.get("/dashboard/products")).text
    assert "No products in test mode yet" in page
    assert 'href="/dashboard/products/new"' in page
