"""``/buy/{product_id}`` through plain HTTP on the in-process app."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.factory import MerchantKit, one_time_product

from .support import (
    make_product,
    session_count,
    session_id_of,
    set_merchant,
    stored_session,
    visit,
)


async def test_visit_creates_a_session_with_the_parameters(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant, 1000)
    params = {
        "quantity": "3",
        "email": "ada@example.com",
        "fullName": "Ada Lovelace",
        "metadata_campaign": "spring",
    }
    reply = await visit(client, f"/buy/{pid}", params)
    sid = session_id_of(reply)

    read = await client.get(f"/checkouts/{sid}", headers=merchant.headers())
    assert read.status_code == 200
    assert read.json()["customer_email"] == "ada@example.com"
    assert read.json()["customer_name"] == "Ada Lovelace"
    stored = await stored_session(db, sid)
    assert stored.product_cart == [{"product_id": pid, "quantity": 3, "amount": None}]
    assert stored.total_amount == 3000
    assert stored.meta == {"campaign": "spring"}
    assert (stored.origin, stored.link_id) == ("link", None)
    assert (stored.merchant_id, stored.mode) == (merchant.merchant_id, "test")


async def test_link_sessions_are_listed_with_origin_link(
    client: AsyncClient, merchant: MerchantKit
) -> None:
    pid = await make_product(client, merchant)
    sid = session_id_of(await visit(client, f"/buy/{pid}"))
    listed = await client.get(
        "/checkouts", params={"origin": "link"}, headers=merchant.headers()
    )
    assert [item["id"] for item in listed.json()["items"]] == [sid]
    api = await client.get(
        "/checkouts", params={"origin": "api"}, headers=merchant.headers()
    )
    assert api.json()["items"] == []


async def test_bad_parameters_are_ignored_and_the_link_still_works(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant, 1000)
    params = {
        "quantity": "lots",
        "email": "not an email",
        "country": "Narnia",
        "paymentAmount": "-5",
        "showDiscounts": "perhaps",
        "disableEmail": "true",
        "redirect_url": "javascript:alert(1)",
        "metadata_" + "k" * 41: "too long a key",
        "unknown": "x",
    }
    sid = session_id_of(await visit(client, f"/buy/{pid}", params))
    stored = await stored_session(db, sid)
    assert stored.product_cart[0]["quantity"] == 1
    assert stored.customer_email is None
    assert stored.billing_address is None
    assert stored.meta == {}
    assert stored.return_url is None
    assert stored.feature_flags["allow_customer_editing_email"] is True
    assert stored.feature_flags["allow_discount_code"] is True


async def test_prefill_and_locks_reach_the_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    params = {
        "email": "ada@example.com",
        "disableEmail": "true",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "country": "US",
        "state": "WA",
        "city": "Seattle",
        "addressLine": "1 Pike St",
        "zipCode": "98101",
        "disableCountry": "true",
        "disableZipCode": "true",
        "disableCity": "true",
        "showDiscounts": "false",
    }
    sid = session_id_of(await visit(client, f"/buy/{pid}", params))
    stored = await stored_session(db, sid)
    assert stored.customer_name == "Ada Lovelace"
    assert stored.billing_address == {
        "country": "US",
        "state": "WA",
        "city": "Seattle",
        "street": "1 Pike St",
        "zipcode": "98101",
    }
    flags = stored.feature_flags
    locked = {k for k, v in flags.items() if k.startswith("allow_customer_editing_")}
    locked = {k for k in locked if flags[k] is False}
    assert locked == {
        "allow_customer_editing_email",
        "allow_customer_editing_country",
        "allow_customer_editing_zipcode",
        "allow_customer_editing_city",
        "allow_customer_editing_business_name",  # off by default
    }
    assert flags["allow_discount_code"] is False


async def test_name_without_email_is_still_prefilled(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    sid = session_id_of(await visit(client, f"/buy/{pid}", {"fullName": "Ada"}))
    stored = await stored_session(db, sid)
    assert (stored.customer_name, stored.customer_email) == ("Ada", None)


async def test_pay_what_you_want_amount_at_or_above_the_minimum_is_used(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    extra = {"price_extra": {"pay_what_you_want": True, "suggested_price": 500}}
    pid = await make_product(client, merchant, 500, **extra)
    chosen = session_id_of(await visit(client, f"/buy/{pid}", {"paymentAmount": "900"}))
    below = session_id_of(await visit(client, f"/buy/{pid}", {"paymentAmount": "100"}))
    assert (await stored_session(db, chosen)).total_amount == 900
    assert (await stored_session(db, below)).product_cart[0]["amount"] is None


async def test_redirect_url_is_honoured_only_for_an_allowed_host(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    await set_merchant(
        client,
        merchant,
        allowed_return_hosts=["shop.example.com"],
        default_return_url="https://shop.example.com/thanks",
    )
    pid = await make_product(client, merchant)
    allowed = {"redirect_url": "https://shop.example.com/welcome?plan=pro"}
    other = {"redirect_url": "https://evil.example.net/phish"}
    sid_allowed = session_id_of(await visit(client, f"/buy/{pid}", allowed))
    sid_other = session_id_of(await visit(client, f"/buy/{pid}", other))
    assert (await stored_session(db, sid_allowed)).return_url == (
        "https://shop.example.com/welcome?plan=pro"
    )
    assert (await stored_session(db, sid_other)).return_url == (
        "https://shop.example.com/thanks"
    )


async def test_unknown_product_is_a_404_page(client: AsyncClient) -> None:
    reply = await visit(client, "/buy/pdt_doesnotexist")
    assert reply.status_code == 404
    assert reply.headers["content-type"].startswith("text/html")
    assert "Link not found" in reply.text


async def test_archived_product_is_a_410_page_and_creates_no_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant, name="Old <b>thing</b>")
    await client.delete(f"/products/{pid}", headers=merchant.headers())
    reply = await visit(client, f"/buy/{pid}")
    assert reply.status_code == 410
    assert "No longer available" in reply.text
    assert "Old &lt;b&gt;thing&lt;/b&gt;" in reply.text
    assert "Traceback" not in reply.text
    assert await session_count(db, merchant) == 0


async def test_unfurler_gets_open_graph_tags_and_creates_no_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    await set_merchant(client, merchant, name='Ada "&" Co')
    pid = await make_product(client, merchant, 1250, name="Pro <plan>")
    agent = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
    reply = await visit(client, f"/buy/{pid}?quantity=2", **{"user-agent": agent})
    assert reply.status_code == 200
    assert '<meta property="og:title" content="Pro &lt;plan&gt;">' in reply.text
    assert "$12.50 · Ada &#34;&amp;&#34; Co" in reply.text
    assert f'<meta property="og:url" content="http://testserver/buy/{pid}">' in (
        reply.text
    )
    assert f'href="/buy/{pid}?quantity=2"' in reply.text
    assert await session_count(db, merchant) == 0


async def test_head_request_creates_no_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    reply = await client.head(f"/buy/{pid}")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert await session_count(db, merchant) == 0


async def test_each_visit_creates_its_own_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    first = session_id_of(await visit(client, f"/buy/{pid}"))
    second = session_id_of(await visit(client, f"/buy/{pid}"))
    assert first != second
    assert await session_count(db, merchant) == 2


async def test_live_product_link_creates_a_live_session(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    reply = await client.post(
        "/products", json=one_time_product(), headers=merchant.headers("live")
    )
    pid = reply.json()["product_id"]
    sid = session_id_of(await visit(client, f"/buy/{pid}"))
    assert (await stored_session(db, sid)).mode == "live"


@pytest.mark.parametrize(
    "path",
    [
        "/buy/" + "x" * 500,
        "/l/" + "y" * 500,
        "/buy/%ff%fe",
        "/l/%E2%80%AE",
        "/l/a%01/qr.png",
        "/buy/pdt_x%1f/qr.svg",
        "/l/%C3%A9t%C3%A9",
    ],
)
async def test_odd_paths_are_404_pages_never_500(
    client: AsyncClient, path: str
) -> None:
    reply = await visit(client, path)
    assert reply.status_code == 404, reply.text
    assert "Link not found" in reply.text


async def test_control_characters_in_parameters_are_dropped(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    pid = await make_product(client, merchant)
    params = {
        "email": "ada\x01@example.com",
        "fullName": "Ada\nLovelace",
        "metadata_campaign": "spring\x7f",
        "metadata_ok": "yes",
    }
    sid = session_id_of(await visit(client, f"/buy/{pid}", params))
    stored = await stored_session(db, sid)
    assert (stored.customer_email, stored.customer_name) == (None, None)
    assert stored.meta == {"ok": "yes"}


async def test_parameters_the_checkout_refuses_together_fall_back_to_one_unit(
    client: AsyncClient, merchant: MerchantKit, db: AsyncSession
) -> None:
    # Each value passes on its own, but 10,000 units of this price exceed the
    # largest total a session may have.
    pid = await make_product(client, merchant, 1_000_000_000)
    params = {"quantity": "10000", "metadata_campaign": "spring"}
    sid = session_id_of(await visit(client, f"/buy/{pid}", params))
    stored = await stored_session(db, sid)
    assert stored.product_cart[0]["quantity"] == 1
    assert stored.meta == {"campaign": "spring"}
