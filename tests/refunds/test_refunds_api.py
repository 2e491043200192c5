"""``/refunds``: giving money back, never more than was paid."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.payments.support import DE_ADDRESS, DECLINED, Shop
from tests.support.databases import ScratchDatabase
from tests.support.factory import MerchantKit


async def _paid(shop: Shop) -> dict[str, Any]:
    book = await shop.one_time(1000, name="Book")
    pen = await shop.one_time(250, name="Pen")
    sid = await shop.session(book, pen, billing_address=DE_ADDRESS)
    attempt = await shop.pay(sid, billing_address=DE_ADDRESS)
    # Book 1000 + 190 VAT, pen 250 + 48 VAT: 1488 in all.
    return {"payment_id": attempt.payment_id, "book": book, "pen": pen}


async def _refund(shop: Shop, **body: Any) -> Any:
    return await shop.client.post("/refunds", json=body, headers=shop.kit.headers())


async def _payment(shop: Shop, payment_id: str) -> Any:
    reply = await shop.client.get(f"/payments/{payment_id}", headers=shop.kit.headers())
    return reply.json()


async def test_a_whole_refund_gives_everything_back_once(shop: Shop) -> None:
    paid = await _paid(shop)

    reply = await _refund(shop, payment_id=paid["payment_id"], reason="changed mind")

    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["refund_id"].startswith("ref_")
    assert (body["status"], body["amount"], body["currency"]) == (
        "succeeded",
        1488,
        "USD",
    )
    assert body["is_partial"] is False
    assert body["reason"] == "changed mind"
    assert body["customer"]["email"] == "ada@example.com"
    assert await shop.event_count("refund.succeeded", body["refund_id"]) == 1

    payment = await _payment(shop, paid["payment_id"])
    assert payment["refund_status"] == "full"
    assert [r["refund_id"] for r in payment["refunds"]] == [body["refund_id"]]

    again = await _refund(shop, payment_id=paid["payment_id"])
    assert again.status_code == 409
    assert again.json()["code"] == "PAYMENT_NOT_REFUNDABLE"


async def test_a_line_refund_is_partial_and_lowers_what_is_refundable(
    shop: Shop,
) -> None:
    paid = await _paid(shop)

    first = await _refund(
        shop,
        payment_id=paid["payment_id"],
        items=[{"item_id": paid["book"], "amount": 500}],
    )
    rest = await _refund(
        shop, payment_id=paid["payment_id"], items=[{"item_id": paid["book"]}]
    )

    assert (first.json()["amount"], first.json()["is_partial"]) == (500, True)
    assert rest.json()["amount"] == 690
    payment = await _payment(shop, paid["payment_id"])
    assert payment["refund_status"] == "partial"
    lines = await shop.client.get(
        f"/payments/{paid['payment_id']}/line-items", headers=shop.kit.headers()
    )
    refundable = {i["items_id"]: i["refundable_amount"] for i in lines.json()["items"]}
    assert refundable == {paid["book"]: 0, paid["pen"]: 298}

    too_much = await _refund(
        shop,
        payment_id=paid["payment_id"],
        items=[{"item_id": paid["book"], "amount": 1}],
    )
    assert too_much.status_code == 422
    assert too_much.json()["field"] == "items[0].amount"


async def test_an_amount_before_tax_gets_its_tax_added(shop: Shop) -> None:
    paid = await _paid(shop)
    reply = await _refund(
        shop,
        payment_id=paid["payment_id"],
        items=[{"item_id": paid["book"], "amount": 100, "tax_inclusive": False}],
    )
    assert reply.json()["amount"] == 119


async def test_bad_refunds_are_refused_by_name(shop: Shop) -> None:
    paid = await _paid(shop)
    cases = [
        ({"items": [{"item_id": "pdt_other"}]}, 422, "items[0].item_id"),
        ({"currency": "EUR"}, 422, "currency"),
        ({"items": [{"item_id": paid["book"], "amount": 0}]}, 422, "items[0].amount"),
    ]
    for extra, status, field in cases:
        reply = await _refund(shop, payment_id=paid["payment_id"], **extra)
        assert reply.status_code == status, reply.text
        assert reply.json()["field"] == field

    sid = await shop.session(await shop.one_time())
    declined = await shop.pay(sid, DECLINED)
    reply = await _refund(shop, payment_id=declined.payment_id)
    assert reply.status_code == 409

    unknown = await _refund(shop, payment_id="pay_nope")
    assert unknown.status_code == 404


async def test_an_idempotency_key_makes_one_refund(shop: Shop) -> None:
    paid = await _paid(shop)
    headers = {**shop.kit.headers(), "Idempotency-Key": "refund-1"}
    body = {"payment_id": paid["payment_id"], "items": [{"item_id": paid["pen"]}]}
    first = await shop.client.post("/refunds", json=body, headers=headers)
    second = await shop.client.post("/refunds", json=body, headers=headers)
    assert first.json()["refund_id"] == second.json()["refund_id"]
    listed = await shop.client.get(
        "/refunds",
        params={"payment_id": paid["payment_id"]},
        headers=shop.kit.headers(),
    )
    assert [r["refund_id"] for r in listed.json()["items"]] == [
        first.json()["refund_id"]
    ]


async def test_concurrent_refunds_never_exceed_the_payment(
    shop: Shop, database: ScratchDatabase
) -> None:
    paid = await _paid(shop)
    replies = await asyncio.gather(
        *(_refund(shop, payment_id=paid["payment_id"]) for _ in range(10))
    )
    assert sorted(r.status_code for r in replies) == [200] + [409] * 9
    payment = await _payment(shop, paid["payment_id"])
    assert sum(r["amount"] for r in payment["refunds"]) == 1488


async def test_another_merchant_cannot_refund_or_read(
    shop: Shop, other_merchant: MerchantKit
) -> None:
    paid = await _paid(shop)
    reply = await shop.client.post(
        "/refunds",
        json={"payment_id": paid["payment_id"]},
        headers=other_merchant.headers(),
    )
    assert reply.status_code == 404
    mine = await _refund(shop, payment_id=paid["payment_id"])
    path = f"/refunds/{mine.json()['refund_id']}"
    assert (
        await shop.client.get(path, headers=other_merchant.headers())
    ).status_code == 404
    assert (await shop.client.get(path, headers=shop.kit.headers())).status_code == 200
