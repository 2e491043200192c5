"""Malformed requests to the payments, subscriptions and refunds API are 4xx
JSON naming what is wrong, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.payments.support import Shop

BODIES = [
    b"{bad json",
    b"\xff\xfe not utf-8",
    b"null",
    b"[]",
    b'"text"',
    json.dumps({"payment_id": 5, "items": "all"}).encode(),
    json.dumps(
        {"payment_id": "pay_x", "items": [{"item_id": "p", "amount": 10**40}]}
    ).encode(),
    json.dumps({"status": ["cancelled"], "metadata": [1, 2]}).encode(),
    json.dumps(
        {"cancel_at_next_billing_date": "perhaps", "metadata": {"": 1}}
    ).encode(),
]


@pytest.mark.parametrize("raw", BODIES)
async def test_malformed_bodies_are_4xx_json(shop: Shop, raw: bytes) -> None:
    headers = shop.kit.headers() | {"content-type": "application/json"}
    for method, path in (("POST", "/refunds"), ("PATCH", "/subscriptions/sub_x")):
        reply = await shop.client.request(method, path, content=raw, headers=headers)
        assert 400 <= reply.status_code < 500, (path, reply.text)
        assert set(reply.json()) >= {"code", "message"}


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "1000"},
        {"page_number": "-1"},
        {"created_at_gte": "yesterday"},
        {"status": "paid"},
        {"customer_id": "x" * 5000},
    ],
)
async def test_malformed_list_queries_are_4xx_or_empty(
    shop: Shop, query: dict[str, str]
) -> None:
    for path in ("/payments", "/subscriptions", "/refunds"):
        reply = await shop.client.get(path, params=query, headers=shop.kit.headers())
        assert reply.status_code in (200, 422), (path, reply.text)
        if reply.status_code == 200:
            assert reply.json() == {"items": []}


async def test_a_huge_refund_amount_is_refused_by_name(shop: Shop) -> None:
    sid = await shop.session(product := await shop.one_time())
    paid = await shop.pay(sid)
    reply = await shop.client.post(
        "/refunds",
        json={
            "payment_id": paid.payment_id,
            "items": [{"item_id": product, "amount": 10**40, "tax_inclusive": False}],
        },
        headers=shop.kit.headers(),
    )
    assert reply.status_code == 422
    assert reply.json()["field"] == "items[0].amount"
