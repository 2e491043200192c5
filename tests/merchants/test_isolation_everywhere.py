"""Every API route that names an object, tried from the other side of the
merchant and mode boundaries: always 404, never the object."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.payments.support import Shop, open_shop
from tests.support.factory import MerchantKit
from till.config import Settings
from till.core.clock import FrozenClock


@pytest.fixture
async def shop(
    settings: Settings, clock: FrozenClock, merchant: MerchantKit
) -> AsyncIterator[Shop]:
    async for opened in open_shop(settings, clock, merchant):
        yield opened


async def _owned(shop: Shop) -> dict[str, str]:
    """One object of every kind, all belonging to ``shop``'s merchant."""
    h = shop.kit.headers()
    product = await shop.one_time(2000)
    plan = await shop.recurring(1200)
    discount = await shop.discount("ISO" + secrets.token_hex(3).upper())
    session = await shop.session(product, plan)
    attempt = await shop.pay(session)
    assert attempt.status == "succeeded" and attempt.payment_id is not None
    subscriptions = (await shop.client.get("/subscriptions", headers=h)).json()
    refund = await shop.client.post(
        "/refunds", json={"payment_id": attempt.payment_id}, headers=h
    )
    webhook = await shop.client.post(
        "/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=h
    )
    slug = "iso-" + secrets.token_hex(4)
    link = await shop.client.post(
        f"/products/{product}/short_links", json={"slug": slug}, headers=h
    )
    customer = await shop.client.get("/customers", headers=h)
    assert refund.status_code == webhook.status_code == link.status_code == 200
    return {
        "product": product,
        "discount": discount["discount_id"],
        "code": discount["code"],
        "session": session,
        "payment": attempt.payment_id,
        "subscription": subscriptions["items"][0]["subscription_id"],
        "refund": refund.json()["refund_id"],
        "webhook": webhook.json()["id"],
        "slug": slug,
        "customer": customer.json()["items"][0]["customer_id"],
    }


ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/products/{product}", None),
    ("PATCH", "/products/{product}", {"name": "taken"}),
    ("DELETE", "/products/{product}", None),
    ("POST", "/products/{product}/unarchive", None),
    ("POST", "/products/{product}/short_links", {"slug": "stolen-link"}),
    ("GET", "/products/short_links/{slug}", None),
    ("PATCH", "/products/short_links/{slug}", {"active": False}),
    ("GET", "/customers/{customer}", None),
    ("PATCH", "/customers/{customer}", {"name": "taken"}),
    ("GET", "/discounts/{discount}", None),
    ("GET", "/discounts/code/{code}", None),
    ("PATCH", "/discounts/{discount}", {"name": "taken"}),
    ("DELETE", "/discounts/{discount}", None),
    ("GET", "/checkouts/{session}", None),
    ("POST", "/checkouts/{session}/expire", None),
    ("GET", "/payments/{payment}", None),
    ("GET", "/payments/{payment}/line-items", None),
    ("POST", "/refunds", {"payment_id": "{payment}"}),
    ("GET", "/refunds/{refund}", None),
    ("GET", "/subscriptions/{subscription}", None),
    ("PATCH", "/subscriptions/{subscription}", {"metadata": {"x": "y"}}),
    ("GET", "/webhooks/{webhook}", None),
    ("PATCH", "/webhooks/{webhook}", {"description": "taken"}),
    ("GET", "/webhooks/{webhook}/secret", None),
    ("GET", "/webhooks/{webhook}/deliveries", None),
    ("DELETE", "/webhooks/{webhook}", None),
]


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


async def test_no_route_crosses_a_merchant_or_a_mode(
    shop: Shop, other_merchant: MerchantKit
) -> None:
    ids = await _owned(shop)
    outsiders = {
        "other merchant": other_merchant.headers(),
        "same merchant, live key": shop.kit.headers("live"),
    }
    for who, headers in outsiders.items():
        for method, path, body in ROUTES:
            reply = await shop.client.request(
                method, _fill(path, ids), json=_fill(body, ids), headers=headers
            )
            assert reply.status_code == 404, (who, method, path, reply.text)

    # And the owner still sees everything, untouched.
    h = shop.kit.headers()
    for path in ("/products/{product}", "/discounts/{discount}", "/webhooks/{webhook}"):
        assert (await shop.client.get(_fill(path, ids), headers=h)).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/checkouts", "/payments", "/subscriptions", "/refunds", "/discounts",
     "/webhooks", "/products/short_links", "/customers", "/products"],
)  # fmt: skip
async def test_lists_never_show_another_merchants_objects(
    shop: Shop, other_merchant: MerchantKit, path: str
) -> None:
    await _owned(shop)
    for headers in (other_merchant.headers(), shop.kit.headers("live")):
        reply = await shop.client.get(path, headers=headers)
        assert reply.status_code == 200
        body = reply.json()
        items = body["items"] if "items" in body else body["data"]
        assert items == [], (path, items)
