"""Discount codes through the dashboard."""

from __future__ import annotations

import re
from typing import Any

from tests.dashboard.support import Dashboard
from tests.payments.support import Shop
from tests.support.factory import MerchantKit

PERCENT = {"type": "percentage", "amount": "12.5", "code": "spring", "name": "Spring"}


async def _create(dash: Dashboard, **fields: str) -> str:
    reply = await dash.post("/dashboard/discounts", {**PERCENT, **fields})
    assert reply.status_code == 303, reply.text
    return reply.headers["location"].rsplit("/", 1)[1]


async def _api(shop: Shop, kit: MerchantKit, discount_id: str) -> dict[str, Any]:
    reply = await shop.client.get(f"/discounts/{discount_id}", headers=kit.headers())
    return dict(reply.json())


async def test_percentage_code_is_stored_in_basis_points_uppercase(
    shop: Shop, shop_dash: Dashboard, merchant: MerchantKit
) -> None:
    discount_id = await _create(shop_dash, usage_limit="100")
    stored = await _api(shop, merchant, discount_id)
    assert (stored["code"], stored["type"], stored["amount"]) == (
        "SPRING",
        "percentage",
        1250,
    )
    assert stored["usage_limit"] == 100
    listing = (await shop_dash.get("/dashboard/discounts")).text
    assert "12.5%" in listing and "0 / 100" in listing


async def test_flat_code_and_product_restriction(
    shop: Shop, shop_dash: Dashboard, merchant: MerchantKit
) -> None:
    pid = await shop.one_time(2000, name="Only this")
    reply = await shop_dash.client.post(
        "/dashboard/discounts",
        data={
            "csrf": shop_dash.csrf,
            "type": "flat",
            "amount": "5",
            "currency": "EUR",
            "code": "FIVE",
            "restricted_to": [pid],
            "expires_at": "2026-07-01T00:00",
        },
    )
    assert reply.status_code == 303, reply.text
    stored = await _api(shop, merchant, reply.headers["location"].rsplit("/", 1)[1])
    assert (stored["amount"], stored["currency"]) == (500, "EUR")
    assert stored["restricted_to"] == [pid]
    assert stored["expires_at"].startswith("2026-07-01T00:00")


async def test_usage_is_shown_against_the_limit(
    shop: Shop, shop_dash: Dashboard
) -> None:
    await _create(shop_dash, code="USED", usage_limit="3")
    pid = await shop.one_time(2000)
    attempt = await shop.pay(await shop.session(pid, discount_codes=["used"]))
    assert attempt.status == "succeeded"
    listing = (await shop_dash.get("/dashboard/discounts")).text
    assert "1 / 3" in listing


async def test_taken_code_and_bad_amount_are_shown_on_the_form(
    shop_dash: Dashboard,
) -> None:
    await _create(shop_dash, code="TWICE")
    taken = await shop_dash.post("/dashboard/discounts", {**PERCENT, "code": "twice"})
    assert taken.status_code == 422
    assert "A discount with code &#39;TWICE&#39; exists." in taken.text
    too_much = await shop_dash.post(
        "/dashboard/discounts", {**PERCENT, "amount": "150"}
    )
    assert too_much.status_code == 422
    assert 'id="amount-error"' in too_much.text
    listing = (await shop_dash.get("/dashboard/discounts")).text
    assert len(re.findall(r"data-discount-id=", listing)) == 1


async def test_edit_then_delete(
    shop: Shop, shop_dash: Dashboard, merchant: MerchantKit
) -> None:
    discount_id = await _create(shop_dash, code="EDITME", usage_limit="5")
    form = (await shop_dash.get(f"/dashboard/discounts/{discount_id}")).text
    assert 'value="12.5"' in form and 'value="5"' in form
    saved = await shop_dash.post(
        f"/dashboard/discounts/{discount_id}",
        {**PERCENT, "code": "EDITME", "amount": "20", "usage_limit": ""},
    )
    assert saved.status_code == 303
    stored = await _api(shop, merchant, discount_id)
    assert (stored["amount"], stored["usage_limit"]) == (2000, None)

    await shop_dash.post(f"/dashboard/discounts/{discount_id}/delete")
    gone = await shop.client.get(
        f"/discounts/{discount_id}", headers=merchant.headers()
    )
    assert gone.status_code == 404


async def test_other_merchants_discount_is_404(
    shop: Shop, shop_dash: Dashboard, other_merchant: MerchantKit
) -> None:
    created = await shop.client.post(
        "/discounts",
        json={"type": "percentage", "amount": 1000, "code": "THEIRS"},
        headers=other_merchant.headers(),
    )
    discount_id = created.json()["discount_id"]
    assert (
        await shop_dash.get(f"/dashboard/discounts/{discount_id}")
    ).status_code == 404
    delete = await shop_dash.post(f"/dashboard/discounts/{discount_id}/delete")
    assert delete.status_code == 404
    still = await shop.client.get(
        f"/discounts/{discount_id}", headers=other_merchant.headers()
    )
    assert still.status_code == 200
