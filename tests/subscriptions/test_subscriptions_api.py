"""``/subscriptions``: reading them, cancelling them, labelling them."""

from __future__ import annotations

from typing import Any

from tests.payments.support import Shop
from tests.support.factory import MerchantKit

METADATA = {"plan": "team", "seats": 5}


async def _paid_subscription(shop: Shop, **session: Any) -> dict[str, Any]:
    sid = await shop.session(await shop.recurring(1200, name="Team"), **session)
    attempt = await shop.pay(sid)
    assert attempt.status == "succeeded"
    payment = await shop.client.get(
        f"/payments/{attempt.payment_id}", headers=shop.kit.headers()
    )
    sub_id = payment.json()["subscription_id"]
    reply = await shop.client.get(
        f"/subscriptions/{sub_id}", headers=shop.kit.headers()
    )
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


async def _patch(shop: Shop, sub_id: str, body: dict[str, Any]) -> Any:
    return await shop.client.patch(
        f"/subscriptions/{sub_id}", json=body, headers=shop.kit.headers()
    )


async def test_retrieve_shows_the_wire_fields(shop: Shop) -> None:
    sub = await _paid_subscription(shop, metadata=METADATA)
    assert sub["subscription_id"].startswith("sub_")
    assert sub["status"] == "active"
    assert sub["metadata"] == METADATA
    assert sub["recurring_pre_tax_amount"] == 1200
    assert sub["quantity"] == 1
    assert (sub["payment_frequency_count"], sub["payment_frequency_interval"]) == (
        1,
        "Month",
    )
    assert sub["previous_billing_date"] == "2026-06-01T12:00:00Z"
    assert sub["next_billing_date"] == "2026-07-01T12:00:00Z"
    assert sub["customer"]["email"] == "ada@example.com"
    assert sub["has_payment_method"] is True
    assert sub["payment_method_id"].startswith("pm_")
    assert sub["cancel_at_next_billing_date"] is False
    assert sub["brand_id"] == shop.kit.merchant_id
    assert "method_token" not in sub


async def test_cancel_now(shop: Shop) -> None:
    sub = await _paid_subscription(shop)
    reply = await _patch(shop, sub["subscription_id"], {"status": "cancelled"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["status"] == "cancelled"
    assert body["cancelled_at"] == "2026-06-01T12:00:00Z"
    assert body["cancelled_by"] == {
        "actor_type": "api_key",
        "email": None,
        "name": None,
    }
    assert await shop.event_count("subscription.cancelled", sub["subscription_id"]) == 1

    again = await _patch(shop, sub["subscription_id"], {"status": "cancelled"})
    assert again.status_code == 200
    assert await shop.event_count("subscription.cancelled", sub["subscription_id"]) == 1

    late = await _patch(
        shop, sub["subscription_id"], {"cancel_at_next_billing_date": True}
    )
    assert late.status_code == 409
    assert late.json()["code"] == "SUBSCRIPTION_NOT_ACTIVE"


async def test_cancel_at_next_billing_date_and_take_it_back(shop: Shop) -> None:
    sub = await _paid_subscription(shop)
    sub_id = sub["subscription_id"]

    scheduled = await _patch(shop, sub_id, {"cancel_at_next_billing_date": True})
    assert scheduled.json()["cancel_at_next_billing_date"] is True
    assert scheduled.json()["status"] == "active"
    assert await shop.event_count("subscription.updated", sub_id) == 1

    same = await _patch(shop, sub_id, {"cancel_at_next_billing_date": True})
    assert same.status_code == 200
    assert await shop.event_count("subscription.updated", sub_id) == 1

    back = await _patch(shop, sub_id, {"cancel_at_next_billing_date": False})
    assert back.json()["cancel_at_next_billing_date"] is False
    assert await shop.event_count("subscription.updated", sub_id) == 2
    assert await shop.event_count("subscription.cancelled", sub_id) == 0


async def test_status_cancelled_with_the_flag_cancels_at_period_end(shop: Shop) -> None:
    sub = await _paid_subscription(shop)
    reply = await _patch(
        shop,
        sub["subscription_id"],
        {"status": "cancelled", "cancel_at_next_billing_date": True},
    )
    assert (reply.json()["status"], reply.json()["cancel_at_next_billing_date"]) == (
        "active",
        True,
    )


async def test_metadata_is_replaced(shop: Shop) -> None:
    sub = await _paid_subscription(shop, metadata=METADATA)
    reply = await _patch(shop, sub["subscription_id"], {"metadata": {"plan": "pro"}})
    assert reply.json()["metadata"] == {"plan": "pro"}
    stored = await shop.client.get(
        f"/subscriptions/{sub['subscription_id']}", headers=shop.kit.headers()
    )
    assert stored.json()["metadata"] == {"plan": "pro"}
    assert await shop.event_count("subscription.updated", sub["subscription_id"]) == 1


async def test_bad_or_unsupported_fields_are_refused_by_name(shop: Shop) -> None:
    sub = await _paid_subscription(shop)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"next_billing_date": "2027-01-01T00:00:00Z"}, "next_billing_date"),
        ({"status": "paused"}, "status"),
        ({"metadata": {"k" * 41: "v"}}, "metadata"),
    ]
    for body, field in cases:
        reply = await _patch(shop, sub["subscription_id"], body)
        assert reply.status_code == 422, reply.text
        assert reply.json()["field"] == field


async def test_list_filters(shop: Shop) -> None:
    first = await _paid_subscription(shop)
    second = await _paid_subscription(shop)
    await _patch(shop, second["subscription_id"], {"status": "cancelled"})

    def ids(reply: Any) -> set[str]:
        return {item["subscription_id"] for item in reply.json()["items"]}

    headers = shop.kit.headers()
    active = await shop.client.get(
        "/subscriptions", params={"status": "active", "page_size": 100}, headers=headers
    )
    assert first["subscription_id"] in ids(active)
    assert second["subscription_id"] not in ids(active)
    by_product = await shop.client.get(
        "/subscriptions", params={"product_id": first["product_id"]}, headers=headers
    )
    assert ids(by_product) == {first["subscription_id"]}
    item = by_product.json()["items"][0]
    assert item["product_name"] == "Team"
    assert item["discounts"] == []


async def test_another_merchant_cannot_see_or_change_it(
    shop: Shop, other_merchant: MerchantKit
) -> None:
    sub = await _paid_subscription(shop)
    path = f"/subscriptions/{sub['subscription_id']}"
    assert (
        await shop.client.get(path, headers=other_merchant.headers())
    ).status_code == 404
    reply = await shop.client.patch(
        path, json={"status": "cancelled"}, headers=other_merchant.headers()
    )
    assert reply.status_code == 404
    mine = await shop.client.get(path, headers=shop.kit.headers())
    assert mine.json()["status"] == "active"
