"""Links through payment: sessions from links are paid like any other.

Paying goes through ``pay_session`` with the app's own context, as the
hosted page does (the helpers come from the payments tests).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.payments.support import Shop, open_shop
from tests.support.factory import MerchantKit
from till.config import Settings
from till.core.clock import FrozenClock

from .support import session_id_of, set_merchant, unique_slug, visit


@pytest.fixture
async def shop(
    settings: Settings, clock: FrozenClock, merchant: MerchantKit
) -> AsyncIterator[Shop]:
    async for opened in open_shop(settings, clock, merchant):
        yield opened


async def test_static_link_metadata_reaches_the_payment(shop: Shop) -> None:
    pid = await shop.one_time(1000)
    params = {
        "quantity": "3",
        "email": "ada@example.com",
        "metadata_campaign": "spring",
    }
    sid = session_id_of(await visit(shop.client, f"/buy/{pid}", params))
    attempt = await shop.pay(sid)
    assert attempt.status == "succeeded"
    [payment] = await shop.payments_of(sid)
    assert payment.meta == {"campaign": "spring"}
    read = await shop.client.get(f"/payments/{payment.id}", headers=shop.kit.headers())
    assert read.json()["metadata"] == {"campaign": "spring"}


async def test_short_link_with_a_limit_of_one_closes_after_the_first_payment(
    shop: Shop,
) -> None:
    pid = await shop.one_time(1000)
    slug = unique_slug("once")
    created = await shop.client.post(
        f"/products/{pid}/short_links",
        json={
            "slug": slug,
            "static_checkout_params": {"metadata_campaign": "launch"},
            "completion_limit": 1,
        },
        headers=shop.kit.headers(),
    )
    assert created.status_code == 200, created.text
    first = session_id_of(await visit(shop.client, f"/l/{slug}"))
    assert (await shop.pay(first)).status == "succeeded"

    second = await visit(shop.client, f"/l/{slug}")
    assert second.status_code == 410
    assert "No longer available" in second.text
    listed = await shop.client.get(
        "/checkouts", params={"origin": "link"}, headers=shop.kit.headers()
    )
    assert [item["id"] for item in listed.json()["items"]] == [first]


async def test_allowed_redirect_url_is_where_the_buyer_goes_after_paying(
    shop: Shop,
) -> None:
    await set_merchant(
        shop.client,
        shop.kit,
        allowed_return_hosts=["shop.example.com"],
        default_return_url="https://shop.example.com/thanks",
    )
    pid = await shop.one_time(1000)
    allowed = {"redirect_url": "https://shop.example.com/welcome"}
    sid = session_id_of(await visit(shop.client, f"/buy/{pid}", allowed))
    attempt = await shop.pay(sid)
    assert attempt.redirect_url is not None
    assert attempt.redirect_url.startswith("https://shop.example.com/welcome?")
    assert f"session_id={sid}" in attempt.redirect_url

    other = {"redirect_url": "https://evil.example.net/welcome"}
    sid = session_id_of(await visit(shop.client, f"/buy/{pid}", other))
    attempt = await shop.pay(sid)
    assert attempt.redirect_url is not None
    assert attempt.redirect_url.startswith("https://shop.example.com/thanks?")
