"""``/payments``: reading what paying left behind."""

from __future__ import annotations

from typing import Any

from tests.payments.support import DE_ADDRESS, DECLINED, Shop
from tests.support.factory import MerchantKit


async def _get(shop: Shop, path: str, **params: Any) -> Any:
    reply = await shop.client.get(path, params=params, headers=shop.kit.headers())
    assert reply.status_code == 200, reply.text
    return reply.json()


async def test_retrieve_shows_the_wire_fields(shop: Shop) -> None:
    plan = await shop.recurring(1200)
    sid = await shop.session(
        await shop.one_time(1000),
        plan,
        metadata={"order": "7"},
        billing_address=DE_ADDRESS,
    )
    attempt = await shop.pay(sid, billing_address=DE_ADDRESS, custom_fields={})

    body = await _get(shop, f"/payments/{attempt.payment_id}")

    assert body["payment_id"] == attempt.payment_id
    assert body["status"] == "succeeded"
    assert body["checkout_session_id"] == sid
    assert body["metadata"] == {"order": "7"}
    assert (body["total_amount"], body["tax"], body["currency"]) == (2618, 418, "USD")
    assert body["settlement_amount"] == 2618
    assert body["customer"]["email"] == "ada@example.com"
    assert body["billing"]["country"] == "DE"
    assert (body["card_network"], body["card_last_four"]) == ("visa", "4242")
    assert (body["card_exp_month"], body["card_exp_year"]) == ("12", "2030")
    assert body["card_holder_name"] == "Ada Lovelace"
    assert len(body["subscription_ids"]) == 1
    assert body["subscription_id"] == body["subscription_ids"][0]
    assert body["charge_type"] == "new"
    [period] = body["service_periods"]
    assert period["subscription_id"] == body["subscription_id"]
    assert body["error_code"] is None
    assert body["business_id"] == shop.kit.merchant_id
    assert "method_token" not in body and "client_ip_hash" not in body


async def test_a_declined_payment_reports_why(shop: Shop) -> None:
    sid = await shop.session(await shop.one_time())
    attempt = await shop.pay(sid, DECLINED)
    body = await _get(shop, f"/payments/{attempt.payment_id}")
    assert body["status"] == "failed"
    assert body["error_code"] == "card_declined"
    assert body["error_message"] == "Your card was declined."
    assert body["service_periods"] == []


async def test_line_items_give_each_line_with_its_tax(shop: Shop) -> None:
    book = await shop.one_time(1000, name="Book")
    pen = await shop.one_time(250, name="Pen")
    sid = await shop.session(book, pen, billing_address=DE_ADDRESS)
    attempt = await shop.pay(sid, billing_address=DE_ADDRESS)

    body = await _get(shop, f"/payments/{attempt.payment_id}/line-items")

    assert body == {
        "currency": "USD",
        "partial_refund_allowed": True,
        "items": [
            {
                "items_id": book,
                "name": "Book",
                "amount": 1190,
                "tax": 190,
                "refundable_amount": 1190,
                "description": None,
            },
            {
                "items_id": pen,
                "name": "Pen",
                "amount": 298,
                "tax": 48,
                "refundable_amount": 298,
                "description": None,
            },
        ],
    }


async def test_list_filters_by_status_customer_and_subscription(shop: Shop) -> None:
    plan = await shop.recurring()
    first = await shop.session(plan)
    declined = await shop.pay(first, DECLINED, email="one@example.com")
    paid = await shop.pay(first, email="one@example.com")
    other = await shop.session(await shop.one_time())
    elsewhere = await shop.pay(other, email="two@example.com")

    everything = await _get(shop, "/payments", page_size=100)
    ids = [item["payment_id"] for item in everything["items"]]
    assert {declined.payment_id, paid.payment_id, elsewhere.payment_id} <= set(ids)

    failed = await _get(shop, "/payments", status="failed", page_size=100)
    assert declined.payment_id in [i["payment_id"] for i in failed["items"]]
    assert paid.payment_id not in [i["payment_id"] for i in failed["items"]]

    paid_body = await _get(shop, f"/payments/{paid.payment_id}")
    customer_id = paid_body["customer"]["customer_id"]
    mine = await _get(shop, "/payments", customer_id=customer_id)
    assert {i["payment_id"] for i in mine["items"]} == {
        declined.payment_id,
        paid.payment_id,
    }

    by_sub = await _get(shop, "/payments", subscription_id=paid_body["subscription_id"])
    assert [i["payment_id"] for i in by_sub["items"]] == [paid.payment_id]

    page = await _get(shop, "/payments", customer_id=customer_id, page_size=1)
    assert len(page["items"]) == 1


async def test_unsupported_product_filter_is_refused(shop: Shop) -> None:
    reply = await shop.client.get(
        "/payments", params={"product_id": "pdt_x"}, headers=shop.kit.headers()
    )
    assert reply.status_code == 422
    assert reply.json()["field"] == "product_id"


async def test_another_merchant_or_mode_cannot_see_a_payment(
    shop: Shop, other_merchant: MerchantKit
) -> None:
    sid = await shop.session(await shop.one_time())
    attempt = await shop.pay(sid)
    path = f"/payments/{attempt.payment_id}"
    for headers in (other_merchant.headers(), shop.kit.headers("live")):
        reply = await shop.client.get(path, headers=headers)
        assert reply.status_code == 404
        assert reply.json()["code"] == "NOT_FOUND"
        listed = await shop.client.get("/payments", headers=headers)
        assert str(attempt.payment_id) not in listed.text


async def test_unknown_payment_is_404(shop: Shop) -> None:
    reply = await shop.client.get("/payments/pay_nope", headers=shop.kit.headers())
    assert reply.status_code == 404
